//! Writing what a command made: to standard output for `-`, else whole or not at all (a temporary
//! file renamed into place, [`secform::output::write_atomic`]).

use std::io::Write;
use std::path::Path;

use secform::Error;

/// Writes `bytes` to `path`, or to standard output for `-`.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(|source| Error::Write {
                path: "-".into(),
                source,
            })
    } else {
        secform::output::write_atomic(path, bytes)
    }
}

/// The workbook of an answer set's JSON text, to be written to `output` (`init --format xlsx`,
/// `convert`, `next`).
pub fn workbook(json: &str, output: &Path) -> Result<Vec<u8>, Error> {
    secform::export::workbook::json_to_xlsx(json).map_err(|source| Error::Export {
        path: output.display().to_string(),
        source,
    })
}

/// Whether `output` names a workbook (`.xlsx`, any case): `convert` and `next` write one then.
pub fn is_workbook(output: &Path) -> bool {
    output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// `output` as the messages name it: standard output for `-`.
pub fn shown(output: &Path) -> String {
    if output == Path::new("-") {
        "標準出力".to_string()
    } else {
        output.display().to_string()
    }
}
