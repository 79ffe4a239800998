//! `secform summary`: one overview of the contractor and its subcontractors, for the report to 甲
//! (特約条項 第7条第4項): a line per entity, 元請 first, then the 下請負者等 in input order, with
//! every row as 実施 / 未実施 / not applicable / not answered and every 未実施 with its reason.
//!
//! The table is secform's own (its wording is in `layouts/summary.json`), not an official form.
//! Only the lines are kept, never the answer sets, so a long batch is read in one pass.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Problem};
use crate::input::answers;
use crate::model::wareki;
use crate::rules::{self, CheckOptions};
use crate::spec::{FormSpec, DEFAULT_LAYOUT};
use crate::Renderer;

/// The summary's own wording.
#[derive(Debug, Deserialize)]
pub struct Wording {
    pub title: String,
    pub columns: Columns,
    pub kinds: Kinds,
    pub marks: Marks,
    pub needs_review: String,
    /// `{n}`, `{text}` and `{reason}` are filled in.
    pub reason_line: String,
}

#[derive(Debug, Deserialize)]
pub struct Columns {
    pub kind: String,
    pub company: String,
    pub checked_on: String,
    /// `{n}` is the row number.
    pub row: String,
    pub not_done_count: String,
    pub state: String,
    pub problems: String,
    pub reasons: String,
}

#[derive(Debug, Deserialize)]
pub struct Kinds {
    pub contractor: String,
    pub subcontractor: String,
}

#[derive(Debug, Deserialize)]
pub struct Marks {
    pub done: String,
    pub not_done: String,
    pub not_applicable: String,
    pub unanswered: String,
}

/// The wording compiled in from `layouts/summary.json`.
pub fn wording() -> &'static Wording {
    static PARSED: OnceLock<Wording> = OnceLock::new();
    PARSED.get_or_init(|| {
        // Compiled-in data, covered by tests: a parse failure is a build defect.
        serde_json::from_str(crate::spec::SUMMARY)
            .unwrap_or_else(|e| panic!("layouts/summary.json: {e}"))
    })
}

/// One row of one entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    NotDone,
    /// A ※ row left blank: it does not apply.
    NotApplicable,
    Unanswered,
}

/// A 未実施 row: its number, its text and the reason given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotDone {
    pub row: u32,
    pub text: String,
    pub reason: String,
}

/// One entity's line.
#[derive(Debug, Clone)]
pub struct Line {
    /// Unknown (unreadable) counts as a subcontractor: listed after the 元請.
    pub subcontractor: bool,
    /// With its suffix, as the form prints it.
    pub company: String,
    /// In the answers' date style; empty when unreadable.
    pub checked_on: String,
    /// Every row of the form, in order.
    pub marks: Vec<(u32, Mark)>,
    pub not_done: Vec<NotDone>,
    /// The errors `check` finds: the line is 要確認 when there are any.
    pub problems: Vec<Problem>,
}

impl Line {
    pub fn needs_review(&self) -> bool {
        !self.problems.is_empty()
    }
}

/// The line of one entity, from its JSON (or why it could not be read; `label` names it then).
pub fn line(
    renderer: &Renderer,
    value: Result<Value, Vec<Problem>>,
    label: Option<&str>,
    opts: &CheckOptions,
) -> Line {
    let fallback = |problems: Vec<Problem>, value: Option<&Value>| {
        let company = value
            .and_then(|v| v.get("target")?.get("company")?.as_str())
            .map(str::to_string)
            .or_else(|| label.map(str::to_string))
            .unwrap_or_default();
        let rows = FormSpec::get(DEFAULT_LAYOUT).map_or(Vec::new(), |f| {
            f.items
                .rows
                .iter()
                .map(|r| (r.number, Mark::Unanswered))
                .collect()
        });
        Line {
            subcontractor: value
                .and_then(|v| v.get("target")?.get("subcontractor")?.as_bool())
                .unwrap_or(true),
            company,
            checked_on: String::new(),
            marks: rows,
            not_done: Vec::new(),
            problems,
        }
    };
    let value = match value {
        Ok(v) => v,
        Err(problems) => return fallback(problems, None),
    };
    let problems: Vec<Problem> = renderer
        .check(&value.to_string(), opts)
        .into_iter()
        .filter(Problem::is_error)
        .collect();
    let Ok(a) = answers::from_value(&value) else {
        return fallback(problems, Some(&value));
    };
    let Ok(form) = FormSpec::get(&a.layout) else {
        return fallback(problems, Some(&value));
    };
    let resolved = rules::resolve(&a, form);
    let [done, not_done] = &form.items.status_values;
    let mut line = Line {
        subcontractor: a.target.subcontractor,
        company: a.company_display(&form.target.subcontractor_suffix),
        checked_on: wareki::format_date(a.checked_on, a.dates),
        marks: Vec::new(),
        not_done: Vec::new(),
        problems,
    };
    for row in &form.items.rows {
        let item = resolved.items.get(&row.number);
        let status = item.map_or("", |i| i.status.as_str());
        let mark = if status == done {
            Mark::Done
        } else if status == not_done {
            line.not_done.push(NotDone {
                row: row.number,
                text: row.text.clone(),
                reason: item.map_or(String::new(), |i| i.detail.clone()),
            });
            Mark::NotDone
        } else if row.optional && item.is_none_or(|i| i.detail.trim().is_empty()) {
            Mark::NotApplicable
        } else {
            Mark::Unanswered
        };
        line.marks.push((row.number, mark));
    }
    line
}

/// 元請 first, then the 下請負者等, each in input order.
pub fn ordered(mut lines: Vec<Line>) -> Vec<Line> {
    lines.sort_by_key(|l| l.subcontractor);
    lines
}

/// The lines as CSV: UTF-8 with a byte-order mark (so that Excel opens it as UTF-8), CRLF line
/// ends, a header, then one record per entity.
pub fn to_csv(lines: &[Line]) -> Result<Vec<u8>, Error> {
    let w = wording();
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let rows: Vec<u32> = match lines.first() {
        Some(l) => l.marks.iter().map(|(n, _)| *n).collect(),
        None => FormSpec::get(DEFAULT_LAYOUT)?
            .items
            .rows
            .iter()
            .map(|r| r.number)
            .collect(),
    };
    let c = &w.columns;
    let mut header = vec![c.kind.clone(), c.company.clone(), c.checked_on.clone()];
    header.extend(rows.iter().map(|n| c.row.replace("{n}", &n.to_string())));
    header.extend([
        c.not_done_count.clone(),
        c.state.clone(),
        c.problems.clone(),
        c.reasons.clone(),
    ]);
    let fail = |_: csv::Error| Error::Csv;
    out.write_record(&header).map_err(fail)?;
    for l in lines {
        let kind = if l.subcontractor {
            &w.kinds.subcontractor
        } else {
            &w.kinds.contractor
        };
        let mut record = vec![kind.clone(), l.company.clone(), l.checked_on.clone()];
        for n in &rows {
            let mark = l.marks.iter().find(|(m, _)| m == n).map(|(_, m)| *m);
            record.push(
                match mark {
                    Some(Mark::Done) => &w.marks.done,
                    Some(Mark::NotDone) => &w.marks.not_done,
                    Some(Mark::NotApplicable) => &w.marks.not_applicable,
                    Some(Mark::Unanswered) | None => &w.marks.unanswered,
                }
                .clone(),
            );
        }
        record.push(l.not_done.len().to_string());
        record.push(if l.needs_review() {
            w.needs_review.clone()
        } else {
            String::new()
        });
        record.push(
            l.problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        record.push(
            l.not_done
                .iter()
                .map(|d| {
                    w.reason_line
                        .replace("{n}", &d.row.to_string())
                        .replace("{text}", &d.text)
                        .replace("{reason}", &d.reason)
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        out.write_record(&record).map_err(fail)?;
    }
    out.into_inner().map_err(|_| Error::Csv)
}
