//! The end of the joined file: the page tree, then (after the structure tree's root, which the
//! strategy writes) the metadata, the catalog and the cross-reference stream.
//!
//! The catalog's entries (language, output intent), the document info and the XMP metadata are the
//! first chunk's, so the PDF/A identification and the info/XMP agreement are krilla's own; the XMP's
//! page count and IDs are set to the joined file's. The file ID is a hash of the bytes written, so
//! the same chunks always give the same bytes.

use std::io::Write;

use super::chunk::FirstChunk;
use super::objstm;
use super::output::{allocate, Counting, CATALOG, PAGE_TREE};
use crate::error::JoinError;

/// Writes the page tree: `pages`, the joined file's page objects in order.
pub(super) fn write_page_tree<W: Write>(
    out: &mut Counting<W>,
    offsets: &mut [u64],
    pages: &[u32],
) -> Result<(), JoinError> {
    offsets[PAGE_TREE as usize] = out.pos;
    write!(
        out,
        "{PAGE_TREE} 0 obj\n<</Type /Pages/Count {}/Kids [",
        pages.len()
    )?;
    for (i, page) in pages.iter().enumerate() {
        let gap = if i == 0 {
            ""
        } else if i % 16 == 0 {
            "\n"
        } else {
            " "
        };
        write!(out, "{gap}{page} 0 R")?;
    }
    out.write_all(b"]>>\nendobj\n")?;
    Ok(())
}

/// What the catalog refers to beyond the first chunk's entries.
pub(super) struct Catalog<'a> {
    pub(super) outline: Option<u32>,
    pub(super) struct_tree: Option<u32>,
    /// Entries as written (`/Key value` pairs).
    pub(super) extra: &'a [u8],
}

/// Writes the metadata, the catalog and the cross-reference stream, after everything else, and
/// gives back the output; `pages`: the joined file's page count.
pub(super) fn write_end<W: Write>(
    mut out: Counting<W>,
    offsets: &mut Vec<u64>,
    first: &FirstChunk,
    pages: usize,
    catalog: Catalog<'_>,
) -> Result<W, JoinError> {
    // As krilla does: the instance ID hashes what comes before the metadata, and the document
    // ID is the same.
    let id = format!("{:032x}", out.hash());
    let xmp = patch_xmp(&first.xmp, &first.ids, id.as_bytes(), pages)?;
    let metadata = allocate(offsets);
    offsets[metadata as usize] = out.pos;
    write!(
        out,
        "{metadata} 0 obj\n<</Length {}/Type /Metadata/Subtype /XML>>\nstream\n",
        xmp.len()
    )?;
    out.write_all(&xmp)?;
    out.write_all(b"\nendstream\nendobj\n")?;
    offsets[CATALOG as usize] = out.pos;
    write!(
        out,
        "{CATALOG} 0 obj\n<</Type /Catalog/Pages {PAGE_TREE} 0 R/Metadata {metadata} 0 R"
    )?;
    out.write_all(&first.catalog)?;
    if let Some(outline) = catalog.outline {
        write!(out, "/Outlines {outline} 0 R")?;
    }
    if let Some(root) = catalog.struct_tree {
        write!(out, "/StructTreeRoot {root} 0 R")?;
    }
    out.write_all(catalog.extra)?;
    out.write_all(b">>\nendobj\n")?;
    let own = allocate(offsets);
    let xref = out.pos;
    offsets[own as usize] = xref;
    // The cross-reference stream's offsets have five bytes.
    if xref >= 1 << 40 {
        return Err(JoinError::Unsupported(
            "1 TB を超える PDF は作れません".into(),
        ));
    }
    let trailer = format!(
        "/Root {CATALOG} 0 R/Info {} 0 R/ID [({id})({id})]",
        first.info
    );
    let stream = objstm::xref_stream(offsets, own, &trailer).map_err(|number| {
        JoinError::Unsupported(format!("オブジェクト {number} が書かれていません"))
    })?;
    out.write_all(&stream)?;
    write!(out, "startxref\n{xref}\n%%EOF\n")?;
    out.flush()?;
    Ok(out.into_inner())
}

/// The first chunk's XMP with the joined file's page count and IDs.
fn patch_xmp(
    xmp: &[u8],
    old_ids: &[Vec<u8>],
    id: &[u8],
    pages: usize,
) -> Result<Vec<u8>, JoinError> {
    const OPEN: &[u8] = b"<xmpTPg:NPages>";
    const CLOSE: &[u8] = b"</xmpTPg:NPages>";
    let unexpected = |what: &str| JoinError::Unsupported(format!("XMP に {what} がありません"));
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Metadata that cannot be made the joined file's is refused rather than copied wrong.
    #[test]
    fn unexpected_xmp_is_refused() {
        let ids = vec![b"OLD".to_vec()];
        assert!(patch_xmp(b"<i>OLD</i>", &ids, b"NEW", 1).is_err());
        let no_id = b"<xmpTPg:NPages>2</xmpTPg:NPages>";
        assert!(patch_xmp(no_id, &ids, b"NEW", 1).is_err());
    }
}
