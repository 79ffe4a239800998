//! Answer set → `.xlsx` bytes. The sheet 「確認書」 takes all its wording from the layout data; the
//! answer cells are unlocked, validated and named after their JSON paths (see [`crate::spec::workbook`]).

use chrono::Datelike;
use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet,
};
use serde_json::Value;

use super::measure;
use crate::fonts::FontSet;
use crate::spec::form::FormSpec;
use crate::spec::workbook::{
    self as cells, carried_names, Field, Kind, AUTO, CARRIED_HINT, CARRIED_MARK, CARRIED_TITLE,
    FORMAT_VERSION, FORM_SHEET, META_SHEET, STATUS_HINT, YES_NO,
};

pub use crate::error::WriteError;

/// 和暦 for date cells. `[$-411]` (not `[$-ja-JP-x-gannen]`): LibreOffice Calc shows the latter as a bare serial number.
const DATE_FORMAT: &str = "[$-411]ggge\"年\"m\"月\"d\"日\"";

/// The four columns' widths in pixels (番号, 確認事項, 実施/未実施, 詳細): the number and status
/// columns as wide as their widest text, the other two sharing the rest of the page.
fn column_widths(layout: &FormSpec, fonts: &FontSet) -> [u32; 4] {
    let columns = &layout.items.columns;
    let title = |i: usize| columns.get(i).map_or("", |c| c.title.as_str());
    let numbers: Vec<String> = layout
        .items
        .rows
        .iter()
        .map(|r| format!("{}{}", layout.items.optional_mark, r.number))
        .collect();
    let mut texts: Vec<&str> = numbers.iter().map(String::as_str).collect();
    texts.push(title(0));
    let number = measure::column_px(measure::widest(fonts, &texts, measure::SIZE));
    let mut statuses: Vec<&str> = layout
        .items
        .status_values
        .iter()
        .map(String::as_str)
        .collect();
    statuses.extend([AUTO, title(2)]);
    statuses.extend(YES_NO);
    let status = measure::column_px(measure::widest(fonts, &statuses, measure::SIZE));
    let page = (measure::PAGE_WIDTH_PT / 0.75) as u32;
    let rest = page.saturating_sub(number + status).max(200);
    [number, rest / 2, status, rest - rest / 2]
}

/// The value at `path` in `answers`, as sheet text (or a date serial for a date cell).
fn lookup<'a>(answers: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(answers, |v, k| v.get(k))
}

/// The text an answer cell shows, for its row's height (a date's 和暦 is short: one line).
fn shown(answers: &Value, field: &Field) -> String {
    match lookup(answers, &field.path) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Days since Excel's epoch (1899-12-30) of an ISO date, for a date cell.
fn serial(text: &str) -> Option<f64> {
    let d = crate::model::wareki::parse_date(text).ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    Some((d - epoch).num_days() as f64)
}

fn write_answer(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    field: &Field,
    value: Option<&Value>,
    fmt: &Format,
    date_fmt: &Format,
    help: Option<(&str, &str)>,
) -> Result<(), WriteError> {
    match (&field.kind, value) {
        (_, None) | (_, Some(Value::Null)) => {
            ws.write_blank(row, col, fmt)?;
        }
        (Kind::Bool, Some(Value::Bool(b))) => {
            ws.write_string_with_format(row, col, if *b { YES_NO[0] } else { YES_NO[1] }, fmt)?;
        }
        (Kind::Date, Some(Value::String(s))) => match serial(s) {
            Some(n) => {
                ws.write_number_with_format(row, col, n, date_fmt)?;
            }
            None => {
                ws.write_string_with_format(row, col, s, fmt)?;
            }
        },
        (Kind::Choice(_), Some(Value::String(s))) if s == "auto" => {
            ws.write_string_with_format(row, col, AUTO, fmt)?;
        }
        (_, Some(Value::String(s))) => {
            ws.write_string_with_format(row, col, s, fmt)?;
        }
        (_, Some(other)) => {
            ws.write_string_with_format(row, col, other.to_string(), fmt)?;
        }
    }
    let validation = match &field.kind {
        // Guidance as the cell's input message, never as an answer (issue 21 §4).
        Kind::Choice(list) => Some(
            DataValidation::new()
                .allow_list_strings(list)?
                .set_input_message(STATUS_HINT)?,
        ),
        Kind::Bool => Some(DataValidation::new().allow_list_strings(&YES_NO)?),
        _ => None,
    };
    if let Some(mut v) = validation {
        // Said where the choice is made: Excel and Calc show it when the cell is selected.
        if let Some((title, message)) = help {
            v = v.set_input_title(title)?.set_input_message(message)?;
        }
        ws.add_data_validation(row, col, row, col, &v)?;
    }
    Ok(())
}

/// What a question row is written with: its label's and answer's formats, the answers, and the
/// row height for a label and an answer side by side.
struct QuestionFormats<'a> {
    label: &'a Format,
    answer: &'a Format,
    date: &'a Format,
    answers: &'a Value,
    pair: &'a dyn Fn(&str, &str) -> f64,
}

/// A question (or label) in A:B and its answer cell in C:D on row `r`: the defined name of the
/// answer cell, for its JSON path.
fn question(
    ws: &mut Worksheet,
    r: u32,
    text: &str,
    f: &Field,
    q: &QuestionFormats,
) -> Result<(String, String), WriteError> {
    ws.merge_range(r, 0, r, 1, text, q.label)?;
    ws.set_row_height(r, (q.pair)(text, &shown(q.answers, f)))?;
    ws.merge_range(r, 2, r, 3, "", q.answer)?;
    write_answer(
        ws,
        (r, 2),
        f,
        lookup(q.answers, &f.path),
        q.answer,
        q.date,
        None,
    )?;
    Ok((f.defined_name(), cell_name(r, 2)))
}

/// The 下請負者等 question of a 下請負者等's workbook (`init --subcontractor`, or `convert` of a
/// subcontractor's answers): its はい locked like the row texts, so that a clerk cannot empty it
/// and print the name without the suffix the 留意事項 requires (issue 21 §3).
fn locked_yes(
    ws: &mut Worksheet,
    r: u32,
    text: &str,
    f: &Field,
    q: &QuestionFormats,
) -> Result<(String, String), WriteError> {
    ws.merge_range(r, 0, r, 1, text, q.label)?;
    ws.set_row_height(r, (q.pair)(text, YES_NO[0]))?;
    ws.merge_range(r, 2, r, 3, YES_NO[0], q.label)?;
    Ok((f.defined_name(), cell_name(r, 2)))
}

/// A circumstance as the page of `secform serve` asks it: the layout's plain question (or the
/// condition of its rows' text) and the rows it decides (「…（2 確認事項 17）」), answered はい or
/// いいえ. Not the rows' own statements: followed by はい/いいえ, those read as "did you do it".
fn asked(layout: &FormSpec, name: &str) -> String {
    match crate::spec::questions::question(layout, name) {
        Some(q) => {
            let rows: Vec<String> = q.rows.iter().map(u32::to_string).collect();
            format!("{}（{} {}）", q.text, layout.items.heading, rows.join("・"))
        }
        None => name.to_string(),
    }
}

/// The absolute reference of a cell of the form sheet, as a defined name points at it.
fn cell_name(row: u32, col: u16) -> String {
    format!("='{FORM_SHEET}'!${}${}", col_letter(col), row + 1)
}

/// The workbook of `answers` (an answer set as JSON; `Value::Null` for an empty one) in `layout`.
///
/// Long (the sheet top to bottom, as the form reads): left whole this round; a split by section
/// as `layout/form/` has is the next step.
pub fn write(layout: &FormSpec, answers: &Value) -> Result<Vec<u8>, WriteError> {
    let fields = cells::fields(layout);
    let fonts = FontSet::bundled();
    let widths = column_widths(layout, &fonts);
    let mut wb = Workbook::new();
    // Dated as the PDF is (its 確認年月日, else the layout's issue date), not "now": the same
    // answers give the same bytes.
    let date = answers
        .get("checked_on")
        .and_then(Value::as_str)
        .and_then(|t| crate::model::wareki::parse_date(t).ok())
        .unwrap_or(layout.issued);
    let created =
        ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let font = Format::new()
        .set_font_name(measure::FONT_NAME)
        .set_font_charset(measure::FONT_CHARSET)
        .set_font_size(measure::SIZE);
    let border = font.clone().set_border(FormatBorder::Thin);
    let label = border
        .clone()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let answer = label.clone().set_unlocked();
    let date_fmt = answer.clone().set_num_format(DATE_FORMAT);
    let wrap = font.clone().set_text_wrap().set_align(FormatAlign::Top);
    let title = font
        .clone()
        .set_bold()
        .set_font_size(measure::TITLE_SIZE)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let heading = font.clone().set_bold();
    let header = label.clone().set_bold().set_align(FormatAlign::Center);

    let mut names: Vec<(String, String)> = Vec::new();
    let ws = wb.add_worksheet();
    ws.set_name(FORM_SHEET)?;
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width_pixels(i as u16, *w)?;
    }
    let full = widths.iter().sum::<u32>();
    let left = widths[0] + widths[1];
    let right = widths[2] + widths[3];
    // The row height that shows a label on the left and its answer on the right whole.
    let pair = |label: &str, answer: &str| {
        measure::row_for(
            &fonts,
            &[(label, left, measure::SIZE), (answer, right, measure::SIZE)],
        )
    };
    let mut r: u32 = 0;
    // Rows `next` carried over: (row number, sheet row, last year's answer).
    let mut carried: Vec<(u32, u32, Value)> = Vec::new();
    let formats = QuestionFormats {
        label: &label,
        answer: &answer,
        date: &date_fmt,
        answers,
        pair: &pair,
    };
    let by_path = |p: &str| fields.iter().find(|f| f.json_path() == p);

    ws.merge_range(r, 0, r, 3, &layout.title, &title)?;
    ws.set_row_height(
        r,
        measure::row_for(&fonts, &[(&layout.title, full, measure::TITLE_SIZE)]),
    )?;
    r += 2;
    ws.write_string_with_format(r, 0, &layout.target.heading, &heading)?;
    r += 1;
    for f in &fields {
        if f.path[0] != "target" {
            continue;
        }
        let text = match f.path[1].as_str() {
            "subcontractor" => layout.target.subcontractor_suffix.clone(),
            key => layout
                .target
                .fields
                .iter()
                .find(|t| format!("{:?}", t.key).to_lowercase() == key.replace('_', ""))
                .map(|t| t.label.clone())
                .unwrap_or_default(),
        };
        if f.path[1] == "subcontractor" && lookup(answers, &f.path) == Some(&Value::Bool(true)) {
            names.push(locked_yes(ws, r, &text, f, &formats)?);
        } else {
            names.push(question(ws, r, &text, f, &formats)?);
        }
        r += 1;
    }
    r += 1;
    let notes = &layout.target.notes;
    ws.write_string_with_format(r, 0, &notes.heading, &heading)?;
    r += 1;
    for p in &notes.paragraphs {
        ws.merge_range(r, 0, r, 3, p, &wrap)?;
        ws.set_row_height(r, measure::row_for(&fonts, &[(p, full, measure::SIZE)]))?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, &layout.items.heading, &heading)?;
    r += 1;
    let header_row = r;
    for (i, c) in layout.items.columns.iter().enumerate() {
        ws.write_string_with_format(r, i as u16, &c.title, &header)?;
    }
    let titles: Vec<(&str, u32, f32)> = layout
        .items
        .columns
        .iter()
        .zip(widths)
        .map(|(c, w)| (c.title.as_str(), w, measure::SIZE))
        .collect();
    ws.set_row_height(r, measure::row_for(&fonts, &titles))?;
    r += 1;
    for row in &layout.items.rows {
        let mark = if row.optional {
            layout.items.optional_mark.as_str()
        } else {
            ""
        };
        ws.write_string_with_format(r, 0, format!("{mark}{}", row.number), &label)?;
        ws.write_string_with_format(r, 1, &row.text, &label)?;
        let n = row.number.to_string();
        let detail_path = format!("items.{n}.detail");
        let detail = lookup(answers, &["items".into(), n.clone(), "detail".into()])
            .and_then(Value::as_str)
            .unwrap_or("");
        let h = measure::row_for(
            &fonts,
            &[
                (&row.text, widths[1], measure::SIZE),
                (detail, widths[3], measure::SIZE),
            ],
        );
        ws.set_row_height(r, h)?;
        for (col, p) in [(2u16, format!("items.{n}.status")), (3, detail_path)] {
            if let Some(f) = by_path(&p) {
                let help = match (col, row.one_year_rule.as_ref()) {
                    (2, Some(rule)) => rule.auto_help.as_deref().map(|m| (AUTO, m)),
                    _ => None,
                };
                write_answer(
                    ws,
                    (r, col),
                    f,
                    lookup(answers, &f.path),
                    &answer,
                    &date_fmt,
                    help,
                )?;
                names.push((f.defined_name(), cell_name(r, col)));
            }
        }
        if let Some(last) = lookup(answers, &["items".into(), n.clone(), "carried_over".into()]) {
            carried.push((row.number, r, last.clone()));
        }
        r += 1;
    }
    let last_table_row = r - 1;
    if !carried.is_empty() {
        ws.write_string_with_format(header_row, 4, CARRIED_TITLE, &header)?;
        let status = measure::column_px(measure::widest(
            &fonts,
            &[CARRIED_TITLE, CARRIED_MARK],
            measure::SIZE,
        ));
        ws.set_column_width_pixels(4, status)?;
    }
    for (number, row, _) in &carried {
        ws.write_string_with_format(*row, 4, CARRIED_MARK, &answer)?;
        let hint = DataValidation::new()
            .allow_any_value()
            .set_input_message(CARRIED_HINT)?;
        ws.add_data_validation(*row, 4, *row, 4, &hint)?;
        names.push((carried_names(*number)[0].clone(), cell_name(*row, 4)));
    }
    r += 1;
    if let Some(f) = by_path("checked_on") {
        ws.merge_range(r, 0, r, 1, &layout.checked_on.label, &label)?;
        ws.merge_range(r, 2, r, 3, "", &answer)?;
        write_answer(
            ws,
            (r, 2),
            f,
            lookup(answers, &f.path),
            &answer,
            &date_fmt,
            None,
        )?;
        names.push((f.defined_name(), cell_name(r, 2)));
        r += 1;
    }
    let checker_first = r;
    for f in fields.iter().filter(|f| f.path[0] == "checker") {
        ws.set_row_height(r, pair("", &shown(answers, f)))?;
        ws.merge_range(r, 2, r, 3, "", &answer)?;
        write_answer(
            ws,
            (r, 2),
            f,
            lookup(answers, &f.path),
            &answer,
            &date_fmt,
            None,
        )?;
        names.push((f.defined_name(), cell_name(r, 2)));
        r += 1;
    }
    if r > checker_first {
        ws.merge_range(checker_first, 0, r - 1, 1, &layout.checker.label, &label)?;
    }
    r += 1;
    let circumstances: Vec<&Field> = fields
        .iter()
        .filter(|f| f.path[0] == "circumstances")
        .collect();
    if let (Some(h), false) = (&layout.circumstances_heading, circumstances.is_empty()) {
        ws.merge_range(r, 0, r, 3, h, &heading)?;
        r += 1;
    }
    for f in circumstances {
        names.push(question(ws, r, &asked(layout, &f.path[1]), f, &formats)?);
        r += 1;
    }
    ws.set_paper_size(9);
    if !carried.is_empty() {
        // The carried-over column is for the clerk, not the form: the print stays A to D.
        ws.set_print_area(0, 0, r.max(last_table_row), 3)?;
    }
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.protect();

    let meta = wb.add_worksheet();
    meta.set_name(META_SHEET)?;
    meta.write_string(0, 0, "layout")?;
    meta.write_string(0, 1, &layout.name)?;
    meta.write_string(1, 0, "format_version")?;
    meta.write_number(1, 1, FORMAT_VERSION as f64)?;
    let plain = Format::new().set_unlocked();
    for (i, f) in fields.iter().filter(|f| !cells::on_form(f)).enumerate() {
        let row = 2 + i as u32;
        meta.write_string(row, 0, f.json_path())?;
        write_answer(
            meta,
            (row, 1),
            f,
            lookup(answers, &f.path),
            &plain,
            &plain,
            None,
        )?;
        names.push((f.defined_name(), format!("={META_SHEET}!$B${}", row + 1)));
    }
    // Last year's answer of each carried-over row, for the reader to tell a changed answer.
    let first = 2 + fields.iter().filter(|f| !cells::on_form(f)).count() as u32;
    for (i, (number, _, last)) in carried.iter().enumerate() {
        let row = first + i as u32;
        let [_, status, detail] = carried_names(*number);
        meta.write_string(row, 0, &status)?;
        for (col, key, name) in [(1u16, "status", status), (2, "detail", detail)] {
            if let Some(text) = last.get(key).and_then(Value::as_str) {
                meta.write_string(row, col, text)?;
            }
            let col_letter = col_letter(col);
            names.push((name, format!("={META_SHEET}!${col_letter}${}", row + 1)));
        }
    }
    meta.set_hidden(true);
    names.push(("secform_layout".into(), format!("={META_SHEET}!$B$1")));
    names.push((
        "secform_format_version".into(),
        format!("={META_SHEET}!$B$2"),
    ));
    for (name, reference) in &names {
        wb.define_name(name, reference)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// `0` → `A`, `3` → `D`.
fn col_letter(col: u16) -> char {
    (b'A' + col as u8) as char
}

/// An answer set's JSON text as a workbook of the layout it names (the default when none).
pub fn json_to_xlsx(json: &str) -> Result<Vec<u8>, WriteError> {
    let value = crate::input::json::parse_strict(json).map_err(WriteError::Invalid)?;
    let name = value
        .get("layout")
        .and_then(Value::as_str)
        .unwrap_or(crate::spec::DEFAULT_LAYOUT);
    let layout = FormSpec::get(name).map_err(|e| WriteError::Layout(Box::new(e)))?;
    write(layout, &value)
}
