//! `batch --summary`: the overview's line ([`crate::summary::line`]) of every entry as the batch
//! read it (defaults applied) and of every file of the folder it could not read, made during the
//! run rather than by reading the answers a second time.

use super::folder::Unread;
use super::source::Entry;
use crate::error::Problem;
use crate::rules::CheckOptions;
use crate::summary::{self, Line};
use crate::Renderer;

/// The line of an entry, as read.
pub(super) fn entry_line(renderer: &Renderer, entry: &Entry, check: &CheckOptions) -> Line {
    summary::line(renderer, entry.value.clone(), entry.label.as_deref(), check)
}

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
