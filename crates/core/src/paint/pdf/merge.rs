//! Joining finished PDFs into one file as they come, without holding the whole file.
//!
//! Why it exists: krilla keeps every page of a document until `finish()`, so a merged PDF of
//! thousands of forms painted as one krilla document grows without bound (about 35 KB a form). The
//! merge is instead painted in chunks of a few forms, each a whole PDF/A-2a (see
//! [`super::chunks`]), and this writer copies each chunk's pages, with what they use (fonts,
//! colour spaces, content), into the output at once: the objects are renumbered and the pages
//! re-parented to one page tree; every object that is not a stream goes into an object stream
//! ([`super::objstm`]: a tagged form is mostly small structure objects). Only an offset per object,
//! a number per page and the outline item in hand stay in memory. At the end come the page tree,
//! the outline, the structure tree's root ([`super::merge_tags`]; for chunks without a tree of
//! their own, the tree written from the layout, [`super::layout_tree`]), the catalog, the metadata and
//! the cross-reference stream.
//!
//! The catalog's entries (language, output intent), the document info and the XMP metadata are the
//! first chunk's, so the PDF/A identification and the info/XMP agreement are krilla's own; the XMP's
//! page count and IDs are set to the merged file's. The file ID is a hash of the bytes written, so
//! the same chunks always give the same bytes.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hasher;
use std::io::{self, Write};

use lopdf::{Document, LoadOptions, Object, ObjectId};
use siphasher::sip128::{Hasher128, SipHasher13};

use super::layout_tree;
use super::merge_tags::{self, MergedTags};
use super::objects::{write_name, write_object, write_text};
use super::objstm::{self, Packer};
use crate::layout::document::{Bookmark, Structure};

/// Why a merge failed.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Io(#[from] io::Error),
    /// lopdf's own words are English: the cause is kept for `source()`, not shown.
    #[error("結合する途中の PDF を読めません（一時ファイルが壊れています）")]
    Read(#[from] lopdf::Error),
    #[error("結合できない PDF です: {0}")]
    Unsupported(String),
}

/// The merged file's catalog and page tree: numbered first, written last.
const CATALOG: u32 = 1;
const PAGE_TREE: u32 = 2;

/// The generation of a reference that is already in the merged file's numbering (a copied page's
/// `/Parent`). Never a chunk's own: krilla writes generation 0 and 65535 only marks free entries.
const OURS: u16 = u16::MAX;

/// Catalog entries copied from the first chunk as they are. The structure tree is merged
/// ([`super::merge_tags`]); anything else (named destinations, page labels) would need merging
/// itself, so a chunk carrying it is refused.
const CATALOG_COPIED: [&[u8]; 6] = [
    b"Lang",
    b"MarkInfo",
    b"OutputIntents",
    b"ViewerPreferences",
    b"PageLayout",
    b"PageMode",
];

/// Writes chunk after chunk into `W`; see the module documentation.
pub struct MergeWriter<W: Write> {
    out: Counting<W>,
    /// Where each object starts, by number (0 until written; entry 0 is the free head).
    offsets: Vec<u64>,
    /// Every page, in order.
    pages: Vec<u32>,
    outline: Outline,
    /// What the first chunk gave the file as a whole; `None` before it.
    first: Option<FirstChunk>,
    /// The merged structure tree, when the chunks are tagged (all are, or none).
    tags: Option<MergedTags>,
    /// Set when the structure tree comes from the layout ([`MergeWriter::with_tree_from_layout`]).
    layout_keys: Option<LayoutKeys>,
    /// The outline written whole, with the layout's tree (headings nested under the title).
    outline_root: Option<u32>,
    /// Copied objects waiting to go into an object stream.
    packer: Packer,
    /// The top edge of the last page written, for an outline entry pointing there.
    last_top: Option<Object>,
}

/// The first chunk's document-level parts.
struct FirstChunk {
    /// The catalog entries of [`CATALOG_COPIED`], already written as `/Key value` pairs.
    catalog: Vec<u8>,
    info: u32,
    xmp: Vec<u8>,
    /// The chunk's file IDs, as they appear in its XMP.
    ids: Vec<Vec<u8>>,
}

impl<W: Write> MergeWriter<W> {
    pub fn new(out: W) -> MergeWriter<W> {
        MergeWriter {
            out: Counting::new(out),
            offsets: vec![0; PAGE_TREE as usize + 1],
            pages: Vec::new(),
            outline: Outline::default(),
            first: None,
            tags: None,
            layout_keys: None,
            outline_root: None,
            packer: Packer::default(),
            last_top: None,
        }
    }

    /// A writer of chunks that carry marked content but no structure tree (krilla's
    /// `tag_tree_elsewhere`): the tree is written from the layout at the end
    /// ([`MergeWriter::finish_with_tree`]).
    pub(super) fn with_tree_from_layout(out: W) -> MergeWriter<W> {
        MergeWriter {
            layout_keys: Some(LayoutKeys::default()),
            ..MergeWriter::new(out)
        }
    }

    /// Pages written so far.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    /// Copies the pages of `pdf` (a whole PDF, as krilla writes it) after those already written,
    /// with an outline entry for each of `bookmarks` (pages counted within `pdf`).
    pub fn add_chunk(&mut self, pdf: &[u8], bookmarks: &[Bookmark]) -> Result<(), MergeError> {
        let doc = Document::load_mem_with_options(
            pdf,
            LoadOptions {
                strict: true,
                ..LoadOptions::default()
            },
        )?;
        let catalog = doc.catalog()?;
        check_page_tree(&doc, catalog)?;
        check_catalog(catalog)?;
        let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let chunk_tags = match catalog.get(b"StructTreeRoot") {
            Ok(root) => Some(merge_tags::read_chunk(&doc, root.as_reference()?)?),
            Err(_) => None,
        };
        if self.first.is_none() {
            // The binary comment tells tools the file holds 8-bit data (PDF/A wants it).
            writeln!(self.out, "%PDF-{}", doc.version)?;
            self.out.write_all(b"%\x80\x80\x80\x80\n")?;
            if chunk_tags.is_some() {
                let root = allocate(&mut self.offsets);
                let document = allocate(&mut self.offsets);
                self.tags = Some(MergedTags::new(root, document));
            }
        }
        if self.tags.is_some() != chunk_tags.is_some() {
            return Err(MergeError::Unsupported(
                "タグ付きの PDF とタグのない PDF は結合できません".into(),
            ));
        }
        let key_offset = match &mut self.layout_keys {
            Some(keys) => keys.add_chunk(&doc, &page_ids)?,
            None => self.tags.as_ref().map_or(0, MergedTags::key_offset),
        };
        let mut copy = Renumber {
            numbers: HashMap::new(),
            queue: VecDeque::new(),
            offsets: &mut self.offsets,
        };
        if let (Some(chunk), Some(merged)) = (&chunk_tags, &self.tags) {
            // The chunk's Document element is the merged one: its children point there.
            copy.numbers.insert(chunk.document, merged.document);
        }
        let first_page = self.pages.len();
        for &id in &page_ids {
            self.pages.push(copy.number(id));
        }
        if self.first.is_none() {
            self.first = Some(first_chunk(&doc, catalog, &mut copy)?);
        }
        if let (Some(chunk), Some(merged)) = (&chunk_tags, &mut self.tags) {
            for (key, value) in merged.add_chunk(chunk, &mut |id| copy.number(id))? {
                let number = allocate(copy.offsets);
                self.packer.push(number, |buf| {
                    write_object(buf, &value, &mut |id| copy.number(id))
                })?;
                if self.packer.is_full() {
                    flush(&mut self.packer, &mut self.out, copy.offsets)?;
                }
                merged.parent(key, number);
            }
        }
        let pages: HashSet<ObjectId> = page_ids.iter().copied().collect();
        while let Some(id) = copy.queue.pop_front() {
            let number = copy.numbers[&id];
            let object = match doc.get_object(id)? {
                Object::Dictionary(page) if pages.contains(&id) => {
                    let mut page = page.clone();
                    page.set("Parent", Object::Reference((PAGE_TREE, OURS)));
                    // An annotation's own parent key would need moving too; secform draws none.
                    if chunk_tags.is_some() && page.has(b"Annots") {
                        return Err(MergeError::Unsupported(
                            "タグ付きの PDF のページに注釈があります".into(),
                        ));
                    }
                    if let Ok(key) = page.get(b"StructParents").and_then(Object::as_i64) {
                        page.set("StructParents", Object::Integer(key + key_offset));
                    }
                    std::borrow::Cow::Owned(Object::Dictionary(page))
                }
                object => std::borrow::Cow::Borrowed(object),
            };
            if let Object::Stream(_) = object.as_ref() {
                copy.offsets[number as usize] = self.out.pos;
                writeln!(self.out, "{number} 0 obj")?;
                write_object(&mut self.out, &object, &mut |id| copy.number(id))?;
                self.out.write_all(b"\nendobj\n")?;
            } else {
                self.packer.push(number, |buf| {
                    write_object(buf, &object, &mut |id| copy.number(id))
                })?;
                if self.packer.is_full() {
                    flush(&mut self.packer, &mut self.out, copy.offsets)?;
                }
            }
        }
        if !self.packer.is_empty() {
            flush(&mut self.packer, &mut self.out, copy.offsets)?;
        }
        if let Some(&last) = page_ids.last() {
            self.last_top = Some(page_top(&doc, last)?);
        }
        for bookmark in bookmarks {
            let id = *page_ids.get(bookmark.page).ok_or_else(|| {
                MergeError::Unsupported(format!("しおりのページ {} がありません", bookmark.page))
            })?;
            let top = page_top(&doc, id)?;
            let page = self.pages[first_page + bookmark.page];
            self.outline
                .push(&mut self.out, &mut self.offsets, &bookmark.title, page, top)?;
        }
        Ok(())
    }

    /// Adds an outline entry titled `title` at the last page written: what a merged file lacks
    /// (a batch's entry that failed), said where a reader of the outline looks. Nothing before the
    /// first chunk.
    pub fn bookmark_last_page(&mut self, title: &str) -> Result<(), MergeError> {
        let (Some(&page), Some(top)) = (self.pages.last(), self.last_top.clone()) else {
            return Ok(());
        };
        self.outline
            .push(&mut self.out, &mut self.offsets, title, page, top)
    }

    /// Writes the page tree, outline, metadata, catalog and cross-reference stream, and gives back
    /// the output. Refused when no chunk was added (a PDF needs a page).
    pub fn finish(self) -> Result<W, MergeError> {
        if self.layout_keys.is_some() {
            return Err(MergeError::Unsupported("構造ツリーがありません".into()));
        }
        self.finish_inner(None)
    }

    /// As [`MergeWriter::finish`], with the structure tree of `structure` whose elements hold the
    /// marked content `marked` (see [`layout_tree::write`]); outline entries `bookmarks` (pages
    /// counted in the merged file).
    pub(super) fn finish_with_tree(
        mut self,
        structure: &Structure,
        marked: &[(u32, usize, u32)],
        bookmarks: &[Bookmark],
        page_top: f32,
    ) -> Result<W, MergeError> {
        let keys = self
            .layout_keys
            .take()
            .ok_or_else(|| MergeError::Unsupported("構造ツリーの鍵がありません".into()))?;
        if !self.outline.is_empty() {
            return Err(MergeError::Unsupported(
                "しおりは構造ツリーと一緒に書きます".into(),
            ));
        }
        let mut entries = Vec::with_capacity(bookmarks.len());
        for b in bookmarks {
            let page = *self.pages.get(b.page).ok_or_else(|| {
                MergeError::Unsupported(format!("しおりのページ {} がありません", b.page))
            })?;
            entries.push((b, page));
        }
        self.outline_root =
            write_nested_outline(&mut self.out, &mut self.offsets, &entries, page_top)?;
        let pages = layout_tree::Pages {
            numbers: &self.pages,
            keys: &keys.keys,
        };
        let mut objects = Objects {
            packer: &mut self.packer,
            out: &mut self.out,
            offsets: &mut self.offsets,
        };
        let root = layout_tree::write(structure, marked, &pages, &mut objects)?;
        if !self.packer.is_empty() {
            flush(&mut self.packer, &mut self.out, &mut self.offsets)?;
        }
        self.finish_inner(Some(root))
    }

    /// The end of the file; `layout_root`: the root of a structure tree already written.
    fn finish_inner(mut self, layout_root: Option<u32>) -> Result<W, MergeError> {
        let first = self
            .first
            .take()
            .ok_or_else(|| MergeError::Unsupported("ページがありません".into()))?;
        let outline = match self.outline_root {
            Some(root) => Some(root),
            None => self.outline.finish(&mut self.out, &mut self.offsets)?,
        };
        self.offsets[PAGE_TREE as usize] = self.out.pos;
        write!(
            self.out,
            "{PAGE_TREE} 0 obj\n<</Type /Pages/Count {}/Kids [",
            self.pages.len()
        )?;
        for (i, page) in self.pages.iter().enumerate() {
            let gap = if i == 0 {
                ""
            } else if i % 16 == 0 {
                "\n"
            } else {
                " "
            };
            write!(self.out, "{gap}{page} 0 R")?;
        }
        self.out.write_all(b"]>>\nendobj\n")?;
        let struct_root = match self.tags.take() {
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
            None => layout_root,
        };
        // As krilla does: the instance ID hashes what comes before the metadata, and the document
        // ID is the same.
        let id = format!("{:032x}", self.out.hash.finish128().as_u128());
        let xmp = patch_xmp(&first.xmp, &first.ids, id.as_bytes(), self.pages.len())?;
        let metadata = allocate(&mut self.offsets);
        self.offsets[metadata as usize] = self.out.pos;
        write!(
            self.out,
            "{metadata} 0 obj\n<</Length {}/Type /Metadata/Subtype /XML>>\nstream\n",
            xmp.len()
        )?;
        self.out.write_all(&xmp)?;
        self.out.write_all(b"\nendstream\nendobj\n")?;
        self.offsets[CATALOG as usize] = self.out.pos;
        write!(
            self.out,
            "{CATALOG} 0 obj\n<</Type /Catalog/Pages {PAGE_TREE} 0 R/Metadata {metadata} 0 R"
        )?;
        self.out.write_all(&first.catalog)?;
        if let Some(outline) = outline {
            write!(self.out, "/Outlines {outline} 0 R")?;
        }
        if let Some(root) = struct_root {
            write!(self.out, "/StructTreeRoot {root} 0 R")?;
        }
        if layout_root.is_some() {
            // What krilla writes with a tree of its own (PDF/UA wants `/Suspects false`).
            self.out
                .write_all(b"/MarkInfo <</Marked true/Suspects false>>")?;
        }
        self.out.write_all(b">>\nendobj\n")?;
        let own = allocate(&mut self.offsets);
        let xref = self.out.pos;
        self.offsets[own as usize] = xref;
        // The cross-reference stream's offsets have five bytes.
        if xref >= 1 << 40 {
            return Err(MergeError::Unsupported(
                "1 TB を超える PDF は作れません".into(),
            ));
        }
        let trailer = format!(
            "/Root {CATALOG} 0 R/Info {} 0 R/ID [({id})({id})]",
            first.info
        );
        let stream = objstm::xref_stream(&self.offsets, own, &trailer).map_err(|number| {
            MergeError::Unsupported(format!("オブジェクト {number} が書かれていません"))
        })?;
        self.out.write_all(&stream)?;
        write!(self.out, "startxref\n{xref}\n%%EOF\n")?;
        self.out.inner.flush()?;
        Ok(self.out.inner)
    }
}

/// Renumbers one chunk's objects into the merged file: each gets the next free number the first
/// time it is referred to, and waits in `queue` to be written.
struct Renumber<'a> {
    numbers: HashMap<ObjectId, u32>,
    queue: VecDeque<ObjectId>,
    offsets: &'a mut Vec<u64>,
}

impl Renumber<'_> {
    fn number(&mut self, id: ObjectId) -> u32 {
        if id.1 == OURS {
            return id.0;
        }
        if let Some(&n) = self.numbers.get(&id) {
            return n;
        }
        let n = allocate(self.offsets);
        self.numbers.insert(id, n);
        self.queue.push_back(id);
        n
    }
}

/// The pages' `/StructParents` keys when the structure tree comes from the layout: each chunk's
/// keys moved past those of the chunks before it.
#[derive(Default)]
struct LayoutKeys {
    /// Each page's key in the merged file, in page order.
    keys: Vec<Option<u32>>,
    /// The first key of the next chunk.
    next: u32,
}

impl LayoutKeys {
    /// Records the keys of `doc`'s pages (`pages`, in order); gives how far they move. A chunk
    /// that has a structure tree of its own is refused: it would be lost.
    fn add_chunk(&mut self, doc: &Document, pages: &[ObjectId]) -> Result<i64, MergeError> {
        if doc.catalog()?.has(b"StructTreeRoot") {
            return Err(MergeError::Unsupported(
                "構造ツリーは結合する側で作ります".into(),
            ));
        }
        let offset = self.next;
        for &id in pages {
            let key =
                match doc.get_dictionary(id)?.get(b"StructParents") {
                    Ok(key) => Some(u32::try_from(key.as_i64()?).map_err(|_| {
                        MergeError::Unsupported("/StructParents が負の数です".into())
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
}

/// The merged file's objects as the layout's structure tree is written: numbered in turn, packed
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

    fn put(&mut self, number: u32, body: &[u8]) -> io::Result<()> {
        self.packer.push(number, |buf| buf.write_all(body))?;
        if self.packer.is_full() {
            flush(self.packer, self.out, self.offsets).map_err(|e| match e {
                MergeError::Io(e) => e,
                e => io::Error::other(e.to_string()),
            })?;
        }
        Ok(())
    }
}

/// Writes the objects `packer` holds as one object stream and records where each is.
fn flush<W: Write>(
    packer: &mut Packer,
    out: &mut Counting<W>,
    offsets: &mut Vec<u64>,
) -> Result<(), MergeError> {
    let stream = allocate(offsets);
    offsets[stream as usize] = out.pos;
    for (number, location) in packer.flush(out, stream)? {
        offsets[number as usize] = location;
    }
    Ok(())
}

/// The next object number.
fn allocate(offsets: &mut Vec<u64>) -> u32 {
    offsets.push(0);
    // More objects than u32 holds cannot be written to memory, let alone to a PDF.
    (offsets.len() - 1) as u32
}

/// A flat page tree with nothing for the pages to inherit, as krilla writes it: then a page copied
/// alone keeps all it needs.
fn check_page_tree(doc: &Document, catalog: &lopdf::Dictionary) -> Result<(), MergeError> {
    let root = doc.get_dictionary(catalog.get(b"Pages")?.as_reference()?)?;
    match root
        .iter()
        .find(|(key, _)| !matches!(key.as_slice(), b"Type" | b"Kids" | b"Count"))
    {
        Some((key, _)) => Err(MergeError::Unsupported(format!(
            "ページツリーに /{} があります",
            String::from_utf8_lossy(key)
        ))),
        None => Ok(()),
    }
}

/// Refuses a chunk whose catalog holds what the merged file would lose: only the first chunk's
/// entries are copied, so every chunk must carry nothing beyond them.
fn check_catalog(catalog: &lopdf::Dictionary) -> Result<(), MergeError> {
    for (key, _) in catalog.iter() {
        let known = matches!(
            key.as_slice(),
            b"Type" | b"Pages" | b"Outlines" | b"Metadata" | b"StructTreeRoot"
        ) || CATALOG_COPIED.contains(&key.as_slice());
        if !known {
            return Err(MergeError::Unsupported(format!(
                "カタログに /{} があります",
                String::from_utf8_lossy(key)
            )));
        }
    }
    Ok(())
}

/// Takes the first chunk's catalog entries, info and metadata, numbering what they refer to.
fn first_chunk(
    doc: &Document,
    catalog: &lopdf::Dictionary,
    copy: &mut Renumber<'_>,
) -> Result<FirstChunk, MergeError> {
    let mut entries = Vec::new();
    let mut xmp = None;
    for (key, value) in catalog.iter() {
        match key.as_slice() {
            b"Type" | b"Pages" | b"Outlines" | b"StructTreeRoot" => {}
            b"Metadata" => {
                let stream = doc.get_object(value.as_reference()?)?.as_stream()?;
                if stream.dict.has(b"Filter") {
                    return Err(MergeError::Unsupported("XMP が圧縮されています".into()));
                }
                xmp = Some(stream.content.clone());
            }
            k if CATALOG_COPIED.contains(&k) => {
                write_name(&mut entries, key)?;
                entries.push(b' ');
                write_object(&mut entries, value, &mut |id| copy.number(id))?;
            }
            _ => {} // refused by `check_catalog`
        }
    }
    let xmp = xmp.ok_or_else(|| MergeError::Unsupported("XMP がありません".into()))?;
    let info = copy.number(doc.trailer.get(b"Info")?.as_reference()?);
    let ids = doc
        .trailer
        .get(b"ID")?
        .as_array()?
        .iter()
        .map(|id| id.as_str().map(<[u8]>::to_vec))
        .collect::<Result<_, _>>()?;
    Ok(FirstChunk {
        catalog: entries,
        info,
        xmp,
        ids,
    })
}

/// The top edge of a page (its media box's upper y), where a bookmark to it points.
fn page_top(doc: &Document, page: ObjectId) -> Result<Object, MergeError> {
    let media_box = doc.get_dictionary(page)?.get(b"MediaBox")?.as_array()?;
    media_box
        .get(3)
        .cloned()
        .ok_or_else(|| MergeError::Unsupported("MediaBox が不正です".into()))
}

/// The first chunk's XMP with the merged file's page count and IDs.
fn patch_xmp(
    xmp: &[u8],
    old_ids: &[Vec<u8>],
    id: &[u8],
    pages: usize,
) -> Result<Vec<u8>, MergeError> {
    const OPEN: &[u8] = b"<xmpTPg:NPages>";
    const CLOSE: &[u8] = b"</xmpTPg:NPages>";
    let unexpected = |what: &str| MergeError::Unsupported(format!("XMP に {what} がありません"));
    let start = find(xmp, OPEN).ok_or_else(|| unexpected("NPages"))? + OPEN.len();
    let end = start + find(&xmp[start..], CLOSE).ok_or_else(|| unexpected("NPages"))?;
    let mut out = xmp[..start].to_vec();
    out.extend_from_slice(pages.to_string().as_bytes());
    out.extend_from_slice(&xmp[end..]);
    for old in old_ids.iter().filter(|old| !old.is_empty()) {
        // The two IDs are often the same: the first replacement takes both.
        if find(xmp, old).is_none() {
            return Err(unexpected("文書 ID"));
        }
        out = replace(&out, old, id);
    }
    Ok(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn replace(haystack: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = find(rest, old) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(new);
        rest = &rest[at + old.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// An outline of `entries` (bookmark, page object) at once: an entry of level 2 goes under the
/// level-1 entry before it, closed as krilla writes it (the document's headings under its title).
/// `None` for no entries.
fn write_nested_outline<W: Write>(
    out: &mut Counting<W>,
    offsets: &mut Vec<u64>,
    entries: &[(&Bookmark, u32)],
    top: f32,
) -> Result<Option<u32>, MergeError> {
    if entries.is_empty() {
        return Ok(None);
    }
    // Each entry's parent: the last level-1 entry before it, for an entry of level 2 and more.
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut last_top = None;
    for (i, (b, _)) in entries.iter().enumerate() {
        match (b.level, last_top) {
            (2.., Some(t)) => parents.push(Some(t)),
            _ => {
                parents.push(None);
                last_top = Some(i);
            }
        }
    }
    let root = allocate(offsets);
    let numbers: Vec<u32> = entries.iter().map(|_| allocate(offsets)).collect();
    let siblings = |parent: Option<usize>| -> Vec<usize> {
        (0..entries.len())
            .filter(|&i| parents[i] == parent)
            .collect()
    };
    let top_level = siblings(None);
    for (i, (b, page)) in entries.iter().enumerate() {
        let kin = siblings(parents[i]);
        let at = kin.iter().position(|&k| k == i).unwrap_or(0);
        offsets[numbers[i] as usize] = out.pos;
        write!(out, "{} 0 obj\n<</Title ", numbers[i])?;
        write_text(out, &b.title)?;
        let parent = parents[i].map_or(root, |p| numbers[p]);
        write!(out, "/Parent {parent} 0 R")?;
        if at > 0 {
            write!(out, "/Prev {} 0 R", numbers[kin[at - 1]])?;
        }
        if let Some(&next) = kin.get(at + 1) {
            write!(out, "/Next {} 0 R", numbers[next])?;
        }
        let children = siblings(Some(i));
        if let (Some(&first), Some(&last)) = (children.first(), children.last()) {
            // Negative: closed.
            write!(
                out,
                "/First {} 0 R/Last {} 0 R/Count -{}",
                numbers[first],
                numbers[last],
                children.len()
            )?;
        }
        write!(out, "/Dest [{page} 0 R /XYZ 0 {top} 0]>>\nendobj\n")?;
    }
    offsets[root as usize] = out.pos;
    let (first, last) = (top_level[0], top_level[top_level.len() - 1]);
    write!(
        out,
        "{root} 0 obj\n<</Type /Outlines/First {} 0 R/Last {} 0 R/Count {}>>\nendobj\n",
        numbers[first],
        numbers[last],
        top_level.len()
    )?;
    Ok(Some(root))
}

/// The outline, written as it grows: an item is written once the next one is numbered (its
/// `/Next`), so only one is held.
#[derive(Default)]
struct Outline {
    root: Option<u32>,
    first: Option<u32>,
    held: Option<Item>,
    count: usize,
}

struct Item {
    number: u32,
    prev: Option<u32>,
    title: String,
    page: u32,
    top: Object,
}

impl Outline {
    fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn push<W: Write>(
        &mut self,
        out: &mut Counting<W>,
        offsets: &mut Vec<u64>,
        title: &str,
        page: u32,
        top: Object,
    ) -> Result<(), MergeError> {
        let root = *self.root.get_or_insert_with(|| allocate(offsets));
        let number = allocate(offsets);
        self.first.get_or_insert(number);
        self.count += 1;
        let prev = match self.held.take() {
            Some(held) => {
                write_item(out, offsets, root, &held, Some(number))?;
                Some(held.number)
            }
            None => None,
        };
        self.held = Some(Item {
            number,
            prev,
            title: title.to_string(),
            page,
            top,
        });
        Ok(())
    }

    /// Writes the last item and the root; returns the root's number, if there is an outline.
    fn finish<W: Write>(
        &mut self,
        out: &mut Counting<W>,
        offsets: &mut [u64],
    ) -> Result<Option<u32>, MergeError> {
        let (Some(root), Some(first), Some(last)) = (self.root, self.first, self.held.take())
        else {
            return Ok(None);
        };
        write_item(out, offsets, root, &last, None)?;
        offsets[root as usize] = out.pos;
        write!(
            out,
            "{root} 0 obj\n<</Type /Outlines/First {first} 0 R/Last {} 0 R/Count {}>>\nendobj\n",
            last.number, self.count
        )?;
        Ok(Some(root))
    }
}

fn write_item<W: Write>(
    out: &mut Counting<W>,
    offsets: &mut [u64],
    root: u32,
    item: &Item,
    next: Option<u32>,
) -> Result<(), MergeError> {
    offsets[item.number as usize] = out.pos;
    write!(out, "{} 0 obj\n<</Title ", item.number)?;
    write_text(out, &item.title)?;
    write!(out, "/Parent {root} 0 R")?;
    if let Some(prev) = item.prev {
        write!(out, "/Prev {prev} 0 R")?;
    }
    if let Some(next) = next {
        write!(out, "/Next {next} 0 R")?;
    }
    write!(out, "/Dest [{} 0 R /XYZ 0 ", item.page)?;
    write_object(out, &item.top, &mut |(n, _)| n)?;
    out.write_all(b" 0]>>\nendobj\n")?;
    Ok(())
}

/// The output, counting the bytes written (for the offsets) and hashing them (for the file ID).
struct Counting<W> {
    inner: W,
    pos: u64,
    hash: SipHasher13,
}

impl<W> Counting<W> {
    fn new(inner: W) -> Self {
        Counting {
            inner,
            pos: 0,
            hash: SipHasher13::new(),
        }
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pos += n as u64;
        self.hash.write(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_entry_the_merge_would_lose_is_refused_in_any_chunk() {
        let mut catalog = lopdf::Dictionary::new();
        for key in [
            "Type",
            "Pages",
            "Outlines",
            "Metadata",
            "Lang",
            "OutputIntents",
            "StructTreeRoot",
            "MarkInfo",
        ] {
            catalog.set(key, Object::Null);
        }
        assert!(check_catalog(&catalog).is_ok());
        catalog.set("PageLabels", Object::Null);
        let err = check_catalog(&catalog).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "結合できない PDF です: カタログに /PageLabels があります"
        );
    }

    #[test]
    fn the_xmp_gets_the_merged_page_count_and_ids() {
        let xmp = b"<a><xmpTPg:NPages>2</xmpTPg:NPages><i>OLD</i><d>OLD</d><h>OLD_source</h></a>";
        let ids = vec![b"OLD".to_vec(), b"OLD".to_vec()];
        let patched = patch_xmp(xmp, &ids, b"NEW", 14924).unwrap();
        assert_eq!(
            patched,
            b"<a><xmpTPg:NPages>14924</xmpTPg:NPages><i>NEW</i><d>NEW</d><h>NEW_source</h></a>"
        );
    }

    /// Metadata that cannot be made the merged file's is refused rather than copied wrong.
    #[test]
    fn unexpected_xmp_is_refused() {
        let ids = vec![b"OLD".to_vec()];
        assert!(patch_xmp(b"<i>OLD</i>", &ids, b"NEW", 1).is_err());
        let no_id = b"<xmpTPg:NPages>2</xmpTPg:NPages>";
        assert!(patch_xmp(no_id, &ids, b"NEW", 1).is_err());
    }

    #[test]
    fn nothing_to_merge_is_an_error() {
        assert!(MergeWriter::new(Vec::new()).finish().is_err());
    }
}
