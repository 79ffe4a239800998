//! Why a received workbook was refused, in words a clerk can act on, naming the cell where there
//! is one (the reader is `crate::input::workbook`).

use super::ArchiveError;

/// Why a workbook was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WorkbookError {
    #[error("Excel ブック（.xlsx）ではありません")]
    NotXlsx,
    #[error("ZIP ファイルですが、Excel ブック（.xlsx）ではありません")]
    ZipNotXlsx,
    #[error("OpenDocument 形式（.ods）です。Excel ブック（.xlsx）形式で保存し直してください")]
    Ods,
    #[error("古い Excel 形式（.xls）です。Excel で .xlsx 形式で保存し直してください")]
    Xls,
    #[error("パスワードで保護（暗号化）されたブックです。パスワードを外して保存し直してください")]
    Encrypted,
    #[error("ブックを読めませんでした（壊れているか、secform のブックではありません）")]
    Unreadable,
    /// The archive asks for more than a secform workbook needs (checked before it is opened).
    #[error("{0}")]
    Archive(#[from] ArchiveError),
    #[error("secform のブックではありません（名前 {0} がありません）")]
    MissingMeta(String),
    #[error("回答欄の名前 {name} がありません（{path} の欄）。ブックの「名前の管理」で名前を消したか、secform で作ったブックではありません。secform の空のブックから作り直してください")]
    MissingName { name: String, path: String },
    #[error("{cell}: 様式 {found} のブックです（この secform が読めるのは {known}）")]
    WrongLayout {
        cell: String,
        found: String,
        known: String,
    },
    /// `readable`: the format this build reads, given by the reader (the data's, not this
    /// module's to know).
    #[error("{cell}: ブックの形式 {found} はこの secform では読めません（読めるのは {readable}）。新しい secform で読むか、このブックを作った人に形式 {readable} で作り直してもらってください")]
    WrongVersion {
        cell: String,
        found: String,
        readable: u32,
    },
}
