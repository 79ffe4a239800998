//! Filling pages from top to bottom: a cursor over the text area that starts a new page when the
//! next piece does not fit. Shared by the form, the clauses and anything laid out later.

use crate::fonts::FontSet;
use crate::geometry::fits;
pub use crate::geometry::Align;
use crate::layout::document::{
    Document, Element, NodeId, Page, Rect, Role, Structure, Tag, TextItem,
};
use crate::layout::text::{self, Line, MissingGlyph};

/// A paragraph style: size, leading and indents, all in points.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    /// Distance from one baseline to the next, as a multiple of `size`.
    pub leading: f32,
    pub align: Align,
    /// Indent of the first line from the box's left edge.
    pub first_indent: f32,
    /// Indent of the following lines (a hanging indent when larger than `first_indent`).
    pub rest_indent: f32,
}

impl Style {
    pub fn plain(size: f32, leading: f32) -> Style {
        Style {
            size,
            leading,
            align: Align::Left,
            first_indent: 0.0,
            rest_indent: 0.0,
        }
    }

    pub fn line_height(&self) -> f32 {
        self.size * self.leading
    }
}

/// A line whose line box starts at `top`: the baseline centres the glyphs' height in the line box,
/// and `style.align` places it within `container` (`x` is used for left alignment).
pub fn text_item(
    fonts: &FontSet,
    line: Line,
    style: &Style,
    (x, top): (f32, f32),
    container: Rect,
    tag: Tag,
) -> TextItem {
    let size = style.size;
    let (asc, desc) = (fonts.ascent_em() * size, fonts.descent_em() * size);
    let baseline = top + (style.line_height() - (asc + desc)) / 2.0 + asc;
    let x = match style.align {
        Align::Left => x,
        Align::Center => container.x + (container.w - line.width) / 2.0,
        Align::Right => container.right() - line.width,
    };
    let extent = Rect::new(x, baseline - asc, line.width, asc + desc);
    TextItem {
        line,
        size,
        x,
        baseline,
        extent,
        container,
        tag,
    }
}

/// A footer line's style and box: `size`, centred under the text area `content`, the line box
/// ending `offset` below it. What the page says there is drawn for the page's sake.
pub fn footer_box(content: Rect, size: f32, offset: f32) -> (Style, Rect) {
    let style = Style {
        align: Align::Center,
        ..Style::plain(size, 1.0)
    };
    let top = content.bottom() + offset - style.line_height();
    (
        style,
        Rect::new(content.x, top, content.w, style.line_height()),
    )
}

/// Where a finished page goes instead of the document (see [`Composer::stream_pages`]).
pub type PageSink<'f> = Box<dyn FnMut(Page) + 'f>;

/// Fills the pages of one document.
pub struct Composer<'f> {
    pub fonts: &'f FontSet,
    doc: Document,
    page: Page,
    /// Set: each finished page goes here rather than into `doc`.
    sink: Option<PageSink<'f>>,
    /// Pages finished so far.
    finished: usize,
    /// Top of the free space on the current page.
    pub y: f32,
    /// What the lines placed from now on belong to.
    pub tag: Tag,
}

impl<'f> Composer<'f> {
    pub fn new(
        fonts: &'f FontSet,
        title: String,
        date: chrono::NaiveDate,
        width: f32,
        height: f32,
        content: Rect,
    ) -> Self {
        Composer {
            fonts,
            doc: Document {
                title,
                date,
                width,
                height,
                content,
                pages: Vec::new(),
                bookmarks: Vec::new(),
                structure: Structure::default(),
            },
            page: Page::default(),
            sink: None,
            finished: 0,
            y: content.y,
            tag: Tag::Unassigned,
        }
    }

    /// Hands every page, once finished, to `sink` instead of keeping it: a document of hundreds
    /// of pages (the summary of 10,000 entities) is then never held whole. The document
    /// [`Composer::finish`] returns has no pages.
    pub fn stream_pages(&mut self, sink: PageSink<'f>) {
        self.sink = Some(sink);
    }

    /// Adds a structure element under `parent` (`None`: at the top); see [`Structure::add`].
    pub fn node(&mut self, parent: Option<NodeId>, role: Role) -> NodeId {
        self.doc.structure.add(parent, role)
    }

    /// Adds a structure element and tags what is placed from now on with it.
    pub fn begin(&mut self, parent: Option<NodeId>, role: Role) -> NodeId {
        let id = self.node(parent, role);
        self.tag = Tag::Node(id);
        id
    }

    /// The printable area.
    pub fn content(&self) -> Rect {
        self.doc.content
    }

    /// Space left on the current page.
    pub fn remaining(&self) -> f32 {
        self.doc.content.bottom() - self.y
    }

    /// True when nothing has been placed on the current page yet.
    pub fn page_is_empty(&self) -> bool {
        self.page.elements.is_empty()
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        let page = std::mem::take(&mut self.page);
        match &mut self.sink {
            Some(sink) => sink(page),
            None => self.doc.pages.push(page),
        }
        self.finished += 1;
        self.y = self.doc.content.y;
    }

    /// Starts a new page unless `height` still fits on this one (or this page is still empty).
    pub fn ensure(&mut self, height: f32) {
        if !fits(height, self.remaining()) && !self.page_is_empty() {
            self.new_page();
        }
    }

    pub fn push(&mut self, element: Element) {
        self.page.elements.push(element);
    }

    pub fn page_mut(&mut self) -> &mut Page {
        &mut self.page
    }

    /// Places one laid-out line so that its line box starts at `top`, within `container`.
    pub fn place_line(&mut self, line: Line, style: &Style, x: f32, top: f32, container: Rect) {
        let item = text_item(self.fonts, line, style, (x, top), container, self.tag);
        self.push(Element::Text(item));
    }

    /// Breaks `text` to the width of `area` (left edge and width; its vertical extent is the flow)
    /// and lays it out from the cursor, continuing on new pages as needed.
    pub fn paragraph(
        &mut self,
        text: &str,
        style: &Style,
        x: f32,
        w: f32,
    ) -> Result<(), MissingGlyph> {
        let lines = text::break_lines(
            self.fonts,
            text,
            style.size,
            w - style.first_indent,
            w - style.rest_indent,
        )?;
        self.place_lines(lines, style, x, w);
        Ok(())
    }

    /// Lays out lines already broken for `style` from the cursor, continuing on new pages as needed.
    pub fn place_lines(&mut self, lines: Vec<Line>, style: &Style, x: f32, w: f32) {
        let lh = style.line_height();
        for (i, line) in lines.into_iter().enumerate() {
            self.ensure(lh);
            let indent = if i == 0 {
                style.first_indent
            } else {
                style.rest_indent
            };
            let container = Rect::new(x, self.y, w, lh);
            self.place_line(line, style, x + indent, self.y, container);
            self.y += lh;
        }
    }

    /// Moves the cursor down by `gap` (never onto the next page: a gap at a page end is dropped).
    pub fn skip(&mut self, gap: f32) {
        self.y = (self.y + gap).min(self.doc.content.bottom());
    }

    /// Closes the last page and returns the document.
    pub fn finish(mut self) -> Document {
        if !self.page.elements.is_empty() || self.finished == 0 {
            self.new_page();
        }
        self.doc
    }
}
