//! The 別記様式 laid out on A4 pages: 「1 確認対象者」, the 【留意事項】, the 「2 確認事項」 table that
//! flows across pages with its header row repeated, 確認年月日, the 確認者 line with 印, and the
//! closing note. Every word of the form and every measure comes from the [`FormSpec`].
//!
//! Nothing that introduces something ends a page without it: a heading keeps the first line of its
//! text, 「2 確認事項」 and the header row keep the start of row 1, 確認年月日 keeps the 確認者 line,
//! and the closing 【留意事項】 goes with the 確認年月日 and 確認者 block: it never stands alone.

mod checker;
mod row_texts;
pub(crate) mod table;

use crate::error::{Error, Problem};
use crate::fonts::FontSet;
use crate::layout::document::{Document, Role};
use crate::layout::flow::{Align, Composer, Style};

use crate::geometry::MM;
use crate::layout::text::{self, Line, MissingGlyph};
use crate::model::seal::SealImage;
use crate::rules::Resolved;
use crate::spec::form::{FormSpec, TargetKey};
use checker::Checker;
pub(crate) use row_texts::RowTexts;
pub(crate) use table::DetailMeasure;
use table::Table;

/// What fills the form: resolved answers, or nothing at all for the blank form.
pub struct FormInput<'a> {
    pub answers: Option<&'a Resolved>,
    /// The seal impression, already checked.
    pub seal: Option<SealImage>,
    /// The document date (確認年月日); `None` for a blank form.
    pub date: Option<chrono::NaiveDate>,
}

/// Turns a character the fonts lack into an error naming where it came from.
pub(super) fn missing(path: &str) -> impl Fn(MissingGlyph) -> Error + '_ {
    move |MissingGlyph(c, selector)| Error::Invalid(vec![Problem::missing_glyph(path, c, selector)])
}

/// Lays out the form.
///
/// Long on purpose: the form top to bottom, a section after another, each block sized before it is
/// placed so that nothing introducing something ends a page without it; the table and the
/// 確認者 line are their own modules.
pub(crate) fn layout(
    form: &FormSpec,
    fonts: &FontSet,
    row_texts: &RowTexts,
    input: &FormInput,
) -> Result<Document, Error> {
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
    let h = |level, title: &str| Role::Heading {
        level,
        title: title.to_string(),
    };
    c.begin(None, h(1, &form.title));
    c.paragraph(&form.title, &title, x, w)
        .map_err(missing("layout.title"))?;
    c.skip(gaps.after_title * MM);

    // 1 確認対象者: (1)–(4) a list.
    c.begin(None, h(2, &form.target.heading));
    c.paragraph(&form.target.heading, &heading, x, w)
        .map_err(missing("layout.target.heading"))?;
    c.skip(gaps.after_heading * MM);
    let indent = form.target.indent_mm * MM;
    let list = c.node(None, Role::List);
    for field in &form.target.fields {
        let item = c.node(Some(list), Role::ListItem);
        c.begin(Some(item), Role::ListBody);
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

    // 2 確認事項: the heading goes where the header row and the start of row 1 fit below it.
    let heading_lines = text::break_lines(fonts, &form.items.heading, heading.size, w, w)
        .map_err(missing("layout.items.heading"))?;
    let table = Table::new(fonts, form, row_texts, answers, x)?;
    c.ensure(
        heading_lines.len() as f32 * heading.line_height()
            + gaps.after_heading * MM
            + table.lead_height(content.h),
    );
    c.begin(None, h(2, &form.items.heading));
    c.place_lines(heading_lines, &heading, x, w);
    c.skip(gaps.after_heading * MM);
    table.place(&mut c);
    c.skip(gaps.between_sections * MM);

    // 確認年月日, 確認者 and 印: one block, never parted at a page end, and kept with the closing
    // 【留意事項】 after it, which would otherwise stand alone on the last page.
    let closing = notes_height(
        fonts,
        &form.closing_notes.heading,
        &form.closing_notes.paragraphs,
        &note,
        w,
    )?;
    let checked_on = answers.map(|a| a.checked_on.clone()).unwrap_or_default();
    let (date_lines, date_style) =
        labelled_lines(fonts, &form.checked_on.label, &checked_on, &body, w)
            .map_err(missing("checked_on"))?;
    let checker = Checker::new(fonts, form, answers, &body, content)?;
    c.ensure(
        date_lines.len() as f32 * body.line_height()
            + gaps.after_heading * MM
            + checker.height
            + gaps.between_sections * MM
            + closing,
    );
    c.begin(None, Role::Paragraph);
    c.place_lines(date_lines, &date_style, x, w);
    c.skip(gaps.after_heading * MM);
    checker.place(&mut c, form, answers, input.seal.as_ref())?;
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
pub(super) fn hanging(fonts: &FontSet, label: &str, style: &Style, w: f32) -> Style {
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

/// The indent of a 【留意事項】 paragraph: one character, first line and the rest.
fn note_paragraph(style: &Style) -> Style {
    Style {
        first_indent: style.size,
        rest_indent: style.size,
        ..*style
    }
}

/// The height of a whole 【留意事項】 block as [`notes`] lays it out.
fn notes_height(
    fonts: &FontSet,
    heading: &str,
    paragraphs: &[String],
    style: &Style,
    w: f32,
) -> Result<f32, Error> {
    let indented = note_paragraph(style);
    let mut lines = text::break_lines(fonts, heading, style.size, w, w)
        .map_err(missing("layout.notes"))?
        .len();
    for p in paragraphs {
        lines += text::break_lines(
            fonts,
            p,
            style.size,
            w - indented.first_indent,
            w - indented.rest_indent,
        )
        .map_err(missing("layout.notes"))?
        .len();
    }
    Ok(lines as f32 * style.line_height())
}

/// A 【留意事項】 block. The heading keeps the first line of its text with it: it never ends a page
/// with its text on the next.
fn notes(
    c: &mut Composer,
    heading: &str,
    paragraphs: &[String],
    style: &Style,
    x: f32,
    w: f32,
) -> Result<(), Error> {
    let indented = note_paragraph(style);
    let heading_lines =
        text::break_lines(c.fonts, heading, style.size, w, w).map_err(missing("layout.notes"))?;
    let first_line = usize::from(!paragraphs.is_empty());
    c.ensure((heading_lines.len() + first_line) as f32 * style.line_height());
    c.begin(None, Role::Paragraph);
    c.place_lines(heading_lines, style, x, w);
    for p in paragraphs {
        c.begin(None, Role::Paragraph);
        c.paragraph(p, &indented, x, w)
            .map_err(missing("layout.notes"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::document::Element;

    fn texts(form: &FormSpec) -> Vec<String> {
        let input = FormInput {
            answers: None,
            seal: None,
            date: None,
        };
        let doc =
            layout(form, &FontSet::bundled(), &RowTexts::default(), &input).expect("lays out");
        doc.pages
            .iter()
            .flat_map(|p| &p.elements)
            .filter_map(|e| match e {
                Element::Text(t) => Some(t.line.text.clone()),
                _ => None,
            })
            .collect()
    }

    /// Row texts are broken once per layout; a layout copied and changed, or changed in place,
    /// is laid out from what it says now, never from what was kept for the original.
    #[test]
    fn kept_row_lines_follow_the_layout_they_were_made_for() {
        let original = FormSpec::get("npa-2022").expect("layout");
        let before = texts(original);
        assert_eq!(texts(original), before, "kept lines give the same layout");

        let mut copy = original.clone();
        copy.items.rows[0].text = "差し替えた行".to_string();
        assert!(texts(&copy).contains(&"差し替えた行".to_string()));

        let mut narrow = original.clone();
        let _ = texts(&narrow); // keeps lines for the copy as it is
        let item = narrow
            .items
            .columns
            .iter()
            .position(|c| c.key == crate::spec::form::ColumnKey::Item)
            .expect("item column");
        narrow.items.columns[item].width_mm /= 2.0;
        let narrowed = texts(&narrow);
        assert!(
            narrowed.len() > before.len(),
            "a narrower column breaks into more lines"
        );
    }
}
