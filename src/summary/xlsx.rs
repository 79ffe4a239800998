//! The overview as an Excel workbook: one sheet, the CSV's columns, the header row frozen, the
//! multi-line cells (要確認の内容, 未実施の理由) wrapped. Dated as the PDF is, so the same lines
//! give the same bytes.

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use super::table;
use crate::error::Error;
use crate::export::measure;
use crate::model::summary::Line;
use crate::spec::summary::wording;

/// Column widths in characters: the text columns wide, the rows' marks narrow.
fn width(col: usize, rows: usize) -> f64 {
    match col {
        0 => 11.0,
        1 => 36.0,
        2 => 18.0,
        c if c < 3 + rows => 5.0,
        c if c < 3 + rows + 2 => 10.0,
        _ => 60.0,
    }
}

/// The lines as `.xlsx` bytes.
pub fn to_xlsx(lines: &[Line], date: chrono::NaiveDate) -> Result<Vec<u8>, Error> {
    build(lines, date).map_err(|_: XlsxError| Error::Xlsx)
}

fn build(lines: &[Line], date: chrono::NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let rows = table::row_numbers(lines).map_err(|_| XlsxError::ParameterError(String::new()))?;
    let mut wb = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&wording().title)
            .set_creation_datetime(&created),
    );
    let font = Format::new()
        .set_font_name(measure::FONT_NAME)
        .set_font_charset(measure::FONT_CHARSET)
        .set_align(FormatAlign::Top);
    let bold = font.clone().set_bold();
    let wrap = font.clone().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name(&wording().title)?;
    let header = table::header(&rows);
    for (c, title) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, title, &bold)?;
        ws.set_column_width(c as u16, width(c, rows.len()))?;
    }
    ws.set_freeze_panes(1, 0)?;
    let wrapped = header.len() - 2;
    for (r, l) in lines.iter().enumerate() {
        for (c, cell) in table::record(l, &rows).iter().enumerate() {
            let format = if c >= wrapped { &wrap } else { &font };
            ws.write_string_with_format(r as u32 + 1, c as u16, cell, format)?;
        }
    }
    wb.save_to_buffer()
}
