//! The form's rules: what makes an answer set fit to submit, and the answers as they are printed.
//!
//! `check` lists every problem (errors and warnings) at once; `render` refuses what it calls an
//! error. `resolve` turns the answers into the exact strings the form shows.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::answers::{AnswerSet, Status};
use crate::error::Problem;
use crate::fonts::FontSet;
use crate::layout::FormLayout;
use crate::wareki;

/// Which characters the answers may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Charset {
    /// Whatever the fonts can draw.
    #[default]
    Any,
    /// JIS X 0208 only, as several e-bidding systems demand.
    Jis0208,
}

/// How strictly to check.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// "Today", for the future-date warning; a parameter so that tests do not depend on the clock.
    pub today: NaiveDate,
    pub charset: Charset,
}

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
    pub checker: String,
    pub seal_mark: bool,
}

/// Every problem of `a` against `form`, errors first in the order of the form.
pub fn check(
    a: &AnswerSet,
    form: &FormLayout,
    fonts: &FontSet,
    opts: &CheckOptions,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let [done, not_done] = &form.items.status_values;
    for (n, item) in &a.items {
        let path = format!("items.{n}");
        match item.status {
            Some(Status::NotDone) if item.detail.trim().is_empty() => {
                problems.push(Problem::error(
                    format!("{path}.detail"),
                    format!("「{not_done}」の行には未実施の理由を記入してください"),
                ))
            }
            None if !item.detail.trim().is_empty() => problems.push(Problem::error(
                format!("{path}.status"),
                format!("詳細が書かれていますが、「{done}」か「{not_done}」かが指定されていません"),
            )),
            _ => {}
        }
    }
    let suffix = &form.target.subcontractor_suffix;
    if !a.target.subcontractor && a.target.company.trim_end().ends_with(suffix.as_str()) {
        problems.push(Problem::warning(
            "target.subcontractor",
            format!(
                "事業者名が「{suffix}」で終わっていますが、subcontractor が true ではありません"
            ),
        ));
    }
    for (path, text) in a.text_fields() {
        for c in fonts.missing_chars(text) {
            problems.push(Problem::error(
                path.clone(),
                format!(
                    "フォントにない文字「{c}」（{}）があります。--fallback-font でその文字を含むフォントを指定してください",
                    crate::charset::codepoint(c)
                ),
            ));
        }
        if opts.charset == Charset::Jis0208 {
            for o in crate::charset::outside_jis0208(text) {
                problems.push(Problem::error(
                    path.clone(),
                    format!(
                        "{} 文字目の「{}」（{}）は JIS X 0208 にない文字です",
                        o.position,
                        o.ch,
                        crate::charset::codepoint(o.ch)
                    ),
                ));
            }
        }
    }
    problems.sort_by_key(|p| p.severity);
    problems
}

/// The strings the form prints for `a`.
pub fn resolve(a: &AnswerSet, form: &FormLayout) -> Resolved {
    let date = |d: NaiveDate| wareki::format_date(d, a.dates);
    let [done, not_done] = &form.items.status_values;
    let items = a
        .items
        .iter()
        .map(|(n, item)| {
            let status = match item.status {
                Some(Status::Done) => done.clone(),
                Some(Status::NotDone) => not_done.clone(),
                Some(Status::Auto) | None => String::new(),
            };
            (
                *n,
                ResolvedItem {
                    status,
                    detail: item.detail.clone(),
                },
            )
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
    .map(|s| s.trim())
    .collect::<Vec<_>>()
    .join(&form.checker.separator);
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
