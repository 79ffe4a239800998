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
    /// Turn half-width katakana (ｶﾅ) into full-width (カナ) before checking and printing.
    #[arg(long)]
    fix_kana: bool,
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
    /// Render the special clauses (情報セキュリティの確保に関する特約条項) with the contract's party labels.
    Clauses {
        /// Which clauses: npa-2022 (12 articles, 甲/乙) or itaku-14 (14 articles, 委託者/受託者).
        #[arg(long, default_value = "npa-2022")]
        variant: String,
        /// The first and second party, comma-separated (e.g. 委託者,受託者); default: the variant's own.
        #[arg(long, value_name = "A,B")]
        parties: Option<String>,
        /// pdf, txt (one paragraph a line) or md (Markdown).
        #[arg(long, default_value = "pdf")]
        format: String,
        /// Where to write (required for pdf; txt and md go to standard output without it).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Append the blank 別記様式 after the clauses (pdf only).
        #[arg(long)]
        with_form: bool,
        /// A TTF/OTF font used for characters BIZ UD Mincho lacks.
        #[arg(long, value_name = "FILE")]
        fallback_font: Option<PathBuf>,
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

/// Options for checking the answers read from `answers` (a path, or '-' for standard input):
/// relative paths inside them are read from the answer file's folder.
fn options(args: &CheckArgs, answers: &str) -> CheckOptions {
    let base_dir = match Path::new(answers).parent() {
        Some(dir) if answers != "-" && !dir.as_os_str().is_empty() => Some(dir.to_path_buf()),
        _ => None,
    };
    CheckOptions {
        today: today(),
        charset: match args.charset {
            CharsetArg::Any => Charset::Any,
            CharsetArg::Jis0208 => Charset::Jis0208,
        },
        fix_kana: args.fix_kana,
        base_dir,
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
    let mut bytes = Vec::new();
    let result = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    let io = |source| Error::Io {
        path: path.to_string(),
        source,
    };
    result.map_err(io)?;
    secform::json_text::decode(bytes).map_err(|why| io(std::io::Error::other(why)))
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
            let pdf = if blank {
                r.render_blank(&layout)?
            } else {
                let source = answers.as_deref().unwrap_or("-");
                if source != "-" && secform::output::same_file(Path::new(source), &output) {
                    return Err(Error::Usage(format!(
                        "{}: 入力と出力が同じファイルです。回答が消えてしまうので、別の出力先を -o で指定してください",
                        output.display()
                    )));
                }
                let json = read_input(source)?;
                let pdf = r.render_form(&json, &options(&check, source))?;
                print_problems(&pdf.warnings);
                pdf
            };
            write_output(&output, &pdf.bytes)?;
            if output != Path::new("-") && std::io::stderr().is_terminal() {
                eprintln!(
                    "{} を作成しました（{} ページ）",
                    output.display(),
                    pdf.pages
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
            let problems = match read_input(&answers) {
                Ok(json) => r.check(&json, &options(&check, &answers)),
                // A program reading `--format json` gets JSON whatever went wrong.
                Err(e) if matches!(format, ReportFormat::Json) => {
                    vec![Problem::error("$", e.to_string())]
                }
                Err(e) => return Err(e),
            };
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
        Command::Clauses {
            variant,
            parties,
            format,
            output,
            with_form,
            fallback_font,
        } => clauses(
            &variant,
            parties.as_deref(),
            &format,
            output.as_deref(),
            with_form,
            fallback_font,
        ),
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

fn clauses(
    variant: &str,
    parties: Option<&str>,
    format: &str,
    output: Option<&Path>,
    with_form: bool,
    fallback_font: Option<PathBuf>,
) -> Result<ExitCode, Error> {
    use secform::clauses::{self, ClauseFormat, Parties};
    let format: ClauseFormat = format.parse()?;
    let variant = clauses::variant(variant)?;
    let parties = match parties {
        Some(p) => Parties::parse(p)?,
        None => variant.default_parties.clone(),
    };
    if with_form && format != ClauseFormat::Pdf {
        return Err(Error::Usage(
            "--with-form は --format pdf のときだけ使えます".into(),
        ));
    }
    let bytes = match format {
        ClauseFormat::Txt => {
            clauses::to_txt(&clauses::render_blocks(&variant, &parties)?).into_bytes()
        }
        ClauseFormat::Md => {
            clauses::to_md(&clauses::render_blocks(&variant, &parties)?).into_bytes()
        }
        ClauseFormat::Pdf => {
            if output.is_none() {
                return Err(Error::Usage(
                    "PDF の出力先を -o FILE で指定してください（標準出力へは -o -）".into(),
                ));
            }
            let r = renderer(&CheckArgs {
                fallback_font,
                charset: CharsetArg::Any,
                fix_kana: false,
            })?;
            r.pdf(&r.clauses_document(&variant, &parties, with_form)?)?
        }
    };
    write_output(output.unwrap_or(Path::new("-")), &bytes)?;
    Ok(ExitCode::SUCCESS)
}
