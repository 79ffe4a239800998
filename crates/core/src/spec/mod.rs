//! The compiled-in layouts (`layouts/`): one registry of every data file the binary carries, each
//! parsed once on first use. The form's spec, the clauses' spec and the workbook's cells are read
//! from here; nothing else includes a file of `layouts/`.
//!
//! "Layout" in the data (`layouts/npa-2022`, an answer set's `"layout"`, `--layout`) is the name
//! of such a set of files; in code its parsed form is a spec ([`form::FormSpec`]), and laying out
//! is the `layout` stage's job.

pub mod clauses;
pub mod form;
pub mod labels;
pub mod questions;
pub mod summary;
pub mod workbook;

use crate::error::Error;
pub use form::FormSpec;

/// A compiled-in form: its spec and the starter answer sets `secform init` prints.
pub(crate) struct FormSource {
    pub(crate) name: &'static str,
    pub(crate) form: &'static str,
    starter: &'static str,
    starter_subcontractor: &'static str,
    /// The example details older starters wrote as answers (`examples.json`).
    examples: &'static str,
}

/// The compiled-in forms.
pub(crate) const FORMS: &[FormSource] = &[FormSource {
    name: "npa-2022",
    form: include_str!("../../../../layouts/npa-2022/form.json"),
    starter: include_str!("../../../../layouts/npa-2022/starter.json"),
    starter_subcontractor: include_str!("../../../../layouts/npa-2022/starter-subcontractor.json"),
    examples: include_str!("../../../../layouts/npa-2022/examples.json"),
}];

/// The compiled-in data of one clause variant. Listed by name order, so that lists in messages
/// and [`clauses::variant_names`] are stable.
pub(crate) struct ClauseSource {
    pub(crate) name: &'static str,
    pub(crate) meta: &'static str,
    pub(crate) template: &'static str,
}

pub(crate) const CLAUSES: &[ClauseSource] = &[
    ClauseSource {
        name: "itaku-14",
        meta: include_str!("../../../../layouts/itaku-14/clauses.json"),
        template: include_str!("../../../../layouts/itaku-14/clauses.hbs"),
    },
    ClauseSource {
        name: "npa-2022",
        meta: include_str!("../../../../layouts/npa-2022/clauses.json"),
        template: include_str!("../../../../layouts/npa-2022/clauses.hbs"),
    },
];

/// The page of the clauses: sizes, margins, indents, footer.
pub(crate) const CLAUSE_PAGE: &str = include_str!("../../../../layouts/clauses-page.json");

/// The wording of `secform summary`'s own overview (not an official form's).
pub(crate) const SUMMARY: &str = include_str!("../../../../layouts/summary.json");

/// The layout used when an answer set names none.
pub const DEFAULT_LAYOUT: &str = "npa-2022";

/// The names of the compiled-in form layouts.
pub fn names() -> Vec<&'static str> {
    FORMS.iter().map(|s| s.name).collect()
}

/// The starter answer set of layout `name` (`secform init`), as JSON text.
pub fn starter(name: &str, subcontractor: bool) -> Result<&'static str, Error> {
    let source = FORMS.iter().find(|s| s.name == name);
    match source {
        Some(s) if subcontractor => Ok(s.starter_subcontractor),
        Some(s) => Ok(s.starter),
        None => Err(FormSpec::get(name).err().unwrap_or_else(|| unknown(name))),
    }
}

/// Example texts by row number.
pub type ExampleDetails = std::collections::BTreeMap<u32, Vec<String>>;

/// The example details of layout `name` by row (`layouts/NAME/examples.json`): texts older
/// starters wrote as answers, which `check` warns about when a detail still equals one. Empty for
/// a layout without the file or when it cannot be read (the warning is advice, never a refusal).
pub fn example_details(name: &str) -> &'static ExampleDetails {
    use std::collections::BTreeMap;
    use std::sync::OnceLock;
    static PARSED: OnceLock<Vec<(&'static str, ExampleDetails)>> = OnceLock::new();
    static EMPTY: ExampleDetails = BTreeMap::new();
    #[derive(serde::Deserialize)]
    struct Examples {
        details: ExampleDetails,
    }
    let parsed = PARSED.get_or_init(|| {
        FORMS
            .iter()
            .map(|s| {
                let details = serde_json::from_str::<Examples>(s.examples)
                    .map(|e| e.details)
                    .unwrap_or_default();
                (s.name, details)
            })
            .collect()
    });
    parsed
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&EMPTY, |(_, d)| d)
}

/// The layout data of `name` as written in `layouts/NAME/form.json`: the browser form of
/// `secform serve` builds its rows, labels and circumstances from it.
pub fn form_source(name: &str) -> Result<&'static str, Error> {
    FORMS
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.form)
        .ok_or_else(|| unknown(name))
}

/// The error for a layout name the registry does not hold.
pub(crate) fn unknown(name: &str) -> Error {
    Error::UnknownLayout {
        name: name.to_owned(),
        known: names().join(", "),
    }
}

#[cfg(test)]
mod tests {
    /// The examples file parses (a broken one would silently warn about nothing).
    #[test]
    fn example_details_are_read() {
        let examples = super::example_details("npa-2022");
        assert_eq!(examples.len(), 13);
        assert_eq!(examples[&1], ["下請負はしていない。"]);
    }
}
