//! Laying out: answers and specs become a [`document::Document`] of pages with every line, rule and
//! image placed. Each painter (PDF, the browser's SVG) paints this one document, so what the
//! preview shows is what prints.
//!
//! [`text`] breaks lines (禁則), `flow` fills pages from top to bottom, `form` and `clauses`
//! lay out the two kinds of document.

pub(crate) mod clauses;
pub mod document;
pub(crate) mod flow;
pub(crate) mod form;
pub(crate) mod summary;
pub mod text;
