//! The answer set written out in another shape than the PDF: the workbook that goes out to be
//! filled in Excel (read back by [`crate::input::workbook`]). A new export format is one more module
//! here, fed by the answer model or its JSON.

pub mod json;
pub mod measure;
pub mod workbook;
