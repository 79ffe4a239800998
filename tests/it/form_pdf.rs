//! The rendered 確認書, read back from the PDF and checked against the seed's wording, the layout's
//! own boxes and the PDF guarantees (A4, subset fonts, PDF/A-2a, identical bytes).

use crate::common;

use common::*;
use secform::layout::document::{Document, Element};
use secform::layout::text::{NO_LINE_END, NO_LINE_START};
use serde_json::json;

/// The wording of the form outside its table, straight from the seed: every line from the form's
/// title to the end, without Markdown markers, table rows or the party-free 「殿」 preamble.
fn seed_form_lines() -> Vec<String> {
    let seed = read("tests/fixtures/seeds/004_faaeaf0efdfc754c.txt");
    let start = seed.find("## 情報セキュリティ対策履行状況確認書").unwrap();
    seed[start..]
        .lines()
        .filter(|l| !l.contains('\t') && !l.trim().is_empty())
        .map(|l| {
            l.trim()
                .trim_start_matches("## ")
                .trim_start_matches("- ")
                .to_string()
        })
        .collect()
}

fn all_lines(pdf: &[u8]) -> Vec<String> {
    pdf_pages(pdf).into_iter().flatten().collect()
}

#[test]
fn blank_form_prints_every_label_and_row_text_of_the_seed_exactly() {
    let r = renderer();
    let pdf = r.pdf(&r.blank_document("npa-2022").unwrap()).unwrap();
    let lines = all_lines(&pdf);
    let wording = seed_form_lines();
    assert!(wording.len() >= 13, "{wording:?}");
    for expected in &wording {
        assert!(
            printed(&lines, expected),
            "not printed exactly: {expected}\n{lines:#?}"
        );
    }
    for header in seed_header() {
        assert!(printed(&lines, &header), "header cell {header}");
    }
    let rows = seed_rows();
    assert_eq!(rows.len(), 26);
    for (n, text, _) in &rows {
        assert!(printed(&lines, text), "row {n} not printed exactly: {text}");
        assert!(lines.contains(&n.to_string()), "row number {n}");
    }
    // A blank form shows ※ twice for each ※ row of the seed (status and detail), and nowhere else
    // except the closing note.
    let marks = lines.iter().filter(|l| l.as_str() == "※").count();
    assert_eq!(marks, 2 * rows.iter().filter(|r| r.2).count());
}

#[test]
fn filled_form_prints_the_answers_next_to_their_labels() {
    let pdf = render(&sample("main-contractor.json"));
    let lines = all_lines(&pdf);
    for expected in [
        "(1) 事業者名：株式会社サンプル情報システム",
        "(2) 対象部門等名：第二システム開発部",
        "(3) 契約開始年月日：令和7年4月1日",
        "(4) 前回確認実施年月日：令和7年10月1日",
        "確認年月日：令和8年4月10日",
        "確認者（事業者名、所属、役職、氏名）：株式会社サンプル情報システム　総務部　部長　山田 太郎",
        "令和7年3月14日付けで下請負先、契約内容等を記した書面を添えて申請し、同月28日に許可を得た。",
        "印",
    ] {
        assert!(printed(&lines, expected), "not printed: {expected}\n{lines:#?}");
    }
    for (n, text, _) in seed_rows() {
        assert!(printed(&lines, &text), "row {n}");
    }
    // Row 17 is a ※ row left out: both of its answer cells show ※.
    let answered = sample("main-contractor.json")["items"]
        .as_object()
        .unwrap()
        .clone();
    let left_out = seed_rows()
        .iter()
        .filter(|(n, _, mark)| *mark && !answered.contains_key(&n.to_string()))
        .count();
    assert!(left_out >= 1);
    assert_eq!(
        lines.iter().filter(|l| l.as_str() == "※").count(),
        2 * left_out
    );
}

#[test]
fn subcontractor_name_gets_the_suffix_exactly_once() {
    let mut v = sample("subcontractor.json");
    let lines = all_lines(&render(&v));
    assert!(
        printed(&lines, "(1) 事業者名：株式会社テスト技研(下請負者等)"),
        "{lines:#?}"
    );
    v["target"]["company"] = json!("株式会社テスト技研(下請負者等)");
    let lines = all_lines(&render(&v));
    assert!(printed(
        &lines,
        "(1) 事業者名：株式会社テスト技研(下請負者等)"
    ));
    assert!(!lines.iter().any(|l| l.contains("(下請負者等)(下請負者等)")));
    v["target"]["subcontractor"] = json!(false);
    v["target"]["company"] = json!("株式会社テスト技研");
    let lines = all_lines(&render(&v));
    assert!(printed(&lines, "(1) 事業者名：株式会社テスト技研"));
    assert!(!lines
        .iter()
        .any(|l| l.starts_with("(1) 事業者名：") && l.contains("(下請負者等)")));
}

#[test]
fn pages_are_a4_and_the_font_is_an_embedded_subset() {
    let pdf = render(&sample("main-contractor.json"));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    for (_, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).unwrap();
        let mediabox = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let nums: Vec<f32> = mediabox.iter().map(|o| o.as_float().unwrap()).collect();
        assert!((nums[2] - nums[0] - 595.276).abs() < 0.1, "{nums:?}");
        assert!((nums[3] - nums[1] - 841.89).abs() < 0.1, "{nums:?}");
    }
    let mut fonts = 0;
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"FontDescriptor") {
            fonts += 1;
            let name = String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap())
                .to_string();
            let (tag, base) = name.split_once('+').expect("subset tag");
            assert!(
                tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
                "{name}"
            );
            assert_eq!(base, "BIZUDMincho-Regular");
            assert!(dict.has(b"FontFile2"), "font program embedded");
        }
    }
    assert_eq!(fonts, 1);
    // A subset, not the whole 6 MB font.
    assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
}

#[test]
fn pdf_is_pdf_a_3a_and_pdf_ua_1_with_title_and_language() {
    let pdf = render(&sample("main-contractor.json"));
    let text = String::from_utf8_lossy(&pdf);
    // PDF/A-3a: the form carries its answer set (tests/it/record.rs; 2a with --no-attach), and is
    // tagged (tests/it/tagged.rs) as PDF/UA-1 asks, its title shown in the viewer's title bar.
    assert!(text.contains("<pdfaid:part>3</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(text.contains("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(text.contains("/DisplayDocTitle true"));
    assert!(
        text.contains("<rdf:li xml:lang=\"x-default\">情報セキュリティ対策履行状況確認書</rdf:li>")
    );
    assert!(text.contains("/Lang(ja)"));
    assert!(text.contains("/OutputIntents"));
}

#[test]
fn same_input_gives_the_same_bytes() {
    let v = sample("subcontractor.json");
    let a = render(&v);
    let b = render(&v);
    assert!(a == b, "two renders differ");
    let mut w = v.clone();
    w["target"]["department"] = json!("別の部署");
    assert!(render(&w) != a, "a change of input must change the output");
}

/// Every text line lies inside the box it was laid out in, and every box inside the text area.
fn assert_geometry(doc: &Document) {
    let content = doc.content;
    for (p, page) in doc.pages.iter().enumerate() {
        for e in &page.elements {
            match e {
                Element::Text(t) => {
                    assert!(
                        t.container.contains(&t.extent),
                        "page {}: '{}' leaves its box",
                        p + 1,
                        t.line.text
                    );
                    assert!(
                        content.contains(&t.container),
                        "page {}: box of '{}' leaves the page area",
                        p + 1,
                        t.line.text
                    );
                }
                Element::Rule { x1, y1, x2, y2, .. } => {
                    for (x, y) in [(x1, y1), (x2, y2)] {
                        assert!(
                            *x >= content.x - 0.01 && *x <= content.right() + 0.01,
                            "rule x {x}"
                        );
                        assert!(
                            *y >= content.y - 0.01 && *y <= content.bottom() + 0.01,
                            "rule y {y}"
                        );
                    }
                }
                Element::Image { rect, .. } => assert!(content.contains(rect)),
            }
        }
    }
}

fn detail_column_lines(doc: &Document) -> Vec<(usize, String)> {
    let x = doc.pages[0]
        .texts()
        .find(|t| t.line.text.starts_with("実施状況"))
        .expect("detail header")
        .container
        .x;
    doc.pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| {
            page.texts()
                .filter(move |t| (t.container.x - x).abs() < 0.01)
                .map(move |t| (p, t.line.text.clone()))
        })
        .collect()
}

#[test]
fn long_answers_flow_over_pages_with_the_header_row_repeated_and_stay_in_their_cells() {
    let mut v = sample("main-contractor.json");
    let long =
        "業務情報は施錠可能な保管庫に保管し、持出しの都度、管理簿に記録して責任者が確認している。"
            .repeat(4);
    for n in 1..=26 {
        if let Some(item) = v["items"].get_mut(n.to_string()) {
            item["detail"] = json!(long);
        }
    }
    let a = secform::input::answers::from_value(&v).unwrap();
    let doc = renderer().form_document(&a, &opts()).unwrap().document;
    assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
    assert_geometry(&doc);
    let table_pages: Vec<usize> = (0..doc.pages.len())
        .filter(|&p| {
            doc.pages[p]
                .texts()
                .any(|t| t.line.text == "26" || t.line.text == "1")
        })
        .collect();
    // Every page the table touches starts its part of the table with the header row.
    let pdf = renderer().pdf(&doc).unwrap();
    let pages = pdf_pages(&pdf);
    let table_span = table_pages[0]..=*table_pages.last().unwrap();
    assert!(
        table_span.clone().count() >= 3,
        "table spans {table_span:?}"
    );
    for p in table_span {
        assert!(
            doc.pages[p].table_header.is_some(),
            "page {} has no header row",
            p + 1
        );
        for header in seed_header() {
            assert!(
                printed(&pages[p], &header),
                "page {}: header '{header}' missing",
                p + 1
            );
        }
    }
}

#[test]
fn a_2000_character_answer_is_printed_whole_across_pages_and_never_clipped() {
    let mut v = sample("main-contractor.json");
    let unit = "保護すべき情報の取扱いについて、取扱者ごとの教育記録（受講日・内容）を確認した。";
    let detail: String = unit.chars().cycle().take(2000).collect();
    v["items"]["12"]["detail"] = json!(detail);
    let a = secform::input::answers::from_value(&v).unwrap();
    let doc = renderer().form_document(&a, &opts()).unwrap().document;
    assert_geometry(&doc);
    let lines = detail_column_lines(&doc);
    let start = lines
        .iter()
        .position(|(_, l)| detail.starts_with(l.as_str()) && l.chars().count() > 5)
        .unwrap();
    let joined: String = lines[start..]
        .iter()
        .map(|(_, l)| l.as_str())
        .filter(|l| !l.starts_with("実施状況"))
        .collect::<String>();
    assert!(
        joined.starts_with(&detail),
        "the 2,000 characters are not printed whole"
    );
    let pages: std::collections::BTreeSet<usize> = lines[start..]
        .iter()
        .filter(|(_, l)| detail.contains(l.as_str()))
        .map(|(p, _)| *p)
        .collect();
    assert!(
        pages.len() >= 2,
        "a 2,000-character answer cannot fit one page: {pages:?}"
    );
}

#[test]
fn kinsoku_holds_on_text_built_to_tempt_bad_breaks() {
    // Closing marks, 「ー」 and small kana at every offset, so that for some line some of them fall
    // exactly where a naive breaker would start the next line.
    let mut detail = String::new();
    for k in 0..24 {
        detail.push_str(&"あ".repeat(k % 7));
        detail.push_str("確認。」）、ャッーョ（「【措置");
    }
    let mut v = sample("main-contractor.json");
    v["items"]["9"]["detail"] = json!(detail);
    v["items"]["10"]["detail"] = json!(format!("「{detail}」"));
    let a = secform::input::answers::from_value(&v).unwrap();
    let doc = renderer().form_document(&a, &opts()).unwrap().document;
    let mut checked = 0;
    for page in &doc.pages {
        for t in page.texts() {
            let s = &t.line.text;
            if let Some(first) = s.chars().next() {
                let continues = detail.contains(s.as_str()) && !detail.starts_with(s.as_str());
                if continues {
                    checked += 1;
                    assert!(
                        !NO_LINE_START.contains(first),
                        "line starts with {first}: {s}"
                    );
                }
                assert!(
                    !NO_LINE_END.contains(s.chars().last().unwrap()),
                    "line ends with an opening bracket: {s}"
                );
            }
        }
    }
    assert!(
        checked > 10,
        "the tempting text was not wrapped ({checked} continuation lines)"
    );
    // And from the outside: no extracted line of the PDF starts with a forbidden character.
    let pdf = renderer().pdf(&doc).unwrap();
    for line in all_lines(&pdf) {
        let first = line.chars().next().unwrap();
        assert!(
            !"、。）」』】ーャュョッ".contains(first),
            "extracted line starts with {first}: {line}"
        );
    }
}

#[test]
fn a_character_no_font_has_is_an_error_naming_field_and_code_point() {
    let mut v = sample("main-contractor.json");
    v["target"]["company"] = json!("株式会社𠮷野家");
    let err = renderer()
        .render_json(&v.to_string(), &opts())
        .unwrap_err()
        .to_string();
    assert!(err.contains("target.company"), "{err}");
    assert!(err.contains("U+20BB7") && err.contains('𠮷'), "{err}");
}

#[test]
fn a_fallback_font_draws_what_the_bundled_font_lacks() {
    let fonts =
        secform::files::fallback_font(&root().join("tests/fixtures/fallback-test.ttf")).unwrap();
    let r = secform::Renderer::new(fonts);
    let mut v = sample("main-contractor.json");
    v["target"]["company"] = json!("株式会社𠮷野家");
    let pdf = r.render_json(&v.to_string(), &opts()).unwrap();
    let lines = all_lines(&pdf);
    assert!(
        printed(&lines, "(1) 事業者名：株式会社𠮷野家"),
        "{lines:#?}"
    );
}

#[test]
fn blank_form_rows_leave_room_to_write_by_hand() {
    let doc = renderer().blank_document("npa-2022").unwrap();
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let min = form.items.blank_min_row_lines as f32 * form.font_size.table * form.leading;
    let number_cells: Vec<_> = doc
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .filter(|t| {
            t.line
                .text
                .parse::<u32>()
                .is_ok_and(|n| (1..=26).contains(&n))
        })
        .collect();
    assert_eq!(number_cells.len(), 26);
    for t in number_cells {
        assert!(
            t.container.h >= min,
            "row {} is {} pt high",
            t.line.text,
            t.container.h
        );
    }
    assert_geometry(&doc);
}

/// The 確認者 lines as laid out: the line that starts with the label, then the lines after it (in
/// reading order, across a page break too) laid out in the same box, i.e. the wrapped value.
fn checker_lines<'d>(
    doc: &'d Document,
    label: &str,
) -> Vec<(usize, &'d secform::layout::document::TextItem)> {
    let texts: Vec<_> = doc
        .pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| page.texts().map(move |t| (p, t)))
        .collect();
    let first = texts
        .iter()
        .position(|(_, t)| t.line.text.starts_with(label))
        .expect("the 確認者 line");
    let box_of = |t: &secform::layout::document::TextItem| (t.container.x, t.container.w);
    let (x, w) = box_of(texts[first].1);
    texts[first..]
        .iter()
        .take_while(|(_, t)| {
            let (tx, tw) = box_of(t);
            (tx - x).abs() < 0.01 && (tw - w).abs() < 0.01
        })
        .copied()
        .collect()
}

/// The checker's fields as the form prints them: trimmed, the optional ones only when given.
fn checker_fields(v: &serde_json::Value) -> Vec<String> {
    ["company", "department", "title", "name"]
        .iter()
        .filter_map(|k| v["checker"][k].as_str())
        .map(|s| s.trim().to_string())
        .collect()
}

/// samples/subcontractor.json printed 「…課長　高橋 次」 / 「郎」: the 確認者 line was broken like running
/// text. It breaks between 事業者名, 所属, 役職 and 氏名 only; a field is split only when it is
/// longer than a whole line.
#[test]
fn the_checker_line_breaks_between_fields_never_inside_one() {
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let label = form.checker.label.as_str();
    let fonts = secform::FontSet::bundled();
    let size = form.font_size.body;
    let strip = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };

    let mut cases = vec![sample("subcontractor.json")];
    // Company names of every length from a few characters to nearly a line move the breaks
    // across every field and every character of the name.
    for n in 0..30 {
        let mut v = sample("subcontractor.json");
        v["checker"]["company"] = json!(format!(
            "株式会社{}",
            "テスト技研".chars().cycle().take(n).collect::<String>()
        ));
        v["checker"]["department"] = json!("情報システム管理部");
        v["checker"]["name"] = json!("長谷川 真理子");
        cases.push(v);
    }
    // A field longer than a whole line breaks at its own spaces, and without one like running
    // text; the others stay whole.
    let mut v = sample("subcontractor.json");
    v["checker"]["department"] = json!("情報セキュリティ統括本部 第二システム開発部");
    v["checker"]["title"] = json!("部長（情報セキュリティ責任者）");
    cases.push(v);
    let mut v = sample("subcontractor.json");
    v["checker"]["department"] = json!("情報セキュリティ統括本部".repeat(6));
    cases.push(v);

    let mut wrapped = 0;
    for v in &cases {
        let a = secform::input::answers::from_value(v).unwrap();
        let doc = renderer().form_document(&a, &opts()).unwrap().document;
        assert_geometry(&doc);
        let lines = checker_lines(&doc, label);
        if lines.len() > 1 {
            wrapped += 1;
        }
        let texts: Vec<&str> = lines.iter().map(|(_, t)| t.line.text.as_str()).collect();
        // The continuation lines start under the value: what a whole line of a field may take.
        let rest_w = lines[0].1.container.w - fonts.width(label, size);
        let fields = checker_fields(v);
        // What must stay whole: each field that fits a line, else each of its words that does.
        let whole: Vec<&str> = fields
            .iter()
            .flat_map(|f| {
                if fonts.width(f, size) <= rest_w {
                    vec![f.as_str()]
                } else {
                    f.split_whitespace().collect()
                }
            })
            .filter(|f| fonts.width(f, size) <= rest_w)
            .collect();
        for f in &whole {
            assert!(
                texts.iter().any(|l| l.contains(f)),
                "「{f}」 is split: {texts:?}"
            );
        }
        // Nothing lost or added: only separators vanish at the breaks.
        assert_eq!(
            strip(&texts.concat()),
            strip(&format!("{label}{}", fields.concat())),
            "{texts:?}"
        );
        // And from the outside: the PDF's text has every field whole on one line.
        let pdf = renderer().pdf(&doc).unwrap();
        let extracted = all_lines(&pdf);
        for f in &whole {
            assert!(
                extracted.iter().any(|l| l.contains(f)),
                "「{f}」 is not on one line of the PDF"
            );
        }
    }
    assert!(wrapped >= 10, "only {wrapped} cases wrap the 確認者 line");
}

/// Every text line of `doc` with its page (from 0), in reading order.
fn reading_order(doc: &Document) -> Vec<(usize, &secform::layout::document::TextItem)> {
    doc.pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| page.texts().map(move |t| (p, t)))
        .collect()
}

/// samples/incident.json ended page 2 with the closing 【留意事項】 and printed its note on page 3,
/// and later the closing notes stood alone on page 3 (now they keep the 確認者 block before them);
/// a long 対象部門等名 left the table's header row alone at the foot of page 1. A heading stays with
/// the first line of its text, 「2 確認事項」 and the header row with the first line of row 1, and
/// 確認年月日 with the 確認者 line.
#[test]
fn headings_stay_with_their_text_and_the_table_header_with_its_first_row() {
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let mut o = opts();
    o.seal_files = secform::files::SealFolder::shared(root().join("samples"));
    let mut cases = Vec::new();
    // Longer answers in row 25 move the end of the table, and so what follows it, down the page.
    for k in (0..140).step_by(4) {
        let mut v = sample("incident.json");
        let detail = v["items"]["25"]["detail"].as_str().unwrap().to_string();
        v["items"]["25"]["detail"] = json!(format!("{detail}{}", "あ".repeat(k)));
        cases.push(v);
    }
    // A longer 対象部門等名 moves the start of the table down page 1 and over to page 2.
    for k in (1150..1250).step_by(5) {
        let mut v = sample("incident.json");
        v["target"]["department"] = json!(format!("第二システム開発部{}", "部".repeat(k)));
        cases.push(v);
    }
    // How often the closing notes, the table and 確認年月日 began a page: the cases reach the foot.
    let mut starts_page = [0; 3];
    for v in &cases {
        let a = secform::input::answers::from_value(v).unwrap();
        let doc = renderer().form_document(&a, &o).unwrap().document;
        assert_geometry(&doc);
        let texts = reading_order(&doc);
        let page_of = |pred: &dyn Fn(&str) -> bool| {
            texts
                .iter()
                .find(|(_, t)| pred(&t.line.text))
                .map(|&(p, _)| p)
                .expect("printed")
        };
        let first_on_page = |i: usize| i == 0 || texts[i - 1].0 != texts[i].0;
        for heading in [&form.target.notes.heading, &form.closing_notes.heading] {
            for (i, (p, t)) in texts.iter().enumerate() {
                if &t.line.text == heading {
                    assert_eq!(
                        texts[i + 1].0,
                        *p,
                        "{heading} on page {}, its text 「{}」 on the next",
                        p + 1,
                        texts[i + 1].1.line.text
                    );
                    // The closing notes (the last heading) never stand alone on a page: the
                    // 確認者 block before them is on their page.
                    if i + 2 == texts.len() {
                        assert!(
                            !first_on_page(i),
                            "the closing {heading} begin page {}",
                            p + 1
                        );
                        let checker = page_of(&|s| s.starts_with(&form.checker.label));
                        assert_eq!(
                            checker,
                            *p,
                            "確認者 on page {}, {heading} on page {}",
                            checker + 1,
                            p + 1
                        );
                    }
                }
            }
        }
        let heading = page_of(&|s| s == form.items.heading);
        let header = doc
            .pages
            .iter()
            .position(|p| p.table_header.is_some())
            .expect("a header row");
        let row1 = page_of(&|s| s == "1");
        assert!(
            heading == header && header == row1,
            "「{}」 on page {}, the header row on page {}, row 1 on page {}",
            form.items.heading,
            heading + 1,
            header + 1,
            row1 + 1
        );
        if heading > 0 {
            starts_page[1] += 1;
        }
        let checked_on = texts
            .iter()
            .position(|(_, t)| t.line.text.starts_with(&form.checked_on.label))
            .expect("確認年月日");
        let checker = page_of(&|s| s.starts_with(&form.checker.label));
        assert_eq!(texts[checked_on].0, checker, "確認年月日 and 確認者");
        if first_on_page(checked_on) {
            starts_page[2] += 1;
            // Where the closing notes would have begun a page, 確認年月日 goes on with them.
            if texts[checked_on - 1].0 + 1 == texts[checked_on].0
                && doc.pages[texts[checked_on - 1].0].table_header.is_some()
            {
                starts_page[0] += 1;
            }
        }
    }
    assert!(
        starts_page.iter().all(|&n| n > 0),
        "確認年月日 after the table's page, table, 確認年月日 began a page {starts_page:?} times"
    );
}

/// 印 stood beside the first 確認者 line although the 氏名 was on the second or third. It stands at
/// the right end of the line that holds the 氏名, on its baseline, inside the seal box, and
/// overlaps nothing.
#[test]
fn the_seal_mark_stands_on_the_line_of_the_name() {
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let label = form.checker.label.as_str();
    let mut on_line = [0; 3];
    for (department, title) in [
        ("", ""),
        ("情報システム部", "課長"),
        (
            "情報セキュリティ統括本部 第二システム開発部",
            "部長（情報セキュリティ責任者）",
        ),
        (
            "情報セキュリティ統括本部 第二システム開発部 基盤運用課",
            "情報セキュリティ管理責任者兼副部長",
        ),
        (
            "情報セキュリティ統括本部".repeat(3).as_str(),
            "情報セキュリティ管理責任者兼副部長",
        ),
    ] {
        for seal in [false, true] {
            let mut v = sample("incident.json");
            if department.is_empty() {
                v["checker"]["company"] = json!("株式会社北辰");
                v["checker"].as_object_mut().unwrap().remove("department");
                v["checker"].as_object_mut().unwrap().remove("title");
            } else {
                v["checker"]["department"] = json!(department);
                v["checker"]["title"] = json!(title);
            }
            v["checker"]["name"] = json!("長谷川 真理子");
            if !seal {
                v.as_object_mut().unwrap().remove("seal");
            }
            let a = secform::input::answers::from_value(&v).unwrap();
            let mut o = opts();
            o.seal_files = secform::files::SealFolder::shared(root().join("samples"));
            let doc = renderer().form_document(&a, &o).unwrap().document;
            assert_geometry(&doc);
            let lines = checker_lines(&doc, label);
            let (page, name_line) = *lines
                .iter()
                .find(|(_, t)| t.line.text.contains("長谷川"))
                .expect("the 氏名's line");
            on_line[lines
                .iter()
                .position(|(_, t)| std::ptr::eq(*t, name_line))
                .unwrap()
                .min(2)] += 1;
            let marks: Vec<_> = doc.pages[page]
                .texts()
                .filter(|t| t.line.text == form.checker.seal_mark)
                .collect();
            assert_eq!(marks.len(), 1, "one 印 on the 氏名's page");
            let mark = marks[0];
            assert!(
                (mark.baseline - name_line.baseline).abs() < 0.01,
                "印 on baseline {}, the 氏名 on {}",
                mark.baseline,
                name_line.baseline
            );
            // The seal box: at the right end of the text area, 印 centred in it, after the line.
            let seal_box = mark.container;
            let side = form.checker.seal_box_mm * secform::geometry::MM;
            assert!((seal_box.w - side).abs() < 0.01 && (seal_box.h - side).abs() < 0.01);
            assert!((seal_box.right() - doc.content.right()).abs() < 0.01);
            assert!(seal_box.contains(&mark.extent));
            for (_, t) in &lines {
                assert!(
                    t.extent.right() <= seal_box.x,
                    "「{}」 reaches into the seal box",
                    t.line.text
                );
            }
            for t in doc.pages[page].texts() {
                if !std::ptr::eq(t, mark) {
                    let e = &t.extent;
                    let apart = e.right() <= seal_box.x
                        || e.x >= seal_box.right()
                        || e.bottom() <= seal_box.y
                        || e.y >= seal_box.bottom();
                    assert!(apart, "「{}」 overlaps the seal box", t.line.text);
                }
            }
            let images: Vec<_> = doc.pages[page]
                .elements
                .iter()
                .filter_map(|e| match e {
                    Element::Image { rect, .. } => Some(*rect),
                    _ => None,
                })
                .collect();
            assert_eq!(images.len(), usize::from(seal));
            for rect in images {
                assert!(seal_box.contains(&rect), "the seal image leaves its box");
            }
        }
    }
    assert!(
        on_line.iter().all(|&n| n > 0),
        "the 氏名 on the 1st, 2nd, 3rd line {on_line:?} times"
    );
}

/// A row split across pages left its number cell empty on the next page: the reader could not
/// tell which row the text went on. The continuation shows the row's number again, and under it
/// the layout's continued mark as lines of their own (never joined into the number's line, so that
/// a reader of the layout tells them apart), inside the number cell, whatever length the last
/// fragment has.
#[test]
fn a_row_split_across_pages_shows_its_number_and_the_continued_mark() {
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let mark = form.items.continued_mark.as_str();
    assert_eq!(mark, "（続き）");
    let unit = "保護すべき情報の取扱いについて、取扱者ごとの教育記録（受講日・内容）を確認した。";
    let mut continued = 0;
    for len in (1900..2200).step_by(23) {
        let mut v = sample("main-contractor.json");
        v["items"]["12"]["detail"] = json!(unit.chars().cycle().take(len).collect::<String>());
        let a = secform::input::answers::from_value(&v).unwrap();
        let doc = renderer().form_document(&a, &opts()).unwrap().document;
        assert_geometry(&doc);
        let number_x = doc.pages[0]
            .texts()
            .find(|t| t.line.text == "番号")
            .expect("number header")
            .container
            .x;
        let header_bottom = |p: usize| doc.pages[p].table_header.map_or(0.0, |h| h.bottom());
        for (p, page) in doc.pages.iter().enumerate() {
            let in_number_column: Vec<_> = page
                .texts()
                .filter(|t| (t.container.x - number_x).abs() < 0.01)
                .filter(|t| t.extent.y >= header_bottom(p))
                .collect();
            let Some(first) = in_number_column.first() else {
                continue;
            };
            // The table's first row on a page after the first is row 12 going on (rows before it
            // fit on page 1 whole).
            if p == 0 || first.line.text != "12" {
                assert!(
                    in_number_column.iter().all(|t| t
                        .line
                        .text
                        .chars()
                        .all(|c| c.is_ascii_digit())),
                    "a mark on page {} outside a continuation",
                    p + 1
                );
                continue;
            }
            let rest: Vec<&str> = in_number_column[1..]
                .iter()
                .take_while(|t| t.container == first.container)
                .map(|t| t.line.text.as_str())
                .collect();
            assert!(rest.len() >= 2, "the mark is broken to the cell: {rest:?}");
            assert_eq!(rest.concat(), mark, "page {}: {rest:?}", p + 1);
            for (above, below) in in_number_column
                .iter()
                .zip(&in_number_column[1..=rest.len()])
            {
                assert!(
                    below.extent.y >= above.extent.bottom() - 0.01,
                    "lines overlap"
                );
            }
            continued += 1;
        }
    }
    assert!(continued >= 10, "only {continued} continuations");
}
