//! The answer set: what a contractor fills into the form, once read (see [`crate::input`] for
//! how it is read, and [`super::draft`] for what could be read of a refused one).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::wareki::DateStyle;

/// The name of the answer set attached to a form PDF, as PDF readers and `pdfdetach -list` show
/// it: written by the PDF painter, looked for by the PDF reader.
pub const ATTACHMENT_NAME: &str = "secform-answers.json";
/// Its MIME type (the file specification's `/Subtype`).
pub const ATTACHMENT_MIME: &str = "application/json";

/// A key any object may carry for the reader's benefit (the JSON Schema convention); ignored.
pub const COMMENT: &str = "$comment";

pub(crate) const ROOT_FIELDS: &[&str] = &[
    "layout",
    "target",
    "items",
    "checked_on",
    "checker",
    "dates",
    "circumstances",
    "seal",
];
pub(crate) const TARGET_FIELDS: &[&str] = &[
    "company",
    "subcontractor",
    "department",
    "contract_start",
    "previous_check",
];
pub(crate) const ITEM_FIELDS: &[&str] = &["status", "detail", "carried_over"];
/// The fields of an item's `carried_over`: last year's answer as `next` kept it.
pub(crate) const CARRIED_FIELDS: &[&str] = &["status", "detail"];
pub(crate) const CHECKER_FIELDS: &[&str] = &["company", "department", "title", "name"];
pub(crate) const SEAL_FIELDS: &[&str] = &["image", "data", "mark"];

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
    /// Last year's answer, when `next` carried this one over and nobody has confirmed it yet
    /// (`items.N.carried_over`). While status and detail still equal it, `check` warns that the
    /// row is last year's; a changed answer or detail clears the mark, and confirming removes it.
    pub carried_over: Option<CarriedOver>,
}

/// Last year's answer to a row, as `next` carried it over.
#[derive(Debug, Clone, PartialEq)]
pub struct CarriedOver {
    pub status: Option<Status>,
    pub detail: String,
}

impl Item {
    /// Whether the answer is still last year's, unconfirmed: marked as carried over and neither
    /// status nor detail changed since (blanks at the ends are not a change).
    pub fn still_carried_over(&self) -> bool {
        self.carried_over
            .as_ref()
            .is_some_and(|c| c.status == self.status && c.detail.trim() == self.detail.trim())
    }
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

/// The layout's suffix typed another way at the end of `name` (mixed, full-width or other
/// brackets, 「下請負者」 without 「等」, written twice), as written: it is printed as the official
/// suffix instead of gaining a second one, and `check` says so.
pub(crate) fn suffix_variant<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    let name = name.trim_end();
    let (base, _) = suffix_written(name, suffix)?;
    let written = &name[base.len()..];
    (written != suffix).then_some(written)
}

/// Whether `name` ends with the layout's suffix, however written (see [`suffix_written`]).
pub(crate) fn ends_with_suffix(name: &str, suffix: &str) -> bool {
    suffix_written(name.trim_end(), suffix).is_some()
}

/// Brackets a suffix may be typed in: half- and full-width parentheses, and the square, lenticular
/// and tortoise-shell ones an IME offers next to them.
const OPENING: [char; 6] = ['(', '（', '[', '［', '【', '〔'];
const CLOSING: [char; 6] = [')', '）', ']', '］', '】', '〕'];

/// `name` without every trailing suffix (a doubled one too) and the suffixes as written, when
/// `name` ends with `suffix`'s words in any of [`OPENING`]/[`CLOSING`]'s brackets, or with its
/// words less a final 「等」 (「（下請負者）」 for 「(下請負者等)」).
fn suffix_written<'a>(name: &'a str, suffix: &str) -> Option<(&'a str, &'a str)> {
    let words = suffix.trim_start_matches(OPENING).trim_end_matches(CLOSING);
    let once = |name: &'a str| -> Option<&'a str> {
        let body = name.trim_end().strip_suffix(CLOSING)?;
        let open = body.rfind(OPENING)?;
        let inside = body[open..].trim_start_matches(OPENING);
        let same = inside == words || Some(inside) == words.strip_suffix('等');
        same.then(|| &name[..open])
    };
    let mut base = once(name)?;
    // Each pass removes a bracket pair at least: the loop ends within the name's length.
    while let Some(shorter) = once(base) {
        base = shorter;
    }
    Some((base, &name[base.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::answers::from_value;

    fn minimal() -> serde_json::Value {
        serde_json::json!({
            "target": {"company": "株式会社サンプル", "contract_start": "2025-04-01"},
            "checked_on": "2026-04-10",
            "checker": {"company": "株式会社サンプル", "name": "山田 太郎"}
        })
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
        // Other brackets an IME offers, and the suffix written twice (issue 21 §3).
        for written in [
            "［下請負者等］",
            "【下請負者等】",
            "(下請負者等)(下請負者等)",
            "（下請負者等） (下請負者等)",
        ] {
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
}
