//! The spec of `secform summary`'s overview (`layouts/summary.json`): its own wording (secform's,
//! not an official form's) and the page its PDF is set on: sizes, margins and column widths.

use std::sync::OnceLock;

use serde::Deserialize;

use super::{FormSpec, DEFAULT_LAYOUT, SUMMARY};
use crate::error::Error;
use crate::model::summary::{Line, Mark};
use crate::spec::form::PageSpec;

/// The summary's own wording, and its page.
#[derive(Debug, Deserialize)]
pub struct Wording {
    pub title: String,
    /// The PDF's title under [`Wording::title`]: `{company}` is the 元請 as printed.
    pub contractor_line: String,
    /// The PDF's metadata title: `{title}` and `{company}` are filled in.
    pub document_title: String,
    /// What the marks mean, printed above the table.
    pub legend: String,
    pub columns: Columns,
    pub kinds: Kinds,
    pub marks: Marks,
    pub needs_review: String,
    /// `{n}`, `{text}` and `{reason}` are filled in.
    pub reason_line: String,
    /// Drawn in the PDF for a character no font has (a problem may name just such a character).
    pub missing_glyph: String,
    pub page: PageStyle,
}

impl Wording {
    /// 元請 or 下請負者等.
    pub fn kind(&self, l: &Line) -> &str {
        if l.subcontractor {
            &self.kinds.subcontractor
        } else {
            &self.kinds.contractor
        }
    }

    /// Row `n`'s mark as printed.
    pub fn mark(&self, l: &Line, n: u32) -> &str {
        match l.marks.iter().find(|(m, _)| *m == n).map(|(_, m)| *m) {
            Some(Mark::Done) => &self.marks.done,
            Some(Mark::NotDone) => &self.marks.not_done,
            Some(Mark::NotApplicable) => &self.marks.not_applicable,
            Some(Mark::Unanswered) | None => &self.marks.unanswered,
        }
    }

    /// 要確認, or nothing.
    pub fn state(&self, l: &Line) -> &str {
        if l.needs_review() {
            &self.needs_review
        } else {
            ""
        }
    }

    /// The titles of the table's columns, 区分 to 状態: the PDF's, which the CSV and the workbook
    /// follow with 要確認の内容 and 未実施の理由.
    pub fn table_titles(&self, rows: &[u32]) -> Vec<String> {
        let c = &self.columns;
        let mut titles = vec![c.kind.clone(), c.company.clone(), c.checked_on.clone()];
        titles.extend(rows.iter().map(|n| c.row.replace("{n}", &n.to_string())));
        titles.extend([c.not_done_count.clone(), c.state.clone()]);
        titles
    }

    /// One entity's cells in the columns of [`Wording::table_titles`].
    pub fn table_cells(&self, l: &Line, rows: &[u32]) -> Vec<String> {
        let mut cells = vec![
            self.kind(l).to_string(),
            l.company.clone(),
            l.checked_on.clone(),
        ];
        cells.extend(rows.iter().map(|&n| self.mark(l, n).to_string()));
        cells.extend([l.not_done.len().to_string(), self.state(l).to_string()]);
        cells
    }

    /// Each 未実施 row as 「行N（text）: reason」.
    pub fn reason_lines(&self, l: &Line) -> Vec<String> {
        l.not_done
            .iter()
            .map(|d| {
                self.reason_line
                    .replace("{n}", &d.row.to_string())
                    .replace("{text}", &d.text)
                    .replace("{reason}", &d.reason)
            })
            .collect()
    }
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

/// The PDF's page: every measure of the summary's layout.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageStyle {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub size: PageSpec,
    pub font_size: FontSizes,
    pub leading: f32,
    pub cell_padding_mm: f32,
    pub rule_width: f32,
    pub gap_mm: Gaps,
    pub column_width_mm: ColumnWidths,
    /// Indent of an entity's lines under its name in the notes below the table, in em.
    pub note_indent_em: f32,
    pub footer: Footer,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSizes {
    pub title: f32,
    pub subtitle: f32,
    pub table: f32,
    pub heading: f32,
    pub note: f32,
    pub footer: f32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gaps {
    pub after_title: f32,
    pub after_legend: f32,
    pub after_table: f32,
    pub after_heading: f32,
    pub between_entities: f32,
}

/// The table's columns: 区分, 事業者名, 確認年月日, each of the form's rows, 未実施の数, 状態.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnWidths {
    pub kind: f32,
    pub company: f32,
    pub checked_on: f32,
    pub row: f32,
    pub not_done_count: f32,
    pub state: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// `{page}` and `{pages}` are filled in.
    pub text: String,
    /// From the bottom of the text area to the footer's baseline box.
    pub offset_mm: f32,
}

/// The wording compiled in from `layouts/summary.json`.
pub fn wording() -> &'static Wording {
    static PARSED: OnceLock<Wording> = OnceLock::new();
    PARSED.get_or_init(|| {
        // Compiled-in data, covered by tests: a parse failure is a build defect.
        serde_json::from_str(SUMMARY).unwrap_or_else(|e| panic!("layouts/summary.json: {e}"))
    })
}

/// The form's row numbers: those of the first line (every line has its form's rows), else the
/// default layout's.
pub fn row_numbers(lines: &[Line]) -> Result<Vec<u32>, Error> {
    Ok(match lines.first() {
        Some(l) => l.marks.iter().map(|(n, _)| *n).collect(),
        None => FormSpec::get(DEFAULT_LAYOUT)?
            .items
            .rows
            .iter()
            .map(|r| r.number)
            .collect(),
    })
}
