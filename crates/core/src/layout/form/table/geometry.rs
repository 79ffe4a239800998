//! The table's geometry: where the columns stand, the cell padding and the line height, and the
//! heights of header and row fragments made of them.

use crate::geometry::{Rect, MM, TOLERANCE};
use crate::spec::form::ItemsSpec;

/// The columns of a table (the form's 「2 確認事項」, the summary's) and the measures every row
/// shares.
#[derive(Clone)]
pub(crate) struct Grid {
    /// Left edge of each column, then the right edge of the last.
    pub(super) edges: Vec<f32>,
    pub(super) pad: f32,
    /// Baseline to baseline.
    pub(super) lh: f32,
}

impl Grid {
    pub(super) fn new(spec: &ItemsSpec, x0: f32, lh: f32) -> Grid {
        let widths = spec.columns.iter().map(|c| c.width_mm);
        Grid::with_widths(widths, spec.cell_padding_mm, x0, lh)
    }

    /// Columns of `widths_mm` side by side from `x0`, cells padded by `pad_mm`.
    pub(crate) fn with_widths(
        widths_mm: impl IntoIterator<Item = f32>,
        pad_mm: f32,
        x0: f32,
        lh: f32,
    ) -> Grid {
        let mut edges = vec![x0];
        for w in widths_mm {
            edges.push(edges[edges.len() - 1] + w * MM);
        }
        Grid {
            edges,
            pad: pad_mm * MM,
            lh,
        }
    }

    /// The width text has in column `i`.
    pub(crate) fn inner(&self, i: usize) -> f32 {
        self.edges[i + 1] - self.edges[i] - 2.0 * self.pad
    }

    /// The text box of column `i` in a fragment at `top`, `h` high.
    pub(crate) fn cell(&self, i: usize, top: f32, h: f32) -> Rect {
        Rect::new(self.edges[i] + self.pad, top, self.inner(i), h)
    }

    /// The whole width, left edge to right edge.
    pub(super) fn span(&self) -> (f32, f32) {
        (self.edges[0], self.edges[self.edges.len() - 1])
    }

    /// The height of a fragment of `lines` lines.
    pub(crate) fn height(&self, lines: usize) -> f32 {
        lines as f32 * self.lh + 2.0 * self.pad
    }

    /// How many lines of a fragment fit on a page of text height `page_h` below a header row
    /// `header_h` high: the most a row can put on a page of its own.
    pub(super) fn lines_below_header(&self, page_h: f32, header_h: f32) -> usize {
        ((page_h - header_h - 2.0 * self.pad) / self.lh)
            .floor()
            .max(0.0) as usize
    }

    /// How many lines of a fragment fit in `room`, with the tolerance the page flow allows, so that
    /// what was made room for is found to fit.
    pub(super) fn lines_in(&self, room: f32) -> usize {
        ((room + TOLERANCE - 2.0 * self.pad) / self.lh)
            .floor()
            .max(0.0) as usize
    }
}
