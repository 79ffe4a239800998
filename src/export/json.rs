//! The answer set as JSON text, formatted as `secform init` formats it.

use crate::error::Error;
use crate::input::answers::COMMENT;
use crate::spec::{self, FormSpec};

/// The starter answer set of `layout` for `secform init`, dated `today`.
pub fn starter_json(
    layout: &str,
    subcontractor: bool,
    today: chrono::NaiveDate,
) -> Result<String, Error> {
    let text = spec::starter(layout, subcontractor)?;
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::BadLayoutData {
            file: format!("layouts/{layout}/starter.json"),
            reason: e.to_string(),
        })?;
    value["checked_on"] = today.format("%Y-%m-%d").to_string().into();
    value["items"] = commented_items(&value["items"], FormSpec::get(layout)?);
    // A Value always serialises.
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    Ok(out)
}

/// Every row of the form in order, each with its text as `$comment` (the starter's answer first
/// where it has one), so that a user filling the JSON by hand sees what row 5 asks. A row without
/// an answer stays unanswered: `$comment` is ignored by the reader.
fn commented_items(items: &serde_json::Value, form: &FormSpec) -> serde_json::Value {
    let rows = form.items.rows.iter().map(|row| {
        let key = row.number.to_string();
        let mut item = serde_json::Map::new();
        item.insert(COMMENT.into(), row.text.clone().into());
        if let Some(answer) = items.get(&key).and_then(|v| v.as_object()) {
            item.extend(answer.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        (key, serde_json::Value::Object(item))
    });
    serde_json::Value::Object(rows.collect())
}
