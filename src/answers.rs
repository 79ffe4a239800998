//! The answer set: what a contractor fills into the form, read from JSON.
//!
//! The JSON is walked by hand rather than through `#[derive(Deserialize)]` so that *every* problem is
//! reported at once, each with its JSON path and a Japanese message a compliance officer can act on
//! (a derived deserializer stops at the first one and speaks English).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::Problem;
use crate::layout::{FormLayout, DEFAULT_LAYOUT};
use crate::wareki::{self, DateStyle};

/// A whole answer set (format version 1).
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerSet {
    pub layout: String,
    pub target: Target,
    /// Answers by row number; a row left out is printed empty (or with its ※ marks).
    pub items: BTreeMap<u32, Item>,
    pub checked_on: NaiveDate,
    pub checker: Checker,
    pub dates: DateStyle,
    pub circumstances: Circumstances,
    pub seal: Seal,
}

/// 「1 確認対象者」.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub company: String,
    pub subcontractor: bool,
    pub department: Option<String>,
    /// For a subcontractor: the start of its subcontract (the form's 留意事項).
    pub contract_start: NaiveDate,
    /// Absent on a first check: (4) stays empty.
    pub previous_check: Option<NaiveDate>,
}

/// The answer to one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub status: Option<Status>,
    pub detail: String,
}

/// 実施 / 未実施, or `auto`: let the dates decide (row 23, the one-year rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Done,
    NotDone,
    Auto,
}

/// 確認者.
#[derive(Debug, Clone, PartialEq)]
pub struct Checker {
    pub company: String,
    pub department: Option<String>,
    pub title: Option<String>,
    pub name: String,
}

/// Facts that decide which conditional (※) rows apply, by the names the layout's rows use; a fact
/// left out is "not said".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Circumstances(pub BTreeMap<String, bool>);

impl Circumstances {
    /// The flag called `name`, if the answer set states it.
    pub fn get(&self, name: &str) -> Option<bool> {
        self.0.get(name).copied()
    }
}

impl<S: Into<String>> FromIterator<(S, bool)> for Circumstances {
    fn from_iter<I: IntoIterator<Item = (S, bool)>>(iter: I) -> Self {
        Circumstances(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// The 印 at the end of the 確認者 line.
#[derive(Debug, Clone, PartialEq)]
pub struct Seal {
    /// A PNG or JPEG of the seal impression, placed on 印.
    pub image: Option<String>,
    /// False for authorities that no longer ask for a seal: 印 is not printed.
    pub mark: bool,
}

impl Default for Seal {
    fn default() -> Self {
        Seal {
            image: None,
            mark: true,
        }
    }
}

/// A key any object may carry for the reader's benefit (the JSON Schema convention); ignored.
pub const COMMENT: &str = "$comment";

const ROOT_FIELDS: &[&str] = &[
    "layout",
    "target",
    "items",
    "checked_on",
    "checker",
    "dates",
    "circumstances",
    "seal",
];
const TARGET_FIELDS: &[&str] = &[
    "company",
    "subcontractor",
    "department",
    "contract_start",
    "previous_check",
];
const ITEM_FIELDS: &[&str] = &["status", "detail"];
const CHECKER_FIELDS: &[&str] = &["company", "department", "title", "name"];
const SEAL_FIELDS: &[&str] = &["image", "mark"];

/// Reads an answer set from JSON text; on failure, every problem found.
pub fn parse(json: &str) -> Result<AnswerSet, Vec<Problem>> {
    // Windows Notepad saves UTF-8 with a byte-order mark; it is not part of the JSON.
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let value: Value = serde_json::from_str(json).map_err(|e| vec![json_syntax(&e)])?;
    from_value(&value)
}

/// Describes a JSON syntax error in Japanese, with its line and column.
pub fn json_syntax(e: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "JSON が途中で終わっています",
        Category::Syntax => "JSON の構文に誤りがあります",
        Category::Data => "JSON の値が読めません",
        Category::Io => "JSON を読み込めません",
    };
    Problem::error(
        "$",
        format!("{what}（{} 行目 {} 文字目）: {e}", e.line(), e.column()),
    )
}

/// Reads an answer set from parsed JSON (batch merges entries as JSON first).
pub fn from_value(value: &Value) -> Result<AnswerSet, Vec<Problem>> {
    let mut r = Reader::default();
    let answers = r.answer_set(value);
    match answers {
        Some(a) if r.problems.is_empty() => Ok(a),
        _ => Err(r.problems),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "真偽値",
        Value::Number(_) => "数値",
        Value::String(_) => "文字列",
        Value::Array(_) => "配列",
        Value::Object(_) => "オブジェクト",
    }
}

/// The path of `key` under `parent` when the key can be written in an ASCII path; otherwise the
/// parent's path (the message then quotes the key), so that paths stay ASCII and never empty.
fn key_path(parent: &str, key: &str) -> Option<String> {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-$".contains(c));
    plain.then(|| join(parent, key))
}

fn join(path: &str, key: &str) -> String {
    if path == "$" {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Collects problems while walking the JSON.
#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::error(path, message));
    }

    /// `v` as an object whose keys are all in `known` (unknown keys are reported with a guess).
    fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = v else {
            self.error(
                path,
                format!(
                    "オブジェクト（{{…}}）を指定してください（実際: {}）",
                    type_name(v)
                ),
            );
            return None;
        };
        for key in map.keys() {
            if key != COMMENT && !known.contains(&key.as_str()) {
                let guess = known
                    .iter()
                    .map(|k| (strsim::jaro_winkler(k, key), k))
                    .filter(|(score, _)| *score > 0.75)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let message = match guess {
                    Some((_, k)) => format!("不明な項目です（\"{k}\" の誤りではありませんか）"),
                    None => format!("不明な項目です（使用できる項目: {}）", known.join(", ")),
                };
                match key_path(path, key) {
                    Some(p) => self.error(p, message),
                    None => self.error(path, format!("「{key}」は{message}")),
                }
            }
        }
        Some(map)
    }

    /// A string field; empty or blank counts as absent. `required` reports its absence.
    fn string(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<String> {
        let p = join(path, key);
        match map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.error(p, "必須の項目がありません");
                }
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                if required {
                    self.error(p, "空欄です。値を記入してください");
                }
                None
            }
            // A Windows paste brings CRLF line ends; a line end is a line end.
            Some(Value::String(s)) => Some(s.replace("\r\n", "\n").replace('\r', "\n")),
            Some(other) => {
                self.error(
                    p,
                    format!("文字列を指定してください（実際: {}）", type_name(other)),
                );
                None
            }
        }
    }

    fn bool(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<bool> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                self.error(
                    join(path, key),
                    format!(
                        "true または false を指定してください（実際: {}）",
                        type_name(other)
                    ),
                );
                None
            }
        }
    }

    fn date(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<NaiveDate> {
        let s = self.string(map, path, key, required)?;
        match wareki::parse_date(&s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(join(path, key), e.to_string());
                None
            }
        }
    }

    fn answer_set(&mut self, v: &Value) -> Option<AnswerSet> {
        let map = self.object(v, "$", ROOT_FIELDS)?;
        let layout_name = self
            .string(map, "$", "layout", false)
            .unwrap_or_else(|| DEFAULT_LAYOUT.to_string());
        let layout = match FormLayout::get(&layout_name) {
            Ok(l) => Some(l),
            Err(e) => {
                self.error("layout", e.to_string());
                None
            }
        };
        let target = match map.get("target") {
            Some(t) => self.target(t),
            None => {
                self.error("target", "必須の項目がありません（確認対象者）");
                None
            }
        };
        let items = match map.get("items") {
            Some(items) => self.items(items, layout),
            None => Some(BTreeMap::new()),
        };
        let checked_on = self.date(map, "$", "checked_on", true);
        let checker = match map.get("checker") {
            Some(c) => self.checker(c),
            None => {
                self.error("checker", "必須の項目がありません（確認者）");
                None
            }
        };
        let dates = match self.string(map, "$", "dates", false) {
            None => Some(DateStyle::default()),
            Some(s) => match s.parse::<DateStyle>() {
                Ok(d) => Some(d),
                Err(_) => {
                    self.error(
                        "dates",
                        format!("\"wareki\"（和暦）または \"western\"（西暦）を指定してください（実際: \"{s}\"）"),
                    );
                    None
                }
            },
        };
        let circumstances = match map.get("circumstances") {
            None | Some(Value::Null) => Some(Circumstances::default()),
            Some(c) => self.circumstances(c, layout),
        };
        let seal = match map.get("seal") {
            None | Some(Value::Null) => Some(Seal::default()),
            Some(s) => self.seal(s),
        };
        Some(AnswerSet {
            layout: layout_name,
            target: target?,
            items: items?,
            checked_on: checked_on?,
            checker: checker?,
            dates: dates?,
            circumstances: circumstances?,
            seal: seal?,
        })
    }

    fn target(&mut self, v: &Value) -> Option<Target> {
        let map = self.object(v, "target", TARGET_FIELDS)?;
        let company = self.string(map, "target", "company", true);
        let subcontractor = self.bool(map, "target", "subcontractor").unwrap_or(false);
        let department = self.string(map, "target", "department", false);
        let contract_start = self.date(map, "target", "contract_start", true);
        let previous_check = self.date(map, "target", "previous_check", false);
        Some(Target {
            company: company?,
            subcontractor,
            department,
            contract_start: contract_start?,
            previous_check,
        })
    }

    fn items(&mut self, v: &Value, layout: Option<&FormLayout>) -> Option<BTreeMap<u32, Item>> {
        let Value::Object(map) = v else {
            self.error(
                "items",
                format!(
                    "オブジェクト（{{\"1\": {{…}}, …}}）を指定してください（実際: {}）",
                    type_name(v)
                ),
            );
            return None;
        };
        let rows = layout.map_or(0, |l| l.items.rows.len() as u32);
        let mut items = BTreeMap::new();
        for (key, value) in map.iter().filter(|(k, _)| k.as_str() != COMMENT) {
            let number = match key.parse::<u32>() {
                Ok(n) if n >= 1 && (layout.is_none() || n <= rows) && key == &n.to_string() => n,
                _ => {
                    self.error(
                        key_path("items", key).unwrap_or_else(|| "items".into()),
                        format!("行番号は \"1\" から \"{rows}\" までです（実際: \"{key}\"）"),
                    );
                    continue;
                }
            };
            let path = format!("items.{number}");
            let Some(item) = self.object(value, &path, ITEM_FIELDS) else {
                continue;
            };
            // The two answers are the layout's words (「実施」「未実施」 on npa-2022), not ours.
            let [done, not_done] = layout.map_or([""; 2], |l| {
                let [d, n] = &l.items.status_values;
                [d.as_str(), n.as_str()]
            });
            let status = match self.string(item, &path, "status", false) {
                None => None,
                Some(s) if s == done => Some(Status::Done),
                Some(s) if s == not_done => Some(Status::NotDone),
                Some(s) if s == "auto" => Some(Status::Auto),
                Some(other) => {
                    self.error(
                        join(&path, "status"),
                        format!(
                            "「{done}」または「{not_done}」を指定してください（実際: \"{other}\"）"
                        ),
                    );
                    continue;
                }
            };
            let detail = self
                .string(item, &path, "detail", false)
                .unwrap_or_default();
            items.insert(number, Item { status, detail });
        }
        Some(items)
    }

    fn checker(&mut self, v: &Value) -> Option<Checker> {
        let map = self.object(v, "checker", CHECKER_FIELDS)?;
        let company = self.string(map, "checker", "company", true);
        let department = self.string(map, "checker", "department", false);
        let title = self.string(map, "checker", "title", false);
        let name = self.string(map, "checker", "name", true);
        Some(Checker {
            company: company?,
            department,
            title,
            name: name?,
        })
    }

    /// The facts the layout's rows name. Without a layout (its error is reported already) there is
    /// no telling which facts exist, so none is read.
    fn circumstances(&mut self, v: &Value, layout: Option<&FormLayout>) -> Option<Circumstances> {
        let names = layout?.circumstances();
        let map = self.object(v, "circumstances", &names)?;
        let mut facts = Circumstances::default();
        for name in names {
            if let Some(flag) = self.bool(map, "circumstances", name) {
                facts.0.insert(name.to_string(), flag);
            }
        }
        Some(facts)
    }

    fn seal(&mut self, v: &Value) -> Option<Seal> {
        let map = self.object(v, "seal", SEAL_FIELDS)?;
        let image = self.string(map, "seal", "image", false);
        let mark = self.bool(map, "seal", "mark").unwrap_or(true);
        Some(Seal { image, mark })
    }
}

impl AnswerSet {
    /// The name printed in (1): a subcontractor's name ends with the layout's suffix exactly once.
    pub fn company_display(&self, suffix: &str) -> String {
        let name = self.target.company.trim_end();
        if !self.target.subcontractor {
            return name.to_string();
        }
        // A suffix typed with full-width brackets is the same suffix: print the official spelling.
        let wide = suffix.replace('(', "（").replace(')', "）");
        let base = name
            .strip_suffix(suffix)
            .or_else(|| name.strip_suffix(wide.as_str()))
            .unwrap_or(name)
            .trim_end();
        format!("{base}{suffix}")
    }

    /// The same answers with `f` applied to every text field (e.g. half-width kana made full-width).
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> AnswerSet {
        let mut a = self.clone();
        let opt = |s: &mut Option<String>| {
            if let Some(v) = s {
                *v = f(v);
            }
        };
        a.target.company = f(&a.target.company);
        opt(&mut a.target.department);
        for item in a.items.values_mut() {
            item.detail = f(&item.detail);
        }
        a.checker.company = f(&a.checker.company);
        opt(&mut a.checker.department);
        opt(&mut a.checker.title);
        a.checker.name = f(&a.checker.name);
        a
    }

    /// Every text field with its JSON path, for checks that look at characters.
    pub fn text_fields(&self) -> Vec<(String, &str)> {
        let mut fields: Vec<(String, &str)> = vec![("target.company".into(), &self.target.company)];
        if let Some(d) = &self.target.department {
            fields.push(("target.department".into(), d));
        }
        for (n, item) in &self.items {
            fields.push((format!("items.{n}.detail"), &item.detail));
        }
        fields.push(("checker.company".into(), &self.checker.company));
        if let Some(d) = &self.checker.department {
            fields.push(("checker.department".into(), d));
        }
        if let Some(t) = &self.checker.title {
            fields.push(("checker.title".into(), t));
        }
        fields.push(("checker.name".into(), &self.checker.name));
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> Value {
        serde_json::json!({
            "target": {"company": "株式会社サンプル", "contract_start": "2025-04-01"},
            "checked_on": "2026-04-10",
            "checker": {"company": "株式会社サンプル", "name": "山田 太郎"}
        })
    }

    #[test]
    fn minimal_answer_set_takes_the_defaults() {
        let a = from_value(&minimal()).unwrap();
        assert_eq!(a.layout, "npa-2022");
        assert!(!a.target.subcontractor);
        assert_eq!(a.dates, DateStyle::Wareki);
        assert!(a.seal.mark);
    }

    #[test]
    fn suffix_is_added_once() {
        let mut a = from_value(&minimal()).unwrap();
        a.target.subcontractor = true;
        assert_eq!(
            a.company_display("(下請負者等)"),
            "株式会社サンプル(下請負者等)"
        );
        a.target.company = "株式会社サンプル(下請負者等)".into();
        assert_eq!(
            a.company_display("(下請負者等)"),
            "株式会社サンプル(下請負者等)"
        );
        a.target.company = "株式会社サンプル（下請負者等）".into();
        assert_eq!(
            a.company_display("(下請負者等)"),
            "株式会社サンプル(下請負者等)"
        );
        a.target.subcontractor = false;
        a.target.company = "株式会社サンプル".into();
        assert_eq!(a.company_display("(下請負者等)"), "株式会社サンプル");
    }

    #[test]
    fn unknown_field_names_the_probable_one() {
        let mut v = minimal();
        v["target"]["compnay"] = "x".into();
        let problems = from_value(&v).unwrap_err();
        let p = problems
            .iter()
            .find(|p| p.path == "target.compnay")
            .unwrap();
        assert!(p.message.contains("\"company\""), "{}", p.message);
    }
}
