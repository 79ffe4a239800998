//! Why an output was not written at the place asked for, before any byte was: what the path
//! names is no file secform may replace (the doors' `output.rs`, in the root crate).

/// Why a path was refused as where an output goes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DestinationError {
    /// `out/`: a folder's name, not a file's.
    #[error("フォルダの名前です。書き出すファイルの名前まで指定してください")]
    FolderName,
    #[error("シンボリックリンクの指す先がありません")]
    DanglingLink,
    /// A folder, a device, a pipe: a rename would replace it with a plain file.
    #[error("通常のファイルではありません（フォルダやデバイスには書き出せません）")]
    NotRegular,
    /// A file marked read-only, which a rename would ignore.
    #[error("書き込み禁止のファイルです。上書きするなら書き込みを許可してください")]
    ReadOnly,
    #[error("フォルダ {0} がありません")]
    NoFolder(String),
    /// The output folder of a batch is a file.
    #[error("フォルダではありません（同じ名前のファイルがあります）")]
    NotAFolder,
}
