//! `.xlsx` bytes → an answer set as JSON, with the cell each JSON path was read from. Cells are
//! found through the defined names, so rows a user inserted or a moved table do not matter.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::{Map, Value};

use crate::spec::form::FormSpec;
use crate::spec::workbook::{self as cells, Kind, AUTO, FORMAT_VERSION, META_SHEET, YES_NO};

/// Why a workbook was refused, each in words a clerk can act on.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReadError {
    #[error("Excel ブック（.xlsx）ではありません")]
    NotXlsx,
    #[error("古い Excel 形式（.xls）です。Excel で .xlsx 形式で保存し直してください")]
    Xls,
    #[error("パスワードで保護（暗号化）されたブックです。パスワードを外して保存し直してください")]
    Encrypted,
    #[error("ブックを読めませんでした（壊れているか、secform のブックではありません）")]
    Unreadable,
    #[error("secform のブックではありません（名前 {0} がありません）")]
    MissingName(String),
    #[error("様式 {0} のブックです（この secform は {1} を読みます）")]
    WrongLayout(String, String),
    #[error("ブックの形式 {0} はこの secform では読めません（読めるのは {FORMAT_VERSION}）")]
    WrongVersion(String),
    #[error("{cell}: 数式は使えません。値を入力してください")]
    Formula { cell: String },
}

/// An answer set read from a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub value: Value,
    /// JSON path (`items.7.detail`) → cell (`確認書!D24`).
    pub cells: BTreeMap<String, String>,
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

fn text(d: &Data) -> Option<String> {
    match d {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Float(f) if f.fract() == 0.0 => Some(format!("{}", *f as i64)),
        Data::Float(f) => Some(f.to_string()),
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(if *b { YES_NO[0] } else { YES_NO[1] }.to_string()),
        Data::DateTime(dt) => serial_date(dt.as_f64()),
        Data::DateTimeIso(s) => Some(s.chars().take(10).collect()),
        other => Some(other.to_string()),
    }
}

/// Reads `bytes` as a secform workbook of `layout`.
pub fn read(layout: &FormSpec, bytes: &[u8]) -> Result<Read, ReadError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE file: an old .xls, or an encrypted xlsx (which Office stores in OLE).
        let encrypted = bytes.windows(18).any(|w| {
            w == "EncryptionInfo"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .take(18)
                .collect::<Vec<u8>>()
                .as_slice()
        });
        return Err(if encrypted {
            ReadError::Encrypted
        } else {
            ReadError::Xls
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::NotXlsx);
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| ReadError::Unreadable)?;
    let names: BTreeMap<String, String> = wb.defined_names().iter().cloned().collect();
    let mut sheets: BTreeMap<String, calamine::Range<Data>> = BTreeMap::new();
    let mut formulas: BTreeMap<String, calamine::Range<String>> = BTreeMap::new();
    let mut cell = |name: &str| -> Result<Option<(Data, String)>, ReadError> {
        let Some(reference) = names.get(name) else {
            return Ok(None);
        };
        let (sheet, row, col) = parse_ref(reference).ok_or(ReadError::Unreadable)?;
        if !sheets.contains_key(&sheet) {
            let range = wb
                .worksheet_range(&sheet)
                .map_err(|_| ReadError::Unreadable)?;
            sheets.insert(sheet.clone(), range);
            if let Ok(f) = wb.worksheet_formula(&sheet) {
                formulas.insert(sheet.clone(), f);
            }
        }
        let at = format!("{sheet}!{}{}", col_letters(col), row + 1);
        if let Some(f) = formulas.get(&sheet).and_then(|f| f.get_value((row, col))) {
            if !f.is_empty() {
                return Err(ReadError::Formula { cell: at });
            }
        }
        let value = sheets
            .get(&sheet)
            .and_then(|r| r.get_value((row, col)))
            .cloned()
            .unwrap_or(Data::Empty);
        Ok(Some((value, at)))
    };
    let meta = |n: &str| format!("secform_{n}");
    let layout_name = cell(&meta("layout"))?
        .ok_or_else(|| ReadError::MissingName(meta("layout")))?
        .0;
    let layout_name = text(&layout_name).unwrap_or_default();
    if layout_name != layout.name {
        return Err(ReadError::WrongLayout(layout_name, layout.name.clone()));
    }
    let version = cell(&meta("format_version"))?
        .ok_or_else(|| ReadError::MissingName(meta("format_version")))?
        .0;
    let version = text(&version).unwrap_or_default();
    if version != FORMAT_VERSION.to_string() {
        return Err(ReadError::WrongVersion(version));
    }
    let _ = META_SHEET;

    let mut root = Map::new();
    root.insert("layout".into(), Value::String(layout.name.clone()));
    let mut cells_map = BTreeMap::new();
    for f in cells::fields(layout) {
        let name = f.defined_name();
        let (data, at) = cell(&name)?.ok_or_else(|| ReadError::MissingName(name.clone()))?;
        // A date cell's number is a serial day, whatever number format a program saved with it.
        let t = match (&f.kind, &data) {
            (Kind::Date, Data::Float(n)) => serial_date(*n),
            (Kind::Date, Data::Int(n)) => serial_date(*n as f64),
            _ => text(&data),
        };
        let Some(t) = t else { continue };
        let value = match &f.kind {
            Kind::Bool if t == YES_NO[0] => Value::Bool(true),
            Kind::Bool if t == YES_NO[1] => Value::Bool(false),
            Kind::Choice(_) if t == AUTO => Value::String("auto".into()),
            _ => Value::String(t),
        };
        cells_map.insert(f.json_path(), at);
        insert(&mut root, &f.path, value);
    }
    Ok(Read {
        value: Value::Object(root),
        cells: cells_map,
    })
}

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
pub fn read_any(bytes: &[u8]) -> Result<Read, ReadError> {
    let mut last = ReadError::Unreadable;
    for name in crate::spec::names() {
        let layout = crate::spec::form::FormSpec::get(name).map_err(|_| ReadError::Unreadable)?;
        match read(layout, bytes) {
            Err(e @ ReadError::WrongLayout(..)) => last = e,
            other => return other,
        }
    }
    Err(last)
}

/// Whether `bytes` start as a workbook would (zip or an old/encrypted OLE file), so that the
/// answer-file reader hands them here instead of decoding them as text.
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The answer set of a workbook as JSON text, for the readers of answer files. The reason of a
/// refusal is the message, as a decoding failure's is.
pub fn to_json_text(bytes: &[u8]) -> Result<String, String> {
    let read = read_any(bytes).map_err(|e| format!("Excel ブック: {e}"))?;
    serde_json::to_string_pretty(&read.value).map_err(|_| "Excel ブック: 読めませんでした".into())
}
