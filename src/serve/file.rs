//! The one file `serve` writes, as it is on disk now: read through a cap and never through a
//! link, with the version tag of exactly the bytes read. The page is given the answers and the
//! tag of one read, so a page can only ever save over the content it showed. The file is JSON, a
//! secform workbook or a secform PDF ([`SaveAs`]): its answers are read by the library's readers
//! (`AnswerFile`), never by the page.

use std::io::Read as _;
use std::path::Path;

use crate::error::ReadError;

/// The largest served file read: a PDF carries its fonts and a seal image of up to 5 MB.
pub const FILE_LIMIT: usize = 32 * 1024 * 1024;

/// What 保存 writes, by the name of the file it writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveAs {
    /// The answer set as JSON, formatted as `init` formats it (any name but the two below).
    Json,
    /// A secform workbook (`.xlsx`), as `convert` writes it.
    Workbook,
    /// The rendered PDF (`.pdf`), exactly `render`'s bytes: only answers without errors.
    Pdf,
}

impl SaveAs {
    /// The kind `path`'s name asks for; `None` for a workbook name secform does not write
    /// (`.xlsm`, `.xls`).
    pub fn of(path: &Path) -> Option<SaveAs> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Some(SaveAs::Workbook),
            "pdf" => Some(SaveAs::Pdf),
            "xlsm" | "xls" => None,
            _ => Some(SaveAs::Json),
        }
    }

    /// The kind's name in the API (`json`, `xlsx`, `pdf`).
    pub fn name(self) -> &'static str {
        match self {
            SaveAs::Json => "json",
            SaveAs::Workbook => "xlsx",
            SaveAs::Pdf => "pdf",
        }
    }
}

/// The tag of a file that does not exist (yet): a save over it creates it.
pub const ABSENT: &str = "\"none\"";

/// Why the served file cannot be read as the page's answers.
#[derive(Debug, thiserror::Error)]
pub enum ServedFileError {
    /// A symlink, a folder, a device: never read or written through.
    #[error("{0} は通常のファイルではありません（シンボリックリンクなどに置き換えられています）。保存を取りやめました")]
    NotRegular(String),
    #[error("{0} は大きすぎます（上限 {mb} MB）", mb = FILE_LIMIT / 1024 / 1024)]
    TooLarge(String),
    /// Not an answer set: the reader's reason (Japanese) beside the file's name.
    #[error("{0} は回答として読めません: {1}")]
    NotAnswers(String, #[source] ReadError),
    /// The library's own words for the I/O error (`Error::Io`: Japanese, with the path).
    #[error("{0}")]
    Unreadable(String),
}

/// The file's current content and its tag; `None` when there is no file at the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub text: Option<String>,
    pub tag: String,
}

/// The version tag of `bytes` (an ETag).
pub fn tag_of(bytes: &[u8]) -> String {
    use std::hash::Hasher;
    let mut h = siphasher::sip::SipHasher13::new_with_keys(0, 0);
    h.write(bytes);
    format!("\"{:016x}\"", h.finish())
}

fn unreadable(path: &Path, source: std::io::Error) -> ServedFileError {
    let path = crate::error::Visible(&path.display().to_string()).to_string();
    ServedFileError::Unreadable(crate::Error::Io { path, source }.to_string())
}

/// Reads `path` as it is now. A link or anything but a regular file is refused (checked before
/// opening and again on the opened file, so a swap in between is caught too).
pub fn current(path: &Path) -> Result<Current, ServedFileError> {
    let name = || crate::error::Visible(&path.display().to_string()).to_string();
    let before = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Current {
                text: None,
                tag: ABSENT.into(),
            })
        }
        Err(e) => return Err(unreadable(path, e)),
    };
    if !before.file_type().is_file() {
        return Err(ServedFileError::NotRegular(name()));
    }
    let unreadable = |e| unreadable(path, e);
    let file = crate::files::open_nonblocking(path).map_err(unreadable)?;
    let opened = file.metadata().map_err(unreadable)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if (opened.dev(), opened.ino()) != (before.dev(), before.ino()) {
            return Err(ServedFileError::NotRegular(name()));
        }
    }
    if !opened.is_file() {
        return Err(ServedFileError::NotRegular(name()));
    }
    let mut bytes = Vec::new();
    file.take(FILE_LIMIT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > FILE_LIMIT {
        return Err(ServedFileError::TooLarge(name()));
    }
    let tag = tag_of(&bytes);
    let text = crate::page::opened(path, bytes)
        .map_err(|why| ServedFileError::NotAnswers(name(), why))?
        .text;
    Ok(Current {
        text: Some(text),
        tag,
    })
}
