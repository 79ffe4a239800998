//! The overview as a table of text: the header and each entity's record, as the CSV and the
//! workbook both write them (the PDF lays out the same columns, `layout/summary.rs`).

use crate::model::summary::Line;
pub(crate) use crate::spec::summary::row_numbers;
use crate::spec::summary::wording;

/// The header: 区分, 事業者名, 確認年月日, 行1…, 未実施の数, 状態, 要確認の内容, 未実施の理由.
pub(crate) fn header(rows: &[u32]) -> Vec<String> {
    let w = wording();
    let mut header = w.table_titles(rows);
    header.extend([w.columns.problems.clone(), w.columns.reasons.clone()]);
    header
}

/// One entity's record, in the header's columns.
pub(crate) fn record(l: &Line, rows: &[u32]) -> Vec<String> {
    let w = wording();
    let mut record = w.table_cells(l, rows);
    record.push(
        l.problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    record.push(w.reason_lines(l).join("\n"));
    record
}
