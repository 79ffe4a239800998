//! The entry points the fuzz targets drive, one per reader, shared with the root's
//! `tests/fuzz_regressions.rs` (which includes this file by path) so that a saved crash replays
//! through exactly the code that found it. Each does what `secform check FILE` does with the
//! bytes: read them as a file of that shape, then check the answers; none touches the disk (the
//! default options read no `seal.image`: the core reads no files).

use std::path::Path;
use std::sync::LazyLock;

use secform::input::file::AnswerFile;
use secform::model::seal;
use secform::{CheckOptions, FontSet, Renderer};

static RENDERER: LazyLock<Renderer> = LazyLock::new(|| Renderer::new(FontSet::bundled()));

/// A fixed day, so that a run is reproducible whatever the date.
fn opts() -> CheckOptions {
    CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default())
}

/// Bytes read as the file `name` (its extension decides nothing but a workbook's refusal; the
/// content picks the reader), then checked.
fn check_as(name: &str, data: &[u8]) {
    if let Ok(file) = AnswerFile::from_bytes(Some(Path::new(name)), data.to_vec()) {
        let _ = file.value();
        let _ = RENDERER.assess(file, &opts()).problems();
    }
}

/// The JSON reader: UTF-8 text → JSON checks → the answer model → the form's rules.
pub fn json(data: &[u8]) {
    check_as("回答.json", data);
}

/// The workbook reader (a zip of XML parts, or an OLE file it refuses).
pub fn workbook(data: &[u8]) {
    check_as("回答.xlsx", data);
}

/// The PDF reader: the answer set attached to a secform PDF.
pub fn pdf(data: &[u8]) {
    check_as("確認書.pdf", data);
}

/// The seal decoder, through `seal.data` as `secform serve` writes it: the bytes as a data URI
/// of the type their first bytes claim (a JPEG's, else PNG).
pub fn seal(data: &[u8]) {
    use base64::Engine as _;
    let encode = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    let kind = if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "jpeg"
    } else {
        "png"
    };
    let _ = seal::from_data_uri(&format!("data:image/{kind};base64,{}", encode(data)));
}
