//! `secform summary`: the overview of every entity's check, from folders (as batch reads them)
//! and answer files (JSON, workbooks, secform PDFs), as CSV, a workbook or PDF; a progress bar on
//! a terminal.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use indicatif::ProgressBar;
use secform::batch::Source;
use secform::summary::{self, Format, Line};
use secform::{Error, Problem};

use super::args::SummaryArgs;
use super::print::{self, note};
use super::{input, options, output, progress, Failure};

/// An output whose extension names no format the summary is written in (`option` names it).
pub fn unknown_format(output: &Path, option: &'static str) -> Failure {
    Failure::SummaryFormat {
        path: output.to_path_buf(),
        option,
    }
}

/// Why the command line cannot be run as given.
pub fn usage_problem(args: &SummaryArgs) -> Option<String> {
    if Format::of(&args.output).is_none() {
        return Some(unknown_format(&args.output, "-o").to_string());
    }
    args.inputs
        .iter()
        .any(|i| secform::output::same_file(i, &args.output))
        .then(|| {
            format!(
                "{}: 入力と出力が同じファイルです。別の出力先を -o で指定してください",
                args.output.display()
            )
        })
}

/// One input: a folder or JSON Lines file (read as batch reads it), or one answer file.
enum Input<'a> {
    Many(&'a Path, Source),
    One(&'a Path),
}

pub fn run(args: &SummaryArgs) -> Result<ExitCode, Failure> {
    let format = Format::of(&args.output).ok_or_else(|| unknown_format(&args.output, "-o"))?;
    let r = options::renderer(&args.check)?;
    let mut inputs = Vec::new();
    for input in &args.inputs {
        let lines_file = input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
        if input.is_dir() || lines_file {
            inputs.push(Input::Many(input, Source::open(input)?));
        } else {
            inputs.push(Input::One(input));
        }
    }
    let total: usize = inputs
        .iter()
        .map(|i| match i {
            Input::Many(_, s) => s.len(),
            Input::One(_) => 1,
        })
        .sum();
    let bar = progress_bar(args.quiet, total);
    let mut lines = Vec::with_capacity(total);
    // Files of a folder not read: each a line to review and a failure; secform's own PDFs: a note.
    let mut folder_notes = Vec::new();
    let mut unread_files = 0;
    for input in inputs {
        match input {
            Input::Many(path, mut source) => {
                // (A JSON Lines file's seal paths are read as if the file were a folder, as ever.)
                let opts = options::check(&args.check, &path.join("_").to_string_lossy());
                let entries = source.by_ref().map(|e| (e.value, e.label));
                lines.extend(secform::batch::lines_of(&r, entries, &opts, |n| {
                    bar.inc(n as u64)
                }));
                let unread = source.unread();
                unread_files += unread.len();
                lines.extend(
                    unread
                        .iter()
                        .map(|u| secform::batch::unread_line(&r, u, &opts)),
                );
                folder_notes.extend(print::folder_lines(&unread, source.passed_over()));
            }
            Input::One(input) => {
                let path = input.to_string_lossy();
                if let Some(why) = secform::batch::format_refusal(input) {
                    let problem = Problem::error("$", why);
                    let opts = options::check(&args.check, &path);
                    lines.push(summary::line(&r, Err(vec![problem]), Some(&path), &opts));
                    folder_notes.push(format!("{}: {why}", secform::error::Visible(&path)));
                    unread_files += 1;
                    bar.inc(1);
                    continue;
                }
                let opts = options::check(&args.check, &path);
                let value = input::read(&path)
                    .map_err(|e| {
                        // Not read at all (missing, a pipe, too large): a failure, as a folder's.
                        if matches!(e, Error::Read { .. }) {
                            unread_files += 1;
                            folder_notes.push(e.to_string());
                        }
                        vec![Problem::error("$", e.to_string())]
                    })
                    .and_then(|file| file.value());
                lines.push(summary::line(&r, value, Some(&path), &opts));
                bar.inc(1);
            }
        }
    }
    let lines = summary::ordered(lines);
    bar.set_message(writing(format));
    let bytes = summary::write(&r, &lines, format);
    bar.finish_and_clear();
    output::write(&args.output, &bytes?)?;
    for line in &folder_notes {
        note(line);
    }
    report(&lines);
    Ok(if unread_files > 0 {
        note(&format!(
            "読めなかったファイル {unread_files} 件は、一覧に「{}」として載せました",
            summary::wording().needs_review
        ));
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What the bar says while the file is made (the PDF of many entities takes a while).
pub(super) fn writing(format: Format) -> &'static str {
    match format {
        Format::Pdf => "PDF を作成しています",
        Format::Csv | Format::Xlsx => "書き出しています",
    }
}

/// A bar on a terminal (never with `--quiet`, nor when standard error is not a terminal); hidden
/// otherwise.
fn progress_bar(quiet: bool, total: usize) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    progress::bar(total as u64)
}

/// Warns when the overview holds more than one 元請, naming them (issue 21 §3): usually a
/// 下請負者等 whose flag was left empty. `summary` and `batch --summary` both say it.
pub(super) fn warn_of_contractors(lines: &[Line]) {
    let contractors = summary::extra_contractors(lines);
    if !contractors.is_empty() {
        note(&format!(
            "警告: 元請が {} 件あります（{}）。下請負者等なら「(1) 事業者名」の「下請負者等」を「はい」にしてください [target.subcontractor]",
            contractors.len(),
            contractors.join("、")
        ));
    }
}

/// Says how many entities do not pass `check` (they are in the overview as 要確認).
fn report(lines: &[Line]) {
    warn_of_contractors(lines);
    let review = lines.iter().filter(|l| l.needs_review()).count();
    if review > 0 {
        note(&format!(
            "{} 件のうち {review} 件は確認を通りません（一覧に「{}」と、その問題を載せました）",
            lines.len(),
            summary::wording().needs_review
        ));
    }
}
