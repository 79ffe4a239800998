//! `secform next` (issue 14, part 2): next year's answer set from the last one, on every sample and
//! on the dates where the one-year rule turns (29 Feb, the anniversary, a year and a day).

use crate::common;

use std::fs;

use assert_cmd::Command;
use chrono::NaiveDate;
use common::*;
use serde_json::{json, Value};

fn secform() -> Command {
    Command::cargo_bin("secform").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Checking as on a day after every date used here (`checked_on` must not be in the future).
fn later_opts() -> secform::CheckOptions {
    let mut o = secform::CheckOptions::new(day("2031-01-01"));
    o.seal_files = secform::files::SealFolder::shared(root().join("samples"));
    o
}

/// Every answer set of the samples: the three files and the batch's entries over its defaults.
fn all_samples() -> Vec<(String, Value)> {
    let mut all: Vec<(String, Value)> = [
        "main-contractor.json",
        "subcontractor.json",
        "incident.json",
    ]
    .iter()
    .map(|n| (n.to_string(), sample(n)))
    .collect();
    let batch = sample("batch.json");
    for (i, form) in batch["forms"].as_array().unwrap().iter().enumerate() {
        let entry = secform::batch::over_defaults(&batch["defaults"], form.clone());
        all.push((format!("batch.json forms[{i}]"), entry));
    }
    all
}

fn next(value: &Value, on: &str) -> secform::next::NextCheck {
    secform::next::next(&renderer(), &value.to_string(), day(on), &later_opts())
        .unwrap_or_else(|e| panic!("next refused: {e}"))
}

/// Row 23 as the form prints it for `json`.
fn row_23(json: &str) -> (String, String) {
    let a = secform::input::answers::parse(json).unwrap();
    let form = secform::FormSpec::get(&a.layout).unwrap();
    let item = secform::rules::resolve(&a, form).items[&23].clone();
    (item.status, item.detail)
}

#[test]
fn next_moves_the_dates_sets_row_23_to_auto_and_keeps_everything_else() {
    let r = renderer();
    for (name, last) in all_samples() {
        let before = r.check(&last.to_string(), &later_opts());
        assert!(before.iter().all(|p| !p.is_error()), "{name}: {before:?}");
        let was = last["checked_on"].as_str().unwrap().to_string();
        let anniversary = format!("{}{}", was[..4].parse::<i32>().unwrap() + 1, &was[4..]);
        let out = next(&last, &anniversary);
        let new: Value = serde_json::from_str(&out.json).unwrap();
        // Exactly four changes: the two dates, row 23, and every other answered row marked as
        // carried over with last year's answer beside it (issue 21 §5).
        let mut expected = last.clone();
        expected["target"]["previous_check"] = json!(was);
        expected["checked_on"] = json!(anniversary);
        let items = expected["items"].as_object_mut().unwrap();
        for (_, row) in items.iter_mut() {
            let row = row.as_object_mut().unwrap();
            let answer: serde_json::Map<String, Value> = row
                .iter()
                .filter(|(k, _)| *k == "status" || *k == "detail")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !answer.is_empty() {
                row.insert("carried_over".into(), Value::Object(answer));
            }
        }
        let mut row = items.get("23").cloned().unwrap_or(json!({}));
        row.as_object_mut().unwrap().remove("detail");
        row.as_object_mut().unwrap().remove("carried_over");
        row["status"] = json!("auto");
        items.insert("23".into(), row);
        assert_eq!(new, expected, "{name}");
        // The problems are exactly what `check` says of the output, and it passes as the last did.
        assert_eq!(
            format!("{:?}", out.problems),
            format!("{:?}", r.check(&out.json, &later_opts())),
            "{name}"
        );
        assert!(
            out.problems.iter().all(|p| !p.is_error()),
            "{name}: {:?}",
            out.problems
        );
        // On the anniversary the year is still running: 実施, with the interval the dates give.
        assert_eq!(row_23(&out.json).0, "実施", "{name}");
        assert!(
            row_23(&out.json).1.ends_with("から1年"),
            "{name}: {:?}",
            row_23(&out.json)
        );
        // And it renders.
        r.render_json(&out.json, &later_opts())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn the_one_year_rule_turns_where_the_civil_code_says() {
    let cases = [
        // last check, next check, row 23 as printed
        ("2026-04-10", "2027-04-10", "実施"), // the anniversary: still within the year
        ("2026-04-10", "2027-04-11", "未実施"), // a year and a day
        ("2028-02-29", "2029-02-28", "実施"), // from 29 Feb the year ends on 28 Feb
        ("2028-02-29", "2029-03-01", "未実施"),
        ("2027-02-28", "2028-02-29", "実施"), // from 28 Feb before a leap year it ends on 29 Feb
        ("2027-02-28", "2028-03-01", "未実施"),
    ];
    let r = renderer();
    for (last_on, next_on, printed) in cases {
        let mut last = sample("main-contractor.json");
        last["checked_on"] = json!(last_on);
        last["target"]["previous_check"] = json!("2025-10-01");
        last["items"]["23"] = json!({"status": "auto"});
        let out = next(&last, next_on);
        let new: Value = serde_json::from_str(&out.json).unwrap();
        assert_eq!(new["target"]["previous_check"], json!(last_on));
        assert_eq!(new["checked_on"], json!(next_on));
        let (status, detail) = row_23(&out.json);
        assert_eq!(status, printed, "{last_on} → {next_on}: {detail}");
        // Whatever the dates, what next reports is what check says of its output.
        assert_eq!(
            format!("{:?}", out.problems),
            format!("{:?}", r.check(&out.json, &later_opts()))
        );
    }
}

#[test]
fn next_on_the_command_line_from_a_pdf_a_json_or_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let json = root().join("samples/subcontractor.json");
    let pdf = d.join("確認書_2026.pdf");
    let ok = |cmd: &mut Command| {
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    ok(secform().arg("render").arg(&json).arg("-o").arg(&pdf));
    // From the PDF and from the JSON: the same next answer set (the PDF carries the answers).
    let (from_pdf, from_json) = (d.join("a.json"), d.join("b.json"));
    ok(secform()
        .arg("next")
        .arg(&pdf)
        .args(["--checked-on", "2026-11-30", "-o"])
        .arg(&from_pdf));
    ok(secform()
        .arg("next")
        .arg(&json)
        .args(["--checked-on", "2026-11-30", "-o"])
        .arg(&from_json));
    let a: Value = serde_json::from_str(&fs::read_to_string(&from_pdf).unwrap()).unwrap();
    let b: Value = serde_json::from_str(&fs::read_to_string(&from_json).unwrap()).unwrap();
    assert_eq!(a, b);
    assert_eq!(a["target"]["previous_check"], json!("2026-04-10"));
    assert_eq!(a["checked_on"], json!("2026-11-30"));
    ok(secform().arg("check").arg(&from_pdf));
    // Into a workbook, which reads back as the same answers.
    let xlsx = d.join("確認書_2027.xlsx");
    ok(secform()
        .arg("next")
        .arg(&pdf)
        .args(["--checked-on", "2026-11-30", "-o"])
        .arg(&xlsx));
    let back = d.join("c.json");
    ok(secform().arg("convert").arg(&xlsx).arg("-o").arg(&back));
    assert_eq!(
        secform::input::answers::parse(&fs::read_to_string(&back).unwrap()).unwrap(),
        secform::input::answers::parse(&fs::read_to_string(&from_pdf).unwrap()).unwrap()
    );
    // Without --checked-on: today.
    let out = ok(secform().arg("next").arg(&json).args(["-o", "-"]));
    let today: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        today["checked_on"],
        json!(chrono::Local::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string())
    );
    // A date before the last check: still written, with check's error, exit 1.
    let early = d.join("early.json");
    let out = secform()
        .arg("next")
        .arg(&json)
        .args(["--checked-on", "2026-01-05", "-o"])
        .arg(&early)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("前回確認実施年月日") && err.contains("確認を通りません"),
        "{err}"
    );
    assert!(early.exists());
    // A date that is not one, the same file in and out, an unreadable last check: nothing written.
    let out = secform()
        .arg("next")
        .arg(&json)
        .args(["--checked-on", "来年", "-o"])
        .arg(d.join("x.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("日付として読めません"));
    let copy = d.join("same.json");
    fs::copy(&json, &copy).unwrap();
    let out = secform()
        .arg("next")
        .arg(&copy)
        .arg("-o")
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(&copy).unwrap(), fs::read(&json).unwrap());
    let bad = d.join("bad.json");
    fs::write(&bad, r#"{"checked_on": "昨日"}"#).unwrap();
    let out = secform()
        .arg("next")
        .arg(&bad)
        .arg("-o")
        .arg(d.join("y.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("checked_on"));
    assert!(!d.join("y.json").exists());
}

#[test]
fn batch_next_makes_one_answer_set_per_input_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pdfs = d.join("2026");
    let run = |args: &[&std::ffi::OsStr]| secform().args(args).output().unwrap();
    let batch_file = root().join("samples/batch.json");
    let out = run(&[
        "batch".as_ref(),
        batch_file.as_os_str(),
        "--out-dir".as_ref(),
        pdfs.as_os_str(),
        "-q".as_ref(),
    ]);
    assert!(out.status.success());
    // Beside the PDFs: one the tool cannot read back (no attachment).
    let plain = renderer()
        .without_attachment()
        .render_json(&sample("subcontractor.json").to_string(), &opts())
        .unwrap();
    fs::write(pdfs.join("99_添付なし.pdf"), plain).unwrap();
    let next_dir = d.join("2027");
    let out = run(&[
        "batch".as_ref(),
        pdfs.as_os_str(),
        "--next".as_ref(),
        "--checked-on".as_ref(),
        "2026-11-20".as_ref(),
        "--out-dir".as_ref(),
        next_dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1), "the unreadable PDF is reported");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("99_添付なし.pdf") && err.contains("添付されていない PDF"),
        "{err}"
    );
    let batch = sample("batch.json");
    let forms = batch["forms"].as_array().unwrap();
    let mut names: Vec<String> = fs::read_dir(&next_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut pdf_names: Vec<String> = fs::read_dir(&pdfs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("99_"))
        .collect();
    pdf_names.sort();
    assert_eq!(
        names,
        pdf_names
            .iter()
            .map(|n| n.replace(".pdf", ".json"))
            .collect::<Vec<_>>()
    );
    let opts = secform::CheckOptions::new(chrono::Local::now().date_naive());
    for (name, form) in names.iter().zip(forms) {
        let entry = secform::batch::over_defaults(&batch["defaults"], form.clone());
        let carried = secform::export::json::attachment(&entry);
        let expected = secform::next::next(
            &renderer(),
            std::str::from_utf8(&carried).unwrap(),
            day("2026-11-20"),
            &opts,
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(next_dir.join(name)).unwrap(),
            expected.json,
            "{name}"
        );
    }
    // Never into the folder it reads.
    let out = run(&[
        "batch".as_ref(),
        pdfs.as_os_str(),
        "--next".as_ref(),
        "--out-dir".as_ref(),
        pdfs.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("同じフォルダには書き出せません"));
    assert!(!pdfs.join("01_株式会社サンプル情報システム.json").exists());
}

/// The rows `check` says are still last year's, by number.
fn carried_rows(json: &str) -> Vec<u32> {
    renderer()
        .check(json, &later_opts())
        .into_iter()
        .filter(|p| p.message == "前年の回答のままです。今年の状況を確かめてください")
        .map(|p| {
            assert_eq!(p.severity, secform::Severity::Warning, "{p}");
            p.path["items.".len()..].parse().unwrap()
        })
        .collect()
}

/// Issue 21 §5: every row `next` carries over is marked until someone looks at it: `check` warns
/// per row with the issue's words; a changed answer or detail clears the row's mark, and so does
/// removing `carried_over` (confirming it). `render` prints a still-marked form with the warnings.
#[test]
fn carried_over_rows_are_marked_until_changed_or_confirmed() {
    let last = sample("main-contractor.json");
    let answered: Vec<u32> = last["items"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.parse().unwrap())
        .filter(|&n| n != 23)
        .collect();
    let out = next(&last, "2027-04-10");
    assert_eq!(
        carried_rows(&out.json),
        answered,
        "every answered row but 23"
    );
    let mut v: Value = serde_json::from_str(&out.json).unwrap();
    // Changed answer, changed detail, confirmed, or only blanks added: three rows cleared.
    v["items"]["5"]["detail"] = json!("取扱者13名全員から誓約書を徴収した。");
    v["items"]["7"]["status"] = json!("未実施");
    v["items"]["3"]
        .as_object_mut()
        .unwrap()
        .remove("carried_over");
    let detail = v["items"]["4"]["detail"].as_str().unwrap().to_string();
    v["items"]["4"]["detail"] = json!(format!("{detail}\n"));
    let still: Vec<u32> = answered
        .iter()
        .copied()
        .filter(|n| ![3, 5, 7].contains(n))
        .collect();
    assert_eq!(carried_rows(&v.to_string()), still);
    // Changed back to last year's words: last year's again.
    v["items"]["5"]["detail"] = v["items"]["5"]["carried_over"]["detail"].clone();
    assert!(carried_rows(&v.to_string()).contains(&5));
    // render: a warning, not a refusal.
    let pdf = renderer()
        .assess_json(&out.json, &later_opts())
        .pdf()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(pdf
        .warnings
        .iter()
        .any(|p| p.message.starts_with("前年の回答のままです")));
    // A malformed mark is an error at its path.
    v["items"]["6"]["carried_over"] = json!({"status": "済"});
    let problems = renderer().check(&v.to_string(), &later_opts());
    assert!(
        problems
            .iter()
            .any(|p| p.is_error() && p.path == "items.6.carried_over.status"),
        "{problems:?}"
    );
}

/// Next year's workbooks in one command (issue 24): `batch --next --format xlsx` writes one
/// workbook per entity, named as its PDF was, each read back (calamine, through secform's reader)
/// to the answer set `--format json` writes, and checked as `check` would check it.
#[test]
fn batch_next_writes_one_workbook_per_entity_ready_to_send() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pdfs = d.join("2026");
    let run = |args: &[&std::ffi::OsStr]| secform().args(args).output().unwrap();
    let batch_file = root().join("samples/batch.json");
    let out = run(&[
        "batch".as_ref(),
        batch_file.as_os_str(),
        "--out-dir".as_ref(),
        pdfs.as_os_str(),
        "-q".as_ref(),
    ]);
    assert!(out.status.success());
    let next = |format: Option<&str>, to: &std::path::Path| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "batch".as_ref(),
            pdfs.as_os_str(),
            "--next".as_ref(),
            "--checked-on".as_ref(),
            "2026-11-20".as_ref(),
            "--out-dir".as_ref(),
            to.as_os_str(),
        ];
        if let Some(f) = format {
            args.extend([std::ffi::OsStr::new("--format"), std::ffi::OsStr::new(f)]);
        }
        run(&args)
    };
    let (json_dir, xlsx_dir) = (d.join("json"), d.join("xlsx"));
    assert!(next(None, &json_dir).status.success());
    let out = next(Some("xlsx"), &xlsx_dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = |dir: &std::path::Path| {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let jsons = listed(&json_dir);
    let workbooks = listed(&xlsx_dir);
    assert_eq!(
        jsons.len(),
        sample("batch.json")["forms"].as_array().unwrap().len()
    );
    assert_eq!(
        workbooks,
        jsons
            .iter()
            .map(|n| n.replace(".json", ".xlsx"))
            .collect::<Vec<_>>()
    );
    let layout = secform::FormSpec::get("npa-2022").unwrap();
    for (json, xlsx) in jsons.iter().zip(&workbooks) {
        let bytes = fs::read(xlsx_dir.join(xlsx)).unwrap();
        assert!(secform::input::workbook::is_xlsx(&bytes), "{xlsx}");
        let back = secform::input::workbook::read(layout, &bytes).unwrap();
        let want: Value =
            serde_json::from_str(&fs::read_to_string(json_dir.join(json)).unwrap()).unwrap();
        assert_eq!(
            secform::input::answers::from_value(&back.value).unwrap(),
            secform::input::answers::from_value(&want).unwrap(),
            "{xlsx}"
        );
        // Ready for next year: the new date, last year's as the previous check, row 23 on 自動.
        assert_eq!(back.value["checked_on"], "2026-11-20");
        assert_eq!(back.value["items"]["23"]["status"], "auto");
    }
    // The JSON stays the default; an unknown format is refused by name.
    let out = next(Some("csv"), &d.join("csv"));
    assert_eq!(out.status.code(), Some(2));
    assert!(!d.join("csv").exists());
}
