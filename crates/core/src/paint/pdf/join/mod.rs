//! Joining finished PDFs into one file as they come, without holding the whole file.
//!
//! Why it exists: krilla keeps every page of a document until `finish()`, so a merged PDF of
//! thousands of forms painted as one krilla document grows without bound (about 35 KB a form). The
//! file is instead painted in chunks, each a whole PDF/A-2a (a batch's forms: `super::chunks`; a
//! long document's pages: `super::streamed`), and the [`Joiner`] copies each chunk's pages, with
//! what they use, into the output at once. Only an offset per object, a number per page and what
//! the structure tree needs stay in memory.
//!
//! The structure tree comes one of two ways, each a type the joiner is made with, so that a method
//! of one cannot be called on the other: [`ChunkTrees`] merges the chunks' own trees and
//! bookmarks (`batch --merge`), [`LayoutTree`] writes one tree and outline from the layout (the
//! summary). Its error is [`crate::error::JoinError`].
//!
//! The map, in the order a file is written:
//! - [`joiner`]: [`Joiner`], the steps every chunk takes, and the strategies' part in them
//!   ([`joiner::TreeStrategy`]);
//! - [`chunk`]: a chunk read back and checked; the first chunk's catalog, info and metadata;
//! - [`copy`]: a chunk's objects renumbered into the file;
//! - [`output`]: the bytes written (offsets, the file ID's hash), numbers handed out, object
//!   streams filled ([`objstm`]), objects written as PDF syntax ([`objects`]);
//! - [`from_chunks`] with [`merged_tree`], [`from_layout`] with [`layout_tree`]: the strategies;
//! - [`outline`]: the outline, as it grows or whole;
//! - [`trailer`]: the page tree, metadata, catalog and cross-reference stream.

mod chunk;
mod copy;
mod from_chunks;
mod from_layout;
mod joiner;
mod layout_tree;
mod merged_tree;
mod objects;
mod objstm;
mod outline;
mod output;
mod trailer;

pub(super) use from_chunks::ChunkTrees;
pub(super) use from_layout::LayoutTree;
pub(super) use joiner::Joiner;
