//! What the table's cells say: the header row's titles, each row's number and text (broken once
//! and kept, see [`RowTexts`]), its status and detail, every cell broken to its column.

use std::borrow::Cow;

use super::geometry::Grid;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::layout::document::Tag;
use crate::layout::flow::{Composer, Style};
use crate::layout::form::missing;
use crate::layout::form::row_texts::{RowTextKey, RowTexts};
use crate::layout::text::{self, Line};
use crate::rules::Resolved;
use crate::spec::form::{ColumnKey, ItemsSpec};

/// The lines of one table row, a cell per column, as printed.
#[derive(Clone)]
pub(crate) struct RowCells {
    pub(crate) cells: Vec<Vec<Line>>,
    /// Where the row goes on after a page break: the number column, and the lines of the
    /// continued mark printed under the number there (kept apart from the number's own lines, so
    /// that a reader of the layout can tell the mark from the number). `None` for the header row
    /// and for a table without the mark (the summary's).
    pub(crate) continued: Option<(usize, Vec<Line>)>,
}

impl RowCells {
    /// The most lines any of its cells has.
    pub(crate) fn lines(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(1)
    }

    /// The lines the number cell takes on a continued fragment: the number, then the mark.
    pub(super) fn continued_lines(&self) -> usize {
        self.continued
            .as_ref()
            .map_or(0, |(i, mark)| self.cells[*i].len() + mark.len())
    }
}

/// Breaks cell text to the width of its column.
pub(super) struct Wrap<'a> {
    pub(super) fonts: &'a FontSet,
    pub(super) grid: &'a Grid,
    pub(super) size: f32,
}

impl Wrap<'_> {
    fn lines(&self, text: &str, i: usize, path: &str) -> Result<Vec<Line>, Error> {
        let w = self.grid.inner(i);
        text::break_lines(self.fonts, text, self.size, w, w).map_err(|e| missing(path)(e))
    }
}

/// The header row: each column's title.
pub(super) fn header(wrap: &Wrap, spec: &ItemsSpec) -> Result<RowCells, Error> {
    let title = |i: usize| wrap.lines(&spec.columns[i].title, i, "layout.items.columns");
    Ok(RowCells {
        cells: vec![title(0)?, title(1)?, title(2)?, title(3)?],
        continued: None,
    })
}

/// Every row's cells and how many lines high it is (a blank form's rows keep room to write in).
pub(super) fn rows(
    wrap: &Wrap,
    spec: &ItemsSpec,
    row_texts: &RowTexts,
    answers: Option<&Resolved>,
) -> Result<Vec<(RowCells, usize)>, Error> {
    let kept = match spec.columns.iter().position(|c| c.key == ColumnKey::Item) {
        Some(i) => Some(row_text_lines(wrap, spec, row_texts, i)?),
        None => None,
    };
    let number_col = spec.columns.iter().position(|c| c.key == ColumnKey::Number);
    let continued = match number_col {
        Some(i) => Some((
            i,
            wrap.lines(&spec.continued_mark, i, "layout.items.continued_mark")?,
        )),
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
                ColumnKey::Number => wrap.lines(&number, i, "layout.items.rows"),
                ColumnKey::Item => match &kept {
                    Some(lines) => Ok(lines[k].clone()),
                    None => wrap.lines(&row.text, i, "layout.items.rows"),
                },
                ColumnKey::Status => wrap.lines(&status, i, &path),
                ColumnKey::Detail => wrap.lines(&detail, i, &path),
            }
        };
        let cells = RowCells {
            cells: vec![content(0)?, content(1)?, content(2)?, content(3)?],
            continued: continued.clone(),
        };
        let mut total_lines = cells.lines();
        if answers.is_none() {
            total_lines = total_lines.max(spec.blank_min_row_lines);
        }
        rows.push((cells, total_lines));
    }
    Ok(rows)
}

/// The row texts broken to column `i`: kept ones, or broken now (and kept for the next form when
/// the bundled font drew them all: a fallback face's index means nothing to another font set).
fn row_text_lines<'k>(
    wrap: &Wrap,
    spec: &ItemsSpec,
    row_texts: &'k RowTexts,
    i: usize,
) -> Result<Cow<'k, [Vec<Line>]>, Error> {
    let (bits, width) = (wrap.size.to_bits(), wrap.grid.inner(i).to_bits());
    let texts = spec.rows.iter().map(|r| r.text.as_str());
    if let Some(lines) = row_texts.get(bits, width, texts) {
        return Ok(Cow::Borrowed(lines));
    }
    let lines = spec
        .rows
        .iter()
        .map(|row| wrap.lines(&row.text, i, "layout.items.rows"))
        .collect::<Result<Vec<_>, _>>()?;
    let bundled = lines
        .iter()
        .flatten()
        .all(|l| l.glyphs.iter().all(|g| g.choice.face == 0));
    if bundled {
        let key = RowTextKey {
            size: bits,
            width,
            texts: spec.rows.iter().map(|r| r.text.clone()).collect(),
        };
        row_texts.keep(key, lines.clone());
    }
    Ok(Cow::Owned(lines))
}

/// Places `lines` of each cell of `row` in a fragment at `top`, `h` high, each cell's lines tagged
/// with its structure element (`tags`), moving them out of `row` (each line is placed once; a long
/// table is not held twice). A fragment that goes on with a row (`lines` not from its start) shows
/// the row's number again, with the continued mark under it: both for the page's sake
/// (artifacts), the number being the row's already; the number's lines are copied, not moved.
#[expect(
    clippy::too_many_arguments,
    reason = "a fragment is all of these; a struct would only rename them"
)]
pub(super) fn fill_fragment(
    c: &mut Composer,
    grid: &Grid,
    styles: &[Style],
    row: &mut RowCells,
    tags: &[Tag],
    lines: std::ops::Range<usize>,
    top: f32,
    h: f32,
) {
    let continued_column = row.continued.as_ref().map(|(n, _)| *n);
    for (i, cell_lines) in row.cells.iter_mut().enumerate() {
        c.tag = tags[i];
        let cell = grid.cell(i, top, h);
        if let Some((_, mark)) = row
            .continued
            .as_ref()
            .filter(|(n, _)| *n == i && lines.start > 0)
        {
            c.tag = Tag::Pagination;
            for (k, line) in cell_lines.iter().chain(mark).enumerate() {
                let line_top = top + grid.pad + k as f32 * grid.lh;
                c.place_line(line.clone(), &styles[i], cell.x, line_top, cell);
            }
            continue;
        }
        let end = lines.end.min(cell_lines.len());
        for (k, line) in cell_lines
            .iter_mut()
            .enumerate()
            .take(end)
            .skip(lines.start)
        {
            let line_top = top + grid.pad + (k - lines.start) as f32 * grid.lh;
            let line = if continued_column == Some(i) {
                line.clone() // printed again on the continuation
            } else {
                std::mem::replace(
                    line,
                    Line {
                        text: String::new(),
                        glyphs: Vec::new(),
                        width: 0.0,
                    },
                )
            };
            c.place_line(line, &styles[i], cell.x, line_top, cell);
        }
    }
}
