//! The command line as clap reads it: every command's arguments and the value parsers they use.
//! The help's sentences are the doc comments below, in Japanese (`help.rs` lays them out); the
//! checks clap cannot make are each command's `usage_problem`.

use std::net::IpAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "secform",
    version,
    about = "情報セキュリティ対策履行状況確認書（別記様式）と特約条項を PDF にします"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 回答セットから提出用の PDF を作る
    Render(RenderArgs),
    /// 回答セットを確認し、問題をすべて挙げる（エラーがあれば終了コード 1）
    Check(CheckArgs),
    /// 特約条項（情報セキュリティの確保に関する特約条項）を契約の当事者の呼び方で作る
    Clauses(ClausesArgs),
    /// 記入用の空の回答セットを書く（回答・日付は入っていない。各行を記入して check で確かめる）
    Init(InitArgs),
    /// 回答セットを JSON と Excel ブック（.xlsx）の間で変換する（拡張子で判断。'-o -' は JSON を標準出力に。$comment は書かない）
    Convert(ConvertArgs),
    /// 前回の確認書から次回の回答セットを作る（前回確認日と確認年月日を更新し、行23 を auto に。ほかは見直し用にそのまま）
    Next(NextArgs),
    /// 元請と全下請負者等の確認結果を 1 つの一覧（PDF・CSV・Excel ブック）にまとめる（特約条項 第7条第4項の報告用）
    Summary(SummaryArgs),
    /// 元請と全下請負者等の確認書を一度に作る
    Batch(BatchArgs),
    /// ブラウザで確認書を記入する（確認とプレビューを入力のたびに行う）
    Serve(ServeArgs),
}

/// How answers are checked and drawn, shared by the commands that check them.
#[derive(clap::Args)]
pub struct CheckingArgs {
    /// BIZ UD明朝にない文字（例: 𠮷）に使う TTF/OTF フォント
    #[arg(long, value_name = "FILE")]
    pub fallback_font: Option<PathBuf>,
    /// この文字集合にない文字をエラーにする
    #[arg(long, value_enum, default_value = "any")]
    pub charset: CharsetArg,
    /// 半角カタカナ（ｶﾅ）を全角（カナ）に直してから確認・印字する
    #[arg(long)]
    pub fix_kana: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CharsetArg {
    /// フォントで描ける文字すべて
    Any,
    /// JIS X 0208 の文字だけ（電子入札システム向け）
    Jis0208,
}

/// `secform render`.
#[derive(clap::Args)]
pub struct RenderArgs {
    /// 回答セット（JSON または Excel ブック .xlsx）。'-' で標準入力から読む
    #[arg(required_unless_present = "blank")]
    pub answers: Option<String>,
    /// PDF の書き出し先（'-' で標準出力）
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// 手書きで記入する空欄の様式を作る
    #[arg(long, conflicts_with = "answers")]
    pub blank: bool,
    /// 空欄の様式のレイアウト（--blank と一緒に。省略すると既定のもの。記入した様式のレイアウトは回答セットの layout で決まる）
    #[arg(long, value_parser = layouts())]
    pub layout: Option<String>,
    /// 回答セットを PDF に添付しない（PDF/A-2a になる。記入内容を渡してはならないとき）
    #[arg(long)]
    pub no_attach: bool,
    #[command(flatten)]
    pub check: CheckingArgs,
}

/// `secform check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// 回答セット（JSON、Excel ブック .xlsx、secform の PDF）、そのフォルダ（batch と同じく読む）、一括ファイルまたは JSON Lines（1 件ずつ確認）。いくつでも。'-' で標準入力から読む
    #[arg(required = true, num_args = 1..)]
    pub answers: Vec<String>,
    /// 結果の形式
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub check: CheckingArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// 人が読む一覧
    Text,
    /// JSON（ほかのシステムに渡す用）
    Json,
}

/// `secform clauses`.
#[derive(clap::Args)]
pub struct ClausesArgs {
    /// 条項の版: npa-2022（12条、甲/乙）または itaku-14（14条、委託者/受託者）
    #[arg(long, default_value = "npa-2022", value_parser = clause_variants())]
    pub variant: secform::clauses::Variant,
    /// 第一・第二の当事者の呼び方をコンマで区切って（例: 委託者,受託者）。省略するとその版のもの
    #[arg(long, value_name = "A,B", value_parser = secform::clauses::Parties::parse)]
    pub parties: Option<secform::clauses::Parties>,
    /// 当事者の名前をコンマで区切って（例: 北海道警察本部,株式会社北辰情報システムズ）。本文は甲・乙のまま、冒頭に「甲：…」「乙：…」の当事者欄を付ける（--with-form とも使える）
    #[arg(long, value_name = "A,B", value_parser = secform::clauses::Parties::parse)]
    pub party_names: Option<secform::clauses::Parties>,
    /// pdf、txt（1段落1行）、md（Markdown）または docx（Word）
    #[arg(long, default_value = "pdf", value_parser = clause_formats())]
    pub format: secform::clauses::ClauseFormat,
    /// 書き出し先（pdf と docx では必須。txt と md は省略すると標準出力）
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 条項のあとに空欄の別記様式を付ける（pdf だけ。docx などでは使えません。当事者が甲/乙のときだけ）
    #[arg(long)]
    pub with_form: bool,
    /// BIZ UD明朝にない文字に使う TTF/OTF フォント
    #[arg(long, value_name = "FILE")]
    pub fallback_font: Option<PathBuf>,
}

/// `secform init`.
#[derive(clap::Args)]
pub struct InitArgs {
    /// 下請負者等用（Excel ブックでは下請負者等の欄が「はい」で固定）
    #[arg(long)]
    pub subcontractor: bool,
    /// 様式のレイアウト
    #[arg(long, default_value = secform::spec::DEFAULT_LAYOUT, value_parser = layouts())]
    pub layout: String,
    /// 形式（json または xlsx。xlsx は -o で書き出し先のファイルを指定する）
    #[arg(long, value_enum, default_value = "json")]
    pub format: InitFormat,
    /// 書き出し先（省略すると標準出力）
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What `init` writes. The variants carry no doc comment on purpose: the option's sentence names
/// both, and a described value would be listed again under it.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitFormat {
    Json,
    Xlsx,
}

/// `secform convert`.
#[derive(clap::Args)]
pub struct ConvertArgs {
    /// 変換元（.json、.xlsx、または secform で作った確認書の PDF）
    pub input: String,
    /// 変換先（.json、.xlsx、または '-'）
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// `secform next`.
#[derive(clap::Args)]
pub struct NextArgs {
    /// 前回の確認書（secform の PDF）または回答セット（.json / .xlsx）。'-' で標準入力から読む
    pub input: String,
    /// 書き出し先（.json、.xlsx、または '-'）
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// 新しい確認年月日（YYYY-MM-DD。省略すると今日）
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub checked_on: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub check: CheckingArgs,
}

/// `secform summary`.
#[derive(clap::Args)]
pub struct SummaryArgs {
    /// 確認書の PDF・回答セット（.json / .xlsx）、そのフォルダ、または JSON Lines（.jsonl）（いくつでも。元請が先、下請負者等は指定した順に並ぶ）
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// 書き出し先（.pdf: A4 横の一覧表、.csv: UTF-8・BOM 付きで Excel でそのまま開ける、.xlsx: Excel ブック）
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// 進捗を表示しない
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub check: CheckingArgs,
}

/// `secform batch`.
#[derive(clap::Args)]
pub struct BatchArgs {
    /// 一括ファイル（{"defaults": {…}, "forms": [{…}, …]}。'-' で標準入力から読む）、JSON Lines
    /// ファイル（.jsonl、1行に1つの回答セット）、または回答セットのフォルダ（*.json・*.xlsx・*.pdf を名前順に）
    pub input: PathBuf,
    /// PDF の出力フォルダ（NN_事業者名.pdf。なければ作る）
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// 全員の確認書を順に、事業者ごとのしおり付きでこの1つの PDF にもまとめる
    #[arg(long, value_name = "FILE")]
    pub merge: Option<PathBuf>,
    /// 失敗した入力や読めなかったファイルがあっても、欠けたままの --merge の PDF を作る（しおりと一覧に欠けたものを示す）
    #[arg(long, requires = "merge")]
    pub allow_incomplete: bool,
    /// --merge の PDF で、各確認書のページ数を白紙1枚で偶数にそろえる（両面印刷で各確認書が表面から始まる）
    #[arg(long)]
    pub duplex: bool,
    /// 全員の確認結果の一覧もこのファイルに作る（.pdf・.csv・.xlsx。secform summary と同じ）
    #[arg(long, value_name = "FILE", conflicts_with = "next")]
    pub summary: Option<PathBuf>,
    /// ファイル名の付け方
    #[arg(long, value_enum, default_value = "plain")]
    pub names: NamesArg,
    /// 描画に使うスレッドの数（省略するとコアの数）
    #[arg(short, long, allow_negative_numbers = true)]
    pub jobs: Option<NonZeroUsize>,
    /// 進捗と集計を出さず、エラーだけを表示する
    #[arg(short, long)]
    pub quiet: bool,
    /// 回答セットを PDF に添付しない（PDF/A-2a になる。記入内容を渡してはならないとき）
    #[arg(long)]
    pub no_attach: bool,
    /// PDF を作らず、入力ごとに次回の回答セット（JSON）を --out-dir に作る（secform next と同じ。名前はそのまま）
    #[arg(long, conflicts_with_all = ["merge", "no_attach"])]
    pub next: bool,
    /// --next の新しい確認年月日（YYYY-MM-DD。省略すると今日）
    #[arg(long, value_name = "YYYY-MM-DD", requires = "next", value_parser = parse_date)]
    pub checked_on: Option<chrono::NaiveDate>,
    /// --next で作るファイルの形式: json（回答セット）または xlsx（記入用の Excel ブック。そのまま送れる）
    #[arg(long, value_enum, default_value = "json", requires = "next")]
    pub format: NextFormat,
    #[command(flatten)]
    pub check: CheckingArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum NamesArg {
    /// 事業者名から、ファイルシステムが受け付けない文字を除いたもの
    Plain,
    /// e-Gov が添付ファイル名に受け付ける文字だけ
    Egov,
}

/// What `batch --next` writes for each entity.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NextFormat {
    /// 回答セット（JSON）
    Json,
    /// 記入用の Excel ブック（secform init --format xlsx と同じ形）
    Xlsx,
}

/// `secform serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// 回答セット（JSON・Excel ブック・secform の PDF）。保存でここに同じ形式で書き戻す（なければ最初の保存で作る。PDF は -o がなければ書き戻さない）。省略すると記入例から始める
    pub file: Option<PathBuf>,
    /// 保存先（.json・.xlsx・.pdf で形式を決める）。指定すると、FILE の回答を表示し、保存はここに書く
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 待ち受けるポート（0 で空いているものを選ぶ）
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// 待ち受けるアドレス（既定 127.0.0.1）。他のアドレスでは、そこに届きリンクを持つ人は誰でも回答を読み書きできる
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<IpAddr>,
    /// ブラウザを開かない
    #[arg(long)]
    pub no_open: bool,
    /// 新規のとき下請負者等用の空の回答セットから始める
    #[arg(long)]
    pub subcontractor: bool,
}

/// A date clap could not read as `--checked-on` takes it; clap puts the sentence after the option
/// and the value, in the usage error.
#[derive(Debug, thiserror::Error)]
#[error("「{0}」は日付として読めません（YYYY-MM-DD で、例: 2027-04-10）")]
pub struct DateError(String);

/// A date as `--checked-on` takes it.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, DateError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| DateError(text.to_string()))
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
