//! `secform next`: next year's answer set from the last one. The file is written even when
//! `check` would refuse it (the user reviews it anyway), with what `check` says and exit 1 for
//! errors. (`batch --next` does it for every entity: `batch.rs`.)

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use secform::Problem;

use super::args::NextArgs;
use super::print::{self, note};
use super::{input, options, output, Failure};

/// The last answers must not be overwritten by the next ones.
pub fn usage_problem(args: &NextArgs) -> Option<String> {
    if args.input == "-" {
        return None;
    }
    secform::output::same_file(Path::new(&args.input), &args.output).then(|| {
        format!(
            "{}: 入力と出力が同じファイルです。前回の回答が消えてしまうので、別の出力先を -o で指定してください",
            args.output.display()
        )
    })
}

pub fn run(args: &NextArgs) -> Result<ExitCode, Failure> {
    let r = options::renderer(&args.check)?;
    let last = input::read(&args.input)?;
    let opts = options::check(&args.check, &args.input);
    let checked_on = args.checked_on.unwrap_or(opts.today);
    // The one call into the library.
    let next = secform::next::next(&r, &last.json, checked_on, &opts)?;
    let out = &args.output;
    if output::is_workbook(out) {
        output::write(out, &output::workbook(&next.json, out)?)?;
    } else {
        output::write(out, next.json.as_bytes())?;
    }
    print::problems(&next.problems);
    let shown = output::shown(out);
    if next.problems.iter().any(Problem::is_error) {
        note(&format!(
            "{shown} に書き出しましたが、このままでは確認を通りません（上の問題を直してください）"
        ));
        Ok(ExitCode::from(1))
    } else {
        if std::io::stderr().is_terminal() {
            note(&format!(
                "{shown} に書き出しました。前回の回答を引き継いでいます。今回の状況に合わせて見直してください"
            ));
        }
        Ok(ExitCode::SUCCESS)
    }
}
