//! The laid-out document: pages of positioned lines, rules and images, in points from the top-left
//! corner (krilla's convention).
//!
//! Layout produces this, the PDF writer only paints it, and tests inspect it: every text line keeps
//! the box it was laid out in, so "nothing leaves its cell" is checked on the layout's own boxes.

pub use crate::geometry::Rect;
use crate::layout::text::Line;

/// A line of text placed on a page.
#[derive(Debug, Clone)]
pub struct TextItem {
    pub line: Line,
    pub size: f32,
    /// Left end of the baseline.
    pub x: f32,
    pub baseline: f32,
    /// The glyphs' extent: from the ascent to the descent, as wide as the line.
    pub extent: Rect,
    /// The box the line was laid out to stay within (a table cell, the text area).
    pub container: Rect,
}

/// What a page holds.
#[derive(Debug, Clone)]
pub enum Element {
    Text(TextItem),
    /// A straight rule from (x1, y1) to (x2, y2).
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A raster image (a seal, decoded once when it was read) scaled into `rect`.
    Image {
        rect: Rect,
        image: crate::model::seal::SealImage,
    },
}

/// One page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub elements: Vec<Element>,
    /// Table rows whose header repeats on this page (for tests and for readers of the layout).
    pub table_header: Option<Rect>,
}

impl Page {
    /// The text lines on the page, in drawing order.
    pub fn texts(&self) -> impl Iterator<Item = &TextItem> {
        self.elements.iter().filter_map(|e| match e {
            Element::Text(t) => Some(t),
            _ => None,
        })
    }
}

/// A bookmark (outline entry) pointing at the top of a page.
#[derive(Debug, Clone)]
pub struct Bookmark {
    pub title: String,
    pub page: usize,
}

/// A whole document, ready to be written.
#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    /// The document's date (PDF/A wants one): the 確認年月日 of a filled form, else the issue date of
    /// its source. Never the clock, so the same input gives the same bytes.
    pub date: chrono::NaiveDate,
    pub width: f32,
    pub height: f32,
    /// The printable area: nothing is laid out outside it.
    pub content: Rect,
    pub pages: Vec<Page>,
    pub bookmarks: Vec<Bookmark>,
}

impl Document {
    /// Appends `other`'s pages, with a bookmark titled `bookmark` at its first page.
    pub fn append(&mut self, other: Document, bookmark: String) {
        self.bookmarks.push(Bookmark {
            title: bookmark,
            page: self.pages.len(),
        });
        self.pages.extend(other.pages);
    }

    /// All text of the document in reading order, a line per laid-out line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            for t in page.texts() {
                out.push_str(&t.line.text);
                out.push('\n');
            }
        }
        out
    }
}
