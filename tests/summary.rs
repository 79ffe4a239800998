//! `secform summary` (issue 14, part 3, CSV): the CSV read back with the csv crate equals the
//! answers row by row, for a batch holding every kind of row (実施, 未実施, ※, blank) and entities
//! with errors; 元請 first, then 下請負者等 in input order.

mod common;

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
                None if row["optional"].as_bool().unwrap() => "※",
                None => "",
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
