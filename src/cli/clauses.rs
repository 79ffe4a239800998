//! `secform clauses`: the special clauses in the parties' words, as PDF, text, Markdown or Word.

use std::path::Path;
use std::process::ExitCode;

use secform::clauses::{self, ClauseFormat};

use super::args::ClausesArgs;
use super::{options, output, Failure};

/// What clap cannot check: `--with-form` only with a PDF and parties it fits, and a file named
/// for the binary formats.
pub fn usage_problem(args: &ClausesArgs) -> Option<String> {
    let parties = args
        .parties
        .as_ref()
        .unwrap_or(&args.variant.default_parties);
    if args.with_form && args.format != ClauseFormat::Pdf {
        Some(
            "--with-form は --format pdf のときだけ使えます（docx・txt・md では使えません）".into(),
        )
    } else if args.with_form {
        clauses::with_form_problem(&args.variant, parties).map(|e| format!("--with-form: {e}"))
    } else if args.format == ClauseFormat::Pdf && args.output.is_none() {
        Some("PDF の出力先を -o FILE で指定してください（標準出力へは -o -）".into())
    } else if args.format == ClauseFormat::Docx && args.output.is_none() {
        Some("docx の出力先を -o FILE で指定してください（標準出力へは -o -）".into())
    } else {
        None
    }
}

pub fn run(args: &ClausesArgs) -> Result<ExitCode, Failure> {
    let (variant, format) = (&args.variant, args.format);
    let parties = args.parties.as_ref().unwrap_or(&variant.default_parties);
    let names = args.party_names.as_ref();
    // Only the PDF needs the fonts (a fallback font the user set among them).
    let renderer = match format {
        ClauseFormat::Pdf => options::renderer_with(args.fallback_font.as_deref())?,
        _ => secform::Renderer::new(secform::FontSet::bundled()),
    };
    let bytes = renderer.clauses_file(variant, parties, names, format, args.with_form)?;
    output::write(args.output.as_deref().unwrap_or(Path::new("-")), &bytes)?;
    Ok(ExitCode::SUCCESS)
}
