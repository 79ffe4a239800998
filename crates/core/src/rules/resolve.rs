//! The answers as the form prints them: status words, details (`auto`'s from the dates), dates
//! in the answer set's style, the 確認者 in its parts.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::answers::{AnswerSet, Status};
use crate::model::wareki;
use crate::spec::form::FormSpec;

use super::one_year::auto_detail;

/// One row as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedItem {
    pub status: String,
    pub detail: String,
}

/// The answers as the form prints them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub company: String,
    pub department: String,
    pub contract_start: String,
    pub previous_check: String,
    pub items: BTreeMap<u32, ResolvedItem>,
    pub checked_on: String,
    /// 確認者: 事業者名, then 所属 and 役職 when given, then 氏名. Kept apart so that the line breaks
    /// between them, never inside a name; the layout's separator joins them.
    pub checker: Vec<String>,
    pub seal_mark: bool,
}

/// The strings the form prints for `a`.
pub fn resolve(a: &AnswerSet, form: &FormSpec) -> Resolved {
    let date = |d: NaiveDate| wareki::format_date(d, a.dates);
    let [done, not_done] = &form.items.status_values;
    let items = a
        .items
        .iter()
        .map(|(n, item)| {
            let (status, detail) = match (item.status, a.target.previous_check) {
                (Some(Status::Done), _) => (done.clone(), item.detail.clone()),
                (Some(Status::NotDone), _) => (not_done.clone(), item.detail.clone()),
                (Some(Status::Auto), Some(prev)) => {
                    let within = !wareki::at_least_one_year(prev, a.checked_on);
                    let auto_detail = form
                        .row(*n)
                        .and_then(|r| r.one_year_rule.as_ref())
                        .map_or_else(String::new, |rule| {
                            auto_detail(rule, prev, a.checked_on, a.dates)
                        });
                    let detail = if item.detail.trim().is_empty() {
                        auto_detail
                    } else {
                        item.detail.clone()
                    };
                    (
                        if within {
                            done.clone()
                        } else {
                            not_done.clone()
                        },
                        detail,
                    )
                }
                (Some(Status::Auto), None) | (None, _) => (String::new(), item.detail.clone()),
            };
            (*n, ResolvedItem { status, detail })
        })
        .collect();
    let c = &a.checker;
    let checker = [
        Some(&c.company),
        c.department.as_ref(),
        c.title.as_ref(),
        Some(&c.name),
    ]
    .into_iter()
    .flatten()
    .map(|s| s.trim().to_string())
    .collect();
    Resolved {
        company: a.company_display(&form.target.subcontractor_suffix),
        department: a.target.department.clone().unwrap_or_default(),
        contract_start: date(a.target.contract_start),
        previous_check: a.target.previous_check.map(date).unwrap_or_default(),
        items,
        checked_on: date(a.checked_on),
        checker,
        seal_mark: a.seal.mark,
    }
}
