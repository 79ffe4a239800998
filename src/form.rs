//! The 別記様式 laid out on A4 pages: 「1 確認対象者」, the 【留意事項】, the 「2 確認事項」 table that
//! flows across pages with its header row repeated, 確認年月日, the 確認者 line with 印, and the
//! closing note. Every word of the form and every measure comes from the [`FormLayout`].

use crate::compose::{Align, Composer, Style};
use crate::doc::{Document, Element, Rect};
use crate::error::{Error, Problem};
use crate::fonts::FontSet;
use crate::layout::{ColumnKey, FormLayout, TargetKey, MM};
use crate::rules::Resolved;
use crate::seal::SealImage;
use crate::text::{self, Line, MissingGlyph};

/// What fills the form: resolved answers, or nothing at all for the blank form.
pub struct FormInput<'a> {
    pub answers: Option<&'a Resolved>,
    /// The seal impression, already checked.
    pub seal: Option<SealImage>,
    /// The document date (確認年月日); `None` for a blank form.
    pub date: Option<chrono::NaiveDate>,
}

/// Turns a character the fonts lack into an error naming where it came from.
fn missing(path: &str) -> impl Fn(MissingGlyph) -> Error + '_ {
    move |MissingGlyph(c)| Error::Invalid(vec![Problem::missing_glyph(path, c)])
}

/// Lays out the form.
pub fn layout(form: &FormLayout, fonts: &FontSet, input: &FormInput) -> Result<Document, Error> {
    let (page_w, page_h) = form.page.size();
    let content = form.page.content();
    let date = input.date.unwrap_or(form.issued);
    let mut c = Composer::new(
        fonts,
        form.document_title.clone(),
        date,
        page_w,
        page_h,
        content,
    );
    let sizes = form.font_size;
    let lead = form.leading;
    let gaps = form.gap_mm;
    let body = Style::plain(sizes.body, lead);
    let heading = Style::plain(sizes.heading, lead);
    let note = Style::plain(sizes.note, lead);
    let (x, w) = (content.x, content.w);
    let answers = input.answers;

    // Title.
    let title = Style {
        align: Align::Center,
        ..Style::plain(sizes.title, lead)
    };
    c.paragraph(&form.title, &title, x, w)
        .map_err(missing("layout.title"))?;
    c.skip(gaps.after_title * MM);

    // 1 確認対象者.
    c.paragraph(&form.target.heading, &heading, x, w)
        .map_err(missing("layout.target.heading"))?;
    c.skip(gaps.after_heading * MM);
    let indent = form.target.indent_mm * MM;
    for field in &form.target.fields {
        let (value, path) = match (answers, field.key) {
            (None, _) => (String::new(), "layout.target"),
            (Some(a), TargetKey::Company) => (a.company.clone(), "target.company"),
            (Some(a), TargetKey::Department) => (a.department.clone(), "target.department"),
            (Some(a), TargetKey::ContractStart) => {
                (a.contract_start.clone(), "target.contract_start")
            }
            (Some(a), TargetKey::PreviousCheck) => {
                (a.previous_check.clone(), "target.previous_check")
            }
        };
        labelled(&mut c, &field.label, &value, &body, x + indent, w - indent)
            .map_err(missing(path))?;
    }
    c.skip(gaps.after_heading * MM);
    notes(
        &mut c,
        &form.target.notes.heading,
        &form.target.notes.paragraphs,
        &note,
        x + indent,
        w - indent,
    )?;
    c.skip(gaps.between_sections * MM);

    // 2 確認事項.
    c.ensure(heading.line_height() * 4.0);
    c.paragraph(&form.items.heading, &heading, x, w)
        .map_err(missing("layout.items.heading"))?;
    c.skip(gaps.after_heading * MM);
    table(&mut c, form, answers)?;
    c.skip(gaps.between_sections * MM);

    // 確認年月日, 確認者 and 印.
    let checked_on = answers.map(|a| a.checked_on.clone()).unwrap_or_default();
    labelled(&mut c, &form.checked_on.label, &checked_on, &body, x, w)
        .map_err(missing("checked_on"))?;
    c.skip(gaps.after_heading * MM);
    checker_line(&mut c, form, answers, input.seal.as_ref(), &body)?;
    c.skip(gaps.between_sections * MM);
    notes(
        &mut c,
        &form.closing_notes.heading,
        &form.closing_notes.paragraphs,
        &note,
        x,
        w,
    )?;
    Ok(c.finish())
}

/// `label` followed by `value`, broken for width `w`; a value that wraps continues under its own
/// start, not under the label. Returns the lines and the style to place them with.
fn labelled_lines(
    fonts: &FontSet,
    label: &str,
    value: &str,
    style: &Style,
    w: f32,
) -> Result<(Vec<Line>, Style), MissingGlyph> {
    let style = hanging(fonts, label, style, w);
    let hang = style.rest_indent;
    let lines = text::break_lines(fonts, &format!("{label}{value}"), style.size, w, w - hang)?;
    Ok((lines, style))
}

/// `style` with the lines after the first indented by the width of `label` (unless the label takes
/// half the width or more), so that a wrapped value continues under its own start.
fn hanging(fonts: &FontSet, label: &str, style: &Style, w: f32) -> Style {
    let label_w = fonts.width(label, style.size);
    Style {
        rest_indent: if label_w < w / 2.0 { label_w } else { 0.0 },
        ..*style
    }
}

fn labelled(
    c: &mut Composer,
    label: &str,
    value: &str,
    style: &Style,
    x: f32,
    w: f32,
) -> Result<(), MissingGlyph> {
    let (lines, style) = labelled_lines(c.fonts, label, value, style, w)?;
    c.place_lines(lines, &style, x, w);
    Ok(())
}

fn notes(
    c: &mut Composer,
    heading: &str,
    paragraphs: &[String],
    style: &Style,
    x: f32,
    w: f32,
) -> Result<(), Error> {
    c.paragraph(heading, style, x, w)
        .map_err(missing("layout.notes"))?;
    let indent = style.size;
    for p in paragraphs {
        let s = Style {
            first_indent: indent,
            rest_indent: indent,
            ..*style
        };
        c.paragraph(p, &s, x, w).map_err(missing("layout.notes"))?;
    }
    Ok(())
}

/// The answers to one table row, as printed.
struct RowCells {
    cells: [Vec<Line>; 4],
}

fn table(c: &mut Composer, form: &FormLayout, answers: Option<&Resolved>) -> Result<(), Error> {
    let spec = &form.items;
    let size = form.font_size.table;
    let style = Style::plain(size, form.leading);
    let lh = style.line_height();
    let pad = spec.cell_padding_mm * MM;
    let x0 = c.content().x;
    let mut edges = vec![x0];
    for col in &spec.columns {
        edges.push(edges[edges.len() - 1] + col.width_mm * MM);
    }
    let inner = |i: usize| edges[i + 1] - edges[i] - 2.0 * pad;
    let fonts = c.fonts;
    let wrap = |text: &str, i: usize, path: &str| -> Result<Vec<Line>, Error> {
        text::break_lines(fonts, text, size, inner(i), inner(i)).map_err(|e| missing(path)(e))
    };

    let header = RowCells {
        cells: [
            wrap(&spec.columns[0].title, 0, "layout.items.columns")?,
            wrap(&spec.columns[1].title, 1, "layout.items.columns")?,
            wrap(&spec.columns[2].title, 2, "layout.items.columns")?,
            wrap(&spec.columns[3].title, 3, "layout.items.columns")?,
        ],
    };
    let header_h = header.cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad;
    let center = Style {
        align: Align::Center,
        ..style
    };
    let draw_header = |c: &mut Composer| {
        let top = c.y;
        let rect = Rect::new(x0, top, edges[4] - x0, header_h);
        draw_fragment(
            c,
            &edges,
            pad,
            top,
            header_h,
            [center; 4],
            &header,
            0..usize::MAX,
            lh,
            spec.rule_width,
            true,
        );
        c.page_mut().table_header = Some(rect);
        c.y = top + header_h;
    };

    let col_style = |i: usize| Style {
        align: spec.columns[i].align,
        ..style
    };
    let styles = [col_style(0), col_style(1), col_style(2), col_style(3)];

    // A table needs its header and at least one line of a row below it.
    c.ensure(header_h + lh + 2.0 * pad);
    draw_header(c);
    for row in &spec.rows {
        let answer = answers.and_then(|a| a.items.get(&row.number));
        let (status, detail) = match answer {
            Some(a) => (a.status.clone(), a.detail.clone()),
            None if row.optional => (spec.optional_mark.clone(), spec.optional_mark.clone()),
            None => (String::new(), String::new()),
        };
        let path = format!("items.{}.detail", row.number);
        let number = row.number.to_string();
        let content = |i: usize| -> Result<Vec<Line>, Error> {
            match spec.columns[i].key {
                ColumnKey::Number => wrap(&number, i, "layout.items.rows"),
                ColumnKey::Item => wrap(&row.text, i, "layout.items.rows"),
                ColumnKey::Status => wrap(&status, i, &path),
                ColumnKey::Detail => wrap(&detail, i, &path),
            }
        };
        let cells = RowCells {
            cells: [content(0)?, content(1)?, content(2)?, content(3)?],
        };
        let mut total_lines = cells.cells.iter().map(Vec::len).max().unwrap_or(1);
        if answers.is_none() {
            total_lines = total_lines.max(spec.blank_min_row_lines);
        }
        let mut done = 0;
        // True right after a page break: whatever happens, something of the row goes here, so
        // that a row can never push the table onto page after page.
        let mut fresh = false;
        loop {
            let remaining_lines = total_lines - done;
            let fit = ((c.remaining() - 2.0 * pad) / lh).floor().max(0.0) as usize;
            let fresh_fit = ((c.content().h - header_h - 2.0 * pad) / lh).floor() as usize;
            // Move a row that fits on a page to the next page whole; split only rows taller than a
            // page, and never leave a fragment of fewer than three lines at the bottom.
            let lines_here = if remaining_lines <= fit {
                remaining_lines
            } else if !fresh && (remaining_lines <= fresh_fit || fit < 3) {
                c.new_page();
                draw_header(c);
                fresh = true;
                continue;
            } else {
                fit.max(1)
            };
            let top = c.y;
            let h = lines_here as f32 * lh + 2.0 * pad;
            let lines = done..done + lines_here;
            draw_fragment(
                c,
                &edges,
                pad,
                top,
                h,
                styles,
                &cells,
                lines,
                lh,
                spec.rule_width,
                false,
            );
            c.y = top + h;
            done += lines_here;
            if done >= total_lines {
                break;
            }
            c.new_page();
            draw_header(c);
            fresh = true;
        }
    }
    Ok(())
}

/// Draws `lines` of each cell as one bordered row fragment at `top`, `h` high.
#[allow(clippy::too_many_arguments)]
fn draw_fragment(
    c: &mut Composer,
    edges: &[f32],
    pad: f32,
    top: f32,
    h: f32,
    styles: [Style; 4],
    row: &RowCells,
    lines: std::ops::Range<usize>,
    lh: f32,
    rule: f32,
    top_rule: bool,
) {
    let (left, right) = (edges[0], edges[edges.len() - 1]);
    let mut rules = Vec::new();
    if top_rule {
        rules.push((left, top, right, top));
    }
    rules.push((left, top + h, right, top + h));
    for &e in edges {
        rules.push((e, top, e, top + h));
    }
    for (x1, y1, x2, y2) in rules {
        c.push(Element::Rule {
            x1,
            y1,
            x2,
            y2,
            width: rule,
        });
    }
    for (i, cell_lines) in row.cells.iter().enumerate() {
        let cell = Rect::new(edges[i] + pad, top, edges[i + 1] - edges[i] - 2.0 * pad, h);
        let end = lines.end.min(cell_lines.len());
        for (k, line) in cell_lines.iter().enumerate().take(end).skip(lines.start) {
            let line_top = top + pad + (k - lines.start) as f32 * lh;
            c.place_line(line.clone(), &styles[i], cell.x, line_top, cell);
        }
    }
}

/// 確認者（…）：the checker's fields, broken between fields only, with the seal box (印, and the seal image over it) at the right end.
fn checker_line(
    c: &mut Composer,
    form: &FormLayout,
    answers: Option<&Resolved>,
    seal_image: Option<&SealImage>,
    style: &Style,
) -> Result<(), Error> {
    let content = c.content();
    let spec = &form.checker;
    let boxw = spec.seal_box_mm * MM;
    let fields: Vec<&str> = answers.map_or(Vec::new(), |a| {
        a.checker.iter().map(String::as_str).collect()
    });
    let text_w = content.w - boxw - style.size;
    let lh = style.line_height();
    let line_style = hanging(c.fonts, &spec.label, style, text_w);
    let lines = text::break_fields(
        c.fonts,
        &spec.label,
        &fields,
        &spec.separator,
        style.size,
        text_w,
        text_w - line_style.rest_indent,
    )
    .map_err(missing("checker"))?;
    // The first line runs through the middle of the seal box, so 印 sits at the end of that line
    // and a seal image centred on 印 stays inside the box; the whole block stays on one page so
    // that 印 is never parted from its line.
    let offset = (boxw - lh) / 2.0;
    c.ensure(boxw.max(offset + lines.len() as f32 * lh));
    let top = c.y;
    let line_top = top + offset;
    let seal = Rect::new(content.right() - boxw, top, boxw, boxw);
    // 印 and the seal go on first: on this page, beside the first line, even if the lines go on.
    if answers.is_none_or(|a| a.seal_mark) {
        let mark = text::shape(c.fonts, &spec.seal_mark, style.size)
            .map_err(missing("layout.checker.seal_mark"))?;
        let mstyle = Style {
            align: Align::Center,
            ..*style
        };
        c.place_line(mark, &mstyle, seal.x, line_top, seal);
    }
    if let Some(image) = seal_image {
        c.push(Element::Image {
            rect: image.place_in(seal),
            data: image.data.clone(),
        });
    }
    let page = c.page_number();
    c.y = line_top;
    c.place_lines(lines, &line_style, content.x, text_w);
    if c.page_number() == page {
        c.y = c.y.max(seal.bottom());
    }
    Ok(())
}
