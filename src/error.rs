//! Errors and problems, as values for the caller to report (the library never prints).

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
    /// user fixes the cell, not the JSON. Set by [`crate::workbook::place::CellMap::locate`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            path: path.into(),
            cell: None,
            message: message.into(),
        }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            path: path.into(),
            cell: None,
            message: message.into(),
        }
    }

    /// A character no font can draw: the field, the character and its code point, and the way out.
    /// For an 異体字 (a character and its variation selector), the sequence is named in words: the
    /// selector alone is invisible, and a font that merely has the base character does not help.
    pub fn missing_glyph(path: &str, c: char, selector: Option<char>) -> Problem {
        Problem::error(
            path,
            format!("{}。{FALLBACK_HINT}", missing_what(c, selector)),
        )
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
                crate::charset::codepoint(c)
            ),
            Some(_) => format!("{}（{position} 文字目）", missing_what(c, selector)),
        };
        Problem::error(path, format!("{what}。{FALLBACK_HINT}"))
    }

    /// A character that prints as nothing (zero-width space, direction mark …), usually pasted
    /// in unseen: what and where, to be deleted.
    pub fn invisible_char(path: &str, c: char, position: usize) -> Problem {
        Problem::error(
            path,
            format!(
                "見えない文字 {} が {position} 文字目にあります。コピーしたときに紛れ込んだものなので削除してください",
                crate::charset::codepoint(c)
            ),
        )
    }

    /// A control character in a text field: the code point says which (they have no glyph to
    /// quote), the position where.
    pub fn control_char(path: &str, c: char, position: usize) -> Problem {
        Problem::error(
            path,
            format!(
                "制御文字 {} は使えません（{position}文字目）",
                crate::charset::codepoint(c)
            ),
        )
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where, as a line names it: the JSON path, and the cell when there is one
    /// (`items.7.detail（確認書!D24）`).
    pub fn place(&self) -> String {
        match &self.cell {
            Some(cell) => format!("{}（{}）", Visible(&self.path), Visible(cell)),
            None => Visible(&self.path).to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
        };
        write!(f, "{label}: {}: {}", self.place(), Visible(&self.message))
    }
}

const FALLBACK_HINT: &str = "--fallback-font でその文字を含むフォントを指定してください";

fn missing_what(c: char, selector: Option<char>) -> String {
    use crate::charset::codepoint;
    match selector {
        None => format!("フォントにない文字「{c}」（{}）があります", codepoint(c)),
        Some(s) => format!(
            "「{c}」の異体字（{} {}）を表せるフォントがありません",
            codepoint(c),
            codepoint(s)
        ),
    }
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
    #[error("{path}: 書き込めません: {}", io_reason(source))]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("フォント {path}: {message}")]
    Font { path: String, message: String },
    #[error("PDF を作成できません: {0}")]
    Pdf(String),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Clause(#[from] crate::clauses::ClauseError),
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
            Some(_) => format!("システムのエラーです（{e}）"),
            None => e.to_string(),
        },
    }
}

fn format_problems(problems: &[Problem]) -> String {
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
        // EMFILE: named as the system's, its own words kept for support.
        let rare = io_reason(&IoError::from_raw_os_error(24));
        assert!(rare.starts_with("システムのエラーです（"), "{rare}");
        assert!(rare.contains("os error 24"), "{rare}");
        // secform's own reasons pass through as written.
        assert_eq!(
            io_reason(&IoError::other("文字コードが違います")),
            "文字コードが違います"
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
