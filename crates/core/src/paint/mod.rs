//! Painters of a laid-out [`crate::layout::document::Document`]: `pdf` (crate-private, reached through the renderer) for the PDF/A files,
//! [`svg`] for the browser's live preview. A new painter reads the same document; it never lays
//! anything out again.

pub mod pdf;
pub mod svg;
