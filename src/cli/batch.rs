//! `secform batch`: the command-line face of [`secform::batch`], which does the work: Ctrl-C, the
//! progress display, the error lines, and the files of `--summary` and `--next` written from what
//! the library hands back.

use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use indicatif::ProgressBar;
use secform::batch::{self, EntryReport, Merged, NameStyle, Outcome, Source, Summary};
use secform::error::Visible;
use secform::{Error, Problem, Renderer};

use super::args::{BatchArgs, NamesArg, NextFormat};
use super::print::{self, note};
use super::{input, options, progress, summary, Failure};

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
const INTERRUPTED: u8 = 130;

pub fn run(args: BatchArgs) -> Result<ExitCode, Failure> {
    let renderer = options::renderer(&args.check)?;
    let renderer = if args.no_attach {
        renderer.without_attachment()
    } else {
        renderer
    };
    let source = if args.input == Path::new("-") {
        // A batch file on standard input, read (and its encoding told) as `render -` reads one.
        Source::from_batch_json(&input::read_within("-", secform::files::Limit::BATCH_FILE)?.json)
    } else {
        Source::open(&args.input)
    }
    .map_err(|e| in_file(&args.input, e))?;
    // Outputs in the folder read would be read back as answers by the next run.
    if let Some(problem) = batch::out_dir_problem(&source, &args.out_dir) {
        return Err(problem.into());
    }
    let names = match args.names {
        NamesArg::Plain => NameStyle::Plain,
        NamesArg::Egov => NameStyle::Egov,
    };
    // Relative paths in the entries (a seal image) are read from the batch file's folder, or
    // from the folder read.
    let check = options::check_entries(&args.check, &args.input);
    if args.next {
        let opts = batch::next::Options {
            out_dir: args.out_dir,
            checked_on: args.checked_on.unwrap_or(check.today),
            names,
            format: match args.format {
                NextFormat::Json => batch::next::Format::Json,
                NextFormat::Xlsx => batch::next::Format::Xlsx,
            },
            check,
        };
        return next(&renderer, source, &opts, args.quiet);
    }
    let opts = batch::Options {
        out_dir: args.out_dir,
        merge: args.merge,
        merge_chunk: 0,
        duplex: args.duplex,
        names,
        jobs: args.jobs.map_or(0, NonZeroUsize::get),
        allow_incomplete: args.allow_incomplete,
        check,
        summary: args.summary.is_some(),
    };
    if source.ignored() > 0 && !args.quiet {
        note(&format!(
            "隠しファイル・ロックファイルなど（.／._／~$ で始まる名前、Thumbs.db など）{} 件は回答ファイルではないため読みませんでした",
            source.ignored()
        ));
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))?;
    if let Some(path) = &args.summary {
        // Found out now rather than after every form is rendered, as for --merge.
        secform::output::AtomicFile::probe(path)?;
    }
    let mut display = Display::new(args.quiet);
    // The one call into the library: every form rendered (and summed up, with --summary).
    let summary = batch::run(&renderer, source, &opts, &cancel, &mut display)?;
    if let (Some(path), Some(lines)) = (&args.summary, &summary.lines) {
        if !summary.interrupted {
            write_summary(&renderer, &display, path, lines)?;
        }
    }
    display.finish(&summary);
    Ok(if summary.interrupted {
        ExitCode::from(INTERRUPTED)
    } else if summary.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `batch --next`: each entity's next answer set, said as it is written, then how it went.
fn next(
    renderer: &Renderer,
    source: Source,
    opts: &batch::next::Options,
    quiet: bool,
) -> Result<ExitCode, Failure> {
    // The one call into the library: the run, taken an entry at a time.
    let mut run = batch::next::start(renderer, source, opts)?;
    for done in run.by_ref() {
        let done = done?;
        let at = match &done.label {
            Some(label) => format!("{} 件目（{}）: ", done.position, Visible(label)),
            None => format!("{} 件目: ", done.position),
        };
        match done.outcome {
            batch::next::Outcome::Written { problems, .. } => {
                for p in &problems {
                    note(&format!("{at}{p}"));
                }
            }
            batch::next::Outcome::Failed(Error::Invalid(problems)) => {
                for p in problems {
                    note(&format!("{at}{p}"));
                }
            }
            batch::next::Outcome::Failed(e) => note(&format!("{at}{e}")),
        }
    }
    let end = run.end();
    for line in print::folder_lines(&end.unread, &end.passed_over) {
        note(&line);
    }
    if !quiet {
        note(&format!(
            "次回の{} {} 件を {} に書き出しました（確認を通らないもの {} 件、読めなかったもの {} 件）",
            match opts.format {
                batch::next::Format::Json => "回答セット",
                batch::next::Format::Xlsx => "記入用 Excel ブック",
            },
            end.written,
            opts.out_dir.display(),
            end.refused,
            end.failed,
        ));
    }
    Ok(if end.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Why `--merge` or `--summary` cannot be written where it is asked: neither may replace what the
/// batch reads, the batch file or an answer set in the folder being read; the summary must be a
/// format it is written in. And `--duplex` means nothing without `--merge`.
pub fn usage_problem(args: &BatchArgs) -> Option<String> {
    if args.duplex && args.merge.is_none() {
        return Some(
            "--duplex はまとめた PDF のページをそろえる指定です。--merge FILE と一緒に指定してください"
                .into(),
        );
    }
    if let Some(summary) = args.summary.as_deref() {
        if secform::summary::Format::of(summary).is_none() {
            return Some(summary::unknown_format(summary, "--summary").to_string());
        }
        if let Some(problem) = over_input(args, summary, ["一覧は", "一覧の"], "--summary") {
            return Some(problem);
        }
    }
    over_input(
        args,
        args.merge.as_deref()?,
        ["まとめた PDF は", "まとめた PDF の"],
        "--merge",
    )
}

/// Why `output` (what `option` names; `what_wa`/`what_no` say what it is, with its particle) cannot be written where it is asked.
fn over_input(
    args: &BatchArgs,
    output: &Path,
    [what_wa, what_no]: [&str; 2],
    option: &str,
) -> Option<String> {
    let input = args.input.as_path();
    // `batch` writes many files and reports on standard output: the file has no place there, and
    // a file named `-` is never what was meant.
    if output == Path::new("-") {
        return Some(format!(
            "{what_wa}標準出力には書き出せません。{option} にはファイルの名前を指定してください"
        ));
    }
    let mut inputs = vec![input.to_path_buf()];
    if input.is_dir() {
        if let Ok(entries) = std::fs::read_dir(input) {
            inputs.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    inputs
        .iter()
        .any(|i| secform::output::same_file(i, output))
        .then(|| {
            format!(
                "{}: {what_no}出力先が入力のファイルと同じです。別の出力先を {option} で指定してください",
                output.display()
            )
        })
}

/// Problems of the batch file itself name the file.
fn in_file(path: &Path, e: Error) -> Failure {
    match e {
        Error::Invalid(problems) => Failure::BatchFile {
            path: path.to_path_buf(),
            problems,
        },
        e => e.into(),
    }
}

/// How progress is shown: a bar on a terminal, a line per entry otherwise, nothing with --quiet.
/// Errors are shown in every case.
enum Display {
    Bar(ProgressBar),
    Lines,
    Quiet,
}

impl Display {
    fn new(quiet: bool) -> Display {
        if quiet {
            Display::Quiet
        } else if std::io::stderr().is_terminal() {
            Display::Bar(progress::bar(0))
        } else {
            Display::Lines
        }
    }

    /// Prints a line without tearing the bar.
    fn say(&self, line: &str) {
        match self {
            Display::Bar(bar) => bar.suspend(|| note(line)),
            _ => note(line),
        }
    }

    fn finish(&self, s: &Summary) {
        if let Display::Bar(bar) = self {
            bar.finish_and_clear();
        }
        // Notes and failures alike: a file not read is never passed over without a word.
        for line in print::folder_lines(&s.unread, &s.passed_over) {
            note(&line);
        }
        let gaps = s.gaps();
        match &s.merged {
            Some(Merged::Written { path, forms, pages }) if !self.is_quiet() => {
                note(&format!(
                    "{} を作成しました（{forms} 件、{pages} ページ）",
                    path.display()
                ));
                if !gaps.is_empty() {
                    note(&format!(
                        "まとめた PDF には次の {} 件が欠けています: {}",
                        gaps.len(),
                        gaps.join("、")
                    ));
                }
            }
            Some(Merged::Failed(e)) => note(&format!("まとめた PDF を作成できません: {e}")),
            Some(Merged::Incomplete) => note(&format!(
                "まとめた PDF は作成しませんでした。次の {} 件が欠けていて、一式がそろいません: {}。直してから実行し直してください（欠けたまま作るなら --allow-incomplete）",
                gaps.len(),
                gaps.join("、")
            )),
            _ => {}
        }
        let seconds = s.elapsed.as_secs_f64();
        let failed = s.failed + s.unread.len();
        let unread = match s.unread.len() {
            0 => String::new(),
            n => format!("（うち読めなかったファイル {n} 件）"),
        };
        if s.interrupted {
            note(&format!(
                "中断しました: 作成 {} 件、失敗 {failed} 件{unread}、未処理 {} 件、{seconds:.2} 秒",
                s.written, s.skipped
            ));
        } else if !self.is_quiet() {
            note(&format!(
                "作成 {} 件、失敗 {failed} 件{unread}、{seconds:.2} 秒",
                s.written
            ));
        }
    }

    fn is_quiet(&self) -> bool {
        matches!(self, Display::Quiet)
    }
}

/// Writes the batch's summary to `path` once the batch is done.
fn write_summary(
    renderer: &Renderer,
    display: &Display,
    path: &Path,
    lines: &[secform::summary::Line],
) -> Result<(), Failure> {
    let format = secform::summary::Format::of(path)
        .ok_or_else(|| summary::unknown_format(path, "--summary"))?;
    if let Display::Bar(bar) = display {
        bar.set_message(summary::writing(format));
    }
    let bytes = secform::summary::write(renderer, lines, format)?;
    secform::output::write_atomic(path, &bytes)?;
    summary::warn_of_contractors(lines);
    if !display.is_quiet() {
        display.say(&format!(
            "{} を作成しました（{} 件）",
            path.display(),
            lines.len()
        ));
    }
    Ok(())
}

/// `3 件目（c.json）: ` — where an entry stands, for the lines about it.
fn prefix(r: &EntryReport<'_>) -> String {
    match r.label {
        Some(label) => format!("{} 件目（{}）: ", r.position, Visible(label)),
        None => format!("{} 件目: ", r.position),
    }
}

fn problem_line(prefix: &str, p: &Problem) -> String {
    let severity = if p.is_error() { "" } else { "警告: " };
    match p.place().as_str() {
        "" => format!("{prefix}{severity}{}", Visible(&p.message)),
        place => format!("{prefix}{severity}{place}: {}", Visible(&p.message)),
    }
}

impl batch::Progress for Display {
    fn start(&mut self, total: usize) {
        if let Display::Bar(bar) = self {
            bar.set_length(total as u64);
        }
    }

    fn entry(&mut self, r: &EntryReport<'_>) {
        let prefix = prefix(r);
        match r.outcome {
            Outcome::Failed(problems) => {
                for p in problems {
                    self.say(&problem_line(&prefix, p));
                }
                if let Some(hint) = print::hint(problems) {
                    self.say(&hint);
                }
            }
            Outcome::Written { path, warnings, .. } => {
                if !self.is_quiet() {
                    for p in warnings {
                        self.say(&problem_line(&prefix, p));
                    }
                }
                match self {
                    Display::Bar(bar) => {
                        if let Some(name) = path.file_name() {
                            bar.set_message(name.to_string_lossy().into_owned());
                        }
                    }
                    Display::Lines => {
                        note(&format!("{}/{} {}", r.position, r.total, path.display()))
                    }
                    Display::Quiet => {}
                }
            }
        }
        if let Display::Bar(bar) = self {
            bar.inc(1);
        }
    }

    fn merging(&mut self) {
        if let Display::Bar(bar) = self {
            bar.set_message("まとめた PDF を作成しています");
        }
    }
}
