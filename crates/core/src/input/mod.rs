//! Everything that becomes an answer set: the bytes of a file, standard input or a batch entry,
//! recognised by their content and read by the reader of their shape. A new input shape (a PDF
//! with attached answers, say) is one more reader here and one more arm in [`decode`].
//!
//! Each reader gives JSON text, so that every shape meets the same JSON checks ([`json`]) and the
//! same reader of the answer model ([`answers`]), with the same messages and paths.

pub mod answers;
pub mod archive;
pub mod file;
pub mod json;
pub mod own_pdf;
pub mod pdf;
pub mod place;
pub mod text;
pub mod workbook;

/// Why bytes are no answer set, for every reader here (defined with the errors, which sit below
/// the stages).
pub use crate::error::ReadError;

/// The largest answer file any door reads (JSON, a workbook, a PDF with its fonts and a seal
/// image of up to 5 MB): the command line's cap, and the page's for a file chosen with 開く.
pub const ANSWER_FILE_MAX: u64 = 32 * 1024 * 1024;

/// The JSON text of an answer file of any shape: a secform workbook, a secform PDF, or UTF-8 text.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if workbook::looks_like_workbook(&bytes) {
        return workbook::to_json_text(&bytes);
    }
    // A secform PDF, by the answer set it carries.
    if pdf::looks_like_pdf(&bytes) {
        return pdf::read(&bytes);
    }
    text::decode(bytes)
}
