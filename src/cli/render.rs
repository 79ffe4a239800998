//! `secform render`: the filled form (or the blank one) as PDF.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use super::args::RenderArgs;
use super::print::{self, note};
use super::{input, options, output, Failure};

/// What clap cannot check: `--layout` without `--blank`, and an output that is the input.
pub fn usage_problem(args: &RenderArgs) -> Option<String> {
    if !args.blank && args.layout.is_some() {
        return Some(
            "--layout は --blank と一緒に使います（記入した様式のレイアウトは回答セットの layout で決まります）"
                .into(),
        );
    }
    let source = args.answers.as_deref().filter(|a| *a != "-")?;
    secform::output::same_file(Path::new(source), &args.output).then(|| {
        format!(
            "{}: 入力と出力が同じファイルです。回答が消えてしまうので、別の出力先を -o で指定してください",
            args.output.display()
        )
    })
}

pub fn run(args: &RenderArgs) -> Result<ExitCode, Failure> {
    let r = options::renderer(&args.check)?;
    let r = if args.no_attach {
        r.without_attachment()
    } else {
        r
    };
    // The one call into the library: the blank form, or the answers read and rendered.
    let pdf = if args.blank {
        r.render_blank(
            args.layout
                .as_deref()
                .unwrap_or(secform::spec::DEFAULT_LAYOUT),
        )?
    } else {
        let source = args.answers.as_deref().unwrap_or("-");
        let file = input::read(source)?;
        let pdf = r.assess(file, &options::check(&args.check, source)).pdf()?;
        print::problems(&pdf.warnings);
        pdf
    };
    output::write(&args.output, &pdf.bytes)?;
    if args.output != Path::new("-") && std::io::stderr().is_terminal() {
        note(&format!(
            "{} を作成しました（{} ページ）",
            args.output.display(),
            pdf.pages
        ));
    }
    Ok(ExitCode::SUCCESS)
}
