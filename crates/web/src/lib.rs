//! secform's engine in a browser tab: the calls the page's Web Worker makes (`page/worker.js`),
//! each a thin wrapper of [`calls`] over `secform-core`, so the tab checks, lays out and paints
//! exactly as `secform check`, `render` and `serve` do. Nothing here decides anything: a message
//! the user reads is the engine's (Japanese), carried out as a JavaScript `Error`.
//!
//! Built by `web/build.sh` for `wasm32-unknown-unknown` (Debian's rustc-web, std from source) and
//! bound by `wasm-bindgen --target web`; natively it builds too, so that `cargo clippy` and the
//! tests of [`calls`] run with nothing but the Rust toolchain.

pub mod calls;
#[cfg(target_arch = "wasm32")]
mod libc_shim;

use wasm_bindgen::prelude::*;

fn js(e: calls::CallError) -> JsError {
    JsError::new(&e.to_string())
}

/// The layout of the default form as the page builds its controls from it
/// ([`secform_core::page::layout_json`]).
#[wasm_bindgen]
pub fn layout() -> Result<String, JsError> {
    calls::layout().map_err(js)
}

/// A new answer set: the starter `secform init` prints (`--subcontractor`'s when asked).
#[wasm_bindgen]
pub fn starter(subcontractor: bool) -> Result<String, JsError> {
    calls::starter(subcontractor).map_err(js)
}

/// What the page shows after a change, as JSON: problems, SVG pages, their count, the 和暦.
/// `today` is the tab's date (`YYYY-MM-DD`): the engine keeps no clock.
#[wasm_bindgen]
pub fn preview(answers: &str, today: &str) -> Result<String, JsError> {
    calls::preview(answers, today).map_err(js)
}

/// The PDF `secform render` writes for `answers`, or why not.
#[wasm_bindgen]
pub fn pdf(answers: &str, today: &str) -> Result<Vec<u8>, JsError> {
    calls::pdf(answers, today).map_err(js)
}

/// The PDF's file name: 「確認書_株式会社〇〇_令和8年4月10日.pdf」.
#[wasm_bindgen]
pub fn download_name(answers: &str) -> String {
    secform_core::page::download_name(answers)
}

/// The answers of an opened file (JSON, a secform workbook or a secform PDF), as JSON
/// `{text, warnings}`, or why it cannot be opened.
#[wasm_bindgen]
pub fn open(name: &str, bytes: Vec<u8>) -> Result<String, JsError> {
    calls::open(name, bytes).map_err(js)
}

/// The answers as the workbook `secform convert` writes.
#[wasm_bindgen]
pub fn workbook(answers: &str) -> Result<Vec<u8>, JsError> {
    calls::workbook(answers).map_err(js)
}

/// The blank form, as `secform render --blank` writes it.
#[wasm_bindgen]
pub fn blank() -> Result<Vec<u8>, JsError> {
    calls::blank().map_err(js)
}

/// The clause variants, as JSON: name, title and the parties each uses.
#[wasm_bindgen]
pub fn clause_variants() -> Result<String, JsError> {
    calls::clause_variants().map_err(js)
}

/// The clauses as `secform clauses --variant V --parties FIRST,SECOND --format F` writes them.
#[wasm_bindgen]
pub fn clauses(
    variant: &str,
    first: &str,
    second: &str,
    format: &str,
    with_form: bool,
) -> Result<Vec<u8>, JsError> {
    calls::clauses(variant, first, second, format, with_form).map_err(js)
}

/// The bundled font's bytes, once: the page draws its controls and the SVG preview with it, so
/// the font is downloaded once, inside the engine's module.
#[wasm_bindgen]
pub fn font() -> Vec<u8> {
    secform_core::fonts::bundled_font_data().to_vec()
}
