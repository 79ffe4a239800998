//! The seal images the server reads: no path from the browser is ever opened. Only the
//! `seal.image` of the answers the server started from (the file named on the command line) is
//! read, from where that file's own reader would read it; any other path is refused, and a chosen
//! image travels in the answers as `seal.data`.

use std::sync::Arc;

use crate::error::{Problem, Visible};
use crate::model::seal::SealFiles;

/// See the module's documentation.
pub struct ServedSeal {
    /// Where the served file's image is read from.
    files: Arc<dyn SealFiles>,
    /// The one path read: the `seal.image` of the answers the server started from.
    allowed: Option<String>,
}

impl ServedSeal {
    /// Reads only the seal image `initial` (the served answers' JSON) names, through `files`.
    pub fn new(files: Arc<dyn SealFiles>, initial: &str) -> ServedSeal {
        let allowed = serde_json::from_str::<serde_json::Value>(initial)
            .ok()
            .and_then(|v| v.get("seal")?.get("image")?.as_str().map(String::from));
        ServedSeal { files, allowed }
    }
}

impl SealFiles for ServedSeal {
    fn read(&self, path: &str) -> Result<Vec<u8>, Problem> {
        if self.allowed.as_deref() == Some(path) {
            return self.files.read(path);
        }
        Err(Problem::error(
            "seal.image",
            format!(
                "印影の画像ファイル {} は開きません。この画面では、開いた回答ファイルにある画像だけを読みます。画像は「印影の画像」で選んでください（回答の中に seal.data として入ります）",
                Visible(path)
            ),
        ))
    }
}
