//! What a folder of answer files holds, as `batch`, `summary` and `check` read it: the answer
//! files (by name), the images that may be seals, every other entry with why it is not read, and
//! the copies and traces no user made (left out without a word but a count).
//!
//! Nothing is dropped silently: an `.ods` reply, a named pipe, a link in a circle or a folder named
//! `x.json` is listed with its reason and counts as a failure of the run.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::error::{Error, FileError, FileKind};
use crate::files;

/// A file of a folder that was not read, and why, with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub file: PathBuf,
    pub reason: String,
}

impl Unread {
    /// The file as the lines about it and the set's gaps name it: its name, not its whole path.
    pub fn name(&self) -> String {
        self.file.file_name().map_or_else(
            || self.file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// A folder's entries, sorted by name.
#[derive(Debug, Default)]
pub(super) struct Listing {
    pub answers: Vec<PathBuf>,
    /// PNG and JPEG files: read as a seal by an answer file, or else unread.
    pub images: Vec<PathBuf>,
    pub unread: Vec<Unread>,
    pub ignored: usize,
}

/// Hidden files (`.x.json`, `.DS_Store`, LibreOffice's `.~lock.*#`), the `._x.json` that macOS
/// leaves on shared drives and USB sticks, Office's `~$x.xlsx` lock files, Windows' `Thumbs.db`
/// and `desktop.ini`, and the `__MACOSX` folder of a zip made on a Mac: copies and traces, never
/// answer sets a user made. Left out before the entries are numbered, so they never shift `01_`
/// to `02_`.
pub fn is_junk(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    let lower = name.to_string_lossy().to_lowercase();
    bytes.starts_with(b".")
        || bytes.starts_with("~$".as_bytes())
        || matches!(lower.as_str(), "thumbs.db" | "desktop.ini" | "__macosx")
}

/// The extensions read as answer files (a secform workbook or PDF is recognised by its content;
/// an old `.xls` is read to be refused by the workbook reader with what to do).
const ANSWERS: [&str; 4] = ["json", "xlsx", "xls", "pdf"];
const IMAGES: [&str; 3] = ["png", "jpg", "jpeg"];

/// Why a file of this name is never read as an answer file, with what to do; `None` when it may
/// be one. For `check` given the file by name as much as for a folder's entries.
pub fn format_refusal(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "ods" => "ODS は読めません。.xlsx で保存し直してください",
        "csv" => "CSV は読めません。secform のブック（.xlsx）に記入するか、JSON で回答してください",
        "numbers" => "Numbers の書類は読めません。Excel 形式（.xlsx）で書き出してください",
        "xlsm" | "xlsb" => "マクロ有効ブック・バイナリブックは読めません。.xlsx で保存し直してください",
        "doc" | "docx" | "odt" | "txt" => {
            "文書は回答ファイルとして読めません。secform のブック（.xlsx）か JSON で回答してください"
        }
        "zip" => "ZIP ファイルは読めません。展開して、回答ファイルをこのフォルダに置いてください",
        _ => return None,
    })
}

fn has_extension(path: &Path, list: &[&str]) -> bool {
    path.extension()
        .and_then(OsStr::to_str)
        .is_some_and(|e| list.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Lists `dir`. Only the folder itself is read: a folder inside it is listed as unread, never
/// entered (no loop through links can start).
pub(super) fn list(dir: &Path) -> Result<Listing, Error> {
    let read_error = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut listing = Listing::default();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        if is_junk(&entry.file_name()) {
            listing.ignored += 1;
            continue;
        }
        let path = entry.path();
        let unread = |reason: String| Unread {
            file: path.clone(),
            reason,
        };
        match files::kind(&path) {
            Err(e) => listing.unread.push(unread(match e {
                FileError::LinkLoop | FileError::DanglingLink => e.to_string(),
                e => format!("読み込めません: {e}"),
            })),
            Ok(Some(FileKind::Directory)) => listing.unread.push(unread(
                "フォルダです。中のファイルは読みません。回答ファイルならこのフォルダの直下に置いてください"
                    .into(),
            )),
            Ok(Some(kind)) => listing.unread.push(unread(format!(
                "{}です。回答ファイルではないため読みません",
                kind.name()
            ))),
            Ok(None) if has_extension(&path, &ANSWERS) => listing.answers.push(path),
            Ok(None) if has_extension(&path, &IMAGES) => listing.images.push(path),
            Ok(None) if has_extension(&path, &["jsonl"]) => listing.unread.push(unread(
                "JSON Lines（.jsonl）はフォルダの中では読みません。secform batch FILE.jsonl のように単独で指定してください"
                    .into(),
            )),
            Ok(None) => listing.unread.push(unread(
                format_refusal(&path)
                    .unwrap_or(
                        "回答ファイル（.json・.xlsx・secform の .pdf）ではないため読みません。回答ファイルでなければフォルダの外に移してください",
                    )
                    .into(),
            )),
        }
    }
    listing.answers.sort();
    listing.images.sort();
    listing.unread.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(listing)
}

/// The message for an image of the folder that no answer file named as its seal.
pub(super) const UNUSED_IMAGE: &str =
    "画像は回答ファイルとして読めません（印影の画像なら、それを使う回答ファイルの seal.image に指定してください）";
