//! Why finished PDFs could not be joined into one (`paint/pdf/join`: a batch's `--merge`, the
//! summary painted in chunks).
//!
//! Here, beside the other error types, rather than in the joiner's folder: [`crate::Error`] wraps
//! it, and `error/` imports from no stage below it. Every part of the joiner names this one type,
//! so none of them imports another for its error (the writer and the two structure trees once
//! imported each other through it).

use std::io;

/// Why chunks could not be joined. Each message is whole for a user; the causes that are another
/// crate's words (English) are kept for `source()`, never shown.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// The joined file could not be written. A caller that knows the file names it with the
    /// system's reason (`Error::Write`); this is what is left to say without it.
    #[error("結合した PDF を書き出せません")]
    Write(#[from] io::Error),
    /// A chunk could not be read back; lopdf's reason is kept for `source()`.
    #[error("結合する途中の PDF を読めません（一時ファイルが壊れています）")]
    Read(#[from] lopdf::Error),
    /// A chunk holds what the joined file would lose or get wrong: what, in words.
    #[error("結合できない PDF です: {0}")]
    Unsupported(String),
    /// The structure tree written from the layout does not fit the pages painted (a defect of
    /// secform, caught before a reader meets it): what does not fit.
    #[error("結合できない PDF です: 構造ツリーを作れません（{0}）")]
    Tree(&'static str),
    /// Nothing was added: a PDF needs a page.
    #[error("結合できない PDF です: ページがありません")]
    NoPages,
}
