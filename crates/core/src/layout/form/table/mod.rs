//! The 「2 確認事項」 table: every cell broken to its column ([`cells`]) on the columns'
//! [`geometry`], then flowed over pages: rows move on whole or split (the part on the next page
//! shows the row's number again with the layout's continued mark under it), the header row repeats
//! on every page, the ruled lines ([`rules`]) box each fragment. The summary's table
//! (`layout/summary.rs`) is flowed by the same [`Table`], from cells it breaks itself.

mod cells;
mod geometry;
mod rules;

pub(crate) use cells::RowCells;
use cells::Wrap;
pub(crate) use geometry::Grid;

use super::RowTexts;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::geometry::{Align, Rect};
use crate::layout::document::{Role, Tag};
use crate::layout::flow::{Composer, Style};
use crate::layout::text;
use crate::rules::Resolved;
use crate::spec::form::{ColumnKey, FormSpec};

/// How many lines of the detail column a page of the table holds, for measuring a detail without
/// laying out the form (`check`'s warning of a detail that alone fills pages).
pub(crate) struct DetailMeasure<'f> {
    fonts: &'f FontSet,
    size: f32,
    width: f32,
    /// Lines of a row fragment on a page of its own, below the header row.
    per_page: usize,
}

impl<'f> DetailMeasure<'f> {
    /// `None` when the layout has no detail column.
    pub(crate) fn new(fonts: &'f FontSet, form: &FormSpec) -> Result<Option<Self>, Error> {
        let spec = &form.items;
        let Some(detail) = spec.columns.iter().position(|c| c.key == ColumnKey::Detail) else {
            return Ok(None);
        };
        let size = form.font_size.table;
        let grid = Grid::new(spec, 0.0, Style::plain(size, form.leading).line_height());
        let wrap = Wrap {
            fonts,
            grid: &grid,
            size,
        };
        let header_h = grid.height(cells::header(&wrap, spec)?.lines());
        let page_h = form.page.content().h;
        let per_page = grid.lines_below_header(page_h, header_h).max(1);
        Ok(Some(DetailMeasure {
            fonts,
            size,
            width: grid.inner(detail),
            per_page,
        }))
    }

    /// Lines of a row fragment on a page of its own.
    pub(crate) fn lines_per_page(&self) -> usize {
        self.per_page
    }

    /// How many lines `detail` takes in its cell, when that is more than `limit`; `None` when it
    /// is not (or a character has no glyph: `check` reports that already). A text of fewer
    /// characters than `limit` cannot fill `limit` lines (a line holds at least one character, or
    /// ends at a line feed, one too) and is not broken at all, so the check stays cheap.
    pub(crate) fn lines_over(&self, detail: &str, limit: usize) -> Option<usize> {
        if detail.chars().count() < limit {
            return None;
        }
        let lines = text::break_lines(self.fonts, detail, self.size, self.width, self.width)
            .ok()?
            .len();
        (lines > limit).then_some(lines)
    }
}

/// Rows of a table, each with how many lines high it is, made as they are placed: a long table
/// (the summary's, a row per entity) is never held whole, its lines going onto pages as made.
pub(crate) type Rows<'r> = Box<dyn Iterator<Item = (RowCells, usize)> + 'r>;

/// The table with every cell broken to its column, ready to flow over pages.
pub(crate) struct Table<'r> {
    rule_width: f32,
    grid: Grid,
    header: RowCells,
    header_h: f32,
    header_styles: Vec<Style>,
    styles: Vec<Style>,
    /// How many lines high the first row is (`None`: no rows).
    first_lines: Option<usize>,
    /// Each row's cells and how many lines high it is, the first one included.
    rows: std::iter::Peekable<Rows<'r>>,
}

impl<'r> Table<'r> {
    pub(super) fn new(
        fonts: &FontSet,
        form: &FormSpec,
        row_texts: &RowTexts,
        answers: Option<&Resolved>,
        x0: f32,
    ) -> Result<Self, Error> {
        let spec = &form.items;
        let size = form.font_size.table;
        let style = Style::plain(size, form.leading);
        let grid = Grid::new(spec, x0, style.line_height());
        let wrap = Wrap {
            fonts,
            grid: &grid,
            size,
        };
        let header = cells::header(&wrap, spec)?;
        let rows = cells::rows(&wrap, spec, row_texts, answers)?;
        let center = Style {
            align: Align::Center,
            ..style
        };
        let styles = spec
            .columns
            .iter()
            .map(|c| Style {
                align: c.align,
                ..style
            })
            .collect();
        Ok(Table::from_cells(
            grid,
            header,
            vec![center; spec.columns.len()],
            styles,
            Box::new(rows.into_iter()),
            spec.rule_width,
        ))
    }

    /// A table of cells already broken to the columns of `grid`: the header row, then each row
    /// with how many lines high it is; a style per column for each.
    pub(crate) fn from_cells(
        grid: Grid,
        header: RowCells,
        header_styles: Vec<Style>,
        styles: Vec<Style>,
        rows: Rows<'r>,
        rule_width: f32,
    ) -> Table<'r> {
        let mut rows = rows.peekable();
        Table {
            rule_width,
            header_h: grid.height(header.lines()),
            header,
            header_styles,
            styles,
            first_lines: rows.peek().map(|&(_, n)| n),
            rows,
            grid,
        }
    }

    /// Lines of a row fragment that fit on a page of height `page_h` below the header row.
    fn fresh_fit(&self, page_h: f32) -> usize {
        self.grid.lines_below_header(page_h, self.header_h)
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
    pub(crate) fn lead_height(&self, page_h: f32) -> f32 {
        let first = self.first_lines.map_or(0, |n| self.first_piece(n, page_h));
        self.header_h + first as f32 * self.grid.lh + 2.0 * self.grid.pad
    }

    /// The header row at the cursor, marked on the page as its table header; `tags` are its cells'
    /// (the first time) or [`Tag::Pagination`] (a repeat on a later page, which a reader skips).
    fn draw_header(&self, c: &mut Composer, tags: &[Tag]) {
        let top = c.y;
        let (left, right) = self.grid.span();
        let rect = Rect::new(left, top, right - left, self.header_h);
        self.draw_fragment(
            c,
            &mut self.header.clone(),
            tags,
            0..usize::MAX,
            top,
            self.header_h,
            true,
        );
        c.page_mut().table_header = Some(rect);
        c.y = top + self.header_h;
    }

    /// Draws `lines` of each cell of `row` as one bordered fragment at `top`, `h` high.
    #[expect(
        clippy::too_many_arguments,
        reason = "a fragment is all of these; a struct would only rename them"
    )]
    fn draw_fragment(
        &self,
        c: &mut Composer,
        row: &mut RowCells,
        tags: &[Tag],
        lines: std::ops::Range<usize>,
        top: f32,
        h: f32,
        header: bool,
    ) {
        rules::rule_fragment(c, &self.grid, top, h, self.rule_width, header);
        let styles = if header {
            &self.header_styles
        } else {
            &self.styles
        };
        cells::fill_fragment(c, &self.grid, styles, row, tags, lines, top, h);
    }

    /// Places the table from the cursor, moving or splitting rows at page ends and repeating the
    /// header row on every page.
    pub(crate) fn place(mut self, c: &mut Composer) {
        c.ensure(self.lead_height(c.content().h));
        // The structure: a Table, its header row once (TH) and a row of cells (TD) per row, each
        // cell whole however its row is split over pages.
        let columns = self.styles.len();
        let table = c.node(None, Role::Table);
        let cells_of = |c: &mut Composer, role: Role| {
            let row = c.node(Some(table), Role::Row);
            (0..columns)
                .map(|_| Tag::Node(c.node(Some(row), role.clone())))
                .collect::<Vec<_>>()
        };
        let header = cells_of(c, Role::HeaderCell);
        self.draw_header(c, &header);
        let repeat = vec![Tag::Pagination; columns];
        let rows = std::mem::replace(
            &mut self.rows,
            (Box::new(std::iter::empty()) as Rows).peekable(),
        );
        for (mut cells, total_lines) in rows {
            let tags = cells_of(c, Role::Cell);
            let mut done = 0;
            // True right after a page break: whatever happens, something of the row goes here, so
            // that a row can never push the table onto page after page.
            let mut fresh = false;
            loop {
                let remaining_lines = total_lines - done;
                let fit = self.grid.lines_in(c.remaining());
                let fresh_fit = self.fresh_fit(c.content().h);
                // Move a row that fits on a page to the next page whole; split only rows taller
                // than a page, and never leave a fragment of fewer than three lines at the bottom
                // (`first_piece` says the same for row 1).
                let lines_here = if remaining_lines <= fit {
                    remaining_lines
                } else if !fresh && (remaining_lines <= fresh_fit || fit < 3) {
                    c.new_page();
                    self.draw_header(c, &repeat);
                    fresh = true;
                    continue;
                } else {
                    fit.max(1)
                };
                let top = c.y;
                // A continued fragment (on a fresh page: room enough) is at least as high as the
                // number and its continued mark.
                let h = match done {
                    0 => self.grid.height(lines_here),
                    _ => self.grid.height(lines_here.max(cells.continued_lines())),
                };
                self.draw_fragment(c, &mut cells, &tags, done..done + lines_here, top, h, false);
                c.y = top + h;
                done += lines_here;
                if done >= total_lines {
                    break;
                }
                c.new_page();
                self.draw_header(c, &repeat);
                fresh = true;
            }
        }
    }
}
