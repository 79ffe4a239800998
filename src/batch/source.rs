//! Where a batch's entries come from: a batch file (`defaults` + `forms`), a JSON Lines file, or a
//! folder of answer-set files. Entries are handed out one at a time, so that a JSON Lines file or a
//! folder is never held in memory whole. Every file is read through [`crate::files`]: regular
//! files only, each through a cap.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::defaults;
use super::folder::{self, Unread};
use crate::error::{Error, Problem};
use crate::files::{self, Limit};
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
    /// What reading the file found that does not stop it (a received PDF's `seal.image` dropped):
    /// reported beside the entry's own warnings, never lost.
    pub notes: Vec<Problem>,
}

/// The entries of a batch, in order.
pub struct Source {
    total: usize,
    next: usize,
    kind: Kind,
    /// Files of a folder that no user made as an answer set (see [`folder::is_junk`]).
    ignored: usize,
    /// Files of a folder that are not read, each with why: failures of the run.
    unread: Vec<Unread>,
    /// Files of a folder passed over with a note: PDFs secform wrote that are no one's answers (a
    /// merged PDF, a summary).
    passed_over: Vec<Unread>,
}

enum Kind {
    Forms {
        defaults: Value,
        forms: std::vec::IntoIter<Value>,
    },
    Folder {
        dir: PathBuf,
        files: std::vec::IntoIter<PathBuf>,
        /// PNG and JPEG files of the folder: unread unless an answer file names one as its seal.
        images: Vec<PathBuf>,
        /// The seal images the folder's answer files name (canonical paths).
        seals: HashSet<PathBuf>,
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
            unread: Vec::new(),
            passed_over: Vec::new(),
        })
    }

    fn batch_file(path: &Path) -> Result<Source, Error> {
        let bytes = files::read(path, Limit::BATCH_FILE).map_err(|source| Error::Read {
            path: path.display().to_string(),
            source,
        })?;
        let text = input::decode(bytes).map_err(|source| Error::Decode {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_batch_json(&text)
    }

    fn folder(path: &Path) -> Result<Source, Error> {
        let listing = folder::list(path)?;
        if listing.answers.is_empty() && listing.unread.is_empty() && listing.images.is_empty() {
            // A run that writes nothing and says "0 件" looks like success; name the mistake.
            return Err(Error::NoAnswerFiles {
                folder: path.display().to_string(),
            });
        }
        Ok(Source {
            total: listing.answers.len(),
            next: 0,
            kind: Kind::Folder {
                dir: path.to_path_buf(),
                files: listing.answers.into_iter(),
                images: listing.images,
                seals: HashSet::new(),
            },
            ignored: listing.ignored,
            unread: listing.unread,
            passed_over: Vec::new(),
        })
    }

    fn lines(path: &Path) -> Result<Source, Error> {
        // Counted first, so that positions have a fixed width and progress a known end.
        let open = || {
            files::open(path)
                .map(|(file, _)| BufReader::new(file))
                .map_err(|source| Error::Read {
                    path: path.display().to_string(),
                    source,
                })
        };
        // A JSON Lines file is a batch file: counted through the same cap (a sparse file of a
        // terabyte would otherwise keep the count busy for hours).
        let limit = Limit::BATCH_FILE;
        let (total, read) =
            count_lines(open()?.take(limit.bytes + 1)).map_err(|e| read_error(path, e))?;
        if read > limit.bytes {
            return Err(Error::Read {
                path: path.display().to_string(),
                source: files::FileError::TooLarge {
                    limit: limit.bytes,
                    what: limit.what,
                },
            });
        }
        Ok(Source {
            total,
            next: 0,
            kind: Kind::Lines {
                reader: open()?,
                line: 0,
            },
            ignored: 0,
            unread: Vec::new(),
            passed_over: Vec::new(),
        })
    }

    /// The files of a folder that were not read, with why (failures of the run): those refused
    /// when the folder was listed, and the images no answer file read so far named as its seal.
    pub fn unread(&self) -> Vec<Unread> {
        let mut unread = self.unread.clone();
        if let Kind::Folder { images, seals, .. } = &self.kind {
            unread.extend(
                images
                    .iter()
                    .filter(|i| !i.canonicalize().is_ok_and(|c| seals.contains(&c)))
                    .map(|i| Unread {
                        file: i.clone(),
                        reason: folder::UNUSED_IMAGE.into(),
                    }),
            );
            unread.sort_by(|a, b| a.file.cmp(&b.file));
        }
        unread
    }

    /// The folder read, when the batch is one.
    pub fn folder_read(&self) -> Option<&Path> {
        match &self.kind {
            Kind::Folder { dir, .. } => Some(dir),
            _ => None,
        }
    }

    /// The files of a folder passed over as secform's own PDFs that are no one's answers.
    pub fn passed_over(&self) -> &[Unread] {
        &self.passed_over
    }

    /// How many files of a folder were left out as not made by a user (hidden, `._*`, `~$*`,
    /// `Thumbs.db` …).
    pub fn ignored(&self) -> usize {
        self.ignored
    }

    /// How many entries the batch has (a folder's PDFs passed over so far not counted).
    pub fn len(&self) -> usize {
        self.total - self.passed_over.len()
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
            Kind::Folder {
                dir, files, seals, ..
            } => loop {
                let file = files.next()?;
                let label = file.file_name().map(|n| n.to_string_lossy().into_owned());
                let bytes = match files::read(&file, Limit::ANSWER_FILE) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        let problem = Problem::error("$", format!("読み込めません: {e}"));
                        return self.folder_entry(file, label, Err(vec![problem]));
                    }
                };
                // Kept only for a PDF, which may be secform's own output rather than answers.
                let pdf = input::pdf::looks_like_pdf(&bytes).then(|| bytes.clone());
                let answers = match AnswerFile::from_bytes(Some(&file), bytes) {
                    Ok(answers) => answers,
                    Err(_) if pdf.as_deref().is_some_and(input::own_pdf::is_own_output) => {
                        self.passed_over.push(Unread {
                            file,
                            reason: "secform で作った PDF（まとめた PDF・一覧など）で、回答セットではないため読みませんでした".into(),
                        });
                        continue;
                    }
                    Err(why) => {
                        let problem = Problem::error("$", why.to_string());
                        return self.folder_entry(file, label, Err(vec![problem]));
                    }
                };
                let value = answers.value();
                let notes: Vec<Problem> = answers
                    .problems
                    .iter()
                    .filter(|p| !p.is_error())
                    .cloned()
                    .collect();
                if let Some(seal) = value
                    .as_ref()
                    .ok()
                    .and_then(|v| v.get("seal")?.get("image")?.as_str())
                {
                    if let Ok(seal) = dir.join(seal).canonicalize() {
                        seals.insert(seal);
                    }
                }
                let entry = self.entry_at(label, value, answers.cells);
                return entry.map(|entry| Entry {
                    file: Some(file),
                    notes,
                    ..entry
                });
            },
            Kind::Lines { reader, line } => {
                let mut buf = Vec::new();
                loop {
                    buf.clear();
                    *line += 1;
                    match read_line(reader, &mut buf) {
                        Ok(Line::End) => return None,
                        Ok(Line::Whole) if buf.trim_ascii().is_empty() => continue,
                        Ok(Line::Whole) => break,
                        Ok(Line::TooLong) => {
                            let label = format!("{line} 行目");
                            let too_large = crate::error::FileError::TooLarge {
                                limit: Limit::ANSWER_FILE.bytes,
                                what: "1 行の回答セット",
                            };
                            let problem = Problem::error("$", format!("この行は{}", too_large));
                            return self.entry(Some(label), Err(vec![problem]));
                        }
                        Err(e) => {
                            let label = format!("{line} 行目");
                            let reason = crate::error::FileError::from_io(e);
                            let problem = Problem::error("$", format!("読み込めません: {reason}"));
                            self.kind = Kind::Done;
                            return self.entry(Some(label), Err(vec![problem]));
                        }
                    }
                }
                let value = input::decode(buf)
                    .map_err(|why| vec![Problem::error("$", why.to_string())])
                    .and_then(|text| input::json::parse_strict(&text));
                (Some(format!("{line} 行目")), value)
            }
            Kind::Done => return None,
        };
        self.entry(label, value)
    }
}

impl Source {
    /// A folder's entry `file`, read or not.
    fn folder_entry(
        &mut self,
        file: PathBuf,
        label: Option<String>,
        value: Result<Value, Vec<Problem>>,
    ) -> Option<Entry> {
        self.entry(label, value).map(|entry| Entry {
            file: Some(file),
            ..entry
        })
    }

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
            notes: Vec::new(),
        })
    }
}

/// What [`read_line`] read.
enum Line {
    /// A line, its end included when it has one.
    Whole,
    /// More than an answer file may be without a line end: skipped to the next line end.
    TooLong,
    End,
}

/// The next line of `reader` into `buf`, never more than [`Limit::ANSWER_FILE`] of it held.
fn read_line(reader: &mut BufReader<File>, buf: &mut Vec<u8>) -> std::io::Result<Line> {
    use std::io::Read;
    let cap = Limit::ANSWER_FILE.bytes;
    let n = reader.by_ref().take(cap + 1).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(Line::End);
    }
    if buf.len() as u64 <= cap || buf.ends_with(b"\n") {
        return Ok(Line::Whole);
    }
    buf.clear();
    // The rest of the line, a buffer at a time.
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(Line::TooLong);
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(Line::TooLong);
            }
            None => {
                let all = chunk.len();
                reader.consume(all);
            }
        }
    }
}

/// The lines of `reader` that hold more than white space, counted a buffer at a time (a line is
/// never held whole), and the bytes read.
fn count_lines(mut reader: impl BufRead) -> std::io::Result<(usize, u64)> {
    let (mut total, mut filled, mut read) = (0, false, 0u64);
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok((total + usize::from(filled), read));
        }
        read += chunk.len() as u64;
        for &b in chunk {
            if b == b'\n' {
                total += usize::from(filled);
                filled = false;
            } else if !b.is_ascii_whitespace() {
                filled = true;
            }
        }
        let all = chunk.len();
        reader.consume(all);
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
