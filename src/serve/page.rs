//! What the page needs beyond the layout file as written: the circumstance questions and column
//! labels worked out from the layout's data, and the 和暦 of the dates being typed, so that the
//! page's code holds no wording and no calendar of its own.

use serde_json::{json, Value};

use crate::model::wareki::{self, DateStyle};
use crate::spec::form::{ColumnKey, FormSpec};

pub use crate::spec::questions::{questions, Question};

/// The title of the table column `key` (「実施状況(詳細)又は未実施の理由」 for the detail).
fn column_title(form: &FormSpec, key: ColumnKey) -> &str {
    form.items
        .columns
        .iter()
        .find(|c| c.key == key)
        .map_or("", |c| c.title.as_str())
}

/// The layout file as written, with `serve`: the circumstance questions, the labels of the
/// status and detail controls, and the seal's size limit.
pub fn layout_json(source: &str, form: &FormSpec) -> Value {
    let mut v: Value = serde_json::from_str(source).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert(
            "serve".into(),
            json!({
                "circumstances": questions(form).into_iter().flatten().collect::<Vec<_>>(),
                "status_label": column_title(form, ColumnKey::Status),
                "detail_label": column_title(form, ColumnKey::Detail),
                // The seal's limits, for the page to say and to scale a photo down within them:
                // a larger image would be refused.
                "seal_max_bytes": crate::model::seal::MAX_BYTES,
                "seal_max_side_px": crate::model::seal::MAX_SIDE_PX,
                "seal_print_side_px": crate::model::seal::PRINT_SIDE_PX,
            }),
        );
    }
    v
}

/// `target.company` of `answers` (JSON text), or "" (the page names files by it).
pub fn company_of(answers: &str) -> String {
    serde_json::from_str::<Value>(answers)
        .ok()
        .and_then(|v| v.get("target")?.get("company")?.as_str().map(String::from))
        .unwrap_or_default()
}

/// The PDF's file name for the download: 「確認書_株式会社〇〇_令和8年4月10日.pdf」, the company and
/// the date of the check (`checked_on`) as the PDF writes it (和暦 unless `dates` is western),
/// each left out when not given; characters no file name may hold become 「_」.
pub fn download_name(answers: &str) -> String {
    let value: Value = serde_json::from_str(answers).unwrap_or(Value::Null);
    let company: String = value
        .get("target")
        .and_then(|t| t.get("company"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(60)
        .collect();
    let style = match value.get("dates").and_then(Value::as_str) {
        Some("western") => DateStyle::Western,
        _ => DateStyle::Wareki,
    };
    let date = value
        .get("checked_on")
        .and_then(Value::as_str)
        .and_then(|d| wareki::parse_date(d).ok())
        .map(|d| wareki::format_date(d, style));
    let mut name = String::from("確認書");
    for part in [Some(company.trim().to_string()), date]
        .into_iter()
        .flatten()
    {
        if !part.is_empty() {
            name.push('_');
            name.push_str(&part);
        }
    }
    name.push_str(".pdf");
    name
}

/// The answer paths the page shows as date inputs, and so with their 和暦 beside them.
pub const DATE_PATHS: [&str; 3] = [
    "target.contract_start",
    "target.previous_check",
    "checked_on",
];

/// The 和暦 of every date in `value` (the answers as the assessment parsed them) that reads as one, by path, written as the
/// PDF writes it (令和8年4月10日, 元年 for the first year).
pub fn wareki_of(value: &Value) -> serde_json::Map<String, Value> {
    DATE_PATHS
        .iter()
        .filter_map(|path| {
            let s = path.split('.').try_fold(value, |v, k| v.get(k))?.as_str()?;
            let d = wareki::parse_date(s).ok()?;
            Some((
                path.to_string(),
                Value::String(wareki::format_date(d, DateStyle::Wareki)),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_named_after_company_and_date() {
        assert_eq!(
            download_name(r#"{"target": {"company": "株式会社〇〇"}, "checked_on": "2026-04-10"}"#),
            "確認書_株式会社〇〇_令和8年4月10日.pdf"
        );
        assert_eq!(
            download_name(
                r#"{"target": {"company": "A/B:C"}, "checked_on": "2019-05-01", "dates": "western"}"#
            ),
            format!(
                "確認書_A_B_C_{}.pdf",
                wareki::format_date(
                    chrono::NaiveDate::from_ymd_opt(2019, 5, 1).unwrap(),
                    DateStyle::Western
                )
            )
        );
        assert_eq!(download_name("{}"), "確認書.pdf");
        assert_eq!(download_name("not json"), "確認書.pdf");
    }

    #[test]
    fn wareki_beside_the_dates() {
        let w = wareki_of(&serde_json::json!({
            "target": {"contract_start": "2019-05-01", "previous_check": "R7.4.1"},
            "checked_on": "2026-13-01"
        }));
        assert_eq!(w["target.contract_start"], "令和元年5月1日");
        assert_eq!(w["target.previous_check"], "令和7年4月1日");
        assert!(!w.contains_key("checked_on"));
        assert!(wareki_of(&Value::Null).is_empty());
    }
}
