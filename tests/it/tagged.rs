//! Tagged PDFs (PDF/UA-1 with PDF/A-2a or 3a): the structure tree read back with lopdf, each
//! element's text taken from the marked content it points at, compared with the answers, the seed
//! wording and the clause blocks; and nothing on a page left outside the tree but artifacts.

use crate::common;

use common::tagged::{self, Elem, Marked};
use serde_json::{json, Value};

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The Document element's children, by role.
fn roles(e: &Elem) -> Vec<&str> {
    e.elems().map(|e| e.role.as_str()).collect()
}

/// Nothing is drawn outside the tree but artifacts, and every artifact's text is one the layout
/// draws for the page's sake (`allowed`).
fn assert_all_marked(marked: &Marked, allowed: &dyn Fn(&str) -> bool) {
    assert!(
        marked.untagged.is_empty(),
        "untagged text: {:?}",
        marked.untagged
    );
    assert_eq!(marked.untagged_graphics, 0, "untagged paths or images");
    for a in &marked.artifacts {
        assert!(allowed(a), "text drawn as an artifact: 「{a}」");
    }
}

fn xmp(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let id = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let stream = doc.get_object(id).unwrap().as_stream().unwrap();
    String::from_utf8(stream.content.clone()).unwrap()
}

/// The form's structure in reading order: H1, H2 with (1)–(4) as a list and its notes, H2 with the
/// table of a header row (TH, scope Column) and 26 rows of four cells whose text is the row number,
/// the row text of the seed, the status and the detail as printed; 確認年月日 and 確認者 as
/// paragraphs, the closing notes last.
#[test]
fn the_form_is_headings_a_list_and_a_table_of_27_rows() {
    let value = common::sample("main-contractor.json");
    let pdf = common::render(&value);
    let (doc, marked) = tagged::read(&pdf);
    let form = secform::FormSpec::get("npa-2022").unwrap();
    assert_eq!(
        roles(&doc),
        ["H1", "H2", "L", "P", "P", "P", "H2", "Table", "P", "P", "P", "P"]
    );
    let top: Vec<&Elem> = doc.elems().collect();
    assert_eq!(top[0].joined(), form.title);
    assert_eq!(top[0].title.as_deref(), Some(form.title.as_str()));
    assert_eq!(top[1].joined(), form.target.heading);
    assert_eq!(top[6].joined(), form.items.heading);
    // (1)–(4): a list item each, label and answer.
    let items: Vec<String> = top[2].elems().map(Elem::joined).collect();
    assert_eq!(items.len(), form.target.fields.len());
    assert_eq!(items[0], "(1) 事業者名：株式会社サンプル情報システム");
    assert!(top[2]
        .elems()
        .all(|li| li.role == "LI" && roles(li) == ["LBody"]));
    assert_eq!(top[3].joined(), form.target.notes.heading);

    let table = top[7];
    let rows: Vec<&Elem> = table.elems().collect();
    assert_eq!(rows.len(), 27, "a header row and 26 rows");
    assert!(rows
        .iter()
        .all(|r| r.role == "TR" && r.elems().count() == 4));
    let header: Vec<&Elem> = rows[0].elems().collect();
    assert!(header
        .iter()
        .all(|c| c.role == "TH" && c.scope.as_deref() == Some("Column")));
    let titles: Vec<String> = header.iter().map(|c| c.joined()).collect();
    assert_eq!(titles, common::seed_header());

    let answers = secform::input::answers::from_value(&value).unwrap();
    let resolved = secform::rules::resolve(&answers, form);
    let seed = common::seed_rows();
    for (row, (number, text, optional)) in rows[1..].iter().zip(&seed) {
        let cells: Vec<&Elem> = row.elems().collect();
        assert!(cells.iter().all(|c| c.role == "TD"), "row {number}");
        assert_eq!(cells[0].joined(), number.to_string());
        assert_eq!(no_space(&cells[1].joined()), no_space(text), "row {number}");
        let (status, detail) = match resolved.items.get(number) {
            Some(i) => (i.status.clone(), i.detail.clone()),
            None if *optional => (
                form.items.optional_mark.clone(),
                form.items.optional_mark.clone(),
            ),
            None => (String::new(), String::new()),
        };
        assert_eq!(cells[2].joined(), status, "row {number}");
        assert_eq!(
            no_space(&cells[3].joined()),
            no_space(&detail),
            "row {number}"
        );
    }
    assert!(top[8].joined().starts_with(&form.checked_on.label));
    assert!(top[9].joined().starts_with(&form.checker.label));
    assert_eq!(top[10].joined(), form.closing_notes.heading);

    // The repeated header row of page 2 is the only text outside the tree.
    let repeated: Vec<String> = common::seed_header();
    assert_all_marked(&marked, &|a| repeated.iter().any(|h| h == a));
    assert!(
        !marked.artifacts.is_empty(),
        "page 2 repeats the header row"
    );

    let xmp = xmp(&pdf);
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"));
    assert!(xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
}

/// A row taller than what is left of a page is split over two pages but stays one row of the
/// table: one TR whose cells hold all their lines, in order, from both pages.
#[test]
fn a_row_split_over_pages_is_one_row_with_whole_cells() {
    let mut value = common::sample("main-contractor.json");
    let unit = "保護すべき情報の取扱いについて、取扱者ごとの教育記録（受講日・内容）を確認した。";
    let detail: String = unit.repeat(60).chars().take(2000).collect();
    value["items"]["12"]["detail"] = json!(detail);
    let (doc, marked) = tagged::read(&common::render(&value));
    let table = doc.elems().find(|e| e.role == "Table").unwrap();
    let rows: Vec<&Elem> = table.elems().collect();
    assert_eq!(rows.len(), 27);
    let row = rows[12];
    let cells: Vec<&Elem> = row.elems().collect();
    assert_eq!(cells[0].joined(), "12");
    assert_eq!(no_space(&cells[3].joined()), no_space(&detail));
    let pages = &cells[3].pages;
    assert!(
        pages.first() < pages.last(),
        "the detail runs over pages: {pages:?}"
    );
    assert!(pages.windows(2).all(|w| w[0] <= w[1]), "in page order");
    // What the continuation shows for the page's sake: the header row, the row's number and the
    // continued mark (broken to the number cell), none of it read twice.
    let repeated = common::seed_header();
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let mark = &form.items.continued_mark;
    assert_all_marked(&marked, &|a| {
        repeated.iter().any(|h| h == a) || a == "12" || (!a.is_empty() && mark.contains(a))
    });
    assert!(
        marked.artifacts.iter().any(|a| a == "12"),
        "the number repeated"
    );
}

/// The seal image is a figure with its alternate text from the layout, after the 確認者 line.
#[test]
fn the_seal_image_is_a_figure_with_alternate_text() {
    let mut value = common::sample("main-contractor.json");
    value["seal"] = json!({"image": "seal.png"});
    let mut o = common::opts();
    o.seal_files = secform::files::SealFolder::shared(common::root().join("tests/fixtures"));
    let pdf = common::renderer()
        .render_json(&value.to_string(), &o)
        .unwrap_or_else(|e| panic!("{e}"));
    let (doc, marked) = tagged::read(&pdf);
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let top: Vec<&Elem> = doc.elems().collect();
    let checker = top
        .iter()
        .position(|e| e.joined().starts_with(&form.checker.label))
        .unwrap();
    let figure = top[checker + 1];
    assert_eq!(figure.role, "Figure");
    assert_eq!(figure.alt.as_deref(), Some(form.checker.seal_alt.as_str()));
    assert_eq!(figure.kids.len(), 1, "the image's marked content");
    assert_eq!(marked.untagged_graphics, 0);
}

/// The blank form: the same structure, the table's empty cells still cells.
#[test]
fn the_blank_form_has_the_same_table() {
    let pdf = common::renderer().render_blank("npa-2022").unwrap().bytes;
    let (doc, marked) = tagged::read(&pdf);
    let table = doc.elems().find(|e| e.role == "Table").unwrap();
    assert_eq!(table.elems().count(), 27);
    assert!(table.elems().all(|r| r.elems().count() == 4));
    let header: Vec<&Elem> = table.elems().next().unwrap().elems().collect();
    assert!(header
        .iter()
        .all(|c| c.role == "TH" && c.scope.as_deref() == Some("Column")));
    let titles: Vec<String> = header.iter().map(|c| c.joined()).collect();
    assert_eq!(titles, common::seed_header());
    assert!(table
        .elems()
        .skip(1)
        .all(|r| r.elems().all(|c| c.role == "TD")));
    let repeated = common::seed_header();
    assert_all_marked(&marked, &|a| repeated.iter().any(|h| h == a));
    let xmp = xmp(&pdf);
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>"),
        "no attachment: PDF/A-2a"
    );
    assert!(xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
}

/// Clauses: the title H1, each article's caption H2, each 項 a P, each run of 号 a list; the text
/// in the tree is the clause blocks' text, block for block; page numbers are artifacts.
#[test]
fn the_clauses_are_headings_paragraphs_and_lists() {
    for variant in ["npa-2022", "itaku-14"] {
        let v = secform::clauses::variant(variant).unwrap();
        let parties = v.default_parties.clone();
        let doc = common::renderer()
            .clauses_document(&v, &parties, false)
            .unwrap();
        let pdf = common::renderer().pdf(&doc).unwrap();
        let (tree, marked) = tagged::read(&pdf);
        let blocks = secform::clauses::render_blocks(&v, &parties).unwrap();
        let mut expected = Vec::new();
        let mut in_list = false;
        for b in &blocks {
            use secform::clauses::BlockKind::*;
            let role = match b.kind {
                Title => "H1",
                Caption => "H2",
                Article | Paragraph | Text | Parties => "P",
                Item => "L",
            };
            if !(b.kind == Item && in_list) {
                expected.push(role);
            }
            in_list = b.kind == Item;
        }
        assert_eq!(roles(&tree), expected, "{variant}");
        // Block by block, the text (a list: its items').
        let mut elems = tree.elems();
        let mut list_items: Vec<String> = Vec::new();
        for b in &blocks {
            let text = no_space(&b.text());
            if b.kind == secform::clauses::BlockKind::Item {
                if list_items.is_empty() {
                    let l = elems.next().unwrap();
                    list_items = l.elems().map(|li| no_space(&li.joined())).collect();
                    list_items.reverse();
                }
                assert_eq!(list_items.pop().unwrap(), text, "{variant}");
            } else {
                list_items.clear();
                let e = elems.next().unwrap();
                assert_eq!(no_space(&e.joined()), text, "{variant}");
                if e.role.starts_with('H') {
                    assert_eq!(e.title.as_deref().map(no_space), Some(text));
                }
            }
        }
        // Page numbers are the only artifacts, as the page style writes them.
        let footer: Value =
            serde_json::from_str(&common::read("layouts/clauses-page.json")).unwrap();
        let footer = footer["footer"]["text"].as_str().unwrap().to_string();
        assert_all_marked(&marked, &|a| {
            (1..100).any(|n| footer.replace("{page}", &n.to_string()) == a)
        });
        assert!(!marked.artifacts.is_empty(), "{variant}: page numbers");
    }
}

/// `clauses --with-form`: the clauses' structure, then the blank form's.
#[test]
fn clauses_with_the_form_are_both_structures_in_order() {
    let v = secform::clauses::variant("npa-2022").unwrap();
    let parties = v.default_parties.clone();
    let doc = common::renderer()
        .clauses_document(&v, &parties, true)
        .unwrap();
    let (tree, _) = tagged::read(&common::renderer().pdf(&doc).unwrap());
    let h1: Vec<String> = tree
        .elems()
        .filter(|e| e.role == "H1")
        .map(Elem::joined)
        .collect();
    let form = secform::FormSpec::get("npa-2022").unwrap();
    assert_eq!(h1, [v.title.clone(), form.title.clone()]);
    assert_eq!(tree.elems().filter(|e| e.role == "Table").count(), 1);
}

/// A merged batch: one Sect per form, titled with its entity's name, holding that form's whole
/// structure, across chunk boundaries, and a parent tree that leads every page's content back to
/// its own element (the outline is tests/it/merge.rs's).
#[test]
fn a_merged_batch_is_a_section_per_entity() {
    let dir = tempfile::tempdir().unwrap();
    // Seven forms (and a bad entry) in chunks of three, each padded to an even page count.
    let (merged, forms) = common::merged::run(dir.path(), 2, 3, true);
    let pdf = std::fs::read(&merged).unwrap();
    let (tree, marked) = tagged::read(&pdf);
    let sections: Vec<&Elem> = tree.elems().collect();
    assert_eq!(sections.len(), 7);
    for (i, (s, name)) in sections.iter().zip(common::merged::TITLES).enumerate() {
        assert_eq!(s.role, "Sect");
        let title = s.title.clone().unwrap();
        assert_eq!(title, name);
        if i > 0 {
            assert!(title.ends_with("(下請負者等)"), "{title}");
        }
        assert_eq!(
            roles(s),
            ["H1", "H2", "L", "P", "P", "P", "H2", "Table", "P", "P", "P", "P"]
        );
        let rows = s
            .elems()
            .find(|e| e.role == "Table")
            .unwrap()
            .elems()
            .count();
        assert_eq!(rows, 27);
        // Its text is the form's own, whatever chunk it was in.
        let company = s.elems().nth(2).unwrap().elems().next().unwrap().joined();
        assert!(company.ends_with(&title), "{company} / {title}");
    }
    let repeated = common::seed_header();
    assert_all_marked(&marked, &|a| repeated.iter().any(|h| h == a));
    assert!(xmp(&pdf).contains("<pdfuaid:part>1</pdfuaid:part>"));
    // From the page up: every marked-content id of every page, across the three chunks, leads to
    // its own element through the merged parent tree.
    let checked = tagged::assert_parent_tree(&pdf);
    let alone = tagged::assert_parent_tree(&std::fs::read(&forms[0]).unwrap());
    assert!(
        checked > 6 * alone,
        "{checked} ids checked, {alone} in one form"
    );
}

/// A private use character (外字) cannot be said by a reader nor copied: `check` names the field
/// and the position, once (not also as a character missing from the font), and `render` refuses.
#[test]
fn a_private_use_character_is_refused_by_name() {
    let mut value = common::sample("main-contractor.json");
    value["target"]["company"] = json!("株式会社\u{E012}田");
    let problems = common::renderer().check(&value.to_string(), &common::opts());
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("target.company"), "{}", errors[0]);
    assert!(
        errors[0].contains("5 文字目の U+E012 は私用領域の文字（外字）"),
        "{}",
        errors[0]
    );
    assert!(common::renderer()
        .render_json(&value.to_string(), &common::opts())
        .is_err());
    // A party name of the clauses too, by its position.
    let err = secform::clauses::Parties::parse("北海道警察本部,株式会社\u{E012}田").unwrap_err();
    assert_eq!(
        err.to_string(),
        "2番目の当事者名の U+E012 は私用領域の文字（外字）です。読み上げやコピーで正しい文字にならないため使えません"
    );
}

/// PDF/UA wants an outline: a form's is its title with its two sections under it, the clauses'
/// their title with each article's caption under it.
#[test]
fn the_outline_is_the_headings_nested_under_the_title() {
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let pdf = common::render(&common::sample("main-contractor.json"));
    assert_eq!(
        tagged::outline(&pdf),
        [
            (1, form.title.clone()),
            (2, form.target.heading.clone()),
            (2, form.items.heading.clone())
        ]
    );
    let v = secform::clauses::variant("itaku-14").unwrap();
    let doc = common::renderer()
        .clauses_document(&v, &v.default_parties, false)
        .unwrap();
    let entries = tagged::outline(&common::renderer().pdf(&doc).unwrap());
    let blocks = secform::clauses::render_blocks(&v, &v.default_parties).unwrap();
    let captions: Vec<(usize, String)> = blocks
        .iter()
        .filter(|b| b.kind == secform::clauses::BlockKind::Caption)
        .map(|b| (2, b.text()))
        .collect();
    assert_eq!(entries[0], (1, v.title.clone()));
    assert_eq!(entries[1..], captions[..]);
}

/// A line no layout assigned to the structure is a defect: painting refuses it with secform's
/// own error (never a panic, never a PDF with untagged text); so is a line of another document's
/// structure.
#[test]
fn content_outside_the_structure_is_refused_when_painted() {
    use secform::layout::document::{Element, Tag};
    let a = secform::input::answers::from_value(&common::sample("main-contractor.json")).unwrap();
    let good = common::renderer()
        .form_document(&a, &common::opts())
        .unwrap()
        .document;
    for bad in [Tag::Unassigned, Tag::Node(unknown_node(&good))] {
        let mut doc = good.clone();
        let text = doc.pages[0]
            .elements
            .iter_mut()
            .find_map(|e| match e {
                Element::Text(t) => Some(t),
                _ => None,
            })
            .unwrap();
        text.tag = bad;
        let err = common::renderer().pdf(&doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PDF を作成できません: PDF を組み立てられません（secform の不具合です）"
        );
    }
    assert!(common::renderer().pdf(&good).is_ok());
}

/// A node id past the end of `doc`'s structure (taken from a document with more elements).
fn unknown_node(doc: &secform::layout::document::Document) -> secform::layout::document::NodeId {
    let v = secform::clauses::variant("npa-2022").unwrap();
    let bigger = common::renderer()
        .clauses_document(&v, &v.default_parties, true)
        .unwrap();
    let n = doc.structure.nodes().len();
    let id = bigger
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .find_map(|t| match t.tag {
            secform::layout::document::Tag::Node(id) if id.index() >= n => Some(id),
            _ => None,
        });
    id.unwrap()
}
