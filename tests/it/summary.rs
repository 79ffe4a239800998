//! `secform summary` (issue 14, part 3, CSV): the CSV read back with the csv crate equals the
//! answers row by row, for a batch holding every kind of row (実施, 未実施, ※, blank) and entities
//! with errors; 元請 first, then 下請負者等 in input order.

use crate::common;

use std::fs;

use assert_cmd::Command;
use common::*;
use serde_json::{json, Value};

#[test]
fn the_csv_equals_the_answers_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let folder = d.join("回答");
    fs::create_dir(&folder).unwrap();
    let sub = sample("subcontractor.json");
    let main = sample("main-contractor.json");
    // A subcontractor with a required row left blank: an error, and a blank cell.
    let mut blank = sub.clone();
    blank["target"]["company"] = json!("株式会社空欄");
    blank["items"].as_object_mut().unwrap().remove("5");
    // The 元請 comes second in the folder and first in the summary.
    fs::write(folder.join("1_sub.json"), sub.to_string()).unwrap();
    fs::write(folder.join("2_main.json"), main.to_string()).unwrap();
    fs::write(folder.join("3_blank.json"), blank.to_string()).unwrap();
    fs::write(folder.join("4_broken.json"), "{\"target\": ").unwrap();
    // A secform PDF given as a file after the folder.
    let pdf = d.join("確認書.pdf");
    let mut third = sub.clone();
    third["target"]["company"] = json!("株式会社PDF");
    fs::write(&pdf, render(&third)).unwrap();
    let csv_path = d.join("確認結果一覧.csv");
    let out = Command::cargo_bin("secform")
        .unwrap()
        .arg("summary")
        .arg(&folder)
        .arg(&pdf)
        .arg("-o")
        .arg(&csv_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 件は確認を通りません"));
    let bytes = fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let wording: Value = serde_json::from_str(&read("layouts/summary.json")).unwrap();
    let col = |k: &str| wording["columns"][k].as_str().unwrap().to_string();
    assert_eq!(
        header[..3],
        [col("kind"), col("company"), col("checked_on")]
    );
    assert_eq!(header[3], "行1");
    assert_eq!(header[28], "行26");
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let companies: Vec<&str> = records.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        companies,
        [
            "株式会社サンプル情報システム",
            "株式会社テスト技研(下請負者等)",
            "株式会社空欄(下請負者等)",
            "4_broken.json",
            "株式会社PDF(下請負者等)",
        ]
    );
    assert_eq!(records[0][0], "元請");
    assert!(records[1..].iter().all(|r| r[0] == "下請負者等"));
    let form: Value = serde_json::from_str(&read("layouts/npa-2022/form.json")).unwrap();
    let rows = form["items"]["rows"].as_array().unwrap();
    for (record, answers) in records
        .iter()
        .zip([&main, &sub, &blank])
        .chain([(&records[4], &third)])
    {
        let mut not_done = 0;
        for (i, row) in rows.iter().enumerate() {
            let n = row["number"].as_u64().unwrap().to_string();
            let status = answers["items"][&n]["status"].as_str();
            let expected = match status {
                Some("実施") => "○",
                Some("未実施") => "×",
                Some(other) => panic!("row {n}: {other}"),
                None => blank_mark(answers, row),
            };
            assert_eq!(record[3 + i], expected, "{} row {n}", record[1]);
            if status == Some("未実施") {
                not_done += 1;
                let reason = answers["items"][&n]["detail"].as_str().unwrap();
                assert!(record[32].contains(reason), "{} row {n}", record[1]);
                assert!(record[32].contains(row["text"].as_str().unwrap()));
            }
        }
        assert_eq!(record[29], not_done.to_string());
    }
    assert_eq!(records[0][2], "令和8年4月10日");
    // 要確認 with the problems; the others clean.
    assert_eq!(records[0][30], "");
    assert_eq!(records[2][30], "要確認");
    assert!(records[2][31].contains("items.5"), "{}", records[2][31]);
    assert_eq!(records[2][3 + 4], "");
    assert_eq!(records[3][30], "要確認");
    assert!(records[3][31].contains("JSON"), "{}", records[3][31]);
    assert!(records[3][3..29].iter().all(String::is_empty));
}

/// The mark of a row left blank, from the layout data's conditions (issue 21 §6): 「－」 when it
/// does not apply (row 2 with row 1 not 未実施, a ※ row its circumstance rules out or nothing
/// decides, row 23 on a first check), empty when it had to be answered.
fn blank_mark(answers: &Value, row: &Value) -> &'static str {
    let applies = &row["applies"];
    let decided = if let Some(rows) = applies["any_not_done"].as_array() {
        Some(
            rows.iter()
                .any(|r| answers["items"][r.as_u64().unwrap().to_string()]["status"] == "未実施"),
        )
    } else if let Some(c) = applies["circumstance"].as_str() {
        answers["circumstances"][c].as_bool()
    } else if applies["previous_check"].is_boolean() {
        Some(answers["target"]["previous_check"].is_string())
    } else {
        None
    };
    match decided {
        Some(true) => "",
        Some(false) => "－",
        None if row["optional"].as_bool().unwrap() => "－",
        None => "",
    }
}

// ---- The PDF, the workbook and `batch --summary` (issue 14, part 3). ----

use secform::layout::document::{Document, TextItem};
use secform::summary::{self, Line};

/// The batch of every kind of row: 実施, 未実施, ※, blank, and an entity with errors (a required
/// row left blank) and one that cannot be read at all. Answer sets as given, in input order.
fn every_kind() -> Vec<(Option<Value>, &'static str)> {
    let sub = sample("subcontractor.json");
    let main = sample("main-contractor.json");
    let mut blank = sub.clone();
    blank["target"]["company"] = json!("株式会社空欄");
    blank["items"].as_object_mut().unwrap().remove("5");
    vec![
        (Some(sub), "1_sub.json"),
        (Some(main), "2_main.json"),
        (Some(blank), "3_blank.json"),
        (None, "4_broken.json"),
    ]
}

fn lines_of(entities: &[(Option<Value>, &str)]) -> Vec<Line> {
    let r = renderer();
    let lines = entities
        .iter()
        .map(|(v, label)| {
            let value = v
                .clone()
                .ok_or_else(|| vec![secform::Problem::error("$", "JSON が壊れています")]);
            summary::line(&r, value, Some(label), &opts())
        })
        .collect();
    summary::ordered(lines)
}

/// What the table's row of `answers` must say, cell by cell: 区分, 事業者名, 確認年月日, the 26
/// marks, 未実施の数, 状態 (an unreadable entity: its label, no date, blank rows).
fn expected_row(answers: Option<&Value>, label: &str, errors: bool) -> Vec<String> {
    let form: Value = serde_json::from_str(&read("layouts/npa-2022/form.json")).unwrap();
    let rows = form["items"]["rows"].as_array().unwrap();
    let Some(a) = answers else {
        let mut cells = vec!["下請負者等".to_string(), label.to_string(), String::new()];
        cells.extend(rows.iter().map(|_| String::new()));
        cells.extend(["0".to_string(), "要確認".to_string()]);
        return cells;
    };
    let sub = a["target"]["subcontractor"].as_bool().unwrap();
    let company = a["target"]["company"].as_str().unwrap();
    let mut cells = vec![
        if sub { "下請負者等" } else { "元請" }.to_string(),
        if sub {
            format!("{company}(下請負者等)")
        } else {
            company.to_string()
        },
        "令和8年4月10日".to_string(),
    ];
    assert_eq!(a["checked_on"], "2026-04-10");
    let mut not_done = 0;
    for row in rows {
        let n = row["number"].as_u64().unwrap().to_string();
        cells.push(
            match a["items"][&n]["status"].as_str() {
                Some("実施") => "○",
                Some("未実施") => {
                    not_done += 1;
                    "×"
                }
                Some(other) => panic!("row {n}: {other}"),
                None => blank_mark(a, row),
            }
            .to_string(),
        );
    }
    cells.push(not_done.to_string());
    cells.push(if errors { "要確認" } else { "" }.to_string());
    cells
}

/// The table's cells of each page as laid out: rows (fragments, top to bottom) of cells (columns,
/// by the header's cell boxes), each cell's lines joined; the header row first. The pages after
/// the table (the notes below it) have no header and are left out.
fn table_rows(doc: &Document) -> Vec<Vec<Vec<String>>> {
    let mut pages = Vec::new();
    for page in &doc.pages {
        let Some(header) = page.table_header else {
            break;
        };
        let cells: Vec<&TextItem> = page
            .texts()
            .filter(|t| t.container.w < doc.content.w / 2.0)
            .collect();
        let mut columns: Vec<f32> = cells
            .iter()
            .filter(|t| t.container.y < header.bottom() - 0.01)
            .map(|t| t.container.x)
            .collect();
        columns.sort_by(f32::total_cmp);
        columns.dedup();
        let mut tops: Vec<f32> = cells.iter().map(|t| t.container.y).collect();
        tops.sort_by(f32::total_cmp);
        tops.dedup();
        let rows = tops
            .iter()
            .map(|&top| {
                columns
                    .iter()
                    .map(|&x| {
                        cells
                            .iter()
                            .filter(|t| t.container.y == top && t.container.x == x)
                            .map(|t| t.line.text.as_str())
                            .collect::<String>()
                    })
                    .collect()
            })
            .collect();
        pages.push(rows);
    }
    pages
}

#[test]
fn the_pdf_table_equals_the_answers_row_by_row() {
    let entities = every_kind();
    let lines = lines_of(&entities);
    let doc = renderer().summary_document(&lines).unwrap();
    let pages = table_rows(&doc);
    assert_eq!(pages.len(), 1);
    let rows = &pages[0];
    // The header: the columns of layouts/summary.json, 行1 … 行26 each broken as 「行」「N」.
    let mut header = vec!["区分", "事業者名", "確認年月日"]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    header.extend((1..=26).map(|n| format!("行{n}")));
    header.extend(["未実施の数".to_string(), "状態".to_string()]);
    assert_eq!(rows[0], header);
    // 元請 first, then the 下請負者等 in input order.
    let order = [1, 0, 2, 3];
    assert_eq!(rows.len(), 1 + order.len());
    for (row, &k) in rows[1..].iter().zip(&order) {
        let (answers, label) = &entities[k];
        let errors = k >= 2;
        assert_eq!(
            *row,
            expected_row(answers.as_ref(), label, errors),
            "{label}"
        );
    }
    // The same text in the PDF, as a reader extracts it: every non-empty cell in order.
    let pdf = renderer().summary_pdf(&lines).unwrap();
    let text = pdf_pages(&pdf);
    assert_eq!(text.len(), 1);
    let expected: Vec<String> = rows
        .iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect();
    let table_start = text[0].iter().position(|l| l == "区分").unwrap();
    let got: Vec<String> = text[0][table_start..].to_vec();
    let joined = got.concat();
    assert!(joined.starts_with(&expected.concat()), "{got:?}");
}

#[test]
fn the_pdf_lists_every_not_done_with_its_reason_and_every_entity_to_review() {
    let entities = every_kind();
    let lines = lines_of(&entities);
    let doc = renderer().summary_document(&lines).unwrap();
    let text: Vec<String> = doc.text().lines().map(str::to_string).collect();
    let wording: Value = serde_json::from_str(&read("layouts/summary.json")).unwrap();
    // The title is secform's own, with the 元請's name.
    assert_eq!(text[0], wording["title"].as_str().unwrap());
    assert_eq!(text[1], "元請　株式会社サンプル情報システム");
    assert_eq!(
        doc.title,
        format!("{}（株式会社サンプル情報システム）", text[0])
    );
    let form: Value = serde_json::from_str(&read("layouts/npa-2022/form.json")).unwrap();
    let reasons = text.iter().position(|l| l == "未実施の理由").unwrap();
    let review = text.iter().position(|l| l == "要確認の内容").unwrap();
    assert!(reasons < review);
    let notes = &text[reasons..review];
    let mut listed = 0;
    for (answers, _) in &entities {
        let Some(a) = answers else { continue };
        for row in form["items"]["rows"].as_array().unwrap() {
            let n = row["number"].as_u64().unwrap().to_string();
            if a["items"][&n]["status"] == "未実施" {
                let expected = format!(
                    "行{n}（{}）: {}",
                    row["text"].as_str().unwrap(),
                    a["items"][&n]["detail"].as_str().unwrap()
                );
                assert!(printed(notes, &expected), "{expected}\n{notes:?}");
                listed += 1;
            }
        }
    }
    assert!(listed >= 2, "the batch holds 未実施 rows");
    let review = &text[review..];
    assert!(printed(review, "株式会社空欄(下請負者等)"));
    assert!(review.iter().any(|l| l.contains("items.5")), "{review:?}");
    assert!(printed(review, "4_broken.json"));
    assert!(review.iter().any(|l| l.contains("JSON が壊れています")));
    assert!(!review.iter().any(|l| l.contains("株式会社テスト技研")));
}

/// Many entities: the table flows over pages, the header row on every one, every entity once.
fn many(n: usize) -> Vec<Line> {
    let sub = sample("subcontractor.json");
    let entities: Vec<(Option<Value>, &str)> =
        std::iter::once((Some(sample("main-contractor.json")), "main"))
            .chain((0..n).map(|_| (Some(sub.clone()), "sub")))
            .collect();
    lines_of(&entities)
}

#[test]
fn the_header_row_repeats_on_every_page_and_every_line_stays_in_its_cell() {
    let lines = many(80);
    let doc = renderer().summary_document(&lines).unwrap();
    assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
    let pages = table_rows(&doc);
    for rows in &pages[1..] {
        assert_eq!(rows[0], pages[0][0], "the header repeated");
    }
    let body: usize = pages.iter().map(|rows| rows.len() - 1).sum();
    assert_eq!(body, 81, "every entity once");
    // A4 landscape; every line inside its box, every box on the page; nothing smaller than 7 pt.
    let mm = 72.0 / 25.4;
    assert!((doc.width - 297.0 * mm).abs() < 0.1 && (doc.height - 210.0 * mm).abs() < 0.1);
    assert!(doc.pages[..pages.len()]
        .iter()
        .all(|p| p.table_header.is_some()));
    for (p, page) in doc.pages.iter().enumerate() {
        if let Some(header) = page.table_header {
            assert!(doc.content.contains(&header));
        }
        for t in page.texts() {
            assert!(
                t.container.contains(&t.extent),
                "page {}: {:?}",
                p + 1,
                t.line.text
            );
            assert!(t.size >= 7.0);
            assert!(t.extent.x >= 0.0 && t.extent.right() <= doc.width);
            assert!(t.extent.y >= 0.0 && t.extent.bottom() <= doc.height);
        }
        // The page number under the table.
        let last = page.texts().last().unwrap();
        assert_eq!(last.line.text, format!("{} / {}", p + 1, doc.pages.len()));
    }
    // Each mark fits its narrow column on one line: the rows' columns are legible at this size
    // (A4 is wide enough; the header's 「行26」 takes two lines, 「行」 over 「26」).
    for rows in &pages {
        for row in &rows[1..] {
            for cell in &row[3..29] {
                assert!(cell.chars().count() <= 1, "{cell}");
            }
        }
    }
}

/// Pages a chunk in the test below: the product paints 32 (`secform summary` on 1,200 entities
/// reaches three chunks); chunks of 2 reach as many with a few dozen entities, through the same code.
const TEST_CHUNK_PAGES: usize = 2;

/// Entities that fill five pages: at [`TEST_CHUNK_PAGES`] pages a chunk, three chunks, the last
/// one partly filled.
const ENTITIES_FOR_CHUNKS: usize = 50;

#[test]
fn the_pdf_is_pdf_a_2a_and_pdf_ua_1_and_reproducible() {
    let lines = many(ENTITIES_FOR_CHUNKS);
    let r = renderer();
    let a = r.summary_pdf_chunked(&lines, TEST_CHUNK_PAGES).unwrap();
    let b = renderer()
        .summary_pdf_chunked(&many(ENTITIES_FOR_CHUNKS), TEST_CHUNK_PAGES)
        .unwrap();
    assert!(a == b, "the same lines give the same bytes");
    let text = String::from_utf8_lossy(&a);
    assert!(text.contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(text.contains("<pdfuaid:part>1</pdfuaid:part>"));
    let doc = lopdf::Document::load_mem(&a).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"ja");
    let pages = doc.get_pages().len();
    assert!(
        pages > 2 * TEST_CHUNK_PAGES && !pages.is_multiple_of(TEST_CHUNK_PAGES),
        "{pages} pages: more than two chunks, the last one partly filled"
    );
    // Painted as laid out, TEST_CHUNK_PAGES pages a krilla document, its structure tree written
    // by secform: the pages, their text and the tree (element for element, with each one's text
    // and pages) of the document laid out whole and painted by krilla in one go, its tree krilla's.
    let whole = r.pdf(&r.summary_document(&lines).unwrap()).unwrap();
    assert_eq!(pdf_pages(&a), pdf_pages(&whole));
    let (tree, marked) = tagged::read(&a);
    let (krillas, krillas_marked) = tagged::read(&whole);
    assert_eq!(format!("{tree:?}"), format!("{krillas:?}"));
    assert_eq!(marked.artifacts, krillas_marked.artifacts);
    assert!(marked.untagged.is_empty() && marked.untagged_graphics == 0);
    assert!(tagged::assert_parent_tree(&a) > 0);
    // The outline: the title, the notes' parts under it.
    let outline = tagged::outline(&a);
    assert_eq!(outline, tagged::outline(&whole));
    assert_eq!(outline[0], (1, summary::wording().title.clone()));
    assert!(outline.len() > 1 && outline[1..].iter().all(|(depth, _)| *depth == 2));
}

#[test]
fn a_character_no_font_has_is_drawn_as_a_mark_not_refused() {
    let mut sub = sample("subcontractor.json");
    sub["target"]["company"] = json!("株式会社\u{E000}私用");
    let lines = lines_of(&[(Some(sub), "x")]);
    assert!(lines[0].needs_review(), "check refuses the character");
    let doc = renderer().summary_document(&lines).unwrap();
    assert!(doc.text().contains("株式会社〓私用"));
    renderer().summary_pdf(&lines).unwrap();
}

fn run_ok(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = Command::cargo_bin("secform")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The folder of [`every_kind`] on disk.
fn every_kind_folder(d: &std::path::Path) -> std::path::PathBuf {
    let folder = d.join("回答");
    fs::create_dir(&folder).unwrap();
    for (v, name) in every_kind() {
        let text = v.map_or("{\"target\": ".to_string(), |v| v.to_string());
        fs::write(folder.join(name), text).unwrap();
    }
    folder
}

#[test]
fn the_workbook_holds_the_csv_columns_and_is_reproducible() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let folder = every_kind_folder(d);
    let (xlsx, csv_path) = (d.join("一覧.xlsx"), d.join("一覧.csv"));
    for out in [&xlsx, &csv_path] {
        run_ok(&[
            "summary".as_ref(),
            folder.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
    }
    let bytes = fs::read(&xlsx).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("{other:?}"),
                })
                .collect()
        })
        .collect();
    let csv_bytes = fs::read(&csv_path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&csv_bytes[3..]);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    // Above the table, as on the PDF: the title, the 元請's line and the legend (the layout's
    // wording), then the table's header.
    let w: Value =
        serde_json::from_str(&fs::read_to_string(root().join("layouts/summary.json")).unwrap())
            .unwrap();
    assert_eq!(cells[0][0], w["title"].as_str().unwrap());
    assert!(cells[1][0].starts_with("元請"), "{:?}", cells[1]);
    assert_eq!(cells[2][0], w["legend"].as_str().unwrap());
    let table = &cells[3..];
    // calamine ends a row at its last non-empty cell; the CSV keeps every column.
    assert_eq!(table.len(), records.len());
    for (row, record) in table.iter().zip(&records) {
        let mut row = row.clone();
        row.resize(record.len(), String::new());
        assert_eq!(&row, record);
    }
    assert_eq!(table[0][3], "行1");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let part = |zip: &mut zip::ZipArchive<_>, name: &str| {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
        xml
    };
    let sheet_xml = part(&mut zip, "xl/worksheets/sheet1.xml");
    let doc = roxmltree::Document::parse(&sheet_xml).unwrap();
    let find = |tag: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(tag))
            .unwrap_or_else(|| panic!("no {tag}"))
    };
    // On screen: the header row and the 区分 and 事業者名 columns stay in view.
    let pane = find("pane");
    assert_eq!(
        (
            pane.attribute("xSplit"),
            pane.attribute("ySplit"),
            pane.attribute("state")
        ),
        (Some("2"), Some("4"), Some("frozen"))
    );
    // On paper: A4 landscape, one page wide (as many pages tall as it takes), page numbers.
    let setup = find("pageSetup");
    assert_eq!(setup.attribute("paperSize"), Some("9"));
    assert_eq!(setup.attribute("orientation"), Some("landscape"));
    assert_eq!(setup.attribute("fitToWidth"), None, "1 is the default");
    assert_eq!(setup.attribute("fitToHeight"), Some("0"));
    assert_eq!(find("pageSetUpPr").attribute("fitToPage"), Some("1"));
    assert_eq!(find("oddFooter").text(), Some("&C&P / &N"));
    // The header row repeated on every page: Excel's print titles, row 4.
    let names = part(&mut zip, "xl/workbook.xml");
    assert!(
        names.contains("_xlnm.Print_Titles") && names.contains("$4:$4"),
        "{names}"
    );
    // Ruled: the header's and the records' cells have borders.
    let styles = part(&mut zip, "xl/styles.xml");
    assert!(styles.contains("<left style=\"thin\">"), "{styles}");
    // The same answers, the same bytes.
    run_ok(&[
        "summary".as_ref(),
        folder.as_os_str(),
        "-o".as_ref(),
        xlsx.as_os_str(),
    ]);
    assert!(fs::read(&xlsx).unwrap() == bytes);
}

#[test]
fn summary_pdf_from_the_command_line_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let folder = every_kind_folder(d);
    let pdf = d.join("一覧.pdf");
    let args = [
        "summary".as_ref(),
        folder.as_os_str(),
        "-o".as_ref(),
        pdf.as_os_str(),
    ];
    run_ok(&args);
    let first = fs::read(&pdf).unwrap();
    run_ok(&args);
    assert!(fs::read(&pdf).unwrap() == first);
    let text = pdf_pages(&first);
    assert!(text[0].iter().any(|l| l == "株式会社サンプル情報システム"));
}

#[test]
fn batch_summary_sums_up_the_answers_the_batch_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let batch = root().join("samples/batch.json");
    let (out, csv_path) = (d.join("out"), d.join("確認結果一覧.csv"));
    run_ok(&[
        "batch".as_ref(),
        batch.as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
        "--summary".as_ref(),
        csv_path.as_os_str(),
    ]);
    let from_batch = fs::read(&csv_path).unwrap();
    // The same as `summary` over the PDFs the batch wrote (they carry their answers).
    let again = d.join("again.csv");
    run_ok(&[
        "summary".as_ref(),
        out.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
    ]);
    assert!(fs::read(&again).unwrap() == from_batch);
    let mut reader = csv::Reader::from_reader(&from_batch[3..]);
    let companies: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    assert_eq!(companies.len(), 4);
    assert_eq!(companies[0], "株式会社サンプル情報システム");
    // A PDF summary too.
    let pdf = d.join("一覧.pdf");
    run_ok(&[
        "batch".as_ref(),
        batch.as_os_str(),
        "--out-dir".as_ref(),
        d.join("out2").as_os_str(),
        "--summary".as_ref(),
        pdf.as_os_str(),
        "--quiet".as_ref(),
    ]);
    assert!(pdf_pages(&fs::read(&pdf).unwrap())[0]
        .iter()
        .any(|l| l == "株式会社サンプル情報システム"));
}

#[test]
fn batch_summary_destination_is_checked_before_rendering() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let batch = root().join("samples/batch.json");
    let out = d.join("out");
    // A folder of answers holding a PDF: the summary must not replace it.
    let folder = d.join("回答");
    fs::create_dir(&folder).unwrap();
    let pdf_in = folder.join("確認書.pdf");
    fs::write(&pdf_in, render(&sample("subcontractor.json"))).unwrap();
    let refused = |input: &std::path::Path, summary: &std::path::Path| {
        let o = Command::cargo_bin("secform")
            .unwrap()
            .arg("batch")
            .arg(input)
            .arg("--out-dir")
            .arg(&out)
            .arg("--summary")
            .arg(summary)
            .output()
            .unwrap();
        assert!(!o.status.success());
        assert!(
            !out.exists() || fs::read_dir(&out).unwrap().next().is_none(),
            "nothing rendered"
        );
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert!(refused(&batch, &d.join("一覧.txt")).contains(".pdf"));
    assert!(refused(&folder, &pdf_in).contains("入力のファイルと同じ"));
    assert!(refused(&batch, &d.join("ない/一覧.pdf")).contains("ない"));
}

#[test]
fn summary_refuses_an_output_it_cannot_write_as() {
    let o = Command::cargo_bin("secform")
        .unwrap()
        .args(["summary", "samples", "-o", "一覧.docx"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains(".xlsx"));
}

/// What `summary` writes to standard error when that is a terminal (a pseudo-terminal here).
fn on_a_terminal(extra: &[&str]) -> String {
    let (master, slave) = pseudo_terminal();
    let master = fs::File::from(master);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("一覧.csv");
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin!("secform"))
        .args([
            "summary",
            "samples/main-contractor.json",
            "samples/subcontractor.json",
            "-o",
        ])
        .arg(&out)
        .args(extra)
        .current_dir(root())
        .stderr(std::process::Stdio::from(slave))
        .status()
        .unwrap();
    assert!(status.success());
    // The child has ended and the last copy of the terminal's other end is closed: reading stops
    // (with EIO on Linux) once what was written is read.
    let mut said = Vec::new();
    let mut master = master;
    let _ = std::io::Read::read_to_end(&mut master, &mut said);
    String::from_utf8_lossy(&said).into_owned()
}

#[test]
fn summary_shows_its_progress_on_a_terminal_unless_quiet() {
    let said = on_a_terminal(&[]);
    assert!(said.contains("/2 件"), "{said:?}");
    assert_eq!(on_a_terminal(&["--quiet"]), "");
    // Not a terminal: nothing but what is said of the entities (here nothing).
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("一覧.csv");
    let o = Command::cargo_bin("secform")
        .unwrap()
        .args(["summary", "samples/main-contractor.json", "-o"])
        .arg(&out)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The summary PDF is tagged as the form is: its title H1, a Table whose header row (TH) comes
/// once and whose rows are the entities, the cells' text the marks; the notes' parts H2 with a
/// list of rows per entity; the header row on later pages and the page numbers artifacts.
#[test]
fn the_summary_pdf_is_tagged_with_a_row_per_entity() {
    let lines = many(80);
    let pdf = renderer().summary_pdf(&lines).unwrap();
    let (tree, marked) = tagged::read(&pdf);
    let top: Vec<&tagged::Elem> = tree.elems().collect();
    assert_eq!(top[0].role, "H1");
    assert_eq!(top[0].joined(), summary::wording().title);
    let table = top.iter().find(|e| e.role == "Table").expect("a table");
    let rows: Vec<&tagged::Elem> = table.elems().collect();
    assert_eq!(
        rows.len(),
        1 + lines.len(),
        "the header row once, an entity a row"
    );
    assert!(rows[0]
        .elems()
        .all(|c| c.role == "TH" && c.scope.as_deref() == Some("Column")));
    let columns = rows[0].elems().count();
    for (row, line) in rows[1..].iter().zip(&lines) {
        let cells: Vec<String> = row.elems().map(|c| c.joined()).collect();
        assert_eq!(cells.len(), columns);
        assert!(row.elems().all(|c| c.role == "TD"));
        assert_eq!(cells[1].replace(' ', ""), line.company.replace(' ', ""));
        assert_eq!(cells[2], line.checked_on);
    }
    assert!(top.iter().any(|e| e.role == "H2"), "the notes' parts");
    assert!(marked.untagged.is_empty() && marked.untagged_graphics == 0);
    // What is drawn for the page's sake: the repeated header row's titles and 「N / M」.
    let header: Vec<String> = rows[0].elems().map(|c| c.joined()).collect();
    for a in &marked.artifacts {
        assert!(
            header.iter().any(|h| h.contains(a.as_str()))
                || a.contains('/')
                || a.chars().all(|c| c.is_ascii_digit()),
            "artifact 「{a}」"
        );
    }
}

/// Issue 21 §3: one set holding more than one 元請 (a 下請負者等 whose flag is missing, as a
/// workbook's empty cell leaves it) is warned about, naming them; with one 元請 nothing is said.
#[test]
fn summary_warns_of_more_than_one_contractor_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    // The overview goes beside the folder, never into it (a .csv there is a file not read).
    let out = tempfile::tempdir().unwrap();
    let main = sample("main-contractor.json");
    let mut sub = sample("subcontractor.json");
    fs::write(dir.path().join("a.json"), main.to_string()).unwrap();
    fs::write(dir.path().join("b.json"), sub.to_string()).unwrap();
    let run = || {
        let out = Command::cargo_bin("secform")
            .unwrap()
            .arg("summary")
            .arg(dir.path())
            .arg("-o")
            .arg(out.path().join("一覧.csv"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(!run().contains("元請が"), "one 元請");
    sub["target"]["subcontractor"] = json!(false);
    sub["target"]["company"] = json!("株式会社協力会社B");
    fs::write(dir.path().join("b.json"), sub.to_string()).unwrap();
    let err = run();
    let main_name = main["target"]["company"].as_str().unwrap();
    let warning = format!("警告: 元請が 2 件あります（{main_name}、株式会社協力会社B）");
    assert!(err.contains(&warning), "{err}");
    // `batch --summary` says it too.
    let out_dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("secform")
        .unwrap()
        .arg("batch")
        .arg(dir.path())
        .arg("--out-dir")
        .arg(out_dir.path())
        .arg("--summary")
        .arg(out_dir.path().join("一覧.csv"))
        .arg("--quiet")
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&warning), "{err}");
}
