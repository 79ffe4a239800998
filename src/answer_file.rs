//! An answer file as the commands read it: JSON text, or a secform workbook (recognised by its
//! content, or refused as one by its name), with the cell each answer was read from, so that
//! every problem found in it names the cell as well as the JSON path.

use std::path::Path;

use serde_json::{Map, Value};

use crate::answers::{COMMENT, ITEM_FIELDS, ROOT_FIELDS, SEAL_FIELDS, TARGET_FIELDS};
use crate::error::{Error, Problem};
use crate::workbook::place::CellMap;
use crate::workbook::read::{self, ReadError};
use crate::{CheckOptions, FormLayout, RenderedPdf, Renderer};

/// An answer set as read from a file.
#[derive(Debug, Clone, Default)]
pub struct AnswerFile {
    /// The answer set as JSON text (a workbook's as [`json_text`] writes it).
    pub json: String,
    /// Where each answer was read from; empty for a JSON file.
    pub cells: CellMap,
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
    pub fn from_bytes(name: Option<&Path>, bytes: Vec<u8>) -> Result<AnswerFile, String> {
        let workbook = read::looks_like_workbook(&bytes) || name.is_some_and(named_as_workbook);
        if !workbook {
            return crate::json_text::decode(bytes).map(|json| AnswerFile {
                json,
                ..AnswerFile::default()
            });
        }
        let wb = read::read_any(&bytes).map_err(|e| workbook_reason(&e))?;
        let form = FormLayout::get(
            wb.value
                .get("layout")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        )
        .map_err(|e| e.to_string())?;
        Ok(AnswerFile {
            json: json_text(&wb.value, form),
            cells: wb.cells,
            problems: wb.problems,
        })
    }

    /// Every problem, as `check` lists them: the file's own, then the answer set's (structure,
    /// then rules); errors before warnings; each with its cell when the file is a workbook.
    pub fn check(&self, r: &Renderer, opts: &CheckOptions) -> Vec<Problem> {
        let mut problems = self.problems.clone();
        problems.extend(r.check(&self.json, opts));
        problems.sort_by_key(|p| p.severity);
        self.cells.locate(&mut problems);
        problems
    }

    /// The PDF, as `render` makes it; refused with every error (cells set) when there is one.
    pub fn render(&self, r: &Renderer, opts: &CheckOptions) -> Result<RenderedPdf, Error> {
        if self.problems.iter().any(Problem::is_error) {
            let errors = self.check(r, opts).into_iter().filter(Problem::is_error);
            return Err(Error::Invalid(errors.collect()));
        }
        match r.render_form(&self.json, opts) {
            Ok(mut pdf) => {
                self.cells.locate(&mut pdf.warnings);
                Ok(pdf)
            }
            Err(Error::Invalid(mut errors)) => {
                self.cells.locate(&mut errors);
                Err(Error::Invalid(errors))
            }
            Err(e) => Err(e),
        }
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
        let value = match crate::json_text::parse_strict(&self.json) {
            Ok(value) if errors.is_empty() => return Ok(value),
            Ok(_) => None,
            Err(problems) => Some(problems),
        };
        errors.extend(value.into_iter().flatten());
        self.cells.locate(&mut errors);
        Err(errors)
    }
}

/// A workbook's refusal in the words every command uses.
fn workbook_reason(e: &ReadError) -> String {
    format!("Excel ブック: {e}")
}

/// An answer set as JSON text, the way `init` writes it and `convert` too: fields in the order of
/// the form, every row present with its text as `$comment` (so that a user editing the JSON by
/// hand sees what row 5 asks; the reader ignores it), two-space indents, a final newline.
pub fn json_text(value: &Value, form: &FormLayout) -> String {
    let mut value = ordered(value, ROOT_FIELDS);
    if let Some(root) = value.as_object_mut() {
        for (key, fields) in [
            ("target", TARGET_FIELDS),
            ("checker", crate::answers::CHECKER_FIELDS),
            ("seal", SEAL_FIELDS),
        ] {
            if let Some(v) = root.get_mut(key) {
                *v = ordered(v, fields);
            }
        }
        if let Some(items) = root.get_mut("items") {
            *items = commented_items(items, form);
        }
    }
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

/// `v` with its keys in the order of `known` (`$comment` first, keys not in `known` last, as
/// they came): the JSON reads in the order of the form whatever order a program wrote it in.
fn ordered(v: &Value, known: &[&str]) -> Value {
    let Value::Object(map) = v else {
        return v.clone();
    };
    let rank = |k: &str| match known.iter().position(|f| *f == k) {
        _ if k == COMMENT => 0,
        Some(i) => i + 1,
        None => known.len() + 1,
    };
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(k, _)| rank(k));
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// Every row of the form in order, each with its text as `$comment` (the answer after it where
/// there is one). A row without an answer stays unanswered: `$comment` is ignored by the reader.
/// Keys that are not rows of the form are kept after them, for the reader to name.
fn commented_items(items: &Value, form: &FormLayout) -> Value {
    let Value::Object(given) = items else {
        return items.clone();
    };
    let mut out = Map::new();
    for row in &form.items.rows {
        let key = row.number.to_string();
        let mut item = Map::new();
        item.insert(COMMENT.into(), row.text.clone().into());
        match given.get(&key) {
            Some(answer @ Value::Object(_)) => {
                if let Value::Object(answer) = ordered(answer, ITEM_FIELDS) {
                    // A `$comment` of the user's own is kept in place of the row's text.
                    item.extend(answer);
                }
            }
            Some(other) => {
                out.insert(key, other.clone());
                continue;
            }
            None => {}
        }
        out.insert(key, Value::Object(item));
    }
    for (k, v) in given {
        if !out.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}
