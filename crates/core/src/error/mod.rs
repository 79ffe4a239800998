//! Errors and problems, as values for the caller to report (the library never prints).

mod archive;
mod attached;
mod destination;
mod file;
mod join;
mod pdf;
mod read;
mod workbook;
mod write;

pub use archive::ArchiveError;
pub use attached::AttachedError;
pub use destination::DestinationError;
pub use file::{FileError, FileKind, Size};
pub use join::JoinError;
pub use pdf::{BrokenRule, PdfError};
pub use read::ReadError;
pub use workbook::WorkbookError;
pub use write::WriteError;

use std::fmt;

/// How serious a problem is: an error stops rendering, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in an answer set: where (a JSON path in ASCII, `$` for the whole document) and what
/// (in Japanese, for the compliance officer who wrote it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub path: String,
    /// The cell `path` was read from (`確認書!D24`) when the answer set came from a workbook: the
    /// user fixes the cell, not the JSON. Set by [`crate::input::place::CellMap::locate`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The form's name of the place (「(1) 事業者名」, 「2 確認事項 17 実施/未実施」), from the layout's
    /// data: what the user knows the field by. Set by [`crate::spec::labels::name_places`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub message: String,
    /// A way out the caller words itself (the CLI names its option, a web page its control): the
    /// library's message names no flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<Hint>,
}

/// See [`Problem::hint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hint {
    /// A font that has the character would print it (`--fallback-font`).
    AnotherFont,
}

impl Problem {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            path: path.into(),
            cell: None,
            label: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            path: path.into(),
            cell: None,
            label: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A character no font can draw: the field, the character and its code point, and the way out.
    /// For an 異体字 (a character and its variation selector), the sequence is named in words: the
    /// selector alone is invisible, and a font that merely has the base character does not help.
    pub fn missing_glyph(path: &str, c: char, selector: Option<char>) -> Problem {
        Problem {
            hint: Some(Hint::AnotherFont),
            ..Problem::error(
                path,
                format!("{}。{FALLBACK_HINT}", missing_what(c, selector)),
            )
        }
    }

    /// A character no font has, met in an answer: as [`Problem::missing_glyph`], with where.
    pub fn missing_glyph_at(
        path: &str,
        c: char,
        selector: Option<char>,
        position: usize,
    ) -> Problem {
        let what = match selector {
            None => format!(
                "フォントにない文字「{c}」（{}）が {position} 文字目にあります",
                codepoint(c)
            ),
            Some(_) => format!("{}（{position} 文字目）", missing_what(c, selector)),
        };
        Problem {
            hint: Some(Hint::AnotherFont),
            ..Problem::error(path, format!("{what}。{FALLBACK_HINT}"))
        }
    }

    /// A character that prints as nothing (zero-width space, direction mark …), usually pasted
    /// in unseen: what and where, to be deleted.
    /// A zero-width joiner between two visible characters: part of a combined emoji (👨‍👩‍👧) as
    /// a phone types it, not something pasted unseen, and not printable as one picture here.
    pub fn joiner(path: &str, position: usize) -> Problem {
        Problem::error(
            path,
            format!(
                "{position} 文字目の U+200D（ゼロ幅接合子）は、絵文字などを組み合わせて 1 つにする文字です。組み合わせた絵文字は印字できないので、絵文字ごと削除するか言葉で書いてください"
            ),
        )
    }

    pub fn invisible_char(path: &str, c: char, position: usize) -> Problem {
        Problem::error(
            path,
            format!(
                "見えない文字 {} が {position} 文字目にあります。コピーしたときに紛れ込んだものなので削除してください",
                codepoint(c)
            ),
        )
    }

    /// A control character in a text field: the code point says which (they have no glyph to
    /// quote), the position where.
    pub fn control_char(path: &str, c: char, position: usize) -> Problem {
        Problem::error(
            path,
            format!("制御文字 {} は使えません（{position}文字目）", codepoint(c)),
        )
    }

    /// A private use character (外字): it prints only with the font it was made for, and a tagged
    /// PDF must say what character each glyph is, which such a character cannot.
    pub fn private_use_char(path: &str, c: char, position: usize) -> Problem {
        Problem::error(
            path,
            format!(
                "{position} 文字目の {} は私用領域の文字（外字）です。読み上げやコピーで正しい文字にならないため PDF に使えません。通常の文字に置き換えてください",
                codepoint(c)
            ),
        )
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where, as a line names it: the form's name of the place and, after it, what the user
    /// edits: the cell of a workbook (`2 確認事項 7 …（確認書!D24）`: a workbook's user never
    /// sees JSON) or else the JSON path (`(1) 事業者名 [target.company]`). Without a name of the
    /// form's, the path (and its cell).
    pub fn place(&self) -> String {
        let path = Visible(&self.path);
        match (&self.label, &self.cell) {
            (Some(label), Some(cell)) => format!("{}（{}）", Visible(label), Visible(cell)),
            (Some(label), None) => format!("{} [{path}]", Visible(label)),
            (None, Some(cell)) => format!("{path}（{}）", Visible(cell)),
            // `$`, the answer set as a whole (a file that is not JSON, say), is no place a user
            // would look for: the line names the file.
            (None, None) if self.path == "$" => String::new(),
            (None, None) => path.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
        };
        match self.place().as_str() {
            // The whole file: its name already stands before the line.
            "" => write!(f, "{label}: {}", Visible(&self.message)),
            place => write!(f, "{label}: {place}: {}", Visible(&self.message)),
        }
    }
}

/// The way out in the library's words; the CLI adds its option ([`Hint::AnotherFont`]).
const FALLBACK_HINT: &str = "その文字を含むフォントを追加すれば印字できます";

fn missing_what(c: char, selector: Option<char>) -> String {
    match selector {
        None => format!("フォントにない文字「{c}」（{}）があります", codepoint(c)),
        Some(s) => format!(
            "「{c}」の異体字（{} {}）を表せるフォントがありません",
            codepoint(c),
            codepoint(s)
        ),
    }
}

/// `U+` and at least four upper-case hex digits, as Unicode charts write code points, so that
/// a user can tell look-alikes (髙 U+9AD9 / 高 U+9AD8) apart in a message. Here, below every
/// stage, because messages name characters with it (`model::charset` re-exports it).
pub fn codepoint(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Text as a terminal may show it: messages quote the user's input, and a control character in it
/// (an escape sequence, say) is written as `<U+001B>` instead of acting on the terminal.
pub struct Visible<'a>(pub &'a str);

impl fmt::Display for Visible<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "<U+{:04X}>", c as u32)?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The answer set has problems; each names its JSON path.
    #[error("{}", format_problems(.0))]
    Invalid(Vec<Problem>),
    #[error("{path}: 読み込めません: {}", io_reason(source))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A file from outside that was not read (the doors' `files.rs`): refused by its type or size, or
    /// the system's error.
    #[error("{path}: 読み込めません: {source}")]
    Read {
        path: String,
        #[source]
        source: FileError,
    },
    /// An answer file read whole that is no answer set ([`crate::input::decode`]): not text, a
    /// workbook or PDF refused, its own errors.
    #[error("{path}: 読み込めません: {source}")]
    Decode {
        path: String,
        #[source]
        source: ReadError,
    },
    #[error("{path}: 書き込めません: {}", io_reason(source))]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// An output refused before it was written: the path names no file to replace.
    /// An answer set's workbook that could not be made, named by the file it was for.
    #[error("{path}: 書き出せません: {source}")]
    Export {
        path: String,
        #[source]
        source: WriteError,
    },
    #[error("{path}: 書き込めません: {source}")]
    Destination {
        path: String,
        #[source]
        source: DestinationError,
    },
    #[error("フォント {path}: {message}")]
    Font { path: String, message: String },
    #[error("PDF を作成できません: {0}")]
    Pdf(#[from] PdfError),
    /// The pages painted but could not be joined into one file (a batch's `--merge`, the
    /// summary); writing the file is [`Error::Write`], which names it.
    #[error("PDF を結合できません: {0}")]
    Merge(#[from] JoinError),
    #[error("{0}")]
    Usage(String),
    /// A layout name the registry does not hold (an answer set's `layout`, or a caller's).
    #[error("不明な様式です: {name}（使用できるもの: {known}）")]
    UnknownLayout { name: String, known: String },
    /// Compiled-in data that does not parse: a defect of the build, reported rather than a panic.
    #[error("{file} が不正です: {reason}")]
    BadLayoutData { file: String, reason: String },
    /// A batch folder with no answer file in it: a run that writes nothing must not look done.
    #[error("{folder}: 回答ファイル（*.json、*.xlsx）が 1 件もありません")]
    NoAnswerFiles { folder: String },
    /// The system refused the threads a batch asked for.
    #[error("処理用のスレッドを開始できません（メモリまたはプロセス数の上限です）")]
    Threads,
    /// The csv writer failed (in memory: not the user's input); its own words are not shown.
    #[error("CSV を書き出せません")]
    Csv,
    /// rust_xlsxwriter could not build the summary's workbook (its own words are not shown).
    #[error("Excel ブック（xlsx）を作成できません")]
    Xlsx,
    /// The OS gave no random bytes for the server's session token.
    #[error("アクセス用のトークンを作れません（OS の乱数を得られません）")]
    NoRandom,
    /// docx-rs could not pack the document (its own words are English and not shown).
    #[error("Word 文書（docx）を作成できません")]
    Docx,
    #[error(transparent)]
    Clause(#[from] ClauseError),
}

/// Everything that can go wrong with clauses; the messages are shown to Japanese users as is.
#[derive(Debug, thiserror::Error)]
pub enum ClauseError {
    #[error("不明な条項の種類です: {name}（使用できるもの: {known}）")]
    UnknownVariant { name: String, known: String },
    #[error("不明な出力形式です: {name}（使用できるもの: {known}）")]
    UnknownFormat { name: String, known: String },
    #[error(transparent)]
    Parties(#[from] PartiesError),
    #[error("{variant} には別記様式がありません")]
    NoForm { variant: &'static str },
    /// The 別記様式's rows say 甲 as the notice does: appended under other labels, the clauses and
    /// the form would name the parties differently.
    #[error("別記様式を付けられるのは当事者名が {first}・{second}（様式の表記）のときだけです")]
    FormNeedsItsParties { first: String, second: String },
    #[error("条項メタデータ layouts/{variant}/clauses.json が不正です: {reason}")]
    Metadata {
        variant: &'static str,
        reason: String,
    },
    #[error("条項テンプレート layouts/{variant}/clauses.hbs を展開できません: {reason}")]
    Template {
        variant: &'static str,
        reason: String,
    },
    #[error("条項テンプレート layouts/{variant}/clauses.hbs の{line}行目が不正です: {reason}")]
    Malformed {
        variant: &'static str,
        line: usize,
        #[source]
        reason: BlockError,
    },
}

/// What is wrong with one line of a rendered clause template (`種類: 本文`): a defect of the
/// compiled-in template, named for whoever maintains it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BlockError {
    #[error("「種類: 本文」の形になっていません")]
    NoTag,
    #[error("不明な種類です: {0}")]
    UnknownTag(String),
    #[error("本文が空か、前後に空白があります")]
    EmptyOrPadded,
    #[error("番号の後に空白がありません")]
    NoSpaceAfterLabel,
    #[error("番号の後の空白は1つだけにしてください")]
    SpacesAfterLabel,
    #[error("{tag} の番号として不正です: {label}")]
    BadLabel { tag: String, label: String },
}

/// What is wrong with two party names (`--parties`); the CLI names the option.
#[derive(Debug, thiserror::Error)]
pub enum PartiesError {
    #[error("当事者名が指定されていません")]
    Missing,
    #[error("当事者名が1つしかありません（{given}）。「第一当事者,第二当事者」のように半角カンマ「,」で区切って2つ指定してください")]
    Single { given: String },
    #[error("当事者名は2つだけです（{count}つに分かれました）。カンマを含む名前は使えません")]
    TooMany { count: usize },
    #[error("{position}番目の当事者名が空です")]
    Empty { position: usize },
    #[error("{position}番目の当事者名の前後に空白があります")]
    Padded { position: usize },
    #[error("{position}番目の当事者名に改行や制御文字が含まれています")]
    Control { position: usize },
    /// A tagged PDF must say what character each glyph is; a private use character has none.
    #[error("{position}番目の当事者名の {codepoint} は私用領域の文字（外字）です。読み上げやコピーで正しい文字にならないため使えません")]
    PrivateUse { position: usize, codepoint: String },
    #[error("当事者名が同じです（{name}）")]
    Same { name: String },
}

/// The reason of an I/O error in Japanese for the cases a user meets (the OS words them in
/// English); our own reasons (`io::Error::other`) are shown as they are.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "ファイルがありません".into(),
        PermissionDenied => "権限がありません".into(),
        IsADirectory => "フォルダです（ファイルを指定してください）".into(),
        NotADirectory => "途中のパスがフォルダではありません".into(),
        StorageFull => "ディスクの空きがありません".into(),
        ReadOnlyFilesystem => "読み取り専用の場所です".into(),
        AlreadyExists => "同じ名前のファイルがあります".into(),
        BrokenPipe => "受け取る側が先に終了しました（パイプが閉じています）".into(),
        FileTooLarge => "ファイルが大きすぎます".into(),
        QuotaExceeded => "ディスクの使用量の上限を超えています".into(),
        ResourceBusy => "使用中です".into(),
        TimedOut => "時間切れになりました".into(),
        OutOfMemory => "メモリが足りません".into(),
        // secform's own reasons (an undecodable file, say) are already Japanese; a rarer one
        // from the system is named as such, with its own words and number for whoever supports.
        UnexpectedEof => "途中で終わっています".into(),
        // std's own "stream did not contain valid UTF-8" and the like carry no error of ours.
        InvalidData if e.get_ref().is_none() => "データが正しくありません（文字コードなど）".into(),
        _ => match e.raw_os_error() {
            #[cfg(unix)]
            Some(5) => {
                "入出力エラーです（ディスクや装置の故障、または読めない特殊なファイル）".into()
            }
            // The system's own words are English: its number is kept for whoever supports.
            #[cfg(unix)]
            Some(libc::ELOOP) => "シンボリックリンクが循環しているため、たどれません".into(),
            #[cfg(unix)]
            Some(libc::ENXIO) => {
                "開けない特殊なファイルです（ソケットや、つながっていない装置）".into()
            }
            #[cfg(unix)]
            Some(libc::ENAMETOOLONG) => "名前が長すぎます".into(),
            #[cfg(unix)]
            Some(libc::EMFILE | libc::ENFILE) => {
                "同時に開けるファイルの数の上限に達しています".into()
            }
            Some(n) => format!("システムのエラーです（エラー番号 {n}）"),
            None => e.to_string(),
        },
    }
}

/// Problems a line each, as every refusal of an answer set shows them.
pub(crate) fn format_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_are_named_in_japanese() {
        use std::io::{Error as IoError, ErrorKind};
        assert_eq!(
            io_reason(&IoError::from(ErrorKind::BrokenPipe)),
            "受け取る側が先に終了しました（パイプが閉じています）"
        );
        #[cfg(unix)]
        assert!(io_reason(&IoError::from_raw_os_error(5)).starts_with("入出力エラーです"));
        // A rare one: named as the system's, by its number, without its English words.
        let rare = io_reason(&IoError::from_raw_os_error(71));
        assert_eq!(rare, "システムのエラーです（エラー番号 71）");
        #[cfg(unix)]
        assert!(io_reason(&IoError::from_raw_os_error(libc::ELOOP)).contains("循環"));
        // secform's own reasons pass through as written.
        assert_eq!(
            io_reason(&IoError::other("文字コードが違います")),
            "文字コードが違います"
        );
    }

    /// The form's name first, then what the user edits: the cell of a workbook, else the path.
    #[test]
    fn a_place_is_named_as_the_form_names_it() {
        let mut p = Problem::error("target.company", "必須の項目がありません");
        assert_eq!(
            p.to_string(),
            "エラー: target.company: 必須の項目がありません"
        );
        p.label = Some("(1) 事業者名".into());
        assert_eq!(
            p.to_string(),
            "エラー: (1) 事業者名 [target.company]: 必須の項目がありません"
        );
        p.cell = Some("確認書!C4".into());
        assert_eq!(
            p.to_string(),
            "エラー: (1) 事業者名（確認書!C4）: 必須の項目がありません"
        );
        p.label = None;
        assert_eq!(
            p.to_string(),
            "エラー: target.company（確認書!C4）: 必須の項目がありません"
        );
    }

    #[test]
    fn control_characters_in_quoted_input_never_reach_the_terminal() {
        let p = Problem::error("items.\u{1b}[2J", "不明な値「\u{1b}]0;x\u{7}」です");
        assert_eq!(
            p.to_string(),
            "エラー: items.<U+001B>[2J: 不明な値「<U+001B>]0;x<U+0007>」です"
        );
    }
}
