//! The starter answer set of `secform init` (written as [`json_text`] writes every answer set).

use crate::error::Error;
use crate::model::json_form::json_text;
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
    Ok(json_text(&value, FormSpec::get(layout)?))
}
