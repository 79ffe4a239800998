//! Every read of a file from outside, in one place: answer files, batch files and a folder's
//! entries, seal images, the fallback font, the file `serve` edits.
//!
//! A path is refused at once, by its type, unless it is a regular file: a named pipe would wait
//! for a writer forever, `/dev/zero` never ends, a folder is not a file. The file is then opened
//! without blocking and its type checked again on what was opened (a pipe put in its place
//! meanwhile is refused too), and read through a cap, never trusting the size the system states:
//! at most the cap and one byte are ever taken, whatever the file claims or grows to.

use std::fs::File;
use std::io::Read;
use std::path::Path;

pub use crate::error::{FileError, FileKind};

const MB: u64 = 1024 * 1024;

/// An answer file (JSON, a workbook, a secform PDF) or one line of a JSON Lines file: a few
/// kilobytes, a seal image at most 5 MB (7 MB as base64 in JSON).
pub const ANSWER_FILE_MAX: u64 = crate::input::ANSWER_FILE_MAX;
/// A batch file (`defaults` + `forms`): a thousand entries are about 3 MB.
pub const BATCH_FILE_MAX: u64 = 64 * MB;
/// A fallback font: IPAmj明朝 is 50 MB.
pub const FONT_MAX: u64 = 128 * MB;

/// What a limit is for, in the message that refuses a file above it.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub bytes: u64,
    /// The thing that never gets that large (「回答ファイル」), for the message.
    pub what: &'static str,
}

impl Limit {
    pub const ANSWER_FILE: Limit = Limit {
        bytes: ANSWER_FILE_MAX,
        what: "回答ファイル",
    };
    pub const BATCH_FILE: Limit = Limit {
        bytes: BATCH_FILE_MAX,
        what: "一括ファイル",
    };
    pub const FONT: Limit = Limit {
        bytes: FONT_MAX,
        what: "フォント",
    };
}

/// What `path` is, following symbolic links, without opening it.
pub fn kind(path: &Path) -> Result<Option<FileKind>, FileError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        match (FileError::from_io(e), std::fs::symlink_metadata(path)) {
            // The link is there, what it points to is not.
            (FileError::NotFound, Ok(m)) if m.file_type().is_symlink() => FileError::DanglingLink,
            (e, _) => e,
        }
    })?;
    Ok(kind_of(&meta))
}

/// `None` for a regular file, else what it is.
fn kind_of(meta: &std::fs::Metadata) -> Option<FileKind> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some(FileKind::Directory);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some(FileKind::Fifo);
        }
        if t.is_char_device() || t.is_block_device() {
            return Some(FileKind::Device);
        }
        if t.is_socket() {
            return Some(FileKind::Socket);
        }
    }
    Some(FileKind::Other)
}

/// The bytes of the regular file `path`, at most `limit.bytes` of them.
pub fn read(path: &Path, limit: Limit) -> Result<Vec<u8>, FileError> {
    let (file, stated) = open(path)?;
    // The stated size is a hint for the buffer only: a file may grow while it is read.
    let hint = stated.min(limit.bytes) as usize;
    read_capped(file, limit, hint)
}

/// The regular file `path` opened for reading (to be read through a cap: [`read_capped`]), with
/// its stated size; anything else refused by its type.
pub fn open(path: &Path) -> Result<(File, u64), FileError> {
    if let Some(kind) = kind(path)? {
        return Err(FileError::NotRegular(kind));
    }
    let file = open_nonblocking(path).map_err(FileError::from_io)?;
    let meta = file.metadata().map_err(FileError::from_io)?;
    if let Some(kind) = kind_of(&meta) {
        return Err(FileError::NotRegular(kind));
    }
    Ok((file, meta.len()))
}

/// Opens `path` for reading without waiting: on a named pipe, `open` would block until a writer
/// came. The flag changes nothing for a regular file. For a reader that checks the type itself
/// (`serve`'s file, the configuration file); every other read goes through [`open`].
pub fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// Standard input, at most `limit.bytes` of it (a pipe or a file; a terminal is read to its end).
pub fn read_stdin(limit: Limit) -> Result<Vec<u8>, FileError> {
    read_capped(std::io::stdin().lock(), limit, 0)
}

/// Reads `r` through a cap of `limit.bytes` + 1: one byte more than allowed says it is too large.
pub fn read_capped(r: impl Read, limit: Limit, hint: usize) -> Result<Vec<u8>, FileError> {
    let mut bytes = Vec::new();
    bytes
        .try_reserve(hint.saturating_add(1))
        .map_err(|_| FileError::Io(std::io::ErrorKind::OutOfMemory.into()))?;
    r.take(limit.bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FileError::from_io)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(FileError::TooLarge {
            limit: limit.bytes,
            what: limit.what,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit {
        bytes: 8,
        what: "テスト",
    };

    #[test]
    fn a_file_at_the_cap_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().join("at");
        std::fs::write(&at, b"12345678").unwrap();
        assert_eq!(read(&at, SMALL).unwrap(), b"12345678");
        let over = dir.path().join("over");
        std::fs::write(&over, b"123456789").unwrap();
        let e = read(&over, SMALL).unwrap_err();
        assert!(matches!(e, FileError::TooLarge { limit: 8, .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "大きすぎます（上限 8 バイト。テストはこの大きさになりません）"
        );
    }

    #[cfg(unix)]
    #[test]
    fn what_is_not_a_regular_file_is_refused_by_its_type() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path(), SMALL).unwrap_err();
        assert!(matches!(e, FileError::NotRegular(FileKind::Directory)));
        let e = read(Path::new("/dev/zero"), SMALL).unwrap_err();
        assert!(matches!(e, FileError::NotRegular(FileKind::Device)), "{e}");
        assert_eq!(
            e.to_string(),
            "デバイスファイルです。通常のファイルを指定してください"
        );
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let e = read(&fifo, SMALL).unwrap_err();
        assert!(matches!(e, FileError::NotRegular(FileKind::Fifo)), "{e}");
        let link = dir.path().join("loop");
        std::os::unix::fs::symlink(&link, &link).unwrap();
        assert!(matches!(read(&link, SMALL), Err(FileError::LinkLoop)));
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(matches!(
            read(&dangling, SMALL),
            Err(FileError::DanglingLink)
        ));
        assert!(matches!(
            read(&dir.path().join("missing"), SMALL),
            Err(FileError::NotFound)
        ));
    }
}

/// Seal images read from a folder: relative paths in the answers from the answer file's folder
/// (`None`: the current folder), each a regular file through the seal's cap. The command line's
/// [`crate::model::seal::SealFiles`].
#[derive(Debug, Clone, Default)]
pub struct SealFolder {
    pub dir: Option<std::path::PathBuf>,
}

impl SealFolder {
    /// Relative paths from `dir`, shared as the check options hold it.
    pub fn shared(dir: impl Into<std::path::PathBuf>) -> std::sync::Arc<SealFolder> {
        std::sync::Arc::new(SealFolder {
            dir: Some(dir.into()),
        })
    }
}

impl crate::model::seal::SealFiles for SealFolder {
    fn read(&self, path: &str) -> Result<Vec<u8>, crate::error::Problem> {
        use crate::model::seal::MAX_BYTES;
        let full = match &self.dir {
            Some(dir) if Path::new(path).is_relative() => dir.join(path),
            _ => Path::new(path).to_path_buf(),
        };
        // Relative paths are read from the answer file's folder, which is not always where the
        // user stands: the message names the file that was looked for. A pipe or a device is
        // refused by its type, and never more than the cap and one byte is read.
        let limit = Limit {
            bytes: MAX_BYTES,
            what: "印影の画像",
        };
        read(&full, limit).map_err(|e| {
            let why = match e {
                FileError::NotFound => "ありません".to_string(),
                FileError::TooLarge { .. } => format!("大きすぎます（上限 {MAX_BYTES} バイト）"),
                e => format!("読み込めません（{e}）"),
            };
            let looked = if full != Path::new(path) {
                format!(
                    "（{} として探しました。相対パスは回答ファイルのフォルダから読みます）",
                    full.display()
                )
            } else {
                String::new()
            };
            crate::error::Problem::error("seal.image", format!("印影の画像 {path} が{why}{looked}"))
        })
    }
}

/// The bundled font followed by the fallback font at `path` (a TTF/OTF for characters BIZ UD
/// Mincho lacks), read through the font's cap.
pub fn fallback_font(path: &Path) -> Result<crate::FontSet, crate::Error> {
    let bytes = read(path, Limit::FONT).map_err(|source| crate::Error::Read {
        path: path.display().to_string(),
        source,
    })?;
    crate::FontSet::with_fallback(bytes, &path.display().to_string())
}
