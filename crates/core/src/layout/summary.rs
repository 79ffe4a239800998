//! The summary's PDF laid out (`secform summary -o 一覧.pdf`): secform's own title with the 元請's
//! name, a legend, the table of every entity — 区分, 事業者名, 確認年月日, a mark per row of the form,
//! 未実施の数, 状態 — flowing across pages with its header row repeated (the form's own [`Table`]),
//! then every 未実施 with its reason and every 要確認 entity with its problems, and a page number
//! under each page. Sizes, margins and column widths are `layouts/summary.json`'s `page`.
//!
//! Each cell's lines are made in one place: [`header_cells`], [`row_cells`] and [`notes`].

use crate::error::Error;
use crate::fonts::FontSet;
use crate::geometry::MM;
use crate::layout::document::{Document, Element, Page, Role, Tag};
use crate::layout::flow::{footer_box, text_item, Align, Composer, PageSink, Style};
use crate::layout::form::table::{Grid, RowCells, Table};
use crate::layout::text::{self, Line as TextLine, MissingGlyph};
use crate::model::summary::{latest_date, Line};
use crate::spec::summary::{row_numbers, wording, PageStyle, Wording};
use crate::spec::{FormSpec, DEFAULT_LAYOUT};

/// Lays out the overview of `lines` (元請 first, as [`crate::summary::ordered`] gives them), every
/// page held in the document returned.
pub(crate) fn layout(lines: &[Line], fonts: &FontSet) -> Result<Document, Error> {
    let mut doc = compose(lines, fonts, None)?;
    let pages = doc.pages.len();
    let fit = Fit {
        fonts,
        mark: wording(),
    };
    for (n, page) in doc.pages.iter_mut().enumerate() {
        number_page(page, n + 1, pages, &fit);
    }
    Ok(doc)
}

/// Counts the overview's pages: a layout whose pages are dropped as they are made. Gives the
/// document without its pages (title, date, page size, structure) and the count.
pub(crate) fn count_pages(lines: &[Line], fonts: &FontSet) -> Result<(Document, usize), Error> {
    let mut pages = 0;
    let doc = compose(lines, fonts, Some(Box::new(|_| pages += 1)))?;
    Ok((doc, pages))
}

/// Lays out the overview as [`layout`] does, but hands each page, numbered 「N / `pages`」, to
/// `sink` once it is full and keeps none: 10,000 entities are some 450 pages, which the painter
/// takes as they come. `pages` is [`count_pages`]'s. The document returned has the structure and
/// no pages.
pub(crate) fn layout_streamed(
    lines: &[Line],
    fonts: &FontSet,
    pages: usize,
    mut sink: impl FnMut(Page),
) -> Result<Document, Error> {
    let fit = Fit {
        fonts,
        mark: wording(),
    };
    let mut n = 0;
    let numbered = Box::new(|mut page: Page| {
        n += 1;
        number_page(&mut page, n, pages, &fit);
        sink(page);
    });
    compose(lines, fonts, Some(numbered))
}

/// Lays out the overview; each page goes to `sink` when there is one (see
/// [`Composer::stream_pages`]). No page numbers yet.
fn compose<'f>(
    lines: &[Line],
    fonts: &'f FontSet,
    sink: Option<PageSink<'f>>,
) -> Result<Document, Error> {
    let w = wording();
    let s = &w.page;
    let form = FormSpec::get(DEFAULT_LAYOUT)?;
    let rows = row_numbers(lines)?;
    let contractor = lines.iter().find(|l| !l.subcontractor);
    let title = match contractor {
        Some(c) => w
            .document_title
            .replace("{title}", &w.title)
            .replace("{company}", &c.company),
        None => w.title.clone(),
    };
    let (page_w, page_h) = s.size.size();
    let content = s.size.content();
    let date = latest_date(lines).unwrap_or(form.issued);
    let mut c = Composer::new(fonts, title, date, page_w, page_h, content);
    if let Some(sink) = sink {
        c.stream_pages(sink);
    }
    let (x, width) = (content.x, content.w);
    let center = |size: f32| Style {
        align: Align::Center,
        ..Style::plain(size, s.leading)
    };
    let fit = Fit { fonts, mark: w };
    let size = s.font_size;
    // The structure: the title H1, the 元請's line and the legend paragraphs, the table, then each
    // part of the notes an H2 with a paragraph per entity and a list of its rows or problems.
    let heading = |level, title: &str| Role::Heading {
        level,
        title: title.to_string(),
    };
    c.begin(None, heading(1, &w.title));
    c.place_lines(
        fit.lines(&w.title, size.title, width, width),
        &center(size.title),
        x,
        width,
    );
    if let Some(l) = contractor {
        let line = w.contractor_line.replace("{company}", &l.company);
        let lines = fit.lines(&line, size.subtitle, width, width);
        c.begin(None, Role::Paragraph);
        c.place_lines(lines, &center(size.subtitle), x, width);
    }
    c.skip(s.gap_mm.after_title * MM);
    let note = Style::plain(size.note, s.leading);
    c.begin(None, Role::Paragraph);
    c.place_lines(
        fit.lines(&w.legend, size.note, width, width),
        &note,
        x,
        width,
    );
    c.skip(s.gap_mm.after_legend * MM);

    let table = table(&fit, s, &rows, lines, x);
    table.place(&mut c);
    c.skip(s.gap_mm.after_table * MM);
    notes(&mut c, &fit, s, lines);
    Ok(c.finish())
}

/// Breaks text to a width, drawing a character no font has as [`Wording::missing_glyph`]: the
/// overview lists what `check` refused, and a problem may name exactly such a character.
struct Fit<'a> {
    fonts: &'a FontSet,
    mark: &'a Wording,
}

impl Fit<'_> {
    fn lines(&self, text: &str, size: f32, first: f32, rest: f32) -> Vec<TextLine> {
        let mut text = text.to_string();
        loop {
            let (ch, selector) = match text::break_lines(self.fonts, &text, size, first, rest) {
                Ok(lines) => return lines,
                Err(MissingGlyph(ch, selector)) => (ch, selector),
            };
            let seq: String = std::iter::once(ch).chain(selector).collect();
            let mark = &self.mark.missing_glyph;
            // Should the mark itself be missing, what cannot be drawn is left out.
            let next = text.replace(&seq, if mark.contains(ch) { "" } else { mark });
            if next == text {
                return Vec::new();
            }
            text = next;
        }
    }
}

/// The table: the columns of `layouts/summary.json`, a row per entity.
fn table<'a>(
    fit: &'a Fit,
    s: &'a PageStyle,
    rows: &'a [u32],
    lines: &'a [Line],
    x: f32,
) -> Table<'a> {
    let cw = s.column_width_mm;
    let mut widths = vec![cw.kind, cw.company, cw.checked_on];
    widths.extend(rows.iter().map(|_| cw.row));
    widths.extend([cw.not_done_count, cw.state]);
    let style = Style::plain(s.font_size.table, s.leading);
    let grid = Grid::with_widths(widths, s.cell_padding_mm, x, style.line_height());
    let aligned = |align| Style { align, ..style };
    let mut styles = vec![aligned(Align::Left); 3];
    styles.extend(rows.iter().map(|_| aligned(Align::Center)));
    styles.extend([aligned(Align::Right), aligned(Align::Center)]);
    let header = header_cells(fit, &grid, s, rows);
    let cell_grid = grid.clone();
    let body = lines.iter().map(move |l| {
        let cells = row_cells(fit, &cell_grid, s, rows, l);
        let n = cells.lines();
        (cells, n)
    });
    let header_styles = vec![aligned(Align::Center); styles.len()];
    Table::from_cells(
        grid,
        header,
        header_styles,
        styles,
        Box::new(body),
        s.rule_width,
    )
}

/// `texts`, each broken to its column; an empty cell has no line at all (most cells of a long
/// overview are blank marks, and a drawn empty line is memory for nothing).
fn cells(fit: &Fit, grid: &Grid, size: f32, texts: &[String]) -> RowCells {
    RowCells {
        cells: texts
            .iter()
            .enumerate()
            .map(|(i, t)| match t.is_empty() {
                true => Vec::new(),
                false => fit.lines(t, size, grid.inner(i), grid.inner(i)),
            })
            .collect(),
        continued: None,
    }
}

/// The header row's cells: the column titles.
fn header_cells(fit: &Fit, grid: &Grid, s: &PageStyle, rows: &[u32]) -> RowCells {
    cells(fit, grid, s.font_size.table, &wording().table_titles(rows))
}

/// One entity's cells.
fn row_cells(fit: &Fit, grid: &Grid, s: &PageStyle, rows: &[u32], l: &Line) -> RowCells {
    cells(
        fit,
        grid,
        s.font_size.table,
        &wording().table_cells(l, rows),
    )
}

/// Below the table: 未実施の理由 (each entity, then its rows with their reasons) and 要確認の内容
/// (each entity that does not pass `check`, then its problems). An entity's name keeps its first
/// line with it; a heading keeps the first entity's name.
fn notes(c: &mut Composer, fit: &Fit, s: &PageStyle, lines: &[Line]) {
    let w = wording();
    let (x, width) = (c.content().x, c.content().w);
    let heading = Style::plain(s.font_size.heading, s.leading);
    let body = Style::plain(s.font_size.note, s.leading);
    let indent = s.note_indent_em * body.size;
    let reasons: Vec<(&Line, Vec<String>)> = lines
        .iter()
        .filter(|l| !l.not_done.is_empty())
        .map(|l| (l, w.reason_lines(l)))
        .collect();
    let problems: Vec<(&Line, Vec<String>)> = lines
        .iter()
        .filter(|l| l.needs_review())
        .map(|l| (l, l.problems.iter().map(|p| p.to_string()).collect()))
        .collect();
    for (title, entries) in [
        (&w.columns.reasons, reasons),
        (&w.columns.problems, problems),
    ] {
        if entries.is_empty() {
            continue;
        }
        let title_lines = fit.lines(title, heading.size, width, width);
        c.ensure(
            title_lines.len() as f32 * heading.line_height()
                + s.gap_mm.after_heading * MM
                + 2.0 * body.line_height(),
        );
        c.begin(
            None,
            Role::Heading {
                level: 2,
                title: title.clone(),
            },
        );
        c.place_lines(title_lines, &heading, x, width);
        c.skip(s.gap_mm.after_heading * MM);
        for (l, items) in entries {
            let name = fit.lines(&l.company, body.size, width, width);
            c.ensure((name.len() + 1) as f32 * body.line_height());
            c.begin(None, Role::Paragraph);
            c.place_lines(name, &body, x, width);
            let list = c.node(None, Role::List);
            for item in items {
                let li = c.node(Some(list), Role::ListItem);
                c.begin(Some(li), Role::ListBody);
                let w_in = width - indent;
                let hang = Style {
                    rest_indent: body.size,
                    ..body
                };
                let item_lines = fit.lines(&item, body.size, w_in, w_in - body.size);
                c.place_lines(item_lines, &hang, x + indent, w_in);
            }
            c.skip(s.gap_mm.between_entities * MM);
        }
        c.skip(s.gap_mm.after_table * MM);
    }
}

/// 「N / M」 (`n` of `pages`) centred under the text area of the page.
fn number_page(page: &mut Page, n: usize, pages: usize, fit: &Fit) {
    let s = &fit.mark.page;
    let (style, area) = footer_box(
        s.size.content(),
        s.font_size.footer,
        s.footer.offset_mm * MM,
    );
    let label = s
        .footer
        .text
        .replace("{page}", &n.to_string())
        .replace("{pages}", &pages.to_string());
    for line in fit.lines(&label, style.size, area.w, area.w) {
        let item = text_item(
            fit.fonts,
            line,
            &style,
            (area.x, area.y),
            area,
            Tag::Pagination,
        );
        page.elements.push(Element::Text(item));
    }
}
