//! The overview as a table of text: the header and each entity's record, as the CSV and the
//! workbook both write them (the PDF lays out the same columns, `layout/summary.rs`).

use crate::model::summary::Line;
pub(crate) use crate::spec::summary::row_numbers;
use crate::spec::summary::wording;

/// The header: 区分, 事業者名, 確認年月日, 行1…, 未実施の数, 状態, 要確認の内容, 未実施の理由.
pub(crate) fn header(rows: &[u32]) -> Vec<String> {
    let c = &wording().columns;
    let mut header = vec![c.kind.clone(), c.company.clone(), c.checked_on.clone()];
    header.extend(rows.iter().map(|n| c.row.replace("{n}", &n.to_string())));
    header.extend([
        c.not_done_count.clone(),
        c.state.clone(),
        c.problems.clone(),
        c.reasons.clone(),
    ]);
    header
}

/// One entity's record, in the header's columns.
pub(crate) fn record(l: &Line, rows: &[u32]) -> Vec<String> {
    let w = wording();
    let mut record = vec![
        w.kind(l).to_string(),
        l.company.clone(),
        l.checked_on.clone(),
    ];
    record.extend(rows.iter().map(|&n| w.mark(l, n).to_string()));
    record.push(l.not_done.len().to_string());
    record.push(w.state(l).to_string());
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
