//! `secform summary`: one overview of the contractor and its subcontractors, for the report to 甲
//! (特約条項 第7条第4項): a line per entity, 元請 first, then the 下請負者等 in input order, with
//! every row as 実施 / 未実施 / not applicable / not answered and every 未実施 with its reason.
//!
//! The table is secform's own (its wording is in `layouts/summary.json`), not an official form.
//! Only the lines are kept, never the answer sets, so a long batch is read in one pass. The lines
//! are written as CSV ([`to_csv`]), as a workbook ([`to_xlsx`]) or, laid out by
//! `layout/summary.rs`, as PDF ([`Renderer::summary_pdf`]).

mod csv;
mod table;
mod xlsx;

use serde_json::Value;

pub use self::csv::to_csv;
use crate::error::{Error, Problem};
use crate::input::place::CellMap;
use crate::rules::CheckOptions;
use crate::spec::{FormSpec, DEFAULT_LAYOUT};
use crate::Renderer;
pub use xlsx::to_xlsx;

pub use crate::model::summary::{Line, Mark, NotDone};
pub use crate::spec::summary::{wording, Wording};

/// The line of one entity, from its JSON (or why it could not be read; `label` names it then).
pub fn line(
    renderer: &Renderer,
    value: Result<Value, Vec<Problem>>,
    label: Option<&str>,
    opts: &CheckOptions,
) -> Line {
    match value {
        Ok(value) => renderer
            .assess_value(value, CellMap::default(), Vec::new(), opts)
            .summary_line(label),
        Err(problems) => crate::assessment::unread_line(problems, None, label),
    }
}

/// The 元請 of `lines` when there is more than one (their names as printed, in input order): one
/// overview is of one contract's 元請 and its 下請負者等, so two or more mean a 下請負者等 whose
/// flag is missing (a workbook's empty 下請負者等 cell), or sets of two contracts read together.
pub fn extra_contractors(lines: &[Line]) -> Vec<&str> {
    let contractors: Vec<&str> = lines
        .iter()
        .filter(|l| !l.subcontractor)
        .map(|l| l.company.as_str())
        .collect();
    if contractors.len() > 1 {
        contractors
    } else {
        Vec::new()
    }
}

/// 元請 first, then the 下請負者等, each in input order.
pub fn ordered(mut lines: Vec<Line>) -> Vec<Line> {
    lines.sort_by_key(|l| l.subcontractor);
    lines
}

/// What the overview is written as, by the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    /// The format `path` asks for by its extension (`.csv`, `.xlsx`, `.pdf`, any case).
    pub fn of(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// The overview of `lines` (as [`ordered`] gives them) as `format`'s bytes.
pub fn write(renderer: &Renderer, lines: &[Line], format: Format) -> Result<Vec<u8>, Error> {
    match format {
        Format::Csv => to_csv(lines),
        Format::Xlsx => {
            let date = crate::model::summary::latest_date(lines)
                .map_or_else(|| FormSpec::get(DEFAULT_LAYOUT).map(|f| f.issued), Ok)?;
            to_xlsx(lines, date)
        }
        Format::Pdf => renderer.summary_pdf(lines),
    }
}
