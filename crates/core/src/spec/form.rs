//! The spec of a 別記様式: the wording, the rows with their ※ flags, the column widths, the font
//! sizes and the margins, read from `layouts/<name>/form.json`. A second variant of the form is a
//! new data file plus one line in the registry ([`super`]), not new layout code.

use std::sync::OnceLock;

use serde::Deserialize;

use super::FORMS;
use crate::error::Error;
use crate::geometry::{Align, Rect, MM};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormSpec {
    pub name: String,
    /// Where the wording comes from (for people reading the data file).
    pub source: String,
    /// When the form was issued: the date of a blank form's PDF (a fixed date keeps bytes stable).
    pub issued: chrono::NaiveDate,
    /// The PDF's document title.
    pub document_title: String,
    pub page: PageSpec,
    pub font_size: FontSizes,
    /// Baseline-to-baseline distance as a multiple of the font size.
    pub leading: f32,
    pub gap_mm: Gaps,
    pub title: String,
    pub target: TargetSpec,
    pub items: ItemsSpec,
    pub checked_on: Labelled,
    pub checker: CheckerSpec,
    pub closing_notes: Notes,
    /// secform's own plain questions for the page of `secform serve`, by circumstance name, for a
    /// circumstance whose rows carry no parenthesised condition to ask with. Never printed and not
    /// the form's wording; keys starting with `$` are comments.
    #[serde(default)]
    pub plain_questions: std::collections::BTreeMap<String, String>,
    /// secform's own heading over the circumstance questions where they are asked apart from the
    /// form (the workbook's block, and the name of `circumstances` in messages). Never printed.
    #[serde(default)]
    pub circumstances_heading: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    pub width_mm: f32,
    pub height_mm: f32,
    pub margin_mm: Margins,
}

impl PageSpec {
    /// Width and height in points.
    pub fn size(&self) -> (f32, f32) {
        (self.width_mm * MM, self.height_mm * MM)
    }

    /// The printable area inside the margins, in points.
    pub fn content(&self) -> Rect {
        let m = self.margin_mm;
        let (w, h) = self.size();
        Rect::new(
            m.left * MM,
            m.top * MM,
            w - (m.left + m.right) * MM,
            h - (m.top + m.bottom) * MM,
        )
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSizes {
    pub title: f32,
    pub heading: f32,
    pub body: f32,
    pub table: f32,
    pub note: f32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gaps {
    pub after_title: f32,
    pub between_sections: f32,
    pub after_heading: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    pub heading: String,
    pub indent_mm: f32,
    pub fields: Vec<TargetField>,
    /// Appended to a subcontractor's name in (1), as the form's 留意事項 requires.
    pub subcontractor_suffix: String,
    pub notes: Notes,
}

/// Which answer fills a line of 「1 確認対象者」.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKey {
    Company,
    Department,
    ContractStart,
    PreviousCheck,
}

impl TargetKey {
    /// The key as the answer set's `target` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKey::Company => "company",
            TargetKey::Department => "department",
            TargetKey::ContractStart => "contract_start",
            TargetKey::PreviousCheck => "previous_check",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetField {
    pub key: TargetKey,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemsSpec {
    pub heading: String,
    pub rule_width: f32,
    pub cell_padding_mm: f32,
    /// Printed in the status and detail cells of a row that applies only in some cases.
    pub optional_mark: String,
    /// Printed under the row number where a row split across pages goes on (「（続き）」), so that
    /// the reader of the next page knows which row the text belongs to. secform's own mark.
    pub continued_mark: String,
    /// On the blank form, rows are at least this many lines high: room to write by hand.
    pub blank_min_row_lines: usize,
    /// The two answers a row takes, done first: 「実施」「未実施」.
    pub status_values: [String; 2],
    pub columns: [Column; 4],
    pub rows: Vec<RowSpec>,
}

/// What a table column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKey {
    Number,
    Item,
    Status,
    Detail,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub key: ColumnKey,
    pub title: String,
    pub width_mm: f32,
    pub align: Align,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    pub number: u32,
    pub text: String,
    /// ※ on the official form: filled only when the row applies.
    pub optional: bool,
    /// When the row applies, as the parenthesised condition of its text says; `None`: always.
    #[serde(default)]
    pub applies: Option<Applies>,
    /// The row answers "less than a year since the previous check" (第7条第2項).
    #[serde(default)]
    pub one_year_rule: Option<OneYearRule>,
    /// How the row's condition was read, for people maintaining the data.
    #[serde(default, rename = "$comment")]
    pub comment: Option<String>,
}

/// The condition under which a conditional row applies.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Applies {
    /// When any of these rows is answered 未実施.
    AnyNotDone(Vec<u32>),
    /// When the answer set's `circumstances` says this fact holds. The names are the layout's own:
    /// the answer set may state exactly the facts its layout's rows name (see
    /// [`FormSpec::circumstances`]).
    Circumstance(String),
    /// From the second check on: when `previous_check` is given.
    PreviousCheck(bool),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneYearRule {
    /// The detail written for `"status": "auto"` within the year; `{previous}` and `{interval}`
    /// are filled in.
    pub auto_detail: String,
    /// The detail written for `"status": "auto"` once the year has passed (the row is 未実施, and
    /// its reason says why), filled in as `auto_detail` is. secform's own words, not the form's.
    pub passed_detail: String,
    /// What choosing the automatic status does, said where it is chosen (the workbook's drop-down
    /// of the row). secform's own words, not the form's.
    #[serde(default)]
    pub auto_help: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    pub label: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckerSpec {
    pub label: String,
    /// Between 事業者名, 所属, 役職 and 氏名 on the 確認者 line.
    pub separator: String,
    pub seal_mark: String,
    /// What a screen reader says for the seal image (the tagged PDF's alternate text).
    pub seal_alt: String,
    /// The square at the right end of the 確認者 line that holds 印 (and a seal image).
    pub seal_box_mm: f32,
}

impl FormSpec {
    /// The compiled-in layout called `name`.
    pub fn get(name: &str) -> Result<&'static FormSpec, Error> {
        static PARSED: OnceLock<Vec<FormSpec>> = OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            FORMS
                .iter()
                .map(|s| {
                    // Compiled-in data, covered by tests: a parse failure is a build defect.
                    serde_json::from_str(s.form)
                        .unwrap_or_else(|e| panic!("layouts/{}/form.json: {e}", s.name))
                })
                .collect()
        });
        parsed
            .iter()
            .find(|l| l.name == name)
            .ok_or_else(|| super::unknown(name))
    }

    /// The row numbered `number`.
    pub fn row(&self, number: u32) -> Option<&RowSpec> {
        self.items.rows.iter().find(|r| r.number == number)
    }

    /// The facts an answer set's `circumstances` may state: every name a row's `applies` uses, in
    /// the order of the rows. Taken from the rows rather than listed apart, so that the data file
    /// is the one place a variant of the form names them.
    pub fn circumstances(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for row in &self.items.rows {
            if let Some(Applies::Circumstance(name)) = &row.applies {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compiled_in_layout_parses_and_fits_its_page() {
        for name in super::super::names() {
            let l = FormSpec::get(name).unwrap();
            assert_eq!(l.name, name);
            let widths: f32 = l.items.columns.iter().map(|c| c.width_mm).sum();
            let text_width = l.page.width_mm - l.page.margin_mm.left - l.page.margin_mm.right;
            assert!(
                (widths - text_width).abs() < crate::geometry::TOLERANCE,
                "{name}: columns {widths} ≠ {text_width}"
            );
            let numbers: Vec<u32> = l.items.rows.iter().map(|r| r.number).collect();
            assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
            // Circumstance names become JSON keys and paths in messages, which are ASCII.
            for name in l.circumstances() {
                assert!(
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{name}: circumstance names are snake_case ASCII"
                );
            }
        }
        assert!(FormSpec::get("nope").is_err());
    }
}
