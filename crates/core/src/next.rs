//! `secform next`: next year's answer set from the last one, instead of retyping it.
//!
//! The last check's date becomes `target.previous_check`, the new date `checked_on`, and the row
//! with the one-year rule (7.1, row 23 of npa-2022) `"status": "auto"`, so that the dates decide it.
//! Everything else (target, checker, circumstances, every row's answer and detail) is kept as it
//! was, for the user to review: last year's facts are this year's draft, not its answers. So every
//! answered row is marked `carried_over` (last year's answer beside it) until someone looks at it.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::{Error, Problem};
use crate::rules::CheckOptions;
use crate::spec::form::FormSpec;
use crate::Renderer;

/// The next answer set and what `check` says of it.
#[derive(Debug, Clone)]
pub struct NextCheck {
    /// The new answer set, as JSON text (pretty-printed, the keys in the order they came).
    pub json: String,
    /// Every problem `check` finds in it (the same list, in the same order).
    pub problems: Vec<Problem>,
}

/// The answer set following `json` (an answer set's JSON text), checked on `checked_on`. Refused
/// with the last answer set's errors only when it cannot be read as one (its date is then unknown);
/// a new answer set that breaks a rule (more than a year later, say) is still made, with the problem.
pub fn next(
    renderer: &Renderer,
    json: &str,
    checked_on: NaiveDate,
    opts: &CheckOptions,
) -> Result<NextCheck, Error> {
    let last = renderer.assess_json(json, opts);
    let (Some(value), Some(answers), Some(form)) = (last.value(), last.answers(), last.form())
    else {
        return Err(Error::Invalid(last.errors()));
    };
    let value = next_value(value.clone(), answers, form, checked_on);
    // A Value always serialises.
    let mut json = serde_json::to_string_pretty(&value).unwrap_or_default();
    json.push('\n');
    let problems = renderer.assess_json(&json, opts).problems().to_vec();
    Ok(NextCheck { json, problems })
}

/// Marks every answered row of `last` (but the one the dates decide) as carried over, holding
/// last year's status and detail as they were written: `check` warns about each until its answer
/// changes or the mark is removed (confirmed in the page, cleared in the workbook).
fn mark_carried_over(items: &mut Map<String, Value>, last: &crate::AnswerSet, form: &FormSpec) {
    for (n, item) in &last.items {
        let answered = item.status.is_some() || !item.detail.trim().is_empty();
        let dated = form.row(*n).is_some_and(|r| r.one_year_rule.is_some());
        if !answered || dated {
            continue;
        }
        let Some(Value::Object(row)) = items.get_mut(&n.to_string()) else {
            continue; // not reached: `last` was read from these rows
        };
        let mut carried = Map::new();
        for key in ["status", "detail"] {
            if let Some(v) = row.get(key) {
                carried.insert(key.into(), v.clone());
            }
        }
        row.insert("carried_over".into(), Value::Object(carried));
    }
}

/// [`next`] on the parsed JSON `value` of `last`.
fn next_value(
    mut value: Value,
    last: &crate::AnswerSet,
    form: &FormSpec,
    checked_on: NaiveDate,
) -> Value {
    let day = |d: NaiveDate| Value::String(d.format("%Y-%m-%d").to_string());
    let Value::Object(root) = &mut value else {
        return value; // not reached: `last` was read from it
    };
    if let Some(Value::Object(target)) = root.get_mut("target") {
        target.insert("previous_check".into(), day(last.checked_on));
    }
    root.insert("checked_on".into(), day(checked_on));
    let items = root
        .entry("items")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(items) = items {
        mark_carried_over(items, last, form);
        for row in form.items.rows.iter().filter(|r| r.one_year_rule.is_some()) {
            let item = items
                .entry(row.number.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(item) = item {
                // Last year's detail would name last year's interval and override the one the
                // dates give; a `$comment` stays.
                item.shift_remove("detail");
                item.insert("status".into(), "auto".into());
            }
        }
    }
    value
}
