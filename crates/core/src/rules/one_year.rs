//! The one-year rule of 第7条第2項: a row answered 実施 more than a year after the previous
//! check, `"status": "auto"` deciding 実施 or 未実施 from the dates, and the detail it prints.

use chrono::NaiveDate;

use crate::error::Problem;
use crate::model::answers::Status;
use crate::model::draft::Draft;
use crate::model::wareki;
use crate::spec::form::{FormSpec, OneYearRule};
use crate::spec::workbook::AUTO;

use super::rows::status_of;

/// Row `n` (the one-year rule's) answered 「実施」 when more than a year has passed since the
/// previous check.
pub(super) fn one_year_rule(a: &Draft, form: &FormSpec, n: u32, problems: &mut Vec<Problem>) {
    let [done, not_done] = &form.items.status_values;
    let previous = a.target.previous_check.flatten();
    let (Some(prev), Some(checked_on), Some(Some(Status::Done))) =
        (previous, a.checked_on, status_of(a, n))
    else {
        return;
    };
    // Same test as `wareki::at_least_one_year`, keeping the expiry for the message.
    let Some(expiry) = wareki::one_year_expiry(prev).filter(|&end| checked_on > end) else {
        return;
    };
    let d = |d: NaiveDate| wareki::format_date(d, a.dates);
    // The expiry is named because the anniversary itself is still within the year
    // (民法 第140条・第143条), which a bare interval of 「1年」 would not tell.
    problems.push(Problem::error(
        format!("items.{n}.status"),
        format!(
            "前回確認（{}）からの1年は{}で満了し、確認年月日（{}）まで{}が経過しています。「{done}」ではなく「{not_done}」です（「{AUTO}」（\"auto\"）で日付から判定できます）",
            d(prev),
            d(expiry),
            d(checked_on),
            wareki::describe_interval(prev, checked_on)
        ),
    ));
}

/// The detail `"status": "auto"` prints from `rule`'s data: the interval within the year, and once
/// it has passed, that it has (the reason of the 未実施).
pub(super) fn auto_detail(
    rule: &OneYearRule,
    prev: NaiveDate,
    checked_on: NaiveDate,
    dates: wareki::DateStyle,
) -> String {
    let template = if wareki::at_least_one_year(prev, checked_on) {
        &rule.passed_detail
    } else {
        &rule.auto_detail
    };
    template
        .replace("{previous}", &wareki::format_date(prev, dates))
        .replace("{interval}", &wareki::describe_interval(prev, checked_on))
}

/// `"status": "auto"` that the dates make 未実施: allowed, but a reviewer will ask why, so the user
/// hears it before printing, with the reason the form will print.
pub(super) fn auto_not_done(d: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    let not_done = &form.items.status_values[1];
    let (Some(prev), Some(checked_on)) = (d.target.previous_check.flatten(), d.checked_on) else {
        return;
    };
    if !wareki::at_least_one_year(prev, checked_on) {
        return;
    }
    for row in &form.items.rows {
        let Some(rule) = &row.one_year_rule else {
            continue;
        };
        if status_of(d, row.number) == Some(Some(Status::Auto)) {
            problems.push(Problem::warning(
                format!("items.{}.status", row.number),
                format!(
                    "「{AUTO}」（\"auto\"）により「{not_done}」と印字します：{}",
                    auto_detail(rule, prev, checked_on, d.dates)
                ),
            ));
        }
    }
}
