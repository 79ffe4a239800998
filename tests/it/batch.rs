//! `secform batch` end to end: the binary on batch files, folders and JSON Lines, in temporary
//! folders, with the PDFs read back by lopdf.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::{cargo_bin, cargo_bin_cmd};
use serde_json::{json, Value};
use tempfile::TempDir;

fn sample() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/batch.json");
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The sample's first entry (a complete answer set once merged), under another company name.
fn entry(company: &str) -> Value {
    let mut e = sample()["forms"][1].clone();
    e["target"]["company"] = company.into();
    e
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

/// A batch of `forms` over the sample's defaults.
fn batch_file(dir: &Path, forms: Vec<Value>) -> PathBuf {
    let batch = json!({"defaults": sample()["defaults"].clone(), "forms": forms});
    write_json(dir, "batch.json", &batch)
}

/// Every file in `dir`, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn pages(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
}

struct Run {
    code: i32,
    stderr: String,
}

fn batch(args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("secform")
        .arg("batch")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The sample renders: one PDF per entry named by position and company, and a merged PDF with every
/// page in order and one outline entry per company, titled as (1) prints it.
#[test]
fn sample_batch_writes_each_form_and_the_merged_one() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let merged = tmp.path().join("確認書一式.pdf");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/batch.json");
    let run = batch(&[s(&sample), "--out-dir", s(&out), "--merge", s(&merged)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = files(&out);
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        [
            "01_株式会社サンプル情報システム.pdf",
            "02_株式会社テスト技研(下請負者等).pdf",
            "03_有限会社データ保守サービス(下請負者等).pdf",
            "04_合同会社クラウド運用研究所(下請負者等).pdf",
        ]
    );
    let each: Vec<usize> = written.values().map(|pdf| pages(pdf)).collect();
    let doc = lopdf::Document::load(&merged).unwrap();
    assert_eq!(doc.get_pages().len(), each.iter().sum::<usize>());
    let toc = doc.get_toc().unwrap();
    let titles: Vec<(&str, usize)> = toc.toc.iter().map(|t| (t.title.as_str(), t.page)).collect();
    let first = |i: usize| 1 + each[..i].iter().sum::<usize>();
    assert_eq!(
        titles,
        [
            ("株式会社サンプル情報システム", first(0)),
            ("株式会社テスト技研(下請負者等)", first(1)),
            ("有限会社データ保守サービス(下請負者等)", first(2)),
            ("合同会社クラウド運用研究所(下請負者等)", first(3)),
        ]
    );
    // Not a terminal: a plain line per entry, then the summary.
    assert!(run.stderr.contains("1/4 "), "{}", run.stderr);
    assert!(
        run.stderr.contains("作成 4 件、失敗 0 件、"),
        "{}",
        run.stderr
    );
}

/// The same batch with one and with two threads gives the same files, byte for byte. (The merged
/// PDF across chunk boundaries: tests/it/merge.rs, with chunks of two forms.)
#[test]
fn jobs_do_not_change_the_output() {
    let tmp = TempDir::new().unwrap();
    let mut forms: Vec<Value> = sample()["forms"].as_array().unwrap().clone();
    for (i, company) in ["北斗電子株式会社", "青葉通信合同会社", "株式会社未来技研"]
        .iter()
        .enumerate()
    {
        let mut e = entry(company);
        e["items"]["9"] = json!({"status": "実施", "detail": format!("第{i}四半期に点検した。")});
        forms.push(e);
    }
    let input = batch_file(tmp.path(), forms);
    let mut results = Vec::new();
    for jobs in ["1", "2"] {
        let out = tmp.path().join(format!("out{jobs}"));
        let merged = out.join("一式.pdf");
        let run = batch(&[
            s(&input),
            "--out-dir",
            s(&out),
            "--merge",
            s(&merged),
            "--jobs",
            jobs,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        results.push(files(&out));
    }
    assert_eq!(results[0].len(), 8);
    assert!(results[0] == results[1], "--jobs 1 and --jobs 2 differ");
}

/// A bad entry among good ones: reported with its position, JSON path and problem, skipped; every
/// good entry written; exit code 1; nothing partial or temporary left behind.
#[test]
fn a_bad_entry_is_reported_and_skipped() {
    let tmp = TempDir::new().unwrap();
    let mut forms: Vec<Value> = sample()["forms"].as_array().unwrap().clone();
    forms[2]["items"]["2"] = json!({"status": "済"});
    let input = batch_file(tmp.path(), forms);
    let out = tmp.path().join("out");
    let merged = out.join("一式.pdf");
    // With a gap, the merged PDF only when asked (see
    // a_set_with_a_gap_is_merged_only_when_asked_and_its_merged_pdf_is_passed_over_later).
    let run = batch(&[
        s(&input),
        "--out-dir",
        s(&out),
        "--merge",
        s(&merged),
        "--allow-incomplete",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "3 件目（有限会社データ保守サービス）: 2 確認事項 2 実施/未実施 [items.2.status]: 「実施」または「未実施」を指定してください（実際: \"済\"）"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("作成 3 件、失敗 1 件、"),
        "{}",
        run.stderr
    );
    let written = names(&out);
    assert_eq!(
        written,
        [
            "01_株式会社サンプル情報システム.pdf",
            "02_株式会社テスト技研(下請負者等).pdf",
            "04_合同会社クラウド運用研究所(下請負者等).pdf",
            "一式.pdf",
        ]
    );
    let toc = lopdf::Document::load(&merged).unwrap().get_toc().unwrap();
    assert_eq!(toc.toc.len(), 4);
    assert_eq!(
        toc.toc[3].title,
        "欠落: 3 件目（有限会社データ保守サービス）"
    );
}

/// A folder of answer sets: the `*.json` files by name, nothing else; a bad file is named.
#[test]
fn a_folder_of_answer_sets() {
    let tmp = TempDir::new().unwrap();
    let forms = tmp.path().join("forms");
    fs::create_dir(&forms).unwrap();
    // A whole answer set: the sample's defaults under the entry, merged as a batch merges them.
    let whole =
        |company: &str| secform::batch::over_defaults(&sample()["defaults"], entry(company));
    write_json(&forms, "b.json", &whole("株式会社ビー"));
    write_json(&forms, "a.json", &whole("株式会社エー"));
    fs::write(forms.join("c.json"), "{\"target\": ").unwrap();
    fs::write(forms.join("notes.txt"), "not an answer set").unwrap();
    let out = tmp.path().join("out");
    let run = batch(&[s(&forms), "--out-dir", s(&out)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        names(&out),
        [
            "01_株式会社エー(下請負者等).pdf",
            "02_株式会社ビー(下請負者等).pdf"
        ]
    );
    assert!(
        run.stderr
            .contains("3 件目（c.json）: JSON が途中で終わっています"),
        "{}",
        run.stderr
    );
}

/// Hidden files, macOS's `._*` and Office's `~$*` are not answer sets a user made: left out before
/// numbering (so `01_` stays the first real file), and counted in a note.
#[test]
fn a_folder_ignores_hidden_and_lock_files() {
    let tmp = TempDir::new().unwrap();
    let forms = tmp.path().join("forms");
    fs::create_dir(&forms).unwrap();
    let whole =
        |company: &str| secform::batch::over_defaults(&sample()["defaults"], entry(company));
    write_json(&forms, "a.json", &whole("株式会社エー"));
    write_json(&forms, "b.json", &whole("株式会社ビー"));
    fs::write(forms.join("._a.json"), b"\0\x05\x16\x07junk").unwrap();
    fs::write(forms.join("~$b.json"), b"lock").unwrap();
    fs::write(forms.join(".draft.json"), b"{").unwrap();
    let out = tmp.path().join("out");
    let run = batch(&[s(&forms), "--out-dir", s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        names(&out),
        [
            "01_株式会社エー(下請負者等).pdf",
            "02_株式会社ビー(下請負者等).pdf"
        ]
    );
    assert!(
        run.stderr
            .contains("3 件は回答ファイルではないため読みませんでした"),
        "{}",
        run.stderr
    );
}

/// JSON Lines: an answer set a line, blank lines ignored, a bad line named by its line number.
#[test]
fn json_lines() {
    let tmp = TempDir::new().unwrap();
    let mut whole = sample()["defaults"].clone();
    whole["target"] = entry("株式会社ライン").get("target").unwrap().clone();
    let line = serde_json::to_string(&whole).unwrap();
    let mut second = whole.clone();
    second["target"]["company"] = "株式会社セカンド".into();
    let text = format!(
        "{line}\n\n{}\n{{oops\n",
        serde_json::to_string(&second).unwrap()
    );
    let input = tmp.path().join("forms.jsonl");
    fs::write(&input, text).unwrap();
    let out = tmp.path().join("out");
    let run = batch(&[s(&input), "--out-dir", s(&out)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        names(&out),
        [
            "01_株式会社ライン(下請負者等).pdf",
            "02_株式会社セカンド(下請負者等).pdf"
        ]
    );
    assert!(
        run.stderr
            .contains("3 件目（4 行目）: JSON の書き方に誤りがあります（2 文字目）"),
        "{}",
        run.stderr
    );
}

/// Hostile company names write files inside the output folder only, each its own, none reserved
/// by Windows, none too long; the same company twice gives two files.
#[test]
fn hostile_names_stay_in_the_output_folder() {
    let tmp = TempDir::new().unwrap();
    let long = "長".repeat(300);
    let mut device = entry("CON");
    device["target"]["subcontractor"] = false.into();
    let forms = vec![
        entry("../../etc/passwd"),
        device,
        entry(&long),
        entry("株式会社同名"),
        entry("株式会社同名"),
        entry("..\\..\\x"),
    ];
    let input = batch_file(tmp.path(), forms);
    let out = tmp.path().join("a").join("out");
    let run = batch(&[s(&input), "--out-dir", s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = names(&out);
    assert_eq!(written.len(), 6, "{written:?}");
    assert_eq!(written[0], "01_etc_passwd(下請負者等).pdf");
    assert_eq!(written[1], "02__CON.pdf");
    assert!(written[2].starts_with("03_長長"), "{}", written[2]);
    assert!(written[2].len() < 255);
    assert_eq!(written[3], "04_株式会社同名(下請負者等).pdf");
    assert_eq!(written[4], "05_株式会社同名(下請負者等).pdf");
    assert_eq!(written[5], "06_x(下請負者等).pdf");
    // Nothing was written next to the output folder or above it.
    assert_eq!(names(&tmp.path().join("a")), ["out"]);
    assert_eq!(names(tmp.path()), ["a", "batch.json"]);
}

/// `--names egov`: no spaces, machine-dependent characters or half-width katakana in the names.
#[test]
fn egov_names() {
    let tmp = TempDir::new().unwrap();
    let mut main = entry("㈱ｻﾝﾌﾟﾙ　情報①");
    main["target"]["subcontractor"] = false.into();
    let input = batch_file(tmp.path(), vec![main, entry("髙橋－工業")]);
    let out = tmp.path().join("out");
    let run = batch(&[
        s(&input),
        "--out-dir",
        s(&out),
        "--names",
        "egov",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        names(&out),
        ["01_(株)サンプル_情報1.pdf", "02_高橋-工業(下請負者等).pdf"]
    );
    assert_eq!(run.stderr, "", "--quiet prints nothing on success");
}

/// Problems of the batch file itself stop the run before anything is written.
#[test]
fn a_malformed_batch_file_is_refused() {
    let tmp = TempDir::new().unwrap();
    let input = write_json(tmp.path(), "b.json", &json!({"forms": {}, "default": {}}));
    let out = tmp.path().join("out");
    let run = batch(&[s(&input), "--out-dir", s(&out)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("default: 不明な項目です"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("forms: 配列"), "{}", run.stderr);
    assert!(!out.exists());
}

/// Ctrl-C: the run stops taking entries, exits 130, writes no merged PDF, and leaves only whole
/// PDFs (no temporary files).
#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    stops_cleanly_on("-INT");
}

/// `kill` (SIGTERM, as a service manager or a closed session sends) stops a run the same way.
#[cfg(unix)]
#[test]
fn sigterm_stops_cleanly() {
    stops_cleanly_on("-TERM");
}

#[cfg(unix)]
fn stops_cleanly_on(signal: &str) {
    use std::time::{Duration, Instant};

    let tmp = TempDir::new().unwrap();
    let forms = (0..400).map(|i| entry(&format!("株式会社{i}"))).collect();
    let input = batch_file(tmp.path(), forms);
    let out = tmp.path().join("out");
    let merged = out.join("一式.pdf");
    let child = std::process::Command::new(cargo_bin!("secform"))
        .args([
            "batch",
            s(&input),
            "--out-dir",
            s(&out),
            "--merge",
            s(&merged),
        ])
        .args(["--jobs", "2", "--quiet"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !out.exists() || names(&out).iter().all(|n| !n.ends_with(".pdf")) {
        assert!(Instant::now() < deadline, "no PDF written");
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("中断しました"), "{stderr}");
    let written = files(&out);
    assert!(written.len() < 400, "the run was not stopped");
    for (name, bytes) in &written {
        assert!(
            name.ends_with(".pdf") && !name.starts_with('.'),
            "{name} left behind"
        );
        assert_ne!(name, "一式.pdf");
        assert!(pages(bytes) > 0, "{name} is not a whole PDF");
    }
}

/// A bad entry is reported with the rule errors of what could be read beside its structural
/// problem, as `check` reports them.
#[test]
fn a_bad_entry_lists_its_rule_errors_too() {
    let tmp = TempDir::new().unwrap();
    let mut forms: Vec<Value> = sample()["forms"].as_array().unwrap().clone();
    forms[2]["target"]["compnay"] = json!("x");
    forms[2]["items"]["7"] = json!({"status": "未実施"});
    let input = batch_file(tmp.path(), forms);
    let out = tmp.path().join("out");
    let run = batch(&[s(&input), "--out-dir", s(&out), "--quiet"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "3 件目（有限会社データ保守サービス）: target.compnay: 不明な項目です（\"company\" の誤りではありませんか）",
            "3 件目（有限会社データ保守サービス）: 2 確認事項 7 実施状況(詳細)又は未実施の理由 [items.7.detail]: 「未実施」の行には未実施の理由を記入してください",
        ],
        "{}",
        run.stderr
    );
}

/// An entry's problems quote its input; a terminal escape in that input is shown, not obeyed.
#[test]
fn control_characters_in_an_entry_never_reach_the_terminal() {
    let tmp = TempDir::new().unwrap();
    let mut forms: Vec<Value> = sample()["forms"].as_array().unwrap().clone();
    forms[1]["items"]["7"] = json!({"status": "\u{1b}]0;x\u{7}", "detail": "…"});
    let input = batch_file(tmp.path(), forms);
    let out = tmp.path().join("out");
    let run = batch(&[s(&input), "--out-dir", s(&out), "--quiet"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'));
    assert!(
        run.stderr.contains("<U+001B>]0;x<U+0007>"),
        "{}",
        run.stderr
    );
}

/// A batch file can come on standard input, as an answer set can for `render -`.
#[test]
fn a_batch_file_on_standard_input() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let text = serde_json::to_string(&sample()).unwrap();
    let output = cargo_bin_cmd!("secform")
        .args(["batch", "-", "--out-dir", s(&out), "--quiet"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", output);
    assert_eq!(
        names(&out).len(),
        sample()["forms"].as_array().unwrap().len()
    );

    // Standard input is decoded as a file is: a UTF-16 batch file is named as such.
    let utf16: Vec<u8> = std::iter::once(0xfeff_u16)
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let output = cargo_bin_cmd!("secform")
        .args(["batch", "-", "--out-dir", s(&out), "--quiet"])
        .write_stdin(utf16)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("-: 読み込めません: UTF-16 で保存されています"),
        "{err}"
    );
}

/// A batch with nothing in it is a mistake to name, not a run that "succeeds" with 0 files.
#[test]
fn an_empty_batch_is_refused() {
    let tmp = TempDir::new().unwrap();
    let input = batch_file(tmp.path(), Vec::new());
    let out = tmp.path().join("out");
    let run = batch(&[s(&input), "--out-dir", s(&out)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("forms: 空です"), "{}", run.stderr);

    let empty = tmp.path().join("forms");
    fs::create_dir(&empty).unwrap();
    let run = batch(&[s(&empty), "--out-dir", s(&out)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("回答ファイル（*.json、*.xlsx）が 1 件もありません"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

/// Every way an entry arrives is read alike: a key written twice in a JSON Lines line or in a
/// folder's answer set refuses that entry, as it refuses a batch file or `render`'s input.
#[test]
fn a_key_written_twice_refuses_the_entry_however_it_arrives() {
    let tmp = TempDir::new().unwrap();
    let line = serde_json::to_string(&sample()["forms"][0]).unwrap();
    let twice = line.replacen(
        '{',
        "{\"checked_on\":\"2026-04-10\",\"checked_on\":\"2026-04-11\",",
        1,
    );
    let jsonl = tmp.path().join("f.jsonl");
    fs::write(&jsonl, format!("{twice}\n")).unwrap();
    let run = batch(&[s(&jsonl), "--out-dir", s(&tmp.path().join("o1"))]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("checked_on: 項目 \"checked_on\" が2回書かれています"),
        "{}",
        run.stderr
    );

    let folder = tmp.path().join("forms");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.json"), &twice).unwrap();
    let run = batch(&[s(&folder), "--out-dir", s(&tmp.path().join("o2"))]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("が2回書かれています"), "{}", run.stderr);
}

/// Where the merged PDF cannot go is found out before any form is rendered, in words that fit
/// the cause, naming the path as written: `-` (standard output is the report's), a folder that
/// does not exist, a folder's name, a folder that cannot be written to. Run as a user whom the
/// read-only folder binds (as root, as `nobody`: [`crate::common::secform_as_user`]).
#[test]
fn a_merge_destination_that_cannot_be_written_is_refused_before_rendering() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = tmp.path().join("batch.json");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/batch.json"),
        &sample,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let locked = tmp.path().join("locked");
    fs::create_dir(&locked).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    }
    let batch = |args: &[&str]| {
        #[cfg(unix)]
        let mut cmd = crate::common::secform_as_user(tmp.path());
        #[cfg(not(unix))]
        let mut cmd = std::process::Command::new(cargo_bin!("secform"));
        let output = cmd.arg("batch").args(args).output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    };
    let missing = tmp.path().join("nodir/x/m.pdf");
    let folder = format!("{}/", tmp.path().join("o6").display());
    let in_locked = locked.join("m.pdf");
    let mut cases = vec![
        ("-".to_string(), 2, "標準出力には書き出せません".to_string()),
        (s(&missing).to_string(), 1, "がありません".to_string()),
        (folder.clone(), 1, "フォルダの名前です".to_string()),
    ];
    // A folder's mode means nothing on Windows.
    if cfg!(unix) {
        cases.push((
            s(&in_locked).to_string(),
            1,
            format!("{}: 書き込めません: 権限がありません", in_locked.display()),
        ));
    }
    for (merge, code, needle) in cases {
        let run = batch(&[
            s(&sample),
            "--out-dir",
            s(&out),
            "--merge",
            &merge,
            "--quiet",
        ]);
        assert_eq!(run.code, code, "{merge}: {}", run.stderr);
        assert!(run.stderr.contains(&needle), "{merge}: {}", run.stderr);
        assert!(!run.stderr.contains("-o -"), "{merge}: {}", run.stderr);
        assert!(
            !out.exists() || fs::read_dir(&out).unwrap().next().is_none(),
            "{merge}: nothing rendered"
        );
        assert!(!Path::new("-").exists());
    }
    assert!(fs::read_dir(&locked).unwrap().next().is_none());
    // The folder that is missing is the one named, not the file.
    let run = batch(&[s(&sample), "--out-dir", s(&out), "--merge", s(&missing)]);
    assert!(
        run.stderr.contains(&format!(
            "フォルダ {} がありません",
            missing.parent().unwrap().display()
        )),
        "{}",
        run.stderr
    );
}

/// The same entity twice in a batch (a file copied, an entry pasted twice) is a warning naming the
/// first one; both forms are still written, under names of their own. Different entities are not.
#[test]
fn the_same_entity_twice_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let input = batch_file(
        tmp.path(),
        vec![entry("株式会社A"), entry("株式会社B"), entry("株式会社A")],
    );
    let out = tmp.path().join("out");
    let run = batch(&[s(&input), "--out-dir", s(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let twice: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("と同じ事業者"))
        .collect();
    assert_eq!(twice.len(), 1, "{}", run.stderr);
    assert!(
        twice[0].contains("3 件目") && twice[0].contains("1 件目と同じ事業者"),
        "{}",
        twice[0]
    );
    assert_eq!(names(&out).len(), 3, "{:?}", names(&out));
}

/// `--duplex`: each form in the merged PDF padded with a blank page to an even page count, so that
/// a double-sided print starts every form on a front page: every outline entry lands on an odd
/// page, the added pages are empty, and the forms' own PDFs are the same as without it.
#[test]
fn duplex_starts_every_form_on_a_front_page() {
    let tmp = TempDir::new().unwrap();
    let mut forms: Vec<Value> = sample()["forms"].as_array().unwrap().clone();
    // A form of three pages, and one of two, beside the sample's.
    let mut long = entry("株式会社三頁");
    long["items"]["9"] = json!({"status": "実施", "detail": "定期的に点検した。".repeat(400)});
    forms.insert(1, long);
    let mut two = entry("株式会社二頁");
    two["items"]["9"] = json!({"status": "実施", "detail": "定期的に点検した。".repeat(60)});
    forms.push(two);
    let input = batch_file(tmp.path(), forms);
    let run_with = |dir: &str, extra: &[&str]| {
        let out = tmp.path().join(dir);
        let merged = tmp.path().join(format!("{dir}.pdf"));
        let mut args = vec![s(&input), "--out-dir", s(&out), "--merge", s(&merged)];
        args.extend_from_slice(extra);
        let run = batch(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        (files(&out), fs::read(&merged).unwrap())
    };
    let (plain_forms, plain) = run_with("plain", &[]);
    let (duplex_forms, duplex) = run_with("duplex", &["--duplex"]);
    assert_eq!(
        plain_forms, duplex_forms,
        "the forms' own PDFs do not change"
    );
    let each: Vec<usize> = duplex_forms.values().map(|pdf| pages(pdf)).collect();
    assert!(
        each.iter().any(|n| n % 2 == 1) && each.iter().any(|n| n % 2 == 0),
        "odd and even forms: {each:?}"
    );
    assert!(each.contains(&3), "{each:?}");
    assert_eq!(pages(&plain), each.iter().sum::<usize>());
    let padded: Vec<usize> = each.iter().map(|n| n + n % 2).collect();
    let doc = lopdf::Document::load_mem(&duplex).unwrap();
    let page_ids: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    assert_eq!(page_ids.len(), padded.iter().sum::<usize>());
    let toc = doc.get_toc().unwrap();
    let starts: Vec<usize> = toc.toc.iter().map(|t| t.page).collect();
    let expected: Vec<usize> = (0..each.len())
        .map(|i| 1 + padded[..i].iter().sum::<usize>())
        .collect();
    assert_eq!(starts, expected);
    assert!(starts.iter().all(|p| p % 2 == 1), "{starts:?}");
    // The pages added are the ones after each odd form, and they are empty; the others are not.
    let mut blank = Vec::new();
    for (&n, &start) in each.iter().zip(&starts) {
        if n % 2 == 1 {
            blank.push(start + n);
        }
    }
    for (k, &id) in page_ids.iter().enumerate() {
        let content = doc.get_page_content(id);
        let ops = lopdf::content::Content::decode(&content)
            .map(|c| c.operations.len())
            .unwrap_or(0);
        if blank.contains(&(k + 1)) {
            assert_eq!(ops, 0, "page {} is blank", k + 1);
        } else {
            assert!(ops > 0, "page {} has the form", k + 1);
        }
    }
}

/// `--duplex` only means something for the merged PDF: without `--merge` it is a usage error, in
/// Japanese, and nothing is rendered.
#[test]
fn duplex_without_merge_is_a_usage_error() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/batch.json");
    let run = batch(&[s(&sample), "--out-dir", s(&out), "--duplex"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--duplex"), "{}", run.stderr);
    assert!(run.stderr.contains("--merge"), "{}", run.stderr);
    assert!(!out.exists(), "nothing rendered");
}

/// A folder with a reply that cannot be read: `--merge` writes no set with a gap unless asked with
/// `--allow-incomplete`, and then says who is missing; the merged PDF found in the folder by a
/// later run is passed over with a note, not reported as a failed company.
#[test]
fn a_set_with_a_gap_is_merged_only_when_asked_and_its_merged_pdf_is_passed_over_later() {
    let tmp = TempDir::new().unwrap();
    let forms = tmp.path().join("forms");
    fs::create_dir(&forms).unwrap();
    let whole =
        |company: &str| secform::batch::over_defaults(&sample()["defaults"], entry(company));
    write_json(&forms, "A.json", &whole("株式会社エー"));
    fs::write(forms.join("F_エフ.ods"), b"PK\x03\x04").unwrap();
    let out = tmp.path().join("out");
    let merged = tmp.path().join("一式.pdf");
    let run = batch(&[s(&forms), "--out-dir", s(&out), "--merge", s(&merged)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!merged.exists(), "a set with a gap was merged");
    assert!(
        run.stderr.contains("まとめた PDF は作成しませんでした。次の 1 件が欠けていて、一式がそろいません: F_エフ.ods"),
        "{}",
        run.stderr
    );
    let run = batch(&[
        s(&forms),
        "--out-dir",
        s(&out),
        "--merge",
        s(&merged),
        "--allow-incomplete",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(pages(&fs::read(&merged).unwrap()), 2);
    // Its outline says what it lacks, after the forms it has.
    let toc = lopdf::Document::load(&merged).unwrap().get_toc().unwrap();
    let titles: Vec<&str> = toc.toc.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["株式会社エー(下請負者等)", "欠落: F_エフ.ods"]);
    assert!(
        run.stderr
            .contains("まとめた PDF には次の 1 件が欠けています: F_エフ.ods"),
        "{}",
        run.stderr
    );
    // The merged PDF saved beside the answers, then the folder read again.
    fs::remove_file(forms.join("F_エフ.ods")).unwrap();
    fs::rename(&merged, forms.join("一式.pdf")).unwrap();
    let again = tmp.path().join("again");
    let run = batch(&[s(&forms), "--out-dir", s(&again)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("一式.pdf: secform で作った PDF（まとめた PDF・一覧など）で、回答セットではないため読みませんでした"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("作成 1 件、失敗 0 件"),
        "{}",
        run.stderr
    );
    let csv = tmp.path().join("一覧.csv");
    let summary = cargo_bin_cmd!("secform")
        .args(["summary", s(&forms), "-o", s(&csv)])
        .output()
        .unwrap();
    assert_eq!(summary.status.code(), Some(0));
    let text = fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines().nth(1).unwrap().contains("株式会社エー"),
        "{text}"
    );
    assert!(!text.lines().nth(1).unwrap().contains("要確認"), "{text}");
}

/// `--out-dir` in the folder read (or the folder itself) is refused for every batch: the next run
/// would read the batch's own PDFs back as answers.
#[test]
fn an_output_folder_inside_the_folder_read_is_refused() {
    let tmp = TempDir::new().unwrap();
    let forms = tmp.path().join("forms");
    fs::create_dir(&forms).unwrap();
    let whole =
        |company: &str| secform::batch::over_defaults(&sample()["defaults"], entry(company));
    write_json(&forms, "A.json", &whole("株式会社エー"));
    for (out, want) in [
        (
            forms.clone(),
            "読み込むフォルダと同じフォルダには書き出せません",
        ),
        (forms.join("out"), "出力先が読み込むフォルダ"),
        (forms.join("a/b"), "出力先が読み込むフォルダ"),
    ] {
        let run = batch(&[s(&forms), "--out-dir", s(&out)]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains(want), "{}", run.stderr);
        assert_eq!(names(&forms), ["A.json"]);
    }
}
