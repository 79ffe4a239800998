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
                // A larger image is not sent: its request would be refused as too long.
                "seal_max_bytes": crate::model::seal::MAX_BYTES,
            }),
        );
    }
    v
}

/// The answer paths the page shows as date inputs, and so with their 和暦 beside them.
pub const DATE_PATHS: [&str; 3] = [
    "target.contract_start",
    "target.previous_check",
    "checked_on",
];

/// The 和暦 of every date in `answers` (JSON text) that reads as one, by path, written as the
/// PDF writes it (令和8年4月10日, 元年 for the first year).
pub fn wareki_of(answers: &str) -> serde_json::Map<String, Value> {
    let value: Value = serde_json::from_str(answers).unwrap_or(Value::Null);
    DATE_PATHS
        .iter()
        .filter_map(|path| {
            let s = path
                .split('.')
                .try_fold(&value, |v, k| v.get(k))?
                .as_str()?;
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
    fn wareki_beside_the_dates() {
        let w = wareki_of(
            r#"{"target": {"contract_start": "2019-05-01", "previous_check": "R7.4.1"},
                "checked_on": "2026-13-01"}"#,
        );
        assert_eq!(w["target.contract_start"], "令和元年5月1日");
        assert_eq!(w["target.previous_check"], "令和7年4月1日");
        assert!(!w.contains_key("checked_on"));
        assert!(wareki_of("not json").is_empty());
    }
}
