//! A secform PDF as an answer set: the answers it carries (written by
//! [`crate::export::json::attachment`], embedded by the PDF painter) read back, so that `check`,
//! `render`, `convert` and batch folders take the PDF that came back from a subcontractor like any
//! answer file.
//!
//! Every PDF read here came from someone else, so the work it can ask for is bounded, as qpdf
//! bounds it: the file's size, the cross-reference sections chained, the objects loaded, the
//! bytes object streams inflate to (each and all together), the nodes of the attachments' name
//! tree (each visited once). A file beyond a
//! cap is refused in words; none of them is near what a secform PDF needs (about 100 KB, no
//! object streams, a name tree of one node).

use std::cell::RefCell;
use std::collections::HashSet;

use lopdf::{DecompressError, Dictionary, Document, LoadOptions, Object, ObjectId};
use serde_json::Value;

use crate::error::{AttachedError, Problem, ReadError};

pub use crate::model::answers::{ATTACHMENT_MIME as MIME, ATTACHMENT_NAME as FILE_NAME};

/// The largest PDF read: a secform PDF is about 100 KB (a seal image adds at most 5 MB).
pub const MAX_PDF_BYTES: usize = 16 * 1024 * 1024;

/// The largest attachment read back: an answer set is a few kilobytes; anything far larger is not
/// one of ours, and is refused before it takes the memory.
pub const MAX_ATTACHMENT: usize = 4 * 1024 * 1024;

/// The most a single object or cross-reference stream may inflate to while the file is loaded
/// (an object stream of a few hundred objects is tens of kilobytes). lopdf holds every
/// cross-reference entry (3 bytes or more each) in memory before any object is read: this, with
/// [`MAX_SECTIONS`], bounds them to about 1.4 million.
pub const MAX_STREAM: usize = 512 * 1024;

/// The most cross-reference sections chained by `/Prev` or `/XRefStm`: one for each incremental
/// update (a PDF signed or annotated a few times); secform writes one.
pub const MAX_SECTIONS: usize = 8;

/// The most all object streams together may inflate to (secform writes none in a form).
pub const MAX_INFLATED: usize = 16 * 1024 * 1024;

/// The most objects loaded: a secform form has about 190.
pub const MAX_OBJECTS: usize = 100_000;

/// The most name-tree nodes visited looking for the attachment: ours has one.
pub const MAX_NODES: usize = 1_000;

/// An answer set read from a PDF: its JSON text, and what the reader changed in it or found
/// wrong (a seal image's path dropped; a key written twice), at their JSON paths.
#[derive(Debug, Clone)]
pub struct Attached {
    pub json: String,
    pub problems: Vec<Problem>,
}

/// What the message says when `seal.image` is dropped from a received answer set.
const SEAL_IMAGE_DROPPED: &str = "PDF に添付された回答セットの印影の画像のパスは使いません（受け取った PDF がこのコンピューターのファイルを指定することはできません）。印影は入りません。押印欄の扱い（seal.mark）はそのままです。印影を入れるときは、画像を seal.image に指定し直してください";

/// Whether `bytes` are a PDF (by content, as a workbook is recognised by its parts).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// The JSON text of the answer set attached to the PDF `bytes`, or why there is none.
/// What [`read_attached`] reports beside the text is left out: callers that show it use that.
pub fn read(bytes: &[u8]) -> Result<String, ReadError> {
    Ok(read_attached(bytes)?.json)
}

/// The answer set attached to the PDF `bytes`, within the caps above. A path in `seal.image`
/// names a file on the sender's machine, or one the sender wants read from the receiver's: it is
/// dropped with a warning (`seal.mark` is kept).
pub fn read_attached(bytes: &[u8]) -> Result<Attached, AttachedError> {
    let doc = load_within_caps(bytes)?;
    let data = find(&doc)?;
    let text = String::from_utf8(data).map_err(|_| AttachedError::NotUtf8(FILE_NAME))?;
    let (mut value, twice) =
        crate::input::json::parse(&text).map_err(|problems| AttachedError::NotJson {
            name: FILE_NAME,
            why: problems
                .first()
                .map_or(String::new(), |p| format!("（{}）", p.message)),
        })?;
    let image = value
        .get_mut("seal")
        .and_then(Value::as_object_mut)
        .and_then(|seal| seal.remove("image"));
    let Some(image) = image else {
        // Unchanged: a key written twice is found again by whoever reads the text strictly.
        return Ok(Attached {
            json: text,
            problems: Vec::new(),
        });
    };
    let mut problems = twice;
    let shown = image
        .as_str()
        .map_or_else(|| image.to_string(), str::to_string);
    let shown: String = shown.chars().take(120).collect();
    problems.push(Problem::warning(
        "seal.image",
        format!(
            "{SEAL_IMAGE_DROPPED}（指定されていたパス: {}）",
            crate::error::Visible(&shown)
        ),
    ));
    let json = serde_json::to_string_pretty(&value).map_err(|_| AttachedError::NotJson {
        name: FILE_NAME,
        why: String::new(),
    })?;
    Ok(Attached { json, problems })
}

/// The document of `bytes`, loaded within every cap above: what any look into a received PDF goes
/// through (its attached answers, or whether it is secform's own merged PDF).
pub(crate) fn load_within_caps(bytes: &[u8]) -> Result<Document, AttachedError> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(AttachedError::TooLarge {
            size: bytes.len(),
            limit: MAX_PDF_BYTES,
        });
    }
    let keys = scan_keys(bytes);
    if keys.encrypt {
        // lopdf loads an encrypted file by another path, which the budget's filter does not see.
        return Err(AttachedError::Encrypted);
    }
    if keys.sections > MAX_SECTIONS {
        return Err(AttachedError::Structure("相互参照の更新が多すぎます"));
    }
    load(bytes)
}

/// What loading a file has cost so far, for [`budgeted`], which lopdf calls as a plain `fn` on the
/// loading thread (lopdf is built without rayon), hence a thread-local.
#[derive(Default)]
struct Budget {
    objects: usize,
    inflated: usize,
    exceeded: Option<&'static str>,
}

thread_local! {
    static BUDGET: RefCell<Budget> = RefCell::new(Budget::default());
}

/// The document, loaded within [`MAX_OBJECTS`], [`MAX_STREAM`] and [`MAX_INFLATED`].
fn load(bytes: &[u8]) -> Result<Document, AttachedError> {
    BUDGET.with(|b| *b.borrow_mut() = Budget::default());
    let options = LoadOptions {
        filter: Some(budgeted),
        max_decompressed_size: Some(MAX_STREAM),
        ..LoadOptions::default()
    };
    let loaded = Document::load_mem_with_options(bytes, options);
    let exceeded = BUDGET.with(|b| std::mem::take(&mut *b.borrow_mut()).exceeded);
    if let Some(what) = exceeded {
        return Err(AttachedError::Structure(what));
    }
    match loaded {
        Ok(doc) => Ok(doc),
        Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => Err(
            AttachedError::Structure("圧縮された部分が展開すると大きすぎます"),
        ),
        Err(_) => Err(AttachedError::Unreadable),
    }
}

/// lopdf's filter, called with each object as it is parsed and before an object stream is
/// inflated: counts the objects and inflates each object stream itself against the whole file's
/// budget (lopdf then reads the plain bytes). Past a cap everything is dropped at once.
fn budgeted(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    BUDGET.with(|b| {
        let mut b = b.borrow_mut();
        if b.exceeded.is_some() {
            return None;
        }
        b.objects += 1;
        if b.objects > MAX_OBJECTS {
            b.exceeded = Some("オブジェクトが多すぎます");
            return None;
        }
        if let Object::Stream(stream) = object {
            if stream.dict.has_type(b"ObjStm") {
                let limit = MAX_STREAM.min(MAX_INFLATED - b.inflated);
                match stream.get_plain_content_with_limit(limit) {
                    Ok(plain) => {
                        b.inflated += plain.len();
                        stream.set_plain_content(plain);
                    }
                    Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded {
                        ..
                    })) => {
                        b.exceeded = Some("圧縮された部分が展開すると大きすぎます");
                        return None;
                    }
                    // Broken: lopdf fails on it as it would have.
                    Err(_) => {}
                }
            }
        }
        // lopdf keeps `object` for a top-level object and the returned one for a member of an
        // object stream: both are the same.
        Some((id, object.clone()))
    })
}

/// What the raw bytes say of the file's structure before lopdf reads it: whether it is encrypted,
/// and how many cross-reference sections it chains (lopdf reads them all before any object).
#[derive(Debug, Default, PartialEq, Eq)]
struct Keys {
    encrypt: bool,
    sections: usize,
}

/// The keys `/Encrypt` (followed by a reference or a dictionary: a text merely holding the word is
/// not one) and `/Prev` and `/XRefStm` (each a further cross-reference section), written plainly
/// or with `#xx` escapes, as lopdf reads both. Trailers and cross-reference stream dictionaries
/// are never compressed, so every such key is in the raw bytes.
fn scan_keys(bytes: &[u8]) -> Keys {
    const LONGEST: usize = 8;
    let mut keys = Keys::default();
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&c| c == b'/') {
        let mut j = i + at + 1;
        let mut name = [0u8; LONGEST + 1];
        let mut len = 0;
        while len <= LONGEST {
            match bytes.get(j) {
                Some(b'#') => {
                    let hex = bytes
                        .get(j + 1..j + 3)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(c) => {
                            name[len] = c;
                            len += 1;
                            j += 3;
                        }
                        None => break,
                    }
                }
                Some(&c) if c.is_ascii_alphanumeric() => {
                    name[len] = c;
                    len += 1;
                    j += 1;
                }
                _ => break,
            }
        }
        let value = bytes[j.min(bytes.len())..].trim_ascii_start();
        match &name[..len] {
            b"Encrypt"
                if value
                    .first()
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'<') =>
            {
                keys.encrypt = true;
            }
            // An offset, not a reference (an outline item's `/Prev 12 0 R`).
            b"Prev" | b"XRefStm" if !is_reference(value) => keys.sections += 1,
            _ => {}
        }
        i = j.max(i + at + 1);
    }
    keys
}

/// Whether `bytes` begin with an indirect reference, `12 0 R`.
fn is_reference(bytes: &[u8]) -> bool {
    after_number(bytes)
        .and_then(after_number)
        .is_some_and(|rest| rest.first() == Some(&b'R'))
}

/// What follows the digits `bytes` begin with and the white space after them.
fn after_number(bytes: &[u8]) -> Option<&[u8]> {
    let digits = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
    (digits > 0).then(|| bytes[digits..].trim_ascii_start())
}

/// The decoded bytes of our attachment: by name in the catalog's `/EmbeddedFiles` name tree.
fn find(doc: &Document) -> Result<Vec<u8>, AttachedError> {
    let missing = AttachedError::NotAttached(FILE_NAME);
    let catalog = doc.catalog().map_err(|_| AttachedError::Unreadable)?;
    let names = entry_dict(doc, catalog, b"Names")?;
    let tree = entry_dict(doc, names, b"EmbeddedFiles")?;
    let mut walk = Walk {
        doc,
        seen: HashSet::new(),
        nodes: 0,
    };
    let spec = walk.lookup(tree)?.ok_or(missing)?;
    let ef = entry_dict(doc, spec, b"EF")?;
    let stream_ref = ef
        .get(b"F")
        .or_else(|_| ef.get(b"UF"))
        .map_err(|_| AttachedError::NotAttached(FILE_NAME))?;
    let stream = doc
        .dereference(stream_ref)
        .ok()
        .and_then(|(_, o)| o.as_stream().ok())
        .ok_or(AttachedError::NotAttached(FILE_NAME))?;
    stream
        .get_plain_content_with_limit(MAX_ATTACHMENT)
        .map_err(|e| match e {
            lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
                AttachedError::AttachmentTooLarge {
                    name: FILE_NAME,
                    limit: MAX_ATTACHMENT,
                }
            }
            _ => AttachedError::AttachmentBroken(FILE_NAME),
        })
}

/// A walk of the attachments' name tree that visits each node once and at most [`MAX_NODES`].
struct Walk<'a> {
    doc: &'a Document,
    seen: HashSet<ObjectId>,
    nodes: usize,
}

impl<'a> Walk<'a> {
    /// The file specification named [`FILE_NAME`] in `node` and its kids, depth first.
    fn lookup(&mut self, node: &'a Dictionary) -> Result<Option<&'a Dictionary>, AttachedError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(AttachedError::Structure("添付ファイルの一覧が大きすぎます"));
        }
        let doc = self.doc;
        if let Some(Object::Array(pairs)) = node.get(b"Names").ok().and_then(|n| deref(doc, n)) {
            for pair in pairs.chunks(2) {
                if let [Object::String(name, _), spec] = pair {
                    if text_string(name) == FILE_NAME {
                        return Ok(deref_dict(doc, spec));
                    }
                }
            }
        }
        if let Some(Object::Array(kids)) = node.get(b"Kids").ok().and_then(|k| deref(doc, k)) {
            for kid in kids {
                // A kid is an indirect object; one met again (a loop, or a node listed twice) is
                // not walked again.
                let Ok((id, kid)) = doc.dereference(kid) else {
                    continue;
                };
                if id.is_some_and(|id| !self.seen.insert(id)) {
                    continue;
                }
                if let Ok(kid) = kid.as_dict() {
                    if let Some(found) = self.lookup(kid)? {
                        return Ok(Some(found));
                    }
                }
            }
        }
        Ok(None)
    }
}

/// The dictionary at `key` of `dict`; its absence means the attachment is not there.
fn entry_dict<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Result<&'a Dictionary, AttachedError> {
    dict.get(key)
        .ok()
        .and_then(|o| deref_dict(doc, o))
        .ok_or(AttachedError::NotAttached(FILE_NAME))
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

pub(crate) fn deref_dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    deref(doc, object)?.as_dict().ok()
}

/// A PDF text string: UTF-16BE after its byte-order mark, or else (secform's are ASCII) bytes.
pub(crate) fn text_string(bytes: &[u8]) -> String {
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
    fn keys_are_found_however_they_are_spelled() {
        let encrypted = |b: &[u8]| scan_keys(b).encrypt;
        assert!(encrypted(b"trailer<</Root 1 0 R/Encrypt 5 0 R>>"));
        assert!(encrypted(b"<</Encr#79pt<</Filter/Standard>>>>"));
        assert!(encrypted(b"/#45#6e#63#72#79#70#74 12 0 R"));
        assert!(!encrypted(b"(a text on /Encrypt and more)"));
        assert!(!encrypted(b"/EncryptMetadata false /Encryp 3 0 R"));
        assert!(!encrypted(b"/"));
        let sections = |b: &[u8]| scan_keys(b).sections;
        assert_eq!(
            sections(b"<</Prev 10/Size 3>> <</P#72ev 20>> /XRefStm 5 /Previous"),
            3
        );
        // An outline item's neighbour is no cross-reference section.
        assert_eq!(sections(b"<</Title(a)/Prev 12 0 R/Next 14 0 R>>"), 0);
    }

    #[test]
    fn what_is_not_a_pdf_or_carries_nothing_is_named() {
        assert!(!looks_like_pdf(b"{\"a\":1}"));
        let err = read(b"%PDF-1.7\ngarbage").unwrap_err().to_string();
        assert!(err.contains("PDF として読めません"), "{err}");
    }
}
