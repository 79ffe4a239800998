//! Putting finished entries back in input order: each is reported, counted and, for the merged PDF,
//! painted in the order of the batch (a chunk of forms at a time, see [`pdf::Merger`]), whichever
//! thread finished it first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::report::{EntryReport, Merged, Outcome, Progress};
use crate::error::{Error, Problem};
use crate::layout::document::Document;
use crate::output::AtomicFile;
use crate::paint::pdf;

/// The merged PDF: the engine's merger writing into a temporary file, put at its path once whole.
pub(super) type MergedPdf<'f> = pdf::Merger<'f, std::io::BufWriter<AtomicFile>>;

/// What a thread hands back for an entry.
pub(super) enum Done {
    Written {
        path: PathBuf,
        warnings: Vec<Problem>,
        /// For the merged PDF: the laid-out form and its outline title.
        document: Option<Box<(Document, String)>>,
        pages: usize,
        label: Option<String>,
    },
    Failed(Vec<Problem>, Option<String>),
    /// Not rendered: the run was interrupted first.
    Cancelled,
}

/// Puts finished entries back in input order and reports them.
pub(super) struct Collector<'a, 'f> {
    total: usize,
    /// The position reported next.
    next: usize,
    ready: BTreeMap<usize, Done>,
    written: usize,
    failed: usize,
    skipped: usize,
    /// The entries that failed, as a user knows them.
    missing: Vec<String>,
    merge: Option<MergedPdf<'f>>,
    /// Why the merged PDF cannot be written (its merger is then dropped, with its temporary file).
    merge_error: Option<Error>,
    progress: &'a mut dyn Progress,
}

impl<'a, 'f> Collector<'a, 'f> {
    pub(super) fn new(
        total: usize,
        merge: Option<MergedPdf<'f>>,
        progress: &'a mut dyn Progress,
    ) -> Self {
        Collector {
            total,
            next: 1,
            ready: BTreeMap::new(),
            written: 0,
            failed: 0,
            skipped: 0,
            missing: Vec::new(),
            merge,
            merge_error: None,
            progress,
        }
    }

    /// Entries written, failed, and not finished because the run was interrupted.
    pub(super) fn counts(&self) -> (usize, usize, usize) {
        (self.written, self.failed, self.skipped)
    }

    /// The entries that failed, as a user knows them.
    pub(super) fn missing(&mut self) -> Vec<String> {
        std::mem::take(&mut self.missing)
    }

    /// Writes the end of the merged PDF once every entry is in and puts it at `path`, unless the
    /// run was interrupted or, without `allow_incomplete`, the set has gaps (an entry failed, a
    /// file was not read: `gaps` names these): the set handed over is never silently incomplete.
    /// With `allow_incomplete`, each gap is an outline entry at the end 「欠落: …」.
    pub(super) fn finish_merge(
        &mut self,
        path: &Path,
        cancel: &AtomicBool,
        gaps: &[String],
        allow_incomplete: bool,
    ) -> Merged {
        if let Some(e) = self.merge_error.take() {
            return Merged::Failed(e);
        }
        let Some(merger) = self.merge.take() else {
            return Merged::NotWritten;
        };
        let missing: Vec<String> = self
            .missing
            .iter()
            .chain(gaps)
            .map(|gap| format!("欠落: {gap}"))
            .collect();
        if !missing.is_empty() && !allow_incomplete {
            // Dropped with its temporary file.
            return Merged::Incomplete;
        }
        if cancel.load(Ordering::Relaxed) || merger.forms() == 0 {
            return Merged::NotWritten;
        }
        self.progress.merging();
        let file = match merger.finish(&missing) {
            Ok(file) => file,
            Err(e) => return Merged::Failed(e),
        };
        // The last chunk takes a moment: a Ctrl-C meanwhile still leaves no merged file.
        if cancel.load(Ordering::Relaxed) {
            return Merged::NotWritten;
        }
        let (forms, pages) = (file.forms, file.pages);
        let committed = file
            .out
            .into_inner()
            .map_err(|e| Error::Write {
                path: path.display().to_string(),
                source: e.into_error(),
            })
            .and_then(AtomicFile::commit);
        match committed {
            Ok(()) => Merged::Written {
                path: path.to_path_buf(),
                forms,
                pages,
            },
            Err(e) => Merged::Failed(e),
        }
    }

    pub(super) fn accept(&mut self, position: usize, done: Done) {
        self.ready.insert(position, done);
        while let Some(done) = self.ready.remove(&self.next) {
            let position = self.next;
            self.next += 1;
            let (outcome, label) = match done {
                Done::Cancelled => {
                    self.skipped += 1;
                    continue;
                }
                Done::Failed(problems, label) => {
                    self.failed += 1;
                    self.missing.push(match &label {
                        Some(label) => format!("{position} 件目（{label}）"),
                        None => format!("{position} 件目"),
                    });
                    (Outcome::Failed(problems), label)
                }
                Done::Written {
                    path,
                    warnings,
                    document,
                    pages,
                    label,
                } => {
                    self.written += 1;
                    if let (Some(merger), Some(merged)) = (&mut self.merge, document) {
                        let (doc, title) = *merged;
                        if let Err(e) = merger.add(&doc, &title) {
                            self.merge = None;
                            self.merge_error = Some(e);
                        }
                    }
                    (
                        Outcome::Written {
                            path,
                            pages,
                            warnings,
                        },
                        label,
                    )
                }
            };
            self.progress.entry(&EntryReport {
                position,
                total: self.total,
                label: label.as_deref(),
                outcome: &outcome,
            });
        }
    }
}
