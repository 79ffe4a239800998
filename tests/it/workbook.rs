//! The workbook view: JSON → xlsx → JSON keeps the answer set; bad workbooks are refused by type.

use secform::export::workbook as write;
use secform::input::answers;
use secform::input::workbook as read;
use secform::FormSpec;
use serde_json::Value;

fn layout() -> &'static FormSpec {
    FormSpec::get("npa-2022").unwrap()
}

fn round_trip(json: &str) {
    let value: Value = serde_json::from_str(json).unwrap();
    let bytes = write::write(layout(), &value).unwrap();
    assert!(read::is_xlsx(&bytes));
    let back = read::read(layout(), &bytes).unwrap();
    let original = answers::from_value(&value).unwrap();
    let again =
        answers::from_value(&back.value).unwrap_or_else(|p| panic!("{p:?}\n{}", back.value));
    assert_eq!(original, again);
}

#[test]
fn samples_round_trip() {
    for name in ["main-contractor", "subcontractor", "incident"] {
        let text = std::fs::read_to_string(format!("samples/{name}.json")).unwrap();
        round_trip(&text);
    }
}

#[test]
fn long_multi_line_details_round_trip() {
    let mut value: Value =
        serde_json::from_str(&std::fs::read_to_string("samples/main-contractor.json").unwrap())
            .unwrap();
    let detail = "一行目の説明。\n二行目：".to_string() + &"長い説明文".repeat(40);
    for (_, item) in value["items"].as_object_mut().unwrap() {
        item["detail"] = Value::String(detail.clone());
    }
    round_trip(&value.to_string());
}

#[test]
fn cells_are_named_by_json_path() {
    let value: Value =
        serde_json::from_str(&std::fs::read_to_string("samples/main-contractor.json").unwrap())
            .unwrap();
    let bytes = write::write(layout(), &value).unwrap();
    let back = read::read(layout(), &bytes).unwrap();
    let cell = &back.cells["items.7.detail"];
    assert!(cell.starts_with("確認書!D"), "{cell}");
    assert!(back.cells["checked_on"].starts_with("確認書!C"));
}

#[test]
fn bad_inputs_are_refused_by_type() {
    assert_eq!(
        read::read(layout(), b"{}"),
        Err(read::WorkbookError::NotXlsx)
    );
    let ole = [0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    assert_eq!(read::read(layout(), &ole), Err(read::WorkbookError::Xls));
    assert_eq!(
        read::read(layout(), b"PK\x03\x04garbage"),
        Err(read::WorkbookError::ZipNotXlsx)
    );
}

#[test]
fn check_and_render_read_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let json = std::fs::read_to_string("samples/subcontractor.json").unwrap();
    let value: Value = serde_json::from_str(&json).unwrap();
    let xlsx = dir.path().join("回答.xlsx");
    std::fs::write(&xlsx, write::write(layout(), &value).unwrap()).unwrap();
    let bin = assert_cmd::cargo::cargo_bin!("secform");
    let out = std::process::Command::new(bin)
        .arg("check")
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_json = dir.path().join("a.pdf");
    let from_xlsx = dir.path().join("b.pdf");
    let j = dir.path().join("a.json");
    std::fs::write(&j, &json).unwrap();
    for (input, pdf) in [(&j, &from_json), (&xlsx, &from_xlsx)] {
        let out = std::process::Command::new(bin)
            .arg("render")
            .arg(input)
            .arg("-o")
            .arg(pdf)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        std::fs::read(&from_json).unwrap(),
        std::fs::read(&from_xlsx).unwrap()
    );
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, b"PK\x03\x04broken").unwrap();
    let out = std::process::Command::new(bin)
        .arg("check")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Excel ブック"));
}

#[test]
fn a_batch_folder_takes_workbooks_and_skips_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    let value: Value =
        serde_json::from_str(&std::fs::read_to_string("samples/main-contractor.json").unwrap())
            .unwrap();
    let mut value = value;
    value.as_object_mut().unwrap().remove("seal");
    std::fs::write(
        folder.join("a.xlsx"),
        write::write(layout(), &value).unwrap(),
    )
    .unwrap();
    std::fs::write(folder.join("b.xlsx"), b"PK\x03\x04broken").unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("secform"))
        .arg("batch")
        .arg(&folder)
        .arg("--out-dir")
        .arg(dir.path().join("out"))
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("b.xlsx") && stderr.contains("Excel ブック"),
        "{stderr}"
    );
    let pdfs = std::fs::read_dir(dir.path().join("out")).unwrap().count();
    assert_eq!(pdfs, 1);
}

/// The same answers give the same workbook bytes, dated by the answers (as the PDF is), whenever
/// and however often it is written: the file is as reproducible as the PDF.
#[test]
fn the_same_answers_give_the_same_workbook_bytes() {
    let json = std::fs::read_to_string("samples/incident.json").unwrap();
    let value: Value = serde_json::from_str(&json).unwrap();
    let first = write::write(layout(), &value).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(
        first == write::write(layout(), &value).unwrap(),
        "bytes differ"
    );
    let core = |bytes: &[u8]| -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        std::io::read_to_string(zip.by_name("docProps/core.xml").unwrap()).unwrap()
    };
    let checked_on = value["checked_on"].as_str().unwrap();
    assert!(
        core(&first).contains(&format!(
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{checked_on}"
        )),
        "{}",
        core(&first)
    );
}

/// The text calamine reads at (`row`, `col`) of the sheet 「確認書」 (zero-based).
fn form_sheet(bytes: &[u8]) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    wb.worksheet_range("確認書").unwrap()
}

fn text(range: &calamine::Range<calamine::Data>, row: u32, col: u32) -> String {
    range
        .get_value((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The circumstances are asked as the page asks them (issue 24): under a heading of their own, the
/// layout's plain question (or its rows' condition) and the rows it decides, never a ※ row's
/// statement followed by はい/いいえ, which a clerk answers as "did you do it".
#[test]
fn the_circumstances_are_asked_as_questions_under_a_heading() {
    let mut value: Value =
        serde_json::from_str(&std::fs::read_to_string("samples/incident.json").unwrap()).unwrap();
    value["circumstances"]["disposal_requested"] = Value::Bool(false);
    let bytes = write::write(layout(), &value).unwrap();
    let back = read::read(layout(), &bytes).unwrap();
    let sheet = form_sheet(&bytes);
    let heading = layout().circumstances_heading.as_deref().unwrap();
    let first = &back.cells["circumstances.onsite"];
    let first_row: u32 = first.trim_start_matches("確認書!C").parse::<u32>().unwrap() - 1;
    assert_eq!(text(&sheet, first_row - 1, 0), heading);
    for (i, name) in layout().circumstances().into_iter().enumerate() {
        let cell = back.cells[format!("circumstances.{name}").as_str()].to_string();
        let row = cell.trim_start_matches("確認書!C").parse::<u32>().unwrap() - 1;
        assert_eq!(row, first_row + i as u32, "{name}: one question a line");
        let q = secform::spec::questions::question(layout(), name).unwrap();
        let rows: Vec<String> = q.rows.iter().map(u32::to_string).collect();
        let asked = text(&sheet, row, 0);
        assert_eq!(
            asked,
            format!(
                "{}（{} {}）",
                q.text,
                layout().items.heading,
                rows.join("・")
            )
        );
        // No row's statement: the form's row texts are not the question.
        assert!(
            layout().items.rows.iter().all(|r| !asked.contains(&r.text)),
            "{asked}"
        );
    }
    let disposal = &back.cells["circumstances.disposal_requested"];
    let row = disposal
        .trim_start_matches("確認書!C")
        .parse::<u32>()
        .unwrap()
        - 1;
    assert_eq!(
        text(&sheet, row, 0),
        "甲から業務情報の廃棄を求められましたか（2 確認事項 17）"
    );
    assert_eq!(text(&sheet, row, 2), "いいえ");
    assert_eq!(back.value["circumstances"]["disposal_requested"], false);
}

/// Row 23's 自動 is explained where it is chosen: the drop-down of its status cell carries the
/// layout's words as the input message Excel and Calc show on selecting the cell.
#[test]
fn the_automatic_status_is_explained_at_its_drop_down() {
    let value: Value =
        serde_json::from_str(&std::fs::read_to_string("samples/main-contractor.json").unwrap())
            .unwrap();
    let bytes = write::write(layout(), &value).unwrap();
    let back = read::read(layout(), &bytes).unwrap();
    let row = layout()
        .items
        .rows
        .iter()
        .find(|r| r.one_year_rule.is_some())
        .unwrap();
    let help = row
        .one_year_rule
        .as_ref()
        .unwrap()
        .auto_help
        .clone()
        .unwrap();
    let cell = &back.cells[format!("items.{}.status", row.number).as_str()];
    let at = cell.rsplit_once('!').unwrap().1;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let xml = std::io::read_to_string(zip.by_name("xl/worksheets/sheet1.xml").unwrap()).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let prompts: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("dataValidation") && n.attribute("prompt").is_some())
        .map(|n| {
            (
                n.attribute("sqref").unwrap().to_string(),
                n.attribute("prompt").unwrap().to_string(),
            )
        })
        .collect();
    // Row 23's drop-down explains 自動; every other status cell keeps the starter's guidance.
    let at_row_23: Vec<&String> = prompts
        .iter()
        .filter(|(cell, _)| cell == at)
        .map(|(_, p)| p)
        .collect();
    assert_eq!(at_row_23, [&help]);
    assert!(
        prompts.iter().all(|(cell, p)| (cell == at) == (*p == help)),
        "{prompts:?}"
    );
}
