//! The seal image an answer set names (a file's path, read by the host, or the image itself as a
//! data URI), decoded once while checking so that rendering does not decode it again.

use crate::error::Problem;
use crate::model::draft::Draft;
use crate::model::seal::{self, SealImage};

use super::CheckOptions;

/// The seal image of `d`, if it names one and it is good; why not, added to `problems`.
pub(super) fn load(
    d: &Draft,
    opts: &CheckOptions,
    problems: &mut Vec<Problem>,
) -> Option<SealImage> {
    let s = d.seal.as_ref()?;
    let loaded = match (s.image.as_deref(), s.data.as_deref()) {
        (None, None) => return None,
        (Some(_), Some(_)) => Err(Problem::error(
            "seal.data",
            "印影の画像が seal.image と seal.data の両方に指定されています。どちらか一方にしてください",
        )),
        // The engine reads no file: the host's SealFiles gives the bytes (or says why not).
        (Some(path), None) => opts
            .seal_files
            .read(path)
            .and_then(|bytes| seal::from_file_bytes(path, bytes)),
        (None, Some(uri)) => seal::from_data_uri(uri),
    };
    loaded.map_err(|p| problems.push(p)).ok()
}
