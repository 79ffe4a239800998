//! The joined file's structure tree when each chunk brings its own ([`super::from_chunks`]): one
//! `Document` element holding every chunk's top elements (a `Sect` per form), and one parent tree.
//!
//! Each chunk is a tagged PDF with its own structure tree root, whose `Document` element holds
//! the chunk's forms. The chunk's `Document` element is not copied: references to it (its
//! children's `/P`) are renumbered to the merged one, written last. Its children are copied with
//! the rest of the chunk. Each page's `/StructParents` key moves past the keys of the chunks
//! before it, and the chunk's parent tree entries follow under the moved keys, so a marked
//! content sequence still finds its element. Only the numbers of the top elements and one
//! number per page stay in memory.

use lopdf::{Document, Object, ObjectId};

use super::objects::{write_name, write_object};
use crate::error::JoinError;

/// What the merged tree has gathered so far.
pub(super) struct MergedTags {
    /// Object numbers of the merged structure tree root and `Document` element.
    pub(super) root: u32,
    pub(super) document: u32,
    /// The top elements of every chunk, in order.
    kids: Vec<u32>,
    /// Parent tree entries: key and the number of its array of elements.
    parents: Vec<(i64, u32)>,
    /// The next free key.
    next_key: i64,
    /// The first chunk's `Document` element entries beyond the ones rebuilt (its `/Lang`), and
    /// the root's (`/RoleMap`), written as `/Key value` pairs.
    document_extra: Vec<u8>,
    root_extra: Vec<u8>,
}

/// One chunk's structure tree, as read before its objects are copied.
pub(super) struct ChunkTags {
    /// The chunk's `Document` element, which the merged file's replaces.
    pub(super) document: ObjectId,
    kids: Vec<Object>,
    parents: Vec<(i64, Object)>,
    next_key: i64,
    document_extra: Vec<(Vec<u8>, Object)>,
    root_extra: Vec<(Vec<u8>, Object)>,
}

/// Reads the structure tree root `root` of a chunk as krilla writes it: a `Document` element over
/// everything, a flat parent tree, no ID tree (krilla writes one for notes only, which secform does
/// not tag). Anything else is refused: the merge would lose it.
pub(super) fn read_chunk(doc: &Document, root: ObjectId) -> Result<ChunkTags, JoinError> {
    let unsupported = |what: &str| JoinError::Unsupported(format!("構造ツリーに{what}"));
    let root = doc.get_dictionary(root)?;
    let mut root_extra = Vec::new();
    for (key, value) in root.iter() {
        match key.as_slice() {
            b"Type" | b"K" | b"ParentTree" | b"ParentTreeNextKey" => {}
            b"RoleMap" | b"ClassMap" => root_extra.push((key.clone(), value.clone())),
            k => {
                return Err(unsupported(&format!(
                    " /{} があります",
                    String::from_utf8_lossy(k)
                )))
            }
        }
    }
    let document = match root.get(b"K")? {
        Object::Array(kids) if kids.len() == 1 => kids[0].as_reference()?,
        Object::Array(_) => return Err(unsupported("文書の要素が 1 つではありません")),
        kid => kid.as_reference()?,
    };
    let element = doc.get_dictionary(document)?;
    if element.get(b"S")?.as_name()? != b"Document" {
        return Err(unsupported("文書の要素がありません"));
    }
    let mut kids = Vec::new();
    let mut document_extra = Vec::new();
    for (key, value) in element.iter() {
        match key.as_slice() {
            b"Type" | b"S" | b"P" | b"Pg" => {}
            b"K" => match value {
                Object::Array(items) => kids.extend(items.iter().cloned()),
                item => kids.push(item.clone()),
            },
            _ => document_extra.push((key.clone(), value.clone())),
        }
    }
    if kids.iter().any(|k| k.as_reference().is_err()) {
        return Err(unsupported("文書の要素に直接の内容があります"));
    }
    let tree = match root.get(b"ParentTree")? {
        Object::Reference(id) => doc.get_dictionary(*id)?,
        Object::Dictionary(d) => d,
        _ => return Err(unsupported("親ツリーがありません")),
    };
    if tree.has(b"Kids") {
        return Err(unsupported("入れ子の親ツリーがあります"));
    }
    let nums = tree.get(b"Nums")?.as_array()?;
    let mut parents = Vec::with_capacity(nums.len() / 2);
    for pair in nums.chunks(2) {
        let [key, value] = pair else {
            return Err(unsupported("親ツリーの対が欠けています"));
        };
        parents.push((key.as_i64()?, value.clone()));
    }
    let next_key = root.get(b"ParentTreeNextKey")?.as_i64()?;
    Ok(ChunkTags {
        document,
        kids,
        parents,
        next_key,
        document_extra,
        root_extra,
    })
}

impl MergedTags {
    /// The merged tree, its root and `Document` element numbered `root` and `document`.
    pub(super) fn new(root: u32, document: u32) -> MergedTags {
        MergedTags {
            root,
            document,
            kids: Vec::new(),
            parents: Vec::new(),
            next_key: 0,
            document_extra: Vec::new(),
            root_extra: Vec::new(),
        }
    }

    /// How far a chunk's `/StructParents` keys move: past every key before it.
    pub(super) fn key_offset(&self) -> i64 {
        self.next_key
    }

    /// Takes `chunk`'s top elements and its parent tree entries whose values are references;
    /// `number` renumbers the chunk's references (queuing the objects to be copied). Returns the
    /// entries whose values are direct arrays, keys moved, for the caller to write as objects of
    /// their own and give to [`MergedTags::parent`].
    pub(super) fn add_chunk(
        &mut self,
        chunk: &ChunkTags,
        number: &mut dyn FnMut(ObjectId) -> u32,
    ) -> Result<Vec<(i64, Object)>, JoinError> {
        // The root's and the Document element's other entries (the role map, the language) are
        // the first chunk's; a chunk whose differ would lose them.
        let document_extra = pairs(&chunk.document_extra, number)?;
        let root_extra = pairs(&chunk.root_extra, number)?;
        if self.next_key == 0 && self.kids.is_empty() {
            self.document_extra = document_extra;
            self.root_extra = root_extra;
        } else if document_extra != self.document_extra || root_extra != self.root_extra {
            return Err(JoinError::Unsupported(
                "構造ツリーの役割の対応表や言語が PDF ごとに違います".into(),
            ));
        }
        for kid in &chunk.kids {
            self.kids.push(number(kid.as_reference()?));
        }
        let offset = self.next_key;
        let mut direct = Vec::new();
        for (key, value) in &chunk.parents {
            match value {
                Object::Reference(id) => self.parents.push((key + offset, number(*id))),
                value => direct.push((key + offset, value.clone())),
            }
        }
        self.next_key += chunk.next_key;
        Ok(direct)
    }

    /// A parent tree entry whose array was written as object `n`.
    pub(super) fn parent(&mut self, key: i64, n: u32) {
        self.parents.push((key, n));
    }

    /// The parent tree (numbered `parent_tree`), the `Document` element and the root, as objects
    /// to write: number and body.
    pub(super) fn finish(mut self, parent_tree: u32) -> Vec<(u32, Vec<u8>)> {
        self.parents.sort_by_key(|&(key, _)| key);
        let refs =
            |numbers: &mut dyn Iterator<Item = String>| numbers.collect::<Vec<_>>().join(" ");
        let nums = refs(&mut self.parents.iter().map(|(k, n)| format!("{k} {n} 0 R")));
        let kids = refs(&mut self.kids.iter().map(|n| format!("{n} 0 R")));
        let mut document =
            format!("<</Type /StructElem/S /Document/P {} 0 R", self.root).into_bytes();
        document.extend_from_slice(&self.document_extra);
        document.extend_from_slice(format!("/K [{kids}]>>").as_bytes());
        let mut root = format!(
            "<</Type /StructTreeRoot/K {} 0 R/ParentTree {parent_tree} 0 R/ParentTreeNextKey {}",
            self.document, self.next_key
        )
        .into_bytes();
        root.extend_from_slice(&self.root_extra);
        root.extend_from_slice(b">>");
        vec![
            (parent_tree, format!("<</Nums [{nums}]>>").into_bytes()),
            (self.document, document),
            (self.root, root),
        ]
    }
}

/// `/Key value` pairs, references renumbered.
fn pairs(
    entries: &[(Vec<u8>, Object)],
    number: &mut dyn FnMut(ObjectId) -> u32,
) -> Result<Vec<u8>, JoinError> {
    let mut out = Vec::new();
    for (key, value) in entries {
        write_name(&mut out, key)?;
        out.push(b' ');
        write_object(&mut out, value, &mut |id| number(id))?;
    }
    Ok(out)
}
