//! Answer files as text: UTF-8, or a clear word on the encoding a Windows tool saved instead.

use crate::error::ReadError;

/// The text of an answer file, or why it is not UTF-8 text: Windows tools still save Shift_JIS or
/// UTF-16, and "invalid UTF-8" does not tell a user what to do.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| {
        let b = e.as_bytes();
        if b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) {
            ReadError::Utf16
        } else if encoding_rs::SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(b)
            .is_some()
        {
            ReadError::ShiftJis
        } else {
            ReadError::NotUtf8
        }
    })
}
