//! The tab's calls in plain Rust (the `#[wasm_bindgen]` wrappers in `lib.rs` only convert), so
//! that they are tested natively. Each is the same library call `secform serve`'s API makes
//! (`src/serve/api.rs`), over one [`Renderer`] made on the first call.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use secform_core::error::{ReadError, Visible, WriteError};
use secform_core::model::seal::SealFiles;
use secform_core::{page, spec, CheckOptions, Error, FontSet, Problem, Renderer};
use serde_json::json;

/// Why a call gives no answer; its text is what the page shows.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Engine(#[from] Error),
    /// The tab's date did not come as `YYYY-MM-DD` (the page's own fault, never the user's).
    #[error("今日の日付を読めません（{0}）")]
    Today(String),
    #[error("{name} は開けません: {source}")]
    Open {
        name: String,
        #[source]
        source: ReadError,
    },
    #[error("Excel ブックを作れません: {0}")]
    Workbook(#[from] WriteError),
    #[error("エラーが {0} 件あるため PDF を作れません")]
    Invalid(usize),
}

/// The one renderer of the tab: the bundled font parsed once.
fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(FontSet::bundled()))
}

/// A seal image named by path (`seal.image`): a browser tab reads no file by its path, so the
/// user is told, in the page's words, to choose the image in the page, which puts it into the
/// answers (`seal.data`).
struct ChooseInPage;

impl SealFiles for ChooseInPage {
    fn read(&self, path: &str) -> Result<Vec<u8>, Problem> {
        Err(Problem::error(
            "seal.image",
            format!(
                "印影の画像ファイル {} はブラウザからは読めません。「印影の画像」でその画像を選んでください（選んだ画像は回答の中に入ります）",
                Visible(path)
            ),
        ))
    }
}

/// The options `check` uses, on the tab's date.
fn options(today: &str) -> Result<CheckOptions, CallError> {
    let today = NaiveDate::parse_from_str(today, "%Y-%m-%d")
        .map_err(|_| CallError::Today(Visible(today).to_string()))?;
    let mut options = CheckOptions::new(today);
    options.seal_files = Arc::new(ChooseInPage);
    Ok(options)
}

pub fn layout() -> Result<String, CallError> {
    let name = spec::DEFAULT_LAYOUT;
    let form = spec::FormSpec::get(name)?;
    let source = spec::form_source(name)?;
    Ok(page::layout_json(source, form, secform_core::input::ANSWER_FILE_MAX).to_string())
}

pub fn starter(subcontractor: bool) -> Result<String, CallError> {
    Ok(secform_core::starter_json(
        spec::DEFAULT_LAYOUT,
        subcontractor,
    )?)
}

pub fn preview(answers: &str, today: &str) -> Result<String, CallError> {
    let assessed = renderer().assess_json(answers, &options(today)?);
    Ok(page::preview(&assessed).to_string())
}

pub fn pdf(answers: &str, today: &str) -> Result<Vec<u8>, CallError> {
    match renderer().render_json(answers, &options(today)?) {
        Ok(bytes) => Ok(bytes),
        Err(Error::Invalid(problems)) => Err(CallError::Invalid(problems.len())),
        Err(e) => Err(e.into()),
    }
}

pub fn open(name: &str, bytes: Vec<u8>) -> Result<String, CallError> {
    let opened = page::opened(Path::new(name), bytes).map_err(|source| CallError::Open {
        name: Visible(name).to_string(),
        source,
    })?;
    Ok(json!({ "text": opened.text, "warnings": opened.warnings }).to_string())
}

pub fn workbook(answers: &str) -> Result<Vec<u8>, CallError> {
    Ok(secform_core::export::workbook::json_to_xlsx(answers)?)
}

pub fn blank() -> Result<Vec<u8>, CallError> {
    Ok(renderer().render_blank(spec::DEFAULT_LAYOUT)?.bytes)
}

pub fn clause_variants() -> Result<String, CallError> {
    Ok(page::clause_variants()?.to_string())
}

pub fn clauses(
    variant: &str,
    first: &str,
    second: &str,
    format: &str,
    with_form: bool,
) -> Result<Vec<u8>, CallError> {
    let choice = page::ClauseChoice {
        variant: variant.into(),
        first: first.into(),
        second: second.into(),
        format: format.into(),
        with_form,
    };
    Ok(page::clauses(renderer(), &choice)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../samples/main-contractor.json");

    #[test]
    fn a_seal_named_by_path_is_chosen_in_the_page() {
        let mut answers: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        answers["seal"] = json!({ "image": "seal.png" });
        let v: serde_json::Value =
            serde_json::from_str(&preview(&answers.to_string(), "2026-12-07").unwrap()).unwrap();
        let seal: Vec<&serde_json::Value> = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["path"] == "seal.image")
            .collect();
        assert_eq!(seal.len(), 1, "{v}");
        assert_eq!(seal[0]["severity"], "error");
        assert!(seal[0]["message"]
            .as_str()
            .unwrap()
            .contains("seal.png はブラウザからは読めません。「印影の画像」で"));
    }

    #[test]
    fn the_pdf_is_renders() {
        let today = "2026-12-07";
        let mine = pdf(SAMPLE, today).unwrap();
        let options = CheckOptions::new(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        let theirs = Renderer::new(FontSet::bundled())
            .render_json(SAMPLE, &options)
            .unwrap();
        assert_eq!(mine, theirs);
    }

    #[test]
    fn a_preview_has_pages_or_problems() {
        let v: serde_json::Value =
            serde_json::from_str(&preview(SAMPLE, "2026-12-07").unwrap()).unwrap();
        let pages = v["pages"].as_array().unwrap();
        assert_eq!(v["count"], pages.len());
        assert_eq!(pages.len(), 2, "the sample's two pages");
        assert!(pages
            .iter()
            .all(|p| p.as_str().unwrap().starts_with("<svg")));
        assert_eq!(v["wareki"]["checked_on"], "令和8年4月10日");
        let v: serde_json::Value =
            serde_json::from_str(&preview("{", "2026-12-07").unwrap()).unwrap();
        assert!(v["pages"].is_null());
        assert_eq!(v["problems"][0]["severity"], "error");
    }

    #[test]
    fn refusals_are_said_in_japanese() {
        let e = pdf("{}", "2026-12-07").unwrap_err().to_string();
        assert!(
            e.starts_with("エラーが ") && e.ends_with("件あるため PDF を作れません"),
            "{e}"
        );
        let e = open("x.json", b"\xff\xfe\x00".to_vec())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("x.json は開けません: "), "{e}");
        assert!(preview(SAMPLE, "7 Dec")
            .unwrap_err()
            .to_string()
            .contains("今日の日付"));
        let e = clauses("npa-2022", "甲,丙", "乙", "txt", false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("当事者名は2つだけです（3つに分かれました）"),
            "{e}"
        );
    }

    use secform_core::clauses::{self, Parties};

    #[test]
    fn the_clauses_are_the_commands() {
        let txt =
            String::from_utf8(clauses("itaku-14", "甲", "乙", "txt", false).unwrap()).unwrap();
        let variant = clauses::variant("itaku-14").unwrap();
        let blocks = clauses::render_blocks(&variant, &Parties::parse("甲,乙").unwrap()).unwrap();
        assert_eq!(txt, clauses::to_txt(&blocks));
        let docx = clauses("npa-2022", "委託者", "受託者", "docx", false).unwrap();
        assert!(docx.starts_with(b"PK"));
    }

    #[test]
    fn an_opened_workbook_gives_its_answers() {
        let xlsx = workbook(SAMPLE).unwrap();
        let v: serde_json::Value = serde_json::from_str(&open("a.xlsx", xlsx).unwrap()).unwrap();
        let text: serde_json::Value = serde_json::from_str(v["text"].as_str().unwrap()).unwrap();
        let sample: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(text["target"], sample["target"]);
    }
}
