//! The answer set: what a contractor fills into the form, read from JSON.
//!
//! The JSON is walked by hand rather than through `#[derive(Deserialize)]` so that *every* problem is
//! reported at once, each with its JSON path and a Japanese message a compliance officer can act on
//! (a derived deserializer stops at the first one and speaks English). What could be read of a
//! refused answer set is kept as a [`Draft`], so that the form's rules are checked in the same run.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::Problem;
use crate::json_text::{self, join, key_path};
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
    /// The same image carried in the answer set itself as a `data:image/png;base64,…` (or JPEG)
    /// URI, so that `secform serve` saves one file; at most one of `image` and `data`.
    pub data: Option<String>,
    /// False for authorities that no longer ask for a seal: 印 is not printed.
    pub mark: bool,
}

impl Default for Seal {
    fn default() -> Self {
        Seal {
            image: None,
            data: None,
            mark: true,
        }
    }
}

/// An answer set as far as it could be read, so that the form's rules can be checked beside the
/// structural problems (one round of corrections instead of two).
///
/// `None` marks a part that could not be read: it is wrong (its problem is reported), or it is left
/// out beside an unknown key that may be its misspelling. The rules skip whatever depends on such a
/// part, so that a structural problem never comes back as a rule problem of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The form to check against; `None` when it is unknown, unreadable or possibly misspelt: then
    /// no rule is checked.
    pub layout: Option<String>,
    pub target: TargetDraft,
    pub items: ItemsDraft,
    pub checked_on: Option<NaiveDate>,
    pub checker: CheckerDraft,
    /// The default when unreadable: it only decides how messages write dates.
    pub dates: DateStyle,
    pub circumstances: CircumstancesDraft,
    pub seal: Option<Seal>,
}

/// [`Target`] as far as it could be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetDraft {
    pub company: Option<String>,
    pub subcontractor: Option<bool>,
    /// `None` also when left out: no rule depends on its absence.
    pub department: Option<String>,
    pub contract_start: Option<NaiveDate>,
    /// `Some(None)`: left out, a first check.
    pub previous_check: Option<Option<NaiveDate>>,
}

/// [`Checker`] as far as it could be read; `None` also for a field left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckerDraft {
    pub company: Option<String>,
    pub department: Option<String>,
    pub title: Option<String>,
    pub name: Option<String>,
}

/// The answers to the rows as far as they could be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemsDraft {
    /// The rows read without a problem.
    pub read: BTreeMap<u32, Item>,
    /// Rows with a problem inside: their answers are unknown.
    pub unread: BTreeSet<u32>,
    /// Whether the other rows may be answered somewhere the reader could not follow: `items`
    /// unreadable or possibly misspelt, or a key that is not a row number (it may be any row).
    pub rest_unread: bool,
}

impl ItemsDraft {
    /// The answer to row `n`: `Some(None)` when it is known to be unanswered, `None` when unknown.
    pub fn answer(&self, n: u32) -> Option<Option<&Item>> {
        match self.read.get(&n) {
            Some(item) => Some(Some(item)),
            None if self.rest_unread || self.unread.contains(&n) => None,
            None => Some(None),
        }
    }
}

/// The circumstances as far as they could be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CircumstancesDraft {
    pub read: Circumstances,
    /// Facts stated in a way that could not be read.
    pub unread: BTreeSet<String>,
    /// Whether the other facts may be stated somewhere the reader could not follow.
    pub rest_unread: bool,
}

impl CircumstancesDraft {
    /// Fact `name`: `Some(None)` when it is known not to be stated, `None` when unknown.
    pub fn get(&self, name: &str) -> Option<Option<bool>> {
        match self.read.get(name) {
            Some(flag) => Some(Some(flag)),
            None if self.rest_unread || self.unread.contains(name) => None,
            None => Some(None),
        }
    }
}

/// An answer set that could not be read: every structural problem, and what could be read of it
/// (`None` when nothing could: a syntax error, a document that is not an object).
#[derive(Debug, Clone)]
pub struct Refused {
    pub problems: Vec<Problem>,
    pub draft: Option<Box<Draft>>,
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
const SEAL_FIELDS: &[&str] = &["image", "data", "mark"];

/// Reads an answer set from JSON text; on failure, every problem found.
pub fn parse(json: &str) -> Result<AnswerSet, Vec<Problem>> {
    read(json).map_err(|refused| refused.problems)
}

/// Reads an answer set from JSON text; on failure, every structural problem and what could be read
/// (for checking the rules of those parts too).
pub fn read(json: &str) -> Result<AnswerSet, Refused> {
    match json_text::parse(json) {
        Ok((value, twice)) => match read_value(&value) {
            Ok(answers) if twice.is_empty() => Ok(answers),
            Ok(_) => Err(Refused {
                problems: twice,
                draft: None,
            }),
            Err(mut refused) => {
                refused.problems.splice(0..0, twice);
                Err(refused)
            }
        },
        Err(problems) => Err(Refused {
            problems,
            draft: None,
        }),
    }
}

/// Reads an answer set from parsed JSON (batch merges entries as JSON first).
pub fn from_value(value: &Value) -> Result<AnswerSet, Vec<Problem>> {
    read_value(value).map_err(|refused| refused.problems)
}

/// [`read`] for parsed JSON.
pub fn read_value(value: &Value) -> Result<AnswerSet, Refused> {
    let mut r = Reader::default();
    let draft = r.answer_set(value);
    match draft {
        Some(draft) if r.problems.is_empty() => draft.complete().ok_or_else(|| Refused {
            // Not reached: every part left unread has reported its problem.
            problems: vec![Problem::error("$", "回答を読み取れません")],
            draft: None,
        }),
        draft => Err(Refused {
            problems: r.problems,
            draft: draft.map(Box::new),
        }),
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

/// Collects problems while walking the JSON.
#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::error(path, message));
    }

    /// `v` as an object whose keys are all in `known` (unknown keys are reported with a guess),
    /// and whether it has unknown keys: each may be a misspelt field, so a field left out beside
    /// one is not known to be left out.
    fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        known: &[&str],
    ) -> Option<(&'v Map<String, Value>, bool)> {
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
        let mut stray = false;
        for key in map.keys() {
            if key != COMMENT && !known.contains(&key.as_str()) {
                stray = true;
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
        Some((map, stray))
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

    fn answer_set(&mut self, v: &Value) -> Option<Draft> {
        let (map, stray) = self.object(v, "$", ROOT_FIELDS)?;
        let mark = self.problems.len();
        let layout_name = self
            .string(map, "$", "layout", false)
            .unwrap_or_else(|| DEFAULT_LAYOUT.to_string());
        let layout = if self.problems.len() > mark {
            None
        } else {
            match FormLayout::get(&layout_name) {
                Ok(l) => Some(l),
                Err(e) => {
                    self.error("layout", e.to_string());
                    None
                }
            }
        };
        // Left out beside an unknown key that names another form: that key may be a misspelt
        // `layout`, and the rules of the default form would not be the user's.
        let misspelt_layout = stray
            && !map.contains_key("layout")
            && map.iter().any(|(key, value)| {
                !ROOT_FIELDS.contains(&key.as_str())
                    && value.as_str().is_some_and(|name| {
                        name != DEFAULT_LAYOUT && crate::layout::names().contains(&name)
                    })
            });
        let layout = layout.filter(|_| !misspelt_layout);
        let target = match map.get("target") {
            Some(t) => self.target(t),
            None => {
                self.error("target", "必須の項目がありません（確認対象者）");
                TargetDraft::default()
            }
        };
        let everything_unread = ItemsDraft {
            rest_unread: true,
            ..ItemsDraft::default()
        };
        // Without the form the row numbers and answers cannot be told right from wrong.
        let items = match (layout, map.get("items")) {
            (None, _) => everything_unread,
            (Some(_), None) if stray => everything_unread,
            (Some(_), None) => ItemsDraft::default(),
            (Some(layout), Some(items)) => self.items(items, layout),
        };
        let checked_on = self.date(map, "$", "checked_on", true);
        let checker = match map.get("checker") {
            Some(c) => self.checker(c),
            None => {
                self.error("checker", "必須の項目がありません（確認者）");
                CheckerDraft::default()
            }
        };
        let dates = match self.string(map, "$", "dates", false) {
            None => DateStyle::default(),
            Some(s) => s.parse::<DateStyle>().unwrap_or_else(|_| {
                self.error(
                    "dates",
                    format!("\"wareki\"（和暦）または \"western\"（西暦）を指定してください（実際: \"{s}\"）"),
                );
                DateStyle::default()
            }),
        };
        let none_unread = CircumstancesDraft {
            rest_unread: true,
            ..CircumstancesDraft::default()
        };
        // Without the form there is no telling which facts exist (its error is reported already).
        let circumstances = match (layout, map.get("circumstances")) {
            (None, _) => none_unread,
            (Some(_), None) if stray => none_unread,
            (Some(_), None | Some(Value::Null)) => CircumstancesDraft::default(),
            (Some(layout), Some(c)) => self.circumstances(c, layout),
        };
        let seal = match map.get("seal") {
            None if stray => None,
            None | Some(Value::Null) => Some(Seal::default()),
            Some(s) => self.seal(s),
        };
        Some(Draft {
            layout: layout.map(|_| layout_name),
            target,
            items,
            checked_on,
            checker,
            dates,
            circumstances,
            seal,
        })
    }

    /// An optional field whose absence means something (a first check, a default): `None` when it
    /// could not be read, or when it is left out beside an unknown key that may be its misspelling.
    fn optional<T>(
        &mut self,
        map: &Map<String, Value>,
        stray: bool,
        key: &str,
        read: impl FnOnce(&mut Self) -> T,
    ) -> Option<T> {
        if stray && !map.contains_key(key) {
            return None;
        }
        let mark = self.problems.len();
        let value = read(self);
        (self.problems.len() == mark).then_some(value)
    }

    fn target(&mut self, v: &Value) -> TargetDraft {
        let p = "target";
        let Some((map, stray)) = self.object(v, p, TARGET_FIELDS) else {
            return TargetDraft::default();
        };
        TargetDraft {
            company: self.string(map, p, "company", true),
            subcontractor: self.optional(map, stray, "subcontractor", |r| {
                r.bool(map, p, "subcontractor").unwrap_or(false)
            }),
            department: self.string(map, p, "department", false),
            contract_start: self.date(map, p, "contract_start", true),
            previous_check: self.optional(map, stray, "previous_check", |r| {
                r.date(map, p, "previous_check", false)
            }),
        }
    }

    fn items(&mut self, v: &Value, layout: &FormLayout) -> ItemsDraft {
        let mut items = ItemsDraft::default();
        let Value::Object(map) = v else {
            self.error(
                "items",
                format!(
                    "オブジェクト（{{\"1\": {{…}}, …}}）を指定してください（実際: {}）",
                    type_name(v)
                ),
            );
            items.rest_unread = true;
            return items;
        };
        let rows = layout.items.rows.len() as u32;
        for (key, value) in map.iter().filter(|(k, _)| k.as_str() != COMMENT) {
            let number = match key.parse::<u32>() {
                Ok(n) if n >= 1 && n <= rows && key == &n.to_string() => n,
                _ => {
                    // 「05」「３」「 3」: a row number written another way; say how to write it.
                    let meant = key
                        .trim()
                        .chars()
                        .map(|c| match c {
                            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                            c => c,
                        })
                        .collect::<String>()
                        .parse::<u32>()
                        .ok()
                        .filter(|n| (1..=rows).contains(n));
                    let message = match meant {
                        Some(n) => format!(
                            "行番号は半角数字で、前に 0 や空白を付けずに \"{n}\" と書きます（実際: \"{key}\"）"
                        ),
                        None => format!("行番号は \"1\" から \"{rows}\" までです（実際: \"{key}\"）"),
                    };
                    self.error(
                        key_path("items", key).unwrap_or_else(|| "items".into()),
                        message,
                    );
                    items.rest_unread = true;
                    continue;
                }
            };
            // A row with any problem inside is unknown as a whole: a misspelt key may be its
            // status or its reason.
            let mark = self.problems.len();
            match self.item(value, number, layout) {
                Some(item) if self.problems.len() == mark => {
                    items.read.insert(number, item);
                }
                _ => {
                    items.unread.insert(number);
                }
            }
        }
        items
    }

    fn item(&mut self, value: &Value, number: u32, layout: &FormLayout) -> Option<Item> {
        let path = format!("items.{number}");
        let (item, _) = self.object(value, &path, ITEM_FIELDS)?;
        // The two answers are the layout's words (「実施」「未実施」 on npa-2022), not ours.
        let [done, not_done] = &layout.items.status_values;
        // Spaces around the word are a slip of the keyboard, not another answer.
        let status = match self
            .string(item, &path, "status", false)
            .map(|s| s.trim().to_string())
        {
            None => None,
            Some(s) if &s == done => Some(Status::Done),
            Some(s) if &s == not_done => Some(Status::NotDone),
            // `auto` where the dates decide nothing is as unreadable as a misspelt status: the rows
            // that depend on this one wait (row 2 on row 1, say) instead of being judged on it.
            Some(s) if s == "auto" => {
                if layout.row(number).is_none_or(|r| r.one_year_rule.is_none()) {
                    self.error(
                        join(&path, "status"),
                        "\"auto\" は前回確認からの期間を日付から判定する行だけで使えます",
                    );
                    return None;
                }
                Some(Status::Auto)
            }
            Some(other) => {
                self.error(
                    join(&path, "status"),
                    format!(
                        "「{done}」または「{not_done}」を指定してください（実際: \"{other}\"）"
                    ),
                );
                return None;
            }
        };
        let detail = self
            .string(item, &path, "detail", false)
            .unwrap_or_default();
        Some(Item { status, detail })
    }

    fn checker(&mut self, v: &Value) -> CheckerDraft {
        let p = "checker";
        let Some((map, _)) = self.object(v, p, CHECKER_FIELDS) else {
            return CheckerDraft::default();
        };
        CheckerDraft {
            company: self.string(map, p, "company", true),
            department: self.string(map, p, "department", false),
            title: self.string(map, p, "title", false),
            name: self.string(map, p, "name", true),
        }
    }

    /// The facts the layout's rows name.
    fn circumstances(&mut self, v: &Value, layout: &FormLayout) -> CircumstancesDraft {
        let p = "circumstances";
        let mut facts = CircumstancesDraft::default();
        let names = layout.circumstances();
        let Some((map, stray)) = self.object(v, p, &names) else {
            facts.rest_unread = true;
            return facts;
        };
        for name in names {
            match self.optional(map, stray, name, |r| r.bool(map, p, name)) {
                Some(Some(flag)) => {
                    facts.read.0.insert(name.to_string(), flag);
                }
                Some(None) => {}
                None => {
                    facts.unread.insert(name.to_string());
                }
            }
        }
        facts
    }

    /// The seal; `None` when a field of it cannot be read (then its image is not looked at).
    fn seal(&mut self, v: &Value) -> Option<Seal> {
        let (map, _) = self.object(v, "seal", SEAL_FIELDS)?;
        let mark = self.problems.len();
        let image = self.string(map, "seal", "image", false);
        let data = self.string(map, "seal", "data", false);
        let seal_mark = self.bool(map, "seal", "mark").unwrap_or(true);
        (self.problems.len() == mark).then_some(Seal {
            image,
            data,
            mark: seal_mark,
        })
    }
}

impl Draft {
    /// The answer set, when every part was read.
    fn complete(self) -> Option<AnswerSet> {
        let t = self.target;
        let c = self.checker;
        let items_read = self.items.unread.is_empty() && !self.items.rest_unread;
        let facts = &self.circumstances;
        let facts_read = facts.unread.is_empty() && !facts.rest_unread;
        Some(AnswerSet {
            layout: self.layout?,
            target: Target {
                company: t.company?,
                subcontractor: t.subcontractor?,
                department: t.department,
                contract_start: t.contract_start?,
                previous_check: t.previous_check?,
            },
            items: items_read.then_some(self.items.read)?,
            checked_on: self.checked_on?,
            checker: Checker {
                company: c.company?,
                department: c.department,
                title: c.title,
                name: c.name?,
            },
            dates: self.dates,
            circumstances: facts_read.then_some(self.circumstances.read)?,
            seal: self.seal?,
        })
    }

    /// The same draft with `f` applied to every text field (e.g. half-width kana made full-width).
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> Draft {
        let mut d = self.clone();
        let t = &mut d.target;
        let c = &mut d.checker;
        for s in [
            &mut t.company,
            &mut t.department,
            &mut c.company,
            &mut c.department,
            &mut c.title,
            &mut c.name,
        ]
        .into_iter()
        .flatten()
        {
            *s = f(s);
        }
        for item in d.items.read.values_mut() {
            item.detail = f(&item.detail);
        }
        d
    }

    /// Every text field that was read, with its JSON path, for checks that look at characters.
    pub fn text_fields(&self) -> Vec<(String, &str)> {
        let (t, c) = (&self.target, &self.checker);
        fn named<'a>(path: &str, text: &'a Option<String>) -> Option<(String, &'a str)> {
            text.as_deref().map(|text| (path.to_string(), text))
        }
        let target = [
            named("target.company", &t.company),
            named("target.department", &t.department),
        ];
        let items = self
            .items
            .read
            .iter()
            .map(|(n, item)| Some((format!("items.{n}.detail"), item.detail.as_str())));
        let checker = [
            named("checker.company", &c.company),
            named("checker.department", &c.department),
            named("checker.title", &c.title),
            named("checker.name", &c.name),
        ];
        target
            .into_iter()
            .chain(items)
            .chain(checker)
            .flatten()
            .collect()
    }
}

impl From<&AnswerSet> for Draft {
    /// A complete answer set: every part read.
    fn from(a: &AnswerSet) -> Draft {
        let t = &a.target;
        let c = &a.checker;
        Draft {
            layout: Some(a.layout.clone()),
            target: TargetDraft {
                company: Some(t.company.clone()),
                subcontractor: Some(t.subcontractor),
                department: t.department.clone(),
                contract_start: Some(t.contract_start),
                previous_check: Some(t.previous_check),
            },
            items: ItemsDraft {
                read: a.items.clone(),
                ..ItemsDraft::default()
            },
            checked_on: Some(a.checked_on),
            checker: CheckerDraft {
                company: Some(c.company.clone()),
                department: c.department.clone(),
                title: c.title.clone(),
                name: Some(c.name.clone()),
            },
            dates: a.dates,
            circumstances: CircumstancesDraft {
                read: a.circumstances.clone(),
                ..CircumstancesDraft::default()
            },
            seal: Some(a.seal.clone()),
        }
    }
}

impl AnswerSet {
    /// The name printed in (1): a subcontractor's name ends with the layout's suffix exactly once.
    pub fn company_display(&self, suffix: &str) -> String {
        let name = self.target.company.trim_end();
        if !self.target.subcontractor {
            return name.to_string();
        }
        let base = suffix_written(name, suffix).map_or(name, |(base, _)| base);
        format!("{}{suffix}", base.trim_end())
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
}

/// The layout's suffix typed another way at the end of `name` (mixed or full-width brackets,
/// 「下請負者」 without 「等」), as written: it is printed as the official suffix instead of gaining
/// a second one, and `check` says so.
pub(crate) fn suffix_variant<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    suffix_written(name.trim_end(), suffix)
        .map(|(_, written)| written)
        .filter(|written| *written != suffix)
}

/// `name` without a trailing suffix and the suffix as written, when `name` ends with `suffix`
/// in either width of bracket, or with its words less a final 「等」 (「（下請負者）」 for
/// 「(下請負者等)」).
fn suffix_written<'a>(name: &'a str, suffix: &str) -> Option<(&'a str, &'a str)> {
    let words = suffix
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）']);
    let body = name.strip_suffix([')', '）'])?;
    let open = body.rfind(['(', '（'])?;
    let inside = body[open..].trim_start_matches(['(', '（']);
    let same = inside == words || Some(inside) == words.strip_suffix('等');
    same.then(|| (&name[..open], &name[open..]))
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
        assert_eq!(
            suffix_variant(&a.target.company, "(下請負者等)"),
            Some("（下請負者等）")
        );
        // Mixed brackets and 「下請負者」 without 「等」 are the suffix typed another way.
        for written in ["(下請負者等）", "（下請負者)", "（下請負者）", "(下請負者)"]
        {
            a.target.company = format!("株式会社サンプル{written}");
            assert_eq!(
                a.company_display("(下請負者等)"),
                "株式会社サンプル(下請負者等)",
                "{written}"
            );
            assert_eq!(
                suffix_variant(&a.target.company, "(下請負者等)"),
                Some(written)
            );
        }
        a.target.company = "株式会社サンプル(下請負者等)".into();
        assert_eq!(suffix_variant(&a.target.company, "(下請負者等)"), None);
        // Other words in brackets are part of the name.
        a.target.company = "株式会社サンプル（東京）".into();
        assert_eq!(
            a.company_display("(下請負者等)"),
            "株式会社サンプル（東京）(下請負者等)"
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
