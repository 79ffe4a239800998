//! One entity's line of `secform summary`'s overview: what the table, the CSV and the workbook
//! show of it. Built by [`crate::summary::line`]; laid out by `layout/summary.rs`.

use crate::error::Problem;

/// One row of one entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    NotDone,
    /// A row left blank that does not apply: row 2 with row 1 実施, a ※ row its circumstance rules
    /// out or left blank. Marked apart from [`Mark::Unanswered`] (issue 21 §6).
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
    /// The 確認年月日 itself (the summary PDF is dated by the latest one, never by the clock).
    pub date: Option<chrono::NaiveDate>,
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

/// The latest 確認年月日 of `lines`: the date of the overview made of them.
pub fn latest_date(lines: &[Line]) -> Option<chrono::NaiveDate> {
    lines.iter().filter_map(|l| l.date).max()
}
