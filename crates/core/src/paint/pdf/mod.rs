//! Painting a laid-out [`Document`] into tagged PDF/A-2a + PDF/UA-1 bytes with krilla.
//!
//! krilla subsets the fonts, writes ToUnicode maps (so the text copies back exactly) and derives the
//! document ID from the content, so the same document always gives the same bytes. The PDF/A
//! validator also turns any `.notdef` glyph into an export error: a box can never reach the user.
//! The document's structure becomes the structure tree (`tags`), checked by krilla's PDF/UA-1
//! validator (headings with titles, the seal's alternate text, an outline, the title shown). A
//! long document painted in chunks ([`Streamed`]) gets its tree from secform instead
//! (the joiner's layout tree, `join`, which refuses what krilla's validator would). A filled
//! form carries its answer set as an associated file and is then PDF/A-3a ([`attach`]).

use chrono::Datelike;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::tagging::{Identifier, TagTree};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document as PdfDocument, SerializeSettings};

use crate::error::Error;
use crate::fonts::FontSet;
use crate::layout::document::{Bookmark, Document, Element, Page, Role, Structure, TextItem};

pub mod attach;
mod chunks;
mod join;
mod streamed;
mod tags;

pub use crate::error::PdfError;
pub use chunks::{Merged, Merger, DEFAULT_CHUNK_FORMS};
pub use streamed::Streamed;

/// Who made the file, as PDF readers show it.
const CREATOR: &str = concat!("secform ", env!("CARGO_PKG_VERSION"));

/// Writes `doc` as PDF/A-2a and PDF/UA-1.
pub fn write(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>, Error> {
    let mut builder = Builder::new(fonts)?;
    builder.add(doc, None)?;
    builder.finish()
}

/// Writes `doc` as PDF/A-3a and PDF/UA-1 carrying `answers` (the normalised answer set's JSON) as its
/// associated file [`attach::FILE_NAME`].
pub fn write_with_answers(
    doc: &Document,
    fonts: &FontSet,
    answers: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut builder = Builder::with_archival(fonts, Archival::A3_A)?;
    builder.attachment = Some(answers.to_vec());
    builder.add(doc, None)?;
    builder.finish()
}

/// A document being painted: see [`Builder::add`] and [`Streamed`]. Its marked content is
/// named `M`: krilla's identifiers, or the numbers on each page when secform writes the structure
/// tree itself ([`Streamed`]).
pub struct Painting<M = Identifier> {
    /// The document's first page in the file.
    first: usize,
    /// Its pages painted so far.
    painted: usize,
    collected: tags::Collected<M>,
}

/// Paints documents one after another into a single PDF/A-2a, so that each layout can be dropped
/// once painted. krilla still keeps every page until [`Builder::finish`]: a merged file of many
/// forms is built a chunk of forms at a time ([`Merger`]).
pub struct Builder<'f> {
    pdf: PdfDocument,
    fonts: &'f FontSet,
    /// Title and date of the first document, written as the file's metadata.
    meta: Option<(String, chrono::NaiveDate)>,
    pages: usize,
    bookmarks: Vec<Bookmark>,
    /// The answer set to attach (PDF/A-3a only).
    attachment: Option<Vec<u8>>,
    /// The structure of every document added, in order; `None` when secform writes the tree
    /// itself ([`Builder::without_tree`]).
    tree: Option<TagTree>,
}

impl<'f> Builder<'f> {
    pub fn new(fonts: &'f FontSet) -> Result<Builder<'f>, Error> {
        Self::with_archival(fonts, Archival::A2_A)
    }

    /// A builder of pages whose structure tree secform writes after krilla (one tree over many
    /// krilla documents, [`streamed`]): krilla numbers the marked content and keys the pages as
    /// with a tree, and validates all else. Titled `title`, dated `date`, with one outline entry
    /// at its first page (which the joined file replaces).
    fn without_tree(
        fonts: &'f FontSet,
        title: &str,
        date: chrono::NaiveDate,
    ) -> Result<Builder<'f>, Error> {
        let mut builder = Self::configured(fonts, Archival::A2_A, true)?;
        builder.meta = Some((title.to_string(), date));
        builder.bookmarks.push(Bookmark {
            title: title.to_string(),
            page: 0,
            level: 1,
        });
        Ok(builder)
    }

    fn with_archival(fonts: &'f FontSet, archival: Archival) -> Result<Builder<'f>, Error> {
        Self::configured(fonts, archival, false)
    }

    fn configured(
        fonts: &'f FontSet,
        archival: Archival,
        tree_elsewhere: bool,
    ) -> Result<Builder<'f>, Error> {
        let configuration = ConfigurationBuilder::new()
            .with_archival_validator(archival)
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
            .map_err(|_| PdfError::Configuration)?;
        let settings = SerializeSettings {
            configuration,
            tag_tree_elsewhere: tree_elsewhere,
            ..SerializeSettings::default()
        };
        Ok(Builder {
            pdf: PdfDocument::new_with(settings),
            fonts,
            meta: None,
            pages: 0,
            bookmarks: Vec::new(),
            attachment: None,
            tree: (!tree_elsewhere).then(TagTree::new),
        })
    }

    /// Paints `doc`'s pages after those already added, with an outline entry titled `bookmark` at
    /// its first page, then `doc`'s own bookmarks; with a bookmark, `doc`'s structure goes under a
    /// section of that title. A document with no bookmarks at all gets its headings as the outline
    /// (PDF/UA wants one).
    pub fn add(&mut self, doc: &Document, bookmark: Option<&str>) -> Result<(), Error> {
        let mut painting = self.begin(doc);
        self.paint(&mut painting, doc, &doc.pages)?;
        self.end(painting, doc, bookmark);
        Ok(())
    }

    /// Starts painting `doc` ([`Builder::add`]: begin, paint, end).
    fn begin(&mut self, doc: &Document) -> Painting {
        if self.meta.is_none() {
            self.meta = Some((doc.title.clone(), doc.date));
        }
        Painting {
            first: self.pages,
            painted: 0,
            collected: tags::Collected::new(&doc.structure),
        }
    }

    /// Paints `pages` of `doc` after those `painting` has painted: all of a document's
    /// ([`Builder::add`]), or one page at a time as they come ([`streamed`], whose `painting` goes
    /// on over the chunks' builders).
    fn paint<M: tags::Mark>(
        &mut self,
        painting: &mut Painting<M>,
        doc: &Document,
        pages: &[Page],
    ) -> Result<(), Error> {
        let page_settings =
            PageSettings::from_wh(doc.width, doc.height).ok_or(PdfError::PageSize)?;
        for page in pages {
            let n = painting.painted;
            let collected = &mut painting.collected;
            collected.new_page();
            let mut pdf_page = self.pdf.start_page_with(page_settings.clone());
            let mut surface = pdf_page.surface();
            if page
                .elements
                .iter()
                .any(|e| matches!(e, Element::Rule { .. }))
            {
                tags::artifact(&mut surface, |s| draw_rules(s, &page.elements));
            }
            for element in &page.elements {
                match element {
                    Element::Text(t) => {
                        let place = (n, t.baseline, t.x);
                        collected
                            .line(&mut surface, t.tag, place, |s| draw_text(s, t, self.fonts))?
                    }
                    Element::Image { rect, image, tag } => {
                        let place = (n, rect.y, rect.x);
                        collected.image(&mut surface, *tag, place, |s| {
                            if let Some(size) = Size::from_wh(rect.w, rect.h) {
                                s.push_transform(&Transform::from_translate(rect.x, rect.y));
                                s.draw_image(image.decoded.clone(), size);
                                s.pop();
                            }
                        })?
                    }
                    Element::Rule { .. } => {} // drawn together by `draw_rules`
                }
            }
            collected.close(&mut surface);
            surface.finish();
            pdf_page.finish();
            self.pages += 1;
            painting.painted += 1;
        }
        Ok(())
    }

    /// Ends `doc`: its outline entries and its structure; see [`Builder::add`].
    fn end(&mut self, painting: Painting, doc: &Document, bookmark: Option<&str>) {
        let first = painting.first;
        let bookmarks = doc.bookmarks.iter().cloned();
        let own: Vec<Bookmark> = match bookmark {
            Some(title) => {
                let title = title.to_string();
                let this = Bookmark {
                    title,
                    page: 0,
                    level: 1,
                };
                std::iter::once(this).chain(bookmarks).collect()
            }
            None if doc.bookmarks.is_empty() => headings(&doc.structure, &painting.collected),
            None => bookmarks.collect(),
        };
        self.bookmarks.extend(own.into_iter().map(|b| Bookmark {
            page: first + b.page,
            ..b
        }));
        let groups = painting.collected.groups(&doc.structure);
        let tree = self.tree.get_or_insert_with(TagTree::new);
        match bookmark {
            Some(title) => tree.push(tags::section(title, groups)),
            None => groups.into_iter().for_each(|g| tree.push(g)),
        }
    }

    /// The PDF bytes.
    pub fn finish(self) -> Result<Vec<u8>, Error> {
        self.finish_with_bookmarks().map(|(bytes, _)| bytes)
    }

    /// The PDF bytes and the bookmarks of its outline: a chunk of a merged file, whose outline the
    /// merged file's is made from (the chunk's own, which PDF/UA wants, is left behind).
    fn finish_with_bookmarks(mut self) -> Result<(Vec<u8>, Vec<Bookmark>), Error> {
        let bookmarks = std::mem::take(&mut self.bookmarks);
        if !bookmarks.is_empty() {
            // Each entry of level 1 with the entries of level 2 that follow it as its children.
            let mut outline = Outline::new();
            let mut open: Option<OutlineNode> = None;
            for b in &bookmarks {
                let node = OutlineNode::new(
                    b.title.clone(),
                    XyzDestination::new(b.page, Point::from_xy(0.0, 0.0)),
                );
                match (&mut open, b.level) {
                    (Some(parent), 2..) => parent.push_child(node),
                    _ => {
                        if let Some(done) = open.replace(node) {
                            outline.push_child(done);
                        }
                    }
                }
            }
            if let Some(done) = open {
                outline.push_child(done);
            }
            self.pdf.set_outline(outline);
        }
        if let Some(tree) = self.tree.take() {
            self.pdf.set_tag_tree(tree);
        }
        if let Some((title, date)) = self.meta {
            let date = DateTime::new(date.year() as u16)
                .month(date.month() as u8)
                .day(date.day() as u8);
            if let Some(json) = self.attachment.take() {
                let file = attach::embedded(&json, date).ok_or(PdfError::Attachment)?;
                self.pdf.embed_file(file).ok_or(PdfError::Attachment)?;
            }
            self.pdf.set_metadata(
                Metadata::new()
                    .title(title)
                    .language("ja".to_string())
                    .creator(CREATOR.to_string())
                    .creation_date(date),
            );
        }
        let bytes = self.pdf.finish().map_err(PdfError::from)?;
        Ok((bytes, bookmarks))
    }
}

/// Strokes a page's rules, one path for all rules of the same width. A table has a hundred and more
/// of them: stroked one by one, each repeats the graphics state, which made up half of the page's
/// content stream and of the time spent compressing it.
fn draw_rules(surface: &mut krilla::surface::Surface, elements: &[Element]) {
    let mut widths: Vec<f32> = Vec::new();
    for element in elements {
        if let Element::Rule { width, .. } = element {
            if !widths.contains(width) {
                widths.push(*width);
            }
        }
    }
    for width in widths {
        let mut pb = PathBuilder::new();
        for element in elements {
            if let Element::Rule {
                x1,
                y1,
                x2,
                y2,
                width: w,
            } = element
            {
                if *w == width {
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                }
            }
        }
        if let Some(path) = pb.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                width,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
        }
    }
}

/// The document's headings (H1, H2) with their pages, in reading order: its outline when it has
/// no bookmarks of its own.
fn headings<M: tags::Mark>(structure: &Structure, collected: &tags::Collected<M>) -> Vec<Bookmark> {
    structure
        .nodes()
        .iter()
        .enumerate()
        .filter_map(|(i, node)| match &node.role {
            Role::Heading { level, title } if *level <= 2 => Some(Bookmark {
                title: title.clone(),
                page: collected.first_page(i)?,
                level: *level as u8,
            }),
            _ => None,
        })
        .collect()
}

/// Draws one line, splitting it into runs of the same face (bundled font, then fallback).
fn draw_text(surface: &mut krilla::surface::Surface, t: &TextItem, fonts: &FontSet) {
    surface.set_stroke(None);
    surface.set_fill(Some(Fill::default()));
    let glyphs = &t.line.glyphs;
    let mut x = t.x;
    let mut i = 0;
    while i < glyphs.len() {
        let face = glyphs[i].choice.face;
        let j = glyphs[i..]
            .iter()
            .position(|g| g.choice.face != face)
            .map_or(glyphs.len(), |n| i + n);
        let run = &glyphs[i..j];
        let base = run[0].range.start;
        let end = run[run.len() - 1].range.end;
        let text = &t.line.text[base..end];
        let krilla_glyphs: Vec<KrillaGlyph> = run
            .iter()
            .map(|g| {
                KrillaGlyph::new(
                    GlyphId::new(u32::from(g.choice.glyph)),
                    g.choice.advance_em,
                    0.0,
                    0.0,
                    0.0,
                    g.range.start - base..g.range.end - base,
                    None,
                )
            })
            .collect();
        let font = fonts.faces()[usize::from(face)].embed().clone();
        surface.draw_glyphs(
            Point::from_xy(x, t.baseline),
            &krilla_glyphs,
            font,
            text,
            t.size,
            false,
        );
        x += run
            .iter()
            .map(|g| g.choice.advance_em * t.size)
            .sum::<f32>();
        i = j;
    }
}
