//! A secform PDF as an answer set: the answers it carries (written by
//! [`crate::export::json::attachment`], embedded by the PDF painter) read back, so that `check`,
//! `render`, `convert` and batch folders take the PDF that came back from a subcontractor like any
//! answer file.

use lopdf::{Dictionary, Document, LoadOptions, Object};

pub use crate::model::answers::{ATTACHMENT_MIME as MIME, ATTACHMENT_NAME as FILE_NAME};

/// The largest attachment read back: an answer set is a few kilobytes; anything far larger is not
/// one of ours, and is refused before it takes the memory.
const MAX_ATTACHMENT: usize = 4 * 1024 * 1024;

/// Name-tree levels followed at most: ours has one; a loop of `/Kids` must not run forever.
const MAX_DEPTH: usize = 16;

/// Whether `bytes` are a PDF (by content, as a workbook is recognised by its parts).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// The JSON text of the answer set attached to the PDF `bytes`, or why there is none, in Japanese.
pub fn read(bytes: &[u8]) -> Result<String, String> {
    let doc = Document::load_mem_with_options(bytes, LoadOptions::default()).map_err(|_| {
        "PDF として読めません（壊れているか、暗号化されています）。secform で作った確認書の PDF を指定してください"
            .to_string()
    })?;
    let data = find(&doc).ok_or_else(|| {
        format!(
            "回答セット（{FILE_NAME}）が添付されていない PDF です。secform で作った確認書の PDF（回答セットを添付して作ったもの）か、回答セットの JSON・ブックを指定してください"
        )
    })?;
    let unreadable = |why: &str| format!("PDF に添付された回答セット（{FILE_NAME}）が {why}");
    let text = String::from_utf8(data).map_err(|_| unreadable("UTF-8 のテキストではありません"))?;
    if let Err(problems) = crate::input::json::parse(&text) {
        let why = problems
            .first()
            .map_or(String::new(), |p| format!("（{}）", p.message));
        return Err(unreadable(&format!("JSON として読めません{why}")));
    }
    Ok(text)
}

/// The decoded bytes of our attachment: by name in the catalog's `/EmbeddedFiles` name tree.
/// `None` when it is not there or cannot be decoded within [`MAX_ATTACHMENT`].
fn find(doc: &Document) -> Option<Vec<u8>> {
    let catalog = doc.catalog().ok()?;
    let names = deref_dict(doc, catalog.get(b"Names").ok()?)?;
    let tree = deref_dict(doc, names.get(b"EmbeddedFiles").ok()?)?;
    let spec = lookup(doc, tree, 0)?;
    let ef = deref_dict(doc, spec.get(b"EF").ok()?)?;
    let stream_ref = ef.get(b"F").or_else(|_| ef.get(b"UF")).ok()?;
    let (_, stream) = doc.dereference(stream_ref).ok()?;
    let stream = stream.as_stream().ok()?;
    stream.get_plain_content_with_limit(MAX_ATTACHMENT).ok()
}

/// The file specification named [`FILE_NAME`] in a name-tree node and its kids.
fn lookup<'a>(doc: &'a Document, node: &'a Dictionary, depth: usize) -> Option<&'a Dictionary> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Ok(Object::Array(pairs)) = node
        .get(b"Names")
        .and_then(|n| doc.dereference(n))
        .map(|(_, o)| o)
    {
        for pair in pairs.chunks(2) {
            if let [Object::String(name, _), spec] = pair {
                if text_string(name) == FILE_NAME {
                    return deref_dict(doc, spec);
                }
            }
        }
    }
    if let Ok(Object::Array(kids)) = node
        .get(b"Kids")
        .and_then(|k| doc.dereference(k))
        .map(|(_, o)| o)
    {
        for kid in kids {
            if let Some(found) = deref_dict(doc, kid).and_then(|k| lookup(doc, k, depth + 1)) {
                return Some(found);
            }
        }
    }
    None
}

fn deref_dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    doc.dereference(object).ok()?.1.as_dict().ok()
}

/// A PDF text string: UTF-16BE after its byte-order mark, or else (for our ASCII name) bytes.
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::json::normalised;

    #[test]
    fn comments_and_the_seal_path_are_dropped_the_mark_kept() {
        let value = serde_json::json!({
            "$comment": "x",
            "items": {"1": {"$comment": "row", "status": "実施"}},
            "seal": {"image": "/home/a/seal.png", "mark": false}
        });
        assert_eq!(
            normalised(&value),
            serde_json::json!({"items": {"1": {"status": "実施"}}, "seal": {"mark": false}})
        );
    }

    #[test]
    fn what_is_not_a_pdf_or_carries_nothing_is_named() {
        assert!(!looks_like_pdf(b"{\"a\":1}"));
        let err = read(b"%PDF-1.7\ngarbage").unwrap_err();
        assert!(err.contains("PDF として読めません"), "{err}");
    }
}
