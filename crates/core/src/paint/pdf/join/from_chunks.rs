//! The strategy of a batch's `--merge`: each chunk brings its own structure tree and bookmarks;
//! the trees are merged into one ([`super::merged_tree`]) and the bookmarks make the outline as
//! the chunks come.

use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::chunk::page_top;
use super::copy::Renumber;
use super::joiner::{copy_chunk, Joiner, TreeStrategy};
use super::merged_tree::{self, ChunkTags, MergedTags};
use super::objects::write_object;
use super::objstm::Packer;
use super::outline::Outline;
use super::output::{allocate, flush_if_full, Counting};
use super::trailer::write_page_tree;
use crate::error::JoinError;
use crate::layout::document::Bookmark;

/// Joins chunks that carry their own structure trees (or, all of them, none) and bookmarks.
pub(crate) struct ChunkTrees {
    /// The merged structure tree, when the chunks are tagged; set by the first chunk.
    merged: Option<MergedTags>,
    outline: Outline,
    /// The top edge of the last page written, for an outline entry pointing there.
    last_top: Option<Object>,
}

impl<W: Write> Joiner<W, ChunkTrees> {
    pub(crate) fn with_chunk_trees(out: W) -> Joiner<W, ChunkTrees> {
        Joiner::with_strategy(
            out,
            ChunkTrees {
                merged: None,
                outline: Outline::default(),
                last_top: None,
            },
        )
    }

    /// Copies the pages of `pdf` after those already written, with an outline entry for each of
    /// `bookmarks` (pages counted within `pdf`).
    pub(crate) fn add_chunk(
        &mut self,
        pdf: &[u8],
        bookmarks: &[Bookmark],
    ) -> Result<(), JoinError> {
        let copied = copy_chunk(self, pdf)?;
        if let Some(&last) = copied.pages.last() {
            self.tree.last_top = Some(page_top(&copied.doc, last)?);
        }
        for bookmark in bookmarks {
            let id = *copied.pages.get(bookmark.page).ok_or_else(|| {
                JoinError::Unsupported(format!("しおりのページ {} がありません", bookmark.page))
            })?;
            let top = page_top(&copied.doc, id)?;
            let page = self.pages[copied.first_page + bookmark.page];
            self.tree
                .outline
                .push(&mut self.out, &mut self.offsets, &bookmark.title, page, top)?;
        }
        Ok(())
    }

    /// Adds an outline entry titled `title` at the last page written: what a merged file lacks
    /// (a batch's entry that failed), said where a reader of the outline looks. Nothing before the
    /// first chunk.
    pub(crate) fn bookmark_last_page(&mut self, title: &str) -> Result<(), JoinError> {
        let (Some(&page), Some(top)) = (self.pages.last(), self.tree.last_top.clone()) else {
            return Ok(());
        };
        self.tree
            .outline
            .push(&mut self.out, &mut self.offsets, title, page, top)
    }

    /// Writes the outline, page tree, structure tree, metadata, catalog and cross-reference
    /// stream, and gives back the output. Refused when no chunk was added (a PDF needs a page).
    pub(crate) fn finish(mut self) -> Result<W, JoinError> {
        if self.first.is_none() {
            return Err(JoinError::NoPages);
        }
        let outline = self.tree.outline.finish(&mut self.out, &mut self.offsets)?;
        write_page_tree(&mut self.out, &mut self.offsets, &self.pages)?;
        let struct_tree = match self.tree.merged.take() {
            Some(tags) => {
                let root = tags.root;
                let parent_tree = allocate(&mut self.offsets);
                for (number, body) in tags.finish(parent_tree) {
                    self.offsets[number as usize] = self.out.pos;
                    writeln!(self.out, "{number} 0 obj")?;
                    self.out.write_all(&body)?;
                    self.out.write_all(b"\nendobj\n")?;
                }
                Some(root)
            }
            None => None,
        };
        self.write_end(outline, struct_tree, b"")
    }
}

impl TreeStrategy for ChunkTrees {
    /// The chunk's tree, `None` for an untagged chunk.
    type Chunk = Option<ChunkTags>;

    fn read(
        &mut self,
        doc: &Document,
        catalog: &Dictionary,
        _pages: &[ObjectId],
    ) -> Result<Option<ChunkTags>, JoinError> {
        match catalog.get(b"StructTreeRoot") {
            Ok(root) => Ok(Some(merged_tree::read_chunk(doc, root.as_reference()?)?)),
            Err(_) => Ok(None),
        }
    }

    fn number(
        &mut self,
        chunk: &Option<ChunkTags>,
        first: bool,
        copy: &mut Renumber<'_>,
    ) -> Result<Option<i64>, JoinError> {
        if first && chunk.is_some() {
            let root = allocate(copy.offsets);
            let document = allocate(copy.offsets);
            self.merged = Some(MergedTags::new(root, document));
        }
        match (chunk, &self.merged) {
            (Some(chunk), Some(merged)) => {
                // The chunk's Document element is the merged one: its children point there.
                copy.replace(chunk.document, merged.document);
                Ok(Some(merged.key_offset()))
            }
            (None, None) => Ok(None),
            _ => Err(JoinError::Unsupported(
                "タグ付きの PDF とタグのない PDF は結合できません".into(),
            )),
        }
    }

    fn copy<W: Write>(
        &mut self,
        chunk: Option<ChunkTags>,
        copy: &mut Renumber<'_>,
        packer: &mut Packer,
        out: &mut Counting<W>,
    ) -> Result<(), JoinError> {
        let (Some(chunk), Some(merged)) = (chunk, &mut self.merged) else {
            return Ok(());
        };
        for (key, value) in merged.add_chunk(&chunk, &mut |id| copy.number(id))? {
            let number = allocate(copy.offsets);
            packer.push(number, |buf| {
                write_object(buf, &value, &mut |id| copy.number(id))
            })?;
            flush_if_full(packer, out, copy.offsets)?;
            merged.parent(key, number);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_merge_is_an_error() {
        assert!(Joiner::with_chunk_trees(Vec::new()).finish().is_err());
    }
}
