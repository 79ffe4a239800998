//! `secform init`: the starter answer set, as JSON or as a workbook.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use super::args::{InitArgs, InitFormat};
use super::{output, Failure};

/// A workbook is binary: to a terminal it is noise that can upset the terminal, never what the
/// user wants. To a pipe or a file it is written.
pub fn usage_problem(args: &InitArgs) -> Option<String> {
    let to_stdout = args.output.as_deref().is_none_or(|o| o == Path::new("-"));
    (args.format == InitFormat::Xlsx && to_stdout && std::io::stdout().is_terminal()).then(|| {
        "Excel ブック（xlsx）は端末には書き出せません。-o 確認書.xlsx のように書き出し先のファイルを指定してください"
            .into()
    })
}

pub fn run(args: &InitArgs) -> Result<ExitCode, Failure> {
    let starter = secform::starter_json(&args.layout, args.subcontractor)?;
    let out = args.output.as_deref().unwrap_or(Path::new("-"));
    match args.format {
        InitFormat::Xlsx => output::write(out, &output::workbook(&starter, out)?)?,
        InitFormat::Json => output::write(out, starter.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
