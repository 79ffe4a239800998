//! secform's engine: the 情報セキュリティ対策履行状況確認書 (別記様式) and its special contract clauses,
//! from answers to reproducible PDF/A-3a carrying the answer set (PDF/A-2a without it), SVG pages,
//! workbooks and Word files.
//!
//! Bytes and values in, bytes and values out: the engine reads no file, opens no socket, keeps no
//! clock and starts no thread pool, so that the command line, the local server and a browser tab
//! (WebAssembly) run the same checks, layout and painting. What only a host has comes in as a
//! value: a seal image named by path through [`model::seal::SealFiles`], "today" in
//! [`CheckOptions::today`], a fallback font as bytes. The library never prints and never exits:
//! every failure is a value ([`Error`], [`Problem`]). `ARCHITECTURE.md` says how the stages fit.

pub mod assessment;
pub mod clauses;
pub mod error;
pub mod export;
pub mod fonts;
pub mod geometry;
pub mod input;
pub mod layout;
pub mod model;
pub mod next;
pub mod page;
pub mod paint;
mod renderer;
pub mod rules;
pub mod spec;
pub mod summary;

/// The build script's font preparation, compiled here too so that `cargo test` checks it.
#[cfg(test)]
#[path = "../build/strip_hints.rs"]
mod strip_hints;

pub use assessment::Assessment;
pub use error::{Error, Hint, PdfError, Problem, Severity};
pub use export::json::starter_json;
pub use fonts::FontSet;
pub use model::answers::AnswerSet;
pub use renderer::{Rendered, RenderedPdf, Renderer};
pub use rules::{Charset, CheckOptions};
pub use spec::FormSpec;
