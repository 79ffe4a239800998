//! The merged PDF of many forms, painted a chunk of forms at a time and streamed to its file, so
//! that memory stays flat whatever the number of forms.
//!
//! Each chunk is a whole krilla PDF/A-2a (one font subset for its forms, which keeps the file
//! small); the [`Joiner`] copies it into the file and it is dropped. A chunk ends after
//! `chunk_forms` forms, or sooner once its images (seals) reach [`CHUNK_IMAGE_BYTES`]: cut by the
//! forms alone, so the bytes depend only on the forms, never on timing.

use std::io::Write;

use super::join::{ChunkTrees, Joiner};
use super::{Builder, PdfError};
use crate::error::{Error, JoinError};
use crate::fonts::FontSet;
use crate::layout::document::{Document, Element, Page};

/// Forms a chunk. krilla holds about 35 KB a form until the chunk is finished, and the merge reads
/// each finished chunk back whole (lopdf: about 400 KB a form, most of it the structure tree's
/// 150 small objects); each chunk carries its own font subset (90–160 KB): fewer, larger chunks
/// make a smaller file, smaller ones a smaller peak. 64: about 50 MB at most, 2 % larger than 256.
pub const DEFAULT_CHUNK_FORMS: usize = 64;

/// Image bytes a chunk may hold: krilla keeps each form's seal until the chunk is finished, and a
/// seal may be up to [`crate::model::seal::MAX_BYTES`].
pub const CHUNK_IMAGE_BYTES: usize = 16 << 20;

/// Writes forms, in the order given, into one PDF written to a sink `W` (the host's: a temporary
/// file the command line puts at its path once [`Merger::finish`] has succeeded). `name` names
/// the sink in messages.
pub struct Merger<'f, W: Write> {
    fonts: &'f FontSet,
    name: String,
    chunk_forms: usize,
    /// The chunk being painted, its forms and its image bytes.
    chunk: Option<(Builder<'f>, usize, usize)>,
    /// [`CHUNK_IMAGE_BYTES`], but for tests.
    image_budget: usize,
    writer: Joiner<W, ChunkTrees>,
    forms: usize,
    /// Pad each form to an even page count (`batch --duplex`).
    duplex: bool,
}

impl<'f, W: Write> Merger<'f, W> {
    /// A merged PDF written to `out` (named `name` in messages), in chunks of `chunk_forms` forms
    /// (at least 1).
    pub fn new(fonts: &'f FontSet, out: W, name: &str, chunk_forms: usize) -> Merger<'f, W> {
        Merger {
            fonts,
            name: name.to_string(),
            chunk_forms: chunk_forms.max(1),
            chunk: None,
            image_budget: CHUNK_IMAGE_BYTES,
            writer: Joiner::with_chunk_trees(out),
            forms: 0,
            duplex: false,
        }
    }

    /// Each form padded with a blank page to an even page count, so that a double-sided print
    /// starts every form on the front of a sheet (`batch --duplex`).
    pub fn duplex(mut self) -> Merger<'f, W> {
        self.duplex = true;
        self
    }

    /// Forms added so far.
    pub fn forms(&self) -> usize {
        self.forms
    }

    /// Adds `doc`'s pages after those already added, with an outline entry titled `bookmark` at
    /// its first page, then `doc`'s own bookmarks.
    pub fn add(&mut self, doc: &Document, bookmark: &str) -> Result<(), Error> {
        let (builder, forms, images) = match &mut self.chunk {
            Some(chunk) => chunk,
            None => self.chunk.insert((Builder::new(self.fonts)?, 0, 0)),
        };
        builder.add(doc, Some(bookmark))?;
        if self.duplex && doc.pages.len() % 2 == 1 {
            builder.add(&blank_page(doc), None)?;
        }
        *forms += 1;
        *images += image_bytes(doc);
        self.forms += 1;
        if *forms >= self.chunk_forms || *images >= self.image_budget {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the chunk in hand into the file.
    fn flush(&mut self) -> Result<(), Error> {
        let Some((builder, ..)) = self.chunk.take() else {
            return Ok(());
        };
        let (pdf, bookmarks) = builder.finish_with_bookmarks()?;
        self.writer
            .add_chunk(&pdf, &bookmarks)
            .map_err(|e| merge_error(&self.name, e))
    }

    /// Writes the rest of the file, with an outline entry for each of `missing` at the end (at the
    /// last page): a merged file with gaps, asked for as such, says what it lacks. Refused when no
    /// form was added.
    pub fn finish(mut self, missing: &[String]) -> Result<Merged<W>, Error> {
        self.flush()?;
        if self.forms == 0 {
            return Err(PdfError::NothingToMerge.into());
        }
        for title in missing {
            self.writer
                .bookmark_last_page(title)
                .map_err(|e| merge_error(&self.name, e))?;
        }
        let pages = self.writer.pages();
        let out = self
            .writer
            .finish()
            .map_err(|e| merge_error(&self.name, e))?;
        Ok(Merged {
            out,
            forms: self.forms,
            pages,
        })
    }
}

/// A merged PDF written in full into its sink, for the host to put in place.
pub struct Merged<W> {
    pub out: W,
    pub forms: usize,
    pub pages: usize,
}

/// One empty page of `doc`'s size: the back of a form's last sheet.
fn blank_page(doc: &Document) -> Document {
    Document {
        title: doc.title.clone(),
        date: doc.date,
        width: doc.width,
        height: doc.height,
        content: doc.content,
        pages: vec![Page::default()],
        bookmarks: Vec::new(),
        structure: Default::default(),
    }
}

/// The bytes of the images `doc` draws.
fn image_bytes(doc: &Document) -> usize {
    doc.pages
        .iter()
        .flat_map(|page| &page.elements)
        .map(|element| match element {
            Element::Image { image, .. } => image.data.len(),
            _ => 0,
        })
        .sum()
}

/// A join's failure as the library's error: a failure to write names the sink, with the
/// system's reason.
fn merge_error(name: &str, e: JoinError) -> Error {
    match e {
        JoinError::Write(source) => Error::Write {
            path: name.to_string(),
            source,
        },
        e => Error::Merge(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::answers;
    use crate::{CheckOptions, Renderer};

    /// The incident sample: two pages with a seal image.
    fn sealed_form(renderer: &Renderer) -> Document {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let json = std::fs::read_to_string(root.join("samples/incident.json")).unwrap();
        let answers = answers::parse(&json).unwrap();
        let mut opts = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        opts.seal_files =
            std::sync::Arc::new(crate::model::seal::tests::Folder(root.join("samples")));
        renderer.form_document(&answers, &opts).unwrap().document
    }

    /// The font objects in `pdf` (a chunk's subset has the same name as another chunk's when the
    /// forms use the same glyphs).
    fn fonts(pdf: &[u8]) -> usize {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        doc.objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Type0"))
            .count()
    }

    /// Seals end a chunk before its count of forms: a chunk's memory is bounded for big images too.
    #[test]
    fn images_end_a_chunk_early() {
        let renderer = Renderer::new(FontSet::bundled());
        let doc = sealed_form(&renderer);
        let seal = image_bytes(&doc);
        assert!(seal > 0, "the sample has a seal");
        let mut merger = Merger::new(renderer.fonts(), Vec::new(), "all.pdf", 100);
        merger.image_budget = 2 * seal;
        for i in 0..5 {
            merger.add(&doc, &format!("様式{i}")).unwrap();
        }
        let merged = merger.finish(&[]).unwrap();
        assert_eq!((merged.forms, merged.pages), (5, 5 * doc.pages.len()));
        let pdf = merged.out;
        // Chunks of 2, 2 and 1 forms: a font subset each.
        assert_eq!(fonts(&pdf), 3);
    }
}
