//! `secform clauses --format docx` read back: the Word document's paragraphs are the txt output,
//! each with the style of its block kind, on A4 with the PDF's margins, in BIZ UD明朝, with a PAGE
//! field in the footer, and the same bytes on every run.

use std::io::Read;

use assert_cmd::Command;
use secform::clauses::{docx::style_id, render_blocks, variant, BlockKind, Parties};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn secform() -> Command {
    Command::cargo_bin("secform").unwrap()
}

fn run_txt(args: &[&str]) -> String {
    let out = secform()
        .args(["clauses", "--format", "txt"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn run_docx(args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annex.docx");
    secform()
        .args(["clauses", "--format", "docx"])
        .args(args)
        .arg("-o")
        .arg(&path)
        .assert()
        .success();
    std::fs::read(path).unwrap()
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut file = zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

fn w<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children()
        .find(|n| n.tag_name().namespace() == Some(W) && n.tag_name().name() == name)
}

fn val<'a>(node: roxmltree::Node<'a, 'a>, attr: &str) -> Option<&'a str> {
    node.attribute((W, attr))
}

/// The body's paragraphs as (style id, text).
fn paragraphs(document: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(document).expect("well-formed document.xml");
    let body = w(doc.root_element(), "body").expect("w:body");
    body.children()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            let style = w(p, "pPr")
                .and_then(|ppr| w(ppr, "pStyle"))
                .and_then(|s| val(s, "val"))
                .unwrap_or("")
                .to_owned();
            let text = p
                .descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect();
            (style, text)
        })
        .collect()
}

const CASES: [(&str, Option<&str>); 4] = [
    ("npa-2022", None),
    ("npa-2022", Some("委託者,受託者")),
    ("itaku-14", None),
    ("itaku-14", Some("発注者,株式会社A&B<テスト>")),
];

fn args(variant: &str, parties: Option<&str>) -> Vec<String> {
    let mut args = vec!["--variant".to_owned(), variant.to_owned()];
    if let Some(p) = parties {
        args.extend(["--parties".to_owned(), p.to_owned()]);
    }
    args
}

#[test]
fn paragraphs_are_the_txt_output_with_the_style_of_their_block() {
    for (name, labels) in CASES {
        let args = args(name, labels);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let docx = run_docx(&args);
        let paras = paragraphs(&part(&docx, "word/document.xml"));
        let joined: String = paras.iter().map(|(_, t)| format!("{t}\n")).collect();
        assert_eq!(joined, run_txt(&args), "{args:?}");
        let v = variant(name).unwrap();
        let parties = labels.map_or(v.default_parties.clone(), |p| Parties::parse(p).unwrap());
        let blocks = render_blocks(&v, &parties).unwrap();
        assert_eq!(paras.len(), blocks.len());
        for ((style, text), block) in paras.iter().zip(&blocks) {
            assert_eq!(style, style_id(block.kind), "{text}");
        }
        // Every kind the layout distinguishes is there and styled differently.
        for kind in [
            BlockKind::Title,
            BlockKind::Caption,
            BlockKind::Article,
            BlockKind::Paragraph,
            BlockKind::Item,
        ] {
            assert!(paras.iter().any(|(s, _)| s == style_id(kind)), "{kind:?}");
        }
    }
}

#[test]
fn styles_carry_the_pdf_layout() {
    let docx = run_docx(&["--variant", "npa-2022"]);
    let styles = part(&docx, "word/styles.xml");
    let doc = roxmltree::Document::parse(&styles).unwrap();
    let style = |id: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name((W, "style")) && val(*n, "styleId") == Some(id))
            .unwrap_or_else(|| panic!("style {id}"))
    };
    let ind = |id: &str, attr: &str| {
        let ppr = w(style(id), "pPr").unwrap();
        w(ppr, "ind").and_then(|i| val(i, attr)).map(str::to_owned)
    };
    // clauses-page.json: body 10.5 pt = 210 twips an em; article [0, 1], item [1, 2].
    assert_eq!(ind("ClauseArticle", "left").as_deref(), Some("210"));
    assert_eq!(ind("ClauseArticle", "hanging").as_deref(), Some("210"));
    assert_eq!(ind("ClauseParagraph", "hanging").as_deref(), Some("210"));
    assert_eq!(ind("ClauseItem", "left").as_deref(), Some("420"));
    assert_eq!(ind("ClauseItem", "hanging").as_deref(), Some("210"));
    let size = |id: &str| {
        let rpr = w(style(id), "rPr").unwrap();
        w(rpr, "sz").and_then(|s| val(s, "val")).map(str::to_owned)
    };
    assert_eq!(size("ClauseTitle").as_deref(), Some("28"));
    // A caption stays with its article.
    let caption = w(style("ClauseCaption"), "pPr").unwrap();
    assert!(w(caption, "keepNext").is_some());
    assert_eq!(size("ClauseArticle").as_deref(), Some("21"));
    // Fonts and language in the defaults.
    let rpr = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "rPrDefault")))
        .and_then(|d| w(d, "rPr"))
        .unwrap();
    let fonts = w(rpr, "rFonts").unwrap();
    for attr in ["eastAsia", "ascii", "hAnsi"] {
        assert_eq!(val(fonts, attr), Some("BIZ UD明朝"), "{attr}");
    }
    let lang = w(rpr, "lang").unwrap();
    assert_eq!(val(lang, "eastAsia"), Some("ja-JP"));
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains(r#"<w:characterSpacingControl w:val="compressPunctuation" />"#));
}

#[test]
fn a4_with_the_pdf_margins_and_a_page_field() {
    let docx = run_docx(&["--variant", "itaku-14"]);
    let document = part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&document).unwrap();
    let sect = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "sectPr")))
        .expect("w:sectPr");
    let pg = w(sect, "pgSz").unwrap();
    // 210 × 297 mm in twips.
    assert_eq!((val(pg, "w"), val(pg, "h")), (Some("11906"), Some("16838")));
    let mar = w(sect, "pgMar").unwrap();
    for side in ["top", "right", "bottom", "left"] {
        // 25 mm.
        assert_eq!(val(mar, side), Some("1417"), "{side}");
    }
    let footer = part(&docx, "word/footer1.xml");
    let f = roxmltree::Document::parse(&footer).unwrap();
    let instr: Vec<&str> = f
        .descendants()
        .filter(|n| n.has_tag_name((W, "instrText")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(instr, ["PAGE"]);
    assert!(f
        .descendants()
        .any(|n| n.has_tag_name((W, "fldChar")) && val(n, "fldCharType") == Some("begin")));
    let core = part(&docx, "docProps/core.xml");
    let title = variant("itaku-14").unwrap().title;
    assert!(
        core.contains(&format!("<dc:title>{title}</dc:title>")),
        "{core}"
    );
    assert!(
        !core.contains("creator") && !core.contains("lastModifiedBy"),
        "{core}"
    );
}

#[test]
fn same_options_give_the_same_bytes() {
    let a = run_docx(&["--variant", "npa-2022", "--parties", "委託者,受託者"]);
    let b = run_docx(&["--variant", "npa-2022", "--parties", "委託者,受託者"]);
    assert!(a == b, "two runs differ");
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    let mut zip = zip;
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        let t = file.last_modified().unwrap();
        assert_eq!(
            (t.year(), t.month(), t.day()),
            (1980, 1, 1),
            "{}",
            file.name()
        );
    }
}

#[test]
fn bad_parties_and_a_missing_output_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annex.docx");
    for (args, needle) in [
        (vec!["--parties", "甲,甲"], "当事者名が同じです（甲）"),
        (vec!["--parties", "甲"], "1つしかありません"),
        (
            vec!["--with-form"],
            "--with-form は --format pdf のときだけ使えます",
        ),
    ] {
        let out = secform()
            .args(["clauses", "--format", "docx", "-o"])
            .arg(&path)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!path.exists(), "{args:?}: no file on failure");
    }
    let out = secform()
        .args(["clauses", "--format", "docx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("docx の出力先を -o FILE で指定してください")
    );
    assert!(out.stdout.is_empty());
}

/// `--party-names`: the docx starts with the parties block (a paragraph per party in a style of
/// its own), then the document without the option, paragraph for paragraph; the txt says the same.
#[test]
fn party_names_head_the_document_and_leave_the_text_as_it_was() {
    let names = "北海道警察本部,株式会社北辰情報システムズ";
    for (variant, first, second) in [("npa-2022", "甲", "乙"), ("itaku-14", "委託者", "受託者")]
    {
        let plain = ["--variant", variant];
        let named = ["--variant", variant, "--party-names", names];
        let before = paragraphs(&part(&run_docx(&plain), "word/document.xml"));
        let after = paragraphs(&part(&run_docx(&named), "word/document.xml"));
        let head = [
            (
                "ClauseParties".to_owned(),
                format!("{first}：北海道警察本部"),
            ),
            (
                "ClauseParties".to_owned(),
                format!("{second}：株式会社北辰情報システムズ"),
            ),
        ];
        assert_eq!(after[..2], head, "{variant}");
        assert_eq!(after[2..], before[..], "{variant}: the text is unchanged");
        let joined: String = after.iter().map(|(_, t)| format!("{t}\n")).collect();
        assert_eq!(joined, run_txt(&named));
        let styles = part(&run_docx(&named), "word/styles.xml");
        assert!(styles.contains(r#"w:styleId="ClauseParties""#));
        assert!(!part(&run_docx(&plain), "word/styles.xml").contains("ClauseParties"));
    }
}
