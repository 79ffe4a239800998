//! A chunk read back: a whole PDF as krilla wrote it, loaded and checked for what the joined file
//! could not carry; the first chunk's document-level parts, which become the joined file's.

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use super::copy::Renumber;
use super::objects::{write_name, write_object};
use crate::error::JoinError;

/// Catalog entries copied from the first chunk as they are. The structure tree is the strategy's
/// (`super::from_chunks`, `super::from_layout`); anything else (named destinations, page labels)
/// would need merging itself, so a chunk carrying it is refused.
const CATALOG_COPIED: [&[u8]; 6] = [
    b"Lang",
    b"MarkInfo",
    b"OutputIntents",
    b"ViewerPreferences",
    b"PageLayout",
    b"PageMode",
];

/// The first chunk's document-level parts.
pub(super) struct FirstChunk {
    /// The catalog entries of [`CATALOG_COPIED`], already written as `/Key value` pairs.
    pub(super) catalog: Vec<u8>,
    pub(super) info: u32,
    pub(super) xmp: Vec<u8>,
    /// The chunk's file IDs, as they appear in its XMP.
    pub(super) ids: Vec<Vec<u8>>,
}

/// `pdf` parsed strictly, its page tree and catalog checked; its pages in order.
pub(super) fn load(pdf: &[u8]) -> Result<(Document, Vec<ObjectId>), JoinError> {
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
    let pages = doc.get_pages().into_values().collect();
    Ok((doc, pages))
}

/// A flat page tree with nothing for the pages to inherit, as krilla writes it: then a page copied
/// alone keeps all it needs.
fn check_page_tree(doc: &Document, catalog: &Dictionary) -> Result<(), JoinError> {
    let root = doc.get_dictionary(catalog.get(b"Pages")?.as_reference()?)?;
    match root
        .iter()
        .find(|(key, _)| !matches!(key.as_slice(), b"Type" | b"Kids" | b"Count"))
    {
        Some((key, _)) => Err(JoinError::Unsupported(format!(
            "ページツリーに /{} があります",
            String::from_utf8_lossy(key)
        ))),
        None => Ok(()),
    }
}

/// Refuses a chunk whose catalog holds what the joined file would lose: only the first chunk's
/// entries are copied, so every chunk must carry nothing beyond them.
fn check_catalog(catalog: &Dictionary) -> Result<(), JoinError> {
    for (key, _) in catalog.iter() {
        let known = matches!(
            key.as_slice(),
            b"Type" | b"Pages" | b"Outlines" | b"Metadata" | b"StructTreeRoot"
        ) || CATALOG_COPIED.contains(&key.as_slice());
        if !known {
            return Err(JoinError::Unsupported(format!(
                "カタログに /{} があります",
                String::from_utf8_lossy(key)
            )));
        }
    }
    Ok(())
}

/// Takes the first chunk's catalog entries, info and metadata, numbering what they refer to.
pub(super) fn first_chunk(
    doc: &Document,
    copy: &mut Renumber<'_>,
) -> Result<FirstChunk, JoinError> {
    let mut entries = Vec::new();
    let mut xmp = None;
    for (key, value) in doc.catalog()?.iter() {
        match key.as_slice() {
            b"Type" | b"Pages" | b"Outlines" | b"StructTreeRoot" => {}
            b"Metadata" => {
                let stream = doc.get_object(value.as_reference()?)?.as_stream()?;
                if stream.dict.has(b"Filter") {
                    return Err(JoinError::Unsupported("XMP が圧縮されています".into()));
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
    let xmp = xmp.ok_or_else(|| JoinError::Unsupported("XMP がありません".into()))?;
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
pub(super) fn page_top(doc: &Document, page: ObjectId) -> Result<Object, JoinError> {
    let media_box = doc.get_dictionary(page)?.get(b"MediaBox")?.as_array()?;
    media_box
        .get(3)
        .cloned()
        .ok_or_else(|| JoinError::Unsupported("MediaBox が不正です".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_entry_the_merge_would_lose_is_refused_in_any_chunk() {
        let mut catalog = Dictionary::new();
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
}
