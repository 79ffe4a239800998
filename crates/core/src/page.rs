//! What the form's page needs, in whichever host it runs (`secform serve`, or the engine compiled
//! to WebAssembly in a browser tab): the layout file with the circumstance questions and column
//! labels worked out from its data, what a change shows (problems, SVG pages, the 和暦 of the
//! dates being typed), the download's name and the answers of an opened file. Here once, so that
//! the page's code holds no wording, no calendar and no reader of its own, and both hosts answer
//! the page alike.

use std::path::Path;

use serde_json::{json, Value};

use crate::clauses::{self, ClauseError, ClauseFormat, Parties};
use crate::error::ReadError;
use crate::input::file::AnswerFile;
use crate::model::wareki::{self, DateStyle};
use crate::spec::form::{ColumnKey, FormSpec};
use crate::{Assessment, Error, Renderer};

pub use crate::spec::questions::{questions, Question};

/// The title of the table column `key` (「実施状況(詳細)又は未実施の理由」 for the detail).
fn column_title(form: &FormSpec, key: ColumnKey) -> &str {
    form.items
        .columns
        .iter()
        .find(|c| c.key == key)
        .map_or("", |c| c.title.as_str())
}

/// The layout file as written, with `serve`: the circumstance questions, the labels of the
/// status and detail controls, the seal's size limit, and `open_max_bytes`, the largest file
/// 開く takes on this host (at most [`crate::input::ANSWER_FILE_MAX`]; secform serve's request
/// body limit is lower).
pub fn layout_json(source: &str, form: &FormSpec, open_max_bytes: u64) -> Value {
    let mut v: Value = serde_json::from_str(source).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert(
            "serve".into(),
            json!({
                "circumstances": questions(form).into_iter().flatten().collect::<Vec<_>>(),
                "status_label": column_title(form, ColumnKey::Status),
                "detail_label": column_title(form, ColumnKey::Detail),
                // The seal's limits, for the page to say and to scale a photo down within them:
                // a larger image would be refused.
                "seal_max_bytes": crate::model::seal::MAX_BYTES,
                "seal_max_side_px": crate::model::seal::MAX_SIDE_PX,
                "seal_print_side_px": crate::model::seal::PRINT_SIDE_PX,
                "open_max_bytes": open_max_bytes.min(crate::input::ANSWER_FILE_MAX),
            }),
        );
    }
    v
}

/// `target.company` of `answers` (JSON text), or "" (the page names files by it).
pub fn company_of(answers: &str) -> String {
    serde_json::from_str::<Value>(answers)
        .ok()
        .and_then(|v| v.get("target")?.get("company")?.as_str().map(String::from))
        .unwrap_or_default()
}

/// The PDF's file name for the download: 「確認書_株式会社〇〇_令和8年4月10日.pdf」, the company and
/// the date of the check (`checked_on`) as the PDF writes it (和暦 unless `dates` is western),
/// each left out when not given; characters no file name may hold become 「_」.
pub fn download_name(answers: &str) -> String {
    let value: Value = serde_json::from_str(answers).unwrap_or(Value::Null);
    let company: String = value
        .get("target")
        .and_then(|t| t.get("company"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(60)
        .collect();
    let style = match value.get("dates").and_then(Value::as_str) {
        Some("western") => DateStyle::Western,
        _ => DateStyle::Wareki,
    };
    let date = value
        .get("checked_on")
        .and_then(Value::as_str)
        .and_then(|d| wareki::parse_date(d).ok())
        .map(|d| wareki::format_date(d, style));
    let mut name = String::from("確認書");
    for part in [Some(company.trim().to_string()), date]
        .into_iter()
        .flatten()
    {
        if !part.is_empty() {
            name.push('_');
            name.push_str(&part);
        }
    }
    name.push_str(".pdf");
    name
}

/// The answer paths the page shows as date inputs, and so with their 和暦 beside them.
pub const DATE_PATHS: [&str; 3] = [
    "target.contract_start",
    "target.previous_check",
    "checked_on",
];

/// The 和暦 of every date in `value` (the answers as the assessment parsed them) that reads as one, by path, written as the
/// PDF writes it (令和8年4月10日, 元年 for the first year).
pub fn wareki_of(value: &Value) -> serde_json::Map<String, Value> {
    DATE_PATHS
        .iter()
        .filter_map(|path| {
            let s = path.split('.').try_fold(value, |v, k| v.get(k))?.as_str()?;
            let d = wareki::parse_date(s).ok()?;
            Some((
                path.to_string(),
                Value::String(wareki::format_date(d, DateStyle::Wareki)),
            ))
        })
        .collect()
}

/// What the page shows after a change: the problems and, when there are no errors, the pages
/// (SVG, painted from the same layout as the PDF), their count and the 和暦 beside the dates.
pub fn preview(assessed: &Assessment<'_>) -> Value {
    let pages = assessed.svg_pages().ok();
    json!({
        "problems": assessed.problems(),
        "count": pages.as_ref().map(Vec::len),
        "pages": pages,
        "wareki": wareki_of(assessed.value().unwrap_or(&Value::Null)),
    })
}

/// The answers of a file as the page is given them, with what its reader said beside them (a
/// received PDF's seal path dropped), each a line for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub text: String,
    pub warnings: Vec<String>,
}

/// The answers in `bytes` (JSON, a secform workbook or a secform PDF, by content; `name` tells a
/// workbook's name) as JSON text, as `check` and `render` read them; a file's own errors (a
/// formula in an answer cell) refuse it, with the cell.
pub fn opened(name: &Path, bytes: Vec<u8>) -> Result<Opened, ReadError> {
    let file = AnswerFile::from_bytes(Some(name), bytes)?;
    let warnings = file
        .problems
        .iter()
        .filter(|p| !p.is_error())
        .map(ToString::to_string)
        .collect();
    if file.cells.is_empty() && !file.problems.iter().any(|p| p.is_error()) {
        // JSON (or a PDF's attached JSON): the text as written, `$comment`s and all.
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&file.json) {
            return Err(ReadError::NotJson {
                line: e.line(),
                column: e.column(),
            });
        }
        return Ok(Opened {
            text: file.json,
            warnings,
        });
    }
    let value = file.value().map_err(ReadError::Invalid)?;
    // `{:#}`: the pretty JSON of `to_string_pretty`, without a failure a `Value` cannot have.
    Ok(Opened {
        text: format!("{value:#}"),
        warnings,
    })
}

/// The clause variants the page offers, each with its title, the parties its text names and
/// whether the 別記様式 comes with it.
pub fn clause_variants() -> Result<Value, Error> {
    let variants = clauses::variant_names()
        .into_iter()
        .map(|name| {
            let v = clauses::variant(name)?;
            Ok(json!({
                "name": v.name,
                "title": v.title,
                "first": v.default_parties.first,
                "second": v.default_parties.second,
                "has_form": v.has_form,
            }))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Value::Array(variants))
}

/// The clauses the page asks for: `secform clauses --variant V --parties FIRST,SECOND --format F
/// [--with-form]`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ClauseChoice {
    pub variant: String,
    pub first: String,
    pub second: String,
    pub format: String,
    #[serde(default)]
    pub with_form: bool,
}

/// The clauses of `choice` as the command writes them, with their media type. The parties are
/// read as `--parties` reads them (a comma in a name is refused there, and so here); the form
/// comes with the PDF only.
pub fn clauses(
    renderer: &Renderer,
    choice: &ClauseChoice,
) -> Result<(Vec<u8>, &'static str), Error> {
    let variant = clauses::variant(&choice.variant)?;
    let format: ClauseFormat = choice.format.parse()?;
    let parties = Parties::parse(&format!("{},{}", choice.first, choice.second))
        .map_err(ClauseError::from)?;
    let with_form = choice.with_form && format == ClauseFormat::Pdf;
    let bytes = renderer.clauses_file(&variant, &parties, None, format, with_form)?;
    let mime = match format {
        ClauseFormat::Pdf => "application/pdf",
        ClauseFormat::Docx => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        ClauseFormat::Txt => "text/plain; charset=utf-8",
        ClauseFormat::Md => "text/markdown; charset=utf-8",
    };
    Ok((bytes, mime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_named_after_company_and_date() {
        assert_eq!(
            download_name(r#"{"target": {"company": "株式会社〇〇"}, "checked_on": "2026-04-10"}"#),
            "確認書_株式会社〇〇_令和8年4月10日.pdf"
        );
        assert_eq!(
            download_name(
                r#"{"target": {"company": "A/B:C"}, "checked_on": "2019-05-01", "dates": "western"}"#
            ),
            format!(
                "確認書_A_B_C_{}.pdf",
                wareki::format_date(
                    chrono::NaiveDate::from_ymd_opt(2019, 5, 1).unwrap(),
                    DateStyle::Western
                )
            )
        );
        assert_eq!(download_name("{}"), "確認書.pdf");
        assert_eq!(download_name("not json"), "確認書.pdf");
    }

    #[test]
    fn wareki_beside_the_dates() {
        let w = wareki_of(&serde_json::json!({
            "target": {"contract_start": "2019-05-01", "previous_check": "R7.4.1"},
            "checked_on": "2026-13-01"
        }));
        assert_eq!(w["target.contract_start"], "令和元年5月1日");
        assert_eq!(w["target.previous_check"], "令和7年4月1日");
        assert!(!w.contains_key("checked_on"));
        assert!(wareki_of(&Value::Null).is_empty());
    }
}
