//! The 別記様式 laid out on A4 pages: 「1 確認対象者」, the 【留意事項】, the 「2 確認事項」 table that
//! flows across pages with its header row repeated, 確認年月日, the 確認者 line with 印, and the
//! closing note. Every word of the form and every measure comes from the [`FormSpec`].
//!
//! Nothing that introduces something ends a page without it: a heading keeps the first line of its
//! text, 「2 確認事項」 and the header row keep the start of row 1, 確認年月日 keeps the 確認者 line.

use crate::error::{Error, Problem};
use crate::fonts::FontSet;
use crate::layout::document::{Document, Element, Rect};
use crate::layout::flow::{Align, Composer, Style};
mod row_texts;

use crate::geometry::MM;
use crate::layout::text::{self, Line, MissingGlyph};
use crate::model::seal::SealImage;
use crate::rules::Resolved;
use crate::spec::form::{ColumnKey, FormSpec, ItemsSpec, TargetKey};
use row_texts::RowTextKey;
pub(crate) use row_texts::RowTexts;

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
    move |MissingGlyph(c, selector)| Error::Invalid(vec![Problem::missing_glyph(path, c, selector)])
}

/// Lays out the form.
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

    // 2 確認事項: the heading goes where the header row and the start of row 1 fit below it.
    let heading_lines = text::break_lines(fonts, &form.items.heading, heading.size, w, w)
        .map_err(missing("layout.items.heading"))?;
    let table = Table::new(fonts, form, row_texts, answers, x)?;
    c.ensure(
        heading_lines.len() as f32 * heading.line_height()
            + gaps.after_heading * MM
            + table.lead_height(content.h),
    );
    c.place_lines(heading_lines, &heading, x, w);
    c.skip(gaps.after_heading * MM);
    table.place(&mut c);
    c.skip(gaps.between_sections * MM);

    // 確認年月日, 確認者 and 印: one block, never parted at a page end.
    let checked_on = answers.map(|a| a.checked_on.clone()).unwrap_or_default();
    let (date_lines, date_style) =
        labelled_lines(fonts, &form.checked_on.label, &checked_on, &body, w)
            .map_err(missing("checked_on"))?;
    let checker = Checker::new(fonts, form, answers, &body, content)?;
    c.ensure(
        date_lines.len() as f32 * body.line_height() + gaps.after_heading * MM + checker.height,
    );
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
    let indented = Style {
        first_indent: style.size,
        rest_indent: style.size,
        ..*style
    };
    let heading_lines =
        text::break_lines(c.fonts, heading, style.size, w, w).map_err(missing("layout.notes"))?;
    let first_line = usize::from(!paragraphs.is_empty());
    c.ensure((heading_lines.len() + first_line) as f32 * style.line_height());
    c.place_lines(heading_lines, style, x, w);
    for p in paragraphs {
        c.paragraph(p, &indented, x, w)
            .map_err(missing("layout.notes"))?;
    }
    Ok(())
}

/// The answers to one table row, as printed.
struct RowCells {
    cells: [Vec<Line>; 4],
}

/// The 「2 確認事項」 table with every cell broken to its column, ready to flow over pages.
struct Table<'f> {
    spec: &'f ItemsSpec,
    /// Left edge of each column, then the right edge of the last.
    edges: Vec<f32>,
    pad: f32,
    lh: f32,
    header: RowCells,
    header_h: f32,
    header_styles: [Style; 4],
    styles: [Style; 4],
    /// Each row's cells and how many lines high it is.
    rows: Vec<(RowCells, usize)>,
}

impl<'f> Table<'f> {
    fn new(
        fonts: &FontSet,
        form: &'f FormSpec,
        row_texts: &RowTexts,
        answers: Option<&Resolved>,
        x0: f32,
    ) -> Result<Self, Error> {
        let spec = &form.items;
        let size = form.font_size.table;
        let style = Style::plain(size, form.leading);
        let lh = style.line_height();
        let pad = spec.cell_padding_mm * MM;
        let mut edges = vec![x0];
        for col in &spec.columns {
            edges.push(edges[edges.len() - 1] + col.width_mm * MM);
        }
        let inner = |i: usize| edges[i + 1] - edges[i] - 2.0 * pad;
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
        let col_style = |i: usize| Style {
            align: spec.columns[i].align,
            ..style
        };

        let item_col = spec.columns.iter().position(|c| c.key == ColumnKey::Item);
        let computed;
        let row_texts: Option<&[Vec<Line>]> = match item_col {
            Some(i) => {
                let (bits, width) = (size.to_bits(), inner(i).to_bits());
                let texts = spec.rows.iter().map(|r| r.text.as_str());
                match row_texts.get(bits, width, texts) {
                    Some(lines) => Some(lines),
                    None => {
                        let key = RowTextKey {
                            size: bits,
                            width,
                            texts: spec.rows.iter().map(|r| r.text.clone()).collect(),
                        };
                        let lines = spec
                            .rows
                            .iter()
                            .map(|row| wrap(&row.text, i, "layout.items.rows"))
                            .collect::<Result<Vec<_>, _>>()?;
                        // Kept only when drawn with the bundled font alone, which every font set
                        // has (a fallback face's index means nothing to another font set).
                        let bundled = lines
                            .iter()
                            .flatten()
                            .all(|l| l.glyphs.iter().all(|g| g.choice.face == 0));
                        if bundled {
                            row_texts.keep(key, lines.clone());
                        }
                        computed = lines;
                        Some(&computed)
                    }
                }
            }
            None => None,
        };

        let mut rows = Vec::with_capacity(spec.rows.len());
        for (k, row) in spec.rows.iter().enumerate() {
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
                    ColumnKey::Item => match row_texts {
                        Some(lines) => Ok(lines[k].clone()),
                        None => wrap(&row.text, i, "layout.items.rows"),
                    },
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
            rows.push((cells, total_lines));
        }
        Ok(Table {
            spec,
            edges,
            pad,
            lh,
            header,
            header_h,
            header_styles: [center; 4],
            styles: [col_style(0), col_style(1), col_style(2), col_style(3)],
            rows,
        })
    }

    /// Lines of a row fragment that fit on a page of height `page_h` below the header row.
    fn fresh_fit(&self, page_h: f32) -> usize {
        ((page_h - self.header_h - 2.0 * self.pad) / self.lh).floor() as usize
    }

    /// The fewest lines of a `total_lines` row that [`Table::place`] puts below the header row
    /// rather than moving the row on: the whole row when it fits on a fresh page, else the three
    /// lines of the smallest fragment it splits into.
    fn first_piece(&self, total_lines: usize, page_h: f32) -> usize {
        if total_lines <= self.fresh_fit(page_h) {
            total_lines
        } else {
            total_lines.min(3)
        }
    }

    /// What must fit where the table starts: the header row and the first piece of row 1, so that
    /// the header row is never left alone at the foot of a page.
    fn lead_height(&self, page_h: f32) -> f32 {
        let first = self
            .rows
            .first()
            .map_or(0, |&(_, n)| self.first_piece(n, page_h));
        self.header_h + first as f32 * self.lh + 2.0 * self.pad
    }

    fn draw_header(&self, c: &mut Composer) {
        let top = c.y;
        let x0 = self.edges[0];
        let rect = Rect::new(x0, top, self.edges[4] - x0, self.header_h);
        draw_fragment(
            c,
            &self.edges,
            self.pad,
            top,
            self.header_h,
            self.header_styles,
            &self.header,
            0..usize::MAX,
            self.lh,
            self.spec.rule_width,
            true,
        );
        c.page_mut().table_header = Some(rect);
        c.y = top + self.header_h;
    }

    /// Places the table from the cursor, moving or splitting rows at page ends and repeating the
    /// header row on every page.
    fn place(&self, c: &mut Composer) {
        let (pad, lh) = (self.pad, self.lh);
        c.ensure(self.lead_height(c.content().h));
        self.draw_header(c);
        for (cells, total_lines) in &self.rows {
            let total_lines = *total_lines;
            let mut done = 0;
            // True right after a page break: whatever happens, something of the row goes here, so
            // that a row can never push the table onto page after page.
            let mut fresh = false;
            loop {
                let remaining_lines = total_lines - done;
                // With the tolerance `Composer::ensure` allows, so that what `lead_height` made
                // room for is found to fit.
                let fit = ((c.remaining() + 0.01 - 2.0 * pad) / lh).floor().max(0.0) as usize;
                let fresh_fit = self.fresh_fit(c.content().h);
                // Move a row that fits on a page to the next page whole; split only rows taller
                // than a page, and never leave a fragment of fewer than three lines at the bottom
                // (`first_piece` says the same for row 1).
                let lines_here = if remaining_lines <= fit {
                    remaining_lines
                } else if !fresh && (remaining_lines <= fresh_fit || fit < 3) {
                    c.new_page();
                    self.draw_header(c);
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
                    &self.edges,
                    pad,
                    top,
                    h,
                    self.styles,
                    cells,
                    lines,
                    lh,
                    self.spec.rule_width,
                    false,
                );
                c.y = top + h;
                done += lines_here;
                if done >= total_lines {
                    break;
                }
                c.new_page();
                self.draw_header(c);
                fresh = true;
            }
        }
    }
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

/// 確認者（…）：the checker's fields, broken between fields only, with the seal box (印, and the
/// seal image over it) at the right end.
struct Checker {
    lines: Vec<Line>,
    style: Style,
    text_w: f32,
    /// The seal box's side.
    boxw: f32,
    /// The whole block's height, which stays on one page.
    height: f32,
}

impl Checker {
    fn new(
        fonts: &FontSet,
        form: &FormSpec,
        answers: Option<&Resolved>,
        style: &Style,
        content: Rect,
    ) -> Result<Checker, Error> {
        let spec = &form.checker;
        let boxw = spec.seal_box_mm * MM;
        let fields: Vec<&str> = answers.map_or(Vec::new(), |a| {
            a.checker.iter().map(String::as_str).collect()
        });
        let text_w = content.w - boxw - style.size;
        let style = hanging(fonts, &spec.label, style, text_w);
        let lines = text::break_fields(
            fonts,
            &spec.label,
            &fields,
            &spec.separator,
            style.size,
            text_w,
            text_w - style.rest_indent,
        )
        .map_err(missing("checker"))?;
        let lh = style.line_height();
        let height = boxw.max((boxw - lh) / 2.0 + lines.len() as f32 * lh);
        Ok(Checker {
            lines,
            style,
            text_w,
            boxw,
            height,
        })
    }

    fn place(
        self,
        c: &mut Composer,
        form: &FormSpec,
        answers: Option<&Resolved>,
        seal_image: Option<&SealImage>,
    ) -> Result<(), Error> {
        let content = c.content();
        let spec = &form.checker;
        let style = self.style;
        // The first line runs through the middle of the seal box, so 印 sits at the end of that
        // line and a seal image centred on 印 stays inside the box; the whole block stays on one
        // page so that 印 is never parted from its line.
        let offset = (self.boxw - style.line_height()) / 2.0;
        c.ensure(self.height);
        let top = c.y;
        let line_top = top + offset;
        let seal = Rect::new(content.right() - self.boxw, top, self.boxw, self.boxw);
        // 印 and the seal go on first: on this page, beside the first line, even if the lines go on.
        if answers.is_none_or(|a| a.seal_mark) {
            let mark = text::shape(c.fonts, &spec.seal_mark, style.size)
                .map_err(missing("layout.checker.seal_mark"))?;
            let mstyle = Style {
                align: Align::Center,
                ..style
            };
            c.place_line(mark, &mstyle, seal.x, line_top, seal);
        }
        if let Some(image) = seal_image {
            c.push(Element::Image {
                rect: image.place_in(seal),
                image: image.clone(),
            });
        }
        let page = c.page_number();
        c.y = line_top;
        c.place_lines(self.lines, &style, content.x, self.text_w);
        if c.page_number() == page {
            c.y = c.y.max(seal.bottom());
        }
        Ok(())
    }
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
            .position(|c| c.key == ColumnKey::Item)
            .expect("item column");
        narrow.items.columns[item].width_mm /= 2.0;
        let narrowed = texts(&narrow);
        assert!(
            narrowed.len() > before.len(),
            "a narrower column breaks into more lines"
        );
    }
}
