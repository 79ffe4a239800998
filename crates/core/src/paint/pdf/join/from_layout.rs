//! The strategy of a long document painted in chunks (`paint::pdf::streamed`, the summary): the
//! chunks carry marked content but no structure tree (krilla's `tag_tree_elsewhere`); the tree
//! is written once at the end from the layout's structure ([`super::layout_tree`]), and the
//! outline whole from its headings.

use std::io::Write;

use lopdf::{Dictionary, Document, ObjectId};

use super::copy::Renumber;
use super::joiner::{copy_chunk, Joiner, TreeStrategy};
use super::layout_tree;
use super::objstm::Packer;
use super::outline::write_nested_outline;
use super::output::{allocate, flush_if_full, flush_rest, Counting};
use super::trailer::write_page_tree;
use crate::error::JoinError;
use crate::layout::document::{Bookmark, Structure};

/// What krilla writes in the catalog with a tree of its own (PDF/UA wants `/Suspects false`).
const MARK_INFO: &[u8] = b"/MarkInfo <</Marked true/Suspects false>>";

/// Joins chunks without structure trees, for one tree written from the layout: the pages'
/// `/StructParents` keys, each chunk's moved past those of the chunks before it.
#[derive(Default)]
pub(crate) struct LayoutTree {
    /// Each page's key in the joined file, in page order.
    keys: Vec<Option<u32>>,
    /// The first key of the next chunk.
    next: u32,
}

impl<W: Write> Joiner<W, LayoutTree> {
    pub(crate) fn with_layout_tree(out: W) -> Joiner<W, LayoutTree> {
        Joiner::with_strategy(out, LayoutTree::default())
    }

    /// Copies the pages of `pdf` after those already written. Its outline is left behind: the
    /// file's is written from the whole document's headings.
    pub(crate) fn add_chunk(&mut self, pdf: &[u8]) -> Result<(), JoinError> {
        copy_chunk(self, pdf).map(drop)
    }

    /// Writes the outline of `bookmarks` (pages counted in the joined file, the top of each at
    /// `page_top`), the structure tree of `structure` whose elements hold the marked content
    /// `marked` (see [`layout_tree::write`]), then the page tree, metadata, catalog and
    /// cross-reference stream, and gives back the output. Refused when no chunk was added.
    pub(crate) fn finish_with_tree(
        mut self,
        structure: &Structure,
        marked: &[(u32, usize, u32)],
        bookmarks: &[Bookmark],
        page_top: f32,
    ) -> Result<W, JoinError> {
        if self.first.is_none() {
            return Err(JoinError::NoPages);
        }
        let mut entries = Vec::with_capacity(bookmarks.len());
        for b in bookmarks {
            let page = *self.pages.get(b.page).ok_or_else(|| {
                JoinError::Unsupported(format!("しおりのページ {} がありません", b.page))
            })?;
            entries.push((b, page));
        }
        let outline = write_nested_outline(&mut self.out, &mut self.offsets, &entries, page_top)?;
        let pages = layout_tree::Pages {
            numbers: &self.pages,
            keys: &self.tree.keys,
        };
        let mut objects = Objects {
            packer: &mut self.packer,
            out: &mut self.out,
            offsets: &mut self.offsets,
        };
        let root = layout_tree::write(structure, marked, &pages, &mut objects)?;
        flush_rest(&mut self.packer, &mut self.out, &mut self.offsets)?;
        write_page_tree(&mut self.out, &mut self.offsets, &self.pages)?;
        self.write_end(outline, Some(root), MARK_INFO)
    }
}

impl TreeStrategy for LayoutTree {
    /// How far the chunk's keys move.
    type Chunk = i64;

    /// Records the keys of `doc`'s pages. A chunk that has a structure tree of its own is
    /// refused: it would be lost.
    fn read(
        &mut self,
        doc: &Document,
        catalog: &Dictionary,
        pages: &[ObjectId],
    ) -> Result<i64, JoinError> {
        if catalog.has(b"StructTreeRoot") {
            return Err(JoinError::Unsupported(
                "構造ツリーは結合する側で作ります".into(),
            ));
        }
        let offset = self.next;
        for &id in pages {
            let key =
                match doc.get_dictionary(id)?.get(b"StructParents") {
                    Ok(key) => Some(u32::try_from(key.as_i64()?).map_err(|_| {
                        JoinError::Unsupported("/StructParents が負の数です".into())
                    })?),
                    Err(_) => None,
                };
            let moved = key.map(|k| k + offset);
            if let Some(k) = moved {
                self.next = self.next.max(k + 1);
            }
            self.keys.push(moved);
        }
        Ok(i64::from(offset))
    }

    fn number(
        &mut self,
        offset: &i64,
        _first: bool,
        _copy: &mut Renumber<'_>,
    ) -> Result<Option<i64>, JoinError> {
        Ok(Some(*offset))
    }

    /// Nothing: the tree is written at the end.
    fn copy<W: Write>(
        &mut self,
        _offset: i64,
        _copy: &mut Renumber<'_>,
        _packer: &mut Packer,
        _out: &mut Counting<W>,
    ) -> Result<(), JoinError> {
        Ok(())
    }
}

/// The joined file's objects as the layout's structure tree is written: numbered in turn, packed
/// into object streams.
struct Objects<'a, W: Write> {
    packer: &'a mut Packer,
    out: &'a mut Counting<W>,
    offsets: &'a mut Vec<u64>,
}

impl<W: Write> layout_tree::Objects for Objects<'_, W> {
    fn allocate(&mut self) -> u32 {
        allocate(self.offsets)
    }

    fn put(&mut self, number: u32, body: &[u8]) -> Result<(), JoinError> {
        self.packer.push(number, |buf| buf.write_all(body))?;
        flush_if_full(self.packer, self.out, self.offsets)
    }
}
