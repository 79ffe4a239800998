//! The browser is opened on a private redirect file, as Jupyter does (`jpserver-PORT-open.html`):
//! a URL given to the browser's command line can be read by every user of the machine (`ps`), a
//! file in a private folder only by its owner.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Session;

/// The redirect file, in a temporary folder of its own (mode 0700), removed with this value.
pub struct RedirectFile {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl RedirectFile {
    /// Writes `secform-PORT-open.html` (mode 0600) that sends the browser to the session's URL.
    pub fn write(session: &Session) -> std::io::Result<RedirectFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("secform-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir()?;
        let path = dir
            .path()
            .join(format!("secform-{}-open.html", session.port));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(&path)?;
        file.write_all(page(&session.url()).as_bytes())?;
        file.sync_all()?;
        Ok(RedirectFile { _dir: dir, path })
    }

    /// What to give the browser to open.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A page that goes to `url` at once (meta refresh, a script, and a link for a browser that does
/// neither). `url` is secform's own: an address, a port and a hex token, nothing to escape.
pub fn page(url: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"refresh\" content=\"0;url={url}\">\n<title>secform</title>\n</head>\n\
         <body>\n<p><a href=\"{url}\">secform serve の画面を開く</a></p>\n\
         <script>window.location.replace(\"{url}\");</script>\n</body>\n</html>\n"
    )
}
