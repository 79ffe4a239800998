//! Reading an answer file named on the command line, or standard input for `-`: a regular file
//! only, through a cap ([`secform::files`]), its shape told by [`AnswerFile`].

use std::path::Path;

use secform::files::Limit;
use secform::input::file::AnswerFile;
use secform::Error;

/// An answer file (JSON, a workbook, a secform PDF) within the cap of one.
pub fn read(path: &str) -> Result<AnswerFile, Error> {
    read_within(path, Limit::ANSWER_FILE)
}

/// [`read`] within `limit` (a batch file's is larger).
pub fn read_within(path: &str, limit: Limit) -> Result<AnswerFile, Error> {
    let io = |source| Error::Io {
        path: path.to_string(),
        source,
    };
    if path != "-" {
        if let Some(why) = secform::batch::format_refusal(Path::new(path)) {
            return Err(io(std::io::Error::other(why)));
        }
    }
    let bytes = if path == "-" {
        secform::files::read_stdin(limit)
    } else {
        secform::files::read(Path::new(path), limit)
    }
    .map_err(|source| Error::Read {
        path: path.to_string(),
        source,
    })?;
    let name = (path != "-").then(|| Path::new(path));
    AnswerFile::from_bytes(name, bytes).map_err(|source| Error::Decode {
        path: path.to_string(),
        source,
    })
}
