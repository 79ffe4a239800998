//! `.xlsx` bytes → an answer set as JSON, with the cell each JSON path was read from. Cells are
//! found through the defined names, so rows a user inserted or a moved table do not matter.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, XlsxFormulaMetadata};
use serde_json::{Map, Value};

use crate::error::{Problem, ReadError};
use crate::input::place::CellMap;
use crate::spec::form::FormSpec;
use crate::spec::workbook::{self as cells, Kind, AUTO, FORMAT_VERSION, META_SHEET, YES_NO};

/// Why a workbook was refused (defined with the errors, which sit below the stages).
pub use crate::error::WorkbookError;

/// What a formula in an answer cell is told: the sheet's value is what the user typed, not what a
/// formula computed from other cells (which may change without anyone seeing it).
pub const FORMULA: &str = "数式は使えません。値を直接入力してください";

/// An answer set read from a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub value: Value,
    /// Where each JSON path was read from (`items.7.detail` → `確認書!D24`).
    pub cells: CellMap,
    /// What is wrong in a cell but not in the JSON it gives (a formula; a はい/いいえ cell holding
    /// another word, left out of the JSON): errors at the cell's path, the cell set.
    pub problems: Vec<Problem>,
}

/// Whether `bytes` look like an xlsx: a zip holding content types and a spreadsheet's workbook
/// part (entry names are stored uncompressed, so this needs no unzipping).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    bytes.starts_with(b"PK\x03\x04") && has(b"[Content_Types].xml") && has(b"xl/workbook.xml")
}

/// `sheet!$C$5` (quotes allowed) → sheet and zero-based row and column.
fn parse_ref(r: &str) -> Option<(String, u32, u32)> {
    let r = r.trim_start_matches('=');
    let (sheet, cell) = r.rsplit_once('!')?;
    let sheet = sheet.trim_matches('\'').to_string();
    let cell = cell.replace('$', "");
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    let mut col: u32 = 0;
    for ch in letters.chars() {
        col = col * 26 + (ch.to_ascii_uppercase() as u32).checked_sub('A' as u32)? + 1;
    }
    let row: u32 = digits.parse().ok()?;
    Some((sheet, row.checked_sub(1)?, col.checked_sub(1)?))
}

/// An Excel serial day number as ISO date text.
fn serial_date(n: f64) -> Option<String> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let d = epoch.checked_add_signed(chrono::Duration::days(n.floor() as i64))?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// A number as the sheet shows it: Excel keeps 15 significant digits, so a typed 1.1 stored as
/// 1.1000000000000001 reads 1.1, and a whole number has no decimal point.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let magnitude = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    let decimals = (14 - magnitude).max(0) as usize;
    let s = format!("{f:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn text(d: &Data) -> Option<String> {
    match d {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Float(f) => Some(number_text(*f)),
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(if *b { YES_NO[0] } else { YES_NO[1] }.to_string()),
        Data::DateTime(dt) => serial_date(dt.as_f64()),
        Data::DateTimeIso(s) => Some(s.chars().take(10).collect()),
        other => Some(other.to_string()),
    }
}

/// Reads `bytes` as a secform workbook of `layout`.
///
/// Long (the refusals, then every named cell): left whole this round, as its writer is.
pub fn read(layout: &FormSpec, bytes: &[u8]) -> Result<Read, WorkbookError> {
    if bytes.starts_with(&OLE_MAGIC) {
        // An OLE file: an old .xls, or an encrypted xlsx (which Office and LibreOffice store in
        // OLE, the package in a stream `EncryptedPackage` beside `EncryptionInfo`).
        let stream = |name: &str| {
            let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            bytes.windows(utf16.len()).any(|w| w == utf16.as_slice())
        };
        return Err(if stream("EncryptionInfo") || stream("EncryptedPackage") {
            WorkbookError::Encrypted
        } else {
            WorkbookError::Xls
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(WorkbookError::NotXlsx);
    }
    if !is_xlsx(bytes) {
        let ods = bytes.get(30..).is_some_and(|rest| {
            rest.starts_with(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet")
        });
        return Err(if ods {
            WorkbookError::Ods
        } else {
            WorkbookError::ZipNotXlsx
        });
    }
    crate::input::archive::check(bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| WorkbookError::Unreadable)?;
    let names: BTreeMap<String, String> = wb.defined_names().iter().cloned().collect();
    let wanted = named_positions(&names);
    let mut sheets: BTreeMap<String, Named> = BTreeMap::new();
    // The value of the cell `name` refers to, where it is, and its formula if it has one.
    let mut cell = |name: &str| -> Result<Option<(Data, String, Option<String>)>, WorkbookError> {
        let Some(reference) = names.get(name) else {
            return Ok(None);
        };
        let (sheet, row, col) = parse_ref(reference).ok_or(WorkbookError::Unreadable)?;
        if !sheets.contains_key(&sheet) {
            let positions = wanted.get(&sheet).cloned().unwrap_or_default();
            sheets.insert(sheet.clone(), named_cells(&mut wb, &sheet, &positions)?);
        }
        let at = format!("{sheet}!{}{}", col_letters(col), row + 1);
        let (value, formula) = sheets
            .get(&sheet)
            .and_then(|cells| cells.get(&(row, col)))
            .cloned()
            .unwrap_or((Data::Empty, None));
        Ok(Some((value, at, formula)))
    };
    let meta = |n: &str| format!("secform_{n}");
    let (found, at, _) =
        cell(&meta("layout"))?.ok_or_else(|| WorkbookError::MissingMeta(meta("layout")))?;
    let found = text(&found).unwrap_or_default();
    if found != layout.name {
        return Err(WorkbookError::WrongLayout {
            cell: at,
            found,
            known: layout.name.clone(),
        });
    }
    let (found, at, _) = cell(&meta("format_version"))?
        .ok_or_else(|| WorkbookError::MissingMeta(meta("format_version")))?;
    let found = text(&found).unwrap_or_default();
    if found != FORMAT_VERSION.to_string() {
        return Err(WorkbookError::WrongVersion {
            cell: at,
            found,
            readable: FORMAT_VERSION,
        });
    }
    let _ = META_SHEET;

    let mut root = Map::new();
    root.insert("layout".into(), Value::String(layout.name.clone()));
    let mut cells_map = CellMap::default();
    let mut problems = Vec::new();
    for f in cells::fields(layout) {
        let name = f.defined_name();
        let (data, at, formula) = cell(&name)?.ok_or_else(|| WorkbookError::MissingName {
            name: name.clone(),
            path: f.json_path(),
        })?;
        cells_map.insert(f.json_path(), at.clone());
        if formula.is_some() {
            // Its computed value is still read, so that the rules see what the sheet shows.
            let mut p = Problem::error(f.json_path(), FORMULA);
            p.cell = Some(at.clone());
            problems.push(p);
        }
        // A date cell's number is a serial day, whatever number format a program saved with it.
        let t = match (&f.kind, &data) {
            (Kind::Date, Data::Float(n)) => serial_date(*n),
            (Kind::Date, Data::Int(n)) => serial_date(*n as f64),
            _ => text(&data),
        };
        let Some(t) = t else { continue };
        // The JSON reader would ask for true or false; the sheet's words are はい and いいえ.
        if f.kind == Kind::Bool && !YES_NO.contains(&t.trim()) {
            let mut p = Problem::error(
                f.json_path(),
                format!(
                    "「{}」か「{}」を選んでください（実際: \"{t}\"）",
                    YES_NO[0], YES_NO[1]
                ),
            );
            p.cell = Some(at);
            problems.push(p);
            continue;
        }
        let t = if f.kind == Kind::Bool {
            t.trim().to_string()
        } else {
            t
        };
        let value = match &f.kind {
            Kind::Bool if t == YES_NO[0] => Value::Bool(true),
            Kind::Bool if t == YES_NO[1] => Value::Bool(false),
            // 自動 only where the list offers it; elsewhere it is a word typed outside the list.
            Kind::Choice(list) if t == AUTO && list.iter().any(|c| c == AUTO) => {
                Value::String("auto".into())
            }
            _ => Value::String(t),
        };
        insert(&mut root, &f.path, value);
    }
    for row in &layout.items.rows {
        let [mark, status, detail] = cells::carried_names(row.number);
        // A mark the clerk cleared (or a workbook with no such row) leaves the row confirmed.
        let marked = cell(&mark)?
            .is_some_and(|(data, _, _)| text(&data).is_some_and(|t| !t.trim().is_empty()));
        if !marked {
            continue;
        }
        let mut last = Map::new();
        for (key, name) in [("status", status), ("detail", detail)] {
            if let Some(t) = cell(&name)?.and_then(|(data, _, _)| text(&data)) {
                last.insert(key.into(), Value::String(t));
            }
        }
        let path = [
            "items".to_string(),
            row.number.to_string(),
            "carried_over".to_string(),
        ];
        insert(&mut root, &path, Value::Object(last));
    }
    Ok(Read {
        value: Value::Object(root),
        cells: cells_map,
        problems,
    })
}

/// The cells of one sheet that defined names point at: value and formula by (row, column).
type Named = BTreeMap<(u32, u32), (Data, Option<String>)>;

/// Every position a defined name points at, by sheet.
fn named_positions(names: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<(u32, u32)>> {
    let mut wanted: BTreeMap<String, BTreeSet<(u32, u32)>> = BTreeMap::new();
    for (sheet, row, col) in names.values().filter_map(|r| parse_ref(r)) {
        wanted.entry(sheet).or_default().insert((row, col));
    }
    wanted
}

/// The cells at `positions` of `sheet`, read in one pass over the sheet's cells as they stream
/// by. No range is built: a sheet's claimed or actual extent (a cell at XFD1048576) costs
/// nothing but the cells the file really holds, which the archive's caps bound.
fn named_cells<RS: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<RS>,
    sheet: &str,
    positions: &BTreeSet<(u32, u32)>,
) -> Result<Named, WorkbookError> {
    let mut found = Named::new();
    let mut reader = match wb.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        // A chart sheet has no cells, as calamine's own ranges say.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(found),
        Err(_) => return Err(WorkbookError::Unreadable),
    };
    // Each shared formula's first cell and text: a cell deriving from it is expanded only when
    // secform reads that cell (expanding every derived cell costs the formula's length each time).
    let mut anchors: BTreeMap<usize, ((u32, u32), String)> = BTreeMap::new();
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(|_| WorkbookError::Unreadable)?
    {
        let formula = match cell.formula {
            None => None,
            Some(XlsxFormulaMetadata::Normal { formula }) => Some(formula),
            Some(XlsxFormulaMetadata::Shared {
                shared_index,
                formula,
                ..
            }) => {
                let text = positions.contains(&cell.pos).then(|| formula.clone());
                anchors.entry(shared_index).or_insert((cell.pos, formula));
                text
            }
            Some(XlsxFormulaMetadata::SharedDerived { shared_index }) => {
                if positions.contains(&cell.pos) {
                    anchors.get(&shared_index).and_then(|(start, text)| {
                        calamine::expand_shared_formula(text, *start, cell.pos).ok()
                    })
                } else {
                    None
                }
            }
            // calamine 0.38 (pinned) has no other kind; the enum is only marked as growing.
            Some(_) => None,
        };
        if positions.contains(&cell.pos) {
            let formula = formula.filter(|f| !f.is_empty());
            found.insert(cell.pos, (Data::from(cell.value), formula));
        }
    }
    Ok(found)
}

/// The first bytes of an OLE compound file (an `.xls`, or an encrypted `.xlsx`).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn insert(map: &mut Map<String, Value>, path: &[String], value: Value) {
    match path {
        [] => {}
        [last] => {
            map.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let entry = map
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = entry {
                insert(m, rest, value);
            }
        }
    }
}

fn col_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (col % 26) as u8) as char);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.iter().rev().collect()
}

/// Reads a secform workbook of whichever compiled-in layout it records.
pub fn read_any(bytes: &[u8]) -> Result<Read, WorkbookError> {
    let mut last = WorkbookError::Unreadable;
    for name in crate::spec::names() {
        let layout = FormSpec::get(name).map_err(|_| WorkbookError::Unreadable)?;
        match read(layout, bytes) {
            Err(WorkbookError::WrongLayout { cell, found, .. }) => {
                last = WorkbookError::WrongLayout {
                    cell,
                    found,
                    known: crate::spec::names().join("、"),
                }
            }
            other => return other,
        }
    }
    Err(last)
}

/// Whether `bytes` start as a workbook would (zip or an old/encrypted OLE file), so that the
/// answer-file reader hands them here instead of decoding them as text.
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&OLE_MAGIC[..4])
}

/// The answer set of a workbook as JSON text, for the readers of answer files.
pub fn to_json_text(bytes: &[u8]) -> Result<String, ReadError> {
    // `{:#}`: the pretty JSON of `to_string_pretty`, without a failure a `Value` cannot have.
    Ok(format!("{:#}", read_any(bytes)?.value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_the_sheet_shows_them() {
        assert_eq!(number_text(42.0), "42");
        assert_eq!(number_text(-3.0), "-3");
        // The float next to 1.1, as a sum can leave it.
        assert_eq!(number_text(f64::from_bits(1.1f64.to_bits() + 1)), "1.1");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(0.000123), "0.000123");
    }
}
