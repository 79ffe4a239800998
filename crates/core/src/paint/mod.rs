//! Painters of a laid-out [`crate::layout::document::Document`]: [`pdf`] for the PDF/A files
//! (public: a batch's door paints its merged file with [`pdf::Merger`]), [`svg`] for the browser's
//! live preview. A new painter reads the same document; it never lays anything out again.

pub mod pdf;
pub mod svg;
