//! Writing files so that a failure never leaves a half-written or clobbered one behind.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so readers
/// see the old file or the whole new one, never a torn one, and a failed run leaves no trace.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |source| Error::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // What the file should look like once renamed into place: an existing output keeps its mode;
    // a new one gets what `File::create` would give it (0666 less the umask). The temporary file is
    // opened with that mode so that the kernel applies the umask (reading the umask means setting
    // it, which would race with the batch's writing threads); an existing mode is set afterwards,
    // because it must not be narrowed by the umask.
    #[cfg(unix)]
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".secform-").suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    #[cfg(unix)]
    if let Some(permissions) = existing {
        tmp.as_file().set_permissions(permissions).map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
