//! The summary's lines of many answer sets (`secform summary`), made on every core: the engine
//! makes each line ([`crate::summary::line`]); the threads are the host's.

use serde_json::Value;

use crate::error::Problem;
use crate::summary::{line, Line};
use crate::{CheckOptions, Renderer};

/// The lines of `entries` (each an answer set's JSON or why it could not be read, and the label
/// that names it: a folder's or a JSON Lines file's entries as batch reads them), in their order.
/// Each line is a check of its answer set, so they are read a few hundred at a time and each
/// batch made on every core; `done` hears how many more are made.
pub fn lines_of(
    renderer: &Renderer,
    entries: impl Iterator<Item = (Result<Value, Vec<Problem>>, Option<String>)>,
    opts: &CheckOptions,
    mut done: impl FnMut(usize),
) -> Vec<Line> {
    use rayon::prelude::*;
    const AT_ONCE: usize = 256;
    let mut entries = entries;
    let mut lines = Vec::new();
    loop {
        let some: Vec<_> = entries.by_ref().take(AT_ONCE).collect();
        if some.is_empty() {
            return lines;
        }
        let made: Vec<Line> = some
            .into_par_iter()
            .map(|(value, label)| line(renderer, value, label.as_deref(), opts))
            .collect();
        done(made.len());
        lines.extend(made);
    }
}
