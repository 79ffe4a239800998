//! The clause annex as a user gets it from `secform clauses`: the PDF's text equals the txt output,
//! bad options are refused with exit code 2 (a usage error), and `--with-form` appends the blank 別記様式.

use crate::common;

use assert_cmd::Command;
use common::*;

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

fn run_pdf(args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annex.pdf");
    secform()
        .arg("clauses")
        .args(args)
        .arg("-o")
        .arg(&path)
        .assert()
        .success();
    std::fs::read(path).unwrap()
}

fn is_footer(line: &str) -> bool {
    line.starts_with("- ")
        && line.ends_with(" -")
        && line[2..line.len() - 2].chars().all(|c| c.is_ascii_digit())
}

#[test]
fn pdf_text_equals_the_txt_output() {
    for args in [
        vec!["--variant", "npa-2022"],
        vec!["--variant", "npa-2022", "--parties", "委託者,受託者"],
        vec!["--variant", "itaku-14"],
        vec![
            "--variant",
            "itaku-14",
            "--parties",
            "株式会社サンプル情報システム,国立研究開発法人テスト機構",
        ],
    ] {
        let txt = run_txt(&args);
        let pdf = run_pdf(&args);
        let pages = pdf_pages(&pdf);
        for (n, page) in pages.iter().enumerate() {
            assert_eq!(
                page.last().map(String::as_str),
                Some(format!("- {} -", n + 1).as_str()),
                "page number"
            );
        }
        let lines: Vec<String> = pages
            .concat()
            .into_iter()
            .filter(|l| !is_footer(l))
            .collect();
        for block in txt.lines() {
            assert!(
                printed(&lines, block),
                "{args:?}: not printed exactly: {block}"
            );
        }
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(
            squash(&lines.concat()),
            squash(&txt),
            "{args:?}: text or order differs"
        );
    }
}

#[test]
fn same_options_give_the_same_bytes() {
    let a = run_pdf(&["--variant", "itaku-14", "--parties", "甲,乙"]);
    let b = run_pdf(&["--variant", "itaku-14", "--parties", "甲,乙"]);
    assert!(a == b);
}

#[test]
fn with_form_appends_the_blank_form_with_bookmarks() {
    let pdf = run_pdf(&["--variant", "npa-2022", "--with-form"]);
    let pages = pdf_pages(&pdf);
    let form_start = pages
        .iter()
        .position(|p| p[0] == "情報セキュリティ対策履行状況確認書")
        .expect("form appended");
    assert!(form_start >= 2);
    assert_eq!(pages[0][0], "情報セキュリティの確保に関する特約条項");
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Outlines"), "bookmarks written");
    assert_eq!(doc.get_pages().len(), pages.len());

    let out = secform()
        .args([
            "clauses",
            "--variant",
            "itaku-14",
            "--with-form",
            "-o",
            "x.pdf",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("itaku-14 には別記様式がありません"));
}

#[test]
fn bad_options_are_refused_with_a_clear_message() {
    for (args, needle) in [
        (vec!["--parties", "甲"], "1つしかありません"),
        (vec!["--parties", "甲,"], "空です"),
        (vec!["--parties", "甲,甲"], "当事者名が同じです（甲）"),
        (
            vec!["--parties", "甲,乙,丙"],
            "カンマを含む名前は使えません",
        ),
        (vec!["--parties", "甲\n社,乙"], "改行"),
        (
            vec!["--variant", "foo"],
            "--variant <VARIANT> に 'foo' は使えません（使える値: itaku-14、npa-2022）",
        ),
        (
            vec!["--format", "odt"],
            "--format <FORMAT> に 'odt' は使えません（使える値: pdf、txt、md、docx）",
        ),
    ] {
        // txt unless the case is about the format, so that a failure cannot hide behind "-o missing".
        let format: &[&str] = if args[0] == "--format" {
            &[]
        } else {
            &["--format", "txt"]
        };
        let out = secform()
            .arg("clauses")
            .args(format)
            .args(&args)
            .output()
            .unwrap();
        // A command line that cannot be used: exit 2, as for every usage error.
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: «{needle}» not in «{err}»");
        assert!(err.contains("使い方: secform clauses"), "{args:?}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing is printed on failure"
        );
    }
}

/// `--party-names` in the PDF: the parties block heads the first page, the clauses keep 甲/乙, and
/// the text read back is the txt output with the option; with `--with-form` too.
#[test]
fn party_names_head_the_pdf_and_work_with_the_form() {
    let names = ["--party-names", "北海道警察本部,株式会社北辰情報システムズ"];
    for with_form in [false, true] {
        let mut args = vec!["--variant", "npa-2022"];
        args.extend(names);
        if with_form {
            args.push("--with-form");
        }
        let pages = pdf_pages(&run_pdf(&args));
        assert_eq!(pages[0][0], "甲：北海道警察本部");
        assert_eq!(pages[0][1], "乙：株式会社北辰情報システムズ");
        assert_eq!(pages[0][2], "情報セキュリティの確保に関する特約条項");
        let txt = run_txt(&args[..4]);
        let lines: Vec<String> = pages
            .concat()
            .into_iter()
            .filter(|l| !is_footer(l))
            .collect();
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let clauses_text = squash(&lines.concat());
        assert!(
            clauses_text.starts_with(&squash(&txt)),
            "with_form {with_form}: text or order differs"
        );
        assert!(!clauses_text.contains("北海道警察本部は"), "labels kept");
        if with_form {
            assert!(pages
                .iter()
                .any(|p| p[0] == "情報セキュリティ対策履行状況確認書"));
        }
    }
    let out = secform()
        .args(["clauses", "--party-names", "北海道警察本部", "-o", "x.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--party-names") && stderr.contains("1つしかありません"),
        "{stderr}"
    );
}
