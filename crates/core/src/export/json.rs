//! The answer set's JSON as secform writes it (`init`, `convert`): fields in the form's order,
//! every row with its text as `$comment`, so that every writer agrees.

use crate::error::Error;
use serde_json::{Map, Value};

use crate::model::answers::{
    CHECKER_FIELDS, COMMENT, ITEM_FIELDS, ROOT_FIELDS, SEAL_FIELDS, TARGET_FIELDS,
};
use crate::spec::{self, FormSpec};

/// The starter answer set of `layout` for `secform init`. It answers nothing and states no fact:
/// no status, detail or date (not even today's: the day of the check is the user's to say), only
/// `$comment` guidance and the 〇〇 placeholders `check` warns about, so that an untouched starter
/// is reported row by row instead of certifying what nobody said.
pub fn starter_json(layout: &str, subcontractor: bool) -> Result<String, Error> {
    let text = spec::starter(layout, subcontractor)?;
    let value: Value = serde_json::from_str(text).map_err(|e| Error::BadLayoutData {
        file: format!("layouts/{layout}/starter.json"),
        reason: e.to_string(),
    })?;
    Ok(json_text(&value, FormSpec::get(layout)?))
}

/// An answer set as JSON text, the way `init` writes it and `convert` too: fields in the order of
/// the form, every row present with its text as `$comment` (so that a user editing the JSON by
/// hand sees what row 5 asks; the reader ignores it), two-space indents, a final newline.
pub fn json_text(value: &Value, form: &FormSpec) -> String {
    let mut out = serde_json::to_string_pretty(&ordered_value(value, form)).unwrap_or_default();
    out.push('\n');
    out
}

/// The value [`json_text`] writes.
fn ordered_value(value: &Value, form: &FormSpec) -> Value {
    let mut value = ordered(value, ROOT_FIELDS);
    if let Some(root) = value.as_object_mut() {
        for (key, fields) in [
            ("target", TARGET_FIELDS),
            ("checker", CHECKER_FIELDS),
            ("seal", SEAL_FIELDS),
        ] {
            if let Some(v) = root.get_mut(key) {
                *v = ordered(v, fields);
            }
        }
        if let Some(items) = root.get_mut("items") {
            *items = commented_items(items, form);
        }
    }
    value
}

/// `v` with its keys in the order of `known` (`$comment` first, keys not in `known` last, as
/// they came): the JSON reads in the order of the form whatever order a program wrote it in.
fn ordered(v: &Value, known: &[&str]) -> Value {
    let Value::Object(map) = v else {
        return v.clone();
    };
    let rank = |k: &str| match known.iter().position(|f| *f == k) {
        _ if k == COMMENT => 0,
        Some(i) => i + 1,
        None => known.len() + 1,
    };
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(k, _)| rank(k));
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// Every row of the form in order, each with its text as `$comment` (the answer after it where
/// there is one). A row without an answer stays unanswered: `$comment` is ignored by the reader.
/// Keys that are not rows of the form are kept after them, for the reader to name.
fn commented_items(items: &Value, form: &FormSpec) -> Value {
    let Value::Object(given) = items else {
        return items.clone();
    };
    let mut out = Map::new();
    for row in &form.items.rows {
        let key = row.number.to_string();
        let mut item = Map::new();
        item.insert(COMMENT.into(), row.text.clone().into());
        match given.get(&key) {
            Some(answer @ Value::Object(_)) => {
                if let Value::Object(answer) = ordered(answer, ITEM_FIELDS) {
                    // A `$comment` of the user's own is kept in place of the row's text.
                    item.extend(answer);
                }
            }
            Some(other) => {
                out.insert(key, other.clone());
                continue;
            }
            None => {}
        }
        out.insert(key, Value::Object(item));
    }
    for (k, v) in given {
        if !out.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// The answers as a PDF carries them: what `convert` writes (no `$comment`), and without a seal
/// image's path, which means nothing on another machine (`seal.mark` is kept).
pub fn normalised(value: &Value) -> Value {
    let mut value = without_comments(value);
    if let Some(Value::Object(seal)) = value.get_mut("seal") {
        seal.shift_remove("image");
    }
    value
}

/// `value` with every `$comment` key dropped, at any depth.
pub fn without_comments(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != COMMENT)
                .map(|(k, v)| (k.clone(), without_comments(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_comments).collect()),
        v => v.clone(),
    }
}

/// The bytes of the attachment for `value`: [`normalised`], written as `convert` writes it.
pub fn attachment(value: &Value) -> Vec<u8> {
    let value = normalised(value);
    let name = value.get("layout").and_then(Value::as_str);
    match FormSpec::get(name.unwrap_or(spec::DEFAULT_LAYOUT)) {
        Ok(form) => plain_text(&value, form),
        // Not reached for a form that rendered; the answers as given all the same.
        Err(_) => serde_json::to_string_pretty(&value).unwrap_or_default() + "\n",
    }
    .into_bytes()
}

/// An answer set as `convert` writes it: as [`json_text`] orders it, without a single `$comment`
/// (a row that held nothing else is left out, as an unanswered row is).
pub fn plain_text(value: &Value, form: &FormSpec) -> String {
    let mut value = without_comments(&ordered_value(value, form));
    if let Some(Value::Object(items)) = value.get_mut("items") {
        items.retain(|_, row| !matches!(row, Value::Object(m) if m.is_empty()));
    }
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}
