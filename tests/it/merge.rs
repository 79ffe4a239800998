//! The merged PDF of a batch, built in chunks of a few forms and streamed to its file: read back with
//! lopdf, it must be one valid PDF/A-2a with every form's pages, text and bookmark, whatever the chunk
//! boundaries and the number of threads.

use crate::common;

use common::merged::{self, page_count, TITLES};
use std::path::{Path, PathBuf};

use lopdf::{Document, LoadOptions, Object, ObjectId};

/// Forms a chunk in these tests: 7 good forms make chunks of 3, 3 and 1.
const CHUNK: usize = 3;

fn run(dir: &Path, jobs: usize, chunk: usize) -> (PathBuf, Vec<PathBuf>) {
    merged::run(dir, jobs, chunk, false)
}

/// Loaded strictly: a cross-reference table that needed repair is refused.
fn load_strict(pdf: &[u8]) -> Document {
    let doc = Document::load_mem_with_options(
        pdf,
        LoadOptions {
            strict: true,
            ..LoadOptions::default()
        },
    )
    .expect("strict load");
    assert!(doc.xref_recovery.is_none(), "{:?}", doc.xref_recovery);
    doc
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> &'a lopdf::Dictionary {
    match object {
        Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

/// Pages, outline and text: the merged file is the forms one after another, each bookmarked at its
/// first page, across chunk boundaries and past a failed entry.
#[test]
fn the_merged_pdf_is_every_form_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let (merged, forms) = run(tmp.path(), 2, CHUNK);
    let bytes = std::fs::read(&merged).unwrap();
    let doc = load_strict(&bytes);
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let each: Vec<usize> = forms.iter().map(|f| page_count(f)).collect();
    assert_eq!(pages.len(), each.iter().sum::<usize>());

    // Every page reads as the same page of the form rendered alone.
    let alone: Vec<Vec<String>> = forms
        .iter()
        .flat_map(|f| common::pdf_pages(&std::fs::read(f).unwrap()))
        .collect();
    assert_eq!(common::pdf_pages(&bytes), alone);

    // One bookmark per form, in order, at its first page (checked on the page objects themselves).
    let firsts: Vec<usize> = (0..each.len())
        .map(|i| each[..i].iter().sum::<usize>())
        .collect();
    let catalog = doc.catalog().unwrap();
    let outlines = dict(&doc, catalog.get(b"Outlines").unwrap());
    // The seven forms, then the bad entry (the fifth) the merged file lacks, asked for as such.
    assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 8);
    let mut item = outlines.get(b"First").unwrap().as_reference().ok();
    let mut seen = Vec::new();
    let mut prev = None;
    while let Some(id) = item {
        let d = doc.get_dictionary(id).unwrap();
        assert_eq!(
            d.get(b"Parent").unwrap().as_reference().ok(),
            outlines_id(&doc)
        );
        assert_eq!(d.get(b"Prev").and_then(Object::as_reference).ok(), prev);
        let title = lopdf::decode_text_string(d.get(b"Title").unwrap()).unwrap();
        let dest = d.get(b"Dest").unwrap().as_array().unwrap();
        let page = pages
            .iter()
            .position(|&p| Some(p) == dest[0].as_reference().ok())
            .expect("the bookmark points at a page");
        seen.push((title, page));
        prev = Some(id);
        item = d.get(b"Next").and_then(Object::as_reference).ok();
    }
    assert_eq!(
        outlines.get(b"Last").unwrap().as_reference().ok(),
        prev,
        "/Last is the last item"
    );
    let mut expected: Vec<(String, usize)> = TITLES
        .iter()
        .zip(&firsts)
        .map(|(t, &p)| (t.to_string(), p))
        .collect();
    let gap = seen.last().expect("an outline").0.clone();
    assert_eq!(gap, "欠落: 5 件目（株式会社テスト技研）");
    expected.push((gap, pages.len() - 1));
    assert_eq!(seen, expected);
    // lopdf's own reading of the outline agrees (pages from 1).
    let toc: Vec<(String, usize)> = doc
        .get_toc()
        .unwrap()
        .toc
        .into_iter()
        .map(|t| (t.title, t.page - 1))
        .collect();
    assert_eq!(toc, expected);
}

fn outlines_id(doc: &Document) -> Option<ObjectId> {
    doc.catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .ok()
}

/// PDF/A-2a identification, once; metadata that agrees with the file; embedded font subsets, one
/// per chunk (so the chunks really were cut every `CHUNK` forms); offsets that point at their objects.
#[test]
fn the_merged_pdf_is_one_pdfa_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (merged, _) = run(tmp.path(), 2, CHUNK);
    let bytes = std::fs::read(&merged).unwrap();
    let doc = load_strict(&bytes);
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"ja");
    let intents = match catalog.get(b"OutputIntents").unwrap() {
        Object::Reference(id) => doc.get_object(*id).unwrap().as_array().unwrap(),
        o => o.as_array().unwrap(),
    };
    assert_eq!(intents.len(), 1);
    assert_eq!(
        dict(&doc, &intents[0])
            .get(b"S")
            .unwrap()
            .as_name()
            .unwrap(),
        b"GTS_PDFA1"
    );
    let of_type = |t: &[u8]| {
        doc.objects
            .values()
            .filter(|o| {
                let d = match o {
                    Object::Dictionary(d) => d,
                    Object::Stream(s) => &s.dict,
                    _ => return false,
                };
                d.get(b"Type").and_then(Object::as_name).ok() == Some(t)
            })
            .count()
    };
    assert_eq!(of_type(b"Catalog"), 1);
    assert_eq!(of_type(b"Metadata"), 1);
    assert_eq!(of_type(b"OutputIntent"), 1);
    assert_eq!(of_type(b"Pages"), 1, "one page tree");

    // The XMP: PDF/A-2a and PDF/UA-1, the merged page count, the file's own ID, the info dictionary's title.
    let xmp_id = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let xmp = doc.get_object(xmp_id).unwrap().as_stream().unwrap();
    assert!(!xmp.dict.has(b"Filter"));
    let xmp = String::from_utf8(xmp.content.clone()).unwrap();
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
    let pages = doc.get_pages().len();
    assert!(xmp.contains(&format!("<xmpTPg:NPages>{pages}</xmpTPg:NPages>")));
    let ids = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
    let id = String::from_utf8(ids[0].as_str().unwrap().to_vec()).unwrap();
    assert!(xmp.contains(&format!("<xmpMM:InstanceID>{id}</xmpMM:InstanceID>")));
    assert!(xmp.contains(&format!("<xmpMM:DocumentID>{id}</xmpMM:DocumentID>")));
    let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
    let title = lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap();
    assert!(xmp.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>")));
    assert_eq!(title, "情報セキュリティ対策履行状況確認書");

    // Every font an embedded subset; a font per chunk, shared by the chunk's pages.
    let mut chunk_fonts = std::collections::BTreeSet::new();
    for (_, page) in doc.get_pages() {
        let page = doc.get_dictionary(page).unwrap();
        let resources = dict(&doc, page.get(b"Resources").unwrap());
        let fonts = dict(&doc, resources.get(b"Font").unwrap());
        for (_, font) in fonts.iter() {
            chunk_fonts.insert(font.as_reference().unwrap());
            let font = dict(&doc, font);
            let name = font.get(b"BaseFont").unwrap().as_name().unwrap().to_vec();
            assert_eq!(name.get(6), Some(&b'+'), "not a subset: {name:?}");
            let cid = &font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0];
            let descriptor = dict(&doc, dict(&doc, cid).get(b"FontDescriptor").unwrap());
            assert!(descriptor.has(b"FontFile2"), "not embedded: {name:?}");
        }
    }
    assert_eq!(chunk_fonts.len(), 7usize.div_ceil(CHUNK), "{chunk_fonts:?}");

    // Each row of the cross-reference stream points at its object: an offset where the object
    // begins, or an object stream (itself at an offset) and an index in it, where lopdf found it.
    let text = String::from_utf8_lossy(&bytes);
    let tail = &text[text.rfind("startxref\n").unwrap() + "startxref\n".len()..];
    let at: usize = tail.lines().next().unwrap().parse().unwrap();
    let head = String::from_utf8_lossy(&bytes[at..at + 64]);
    let own: u32 = head.split(' ').next().unwrap().parse().unwrap();
    assert!(
        head.starts_with(&format!("{own} 0 obj\n<</Type /XRef/")),
        "{head}"
    );
    let rows = doc
        .get_object((own, 0))
        .unwrap()
        .as_stream()
        .unwrap()
        .decompressed_content()
        .unwrap();
    let mut packed = 0;
    let at_offset =
        |n: usize, offset: usize| bytes[offset..].starts_with(format!("{n} 0 obj\n").as_bytes());
    for (n, row) in rows.chunks(8).enumerate().skip(1) {
        let field = u64::from_be_bytes([0, 0, 0, row[1], row[2], row[3], row[4], row[5]]) as usize;
        match row[0] {
            1 => assert!(at_offset(n, field), "object {n}"),
            2 => {
                let stream = &rows[field * 8..field * 8 + 8];
                assert_eq!(stream[0], 1, "object stream {field} is at an offset");
                let offset = u64::from_be_bytes([
                    0, 0, 0, stream[1], stream[2], stream[3], stream[4], stream[5],
                ]);
                assert!(at_offset(field, offset as usize));
                assert!(
                    doc.get_object((n as u32, 0)).is_ok(),
                    "object {n} in stream {field}"
                );
                packed += 1;
            }
            t => panic!("object {n}: row type {t}"),
        }
    }
    assert!(
        packed > rows.len() / 8 / 2,
        "most objects are packed: {packed}"
    );
    assert!(bytes.ends_with(b"%%EOF\n"));
}

/// The bytes depend on the forms only: one thread or two, the same merged file, chunk boundaries
/// included.
#[test]
fn jobs_do_not_change_the_merged_file() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("1");
    let two = tmp.path().join("2");
    let (a, _) = run(&one, 1, 2);
    let (b, _) = run(&two, 2, 2);
    assert!(
        std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
        "--jobs 1 and --jobs 2 differ"
    );
}

/// A chunk as large as the batch gives the same pages and outline as small chunks: chunking changes
/// only how the fonts are shared.
#[test]
fn chunk_size_changes_only_the_font_sharing() {
    let tmp = tempfile::tempdir().unwrap();
    let (small, _) = run(&tmp.path().join("s"), 2, 2);
    let (whole, _) = run(&tmp.path().join("w"), 2, 100);
    let small = std::fs::read(small).unwrap();
    let whole = std::fs::read(whole).unwrap();
    assert_eq!(common::pdf_pages(&small), common::pdf_pages(&whole));
    let toc = |pdf: &[u8]| load_strict(pdf).get_toc().unwrap().toc.len();
    // Seven forms and the entry the merged file lacks.
    assert_eq!((toc(&small), toc(&whole)), (8, 8));
    assert!(whole.len() < small.len(), "one font subset is smaller");
}
