//! `secform batch`: the command-line face of [`secform::batch`] (part of the binary, not the
//! library): Ctrl-C, the progress display, the error lines and the summary.

use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use indicatif::ProgressBar;
use secform::batch::{self, EntryReport, Merged, NameStyle, Outcome, Summary};
use secform::error::Visible;
use secform::{Error, Problem};

use crate::note;
use crate::CheckArgs;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum NamesArg {
    /// 事業者名から、ファイルシステムが受け付けない文字を除いたもの
    Plain,
    /// e-Gov が添付ファイル名に受け付ける文字だけ
    Egov,
}

#[derive(clap::Args)]
pub struct BatchArgs {
    /// 一括ファイル（{"defaults": {…}, "forms": [{…}, …]}。'-' で標準入力から読む）、JSON Lines
    /// ファイル（.jsonl、1行に1つの回答セット）、または回答セットのフォルダ（*.json・*.xlsx・*.pdf を名前順に）
    input: PathBuf,
    /// PDF の出力フォルダ（NN_事業者名.pdf。なければ作る）
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    /// 全員の確認書を順に、事業者ごとのしおり付きでこの1つの PDF にもまとめる
    #[arg(long, value_name = "FILE")]
    merge: Option<PathBuf>,
    /// 失敗した入力や読めなかったファイルがあっても、欠けたままの --merge の PDF を作る（しおりと一覧に欠けたものを示す）
    #[arg(long, requires = "merge")]
    allow_incomplete: bool,
    /// --merge の PDF で、各確認書のページ数を白紙1枚で偶数にそろえる（両面印刷で各確認書が表面から始まる）
    #[arg(long)]
    duplex: bool,
    /// 全員の確認結果の一覧もこのファイルに作る（.pdf・.csv・.xlsx。secform summary と同じ）
    #[arg(long, value_name = "FILE", conflicts_with = "next")]
    summary: Option<PathBuf>,
    /// ファイル名の付け方
    #[arg(long, value_enum, default_value = "plain")]
    names: NamesArg,
    /// 描画に使うスレッドの数（省略するとコアの数）
    #[arg(short, long, allow_negative_numbers = true)]
    jobs: Option<NonZeroUsize>,
    /// 進捗と集計を出さず、エラーだけを表示する
    #[arg(short, long)]
    quiet: bool,
    /// 回答セットを PDF に添付しない（PDF/A-2a になる。記入内容を渡してはならないとき）
    #[arg(long)]
    no_attach: bool,
    /// PDF を作らず、入力ごとに次回の回答セット（JSON）を --out-dir に作る（secform next と同じ。名前はそのまま）
    #[arg(long, conflicts_with_all = ["merge", "no_attach"])]
    next: bool,
    /// --next の新しい確認年月日（YYYY-MM-DD。省略すると今日）
    #[arg(long, value_name = "YYYY-MM-DD", requires = "next", value_parser = crate::parse_date)]
    checked_on: Option<chrono::NaiveDate>,
    /// --next で作るファイルの形式: json（回答セット）または xlsx（記入用の Excel ブック。そのまま送れる）
    #[arg(long, value_enum, default_value = "json", requires = "next")]
    format: crate::cli_next::NextFormat,
    #[command(flatten)]
    check: CheckArgs,
}

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
const INTERRUPTED: u8 = 130;

pub fn run(args: BatchArgs) -> Result<ExitCode, Error> {
    let renderer = crate::renderer(&args.check)?;
    let renderer = if args.no_attach {
        renderer.without_attachment()
    } else {
        renderer
    };
    let source = if args.input == std::path::Path::new("-") {
        // A batch file on standard input, read (and its encoding told) as `render -` reads one.
        batch::Source::from_batch_json(
            &crate::read_input_within("-", secform::files::Limit::BATCH_FILE)?.json,
        )
    } else {
        batch::Source::open(&args.input)
    }
    .map_err(|e| in_file(&args.input, e))?;
    // Outputs in the folder read would be read back as answers by the next run.
    if let Some(problem) = batch::out_dir_problem(&source, &args.out_dir) {
        return Err(problem);
    }
    let base = if args.input.is_dir() {
        args.input.join("_")
    } else {
        args.input.clone()
    };
    if args.next {
        let job = crate::cli_next::NextBatch {
            input: &args.input,
            out_dir: &args.out_dir,
            checked_on: args.checked_on,
            names: match args.names {
                NamesArg::Plain => NameStyle::Plain,
                NamesArg::Egov => NameStyle::Egov,
            },
            quiet: args.quiet,
            check: &args.check,
            format: args.format,
        };
        return crate::cli_next::run(job, source, &base.to_string_lossy());
    }
    let opts = batch::Options {
        out_dir: args.out_dir,
        merge: args.merge,
        merge_chunk: 0,
        duplex: args.duplex,
        names: match args.names {
            NamesArg::Plain => NameStyle::Plain,
            NamesArg::Egov => NameStyle::Egov,
        },
        jobs: args.jobs.map_or(0, NonZeroUsize::get),
        allow_incomplete: args.allow_incomplete,
        // Relative paths in the entries (a seal image) are read from the batch file's folder.
        // (for a folder, from that folder: `options` takes the parent of the path it is given).
        check: crate::options(&args.check, &base.to_string_lossy()),
    };
    if source.ignored() > 0 && !args.quiet {
        note(&format!(
            "隠しファイル・ロックファイルなど（.／._／~$ で始まる名前、Thumbs.db など）{} 件は回答ファイルではないため読みませんでした",
            source.ignored()
        ));
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))
        .map_err(|e| Error::Usage(format!("Ctrl-C を受け付けられません: {e}")))?;
    let mut display = Display::new(args.quiet);
    let summary = match &args.summary {
        None => batch::run(&renderer, source, &opts, &cancel, &mut display)?,
        Some(path) => {
            // Found out now rather than after every form is rendered, as for --merge.
            secform::output::AtomicFile::probe(path)?;
            let mut summing = Summing {
                display: &mut display,
                renderer: &renderer,
                check: &opts.check,
                lines: Vec::new(),
            };
            let summary = batch::run(&renderer, source, &opts, &cancel, &mut summing)?;
            // A file not read is a gap of the set: in the summary as an entity to review.
            let mut lines = summing.lines;
            lines.extend(
                summary
                    .unread
                    .iter()
                    .map(|u| unread_line(&renderer, u, &opts.check)),
            );
            let lines = secform::summary::ordered(lines);
            if !summary.interrupted {
                write_summary(&renderer, &display, path, &lines)?;
            }
            summary
        }
    };
    display.finish(&summary);
    Ok(if summary.interrupted {
        ExitCode::from(INTERRUPTED)
    } else if summary.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The summary's line of a file that was not read: its name, 要確認, and why.
pub fn unread_line(
    renderer: &secform::Renderer,
    unread: &batch::Unread,
    check: &secform::CheckOptions,
) -> secform::summary::Line {
    let name = file_name(&unread.file);
    secform::summary::line(
        renderer,
        Err(vec![Problem::error("$", unread.reason.clone())]),
        Some(&name),
        check,
    )
}

/// A file's name as the lines about it show it.
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The lines about a folder's files that were not read (failures) and those passed over (notes).
pub fn folder_lines(unread: &[batch::Unread], passed_over: &[batch::Unread]) -> Vec<String> {
    let line = |u: &batch::Unread| format!("{}: {}", Visible(&file_name(&u.file)), u.reason);
    let mut lines: Vec<String> = passed_over.iter().map(line).collect();
    lines.extend(unread.iter().map(line));
    lines
}

/// Why `--merge` or `--summary` cannot be written where it is asked: neither may replace what the
/// batch reads, the batch file or an answer set in the folder being read; the summary must be a
/// format it is written in. And `--duplex` means nothing without `--merge`.
pub fn merge_problem(args: &BatchArgs) -> Option<String> {
    if args.duplex && args.merge.is_none() {
        return Some(
            "--duplex はまとめた PDF のページをそろえる指定です。--merge FILE と一緒に指定してください"
                .into(),
        );
    }
    if let Some(summary) = args.summary.as_deref() {
        if secform::summary::Format::of(summary).is_none() {
            return Some(crate::cli_summary::unknown_format(summary, "--summary"));
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
    output: &std::path::Path,
    [what_wa, what_no]: [&str; 2],
    option: &str,
) -> Option<String> {
    let input = args.input.as_path();
    // `batch` writes many files and reports on standard output: the file has no place there, and
    // a file named `-` is never what was meant.
    if output == std::path::Path::new("-") {
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
fn in_file(path: &std::path::Path, e: Error) -> Error {
    match e {
        Error::Invalid(problems) => Error::Usage(
            problems
                .iter()
                .map(|p| {
                    format!(
                        "{}: {}: {}",
                        Visible(&path.display().to_string()),
                        Visible(&p.path),
                        Visible(&p.message)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        e => e,
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
            Display::Bar(super::progress_bar(0))
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
        for line in folder_lines(&s.unread, &s.passed_over) {
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

/// Reports as `display` does and keeps the summary's line of every entry read.
struct Summing<'a> {
    display: &'a mut Display,
    renderer: &'a secform::Renderer,
    check: &'a secform::CheckOptions,
    lines: Vec<secform::summary::Line>,
}

impl batch::Progress for Summing<'_> {
    fn start(&mut self, total: usize) {
        self.display.start(total);
    }

    fn read(&mut self, entry: &batch::Entry) {
        let line = secform::summary::line(
            self.renderer,
            entry.value.clone(),
            entry.label.as_deref(),
            self.check,
        );
        self.lines.push(line);
    }

    fn entry(&mut self, report: &EntryReport<'_>) {
        self.display.entry(report);
    }

    fn merging(&mut self) {
        self.display.merging();
    }
}

/// Writes the batch's summary to `path` once the batch is done.
fn write_summary(
    renderer: &secform::Renderer,
    display: &Display,
    path: &std::path::Path,
    lines: &[secform::summary::Line],
) -> Result<(), Error> {
    let format = secform::summary::Format::of(path)
        .ok_or_else(|| Error::Usage(crate::cli_summary::unknown_format(path, "--summary")))?;
    if let Display::Bar(bar) = display {
        bar.set_message(crate::cli_summary::writing(format));
    }
    let bytes = secform::summary::write(renderer, lines, format)?;
    secform::output::write_atomic(path, &bytes)?;
    crate::cli_summary::warn_of_contractors(lines);
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
                if let Some(hint) = crate::hint(problems) {
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
