//! Writing files so that a failure never leaves a half-written or clobbered one behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{DestinationError, Error};

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so readers
/// see the old file or the whole new one, never a torn one, and a failed run leaves no trace.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes).map_err(|e| file.error(e))?;
    file.commit()
}

/// A file written piece by piece (the merged PDF of a batch, too big to hold in memory) that
/// appears at its path only once [`AtomicFile::commit`]ted. Until then it is a temporary file in the
/// same folder, removed when this is dropped: a failed or interrupted write leaves no trace.
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    /// The mode of the file this one replaces, kept across the rename.
    #[cfg(unix)]
    existing: Option<std::fs::Permissions>,
}

impl AtomicFile {
    /// Starts the temporary file next to `path`.
    ///
    /// What the file should look like once renamed into place: an existing output keeps its mode;
    /// a new one gets what `File::create` would give it (0666 less the umask). The temporary file
    /// is opened with that mode so that the kernel applies the umask (reading the umask means
    /// setting it, which would race with the batch's writing threads); an existing mode is set at
    /// commit, because it must not be narrowed by the umask.
    pub fn create(path: &Path) -> Result<AtomicFile, Error> {
        let path = &destination(path)?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        #[cfg(unix)]
        let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
        sweep_once(dir);
        let mut builder = tempfile::Builder::new();
        builder.prefix(TMP_PREFIX).suffix(TMP_SUFFIX);
        #[cfg(unix)]
        if existing.is_none() {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(dir)
            .map_err(|source| write_error(path, source))?;
        // Held until the file is closed: a run that finds it unlocked knows its writer is gone.
        // (A file system without locks only loses the sweep.)
        let _ = tmp.as_file().try_lock();
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
            #[cfg(unix)]
            existing,
        })
    }

    /// Whether `path` can be written, found out before any work is done (a batch renders every
    /// form before it writes the merged PDF): the same refusals as [`AtomicFile::create`], and a
    /// folder that cannot be written to.
    pub fn probe(path: &Path) -> Result<(), Error> {
        AtomicFile::create(path).map(drop)
    }

    /// An I/O error on this file, naming the final path (the temporary one means nothing to a user).
    pub fn error(&self, source: std::io::Error) -> Error {
        write_error(&self.path, source)
    }

    /// Flushes the file to disk and puts it at its path.
    pub fn commit(self) -> Result<(), Error> {
        let err = |source| write_error(&self.path, source);
        #[cfg(unix)]
        if let Some(permissions) = &self.existing {
            self.tmp
                .as_file()
                .set_permissions(permissions.clone())
                .map_err(err)?;
        }
        self.tmp.as_file().sync_all().map_err(err)?;
        self.tmp.persist(&self.path).map_err(|e| err(e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.tmp.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

const TMP_PREFIX: &str = ".secform-";
const TMP_SUFFIX: &str = ".tmp";
/// A temporary file younger than this is never swept: its writer may have created it and not yet
/// locked it.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Removes, once per process for each folder, the temporary files that a run killed outright
/// (`kill -9`, a power cut) left in `dir`: only secform's own pattern (`.secform-*.tmp`), only
/// regular files, only those no live run holds locked and untouched for a second.
fn sweep_once(dir: &Path) {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static SWEPT: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let first = SWEPT
        .get_or_init(Default::default)
        .lock()
        .map(|mut swept| swept.insert(key))
        .unwrap_or(false);
    if first {
        sweep(dir);
    }
}

/// See [`sweep_once`]. Errors are ignored: a file that cannot be removed is left as it was.
fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        // Not followed: a link or anything but a regular file is not ours.
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if !meta.file_type().is_file() || !old {
            continue;
        }
        let path = entry.path();
        let Ok(file) = std::fs::OpenOptions::new().write(true).open(&path) else {
            continue;
        };
        if file.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Where writing `path` lands, or why it must not be written. A rename would replace a symbolic
/// link, a device or a pipe with a plain file and would ignore a file's read-only mark, none of
/// which a user asking for `-o out.pdf` means: a link is written through (its target is replaced),
/// the others are refused, and so is a folder that does not exist (the temporary file's error
/// would name a hidden file the user never asked for).
fn destination(path: &Path) -> Result<PathBuf, Error> {
    let refuse = |source| Error::Destination {
        path: path.display().to_string(),
        source,
    };
    // `out/` names a folder, not a file: said so, instead of the rename's "not a folder".
    if path.as_os_str().as_encoded_bytes().ends_with(b"/")
        || (cfg!(windows) && path.as_os_str().as_encoded_bytes().ends_with(b"\\"))
    {
        return Err(refuse(DestinationError::FolderName));
    }
    let mut dest = path.to_path_buf();
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            dest =
                std::fs::canonicalize(path).map_err(|_| refuse(DestinationError::DanglingLink))?;
        }
        let meta = std::fs::metadata(&dest).map_err(|e| write_error(path, e))?;
        if !meta.is_file() {
            return Err(refuse(DestinationError::NotRegular));
        }
        if meta.permissions().readonly() {
            return Err(refuse(DestinationError::ReadOnly));
        }
    }
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(refuse(DestinationError::NoFolder(
            dir.display().to_string(),
        )));
    }
    Ok(dest)
}

/// True when `a` and `b` name the same existing file or folder (through links and `..`): an output that
/// would replace its own input.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `path` made absolute through links and `..` even when its last parts do not exist yet (an output
/// folder to be made): its nearest existing ancestor canonical, the rest appended.
pub fn resolved(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut rest = Vec::new();
    let mut at = absolute.as_path();
    loop {
        if let Ok(real) = at.canonicalize() {
            return Some(rest.iter().rev().fold(real, |p, part| p.join(part)));
        }
        rest.push(at.file_name()?.to_os_string());
        at = at.parent()?;
    }
}

fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.display().to_string(),
        source,
    }
}
