//! Workbooks as users send them back: every problem names its cell (check, render, batch), bad
//! workbooks are refused in Japanese naming the file and the cell, cells stored as numbers are
//! read as what they mean, and `convert` writes JSON as `init` does.

use crate::common;

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use secform::export::workbook as write;
use secform::input::answers;
use secform::input::workbook as read;
use secform::FormSpec;
use serde_json::Value;

fn layout() -> &'static FormSpec {
    FormSpec::get("npa-2022").unwrap()
}

fn sample(name: &str) -> Value {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("samples/{name}")).unwrap()).unwrap();
    // The seal image's path is relative to the samples folder; the workbooks live elsewhere.
    v.as_object_mut().unwrap().remove("seal");
    v
}

fn secform(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(assert_cmd::cargo::cargo_bin!("secform"))
        .args(args)
        .output()
        .unwrap()
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `xlsx` with the part `name` passed through `edit` (the other parts as they were).
fn patch(xlsx: &[u8], name: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut found = false;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let part = file.name().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if part == name {
            found = true;
            let before = String::from_utf8(bytes).unwrap();
            let after = edit(before.clone());
            assert_ne!(before, after, "{name} unchanged by the patch");
            bytes = after.into_bytes();
        }
        out.start_file(part, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    assert!(found, "no part {name}");
    out.finish().unwrap().into_inner()
}

/// The cell reference (`C24`) of `sheet!C24`.
fn local(cell: &str) -> &str {
    cell.rsplit_once('!').unwrap().1
}

/// Replaces the XML element of cell `at` (`C24`) in a worksheet part with `with`.
fn replace_cell(sheet: String, at: &str, with: &str) -> String {
    let start = sheet
        .find(&format!("<c r=\"{at}\""))
        .unwrap_or_else(|| panic!("no cell {at}"));
    let rest = &sheet[start..];
    let open_end = rest.find('>').unwrap();
    let end = if rest[..open_end].ends_with('/') {
        open_end + 1
    } else {
        rest.find("</c>").unwrap() + 4
    };
    format!("{}{with}{}", &sheet[..start], &sheet[start + end..])
}

/// The workbook of `value` and where each of its answers is.
fn workbook(value: &Value) -> (Vec<u8>, read::Read) {
    let bytes = write::write(layout(), value).unwrap();
    let back = read::read(layout(), &bytes).unwrap();
    (bytes, back)
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The value calamine finds in `cell` (`確認書!C24`) of `xlsx`: the cell a message names is the
/// one that holds the answer.
fn value_at(xlsx: &[u8], cell: &str) -> String {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let (sheet, at) = cell.rsplit_once('!').unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let split = at.find(|c: char| c.is_ascii_digit()).unwrap();
    let col = at[..split]
        .bytes()
        .fold(0u32, |n, b| n * 26 + (b - b'A' + 1) as u32)
        - 1;
    let row: u32 = at[split..].parse::<u32>().unwrap() - 1;
    range
        .get_value((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[test]
fn check_names_the_cell_of_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = sample("main-contractor.json");
    value["items"]["7"]["status"] = "済".into();
    // 実施 without a word on how: a warning at the detail's path.
    value["items"]["9"]["detail"] = "".into();
    let (bytes, back) = workbook(&value);
    let status_cell = back.cells["items.7.status"].to_string();
    let detail_cell = back.cells["items.9.detail"].to_string();
    assert_eq!(value_at(&bytes, &status_cell), "済");
    assert!(status_cell.starts_with("確認書!C"), "{status_cell}");
    let xlsx = save(dir.path(), "回答.xlsx", &bytes);

    let out = secform(&[os("check"), xlsx.as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "エラー: 2 確認事項 7 実施/未実施（{status_cell}）: 「実施」または「未実施」を指定してください（実際: \"済\"）"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "警告: 2 確認事項 9 実施状況(詳細)又は未実施の理由（{detail_cell}）: "
        )),
        "{text}"
    );

    let out = secform(&[os("check"), xlsx.as_os_str(), os("--format"), os("json")]);
    let problems: Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = problems
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "items.7.status")
        .unwrap();
    assert_eq!(status["cell"], status_cell.as_str());
    assert_eq!(status["severity"], "error");
    // The form's name of the field beside the path and the cell: the row's number under the
    // table's heading and the column's title, as the layout data words them.
    let items = &layout().items;
    assert_eq!(
        status["label"],
        format!("{} 7 {}", items.heading, items.columns[2].title).as_str()
    );
    assert_eq!(status["label"], "2 確認事項 7 実施/未実施");

    // The same answers as JSON: no cell anywhere.
    let json = save(dir.path(), "回答.json", value.to_string().as_bytes());
    let out = secform(&[os("check"), json.as_os_str(), os("--format"), os("json")]);
    let problems: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(problems
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p.get("cell").is_none() && p["label"].is_string()));
    // For JSON, the path the user edits follows the form's name.
    let out = secform(&[os("check"), json.as_os_str()]);
    assert!(
        stdout(&out).contains("エラー: 2 確認事項 7 実施/未実施 [items.7.status]: "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_problem_without_a_cell_of_its_own_names_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = sample("main-contractor.json");
    // Row 2 answered although row 1 is 実施: the rules name the row (items.2).
    value["items"]["1"] = serde_json::json!({"status": "実施", "detail": "下請負はしていない。"});
    value["items"]["2"] = serde_json::json!({"status": "実施", "detail": "書面を添えた。"});
    let (bytes, back) = workbook(&value);
    let xlsx = save(dir.path(), "a.xlsx", &bytes);
    let out = secform(&[os("check"), xlsx.as_os_str(), os("--format"), os("json")]);
    let problems: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row2: Vec<&Value> = problems
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"].as_str().unwrap().starts_with("items.2"))
        .collect();
    assert!(row2.iter().any(|p| p["path"] == "items.2"), "{problems}");
    for p in row2 {
        let path = p["path"].as_str().unwrap();
        let want = back
            .cells
            .get(path)
            .unwrap_or(&back.cells["items.2.status"]);
        assert_eq!(p["cell"], want, "{p}");
    }
}

#[test]
fn render_refuses_naming_the_cell_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = sample("main-contractor.json");
    value["checked_on"] = "2026年13月1日".into();
    let (bytes, back) = workbook(&value);
    let xlsx = save(dir.path(), "a.xlsx", &bytes);
    let pdf = dir.path().join("a.pdf");
    let out = secform(&[os("render"), xlsx.as_os_str(), os("-o"), pdf.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let cell = &back.cells["checked_on"];
    assert!(
        stderr(&out).contains(&format!("エラー: 確認年月日（{cell}）: ")),
        "{}",
        stderr(&out)
    );
    assert!(!pdf.exists());
}

/// A workbook whose items.7.status cell holds a formula (its computed value 実施 stored with it,
/// as Excel saves one).
fn with_formula() -> (Vec<u8>, String) {
    let (bytes, back) = workbook(&sample("main-contractor.json"));
    let cell = back.cells["items.7.status"].to_string();
    let at = local(&cell).to_string();
    let patched = patch(&bytes, "xl/worksheets/sheet1.xml", |s| {
        replace_cell(
            s,
            &at,
            &format!("<c r=\"{at}\" t=\"str\"><f>IF(TRUE,\"実施\",\"未実施\")</f><v>実施</v></c>"),
        )
    });
    (patched, cell)
}

#[test]
fn a_formula_in_an_answer_cell_is_an_error_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, cell) = with_formula();
    let read = read::read(layout(), &bytes).unwrap();
    assert_eq!(read.problems.len(), 1);
    assert_eq!(read.problems[0].cell.as_deref(), Some(cell.as_str()));
    // The value the sheet shows is read all the same.
    assert_eq!(read.value["items"]["7"]["status"], "実施");
    let xlsx = save(dir.path(), "式.xlsx", &bytes);
    let out = secform(&[os("check"), xlsx.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!(
            "エラー: 2 確認事項 7 実施/未実施（{cell}）: 数式は使えません"
        )),
        "{}",
        stdout(&out)
    );
    let pdf = dir.path().join("a.pdf");
    let out = secform(&[os("render"), xlsx.as_os_str(), os("-o"), pdf.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&format!(
        "2 確認事項 7 実施/未実施（{cell}）: 数式は使えません"
    )));
    assert!(!pdf.exists());
    let out = secform(&[os("convert"), xlsx.as_os_str(), os("-o"), os("-")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("式.xlsx") && stderr(&out).contains(&cell));
}

/// A zip that is a Word document, not a workbook.
fn docx_zip() -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    out.start_file(
        "[Content_Types].xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    out.write_all(b"<Types/>").unwrap();
    out.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    out.write_all(b"<w:document/>").unwrap();
    out.finish().unwrap().into_inner()
}

/// Every bad workbook, its file name and what its message must say.
fn bad_workbooks() -> Vec<(&'static str, Vec<u8>, String)> {
    let (good, _) = workbook(&sample("main-contractor.json"));
    let fixture = |name: &str| std::fs::read(format!("tests/fixtures/{name}")).unwrap();
    let no_names = patch(&good, "xl/workbook.xml", |s| {
        let a = s.find("<definedNames>").unwrap();
        let b = s.find("</definedNames>").unwrap() + "</definedNames>".len();
        format!("{}{}", &s[..a], &s[b..])
    });
    let one_name_gone = patch(&good, "xl/workbook.xml", |s| {
        let a = s.find("<definedName name=\"items_7_detail\"").unwrap();
        let b = a + s[a..].find("</definedName>").unwrap() + "</definedName>".len();
        format!("{}{}", &s[..a], &s[b..])
    });
    let other_layout = patch(&good, "xl/sharedStrings.xml", |s| {
        s.replace(">npa-2022<", ">npa-2031<")
    });
    let future = patch(&good, "xl/worksheets/sheet2.xml", |s| {
        replace_cell(s, "B2", "<c r=\"B2\"><v>2</v></c>")
    });
    let (formula, formula_cell) = with_formula();
    vec![
        (
            "random.xlsx",
            b"\x00\x01\x02 not a workbook \xff\xfe".to_vec(),
            "Excel ブック（.xlsx）ではありません".into(),
        ),
        (
            "word.xlsx",
            docx_zip(),
            "ZIP ファイルですが、Excel ブック（.xlsx）ではありません".into(),
        ),
        (
            "encrypted.xlsx",
            fixture("workbook-encrypted.xlsx"),
            "パスワードで保護（暗号化）されたブックです".into(),
        ),
        (
            "old.xls",
            fixture("workbook-old.xls"),
            "古い Excel 形式（.xls）です".into(),
        ),
        (
            "no-names.xlsx",
            no_names,
            "secform のブックではありません（名前 secform_layout がありません）".into(),
        ),
        (
            "one-name.xlsx",
            one_name_gone,
            "回答欄の名前 items_7_detail がありません（items.7.detail の欄）".into(),
        ),
        (
            "layout.xlsx",
            other_layout,
            "secform!B1: 様式 npa-2031 のブックです".into(),
        ),
        (
            "future.xlsx",
            future,
            "secform!B2: ブックの形式 2 はこの secform では読めません".into(),
        ),
        (
            "formula.xlsx",
            formula,
            format!("2 確認事項 7 実施/未実施（{formula_cell}）: 数式は使えません"),
        ),
    ]
}

#[test]
fn bad_workbooks_are_refused_in_japanese_naming_the_file_and_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, want) in bad_workbooks() {
        let path = save(dir.path(), name, &bytes);
        let out = secform(&[os("check"), path.as_os_str()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let said = stderr(&out) + &stdout(&out);
        assert!(said.contains(&want), "{name}: {said}");
        // The file is named: on the line of a refused file, or (a problem in a cell) by the user
        // who gave it; render names it in its refusal either way.
        let pdf = dir.path().join(format!("{name}.pdf"));
        let out = secform(&[os("render"), path.as_os_str(), os("-o"), pdf.as_os_str()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(stderr(&out).contains(&want), "{name}: {}", stderr(&out));
        assert!(!pdf.exists());
        if !want.contains("数式") {
            assert!(stderr(&out).contains(name), "{name}: {}", stderr(&out));
        }
        assert!(
            !said.contains("Error") && !said.contains("error:"),
            "{name}: {said}"
        );
    }
}

#[test]
fn a_batch_folder_reports_and_skips_each_bad_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("回答");
    std::fs::create_dir(&folder).unwrap();
    let (good, _) = workbook(&sample("main-contractor.json"));
    save(&folder, "00-good.xlsx", &good);
    let mut status = sample("subcontractor.json");
    status["items"]["7"]["status"] = "済".into();
    let (typed, back) = workbook(&status);
    save(&folder, "01-typed.xlsx", &typed);
    let bad = bad_workbooks();
    for (name, bytes, _) in &bad {
        save(&folder, name, bytes);
    }
    let out_dir = dir.path().join("out");
    let out = secform(&[
        os("batch"),
        folder.as_os_str(),
        os("--out-dir"),
        out_dir.as_os_str(),
        os("--quiet"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    let cell = &back.cells["items.7.status"];
    assert!(
        said.contains("01-typed.xlsx")
            && said.contains(&format!("2 確認事項 7 実施/未実施（{cell}）")),
        "{said}"
    );
    for (name, _, want) in &bad {
        let line = said
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not reported: {said}"));
        assert!(line.contains(want.as_str()), "{name}: {line}");
    }
    let written: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert_eq!(written.len(), 1, "{said}");
}

#[test]
fn cells_stored_as_numbers_read_as_what_they_mean() {
    let value = sample("main-contractor.json");
    let (bytes, back) = workbook(&value);
    // A date as the serial number Excel stores, with no date format; a number typed in a text
    // cell; a text date in a date cell; TRUE in a はい/いいえ cell.
    let start = local(&back.cells["target.contract_start"]).to_string();
    let dept = local(&back.cells["target.department"]).to_string();
    let checked = local(&back.cells["checked_on"]).to_string();
    let sub = local(&back.cells["target.subcontractor"]).to_string();
    let patched = patch(&bytes, "xl/worksheets/sheet1.xml", |s| {
        let s = replace_cell(s, &start, &format!("<c r=\"{start}\"><v>46113</v></c>"));
        let s = replace_cell(s, &dept, &format!("<c r=\"{dept}\"><v>42</v></c>"));
        let s = replace_cell(
            s,
            &checked,
            &format!("<c r=\"{checked}\" t=\"inlineStr\"><is><t>R8.4.10</t></is></c>"),
        );
        replace_cell(s, &sub, &format!("<c r=\"{sub}\" t=\"b\"><v>1</v></c>"))
    });
    let read = read::read(layout(), &patched).unwrap();
    assert_eq!(read.value["target"]["contract_start"], "2026-04-01");
    assert_eq!(read.value["target"]["department"], "42");
    assert_eq!(read.value["target"]["subcontractor"], true);
    let a = answers::from_value(&read.value).unwrap();
    assert_eq!(
        a.checked_on,
        chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap()
    );
    assert_eq!(
        a.target.contract_start,
        chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
    );
}

#[test]
fn convert_writes_json_in_inits_order_without_comments() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("empty.xlsx");
    let out = secform(&[
        os("init"),
        os("--format"),
        os("xlsx"),
        os("-o"),
        xlsx.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let init = stdout(&secform(&[os("init")]));
    let to_stdout = secform(&[os("convert"), xlsx.as_os_str(), os("-o"), os("-")]);
    assert!(to_stdout.status.success(), "{}", stderr(&to_stdout));
    let json = dir.path().join("a.json");
    let out = secform(&[os("convert"), xlsx.as_os_str(), os("-o"), json.as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = std::fs::read_to_string(&json).unwrap();
    assert_eq!(file, stdout(&to_stdout));
    // What `convert` writes is the answer set the PDF carries (issue 14): init's fields in init's
    // order, not one `$comment`, a row that held nothing else left out.
    assert!(!file.contains("$comment"), "{file}");
    fn plain(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(k, _)| k.as_str() != "$comment")
                    .map(|(k, v)| (k.clone(), plain(v)))
                    .filter(|(_, v)| !matches!(v, Value::Object(m) if m.is_empty()))
                    // The starter's empty fields: a workbook's empty cell is no answer either.
                    .filter(|(_, v)| v.as_str() != Some(""))
                    .collect(),
            ),
            v => v.clone(),
        }
    }
    let init: Value = serde_json::from_str(&init).unwrap();
    let written: Value = serde_json::from_str(&file).unwrap();
    assert_eq!(written, plain(&init));
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&written), keys(&plain(&init)), "init's order");
    // And JSON to JSON formats the same way.
    let again = dir.path().join("b.json");
    let out = secform(&[os("convert"), json.as_os_str(), os("-o"), again.as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), file);
}

#[test]
fn init_xlsx_goes_to_a_pipe_but_not_to_a_terminal() {
    let out = secform(&[os("init"), os("--format"), os("xlsx")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read::is_xlsx(&out.stdout));

    let (master, slave) = common::pseudo_terminal();
    for args in [
        &["init", "--format", "xlsx"][..],
        &["init", "--format", "xlsx", "-o", "-"],
    ] {
        let out = Command::new(assert_cmd::cargo::cargo_bin!("secform"))
            .args(args)
            .stdout(std::process::Stdio::from(slave.try_clone().unwrap()))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let said = stderr(&out);
        assert!(
            said.contains("Excel ブック（xlsx）は端末には書き出せません") && said.contains("-o"),
            "{said}"
        );
    }
    drop(master);
}

#[test]
fn a_row_holding_only_its_comment_prints_as_a_row_left_out() {
    // `init` and `convert` write every row with its text as `$comment`; row 8 (※) unanswered must
    // still print its ※ marks, exactly as when the row is left out.
    let mut value = sample("main-contractor.json");
    value["items"].as_object_mut().unwrap().remove("8");
    let left_out = secform::Renderer::new(secform::FontSet::bundled())
        .render_json(&value.to_string(), &opts())
        .unwrap();
    value["items"]["8"] = serde_json::json!({"$comment": "3. 1 その他"});
    let commented = secform::Renderer::new(secform::FontSet::bundled())
        .render_json(&value.to_string(), &opts())
        .unwrap();
    assert!(
        left_out == commented,
        "a comment-only row printed differently"
    );
}

fn opts() -> secform::CheckOptions {
    secform::CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
}

/// Column widths in pixels and row heights in points, as stored in the sheet 「確認書」.
fn geometry(xlsx: &[u8]) -> (Vec<f32>, std::collections::BTreeMap<u32, f32>) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let widths = doc
        .descendants()
        .filter(|n| n.has_tag_name("col"))
        // Excel's stored character widths (padding included) to pixels: Calibri 11, 7 px a digit.
        .map(|n| n.attribute("width").unwrap().parse::<f32>().unwrap() * 7.0)
        .collect();
    let heights = doc
        .descendants()
        .filter(|n| n.has_tag_name("row"))
        .filter_map(|n| {
            let r: u32 = n.attribute("r")?.parse().ok()?;
            Some((r, n.attribute("ht")?.parse().ok()?))
        })
        .collect();
    (widths, heights)
}

#[test]
fn columns_and_rows_fit_the_measured_text() {
    let fonts = secform::FontSet::bundled();
    let mut value = sample("main-contractor.json");
    let long = "一行目の説明。\n二行目：".to_string() + &"長い説明文".repeat(40);
    value["items"]["5"]["detail"] = long.clone().into();
    let (bytes, back) = workbook(&value);
    let (widths, heights) = geometry(&bytes);
    assert_eq!(widths.len(), 4);
    // The four columns fill A4 portrait inside the default margins: printed at 100 %, not shrunk.
    let page_px = (595.28 - 2.0 * 0.7 * 72.0) / 0.75;
    let total: f32 = widths.iter().sum();
    assert!(
        total <= page_px + 4.0 && total >= page_px - 8.0,
        "{total} of {page_px}"
    );
    // Each table row is tall enough for its 確認事項 and its detail as the font breaks them: the
    // cell's text (read back by calamine), the column's stored width, 11 pt BIZ UD明朝, 1 em a line.
    let usable = |px: f32| (px - 8.0) * 0.75;
    let layout = layout();
    let mut checked = 0;
    for row in &layout.items.rows {
        let cell = &back.cells[format!("items.{}.detail", row.number).as_str()];
        let n: u32 = local(cell)[1..].parse().unwrap();
        let detail = value_at(&bytes, cell);
        let ht = heights[&n];
        let mut most = 0;
        for (text, width) in [(row.text.as_str(), widths[1]), (detail.as_str(), widths[3])] {
            let lines = secform::layout::text::break_lines(
                &fonts,
                text,
                11.0,
                usable(width),
                usable(width),
            )
            .unwrap()
            .len();
            assert!(
                ht >= lines as f32 * 11.0 + 2.0,
                "row {n}: {lines} lines in {ht} pt: {text}"
            );
            most = most.max(lines);
            checked += 1;
        }
        // …and not rows of blank lines, as the old guess (every character two units) gave.
        assert!(
            ht <= most as f32 * 11.0 * 1.5 + 8.0,
            "row {n}: {most} lines in {ht} pt"
        );
    }
    assert_eq!(checked, 2 * layout.items.rows.len());
    let five = local(&back.cells["items.5.detail"])[1..]
        .parse::<u32>()
        .unwrap();
    assert!(
        heights[&five] > 100.0,
        "the long detail's row: {}",
        heights[&five]
    );
}

#[test]
fn a_yes_no_cell_holding_another_word_asks_for_hai_or_iie_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = sample("incident.json");
    value["circumstances"] = serde_json::json!({"onsite": "Yes"});
    let (bytes, back) = workbook(&value);
    let cell = &back.cells["circumstances.onsite"];
    assert_eq!(value_at(&bytes, cell), "Yes");
    let xlsx = save(dir.path(), "a.xlsx", &bytes);
    let out = secform(&[os("check"), xlsx.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "エラー: 「甲の指定する場所において個別業務を行う場合」（{cell}）: 「はい」か「いいえ」を選んでください（実際: \"Yes\"）"
        )),
        "{text}"
    );
    // Said once, in the sheet's words: not again as JSON's true or false.
    assert!(!text.contains("true または false"), "{text}");
}

/// Issue 21 §6: a formula in an answer cell that leaves it empty (no computed value stored, as a
/// program other than Excel may save it) gets its one message, not also 「必須の項目がありません」
/// or 「回答がありません」 for the value it did not give.
#[test]
fn a_formula_that_leaves_its_cell_empty_gets_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, back) = workbook(&sample("main-contractor.json"));
    let mut cells = Vec::new();
    let mut patched = bytes;
    for path in [
        "checked_on",
        "target.company",
        "items.5.status",
        "items.5.detail",
    ] {
        let cell = back.cells[path].to_string();
        let at = local(&cell).to_string();
        patched = patch(&patched, "xl/worksheets/sheet1.xml", |s| {
            replace_cell(s, &at, &format!("<c r=\"{at}\"><f>TODAY()</f></c>"))
        });
        cells.push((path, cell));
    }
    let xlsx = save(dir.path(), "式.xlsx", &patched);
    let out = secform(&[os("check"), xlsx.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for (path, cell) in &cells {
        assert!(
            text.contains(&format!("（{cell}）: 数式は使えません")),
            "{path}: {text}"
        );
    }
    assert!(!text.contains("必須の項目がありません"), "{text}");
    assert!(!text.contains("回答がありません"), "{text}");
    assert_eq!(text.lines().count(), cells.len(), "{text}");
    // convert and render refuse with the same messages.
    let out = secform(&[os("convert"), xlsx.as_os_str(), os("-o"), os("-")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !stderr(&out).contains("必須の項目がありません"),
        "{}",
        stderr(&out)
    );
    let pdf = dir.path().join("a.pdf");
    let out = secform(&[os("render"), xlsx.as_os_str(), os("-o"), pdf.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !stderr(&out).contains("必須の項目がありません"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("回答がありません"),
        "{}",
        stderr(&out)
    );
}

/// The style index (`s="N"`) of cell `at` (`C6`) in a worksheet part.
fn style_of(sheet: &str, at: &str) -> String {
    let start = sheet.find(&format!("<c r=\"{at}\"")).unwrap();
    let tag = &sheet[start..start + sheet[start..].find('>').unwrap()];
    tag.split(" s=\"")
        .nth(1)
        .map_or("0", |rest| &rest[..rest.find('"').unwrap()])
        .to_string()
}

fn part(xlsx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Issue 21 §3: a `--subcontractor` workbook has its 下請負者等 cell fixed to はい, locked like the
/// row texts (the label's style, no drop-down); the contractor's stays an answer cell.
#[test]
fn a_subcontractors_workbook_has_its_flag_locked_to_yes() {
    for (sub, args) in [
        (true, &["init", "--subcontractor", "--format", "xlsx"][..]),
        (false, &["init", "--format", "xlsx"][..]),
    ] {
        let out = secform(&args.iter().map(|a| os(a)).collect::<Vec<_>>());
        assert!(out.status.success(), "{}", stderr(&out));
        let bytes = out.stdout;
        let back = read::read(layout(), &bytes).unwrap();
        let cell = local(&back.cells["target.subcontractor"]).to_string();
        let label = format!("A{}", &cell[1..]);
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        let validated = sheet.contains(&format!("sqref=\"{cell}\""));
        if sub {
            assert_eq!(back.value["target"]["subcontractor"], true);
            assert_eq!(
                value_at(&bytes, &back.cells["target.subcontractor"]),
                "はい"
            );
            assert_eq!(style_of(&sheet, &cell), style_of(&sheet, &label), "locked");
            assert!(!validated, "no drop-down on a fixed cell");
        } else {
            assert_eq!(back.value["target"]["subcontractor"], false);
            assert_ne!(
                style_of(&sheet, &cell),
                style_of(&sheet, &label),
                "unlocked"
            );
            assert!(validated, "the drop-down");
        }
        // `check` of the untouched workbook lists every row that applies on a first check.
        let dir = tempfile::tempdir().unwrap();
        let path = save(dir.path(), "starter.xlsx", &bytes);
        let text = stdout(&secform(&[os("check"), path.as_os_str()]));
        let unanswered: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("回答がありません"))
            // 「エラー: 2 確認事項 1（確認書!C16）: 回答がありません…」: the row's number.
            .map(|l| l.split('（').next().unwrap().rsplit(' ').next().unwrap())
            .collect();
        assert_eq!(
            unanswered,
            ["1", "3", "4", "5", "6", "7", "9", "10", "12", "15", "16", "18", "24"],
            "{text}"
        );
        // Guidance is each status cell's input message, not an answer.
        let prompts = sheet
            .matches(&format!(
                "prompt=\"{}\"",
                secform::spec::workbook::STATUS_HINT
            ))
            .count();
        // Every row's but row 23's, whose drop-down explains 自動 instead.
        assert_eq!(prompts, layout().items.rows.len() - 1, "{sheet}");
        assert_eq!(sheet.matches("promptTitle=\"自動\"").count(), 1, "{sheet}");
        // The starter workbook answers nothing: no status, detail or date in any cell.
        for (path, at) in back.cells.iter() {
            if path.starts_with("items.")
                || path == "checked_on"
                || path.starts_with("target.contract")
            {
                assert_eq!(value_at(&bytes, at), "", "{path} ({at})");
            }
        }
    }
}

/// Issue 21 §5 in a workbook: a row `next` carried over shows 「前年のまま」 in a visible column
/// (outside the printed area); the clerk clears it to confirm the row, and a changed answer
/// clears the warning even where the mark stays.
#[test]
fn carried_over_rows_show_a_mark_the_clerk_clears() {
    let dir = tempfile::tempdir().unwrap();
    let json = save(
        dir.path(),
        "2026.json",
        sample("subcontractor.json").to_string().as_bytes(),
    );
    let xlsx = dir.path().join("2027.xlsx");
    let out = secform(&[
        os("next"),
        json.as_os_str(),
        os("--checked-on"),
        os("2026-11-30"),
        os("-o"),
        xlsx.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&xlsx).unwrap();
    let back = read::read(layout(), &bytes).unwrap();
    let items = back.value["items"].as_object().unwrap();
    let carried: Vec<&String> = items
        .iter()
        .filter(|(_, row)| row.get("carried_over").is_some())
        .map(|(n, _)| n)
        .collect();
    assert!(carried.len() > 10, "{carried:?}");
    for n in &carried {
        let status_cell = &back.cells[&format!("items.{n}.status")];
        let mark_cell = status_cell.replace("!C", "!E");
        assert_eq!(value_at(&bytes, &mark_cell), "前年のまま", "row {n}");
        assert_eq!(
            items[n.as_str()]["carried_over"]["detail"],
            items[n.as_str()]["detail"]
        );
    }
    // The print area stays the form's four columns.
    let book = part(&bytes, "xl/workbook.xml");
    assert!(book.contains("_xlnm.Print_Area"), "{book}");
    assert!(book.contains("!$A$1:$D$"), "{book}");
    let warned = |bytes: &[u8]| {
        let path = save(dir.path(), "x.xlsx", bytes);
        let out = secform(&[os("check"), path.as_os_str()]);
        stdout(&out)
            .lines()
            .filter(|l| l.contains("前年の回答のままです。今年の状況を確かめてください"))
            .map(|l| l.split(['.', '（']).nth(1).unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(warned(&bytes).len(), carried.len());
    // Row 5's mark cleared; row 6's detail rewritten (its mark left as it is).
    let mark = local(&back.cells["items.5.status"]).replace('C', "E");
    let detail = local(&back.cells["items.6.detail"]).to_string();
    let edited = patch(&bytes, "xl/worksheets/sheet1.xml", |s| {
        let s = replace_cell(s, &mark, &format!("<c r=\"{mark}\"/>"));
        replace_cell(
            s,
            &detail,
            &format!("<c r=\"{detail}\" t=\"inlineStr\"><is><t>取扱者名簿を令和8年11月に更新し、通知した。</t></is></c>"),
        )
    });
    let again = read::read(layout(), &edited).unwrap();
    assert!(again.value["items"]["5"].get("carried_over").is_none());
    let left = warned(&edited);
    assert_eq!(left.len(), carried.len() - 2, "{left:?}");
    assert!(!left.contains(&"5".to_string()) && !left.contains(&"6".to_string()));
}
