//! A long document painted page by page as its layout makes them, never held whole: the summary
//! of 10,000 entities is some 450 pages with 340,000 table cells.
//!
//! Each run of [`Streamed::CHUNK_PAGES`] pages (or as many as a test asks) is a krilla document of its own (PDF/A-2a and PDF/UA-1
//! validated as any other, but without a structure tree: krilla's `tag_tree_elsewhere`), which
//! the joiner copies into the file at once. The structure tree of the whole is written at the end
//! from the layout's [`Structure`] and the marked content each element got while painted (the
//! joiner's [`LayoutTree`]), into object streams. What stays in memory is that record (a few
//! bytes an element), the chunk being painted and the file.

use super::join::{Joiner, LayoutTree};
use super::{headings, tags, Builder, Painting};
use crate::error::Error;
use crate::fonts::FontSet;
use crate::layout::document::{Document, Page, Structure};

/// The document being painted; see the module documentation.
pub struct Streamed<'f> {
    fonts: &'f FontSet,
    /// The document's title, date and page size; its pages come one by one.
    header: Document,
    chunk: Option<Builder<'f>>,
    /// Pages painted into the chunk in hand.
    in_chunk: usize,
    /// Pages a chunk: [`Streamed::CHUNK_PAGES`] but in tests.
    chunk_pages: usize,
    painting: Painting<u32>,
    writer: Joiner<Vec<u8>, LayoutTree>,
}

impl<'f> Streamed<'f> {
    /// Pages a chunk: each chunk carries its own font subset (a few KB here: the summary's glyphs
    /// are few), and krilla holds the chunk's pages until it is finished.
    pub const CHUNK_PAGES: usize = 32;

    /// A document with `doc`'s title, date and page size (its pages and structure are not used),
    /// painted in chunks of `chunk_pages` pages (at least one): [`Streamed::CHUNK_PAGES`] but in
    /// tests, which reach many chunks with a few pages.
    pub fn new(fonts: &'f FontSet, doc: &Document, chunk_pages: usize) -> Streamed<'f> {
        Streamed {
            fonts,
            header: Document {
                title: doc.title.clone(),
                date: doc.date,
                width: doc.width,
                height: doc.height,
                content: doc.content,
                pages: Vec::new(),
                bookmarks: Vec::new(),
                structure: Structure::default(),
            },
            chunk: None,
            in_chunk: 0,
            chunk_pages: chunk_pages.max(1),
            painting: Painting {
                first: 0,
                painted: 0,
                collected: tags::Collected::growing(),
            },
            writer: Joiner::with_layout_tree(Vec::new()),
        }
    }

    /// Pages painted so far.
    pub fn pages(&self) -> usize {
        self.painting.painted
    }

    /// Paints the next page.
    pub fn page(&mut self, page: &Page) -> Result<(), Error> {
        let builder = match &mut self.chunk {
            Some(builder) => builder,
            None => self.chunk.insert(Builder::without_tree(
                self.fonts,
                &self.header.title,
                self.header.date,
            )?),
        };
        builder.paint(&mut self.painting, &self.header, std::slice::from_ref(page))?;
        self.in_chunk += 1;
        if self.in_chunk >= self.chunk_pages {
            self.flush()?;
        }
        Ok(())
    }

    /// Copies the chunk in hand into the file. Its outline, which PDF/UA wants of it, is left
    /// behind: the file's is made from the whole document's headings.
    fn flush(&mut self) -> Result<(), Error> {
        let Some(builder) = self.chunk.take() else {
            return Ok(());
        };
        self.in_chunk = 0;
        let (pdf, _) = builder.finish_with_bookmarks()?;
        Ok(self.writer.add_chunk(&pdf)?)
    }

    /// The PDF bytes, once every page is painted; `structure` is the document's, complete.
    pub fn finish(mut self, structure: &Structure) -> Result<Vec<u8>, Error> {
        self.flush()?;
        let collected = self.painting.collected;
        if collected.elements() > structure.nodes().len() {
            return Err(super::PdfError::Internal.into());
        }
        let bookmarks = headings(structure, &collected);
        let marked: Vec<(u32, usize, u32)> = collected
            .sorted()
            .into_iter()
            .map(|(node, (page, ..), mcid)| (node, page, mcid))
            .collect();
        Ok(self
            .writer
            .finish_with_tree(structure, &marked, &bookmarks, self.header.height)?)
    }
}
