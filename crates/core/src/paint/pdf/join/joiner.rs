//! [`Joiner`]: chunk after chunk copied into one file, the same way whatever the structure tree
//! strategy; what a strategy does at each step is its [`TreeStrategy`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::chunk::{self, FirstChunk};
use super::copy::{Renumber, OURS};
use super::objects::write_object;
use super::objstm::Packer;
use super::output::{self, flush_if_full, flush_rest, Counting, PAGE_TREE};
use super::trailer::{self, Catalog};
use crate::error::JoinError;

/// Writes chunk after chunk into `W`, its structure tree made by the strategy `S`
/// ([`super::ChunkTrees`] or [`super::LayoutTree`]). Each strategy has its own methods to add a
/// chunk and finish the file: a method of one is not there on the other.
pub(crate) struct Joiner<W, S> {
    pub(super) out: Counting<W>,
    /// Where each object starts, by number (0 until written; entry 0 is the free head).
    pub(super) offsets: Vec<u64>,
    /// Every page, in order.
    pub(super) pages: Vec<u32>,
    /// What the first chunk gave the file as a whole; `None` before it.
    pub(super) first: Option<FirstChunk>,
    /// Copied objects waiting to go into an object stream.
    pub(super) packer: Packer,
    pub(super) tree: S,
}

/// What a strategy does as a chunk is copied. Private to the joiner: its two strategies are the
/// only ones, and a caller sees only their methods on [`Joiner`].
pub(super) trait TreeStrategy {
    /// What the strategy takes of one chunk.
    type Chunk;

    /// Reads the chunk's part of the tree (or refuses the chunk), before anything of it is
    /// written; `pages`: its pages in order.
    fn read(
        &mut self,
        doc: &Document,
        catalog: &Dictionary,
        pages: &[ObjectId],
    ) -> Result<Self::Chunk, JoinError>;

    /// Numbers what the chunk's tree becomes in the joined file, before any of the chunk's own
    /// objects (`first`: the first chunk); gives how far its pages' `/StructParents` keys move,
    /// `None` when its pages have no structure.
    fn number(
        &mut self,
        chunk: &Self::Chunk,
        first: bool,
        copy: &mut Renumber<'_>,
    ) -> Result<Option<i64>, JoinError>;

    /// Copies what the chunk's tree holds beyond its elements (which are copied with the rest of
    /// its objects), once its pages and the first chunk's parts are numbered.
    fn copy<W: Write>(
        &mut self,
        chunk: Self::Chunk,
        copy: &mut Renumber<'_>,
        packer: &mut Packer,
        out: &mut Counting<W>,
    ) -> Result<(), JoinError>;
}

/// A chunk once copied, for what the strategy does after (the outline).
pub(super) struct Copied {
    pub(super) doc: Document,
    /// Its pages, in order.
    pub(super) pages: Vec<ObjectId>,
    /// The joined file's index of its first page.
    pub(super) first_page: usize,
}

impl<W, S> Joiner<W, S> {
    pub(super) fn with_strategy(out: W, tree: S) -> Joiner<W, S> {
        Joiner {
            out: Counting::new(out),
            offsets: output::offsets(),
            pages: Vec::new(),
            first: None,
            packer: Packer::default(),
            tree,
        }
    }

    /// Pages written so far.
    pub(crate) fn pages(&self) -> usize {
        self.pages.len()
    }
}

impl<W: Write, S> Joiner<W, S> {
    /// The page tree, the outline's root `outline` and the structure tree's `struct_tree`
    /// already written: writes the rest, `catalog_extra` in the catalog, and gives back the
    /// output. Refused when no chunk was added (a PDF needs a page).
    pub(super) fn write_end(
        mut self,
        outline: Option<u32>,
        struct_tree: Option<u32>,
        catalog_extra: &[u8],
    ) -> Result<W, JoinError> {
        let first = self.first.take().ok_or(JoinError::NoPages)?;
        let catalog = Catalog {
            outline,
            struct_tree,
            extra: catalog_extra,
        };
        trailer::write_end(
            self.out,
            &mut self.offsets,
            &first,
            self.pages.len(),
            catalog,
        )
    }
}

/// Copies the pages of `pdf` (a whole PDF, as krilla writes it) after those already written,
/// with what they use (fonts, colour spaces, content): the objects are renumbered, the pages
/// re-parented to one page tree, every object that is not a stream packed into an object
/// stream. A free function, not a method: the strategies' trait is the joiner's own, and
/// [`Joiner`] is seen beyond it.
pub(super) fn copy_chunk<W: Write, S: TreeStrategy>(
    joiner: &mut Joiner<W, S>,
    pdf: &[u8],
) -> Result<Copied, JoinError> {
    let (doc, page_ids) = chunk::load(pdf)?;
    let tree = joiner.tree.read(&doc, doc.catalog()?, &page_ids)?;
    let first = joiner.first.is_none();
    if first {
        // The binary comment tells tools the file holds 8-bit data (PDF/A wants it).
        writeln!(joiner.out, "%PDF-{}", doc.version)?;
        joiner.out.write_all(b"%\x80\x80\x80\x80\n")?;
    }
    let mut copy = Renumber::new(&mut joiner.offsets);
    let keys = joiner.tree.number(&tree, first, &mut copy)?;
    let first_page = joiner.pages.len();
    for &id in &page_ids {
        joiner.pages.push(copy.number(id));
    }
    if first {
        joiner.first = Some(chunk::first_chunk(&doc, &mut copy)?);
    }
    joiner
        .tree
        .copy(tree, &mut copy, &mut joiner.packer, &mut joiner.out)?;
    let pages: HashSet<ObjectId> = page_ids.iter().copied().collect();
    while let Some((id, number)) = copy.next() {
        let object = match doc.get_object(id)? {
            Object::Dictionary(page) if pages.contains(&id) => {
                Cow::Owned(Object::Dictionary(reparent(page, keys)?))
            }
            object => Cow::Borrowed(object),
        };
        if let Object::Stream(_) = object.as_ref() {
            copy.offsets[number as usize] = joiner.out.pos;
            writeln!(joiner.out, "{number} 0 obj")?;
            write_object(&mut joiner.out, &object, &mut |id| copy.number(id))?;
            joiner.out.write_all(b"\nendobj\n")?;
        } else {
            joiner.packer.push(number, |buf| {
                write_object(buf, &object, &mut |id| copy.number(id))
            })?;
            flush_if_full(&mut joiner.packer, &mut joiner.out, copy.offsets)?;
        }
    }
    flush_rest(&mut joiner.packer, &mut joiner.out, copy.offsets)?;
    Ok(Copied {
        doc,
        pages: page_ids,
        first_page,
    })
}

/// A copy of a chunk's `page` under the joined file's page tree, its structure key moved by
/// `keys` (see [`TreeStrategy::number`]).
fn reparent(page: &Dictionary, keys: Option<i64>) -> Result<Dictionary, JoinError> {
    let mut page = page.clone();
    page.set("Parent", Object::Reference((PAGE_TREE, OURS)));
    // An annotation's own parent key would need moving too; secform draws none.
    if keys.is_some() && page.has(b"Annots") {
        return Err(JoinError::Unsupported(
            "タグ付きの PDF のページに注釈があります".into(),
        ));
    }
    if let Ok(key) = page.get(b"StructParents").and_then(Object::as_i64) {
        page.set("StructParents", Object::Integer(key + keys.unwrap_or(0)));
    }
    Ok(page)
}
