//! What a batch run tells its caller: each entry's outcome as it is done, and a summary at the end.
//! The library only reports; the caller decides how to show it (a progress bar, lines, nothing).

use std::path::PathBuf;
use std::time::Duration;

use crate::error::Problem;

/// What became of one entry.
#[derive(Debug)]
pub enum Outcome {
    /// Its PDF was written to `path`; `warnings` did not stop it.
    Written {
        path: PathBuf,
        pages: usize,
        warnings: Vec<Problem>,
    },
    /// It was skipped for these problems (JSON paths relative to the entry's answer set).
    Failed(Vec<Problem>),
}

/// One entry's outcome, with where it stands in the batch.
#[derive(Debug)]
pub struct EntryReport<'a> {
    /// From 1, in input order.
    pub position: usize,
    pub total: usize,
    /// A file name or line number when the entry has one besides its position.
    pub label: Option<&'a str>,
    pub outcome: &'a Outcome,
}

/// Receives a run's progress on the calling thread, entries in input order whatever the number of
/// threads, so that what a user sees does not depend on `jobs` either.
pub trait Progress {
    /// The run starts, with `total` entries.
    fn start(&mut self, _total: usize) {}
    /// An entry is done.
    fn entry(&mut self, _report: &EntryReport<'_>) {}
    /// Every entry is done; the end of the merged PDF is being written.
    fn merging(&mut self) {}
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {}

/// What became of the merged PDF.
#[derive(Debug)]
pub enum Merged {
    Written {
        path: PathBuf,
        forms: usize,
        pages: usize,
    },
    /// No entry could be rendered, or the run was interrupted: nothing was written.
    NotWritten,
    /// Not written because the set is not whole (an entry failed, a file was not read) and no
    /// incomplete one was asked for (`Options::allow_incomplete`).
    Incomplete,
    Failed(crate::Error),
}

/// The end of a run.
#[derive(Debug)]
pub struct Summary {
    pub total: usize,
    pub written: usize,
    pub failed: usize,
    /// Entries never finished because the run was interrupted.
    pub skipped: usize,
    pub interrupted: bool,
    /// `None` when no merged PDF was asked for.
    pub merged: Option<Merged>,
    /// Files of a folder that were not read, each with why: failures too.
    pub unread: Vec<super::Unread>,
    /// Files of a folder passed over with a note (secform's own PDFs that are no one's answers).
    pub passed_over: Vec<super::Unread>,
    /// The entries that failed, as a user knows them (「3 件目（c.json）」), for the set's gaps.
    pub missing: Vec<String>,
    pub elapsed: Duration,
    /// The overview's line of every entry read and every file not read, in the overview's order
    /// ([`crate::summary::ordered`]), when [`super::Options::summary`] asked for them: made as the
    /// batch reads its entries, so that `batch --summary` reads the answers once.
    pub lines: Option<Vec<crate::summary::Line>>,
}

impl Summary {
    /// True when every entry and every file of a folder (and the merged PDF, if asked for) was
    /// written.
    pub fn is_success(&self) -> bool {
        self.failed == 0
            && self.unread.is_empty()
            && !self.interrupted
            && !matches!(self.merged, Some(Merged::Failed(_) | Merged::Incomplete))
    }

    /// Every gap of the set, as a user knows it: the entries that failed, then the files not read.
    pub fn gaps(&self) -> Vec<String> {
        self.missing
            .iter()
            .cloned()
            .chain(self.unread.iter().map(super::Unread::name))
            .collect()
    }
}
