//! An answer file as the commands read it: JSON text, or a secform workbook (recognised by its
//! content, or refused as one by its name), with the cell each answer was read from, so that
//! every problem found in it names the cell as well as the JSON path.

use std::path::Path;

use serde_json::Value;

use crate::error::{Problem, ReadError};
use crate::input::place::CellMap;
use crate::input::workbook as read;

/// An answer set as read from a file.
#[derive(Debug, Clone, Default)]
pub struct AnswerFile {
    /// The answer set as JSON text (a workbook's as plain JSON; see `crate::export::json` for how it is written out).
    pub json: String,
    /// Where each answer was read from; empty for a JSON file.
    pub cells: CellMap,
    /// The answer set as a reader built it (a workbook's): assessed as it is, not parsed again
    /// from `json`.
    pub parsed: Option<Value>,
    /// What the file itself has wrong beside its JSON (a formula in a workbook's answer cell),
    /// cells already set.
    pub problems: Vec<Problem>,
}

/// The extensions a workbook file goes by: a file so named that is not one is refused as such,
/// not read as broken JSON.
fn named_as_workbook(name: &Path) -> bool {
    name.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xls"]
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

impl AnswerFile {
    /// Reads `bytes`, the content of `name` (`None`: standard input, a JSON Lines line). The
    /// error is the reason, for the caller to put beside the file's name.
    pub fn from_bytes(name: Option<&Path>, bytes: Vec<u8>) -> Result<AnswerFile, ReadError> {
        let workbook = read::looks_like_workbook(&bytes) || name.is_some_and(named_as_workbook);
        if !workbook && crate::input::pdf::looks_like_pdf(&bytes) {
            // A received PDF: what the reader dropped from its answers (a seal image's path) is
            // told as a warning.
            let attached = crate::input::pdf::read_attached(&bytes)?;
            return Ok(AnswerFile {
                json: attached.json,
                problems: attached.problems,
                ..AnswerFile::default()
            });
        }
        if !workbook {
            return crate::input::decode(bytes).map(|json| AnswerFile {
                json,
                ..AnswerFile::default()
            });
        }
        // Its `layout` is one of the compiled-in layouts: `read_any` reads no other.
        let wb = read::read_any(&bytes)?;
        Ok(AnswerFile {
            // The reader walks JSON; its formatting (`convert` writes it as `init` does) is export's.
            json: wb.value.to_string(),
            cells: wb.cells,
            problems: wb.problems,
            parsed: Some(wb.value),
        })
    }

    /// The answer set as parsed JSON, for `convert` and batch folders: refused with the file's
    /// errors (a key written twice, a formula), cells set.
    pub fn value(&self) -> Result<Value, Vec<Problem>> {
        let mut errors: Vec<Problem> = self
            .problems
            .iter()
            .filter(|p| p.is_error())
            .cloned()
            .collect();
        let parsed = match &self.parsed {
            Some(value) => Ok(value.clone()),
            None => crate::input::json::parse_strict(&self.json),
        };
        let value = match parsed {
            Ok(value) if errors.is_empty() => return Ok(value),
            Ok(_) => None,
            Err(problems) => Some(problems),
        };
        errors.extend(self.beside_own(value.into_iter().flatten().collect()));
        self.cells.locate(&mut errors);
        crate::spec::labels::name_places(&self.layout(), &mut errors);
        Err(errors)
    }

    /// `problems` (found in the answer set) less those about a field the file's own errors
    /// already name: a formula cell gets its one message, not also 「必須の項目がありません」 for
    /// the value it left empty (issue 21 §6). A row's problem (`items.5`) goes with an error in
    /// one of its cells (`items.5.status`).
    pub fn beside_own(&self, problems: Vec<Problem>) -> Vec<Problem> {
        let own: Vec<&str> = self
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.path.as_str())
            .collect();
        let told = |path: &str| {
            own.iter().any(|o| {
                *o == path
                    || o.strip_prefix(path)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        };
        problems.into_iter().filter(|p| !told(&p.path)).collect()
    }

    /// The layout the answer set names, or the default one (also for JSON that does not parse):
    /// the layout its problems are named in.
    pub fn layout(&self) -> String {
        let named = |v: &Value| v.get("layout")?.as_str().map(String::from);
        match &self.parsed {
            Some(value) => named(value),
            None => serde_json::from_str::<Value>(&self.json)
                .ok()
                .as_ref()
                .and_then(named),
        }
        .unwrap_or_else(|| crate::spec::DEFAULT_LAYOUT.to_string())
    }
}
