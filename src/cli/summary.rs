//! `secform summary`: the overview of every entity's check, from folders (as batch reads them)
//! and answer files (JSON, workbooks, secform PDFs).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use secform::batch::Source;
use secform::summary;
use secform::{Error, Problem};

use crate::{note, CheckArgs};

#[derive(clap::Args)]
pub struct SummaryArgs {
    /// 確認書の PDF・回答セット（.json / .xlsx）、そのフォルダ、または JSON Lines（.jsonl）（いくつでも。元請が先、下請負者等は指定した順に並ぶ）
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 書き出し先（.csv: UTF-8、BOM 付き。Excel でそのまま開ける）
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    #[command(flatten)]
    check: CheckArgs,
}

/// Why the command line cannot be run as given.
pub fn usage_problem(args: &SummaryArgs) -> Option<String> {
    let csv = args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !csv {
        return Some(format!(
            "{}: 一覧は今のところ CSV（.csv）で書き出します。-o に .csv のファイルを指定してください",
            args.output.display()
        ));
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

pub fn run(args: SummaryArgs) -> Result<ExitCode, Error> {
    let r = crate::renderer(&args.check)?;
    let mut lines = Vec::new();
    for input in &args.inputs {
        let lines_file = input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
        if input.is_dir() || lines_file {
            let opts = crate::options(&args.check, &input.join("_").to_string_lossy());
            let source = Source::open(input)?;
            for entry in source {
                lines.push(summary::line(
                    &r,
                    entry.value,
                    entry.label.as_deref(),
                    &opts,
                ));
            }
        } else {
            let path = input.to_string_lossy();
            let opts = crate::options(&args.check, &path);
            let value = crate::read_input(&path)
                .map_err(|e| vec![Problem::error("$", e.to_string())])
                .and_then(|file| file.value());
            lines.push(summary::line(&r, value, Some(&path), &opts));
        }
    }
    let lines = summary::ordered(lines);
    let review = lines.iter().filter(|l| l.needs_review()).count();
    crate::write_output(Path::new(&args.output), &summary::to_csv(&lines)?)?;
    if review > 0 {
        note(&format!(
            "{} 件のうち {review} 件は確認を通りません（一覧に「{}」と、その問題を載せました）",
            lines.len(),
            summary::wording().needs_review
        ));
    }
    Ok(ExitCode::SUCCESS)
}
