//! Why bytes did not become an answer set, whatever their shape (JSON text, a workbook, a PDF
//! carrying its answers): the one error of the input seam (`crate::input::decode`,
//! `crate::input::file::AnswerFile::from_bytes`), each reason in the words every command shows
//! beside the file's name.

use super::{format_problems, AttachedError, Problem, WorkbookError};

/// Why an answer file was not read as one.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReadError {
    /// Text a Windows tool saved as UTF-16 (by its byte order mark).
    #[error("UTF-16 で保存されています。{RESAVE}")]
    Utf16,
    /// Not UTF-8, but every byte reads as Shift_JIS: most likely what it is.
    #[error("Shift_JIS で保存されているようです。{RESAVE}")]
    ShiftJis,
    #[error("UTF-8 として読めないバイトがあります。{RESAVE}")]
    NotUtf8,
    #[error("Excel ブック: {0}")]
    Workbook(#[from] WorkbookError),
    /// A PDF without a readable answer set (or beyond the reader's caps); its own words.
    #[error(transparent)]
    Pdf(#[from] AttachedError),
    /// Text that is not JSON, where the text as written is kept (the browser page's file).
    #[error("JSON ではありません（{line}行{column}列）")]
    NotJson { line: usize, column: usize },
    /// The file's own errors (a formula in a workbook's answer cell), a line each, cells named.
    #[error("{}", format_problems(.0))]
    Invalid(Vec<Problem>),
}

/// The way out of every encoding refusal: "invalid UTF-8" alone does not tell a user what to do.
const RESAVE: &str = "文字コードを UTF-8 にして保存し直してください";
