//! The workbook view of an answer set: a secform `.xlsx` goes out to be filled in Excel or
//! LibreOffice and comes back as the same answer set. Cells are found through workbook-level
//! defined names made from JSON paths, so a moved table still reads.

pub mod cells;
pub mod read;
pub mod write;

/// The workbook format version written to, and accepted from, the hidden meta sheet.
pub const FORMAT_VERSION: u32 = 1;
/// The hidden sheet that records the layout and the format version.
pub const META_SHEET: &str = "secform";
/// The sheet that reads like the 別記様式.
pub const FORM_SHEET: &str = "確認書";
