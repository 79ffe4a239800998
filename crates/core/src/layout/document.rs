//! The laid-out document: pages of positioned lines, rules and images, in points from the top-left
//! corner (krilla's convention).
//!
//! Layout produces this, the PDF writer only paints it, and tests inspect it: every text line keeps
//! the box it was laid out in, so "nothing leaves its cell" is checked on the layout's own boxes.
//!
//! Beside its pages a document has its logical [`Structure`] (headings, paragraphs, the table's rows
//! and cells, the seal's figure): every line and image says which structure element it belongs to,
//! or that it is drawn for the page's sake only ([`Tag::Pagination`]). The PDF painter writes it as
//! the tagged PDF's structure tree; ruled lines are always artifacts.

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
    /// Where the line belongs in the document's structure.
    pub tag: Tag,
}

/// Where a piece of content belongs in the document's [`Structure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// Content of this structure element.
    Node(NodeId),
    /// Drawn for the page's sake, not content: the header row repeated on a later page, a page
    /// number, a mark that a row goes on. A reader skips it (a PDF artifact).
    Pagination,
    /// Placed before its layout said what it belongs to: a defect of that layout, which the PDF
    /// painter refuses rather than let content go silently untagged.
    Unassigned,
}

/// A structure element's index in its document's [`Structure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(usize);

impl NodeId {
    pub fn index(self) -> usize {
        self.0
    }
}

/// What a structure element is (the tagged PDF's standard structure types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A part of the document with its own title (`Sect`): an entity's form in a merged batch.
    Section {
        title: String,
    },
    /// A heading (`H1`, `H2`, …); `title` is its text, which PDF/UA asks for.
    Heading {
        level: u16,
        title: String,
    },
    Paragraph,
    List,
    /// A list item (`LI`); its label (一, (1)) is part of its body's text.
    ListItem,
    /// A list item's body (`LBody`).
    ListBody,
    Table,
    /// A table row (`TR`).
    Row,
    /// A header cell (`TH`) heading its column.
    HeaderCell,
    /// A data cell (`TD`).
    Cell,
    /// A picture (`Figure`) and the words a reader gets instead of it.
    Figure {
        alt: String,
    },
}

/// One structure element: its role and the element it belongs to (`None`: the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub role: Role,
    pub parent: Option<NodeId>,
}

/// The document's logical structure, elements in reading order: an element's children are the
/// elements whose `parent` it is, in the order they were added, after its own content (the lines
/// and images tagged with it, in drawing order).
#[derive(Debug, Clone, Default)]
pub struct Structure {
    nodes: Vec<Node>,
}

impl Structure {
    /// Adds an element under `parent` (`None`: at the top), after the ones already there.
    pub fn add(&mut self, parent: Option<NodeId>, role: Role) -> NodeId {
        self.nodes.push(Node { role, parent });
        NodeId(self.nodes.len() - 1)
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Each element's children, and the top elements (index: the element's; last: the top).
    pub fn children(&self) -> Vec<Vec<NodeId>> {
        let mut children = vec![Vec::new(); self.nodes.len() + 1];
        for (i, node) in self.nodes.iter().enumerate() {
            let slot = node.parent.map_or(self.nodes.len(), |p| p.0);
            children[slot].push(NodeId(i));
        }
        children
    }

    /// Appends `other`'s elements, its top ones under `parent`; returns how far its ids moved.
    fn append(&mut self, other: Structure, parent: Option<NodeId>) -> usize {
        let offset = self.nodes.len();
        self.nodes.extend(other.nodes.into_iter().map(|n| Node {
            role: n.role,
            parent: n.parent.map(|p| NodeId(p.0 + offset)).or(parent),
        }));
        offset
    }
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
        tag: Tag,
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
    /// 1 at the top of the outline; 2 under the last entry of level 1 before it (a heading under
    /// its document's title).
    pub level: u8,
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
    pub structure: Structure,
}

impl Document {
    /// Appends `other`'s pages, with a bookmark titled `bookmark` at its first page; its
    /// structure follows this one's at the top.
    pub fn append(&mut self, other: Document, bookmark: String) {
        self.bookmarks.push(Bookmark {
            title: bookmark,
            page: self.pages.len(),
            level: 1,
        });
        let offset = self.structure.append(other.structure, None);
        let moved = |tag: &mut Tag| {
            if let Tag::Node(id) = tag {
                id.0 += offset;
            }
        };
        for mut page in other.pages {
            for element in &mut page.elements {
                match element {
                    Element::Text(t) => moved(&mut t.tag),
                    Element::Image { tag, .. } => moved(tag),
                    Element::Rule { .. } => {}
                }
            }
            self.pages.push(page);
        }
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
