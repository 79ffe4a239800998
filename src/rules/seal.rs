//! The seal image an answer set names (a file's path, or the image itself as a data URI), loaded
//! once while checking so that rendering does not read it again.

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
        (Some(path), None) => seal::load(path, opts.base_dir.as_deref()),
        (None, Some(uri)) => seal::from_data_uri(uri),
    };
    loaded.map_err(|p| problems.push(p)).ok()
}
