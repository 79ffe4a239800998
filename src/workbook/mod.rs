//! The workbook view of an answer set: a secform `.xlsx` goes out to be filled in Excel or
//! LibreOffice and comes back as the same answer set. Cells are found through workbook-level
//! defined names made from JSON paths, so a moved table still reads.

pub mod cells;
pub mod measure;
pub mod place;
pub mod read;
pub mod write;

/// The workbook format version written to, and accepted from, the hidden meta sheet.
pub const FORMAT_VERSION: u32 = 1;
/// The hidden sheet that records the layout and the format version.
pub const META_SHEET: &str = "secform";
/// The sheet that reads like the 別記様式.
pub const FORM_SHEET: &str = "確認書";

/// An answer set's JSON text as a workbook of the layout it names (the default when none).
pub fn json_to_xlsx(json: &str) -> Result<Vec<u8>, String> {
    let value = crate::json_text::parse_strict(json).map_err(|problems| {
        problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let name = value
        .get("layout")
        .and_then(serde_json::Value::as_str)
        .unwrap_or(crate::layout::DEFAULT_LAYOUT);
    let layout = crate::layout::FormLayout::get(name).map_err(|e| e.to_string())?;
    write::write(layout, &value).map_err(|e| e.to_string())
}
