//! The dates against each other and against today.

use chrono::NaiveDate;

use crate::error::Problem;
use crate::model::draft::Draft;
use crate::model::wareki;

use super::CheckOptions;

/// contract_start ≤ previous_check ≤ checked_on, and checked_on not in the future; each comparison
/// only between dates that were read.
pub(super) fn check_dates(a: &Draft, opts: &CheckOptions, problems: &mut Vec<Problem>) {
    let d = |d: NaiveDate| wareki::format_date(d, a.dates);
    let t = &a.target;
    let previous = t.previous_check.flatten();
    if let (Some(prev), Some(start)) = (previous, t.contract_start) {
        if prev < start {
            problems.push(Problem::error(
                "target.previous_check",
                format!(
                    "前回確認実施年月日（{}）が契約開始年月日（{}）より前です",
                    d(prev),
                    d(start)
                ),
            ));
        }
    }
    if let (Some(prev), Some(checked_on)) = (previous, a.checked_on) {
        if checked_on < prev {
            problems.push(Problem::error(
                "checked_on",
                format!(
                    "確認年月日（{}）が前回確認実施年月日（{}）より前です",
                    d(checked_on),
                    d(prev)
                ),
            ));
        }
    }
    let Some(checked_on) = a.checked_on else {
        return;
    };
    if let Some(start) = t.contract_start.filter(|&start| checked_on < start) {
        problems.push(Problem::error(
            "checked_on",
            format!(
                "確認年月日（{}）が契約開始年月日（{}）より前です",
                d(checked_on),
                d(start)
            ),
        ));
    }
    if checked_on > opts.today {
        problems.push(Problem::warning(
            "checked_on",
            format!(
                "確認年月日（{}）が未来の日付です（今日は {}）",
                d(checked_on),
                d(opts.today)
            ),
        ));
    }
}
