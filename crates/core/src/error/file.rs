//! Why a file from outside was not read: refused by its type or its size before any byte is
//! taken, or an error of the system, each in Japanese (the doors' `files.rs`, in the root crate).

use std::fmt;

/// What a path names when it is not a regular file: the reason it is refused at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    /// A named pipe: reading it waits for a writer, maybe forever.
    Fifo,
    /// `/dev/zero`, `/dev/urandom`, a terminal: endless or interactive.
    Device,
    Socket,
    /// Anything else the system may have.
    Other,
}

impl FileKind {
    /// What it is, in the words a user knows.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Directory => "フォルダ",
            FileKind::Fifo => "名前付きパイプ（FIFO）",
            FileKind::Device => "デバイスファイル",
            FileKind::Socket => "ソケット",
            FileKind::Other => "通常のファイルではない特殊なファイル",
        }
    }
}

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("ファイルがありません")]
    NotFound,
    #[error("{}です。通常のファイルを指定してください", .0.name())]
    NotRegular(FileKind),
    /// More than the cap: read no further than the cap and one byte.
    #[error("大きすぎます（上限 {}。{what}はこの大きさになりません）", Size(*.limit))]
    TooLarge { limit: u64, what: &'static str },
    /// A symbolic link that points to itself, in a circle, or nowhere.
    #[error("シンボリックリンクが循環しているため、たどれません")]
    LinkLoop,
    #[error("シンボリックリンクの指す先がありません")]
    DanglingLink,
    #[error("{}", super::io_reason(.0))]
    Io(std::io::Error),
}

impl FileError {
    /// The system's error in the kinds above where it is one of them.
    pub fn from_io(e: std::io::Error) -> FileError {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return FileError::LinkLoop;
        }
        match e.kind() {
            std::io::ErrorKind::NotFound => FileError::NotFound,
            std::io::ErrorKind::IsADirectory => FileError::NotRegular(FileKind::Directory),
            _ => FileError::Io(e),
        }
    }
}

/// A size limit as a user reads it: 32 MB, 5 MB, 512 KB.
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MB: u64 = 1024 * 1024;
        match self.0 {
            n if n >= MB && n % MB == 0 => write!(f, "{} MB", n / MB),
            n if n >= 1024 && n % 1024 == 0 => write!(f, "{} KB", n / 1024),
            n => write!(f, "{n} バイト"),
        }
    }
}
