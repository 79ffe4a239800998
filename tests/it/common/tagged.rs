//! A tagged PDF read back with lopdf: the structure tree with the text of each element's marked
//! content, as a screen reader or a copy from the tree gets it, and what was drawn outside it.

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

/// A structure element.
#[derive(Debug, Clone)]
pub struct Elem {
    /// The structure type: `H1`, `TR`, `TD` …
    pub role: String,
    pub title: Option<String>,
    pub alt: Option<String>,
    /// The `/Scope` of a table header cell.
    pub scope: Option<String>,
    pub kids: Vec<Kid>,
    /// The (0-based) pages its own marked content is on.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum Kid {
    Elem(Elem),
    /// The text of one marked-content sequence.
    Content(String),
}

impl Elem {
    pub fn elems(&self) -> impl Iterator<Item = &Elem> {
        self.kids.iter().filter_map(|k| match k {
            Kid::Elem(e) => Some(e),
            Kid::Content(_) => None,
        })
    }

    /// All text under the element, in tree order, each marked-content sequence (a laid-out line)
    /// followed by a line break.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for kid in &self.kids {
            match kid {
                Kid::Content(t) => {
                    out.push_str(t);
                    out.push('\n');
                }
                Kid::Elem(e) => out.push_str(&e.text()),
            }
        }
        out
    }

    /// Its text with the line breaks taken out: the cell's text as written.
    pub fn joined(&self) -> String {
        self.text().replace('\n', "")
    }
}

/// What a page draws, by how it is marked.
#[derive(Debug, Default)]
pub struct Marked {
    /// Text of each marked-content id, per page.
    pub content: HashMap<(ObjectId, i64), String>,
    /// Text drawn as an artifact.
    pub artifacts: Vec<String>,
    /// Text drawn outside any marked content: must be none.
    pub untagged: Vec<String>,
    /// Painting operators (paths, images) outside any marked content: must be none.
    pub untagged_graphics: usize,
}

/// The tagged PDF's structure tree (its `Document` element) and how every page's content is
/// marked.
pub fn read(pdf: &[u8]) -> (Elem, Marked) {
    let doc = Document::load_mem(pdf).expect("PDF parses");
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut marked = Marked::default();
    for &page in &pages {
        mark_page(&doc, page, &mut marked);
    }
    let catalog = doc.catalog().expect("catalog");
    let root = doc
        .get_dictionary(
            catalog
                .get(b"StructTreeRoot")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .expect("structure tree root");
    let kids = kids_of(root);
    assert_eq!(kids.len(), 1, "one Document element");
    let page_index: HashMap<ObjectId, usize> =
        pages.iter().enumerate().map(|(i, &p)| (p, i)).collect();
    let document = elem(&doc, &kids[0], None, &marked, &page_index);
    (document, marked)
}

fn kids_of(dict: &Dictionary) -> Vec<Object> {
    match dict.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(o) => vec![o.clone()],
        Err(_) => Vec::new(),
    }
}

fn text_string(o: &Object) -> String {
    lopdf::decode_text_string(o).expect("text string")
}

fn elem(
    doc: &Document,
    obj: &Object,
    page: Option<ObjectId>,
    marked: &Marked,
    page_index: &HashMap<ObjectId, usize>,
) -> Elem {
    let id = obj.as_reference().expect("element by reference");
    let dict = doc.get_dictionary(id).expect("element");
    let role = String::from_utf8(dict.get(b"S").unwrap().as_name().unwrap().to_vec()).unwrap();
    let page = dict
        .get(b"Pg")
        .ok()
        .and_then(|p| p.as_reference().ok())
        .or(page);
    let scope = dict.get(b"A").ok().and_then(|a| {
        let attrs = match a {
            Object::Array(list) => list.clone(),
            o => vec![o.clone()],
        };
        attrs.iter().find_map(|a| {
            let d = match a {
                Object::Reference(r) => doc.get_dictionary(*r).ok()?,
                Object::Dictionary(d) => d,
                _ => return None,
            };
            let s = d.get(b"Scope").ok()?.as_name().ok()?;
            Some(String::from_utf8(s.to_vec()).unwrap())
        })
    });
    let mut out = Elem {
        role,
        title: dict.get(b"T").ok().map(text_string),
        alt: dict.get(b"Alt").ok().map(text_string),
        scope,
        kids: Vec::new(),
        pages: Vec::new(),
    };
    for kid in kids_of(dict) {
        let (mcid, on) = match &kid {
            Object::Integer(n) => (*n, page.expect("a /Pg for a marked-content id")),
            Object::Dictionary(d)
                if d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"MCR") =>
            {
                (
                    d.get(b"MCID").unwrap().as_i64().unwrap(),
                    d.get(b"Pg").unwrap().as_reference().unwrap(),
                )
            }
            Object::Reference(_) => {
                out.kids
                    .push(Kid::Elem(elem(doc, &kid, page, marked, page_index)));
                continue;
            }
            other => panic!("unexpected kid {other:?}"),
        };
        let text = marked
            .content
            .get(&(on, mcid))
            .unwrap_or_else(|| panic!("marked content {mcid} is on its page"));
        out.kids.push(Kid::Content(text.clone()));
        out.pages.push(page_index[&on]);
    }
    out
}

/// Walks a page's content stream, tracking marked content and the font, and files each piece of
/// text under the marked content it is in.
fn mark_page(doc: &Document, page: ObjectId, marked: &mut Marked) {
    let fonts = doc.get_page_fonts(page).expect("fonts");
    let encodings: BTreeMap<Vec<u8>, Encoding> = fonts
        .into_iter()
        .map(|(name, font)| (name, font.get_font_encoding(doc).expect("encoding")))
        .collect();
    let content = Content::decode(&doc.get_page_content(page)).expect("ops");
    // The open marked-content sequences: Some(mcid), or None for an artifact.
    let mut stack: Vec<Option<i64>> = Vec::new();
    let mut encoding = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" | "BMC" => {
                let tag = op.operands[0].as_name().unwrap();
                if tag == b"Artifact" {
                    stack.push(None);
                } else {
                    let props = match op.operands.get(1) {
                        Some(Object::Dictionary(d)) => d.clone(),
                        Some(Object::Name(n)) => {
                            let (res, _) = doc.get_page_resources(page).unwrap();
                            let props = res.unwrap().get(b"Properties").unwrap();
                            let props = match props {
                                Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
                                Object::Dictionary(d) => d,
                                _ => panic!("properties"),
                            };
                            let p = props.get(n).unwrap();
                            match p {
                                Object::Reference(r) => doc.get_dictionary(*r).unwrap().clone(),
                                Object::Dictionary(d) => d.clone(),
                                _ => panic!("property list"),
                            }
                        }
                        _ => Dictionary::new(),
                    };
                    let mcid = props.get(b"MCID").ok().and_then(|m| m.as_i64().ok());
                    stack.push(Some(mcid.expect("tagged content has an MCID")));
                    marked.content.entry((page, mcid.unwrap())).or_default();
                }
            }
            "EMC" => {
                stack.pop().expect("EMC closes a sequence");
            }
            "Tf" => encoding = encodings.get(op.operands[0].as_name().unwrap()),
            "Tj" | "TJ" => {
                let mut text = String::new();
                let e = encoding.expect("a font is set");
                for operand in &op.operands {
                    let items = match operand {
                        Object::Array(a) => a.clone(),
                        o => vec![o.clone()],
                    };
                    for item in items {
                        if let Object::String(bytes, _) = item {
                            text.push_str(&Document::decode_text(e, &bytes).unwrap());
                        }
                    }
                }
                match stack.last() {
                    Some(Some(mcid)) => marked
                        .content
                        .get_mut(&(page, *mcid))
                        .unwrap()
                        .push_str(&text),
                    Some(None) => marked.artifacts.push(text),
                    None => marked.untagged.push(text),
                }
            }
            "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "Do" | "sh"
                if stack.is_empty() =>
            {
                marked.untagged_graphics += 1;
            }
            _ => {}
        }
    }
    assert!(stack.is_empty(), "every marked-content sequence is closed");
}

/// Checks the parent tree against the structure tree, as a reader that starts from the page does:
/// every page's `/StructParents` key leads to an array whose entry for each marked-content id is
/// the element whose `/K` holds that id; the keys run from 0 to `/ParentTreeNextKey`; every
/// element's `/P` is the element it is a kid of. Returns the number of marked-content ids checked.
pub fn assert_parent_tree(pdf: &[u8]) -> usize {
    let doc = Document::load_mem(pdf).expect("PDF parses");
    let catalog = doc.catalog().unwrap();
    let root_id = catalog
        .get(b"StructTreeRoot")
        .unwrap()
        .as_reference()
        .unwrap();
    let root = doc.get_dictionary(root_id).unwrap();
    // Who holds each marked-content id, walking down from the root and checking each /P.
    let mut owner: HashMap<(ObjectId, i64), ObjectId> = HashMap::new();
    let mut stack: Vec<(ObjectId, ObjectId, Option<ObjectId>)> = kids_of(root)
        .iter()
        .map(|k| (k.as_reference().unwrap(), root_id, None))
        .collect();
    while let Some((id, parent, page)) = stack.pop() {
        let dict = doc.get_dictionary(id).unwrap();
        assert_eq!(
            dict.get(b"P").unwrap().as_reference().unwrap(),
            parent,
            "/P of {id:?}"
        );
        let page = dict
            .get(b"Pg")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .or(page);
        for kid in kids_of(dict) {
            match &kid {
                Object::Integer(n) => {
                    assert!(
                        owner.insert((page.unwrap(), *n), id).is_none(),
                        "one parent"
                    );
                }
                Object::Dictionary(d) => {
                    let key = (
                        d.get(b"Pg").unwrap().as_reference().unwrap(),
                        d.get(b"MCID").unwrap().as_i64().unwrap(),
                    );
                    assert!(owner.insert(key, id).is_none(), "one parent");
                }
                Object::Reference(r) => stack.push((*r, id, page)),
                other => panic!("unexpected kid {other:?}"),
            }
        }
    }
    let tree = match root.get(b"ParentTree").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        Object::Dictionary(d) => d,
        _ => panic!("parent tree"),
    };
    let nums = tree.get(b"Nums").unwrap().as_array().unwrap();
    let entries: BTreeMap<i64, &Object> = nums
        .chunks(2)
        .map(|p| (p[0].as_i64().unwrap(), &p[1]))
        .collect();
    let next = root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    assert_eq!(
        entries.keys().copied().collect::<Vec<_>>(),
        (0..next).collect::<Vec<_>>()
    );
    let mut checked = 0;
    for (_, page) in doc.get_pages() {
        let key = doc
            .get_dictionary(page)
            .unwrap()
            .get(b"StructParents")
            .map(|k| k.as_i64().unwrap());
        let mine: Vec<(i64, ObjectId)> = owner
            .iter()
            .filter(|((p, _), _)| *p == page)
            .map(|((_, m), o)| (*m, *o))
            .collect();
        let Ok(key) = key else {
            assert!(
                mine.is_empty(),
                "a page with tagged content has /StructParents"
            );
            continue;
        };
        let array = match entries[&key] {
            Object::Reference(r) => doc.get_object(*r).unwrap().as_array().unwrap(),
            Object::Array(a) => a,
            _ => panic!("parent tree entry"),
        };
        for (mcid, element) in mine {
            let entry = array[mcid as usize].as_reference().unwrap();
            assert_eq!(entry, element, "page {page:?}, MCID {mcid}");
            checked += 1;
        }
    }
    checked
}

/// The outline titles of `pdf`, depth first, each with its depth (1 at the top).
pub fn outline(pdf: &[u8]) -> Vec<(usize, String)> {
    let doc = Document::load_mem(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let root = doc
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let mut out = Vec::new();
    fn walk(doc: &Document, first: Option<ObjectId>, depth: usize, out: &mut Vec<(usize, String)>) {
        let mut next = first;
        while let Some(id) = next {
            let item = doc.get_dictionary(id).unwrap();
            out.push((
                depth,
                lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap(),
            ));
            let child = item.get(b"First").ok().map(|f| f.as_reference().unwrap());
            walk(doc, child, depth + 1, out);
            next = item.get(b"Next").ok().map(|n| n.as_reference().unwrap());
        }
    }
    walk(
        &doc,
        root.get(b"First").ok().map(|f| f.as_reference().unwrap()),
        1,
        &mut out,
    );
    out
}
