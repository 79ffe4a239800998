//! The `secform` command: a thin clap layer over the library, which does all the work.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use secform::{Charset, CheckOptions, Error, Problem, Renderer};

mod cli;

use cli::{
    batch as cli_batch, help as cli_help, next as cli_next, serve as cli_serve,
    summary as cli_summary,
};

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
    /// フォントで描ける文字すべて
    Any,
    /// JIS X 0208 の文字だけ（電子入札システム向け）
    Jis0208,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// BIZ UD明朝にない文字（例: 𠮷）に使う TTF/OTF フォント
    #[arg(long, value_name = "FILE")]
    fallback_font: Option<PathBuf>,
    /// この文字集合にない文字をエラーにする
    #[arg(long, value_enum, default_value = "any")]
    charset: CharsetArg,
    /// 半角カタカナ（ｶﾅ）を全角（カナ）に直してから確認・印字する
    #[arg(long)]
    fix_kana: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// 人が読む一覧
    Text,
    /// JSON（ほかのシステムに渡す用）
    Json,
}

/// The options of `clauses`.
#[derive(clap::Args)]
struct ClausesArgs {
    /// 条項の版: npa-2022（12条、甲/乙）または itaku-14（14条、委託者/受託者）
    #[arg(long, default_value = "npa-2022", value_parser = clause_variants())]
    variant: secform::clauses::Variant,
    /// 第一・第二の当事者の呼び方をコンマで区切って（例: 委託者,受託者）。省略するとその版のもの
    #[arg(long, value_name = "A,B", value_parser = secform::clauses::Parties::parse)]
    parties: Option<secform::clauses::Parties>,
    /// 当事者の名前をコンマで区切って（例: 北海道警察本部,株式会社北辰情報システムズ）。本文は甲・乙のまま、冒頭に「甲：…」「乙：…」の当事者欄を付ける（--with-form とも使える）
    #[arg(long, value_name = "A,B", value_parser = secform::clauses::Parties::parse)]
    party_names: Option<secform::clauses::Parties>,
    /// pdf、txt（1段落1行）、md（Markdown）または docx（Word）
    #[arg(long, default_value = "pdf", value_parser = clause_formats())]
    format: secform::clauses::ClauseFormat,
    /// 書き出し先（pdf と docx では必須。txt と md は省略すると標準出力）
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// 条項のあとに空欄の別記様式を付ける（pdf だけ。docx などでは使えません。当事者が甲/乙のときだけ）
    #[arg(long)]
    with_form: bool,
    /// BIZ UD明朝にない文字に使う TTF/OTF フォント
    #[arg(long, value_name = "FILE")]
    fallback_font: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// 回答セットから提出用の PDF を作る
    Render {
        /// 回答セット（JSON または Excel ブック .xlsx）。'-' で標準入力から読む
        #[arg(required_unless_present = "blank")]
        answers: Option<String>,
        /// PDF の書き出し先（'-' で標準出力）
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// 手書きで記入する空欄の様式を作る
        #[arg(long, conflicts_with = "answers")]
        blank: bool,
        /// 空欄の様式のレイアウト（--blank と一緒に。省略すると既定のもの。記入した様式のレイアウトは回答セットの layout で決まる）
        #[arg(long, value_parser = layouts())]
        layout: Option<String>,
        /// 回答セットを PDF に添付しない（PDF/A-2a になる。記入内容を渡してはならないとき）
        #[arg(long)]
        no_attach: bool,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 回答セットを確認し、問題をすべて挙げる（エラーがあれば終了コード 1）
    Check {
        /// 回答セット（JSON、Excel ブック .xlsx、secform の PDF）、そのフォルダ（batch と同じく読む）、一括ファイルまたは JSON Lines（1 件ずつ確認）。いくつでも。'-' で標準入力から読む
        #[arg(required = true, num_args = 1..)]
        answers: Vec<String>,
        /// 結果の形式
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 特約条項（情報セキュリティの確保に関する特約条項）を契約の当事者の呼び方で作る
    Clauses(ClausesArgs),
    /// 記入用の空の回答セットを書く（回答・日付は入っていない。各行を記入して check で確かめる）
    Init {
        /// 下請負者等用（Excel ブックでは下請負者等の欄が「はい」で固定）
        #[arg(long)]
        subcontractor: bool,
        /// 様式のレイアウト
        #[arg(long, default_value = secform::spec::DEFAULT_LAYOUT, value_parser = layouts())]
        layout: String,
        /// 形式（json または xlsx。xlsx は -o で書き出し先のファイルを指定する）
        #[arg(long, default_value = "json", value_parser = ["json", "xlsx"])]
        format: String,
        /// 書き出し先（省略すると標準出力）
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// 回答セットを JSON と Excel ブック（.xlsx）の間で変換する（拡張子で判断。'-o -' は JSON を標準出力に。$comment は書かない）
    Convert {
        /// 変換元（.json、.xlsx、または secform で作った確認書の PDF）
        input: String,
        /// 変換先（.json、.xlsx、または '-'）
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// 前回の確認書から次回の回答セットを作る（前回確認日と確認年月日を更新し、行23 を auto に。ほかは見直し用にそのまま）
    Next {
        /// 前回の確認書（secform の PDF）または回答セット（.json / .xlsx）。'-' で標準入力から読む
        input: String,
        /// 書き出し先（.json、.xlsx、または '-'）
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// 新しい確認年月日（YYYY-MM-DD。省略すると今日）
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        checked_on: Option<chrono::NaiveDate>,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 元請と全下請負者等の確認結果を 1 つの一覧（PDF・CSV・Excel ブック）にまとめる（特約条項 第7条第4項の報告用）
    Summary(cli_summary::SummaryArgs),
    /// 元請と全下請負者等の確認書を一度に作る
    Batch(cli_batch::BatchArgs),
    /// ブラウザで確認書を記入する（確認とプレビューを入力のたびに行う）
    Serve(cli_serve::ServeArgs),
}

/// The clause variants, as the values `--variant` takes.
fn clause_variants() -> impl TypedValueParser<Value = secform::clauses::Variant> {
    PossibleValuesParser::new(secform::clauses::variant_names())
        .try_map(|name: String| secform::clauses::variant(&name))
}

/// The output formats of `clauses`, as the values `--format` takes.
fn clause_formats() -> impl TypedValueParser<Value = secform::clauses::ClauseFormat> {
    PossibleValuesParser::new(secform::clauses::ClauseFormat::ALL.map(|(name, _)| name))
        .try_map(|name: String| name.parse::<secform::clauses::ClauseFormat>())
}

/// The form layouts compiled in, as the values `--layout` takes.
fn layouts() -> PossibleValuesParser {
    PossibleValuesParser::new(secform::spec::names())
}

/// What the command line asks that clap cannot check alone: the subcommand and the problem.
fn usage_problem(cli: &Cli) -> Option<(&'static str, String)> {
    use secform::clauses::{self, ClauseFormat};
    match &cli.command {
        Command::Render {
            answers,
            output,
            blank,
            layout,
            ..
        } => {
            if !blank && layout.is_some() {
                return Some((
                    "render",
                    "--layout は --blank と一緒に使います（記入した様式のレイアウトは回答セットの layout で決まります）"
                        .into(),
                ));
            }
            let source = answers.as_deref().filter(|a| *a != "-")?;
            secform::output::same_file(Path::new(source), output).then(|| {
                (
                    "render",
                    format!(
                        "{}: 入力と出力が同じファイルです。回答が消えてしまうので、別の出力先を -o で指定してください",
                        output.display()
                    ),
                )
            })
        }
        Command::Clauses(args) => {
            let parties = args
                .parties
                .as_ref()
                .unwrap_or(&args.variant.default_parties);
            let problem = if args.with_form && args.format != ClauseFormat::Pdf {
                Some("--with-form は --format pdf のときだけ使えます（docx・txt・md では使えません）".into())
            } else if args.with_form {
                clauses::with_form_problem(&args.variant, parties)
                    .map(|e| format!("--with-form: {e}"))
            } else if args.format == ClauseFormat::Pdf && args.output.is_none() {
                Some("PDF の出力先を -o FILE で指定してください（標準出力へは -o -）".into())
            } else if args.format == ClauseFormat::Docx && args.output.is_none() {
                Some("docx の出力先を -o FILE で指定してください（標準出力へは -o -）".into())
            } else {
                None
            };
            problem.map(|p| ("clauses", p))
        }
        Command::Batch(args) => cli_batch::merge_problem(args).map(|p| ("batch", p)),
        Command::Init { format, output, .. } => {
            // A workbook is binary: to a terminal it is noise that can upset the terminal, never
            // what the user wants. To a pipe or a file it is written.
            let to_stdout = output.as_deref().is_none_or(|o| o == Path::new("-"));
            (format == "xlsx" && to_stdout && std::io::stdout().is_terminal()).then(|| {
                (
                    "init",
                    "Excel ブック（xlsx）は端末には書き出せません。-o 確認書.xlsx のように書き出し先のファイルを指定してください"
                        .into(),
                )
            })
        }
        Command::Summary(args) => cli_summary::usage_problem(args).map(|p| ("summary", p)),
        Command::Next { input, output, .. } if input != "-" => {
            secform::output::same_file(Path::new(input), output).then(|| {
                (
                    "next",
                    format!(
                        "{}: 入力と出力が同じファイルです。前回の回答が消えてしまうので、別の出力先を -o で指定してください",
                        output.display()
                    ),
                )
            })
        }
        _ => None,
    }
}

fn main() -> ExitCode {
    // A defect met at run time is said in Japanese, without Rust's English words or a backtrace
    // (a batch's entry that meets one is also reported as failed, and the others go on).
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or(String::new(), |l| format!("（{}:{}）", l.file(), l.line()));
        note(&format!(
            "内部エラーが起きました{at}。secform の不具合です。入力のファイルを添えて開発元に連絡してください"
        ));
    }));
    let mut command = cli_help::localize(Cli::command());
    let args = cli_help::arguments();
    let cli = match command
        .try_get_matches_from_mut(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(e) => return cli_help::report(e, &mut command, &args),
    };
    if let Some((subcommand, problem)) = usage_problem(&cli) {
        return cli_help::usage_error(&problem, &mut command, subcommand);
    }
    match run(cli) {
        Ok(code) => code,
        Err(Error::Invalid(problems)) => {
            print_problems(&problems);
            ExitCode::from(1)
        }
        Err(e) => {
            note(&e.to_string());
            ExitCode::from(1)
        }
    }
}

/// A date as `--checked-on` takes it.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("「{text}」は日付として読めません（YYYY-MM-DD で、例: 2027-04-10）"))
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Options for checking the answers read from `answers` (a path, or '-' for standard input):
/// relative paths inside them are read from the answer file's folder.
fn options(args: &CheckArgs, answers: &str) -> CheckOptions {
    let dir = match Path::new(answers).parent() {
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
        seal_files: std::sync::Arc::new(secform::files::SealFolder { dir }),
    }
}

fn renderer(args: &CheckArgs) -> Result<Renderer, Error> {
    Ok(Renderer::new(cli::settings::fonts(
        args.fallback_font.as_deref(),
    )?))
}

/// Reads an answer file (JSON, a workbook, a secform PDF), or standard input for '-': a regular
/// file only, through a cap ([`secform::files`]).
fn read_input(path: &str) -> Result<secform::input::file::AnswerFile, Error> {
    read_input_within(path, secform::files::Limit::ANSWER_FILE)
}

/// [`read_input`] within `limit` (a batch file's is larger).
fn read_input_within(
    path: &str,
    limit: secform::files::Limit,
) -> Result<secform::input::file::AnswerFile, Error> {
    let io = |source| Error::Io {
        path: path.to_string(),
        source,
    };
    if path != "-" {
        if let Some(why) = secform::batch::format_refusal(Path::new(path)) {
            return Err(io(std::io::Error::other(why)));
        }
    }
    let bytes = if path == "-" {
        secform::files::read_stdin(limit)
    } else {
        secform::files::read(Path::new(path), limit)
    }
    .map_err(|source| Error::Read {
        path: path.to_string(),
        source,
    })?;
    let name = (path != "-").then(|| Path::new(path));
    secform::input::file::AnswerFile::from_bytes(name, bytes)
        .map_err(|why| io(std::io::Error::other(why)))
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

/// Writes a line to standard error. A run stopped by SIGHUP has lost its terminal, and a standard
/// error that cannot be written is no reason to panic (or to turn a batch's clean stop, exit 130
/// with its temporary files removed, into one).
fn note(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn print_problems(problems: &[Problem]) {
    for p in problems {
        note(&p.to_string());
    }
    if let Some(hint) = hint(problems) {
        note(&hint);
    }
}

/// The command line's words for the way out the problems point to, once for all of them.
fn hint(problems: &[Problem]) -> Option<String> {
    problems
        .iter()
        .any(|p| p.hint == Some(secform::Hint::AnotherFont))
        .then(|| {
            format!(
                "ヒント: その文字を含む TTF/OTF フォントを --fallback-font FILE で指定できます（{}）",
                cli::settings::how_to_set()
            )
        })
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Render {
            answers,
            output,
            blank,
            layout,
            no_attach,
            check,
        } => render(
            answers.as_deref(),
            &output,
            blank,
            layout.as_deref(),
            no_attach,
            &check,
        ),
        Command::Check {
            answers,
            format,
            check,
        } => cli::check::run(&answers, format, &check),
        Command::Clauses(args) => clauses(args),
        Command::Init {
            subcontractor,
            layout,
            format,
            output,
        } => init(&layout, subcontractor, &format, output.as_deref()),
        Command::Convert { input, output } => convert(&input, &output),
        Command::Next {
            input,
            output,
            checked_on,
            check,
        } => next(&input, &output, checked_on, &check),
        Command::Batch(args) => cli_batch::run(args),
        Command::Summary(args) => cli_summary::run(args),
        Command::Serve(args) => cli_serve::run(args),
    }
}

/// `secform render`: the filled form (or the blank one) as PDF.
fn render(
    answers: Option<&str>,
    output: &Path,
    blank: bool,
    layout: Option<&str>,
    no_attach: bool,
    check: &CheckArgs,
) -> Result<ExitCode, Error> {
    let r = renderer(check)?;
    let r = if no_attach { r.without_attachment() } else { r };
    let pdf = if blank {
        r.render_blank(layout.unwrap_or(secform::spec::DEFAULT_LAYOUT))?
    } else {
        let source = answers.unwrap_or("-");
        let file = read_input(source)?;
        let pdf = r.assess(file, &options(check, source)).pdf()?;
        print_problems(&pdf.warnings);
        pdf
    };
    write_output(output, &pdf.bytes)?;
    if output != Path::new("-") && std::io::stderr().is_terminal() {
        note(&format!(
            "{} を作成しました（{} ページ）",
            output.display(),
            pdf.pages
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `secform init`: the starter answer set, as JSON or as a workbook.
fn init(
    layout: &str,
    subcontractor: bool,
    format: &str,
    output: Option<&Path>,
) -> Result<ExitCode, Error> {
    let starter = secform::starter_json(layout, subcontractor)?;
    let out = output.unwrap_or(Path::new("-"));
    if format == "xlsx" {
        write_output(out, &to_xlsx(&starter, out)?)?;
    } else {
        write_output(out, starter.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `secform convert`: an answer set from one shape into another, by the output's extension.
fn convert(input: &str, output: &Path) -> Result<ExitCode, Error> {
    let file = read_input(input)?;
    let value = file.value().map_err(|problems| Error::Io {
        path: input.to_string(),
        source: std::io::Error::other(
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    })?;
    let xlsx = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx {
        write_output(output, &to_xlsx(&value.to_string(), output)?)?;
    } else {
        let form = secform::FormSpec::get(
            value
                .get("layout")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(secform::spec::DEFAULT_LAYOUT),
        )?;
        let text = secform::export::json::plain_text(&value, form);
        write_output(output, text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `secform next`: the file is written even when `check` would refuse it (the user reviews it
/// anyway), with what `check` says and exit 1 for errors.
fn next(
    input: &str,
    output: &Path,
    checked_on: Option<chrono::NaiveDate>,
    check: &CheckArgs,
) -> Result<ExitCode, Error> {
    let r = renderer(check)?;
    let json = read_input(input)?;
    let opts = options(check, input);
    let next = secform::next::next(&r, &json.json, checked_on.unwrap_or(opts.today), &opts)?;
    let xlsx = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx {
        write_output(output, &to_xlsx(&next.json, output)?)?;
    } else {
        write_output(output, next.json.as_bytes())?;
    }
    print_problems(&next.problems);
    let shown = if output == Path::new("-") {
        "標準出力".to_string()
    } else {
        output.display().to_string()
    };
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

/// The workbook of an answer set's JSON text, for `init --format xlsx` and `convert`.
fn to_xlsx(json: &str, output: &Path) -> Result<Vec<u8>, Error> {
    secform::export::workbook::json_to_xlsx(json).map_err(|why| Error::Io {
        path: output.display().to_string(),
        source: std::io::Error::other(why),
    })
}

fn clauses(args: ClausesArgs) -> Result<ExitCode, Error> {
    use secform::clauses::{self, ClauseFormat};
    let (variant, format) = (&args.variant, args.format);
    let parties = args.parties.as_ref().unwrap_or(&variant.default_parties);
    let names = args.party_names.as_ref();
    let blocks = || clauses::render_blocks_named(variant, parties, names);
    let bytes = match format {
        ClauseFormat::Txt => clauses::to_txt(&blocks()?).into_bytes(),
        ClauseFormat::Md => clauses::to_md(&blocks()?).into_bytes(),
        ClauseFormat::Docx => clauses::docx::write(&blocks()?, &variant.title)?,
        ClauseFormat::Pdf => {
            let r = renderer(&CheckArgs {
                fallback_font: args.fallback_font.clone(),
                charset: CharsetArg::Any,
                fix_kana: false,
            })?;
            r.pdf(&r.clauses_document_named(variant, parties, names, args.with_form)?)?
        }
    };
    write_output(args.output.as_deref().unwrap_or(Path::new("-")), &bytes)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own consistency checks, on the command line as localized.
    #[test]
    fn the_localized_command_line_is_consistent() {
        cli_help::localize(Cli::command()).debug_assert();
    }
}
