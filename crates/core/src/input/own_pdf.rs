//! A PDF that secform wrote and that carries no answer set because it is not one entity's form: a
//! batch's merged PDF, a summary, the clauses. Found in a folder of answer files (a merged PDF
//! saved beside the forms it joins), it is passed over with a note, never read as a company that
//! failed.
//!
//! Recognised by what secform writes in every PDF: the creator `secform x.y.z` in the document
//! information. A form written without its answer set (`--no-attach`) is not passed over: it is a
//! form, titled as the layout titles it, whose outline starts with that title; its answers cannot
//! be read and it is reported as such.

use lopdf::{Dictionary, Object};

use crate::input::pdf::{deref_dict, text_string};

use crate::spec::FormSpec;

/// Whether `bytes` are a PDF that secform wrote that is not a single form.
pub fn is_own_output(bytes: &[u8]) -> bool {
    if !crate::input::pdf::looks_like_pdf(bytes) {
        return false;
    }
    // Within the same caps as the answers' reader: a hostile PDF that reader refused is not
    // loaded again here without them.
    let Ok(doc) = crate::input::pdf::load_within_caps(bytes) else {
        return false;
    };
    let Some(info) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|i| deref_dict(&doc, i))
    else {
        return false;
    };
    let text = |dict: &Dictionary, key: &[u8]| match dict.get(key).ok() {
        Some(Object::String(bytes, _)) => Some(text_string(bytes)),
        _ => None,
    };
    if !text(info, b"Creator").is_some_and(|c| c.starts_with("secform ")) {
        return false;
    }
    let title = text(info, b"Title").unwrap_or_default();
    let form_title = crate::spec::names()
        .into_iter()
        .filter_map(|name| FormSpec::get(name).ok())
        .any(|form| form.document_title == title);
    let first_bookmark = doc
        .catalog()
        .ok()
        .and_then(|c| deref_dict(&doc, c.get(b"Outlines").ok()?))
        .and_then(|o| deref_dict(&doc, o.get(b"First").ok()?))
        .and_then(|first| text(first, b"Title"));
    !(form_title && first_bookmark.as_deref() == Some(title.as_str()))
}
