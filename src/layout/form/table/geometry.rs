//! The table's geometry: where the columns stand, the cell padding and the line height, and the
//! heights of header and row fragments made of them.

use crate::geometry::{Rect, MM, TOLERANCE};
use crate::spec::form::ItemsSpec;

/// The columns of the 「2 確認事項」 table and the measures every row shares.
pub(super) struct Grid {
    /// Left edge of each column, then the right edge of the last.
    pub(super) edges: Vec<f32>,
    pub(super) pad: f32,
    /// Baseline to baseline.
    pub(super) lh: f32,
}

impl Grid {
    pub(super) fn new(spec: &ItemsSpec, x0: f32, lh: f32) -> Grid {
        let mut edges = vec![x0];
        for col in &spec.columns {
            edges.push(edges[edges.len() - 1] + col.width_mm * MM);
        }
        Grid {
            edges,
            pad: spec.cell_padding_mm * MM,
            lh,
        }
    }

    /// The width text has in column `i`.
    pub(super) fn inner(&self, i: usize) -> f32 {
        self.edges[i + 1] - self.edges[i] - 2.0 * self.pad
    }

    /// The text box of column `i` in a fragment at `top`, `h` high.
    pub(super) fn cell(&self, i: usize, top: f32, h: f32) -> Rect {
        Rect::new(self.edges[i] + self.pad, top, self.inner(i), h)
    }

    /// The whole width, left edge to right edge.
    pub(super) fn span(&self) -> (f32, f32) {
        (self.edges[0], self.edges[self.edges.len() - 1])
    }

    /// The height of a fragment of `lines` lines.
    pub(super) fn height(&self, lines: usize) -> f32 {
        lines as f32 * self.lh + 2.0 * self.pad
    }

    /// How many lines of a fragment fit in `room`, with the tolerance the page flow allows, so that
    /// what was made room for is found to fit.
    pub(super) fn lines_in(&self, room: f32) -> usize {
        ((room + TOLERANCE - 2.0 * self.pad) / self.lh)
            .floor()
            .max(0.0) as usize
    }
}
