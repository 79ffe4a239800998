//! The table's ruled lines: each fragment of a row is a bordered box, its columns parted.

use super::geometry::Grid;
use crate::layout::document::Element;
use crate::layout::flow::Composer;

/// The rules around a fragment at `top`, `h` high: the bottom and every column edge, and the top
/// only where nothing above draws it (the header row's).
pub(super) fn rule_fragment(
    c: &mut Composer,
    grid: &Grid,
    top: f32,
    h: f32,
    width: f32,
    top_rule: bool,
) {
    let (left, right) = grid.span();
    let mut rules = Vec::new();
    if top_rule {
        rules.push((left, top, right, top));
    }
    rules.push((left, top + h, right, top + h));
    for &e in &grid.edges {
        rules.push((e, top, e, top + h));
    }
    for (x1, y1, x2, y2) in rules {
        c.push(Element::Rule {
            x1,
            y1,
            x2,
            y2,
            width,
        });
    }
}
