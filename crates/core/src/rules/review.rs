//! Warnings for what a reviewer would send back although the form's rules allow it: the answers
//! read as a whole, after the rules proper.

use crate::error::Problem;
use crate::model::answers::Status;
use crate::model::draft::Draft;
use crate::spec::form::FormSpec;

use super::Read;

/// What `init`'s starters write where the user's own words go (株式会社〇〇, 〇〇 〇〇).
const PLACEHOLDER: &str = "〇〇";

/// Warnings for what a reviewer would send back although the form's rules allow it: a starter's
/// placeholder left in, 実施 with nothing said about how, a 確認者 without the 所属 or 役職 the form
/// asks for, the subcontractor suffix on a contractor or typed another way.
pub(super) fn check_for_review(
    d: &Draft,
    form: &FormSpec,
    read: Read,
    problems: &mut Vec<Problem>,
) {
    for (path, text) in d.text_fields() {
        if text.contains(PLACEHOLDER) {
            problems.push(Problem::warning(
                path,
                format!("記入例の「{PLACEHOLDER}」が残っています。実際の内容に書き換えてください"),
            ));
        }
    }
    let [done, _] = &form.items.status_values;
    for (n, item) in &d.items.read {
        if item.status == Some(Status::Done) && item.detail.trim().is_empty() {
            problems.push(Problem::warning(
                format!("items.{n}.detail"),
                format!("「{done}」の行ですが、実施状況(詳細)が空です。どのように実施したかを記入してください"),
            ));
        }
    }
    example_details(d, form, problems);
    for (n, item) in &d.items.read {
        if item.still_carried_over() {
            problems.push(Problem::warning(format!("items.{n}"), CARRIED_OVER));
        }
    }
    super::one_year::auto_not_done(d, form, problems);
    let c = &d.checker;
    for (field, value, what) in [
        ("department", &c.department, "所属"),
        ("title", &c.title, "役職"),
    ] {
        // In a draft `None` may be a misspelt key (its error is reported): only a field known
        // to be empty is warned about.
        let known_empty = value.as_deref().is_some_and(|v| v.trim().is_empty())
            || (value.is_none() && read == Read::Whole);
        if known_empty {
            problems.push(Problem::warning(
                format!("checker.{field}"),
                format!("確認者の{what}がありません。様式は確認者の所属・役職・氏名を求めています"),
            ));
        }
    }
    super::subcontractor::check(d, form, problems);
}

/// A row `next` carried over from last year, still as it was and not confirmed (issue 21 §5). A
/// warning, not an error: last year's answer may well be this year's, and `render` prints it
/// after saying so (refusing would push a clerk to retype a true answer to get past it).
pub const CARRIED_OVER: &str = "前年の回答のままです。今年の状況を確かめてください";

/// A detail still equal to an example text of the layout data (`examples.json`): older starters
/// wrote these as answers, and a workbook made from one may come back with them untouched.
fn example_details(d: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    let examples = crate::spec::example_details(&form.name);
    for (n, item) in &d.items.read {
        let detail = item.detail.trim();
        if examples
            .get(n)
            .is_some_and(|texts| texts.iter().any(|t| t == detail))
        {
            problems.push(Problem::warning(
                format!("items.{n}.detail"),
                format!("行 {n} の詳細が secform の以前の記入例と同じ文です（「{detail}」）。今年の実施状況のとおりか確かめてください"),
            ));
        }
    }
}
