//! Renders a filled 確認書 from Rust: an answer set in, the PDF out, the warnings `check` gives
//! printed beside it. `cargo run --example render -- samples/main-contractor.json out.pdf`

#![expect(clippy::print_stderr, reason = "an example reports on standard error")]

use secform::{CheckOptions, Error, FontSet, Renderer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(answers), Some(output)) = (args.next(), args.next()) else {
        return Err("使い方: render ANSWERS.json OUT.pdf".into());
    };
    let json = std::fs::read_to_string(&answers)?;

    // One renderer per font set; clone it for threads. The options are `check`'s: today's date
    // for the date rules, and the folder relative paths (a seal image) are read from.
    let renderer = Renderer::new(FontSet::bundled());
    let mut options = CheckOptions::new(chrono::Local::now().date_naive());
    options.seal_files = std::sync::Arc::new(secform::files::SealFolder {
        dir: std::path::Path::new(&answers).parent().map(Into::into),
    });

    match renderer.assess_json(&json, &options).pdf() {
        Ok(pdf) => {
            for warning in &pdf.warnings {
                eprintln!("{warning}");
            }
            secform::output::write_atomic(std::path::Path::new(&output), &pdf.bytes)?;
            eprintln!("{output}: {} ページ", pdf.pages);
            Ok(())
        }
        // Every error at once, each naming its JSON path, in Japanese.
        Err(Error::Invalid(problems)) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            Err(format!("{answers}: {} 件のエラー", problems.len()).into())
        }
        Err(e) => Err(e.into()),
    }
}
