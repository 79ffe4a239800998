//! The `secform` command: a thin clap layer over the library, which does all the work.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use secform::{Charset, CheckOptions, Error, FontSet, Problem, Renderer};

mod cli_batch;

#[derive(Parser)]
#[command(
    name = "secform",
    version,
    about = "情報セキュリティ対策履行状況確認書（別記様式）と特約条項を PDF にします"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum CharsetArg {
    /// Any character the fonts can draw.
    Any,
    /// JIS X 0208 only (e-bidding systems).
    Jis0208,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// A TTF/OTF font used for characters BIZ UD Mincho lacks (e.g. 𠮷).
    #[arg(long, value_name = "FILE")]
    fallback_font: Option<PathBuf>,
    /// Reject characters outside this set.
    #[arg(long, value_enum, default_value = "any")]
    charset: CharsetArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Render an answer set as the submission-ready PDF.
    Render {
        /// The answer set (JSON); '-' reads standard input.
        #[arg(required_unless_present = "blank")]
        answers: Option<String>,
        /// Where to write the PDF ('-' for standard output).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Render the unfilled form, for filling by hand.
        #[arg(long, conflicts_with = "answers")]
        blank: bool,
        /// The form layout of the blank form.
        #[arg(long, default_value = secform::layout::DEFAULT_LAYOUT)]
        layout: String,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// Check an answer set and list every problem (exit 1 when there are errors).
    Check {
        /// The answer set (JSON); '-' reads standard input.
        answers: String,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// Print a complete, valid starter answer set.
    Init {
        /// The starter of a subcontractor (下請負者等).
        #[arg(long)]
        subcontractor: bool,
        #[arg(long, default_value = secform::layout::DEFAULT_LAYOUT)]
        layout: String,
    },
    /// Render the forms of a contractor and all its subcontractors in one run.
    Batch(cli_batch::BatchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn options(args: &CheckArgs) -> CheckOptions {
    CheckOptions {
        today: today(),
        charset: match args.charset {
            CharsetArg::Any => Charset::Any,
            CharsetArg::Jis0208 => Charset::Jis0208,
        },
    }
}

fn renderer(args: &CheckArgs) -> Result<Renderer, Error> {
    let fonts = match &args.fallback_font {
        Some(path) => FontSet::with_fallback(path)?,
        None => FontSet::bundled(),
    };
    Ok(Renderer::new(fonts))
}

/// Reads a file, or standard input for '-'.
fn read_input(path: &str) -> Result<String, Error> {
    let mut text = String::new();
    let result = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    result.map_err(|source| Error::Io {
        path: path.to_string(),
        source,
    })?;
    Ok(text)
}

fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(|source| Error::Write {
                path: "-".into(),
                source,
            })
    } else {
        secform::output::write_atomic(path, bytes)
    }
}

fn print_problems(problems: &[Problem]) {
    for p in problems {
        eprintln!("{p}");
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Render {
            answers,
            output,
            blank,
            layout,
            check,
        } => {
            let r = renderer(&check)?;
            let doc = if blank {
                r.blank_document(&layout)?
            } else {
                let json = read_input(answers.as_deref().unwrap_or("-"))?;
                let opts = options(&check);
                let a = secform::answers::parse(&json).map_err(Error::Invalid)?;
                let rendered = r.form_document(&a, &opts)?;
                print_problems(&rendered.warnings);
                rendered.document
            };
            let bytes = r.pdf(&doc)?;
            write_output(&output, &bytes)?;
            if output != Path::new("-") && std::io::stderr().is_terminal() {
                eprintln!(
                    "{} を作成しました（{} ページ）",
                    output.display(),
                    doc.pages.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            answers,
            format,
            check,
        } => {
            let r = renderer(&check)?;
            let json = read_input(&answers)?;
            let problems = r.check(&json, &options(&check));
            match format {
                ReportFormat::Json => {
                    let text =
                        serde_json::to_string_pretty(&problems).unwrap_or_else(|_| "[]".into());
                    println!("{text}");
                }
                ReportFormat::Text if problems.is_empty() => println!("問題はありません"),
                ReportFormat::Text => {
                    for p in &problems {
                        println!("{p}");
                    }
                }
            }
            Ok(if problems.iter().any(Problem::is_error) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Init {
            subcontractor,
            layout,
        } => {
            print!(
                "{}",
                secform::starter_json(&layout, subcontractor, today())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Batch(args) => cli_batch::run(args),
    }
}
