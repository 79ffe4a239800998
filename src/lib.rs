//! secform: the 情報セキュリティ対策履行状況確認書 (別記様式) and its special contract clauses,
//! rendered as reproducible PDF/A-3a carrying the answer set (PDF/A-2a without it).
//!
//! The library never prints and never exits: every failure is a value ([`Error`], [`Problem`]) for
//! the CLI (or another caller) to report. `ARCHITECTURE.md` says how the stages fit together.

pub mod assessment;
pub mod batch;
pub mod clauses;
pub mod error;
pub mod export;
pub mod files;
pub mod fonts;
pub mod geometry;
pub mod input;
pub mod layout;
pub mod model;
pub mod next;
pub mod output;
pub mod paint;
mod renderer;
pub mod rules;
pub mod serve;
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
