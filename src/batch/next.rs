//! `batch --next`: [`crate::next`] for every entity of a batch, one answer set per input (JSON, or
//! the workbook to send to each entity), the file names kept (`01_株式会社A.pdf` →
//! `01_株式会社A.json`). Nothing is rendered, so the entries are taken one after another, each
//! handed back once its file is written: the caller says what became of it as the run goes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::names::{NameStyle, Namer};
use super::source::Source;
use super::Unread;
use crate::error::{Error, Problem};
use crate::output::write_atomic;
use crate::rules::CheckOptions;
use crate::spec::form::FormSpec;
use crate::Renderer;

/// What is written for each entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The answer set's JSON.
    Json,
    /// The workbook to fill in (as `init --format xlsx` writes it).
    Xlsx,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }
}

/// How to run `batch --next`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the answer sets go (created if missing).
    pub out_dir: PathBuf,
    /// The new 確認年月日.
    pub checked_on: NaiveDate,
    /// How an entry without a file name of its own is named (as `batch` names its PDF).
    pub names: NameStyle,
    pub format: Format,
    pub check: CheckOptions,
}

/// One entry, done.
#[derive(Debug)]
pub struct Done {
    /// From 1, in input order.
    pub position: usize,
    /// A file name or line number when the entry has one besides its position.
    pub label: Option<String>,
    pub outcome: Outcome,
}

/// What became of one entry.
#[derive(Debug)]
pub enum Outcome {
    /// Its next answer set was written to `path`, with what `check` says of it (written even when
    /// it would not pass: the user reviews it anyway).
    Written {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    /// Nothing was written: the entry could not be read as an answer set, or its workbook could
    /// not be made.
    Failed(Error),
}

impl Outcome {
    /// Written, but `check` would refuse it as it is.
    pub fn is_refused(&self) -> bool {
        matches!(self, Outcome::Written { problems, .. } if problems.iter().any(Problem::is_error))
    }
}

/// The end of a run.
#[derive(Debug)]
pub struct End {
    pub written: usize,
    /// Written, but refused by `check` as they are.
    pub refused: usize,
    /// Entries that could not be read or made, and files of the folder that were not read.
    pub failed: usize,
    /// Files of a folder that were not read, each with why: failures too.
    pub unread: Vec<Unread>,
    /// Files of a folder passed over with a note (secform's own PDFs that are no one's answers).
    pub passed_over: Vec<Unread>,
}

impl End {
    /// True when every entry was written and passes `check`, and every file of a folder was read.
    pub fn is_success(&self) -> bool {
        self.refused + self.failed == 0
    }
}

/// A run under way: each [`Iterator::next`] takes one entry, writes its file and hands it back;
/// an `Err` (the file cannot be written) stops the run. [`Run::end`] says how it went.
pub struct Run<'a> {
    renderer: &'a Renderer,
    source: Source,
    opts: &'a Options,
    namer: Namer,
    /// The names given so far, lower case: `a.json` and `a.pdf` in one folder make `a_2.json`.
    used: HashSet<String>,
    written: usize,
    refused: usize,
    failed: usize,
}

/// Starts `batch --next` over `source`: the output folder is checked and made, nothing else done.
pub fn start<'a>(
    renderer: &'a Renderer,
    source: Source,
    opts: &'a Options,
) -> Result<Run<'a>, Error> {
    if source
        .folder_read()
        .is_some_and(|input| crate::output::same_file(input, &opts.out_dir))
    {
        return Err(Error::Usage(format!(
            "{}: 読み込むフォルダと同じフォルダには書き出せません（前回の回答が上書きされます）。--out-dir に別のフォルダを指定してください",
            opts.out_dir.display()
        )));
    }
    std::fs::create_dir_all(&opts.out_dir).map_err(|source| Error::Write {
        path: opts.out_dir.display().to_string(),
        source,
    })?;
    Ok(Run {
        renderer,
        namer: Namer::new(opts.names, source.len()),
        source,
        opts,
        used: HashSet::new(),
        written: 0,
        refused: 0,
        failed: 0,
    })
}

impl Iterator for Run<'_> {
    type Item = Result<Done, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let entry = self.source.next()?;
        let (position, label) = (entry.position, entry.label.clone());
        let outcome = match self.make(entry) {
            Ok(outcome) => outcome,
            Err(e) => return Some(Err(e)),
        };
        match &outcome {
            Outcome::Failed(_) => self.failed += 1,
            written => {
                self.written += 1;
                if written.is_refused() {
                    self.refused += 1;
                }
            }
        }
        Some(Ok(Done {
            position,
            label,
            outcome,
        }))
    }
}

impl Run<'_> {
    /// Makes and writes one entry's next answer set; `Err` only when the file cannot be written.
    fn make(&mut self, entry: super::Entry) -> Result<Outcome, Error> {
        let (renderer, opts) = (self.renderer, self.opts);
        let next = entry.value.map_err(Error::Invalid).and_then(|value| {
            crate::next::next(renderer, &value.to_string(), opts.checked_on, &opts.check)
        });
        let next = match next {
            Ok(next) => next,
            Err(e) => return Ok(Outcome::Failed(e)),
        };
        // The input's own name where it has one; else the name batch gives its PDF.
        let stem = match entry.file.as_deref().and_then(Path::file_stem) {
            Some(stem) => stem.to_string_lossy().into_owned(),
            None => {
                let title = crate::input::answers::parse(&next.json)
                    .ok()
                    .and_then(|a| {
                        let form = FormSpec::get(&a.layout).ok()?;
                        Some(a.company_display(&form.target.subcontractor_suffix))
                    })
                    .unwrap_or_default();
                let pdf = self.namer.name(entry.position, &title);
                pdf.trim_end_matches(".pdf").to_string()
            }
        };
        let ext = opts.format.extension();
        let mut name = format!("{stem}.{ext}");
        let mut n = 2;
        while !self.used.insert(name.to_lowercase()) {
            name = format!("{stem}_{n}.{ext}");
            n += 1;
        }
        let path = opts.out_dir.join(&name);
        let bytes = match opts.format {
            Format::Json => next.json.into_bytes(),
            // One entity's workbook that cannot be made is one failure of the batch.
            Format::Xlsx => match crate::export::workbook::json_to_xlsx(&next.json) {
                Ok(bytes) => bytes,
                Err(source) => {
                    return Ok(Outcome::Failed(Error::Export {
                        path: path.display().to_string(),
                        source,
                    }))
                }
            },
        };
        write_atomic(&path, &bytes)?;
        Ok(Outcome::Written {
            path,
            problems: next.problems,
        })
    }

    /// How the run went, once every entry is taken.
    pub fn end(self) -> End {
        let unread = self.source.unread();
        End {
            written: self.written,
            refused: self.refused,
            failed: self.failed + unread.len(),
            unread,
            passed_over: self.source.passed_over().to_vec(),
        }
    }
}
