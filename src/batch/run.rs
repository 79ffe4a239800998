//! The batch pipeline: entries are read, checked and named in order on the calling thread, laid out
//! and painted on a pool of `jobs` threads, written by a few writing threads, and reported back in
//! order.
//!
//! At most a few entries per thread are under way at once, and a written PDF is dropped at once, so
//! memory does not grow with the batch. The merged PDF is painted on the calling thread as entries
//! come back in order, a chunk of forms at a time, each chunk streamed to the file and dropped (see
//! [`crate::paint::pdf::Merger`]): its memory does not grow with the batch either.

use std::collections::{BTreeMap, HashMap};
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Instant;

use super::collect::{Collector, Done};
use super::names::{NameStyle, Namer};
use super::report::{Progress, Summary};
use super::source::{Entry, Source};
use super::summary;
use crate::error::{Error, Problem};
use crate::layout::document::Document;
use crate::output::{write_atomic, AtomicFile};
use crate::paint::pdf;
use crate::rules::CheckOptions;
use crate::summary::Line;
use crate::{Assessment, Renderer};

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the PDFs go (created if missing).
    pub out_dir: PathBuf,
    /// Also write every form, in order, into this one PDF.
    pub merge: Option<PathBuf>,
    /// Forms per chunk of the merged PDF (the merger in `paint/pdf`); 0 means
    /// its default (64). Tests set a small one to cross chunk boundaries.
    pub merge_chunk: usize,
    /// Pad each form in the merged PDF to an even page count with a blank page, so that a
    /// double-sided print starts every form on a front page. Only with `merge`.
    pub duplex: bool,
    pub names: NameStyle,
    /// Threads; 0 means one per core.
    pub jobs: usize,
    /// Write the merged PDF even when an entry failed or a file of the folder was not read (it then
    /// lacks them); without it no merged PDF is written for a set with gaps.
    pub allow_incomplete: bool,
    pub check: CheckOptions,
    /// Also make the overview's line of every entry ([`Summary::lines`], `batch --summary`).
    pub summary: bool,
}

/// Entries under way per thread: enough to keep every thread busy while the calling thread writes
/// the merged PDF or waits for an earlier entry, few enough to keep memory flat.
const IN_FLIGHT_PER_THREAD: usize = 4;

/// Threads that only write files. Each write ends in an fsync that can take milliseconds on a real
/// disk; waiting for it on a rendering thread would leave a core idle.
const WRITERS: usize = 4;

/// Renders every entry of `source` into `opts.out_dir`, reporting to `progress` as entries finish.
/// Stops taking new entries once `cancel` is set (Ctrl-C): what is written is whole, and the merged
/// PDF is then not written. Errors are returned only for what stops the whole run (the output folder
/// cannot be made, the threads cannot be started); a bad entry is reported and skipped.
pub fn run(
    renderer: &Renderer,
    mut source: Source,
    opts: &Options,
    cancel: &AtomicBool,
    progress: &mut dyn Progress,
) -> Result<Summary, Error> {
    let started = Instant::now();
    let total = source.len();
    if let Some(problem) = out_dir_problem(&source, &opts.out_dir) {
        return Err(problem);
    }
    if opts.out_dir.exists() && !opts.out_dir.is_dir() {
        return Err(Error::Destination {
            path: opts.out_dir.display().to_string(),
            source: crate::error::DestinationError::NotAFolder,
        });
    }
    std::fs::create_dir_all(&opts.out_dir).map_err(|source| Error::Write {
        path: opts.out_dir.display().to_string(),
        source,
    })?;
    let mut namer = Namer::new(opts.names, total);
    if let Some(name) = opts
        .merge
        .as_deref()
        .and_then(|m| name_in(m, &opts.out_dir))
    {
        namer.reserve(&name);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .thread_name(|i| format!("secform-render-{i}"))
        .build()
        .map_err(|_| Error::Threads)?;
    let chunk = match opts.merge_chunk {
        0 => pdf::DEFAULT_CHUNK_FORMS,
        n => n,
    };
    let merge = match opts.merge.as_deref() {
        Some(path) => {
            // Made before any form is rendered: a merged file that cannot be written is found out
            // now, not after every form.
            let file = BufWriter::with_capacity(1 << 16, AtomicFile::create(path)?);
            let name = path.display().to_string();
            let merger = pdf::Merger::new(renderer.fonts(), file, &name, chunk);
            Some(if opts.duplex { merger.duplex() } else { merger })
        }
        None => None,
    };
    progress.start(total);
    let mut collector = Collector::new(total, merge, progress);
    let lines = opts.summary.then(|| Mutex::new(BTreeMap::new()));
    let stage = Stage {
        renderer,
        check: &opts.check,
        keep_document: opts.merge.is_some(),
        cancel,
        lines: lines.as_ref(),
    };
    let dispatched = render_all(
        &stage,
        &pool,
        &mut source,
        &mut namer,
        &opts.out_dir,
        &mut collector,
    );
    let unread = source.unread();
    let unread_names: Vec<String> = unread.iter().map(super::Unread::name).collect();
    let merged = opts
        .merge
        .as_deref()
        .map(|path| collector.finish_merge(path, cancel, &unread_names, opts.allow_incomplete));
    let (written, failed, skipped) = collector.counts();
    // A folder's PDFs passed over are no entries.
    let total = source.len().min(total);
    Ok(Summary {
        total,
        written,
        failed,
        skipped: skipped + total.saturating_sub(dispatched),
        interrupted: cancel.load(Ordering::Relaxed),
        merged,
        passed_over: source.passed_over().to_vec(),
        missing: collector.missing(),
        elapsed: started.elapsed(),
        lines: lines.map(|lines| {
            let read = lines
                .into_inner()
                .unwrap_or_default()
                .into_values()
                .collect();
            summary::lines(renderer, read, &unread, &opts.check)
        }),
        unread,
    })
}

/// Why the batch must not write into `out_dir`: it is the folder read, or inside it, and the next
/// run over that folder would read the batch's own outputs back as answers.
pub fn out_dir_problem(source: &Source, out_dir: &Path) -> Option<Error> {
    let input = source.folder_read()?.canonicalize().ok()?;
    let out = crate::output::resolved(out_dir)?;
    if out == input {
        return Some(Error::Usage(format!(
            "{}: 読み込むフォルダと同じフォルダには書き出せません（次に読むとき、出力を回答として読んでしまいます）。--out-dir に別のフォルダを指定してください",
            out_dir.display()
        )));
    }
    out.starts_with(&input).then(|| {
        Error::Usage(format!(
            "{}: 出力先が読み込むフォルダ {} の中です。次に読むとき出力を回答として読んでしまうので、--out-dir にフォルダの外を指定してください",
            out_dir.display(),
            input.display()
        ))
    })
}

/// What every entry's rendering shares.
struct Stage<'a> {
    renderer: &'a Renderer,
    check: &'a CheckOptions,
    keep_document: bool,
    cancel: &'a AtomicBool,
    /// `--summary`: each entry's line, by position, taken from the entry's own assessment where
    /// it is checked (a rendering thread, or the calling thread for an entry not read).
    lines: Option<&'a Mutex<BTreeMap<usize, Line>>>,
}

impl Stage<'_> {
    /// Keeps the summary's line of the entry at `position`, when the run makes a summary.
    fn summary_line(&self, position: usize, line: impl FnOnce() -> Line) {
        if let Some(lines) = self.lines {
            let line = line();
            if let Ok(mut lines) = lines.lock() {
                lines.insert(position, line);
            }
        }
    }
}

/// Feeds the entries to the rendering pool, at most a window of them under way, passes what is
/// painted to the writing threads, and hands what comes back to `collector`; with `lines`, the
/// overview's line of each entry as read (defaults applied) goes there. Returns how many entries
/// were taken (all of them unless cancelled).
fn render_all(
    stage: &Stage<'_>,
    pool: &rayon::ThreadPool,
    source: &mut Source,
    namer: &mut Namer,
    out_dir: &Path,
    collector: &mut Collector<'_, '_>,
) -> usize {
    let window = (pool.current_num_threads() + WRITERS) * IN_FLIGHT_PER_THREAD;
    let (results, finished) = mpsc::channel::<(usize, Done)>();
    let (to_write, writes) = mpsc::channel::<(usize, Painted)>();
    let writes = Mutex::new(writes);
    let mut dispatched = 0;
    let mut in_flight = 0;
    // Takes one result; this thread keeps a sender, so it waits rather than fails.
    let take_one = |collector: &mut Collector<'_, '_>| {
        if let Ok((position, done)) = finished.recv() {
            collector.accept(position, done);
        }
    };
    // Each entity's first position, by its name as printed: the same one twice is worth a word.
    let mut seen: HashMap<String, usize> = HashMap::new();
    std::thread::scope(|threads| {
        // Plain threads, not a rayon pool: they wait in fsync and on an empty queue, and an idle
        // rayon thread spins for work, taking CPU from the rendering threads.
        for _ in 0..WRITERS {
            let (writes, results) = (&writes, results.clone());
            threads.spawn(move || writer(writes, &results, stage.cancel));
        }
        pool.in_place_scope(|rendering| {
            for entry in source.by_ref() {
                if stage.cancel.load(Ordering::Relaxed) {
                    break;
                }
                dispatched += 1;
                let position = entry.position;
                let job = match prepare(stage, entry, namer, &mut seen, out_dir) {
                    Ok(job) => job,
                    Err((problems, label)) => {
                        collector.accept(position, Done::Failed(problems, label));
                        continue;
                    }
                };
                in_flight += 1;
                let (results, to_write) = (&results, &to_write);
                // The receivers outlive the scopes: a send cannot fail.
                rendering.spawn(move |_| match guarded(|| render(stage, job)) {
                    Ok(painted) => {
                        let _ = to_write.send((position, painted));
                    }
                    Err(done) => {
                        let _ = results.send((position, done));
                    }
                });
                while in_flight >= window {
                    take_one(collector);
                    in_flight -= 1;
                }
            }
            for _ in 0..in_flight {
                take_one(collector);
            }
        });
        // Every entry is in: the writers find the queue closed and end.
        drop(to_write);
    });
    dispatched
}

/// A writing thread: writes what it is given until the queue closes.
fn writer(
    writes: &Mutex<mpsc::Receiver<(usize, Painted)>>,
    results: &mpsc::Sender<(usize, Done)>,
    cancel: &AtomicBool,
) {
    loop {
        let next = match writes.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok((position, painted)) = next else {
            return;
        };
        let (Ok(done) | Err(done)) = guarded(|| Ok(write(painted, cancel)));
        let _ = results.send((position, done));
    }
}

/// Runs `f`, turning a panic into a failed entry: a bug met by one entry must neither stop the others
/// nor leave the calling thread waiting for a result that never comes.
fn guarded<T>(f: impl FnOnce() -> Result<T, Done>) -> Result<T, Done> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Done::Failed(
            vec![Problem::error("$", "内部エラーのため作成できませんでした")],
            None,
        ))
    })
}

/// `path`'s file name when `path` is in `dir` (the merged PDF must not take an entry's name).
fn name_in(path: &Path, dir: &Path) -> Option<String> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let same = parent.canonicalize().ok()? == dir.canonicalize().ok()?;
    same.then(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .flatten()
}

/// An entry ready to be rendered: its answers read (and checked when rendered), its file named.
struct Job<'r> {
    assessment: Assessment<'r>,
    named: Named,
    /// The entry's place in the batch.
    position: usize,
}

/// Where an entry goes and what names it.
struct Named {
    path: PathBuf,
    /// The company as printed, for the merged PDF's outline.
    title: String,
    label: Option<String>,
}

/// Reads an entry's answers and names its file, on the calling thread (names must be given in
/// order, and reading is cheap next to checking and rendering, which the rendering threads do).
/// An entry whose answers cannot be read is reported with the rule errors of what could be read
/// too, as `check` does.
fn prepare<'r>(
    stage: &Stage<'r>,
    entry: Entry,
    namer: &mut Namer,
    seen: &mut HashMap<String, usize>,
    out_dir: &Path,
) -> Result<Job<'r>, (Vec<Problem>, Option<String>)> {
    let Entry {
        position,
        label,
        value,
        cells,
        notes,
        ..
    } = entry;
    let value = match value {
        Ok(value) => value,
        Err(mut problems) => {
            stage.summary_line(position, || {
                crate::assessment::unread_line(problems.clone(), None, label.as_deref())
            });
            cells.locate(&mut problems);
            return Err((problems, label));
        }
    };
    let mut assessment = stage
        .renderer
        .assess_value(value, cells, notes, stage.check);
    let Some(title) = assessment.title() else {
        stage.summary_line(position, || assessment.summary_line(label.as_deref()));
        return Err((assessment.errors(), label));
    };
    let first = *seen.entry(title.clone()).or_insert(position);
    if first != position {
        assessment.note(Problem::warning(
            "target.company",
            format!(
                "{first} 件目と同じ事業者（{title}）です。同じ回答を二度入れていないか確かめてください"
            ),
        ));
    }
    Ok(Job {
        assessment,
        position,
        named: Named {
            path: out_dir.join(namer.name(position, &title)),
            title,
            label,
        },
    })
}

/// An entry laid out and painted, to be written.
struct Painted {
    named: Named,
    bytes: Vec<u8>,
    document: Document,
    warnings: Vec<Problem>,
    keep_document: bool,
}

/// Checks, lays out and paints one entry (on a rendering thread).
fn render(stage: &Stage<'_>, job: Job<'_>) -> Result<Painted, Done> {
    if stage.cancel.load(Ordering::Relaxed) {
        return Err(Done::Cancelled);
    }
    let Job {
        assessment,
        named,
        position,
    } = job;
    // The line from the check the rendering makes anyway: each entry is checked once.
    stage.summary_line(position, || assessment.summary_line(named.label.as_deref()));
    let painted = assessment.into_pdf_and_rendered();
    match painted {
        Ok((bytes, rendered)) => Ok(Painted {
            named,
            bytes,
            document: rendered.document,
            warnings: rendered.warnings,
            keep_document: stage.keep_document,
        }),
        Err(e) => Err(failed(e, named.label)),
    }
}

/// Writes one painted entry (on a writing thread), unless the run was interrupted meanwhile.
fn write(p: Painted, cancel: &AtomicBool) -> Done {
    if cancel.load(Ordering::Relaxed) {
        return Done::Cancelled;
    }
    match write_atomic(&p.named.path, &p.bytes) {
        Ok(()) => Done::Written {
            pages: p.document.pages.len(),
            document: p
                .keep_document
                .then(|| Box::new((p.document, p.named.title))),
            warnings: p.warnings,
            path: p.named.path,
            label: p.named.label,
        },
        Err(e) => failed(e, p.named.label),
    }
}

fn failed(e: Error, label: Option<String>) -> Done {
    match e {
        Error::Invalid(problems) => Done::Failed(problems, label),
        e => Done::Failed(vec![Problem::error("$", e.to_string())], label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::report::{EntryReport, Merged, Outcome, Silent};
    use crate::FontSet;

    /// Records what a run reports.
    #[derive(Default)]
    struct Recorder {
        total: usize,
        seen: Vec<(usize, bool)>,
    }

    impl Progress for Recorder {
        fn start(&mut self, total: usize) {
            self.total = total;
        }
        fn entry(&mut self, r: &EntryReport<'_>) {
            self.seen
                .push((r.position, matches!(r.outcome, Outcome::Written { .. })));
        }
    }

    /// Answers to every row that always applies on a first check, given here (the starter
    /// answers nothing).
    fn starter_items() -> serde_json::Value {
        let rows = [1, 3, 4, 5, 6, 7, 9, 10, 12, 15, 16, 18, 24];
        rows.iter()
            .map(|n| {
                let answer = serde_json::json!({"status": "実施", "detail": "試験用の回答。"});
                (n.to_string(), answer)
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    }

    /// Entries are reported in input order whatever the threads, and a bad one does not stop the
    /// others.
    #[test]
    fn reports_come_in_input_order() {
        let entry = |company: &str| serde_json::json!({"target": {"company": company, "contract_start": "2025-04-01"}});
        let mut forms: Vec<_> = (0..6).map(|i| entry(&format!("株式会社{i}"))).collect();
        forms[3]["target"]["contract_start"] = "昨日".into();
        let batch = serde_json::json!({
            "defaults": {"checked_on": "2026-04-10", "checker": {"company": "A", "name": "B"}, "items": starter_items()},
            "forms": forms
        });
        let source = Source::from_batch_json(&batch.to_string()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut opts = merging_into(dir.path(), 3);
        // A merged PDF with a gap only when asked for.
        opts.allow_incomplete = true;
        let renderer = Renderer::new(FontSet::bundled());
        let mut recorder = Recorder::default();
        let summary = run(
            &renderer,
            source,
            &opts,
            &AtomicBool::new(false),
            &mut recorder,
        )
        .unwrap();
        assert_eq!(recorder.total, 6);
        let expected: Vec<(usize, bool)> = (1..=6).map(|i| (i, i != 4)).collect();
        assert_eq!(recorder.seen, expected);
        assert_eq!(
            (summary.written, summary.failed, summary.skipped),
            (5, 1, 0)
        );
        assert!(!summary.is_success());
        assert!(matches!(
            summary.merged,
            Some(Merged::Written { forms: 5, .. })
        ));
        assert_eq!(summary.missing, ["4 件目（株式会社3）"]);
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                !e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".pdf")
            })
            .count();
        assert_eq!(leftovers, 0, "temporary files remain");
    }

    /// Options writing into `dir` and merging into `dir/all.pdf`, in chunks of two forms.
    fn merging_into(dir: &Path, jobs: usize) -> Options {
        Options {
            out_dir: dir.to_path_buf(),
            merge: Some(dir.join("all.pdf")),
            merge_chunk: 2,
            duplex: false,
            names: NameStyle::Plain,
            jobs,
            allow_incomplete: false,
            check: CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap()),
            summary: false,
        }
    }

    /// A run that is cancelled before it starts writes nothing at all, not even the merged PDF.
    #[test]
    fn a_cancelled_run_writes_nothing() {
        let batch = serde_json::json!({"forms": [{"target": {"company": "A"}}]});
        let source = Source::from_batch_json(&batch.to_string()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let opts = merging_into(dir.path(), 1);
        let renderer = Renderer::new(FontSet::bundled());
        let summary = run(
            &renderer,
            source,
            &opts,
            &AtomicBool::new(true),
            &mut Silent,
        )
        .unwrap();
        assert!(summary.interrupted);
        assert_eq!((summary.written, summary.skipped), (0, 1));
        assert!(matches!(summary.merged, Some(Merged::NotWritten)));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
