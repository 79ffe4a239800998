//! Each row's answer: on its own (未実施 needs a reason), and as the row applies or not (another
//! row, a circumstance or the previous check deciding).

use crate::error::Problem;
use crate::model::answers::{AnswerSet, Status};
use crate::model::draft::Draft;
use crate::spec::form::{Applies, FormSpec, RowSpec};
use crate::spec::labels;
use crate::spec::workbook::YES_NO;

/// Each answer on its own: 未実施 needs a reason, a detail needs a status. (`auto` where the dates
/// decide nothing is refused by the reader, so that the rows depending on it wait.)
pub(super) fn check_items(a: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    let [done, not_done] = &form.items.status_values;
    for (n, item) in &a.items.read {
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
}

/// Whether a row applies, as far as the answers that were read tell.
enum Applicability {
    /// Nothing decides: the row's ※ flag alone says whether it must be answered.
    Open,
    /// Decided, and why (for the message).
    Decided(bool, String),
    /// It depends on a part that could not be read.
    Unknown,
}

/// Whether each row applies, and whether the answers agree: an applicable row must be answered,
/// a row that does not apply must stay blank (it prints its ※), an unconditional row must be
/// answered. Also the one-year rule of 第7条第2項.
pub(super) fn check_rows(a: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    for row in &form.items.rows {
        let applies = applicability(a, form, row);
        answered_as_it_applies(a, form, row, applies, problems);
        if row.one_year_rule.is_some() {
            super::one_year::one_year_rule(a, form, row.number, problems);
        }
    }
}

/// Whether row `row` of `a` applies as the answers decide it: `Some(true)` or `Some(false)` when
/// another row, a circumstance or the previous check decides, `None` when nothing does (the ※ flag
/// alone then says whether it must be answered). For the summary, which marks a row that does not
/// apply apart from one left unanswered.
pub fn row_applies(a: &AnswerSet, form: &FormSpec, row: &RowSpec) -> Option<bool> {
    match applicability(&Draft::from(a), form, row) {
        Applicability::Decided(applies, _) => Some(applies),
        Applicability::Open | Applicability::Unknown => None,
    }
}

/// `None`: unknown; `Some(None)`: known to have no status.
pub(super) fn status_of(a: &Draft, n: u32) -> Option<Option<Status>> {
    a.items.answer(n).map(|i| i.and_then(|i| i.status))
}

/// Whether `row` applies, as far as what was read decides it, and why.
fn applicability(a: &Draft, form: &FormSpec, row: &RowSpec) -> Applicability {
    let not_done = &form.items.status_values[1];
    match &row.applies {
        None => Applicability::Open,
        Some(Applies::AnyNotDone(rows)) => {
            let list = rows
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" か ");
            let why = || format!("行 {list} が「{not_done}」の場合に該当する行です");
            // One row read as 未実施 decides; "none is" needs every row read.
            let statuses: Vec<_> = rows.iter().map(|&r| status_of(a, r)).collect();
            if statuses.contains(&Some(Some(Status::NotDone))) {
                Applicability::Decided(true, why())
            } else if statuses.contains(&None) {
                Applicability::Unknown
            } else {
                Applicability::Decided(false, why())
            }
        }
        Some(Applies::Circumstance(c)) => match a.circumstances.get(c) {
            None => Applicability::Unknown,
            Some(None) => Applicability::Open,
            Some(Some(flag)) => Applicability::Decided(flag, answered(form, c, flag)),
        },
        // `true`: from the second check on; `false`: on the first check only.
        Some(Applies::PreviousCheck(wanted)) => match a.target.previous_check {
            None => Applicability::Unknown,
            Some(Some(_)) => Applicability::Decided(
                *wanted,
                format!(
                    "2回目以降の確認です（「{}」があります）",
                    previous_label(form)
                ),
            ),
            Some(None) => Applicability::Decided(
                !*wanted,
                format!("初回の確認です（「{}」が空欄です）", previous_label(form)),
            ),
        },
    }
}

/// Why a circumstance decides a row, in the words it is asked with: 「「甲から業務情報の廃棄を
/// 求められましたか」への回答が「いいえ」です」 (the JSON path is the problem's place).
fn answered(form: &FormSpec, name: &str, flag: bool) -> String {
    let question = labels::label(form, &format!("circumstances.{name}"))
        .unwrap_or_else(|| format!("circumstances.{name}"));
    let answer = if flag { YES_NO[0] } else { YES_NO[1] };
    format!("{question}への回答が「{answer}」です")
}

/// The form's name of `target.previous_check` (「(4) 前回確認実施年月日」).
fn previous_label(form: &FormSpec) -> String {
    labels::label(form, "target.previous_check").unwrap_or_else(|| "target.previous_check".into())
}

/// A row that applies is answered, one that does not is left blank, an open one is answered
/// unless optional. An unread row may be answered or not: nothing is said about it.
fn answered_as_it_applies(
    a: &Draft,
    form: &FormSpec,
    row: &RowSpec,
    applies: Applicability,
    problems: &mut Vec<Problem>,
) {
    let [done, not_done] = &form.items.status_values;
    let Some(item) = a.items.answer(row.number) else {
        return;
    };
    let path = format!("items.{}", row.number);
    let answered = item.is_some_and(|i| i.status.is_some() || !i.detail.trim().is_empty());
    match (applies, answered) {
        (Applicability::Decided(true, why), false) => problems.push(Problem::error(
            path,
            format!("この行は該当します（{why}）。「{done}」か「{not_done}」を記入してください"),
        )),
        (Applicability::Decided(false, why), true) => problems.push(Problem::error(
            path,
            format!("この行は該当しません（{why}）。空欄にしてください"),
        )),
        (Applicability::Open, false) if !row.optional => problems.push(Problem::error(
            path,
            format!("回答がありません。「{done}」か「{not_done}」を記入してください"),
        )),
        _ => {}
    }
}
