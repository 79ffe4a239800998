//! The clauses' spec: each variant's metadata and template (`layouts/<variant>/clauses.json`,
//! `clauses.hbs`) and the page they are set on (`layouts/clauses-page.json`).

use std::sync::OnceLock;

use serde::Deserialize;

use super::{CLAUSES, CLAUSE_PAGE};
use crate::error::{ClauseError, Error};
use crate::model::parties::Parties;
use crate::spec::form::PageSpec;

/// The names of all clause variants, sorted.
pub fn variant_names() -> Vec<&'static str> {
    let mut names: Vec<_> = CLAUSES.iter().map(|s| s.name).collect();
    names.sort_unstable();
    names
}

/// One set of clauses with its metadata.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: &'static str,
    pub title: String,
    /// The labels the source text itself uses (甲/乙, 委託者/受託者).
    pub default_parties: Parties,
    /// Whether the variant comes with the 別記様式 checklist form.
    pub has_form: bool,
    /// Where the wording comes from, for people checking it against the original.
    pub source: String,
    /// The date written into the PDF's metadata: fixed, so the same options give the same bytes.
    pub document_date: chrono::NaiveDate,
    pub(crate) template: &'static str,
}

/// The on-disk shape of `clauses.json`; unknown fields are refused so that a typo such as
/// `has_from` cannot silently fall back to a default.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    name: String,
    title: String,
    default_parties: [String; 2],
    has_form: bool,
    source: String,
    document_date: chrono::NaiveDate,
}

/// Looks a variant up by name.
pub fn variant(name: &str) -> Result<Variant, ClauseError> {
    let src =
        CLAUSES
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| ClauseError::UnknownVariant {
                name: name.to_owned(),
                known: variant_names().join(", "),
            })?;
    let bad = |reason: String| ClauseError::Metadata {
        variant: src.name,
        reason,
    };
    let meta: Meta = serde_json::from_str(src.meta).map_err(|e| bad(e.to_string()))?;
    if meta.name != src.name {
        return Err(bad(format!("name が {} になっています", meta.name)));
    }
    let [first, second] = meta.default_parties;
    let default_parties = Parties { first, second };
    default_parties.validate().map_err(|e| bad(e.to_string()))?;
    Ok(Variant {
        name: src.name,
        title: meta.title,
        default_parties,
        has_form: meta.has_form,
        source: meta.source,
        document_date: meta.document_date,
        template: src.template,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageStyle {
    pub(crate) page: PageSpec,
    pub(crate) font_size: Sizes,
    pub(crate) leading: f32,
    pub(crate) gap_mm: Gaps,
    pub(crate) indent_em: Indents,
    pub(crate) footer: Footer,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Sizes {
    pub(crate) title: f32,
    pub(crate) caption: f32,
    pub(crate) body: f32,
    pub(crate) footer: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Gaps {
    pub(crate) after_title: f32,
    pub(crate) before_caption: f32,
}

/// First-line and following-line indents, in em of the body size.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Indents {
    pub(crate) caption: [f32; 2],
    pub(crate) article: [f32; 2],
    pub(crate) paragraph: [f32; 2],
    pub(crate) item: [f32; 2],
    pub(crate) text: [f32; 2],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Footer {
    /// `{page}` is replaced by the page number.
    pub(crate) text: String,
    pub(crate) offset_mm: f32,
}

/// The clauses' page, parsed once.
pub(crate) fn page_style() -> Result<&'static PageStyle, Error> {
    static PARSED: OnceLock<Result<PageStyle, serde_json::Error>> = OnceLock::new();
    PARSED
        .get_or_init(|| serde_json::from_str(CLAUSE_PAGE))
        .as_ref()
        .map_err(|e| Error::BadLayoutData {
            file: "layouts/clauses-page.json".into(),
            reason: e.to_string(),
        })
}
