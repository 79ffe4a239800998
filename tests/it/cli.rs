//! The `secform` command as a user runs it: exit codes, messages naming the JSON path, and no PDF
//! (and no clobbered file) when the input is bad.

use crate::common;

use assert_cmd::Command;
use common::*;
use serde_json::json;

fn secform() -> Command {
    Command::cargo_bin("secform").unwrap()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Issue 21 §4: a starter answers nothing and states no fact (no status, detail or date), and
/// `check` of it, untouched or with only the names filled in, reports every unanswered row; given
/// answers, it checks clean and renders.
#[test]
fn init_prints_starters_that_answer_nothing() {
    for args in [vec!["init"], vec!["init", "--subcontractor"]] {
        let out = secform().args(&args).output().unwrap();
        assert!(out.status.success());
        let json = String::from_utf8(out.stdout).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["target"]["subcontractor"], json!(args.len() == 2));
        // Every row of the form, in order, with its text from the seed as `$comment` and nothing
        // else: no status, no detail.
        let items = v["items"].as_object().unwrap();
        let rows = seed_rows();
        assert_eq!(items.len(), rows.len());
        for ((key, item), (number, text, _)) in items.iter().zip(&rows) {
            assert_eq!(key, &number.to_string());
            assert_eq!(item["$comment"].as_str(), Some(text.as_str()), "row {key}");
            assert_eq!(item.as_object().unwrap().len(), 1, "row {key}: {item}");
        }
        // No date: not the contract's, not today's, not a previous check.
        for path in [
            "/target/contract_start",
            "/target/previous_check",
            "/checked_on",
        ] {
            assert!(v.pointer(path).is_none(), "{path} in {json}");
        }
        // Rows that apply whatever the circumstances on a first check: no ※, not row 2 (only
        // when row 1 is 未実施).
        let required: Vec<u32> = rows
            .iter()
            .filter(|(n, _, optional)| !optional && *n != 2)
            .map(|(n, _, _)| *n)
            .collect();
        let unanswered = |json: &str| {
            let check = secform()
                .args(["check", "--format", "json", "-"])
                .write_stdin(json.to_string())
                .output()
                .unwrap();
            assert_eq!(check.status.code(), Some(1), "{json}");
            let problems: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
            let mut rows: Vec<u32> = problems
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| {
                    p["message"]
                        .as_str()
                        .unwrap()
                        .starts_with("回答がありません")
                })
                .map(|p| {
                    p["path"].as_str().unwrap()["items.".len()..]
                        .parse()
                        .unwrap()
                })
                .collect();
            rows.sort();
            rows
        };
        assert_eq!(unanswered(&json), required, "untouched");
        // A clerk who fills in only the names still hears of every row.
        v["target"]["company"] = json!("株式会社北辰情報システムズ");
        v["target"]["department"] = json!("開発部");
        v["target"]["contract_start"] = json!("2026-04-01");
        v["checked_on"] = json!("2026-04-10");
        v["checker"] = json!({"company": "株式会社北辰情報システムズ", "department": "総務部", "title": "部長", "name": "山田 太郎"});
        assert_eq!(unanswered(&v.to_string()), required, "names only");
        // Answered, it passes and renders.
        for n in &required {
            v["items"][n.to_string()] = json!({"status": "実施", "detail": "試験用の回答。"});
        }
        let json = v.to_string();
        let check = secform()
            .args(["check", "-"])
            .write_stdin(json.clone())
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("out.pdf");
        secform()
            .args(["render", "-", "-o"])
            .arg(&pdf)
            .write_stdin(json)
            .assert()
            .success();
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    }
}

#[test]
fn render_blank_form_and_samples() {
    let dir = tempfile::tempdir().unwrap();
    for (args, name) in [
        (vec!["render", "--blank"], "blank.pdf"),
        (vec!["render", "samples/main-contractor.json"], "main.pdf"),
        (vec!["render", "samples/subcontractor.json"], "sub.pdf"),
    ] {
        let out = dir.path().join(name);
        secform()
            .current_dir(root())
            .args(&args)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let pages = pdf_pages(&std::fs::read(&out).unwrap());
        assert!(pages.len() >= 2, "{name}: {} pages", pages.len());
        assert_eq!(pages[0][0], "情報セキュリティ対策履行状況確認書");
    }
}

/// Runs `render` on a broken answer set over an existing output file and returns stderr; asserts
/// exit code 1, the file untouched, and no temporary file left beside it.
fn render_fails(value: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("確認書.pdf");
    std::fs::write(&out, b"previous contents").unwrap();
    let result = secform()
        .args(["render", "-", "-o"])
        .arg(&out)
        .write_stdin(value.to_string())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1), "{}", stderr_of(&result));
    assert_eq!(std::fs::read(&out).unwrap(), b"previous contents");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "a temporary file was left behind");
    stderr_of(&result)
}

fn with(change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v = sample("main-contractor.json");
    change(&mut v);
    v.to_string()
}

#[test]
fn malformed_json_names_line_and_column() {
    let err = render_fails("{\n  \"target\": {\n    \"company\": \"株式会社\",\n  }\n}");
    assert!(
        err.contains("JSON の書き方に誤りがあります（3 行目 22 文字目）: 最後の「,」は要りません"),
        "{err}"
    );
    // Columns count characters, not the three bytes of a kanji.
    let err = render_fails("{\"target\": {\"company\": \"株式会社あいう\" \"x\": 1}}");
    assert!(
        err.contains("（34 文字目）: 「,」か「}」が足りません"),
        "{err}"
    );
}

/// Files saved in another encoding, and an empty file, are named for what they are.
#[test]
fn encodings_and_empty_files_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("{\"target\": {\"company\": \"株式会社\"}}");
    for (name, bytes, needle) in [
        (
            "sjis.json",
            sjis.to_vec(),
            "Shift_JIS で保存されているようです",
        ),
        (
            "u16.json",
            vec![0xFF, 0xFE, b'{', 0, b'}', 0],
            "UTF-16 で保存されています",
        ),
        ("empty.json", Vec::new(), "ファイルが空です"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = secform().arg("check").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stderr).to_string()
            + &String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(needle), "{name}: {text}");
    }
}

#[test]
fn each_bad_field_is_reported_with_its_path_in_japanese() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            with(|v| v["target"]["company"] = json!(5)),
            "target.company",
            "文字列を指定してください（実際: 数値）",
        ),
        (
            with(|v| {
                let c = v["target"]
                    .as_object_mut()
                    .unwrap()
                    .remove("company")
                    .unwrap();
                v["target"]["compnay"] = c;
            }),
            "target.compnay",
            "\"company\" の誤りではありませんか",
        ),
        (
            with(|v| {
                v["checker"]
                    .as_object_mut()
                    .unwrap()
                    .remove("name")
                    .map(|_| ())
                    .unwrap()
            }),
            "checker.name",
            "必須の項目がありません",
        ),
        (
            with(|v| v["target"]["contract_start"] = json!("2025-02-30")),
            "target.contract_start",
            "暦にない日付です",
        ),
        (
            with(|v| v["items"]["2"]["status"] = json!("済")),
            "items.2.status",
            "「実施」または「未実施」を指定してください",
        ),
        (
            with(|v| v["items"]["27"] = json!({"status": "実施"})),
            "items.27",
            "行番号は \"1\" から \"26\" までです",
        ),
        (
            with(|v| v["items"]["0"] = json!({"status": "実施"})),
            "items.0",
            "行番号は",
        ),
        (
            with(|v| v["items"]["7"] = json!({"status": "未実施"})),
            "items.7.detail",
            "未実施の理由を記入してください",
        ),
        (
            with(|v| v["checker"]["name"] = json!("𠮷田 一郎")),
            "checker.name",
            "フォントにない文字「𠮷」（U+20BB7）",
        ),
    ];
    for (input, path, message) in cases {
        let err = render_fails(&input);
        let line = err
            .lines()
            .find(|l| l.contains(path))
            .unwrap_or_else(|| panic!("{path} not named in: {err}"));
        assert!(line.starts_with("エラー: "), "{line}");
        assert!(
            line.contains(message),
            "{path}: expected «{message}» in «{line}»"
        );
    }
}

#[test]
fn check_lists_every_problem_and_exits_1() {
    let input = with(|v| {
        v["target"]["contract_start"] = json!("2025-13-01");
        v["items"]["2"]["status"] = json!("done");
        v["items"]["7"] = json!({"status": "未実施"});
        v["checker"]["nmae"] = json!("x");
    });
    let out = secform()
        .args(["check", "-"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for path in ["target.contract_start", "items.2.status", "checker.nmae"] {
        assert!(text.contains(path), "{path} missing from:\n{text}");
    }
    let out = secform()
        .args(["check", "--format", "json", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let problems: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(problems.len() >= 3);
    assert!(problems
        .iter()
        .all(|p| p["severity"] == "error" && p["path"].is_string() && p["message"].is_string()));
}

/// A contractor checks all its subcontractors' files at once: every file is reported, each line
/// named by its file, one that cannot be read does not stop the rest, and the exit code is 1 when
/// any has an error. With one file the report is as it always was.
#[test]
fn check_takes_several_files() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        with(|v| v["target"]["contract_start"] = json!("2025-13-01")),
    )
    .unwrap();
    let good = "samples/main-contractor.json";
    let missing = dir.path().join("missing.json");
    let (bad_s, missing_s) = (bad.to_str().unwrap(), missing.to_str().unwrap());
    let out = secform()
        .args(["check", good, bad_s, missing_s])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("{good}: 問題はありません")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{bad_s}: エラー: (3) 契約開始年月日 [target.contract_start]"
        )),
        "{text}"
    );
    assert!(text.contains(&format!("{missing_s}: エラー: ")), "{text}");
    let out = secform()
        .args(["check", "--format", "json", good, bad_s])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let files: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], good);
    assert_eq!(files[0]["problems"], json!([]));
    assert_eq!(files[1]["problems"][0]["path"], "target.contract_start");
    let out = secform().args(["check", good, good]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let one = secform().args(["check", good]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&one.stdout), "問題はありません\n");
}

#[test]
fn fallback_font_option_supplies_missing_characters() {
    let input = with(|v| v["target"]["company"] = json!("株式会社𠮷野家"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pdf");
    secform()
        .args(["render", "-", "--fallback-font"])
        .arg(root().join("tests/fixtures/fallback-test.ttf"))
        .arg("-o")
        .arg(&out)
        .write_stdin(input)
        .assert()
        .success();
    let lines: Vec<String> = pdf_pages(&std::fs::read(&out).unwrap()).concat();
    assert!(printed(&lines, "(1) 事業者名：株式会社𠮷野家"));
    let missing = secform()
        .args([
            "render",
            "samples/main-contractor.json",
            "--fallback-font",
            "no-such-font.ttf",
            "-o",
        ])
        .arg(dir.path().join("x.pdf"))
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr_of(&missing).contains("no-such-font.ttf: 読み込めません"));
    assert!(!dir.path().join("x.pdf").exists());
}

#[test]
fn rendering_twice_gives_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
    for out in [&a, &b] {
        secform()
            .current_dir(root())
            .args(["render", "samples/main-contractor.json", "-o"])
            .arg(out)
            .assert()
            .success();
    }
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
}

#[test]
fn charset_and_fix_kana_flags_and_warnings_only_exit_0() {
    let input = with(|v| v["target"]["company"] = json!("株式会社ｻﾝﾌﾟﾙ"));
    let out = secform()
        .args(["check", "--charset", "jis0208", "-"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "(1) 事業者名 [target.company]: 5 文字目の「ｻ」（U+FF7B）は JIS X 0208 にない文字です"
    ));
    let out = secform()
        .args(["check", "--charset", "jis0208", "--fix-kana", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let future = with(|v| {
        v["checked_on"] = json!("2999-01-01");
        v["target"]["previous_check"] = json!("2998-06-01");
    });
    let out = secform()
        .args(["check", "--format", "json", "-"])
        .write_stdin(future.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "warnings alone exit 0");
    let problems: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(problems
        .iter()
        .any(|p| p["severity"] == "warning" && p["path"] == "checked_on"));
    // render prints the warning and still writes the PDF.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("out.pdf");
    let out = secform()
        .args(["render", "-", "-o"])
        .arg(&pdf)
        .write_stdin(future)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(stderr_of(&out).contains("警告: 確認年月日 [checked_on]:"));
    assert!(pdf.exists());
}

#[test]
fn the_incident_sample_reads_its_seal_next_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("incident.pdf");
    secform()
        .args(["render", "samples/incident.json", "-o"])
        .arg(&pdf)
        .current_dir(root())
        .assert()
        .success();
    let lines: Vec<String> = pdf_pages(&std::fs::read(&pdf).unwrap()).concat();
    assert!(
        printed(&lines, "前回確認（令和7年4月15日）から11か月"),
        "{lines:#?}"
    );
}

#[test]
fn windows_line_ends_in_an_answer_are_line_breaks() {
    let input = with(|v| v["items"]["3"]["detail"] = json!("一行目\r\n二行目"));
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("out.pdf");
    let out = secform()
        .args(["render", "-", "-o"])
        .arg(&pdf)
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let lines: Vec<String> = pdf_pages(&std::fs::read(&pdf).unwrap()).concat();
    assert!(lines.iter().any(|l| l == "一行目") && lines.iter().any(|l| l == "二行目"));
}

/// A key written twice (a row answered twice, say) is an error at its path, not a silent "last
/// one wins"; `render` refuses it like any other error.
#[test]
fn a_key_written_twice_is_an_error() {
    let text = with(|_| {}).replacen(
        "\"items\":{",
        "\"items\":{\"5\":{\"status\":\"実施\",\"detail\":\"first\"},",
        1,
    );
    assert!(text.contains("first"), "the sample's items were not found");
    let out = secform()
        .arg("check")
        .arg("-")
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("エラー: 2 確認事項 5 [items.5]: 項目 \"5\" が2回書かれています"),
        "{stdout}"
    );
    let err = render_fails(&text);
    assert!(
        err.contains("2 確認事項 5 [items.5]: 項目 \"5\" が2回書かれています"),
        "{err}"
    );
}

/// clap's own words are English; every command's help is Japanese instead, headings, values and
/// defaults included.
#[test]
fn help_is_in_japanese_for_every_command() {
    let commands: [&[&str]; 6] = [
        &["--help"],
        &["render", "--help"],
        &["check", "-h"],
        &["clauses", "--help"],
        &["init", "--help"],
        &["batch", "--help"],
    ];
    for args in commands {
        let out = secform().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("使い方: secform"), "{args:?}\n{text}");
        assert!(text.contains("この説明を表示する"), "{args:?}\n{text}");
        for english in [
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "Print",
            "[default",
            "[possible values",
            "[OPTIONS]",
        ] {
            assert!(!text.contains(english), "{args:?}: {english}\n{text}");
        }
    }
    for (args, usage) in [
        (&["help", "render"][..], "使い方: secform render"),
        (&["help", "render", "-o"], "使い方: secform render"),
        (&["help", "init", "extra"], "使い方: secform init"),
        (&["help", "help"], "使い方: secform <コマンド>"),
    ] {
        let asked = secform().args(args).output().unwrap();
        assert!(asked.status.success(), "{args:?}");
        let text = String::from_utf8(asked.stdout).unwrap();
        assert!(text.contains(usage), "{args:?}\n{text}");
    }
    let check = secform().args(["check", "--help"]).output().unwrap();
    let text = String::from_utf8(check.stdout).unwrap();
    assert!(text.contains("既定: text"), "{text}");
    assert!(text.contains("jis0208  JIS X 0208 の文字だけ"), "{text}");
}

/// A command line that cannot be used is explained in Japanese on standard error, with clap's
/// suggestion and the usage, and exits with 2.
#[test]
fn usage_errors_are_explained_in_japanese() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["render", "--outptu", "x.pdf", "a.json"],
            &[
                "エラー: 使えない引数です: --outptu",
                "--output のことですか",
            ],
        ),
        (
            &["rendr"],
            &["そのコマンドはありません: rendr", "render のことですか"],
        ),
        (
            &["check", "a.json", "--format", "xml"],
            &["--format <FORMAT> に 'xml' は使えません", "text、json"],
        ),
        (
            &["batch", "x", "--out-dir", "o", "--jobs", "0"],
            &["--jobs <JOBS> の値 '0'", "1 以上の整数"],
        ),
        (
            &["batch", "x", "--out-dir", "o", "--jobs", "-1"],
            &["--jobs <JOBS> の値 '-1'", "1 以上の整数"],
        ),
        (&["render"], &["必要な引数がありません: --output <FILE>"]),
        (
            &["render", "a.json", "--blank", "-o", "x.pdf"],
            &["一緒に使えません"],
        ),
        (
            &["render", "a.json", "-o", "a.pdf", "-o", "b.pdf"],
            &["エラー: --output は1回だけ指定してください"],
        ),
        (
            &["render", "--fix-kana=yes", "a.json", "-o", "x.pdf"],
            &["エラー: --fix-kana は値を取りません"],
        ),
        (
            &["render", "a.json", "-o", "x.pdf", "--layout", "npa-2022"],
            &["--layout は --blank と一緒に使います"],
        ),
        (
            &["--quiet", "batch", "b.json", "--out-dir", "o"],
            &["--quiet は summary、batch のオプションです", "secform batch --quiet"],
        ),
        (
            &["render", "--quiet", "a.json", "-o", "x.pdf"],
            &["--quiet は summary、batch のオプションで、render にはありません"],
        ),
        (
            &["render", "a.json", "-"],
            &["エラー: 使えない引数です: -\n"],
        ),
        (
            &["--fix-kana", "check", "a.json"],
            &[
                "--fix-kana は render、check、next、summary、batch のオプションです",
                "secform check --fix-kana",
            ],
        ),
        (
            &["--", "render"],
            &["コマンド名 render の前の -- を取ってください"],
        ),
        (
            &["check", "-a.json"],
            &["「-」で始まるファイル名なら、前に「-- 」を置くか ./ を付けてください"],
        ),
        (
            &["init", "--layout", "foo"],
            &["--layout <LAYOUT> に 'foo' は使えません（使える値: npa-2022）"],
        ),
        (
            &["clauses", "--variant", "npa2022", "-o", "c.pdf"],
            &["npa-2022 のことですか"],
        ),
        (&["clauses"], &["PDF の出力先を -o FILE で指定してください"]),
        (
            &["clauses", "--format", "txt", "--with-form"],
            &["--with-form は --format pdf のときだけ使えます"],
        ),
        (
            &[
                "clauses",
                "--with-form",
                "--parties",
                "委託者,受託者",
                "-o",
                "x.pdf",
            ],
            &["--with-form: 別記様式を付けられるのは当事者名が 甲・乙（様式の表記）のときだけです"],
        ),
    ];
    for (args, expected) in cases {
        let out = secform().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = stderr_of(&out);
        for e in *expected {
            assert!(err.contains(e), "{args:?}: {e}\n{err}");
        }
        assert!(err.contains("\n使い方: secform"), "{args:?}\n{err}");
        assert!(err.contains("詳しくは --help"), "{args:?}\n{err}");
        for english in ["error:", "Usage:", "tip:", "[OPTIONS]"] {
            assert!(!err.contains(english), "{args:?}: {english}\n{err}");
        }
    }
    let none = secform().output().unwrap();
    assert_eq!(none.status.code(), Some(2));
    let err = stderr_of(&none);
    assert!(
        err.contains("コマンドを指定してください") && err.contains("コマンド:"),
        "{err}"
    );
    let version = secform().arg("--version").output().unwrap();
    assert!(version.status.success());
    assert!(String::from_utf8(version.stdout)
        .unwrap()
        .starts_with("secform "));
}

/// Output that cannot be written (a full disk behind standard output) is an error in Japanese with
/// exit 1, never a panic.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_reported_not_a_panic() {
    for args in [
        &["init"][..],
        &["check", "samples/main-contractor.json"],
        &["--help"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_secform"))
            .current_dir(root())
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr_of(&out);
        assert!(
            err.contains("-: 書き込めません: ディスクの空きがありません"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // Nor is a standard error that cannot be written: the exit code still tells what happened.
    for (args, code) in [
        (&["rendr"][..], 2),
        (&["render", "missing.json", "-o", "x.pdf"], 1),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_secform"))
            .current_dir(root())
            .args(args)
            .stderr(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

/// The fallback font named once (issue 24): in `SECFORM_FALLBACK_FONT` or in the configuration file
/// of the user's configuration folder, honoured by every command; `--fallback-font` still wins. A
/// broken configuration file is refused in Japanese, naming it.
#[test]
fn the_fallback_font_is_set_once_in_the_environment_or_the_configuration() {
    let input = with(|v| v["target"]["company"] = json!("株式会社𠮷野家"));
    let font = root().join("tests/fixtures/fallback-test.ttf");
    let home = tempfile::tempdir().unwrap();
    // A configuration folder of the test's own, and no setting from the environment running it.
    let run = |args: &[&str], env: Option<&std::path::Path>| {
        let mut c = secform();
        c.env("XDG_CONFIG_HOME", home.path())
            .env_remove("SECFORM_FALLBACK_FONT");
        if let Some(path) = env {
            c.env("SECFORM_FALLBACK_FONT", path);
        }
        c.args(args).write_stdin(input.clone()).output().unwrap()
    };
    // Nothing set: 𠮷 is an error, and the hint says how to set a font once.
    let out = run(&["check", "-"], None);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("フォントにない文字「𠮷」"), "{said}");
    assert!(said.contains("SECFORM_FALLBACK_FONT"), "{said}");
    assert!(
        said.contains(&format!(
            "{}",
            home.path().join("secform/config.json").display()
        )),
        "{said}"
    );

    // The environment: check passes and render prints the character.
    let out = run(&["check", "-"], Some(&font));
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let pdf = home.path().join("a.pdf");
    let out = run(&["render", "-", "-o", pdf.to_str().unwrap()], Some(&font));
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let lines: Vec<String> = pdf_pages(&std::fs::read(&pdf).unwrap()).concat();
    assert!(printed(&lines, "(1) 事業者名：株式会社𠮷野家"));
    // A font the environment names that is not there: said where it was named.
    let out = run(&["check", "-"], Some(std::path::Path::new("/no/such.ttf")));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains(
            "環境変数 SECFORM_FALLBACK_FONT のフォント: /no/such.ttf: 読み込めません: ファイルがありません"
        ),
        "{}",
        stderr_of(&out)
    );
    // --fallback-font wins over it.
    let flag = font.to_str().unwrap();
    let out = run(
        &["check", "-", "--fallback-font", flag],
        Some(std::path::Path::new("/no/such.ttf")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));

    // The configuration file, the font relative to it.
    let folder = home.path().join("secform");
    std::fs::create_dir_all(folder.join("fonts")).unwrap();
    std::fs::copy(&font, folder.join("fonts/extra.ttf")).unwrap();
    let config = folder.join("config.json");
    std::fs::write(&config, r#"{"fallback_font": "fonts/extra.ttf"}"#).unwrap();
    let out = run(&["check", "-"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));

    // A broken one stops every command, naming the file.
    std::fs::write(&config, r#"{"fallback_font": "fonts/extra.ttf","#).unwrap();
    for args in [
        &["check", "-"][..],
        &["render", "-", "-o", pdf.to_str().unwrap()],
    ] {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(1));
        let said = stderr_of(&out);
        assert!(
            said.contains(&format!(
                "設定ファイル {}: JSON として読めません",
                config.display()
            )),
            "{said}"
        );
        assert!(!said.contains("EOF") && !said.contains("line"), "{said}");
    }
}
