//! `batch --summary`: the overview's lines. Each entry's line comes from the entry's own
//! assessment as the run checks it (`run.rs`, [`crate::Assessment::summary_line`]: defaults
//! applied, checked once); here, the lines of the files of the folder it could not read, and the
//! overview's order.

use super::folder::Unread;
use crate::error::Problem;
use crate::rules::CheckOptions;
use crate::summary::{self, Line};
use crate::Renderer;

/// The line of a file that was not read: its name, 要確認, and why. A gap of the set is in the
/// overview as an entity to review (`secform summary` over a folder says it alike).
pub fn unread_line(renderer: &Renderer, unread: &Unread, check: &CheckOptions) -> Line {
    summary::line(
        renderer,
        Err(vec![Problem::error("$", unread.reason.clone())]),
        Some(&unread.name()),
        check,
    )
}

/// The overview's lines of a run: the entries' lines, then those of the files not read, in the
/// overview's order.
pub(super) fn lines(
    renderer: &Renderer,
    mut read: Vec<Line>,
    unread: &[Unread],
    check: &CheckOptions,
) -> Vec<Line> {
    read.extend(unread.iter().map(|u| unread_line(renderer, u, check)));
    summary::ordered(read)
}
