//! The 「2 確認事項」 table: every cell broken to its column ([`cells`]) on the columns'
//! [`geometry`], then flowed over pages: rows move on whole or split, the header row repeats on
//! every page, the ruled lines ([`rules`]) box each fragment. The summary's table
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
use crate::layout::flow::{Composer, Style};
use crate::rules::Resolved;
use crate::spec::form::FormSpec;

/// The table with every cell broken to its column, ready to flow over pages.
pub(crate) struct Table {
    rule_width: f32,
    grid: Grid,
    header: RowCells,
    header_h: f32,
    header_styles: Vec<Style>,
    styles: Vec<Style>,
    /// Each row's cells and how many lines high it is.
    rows: Vec<(RowCells, usize)>,
}

impl Table {
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
            rows,
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
        rows: Vec<(RowCells, usize)>,
        rule_width: f32,
    ) -> Table {
        Table {
            rule_width,
            header_h: grid.height(header.lines()),
            header,
            header_styles,
            styles,
            rows,
            grid,
        }
    }

    /// Lines of a row fragment that fit on a page of height `page_h` below the header row.
    fn fresh_fit(&self, page_h: f32) -> usize {
        ((page_h - self.header_h - 2.0 * self.grid.pad) / self.grid.lh).floor() as usize
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
        let first = self
            .rows
            .first()
            .map_or(0, |&(_, n)| self.first_piece(n, page_h));
        self.header_h + first as f32 * self.grid.lh + 2.0 * self.grid.pad
    }

    /// The header row at the cursor, marked on the page as its table header.
    fn draw_header(&self, c: &mut Composer) {
        let top = c.y;
        let (left, right) = self.grid.span();
        let rect = Rect::new(left, top, right - left, self.header_h);
        self.draw_fragment(
            c,
            &mut self.header.clone(),
            0..usize::MAX,
            top,
            self.header_h,
            true,
        );
        c.page_mut().table_header = Some(rect);
        c.y = top + self.header_h;
    }

    /// Draws `lines` of each cell of `row` as one bordered fragment at `top`, `h` high.
    fn draw_fragment(
        &self,
        c: &mut Composer,
        row: &mut RowCells,
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
        cells::fill_fragment(c, &self.grid, styles, row, lines, top, h);
    }

    /// Places the table from the cursor, moving or splitting rows at page ends and repeating the
    /// header row on every page.
    pub(crate) fn place(mut self, c: &mut Composer) {
        c.ensure(self.lead_height(c.content().h));
        self.draw_header(c);
        for (mut cells, total_lines) in std::mem::take(&mut self.rows) {
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
                    self.draw_header(c);
                    fresh = true;
                    continue;
                } else {
                    fit.max(1)
                };
                let top = c.y;
                let h = self.grid.height(lines_here);
                self.draw_fragment(c, &mut cells, done..done + lines_here, top, h, false);
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
