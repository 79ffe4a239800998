//! The answer model read from JSON.
//!
//! The JSON is walked by hand rather than through `#[derive(Deserialize)]` so that *every* problem is
//! reported at once, each with its JSON path and a Japanese message a compliance officer can act on
//! (a derived deserializer stops at the first one and speaks English). What could be read of a
//! refused answer set is kept as a [`Draft`], so that the form's rules are checked in the same run.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::Problem;
use crate::input::json::{self, join, key_path};
pub use crate::model::answers::COMMENT;
use crate::model::answers::{
    AnswerSet, CarriedOver, Item, Seal, Status, CARRIED_FIELDS, CHECKER_FIELDS, ITEM_FIELDS,
    ROOT_FIELDS, SEAL_FIELDS, TARGET_FIELDS,
};
use crate::model::charset;
use crate::model::draft::{CheckerDraft, CircumstancesDraft, Draft, ItemsDraft, TargetDraft};
use crate::model::wareki::{self, DateStyle};
use crate::spec::{FormSpec, DEFAULT_LAYOUT};

/// An answer set that could not be read: every structural problem, and what could be read of it
/// (`None` when nothing could: a syntax error, a document that is not an object).
#[derive(Debug, Clone)]
pub struct Refused {
    pub problems: Vec<Problem>,
    pub draft: Option<Box<Draft>>,
}

/// Reads an answer set from JSON text; on failure, every problem found.
pub fn parse(json: &str) -> Result<AnswerSet, Vec<Problem>> {
    read(json).map_err(|refused| refused.problems)
}

/// Reads an answer set from JSON text; on failure, every structural problem and what could be read
/// (for checking the rules of those parts too).
pub fn read(json: &str) -> Result<AnswerSet, Refused> {
    match json::parse(json) {
        Ok((value, twice)) => read_parsed(&value, twice),
        Err(problems) => Err(Refused {
            problems,
            draft: None,
        }),
    }
}

/// [`read`] for JSON already parsed, with the keys it found written twice (`twice`): those refuse
/// the answer set too, before its own problems.
pub fn read_parsed(value: &Value, twice: Vec<Problem>) -> Result<AnswerSet, Refused> {
    match read_value(value) {
        Ok(answers) if twice.is_empty() => Ok(answers),
        Ok(_) => Err(Refused {
            problems: twice,
            draft: None,
        }),
        Err(mut refused) => {
            refused.problems.splice(0..0, twice);
            Err(refused)
        }
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
        let (layout_name, layout) = self.layout(map, stray);
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
        let dates = self.dates(map);
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

    /// The form the answers are read against, by its name (the default when left out); `None`
    /// when it is unknown, or when an unknown key beside it may be a misspelt `layout` naming
    /// another form (the rules of the default form would not be the user's).
    fn layout(
        &mut self,
        map: &Map<String, Value>,
        stray: bool,
    ) -> (String, Option<&'static FormSpec>) {
        let mark = self.problems.len();
        let layout_name = self
            .string(map, "$", "layout", false)
            .unwrap_or_else(|| DEFAULT_LAYOUT.to_string());
        let layout = if self.problems.len() > mark {
            None
        } else {
            match FormSpec::get(&layout_name) {
                Ok(l) => Some(l),
                Err(e) => {
                    self.error("layout", e.to_string());
                    None
                }
            }
        };
        let misspelt_layout = stray
            && !map.contains_key("layout")
            && map.iter().any(|(key, value)| {
                !ROOT_FIELDS.contains(&key.as_str())
                    && value.as_str().is_some_and(|name| {
                        name != DEFAULT_LAYOUT && crate::spec::names().contains(&name)
                    })
            });
        (layout_name, layout.filter(|_| !misspelt_layout))
    }

    /// `dates`: how printed dates are written (和暦 unless told otherwise).
    fn dates(&mut self, map: &Map<String, Value>) -> DateStyle {
        match self.string(map, "$", "dates", false) {
            None => DateStyle::default(),
            Some(s) => s.parse::<DateStyle>().unwrap_or_else(|_| {
                self.error(
                    "dates",
                    format!("\"wareki\"（和暦）または \"western\"（西暦）を指定してください（実際: \"{s}\"）"),
                );
                DateStyle::default()
            }),
        }
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

    fn items(&mut self, v: &Value, layout: &FormSpec) -> ItemsDraft {
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
                        .map(charset::halfwidth)
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
                // A row with nothing in it but `$comment` (as `init` and `convert` write every
                // row) is unanswered, as a row left out is: an optional row still prints ※.
                Some(item)
                    if self.problems.len() == mark
                        && item.status.is_none()
                        && item.detail.is_empty() => {}
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

    fn item(&mut self, value: &Value, number: u32, layout: &FormSpec) -> Option<Item> {
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
        let carried_over = match item.get("carried_over") {
            None | Some(Value::Null) => None,
            Some(v) => Some(self.carried_over(v, &join(&path, "carried_over"), layout)?),
        };
        Some(Item {
            status,
            detail,
            carried_over,
        })
    }

    /// `items.N.carried_over`: last year's status (the layout's words, or `auto`) and detail.
    fn carried_over(&mut self, v: &Value, path: &str, layout: &FormSpec) -> Option<CarriedOver> {
        let (map, _) = self.object(v, path, CARRIED_FIELDS)?;
        let [done, not_done] = &layout.items.status_values;
        let status = match self.string(map, path, "status", false) {
            None => None,
            Some(s) if s.trim() == done => Some(Status::Done),
            Some(s) if s.trim() == not_done => Some(Status::NotDone),
            Some(s) if s.trim() == "auto" => Some(Status::Auto),
            Some(other) => {
                self.error(
                    join(path, "status"),
                    format!(
                        "「{done}」または「{not_done}」を指定してください（実際: \"{other}\"）"
                    ),
                );
                return None;
            }
        };
        let detail = self.string(map, path, "detail", false).unwrap_or_default();
        Some(CarriedOver { status, detail })
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
    fn circumstances(&mut self, v: &Value, layout: &FormSpec) -> CircumstancesDraft {
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
