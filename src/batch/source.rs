//! Where a batch's entries come from: a batch file (`defaults` + `forms`), a JSON Lines file, or a
//! folder of answer-set files. Entries are handed out one at a time, so that a JSON Lines file or a
//! folder is never held in memory whole.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::defaults;
use crate::error::{Error, Problem};
use crate::input;
use crate::input::answers::COMMENT;
use crate::input::file::AnswerFile;
use crate::input::place::CellMap;

/// One entry as read: where it stands (from 1), what to call it in messages besides its position,
/// and its JSON (already laid over the defaults), or why it could not be read.
#[derive(Debug)]
pub struct Entry {
    pub position: usize,
    pub label: Option<String>,
    pub value: Result<Value, Vec<Problem>>,
    /// Where each answer was read from, for an entry that is a workbook (empty otherwise): the
    /// entry's problems name the cell too.
    pub cells: CellMap,
    /// The file of a folder's entry (`batch --next` keeps its name).
    pub file: Option<PathBuf>,
}

/// The entries of a batch, in order.
pub struct Source {
    total: usize,
    next: usize,
    kind: Kind,
    /// Files of a folder that no user made as an answer set (see [`not_an_answer_file`]).
    ignored: usize,
}

/// Hidden files (`.x.json`), the `._x.json` that macOS leaves on shared drives and USB sticks, and
/// the `~$x.json` lock files of Office: copies and traces, never answer sets a user made. Left out
/// before the entries are numbered, so they never shift `01_` to `02_`.
fn not_an_answer_file(name: &std::ffi::OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.starts_with(b".") || name.starts_with("~$".as_bytes())
}

enum Kind {
    Forms {
        defaults: Value,
        forms: std::vec::IntoIter<Value>,
    },
    Folder {
        files: std::vec::IntoIter<PathBuf>,
    },
    Lines {
        reader: BufReader<File>,
        line: usize,
    },
    /// Nothing more can be read (after a read error on a JSON Lines file).
    Done,
}

impl Source {
    /// Opens `path`: a folder of `*.json` and `*.xlsx` answer sets (by name), a `.jsonl` file (an answer set a
    /// line), or else a batch file.
    pub fn open(path: &Path) -> Result<Source, Error> {
        if path.is_dir() {
            Self::folder(path)
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
        {
            Self::lines(path)
        } else {
            Self::batch_file(path)
        }
    }

    /// A batch from JSON text: `{"defaults": {…}, "forms": [{…}, …]}`.
    pub fn from_batch_json(text: &str) -> Result<Source, Error> {
        let value = input::json::parse_strict(text).map_err(Error::Invalid)?;
        Self::from_batch_value(value)
    }

    fn from_batch_value(value: Value) -> Result<Source, Error> {
        let Value::Object(mut map) = value else {
            return Err(invalid(
                "$",
                "{\"defaults\": {…}, \"forms\": [{…}, …]} の形で指定してください",
            ));
        };
        let mut problems: Vec<Problem> = map
            .keys()
            .filter(|k| !matches!(k.as_str(), "defaults" | "forms" | COMMENT))
            .map(|k| {
                Problem::error(
                    k.clone(),
                    "不明な項目です（使用できる項目: defaults, forms）",
                )
            })
            .collect();
        let defaults = match map.shift_remove("defaults") {
            None | Some(Value::Null) => Value::Object(Default::default()),
            Some(d @ Value::Object(_)) => d,
            Some(_) => {
                problems.push(Problem::error(
                    "defaults",
                    "オブジェクト（回答ファイルの一部）を指定してください",
                ));
                Value::Null
            }
        };
        let forms = match map.shift_remove("forms") {
            Some(Value::Array(forms)) if forms.is_empty() => {
                problems.push(Problem::error(
                    "forms",
                    "空です。確認書ごとの回答を 1 件以上入れてください",
                ));
                Vec::new()
            }
            Some(Value::Array(forms)) => forms,
            None => {
                problems.push(Problem::error(
                    "forms",
                    "必須の項目がありません（確認書ごとの回答の配列）。1 件の回答ファイルは secform render で PDF にします",
                ));
                Vec::new()
            }
            Some(_) => {
                problems.push(Problem::error(
                    "forms",
                    "配列（[{…}, …]）を指定してください",
                ));
                Vec::new()
            }
        };
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Source {
            total: forms.len(),
            next: 0,
            kind: Kind::Forms {
                defaults,
                forms: forms.into_iter(),
            },
            ignored: 0,
        })
    }

    fn batch_file(path: &Path) -> Result<Source, Error> {
        let bytes = std::fs::read(path).map_err(|source| read_error(path, source))?;
        let text =
            input::decode(bytes).map_err(|why| read_error(path, std::io::Error::other(why)))?;
        Self::from_batch_json(&text)
    }

    fn folder(path: &Path) -> Result<Source, Error> {
        let mut files = Vec::new();
        let mut ignored = 0;
        for entry in std::fs::read_dir(path).map_err(|source| read_error(path, source))? {
            let entry = entry.map_err(|source| read_error(path, source))?;
            let file = entry.path();
            if not_an_answer_file(&entry.file_name()) {
                ignored += 1;
                continue;
            }
            let is_json = file
                .extension()
                .and_then(|e| e.to_str())
                // `.xls` too: an old workbook is reported (save it as .xlsx), not passed over.
                .is_some_and(|e| {
                    ["json", "xlsx", "xls", "pdf"]
                        .iter()
                        .any(|x| e.eq_ignore_ascii_case(x))
                });
            if is_json && file.is_file() {
                files.push(file);
            }
        }
        files.sort();
        if files.is_empty() {
            // A run that writes nothing and says "0 件" looks like success; name the mistake.
            return Err(Error::NoAnswerFiles {
                folder: path.display().to_string(),
            });
        }
        Ok(Source {
            total: files.len(),
            next: 0,
            kind: Kind::Folder {
                files: files.into_iter(),
            },
            ignored,
        })
    }

    fn lines(path: &Path) -> Result<Source, Error> {
        // Counted first, so that positions have a fixed width and progress a known end.
        let open = || {
            File::open(path)
                .map(BufReader::new)
                .map_err(|e| read_error(path, e))
        };
        let mut total = 0;
        let mut reader = open()?;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| read_error(path, e))?;
            if n == 0 {
                break;
            }
            if !buf.trim_ascii().is_empty() {
                total += 1;
            }
        }
        Ok(Source {
            total,
            next: 0,
            kind: Kind::Lines {
                reader: open()?,
                line: 0,
            },
            ignored: 0,
        })
    }

    /// How many files of a folder were left out as not made by a user (hidden, `._*`, `~$*`).
    pub fn ignored(&self) -> usize {
        self.ignored
    }

    /// How many entries the batch has.
    pub fn len(&self) -> usize {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

impl Iterator for Source {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        let (label, value) = match &mut self.kind {
            Kind::Forms { defaults, forms } => {
                let form = forms.next()?;
                (None, Ok(defaults::over_defaults(defaults, form)))
            }
            Kind::Folder { files } => {
                let file = files.next()?;
                let label = file.file_name().map(|n| n.to_string_lossy().into_owned());
                let read = std::fs::read(&file)
                    .map_err(|e| format!("読み込めません: {e}"))
                    .and_then(|bytes| AnswerFile::from_bytes(Some(&file), bytes));
                let entry = match read {
                    Ok(answers) => {
                        let value = answers.value();
                        self.entry_at(label, value, answers.cells)
                    }
                    Err(why) => self.entry(label, Err(vec![Problem::error("$", why)])),
                };
                return entry.map(|entry| Entry {
                    file: Some(file),
                    ..entry
                });
            }
            Kind::Lines { reader, line } => {
                let mut buf = Vec::new();
                loop {
                    buf.clear();
                    *line += 1;
                    match reader.read_until(b'\n', &mut buf) {
                        Ok(0) => return None,
                        Ok(_) if buf.trim_ascii().is_empty() => continue,
                        Ok(_) => break,
                        Err(e) => {
                            let label = format!("{line} 行目");
                            let problem = Problem::error("$", format!("読み込めません: {e}"));
                            self.kind = Kind::Done;
                            return self.entry(Some(label), Err(vec![problem]));
                        }
                    }
                }
                let value = input::decode(buf)
                    .map_err(|why| vec![Problem::error("$", why)])
                    .and_then(|text| input::json::parse_strict(&text));
                (Some(format!("{line} 行目")), value)
            }
            Kind::Done => return None,
        };
        self.entry(label, value)
    }
}

impl Source {
    fn entry(
        &mut self,
        label: Option<String>,
        value: Result<Value, Vec<Problem>>,
    ) -> Option<Entry> {
        self.entry_at(label, value, CellMap::default())
    }

    fn entry_at(
        &mut self,
        label: Option<String>,
        value: Result<Value, Vec<Problem>>,
        cells: CellMap,
    ) -> Option<Entry> {
        self.next += 1;
        // The entity too, as a user knows it: 「3 件目（株式会社協力三号）」, or with the file or line.
        let company = value
            .as_ref()
            .ok()
            .and_then(|v| v.get("target")?.get("company")?.as_str())
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let label = match (label, company) {
            (Some(label), Some(company)) => Some(format!("{label}、{company}")),
            (label, company) => label.or(company.map(str::to_string)),
        };
        Some(Entry {
            position: self.next,
            label,
            value,
            cells,
            file: None,
        })
    }
}

fn invalid(path: &str, message: &str) -> Error {
    Error::Invalid(vec![Problem::error(path, message)])
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(e: Error) -> Vec<String> {
        match e {
            Error::Invalid(problems) => problems.into_iter().map(|p| p.path).collect(),
            e => panic!("{e}"),
        }
    }

    #[test]
    fn batch_entries_come_merged_and_numbered() {
        let text = json!({
            "$comment": "例",
            "defaults": {"checked_on": "2026-04-10", "target": {"subcontractor": true}},
            "forms": [{"target": {"company": "A"}}, {"checked_on": "2026-04-11"}]
        })
        .to_string();
        let source = Source::from_batch_json(&text).unwrap();
        assert_eq!(source.len(), 2);
        let entries: Vec<Entry> = source.collect();
        assert_eq!(entries[0].position, 1);
        assert_eq!(entries[1].position, 2);
        assert_eq!(
            entries[0].value.as_ref().unwrap(),
            &json!({"checked_on": "2026-04-10", "target": {"subcontractor": true, "company": "A"}})
        );
        assert_eq!(
            entries[1].value.as_ref().unwrap()["checked_on"],
            "2026-04-11"
        );
    }

    #[test]
    fn a_malformed_batch_names_every_problem() {
        let bad = |v: Value| paths(Source::from_batch_json(&v.to_string()).err().unwrap());
        assert_eq!(bad(json!({"defaults": {}})), ["forms"]);
        assert_eq!(
            bad(json!({"forms": [], "default": {}})),
            ["default", "forms"]
        );
        assert_eq!(
            bad(json!({"forms": {}, "defaults": []})),
            ["defaults", "forms"]
        );
        assert_eq!(bad(json!([])), ["$"]);
        assert_eq!(paths(Source::from_batch_json("{").err().unwrap()), ["$"]);
    }
}
