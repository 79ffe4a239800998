//! The command on input and output the review found mishandled: control characters in answers,
//! the mode of the files written, rule problems reported beside structural ones.

use crate::common;

use common::*;

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Runs `secform args…` under `sh -c 'umask UMASK; …'` in `dir`.
#[cfg(unix)]
fn under_umask(umask: &str, dir: &std::path::Path, args: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("secform");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" {args}"))
        .arg(bin)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// A new PDF gets the mode `File::create` would give it (0666 less the umask), whichever path
/// writes it: `render`, `render --blank`, `clauses`, and `batch` with `--merge`.
#[cfg(unix)]
#[test]
fn new_files_follow_the_umask() {
    let sample = root().join("samples/main-contractor.json");
    let batch = root().join("samples/batch.json");
    for umask in ["027", "002", "077"] {
        let dir = tempfile::tempdir().unwrap();
        let expected = 0o666 & !u32::from_str_radix(umask, 8).unwrap();
        for args in [
            format!("render '{}' -o form.pdf", sample.display()),
            "render --blank -o blank.pdf".to_string(),
            "clauses -o clauses.pdf".to_string(),
            format!(
                "batch '{}' --out-dir out --merge merged.pdf --quiet",
                batch.display()
            ),
        ] {
            let out = under_umask(umask, dir.path(), &args);
            assert!(out.status.success(), "{args}: {}", stderr_of(&out));
        }
        let mut files = vec![
            dir.path().join("form.pdf"),
            dir.path().join("blank.pdf"),
            dir.path().join("clauses.pdf"),
            dir.path().join("merged.pdf"),
        ];
        for entry in std::fs::read_dir(dir.path().join("out")).unwrap() {
            files.push(entry.unwrap().path());
        }
        for file in files {
            assert_eq!(
                mode(&file),
                expected,
                "umask {umask}: {} is {:o}",
                file.display(),
                mode(&file)
            );
        }
    }
}

/// A PDF written over an existing file keeps that file's mode, whatever the umask.
#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let sample = root().join("samples/main-contractor.json");
    for (existing, umask) in [(0o664, "077"), (0o600, "000"), (0o640, "022")] {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("form.pdf");
        std::fs::write(&pdf, b"old").unwrap();
        std::fs::set_permissions(&pdf, std::fs::Permissions::from_mode(existing)).unwrap();
        let out = under_umask(
            umask,
            dir.path(),
            &format!("render '{}' -o form.pdf", sample.display()),
        );
        assert!(out.status.success(), "{}", stderr_of(&out));
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
        assert_eq!(mode(&pdf), existing, "umask {umask}");
    }
}

fn secform() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("secform").unwrap()
}

/// `check` and `render` report a control character with its path, position and code point;
/// `render` exits 1 and writes nothing.
#[test]
fn control_characters_are_refused_by_check_and_render() {
    let mut v = sample("main-contractor.json");
    v["items"]["3"]["detail"] = serde_json::json!("代表\u{1}取締役");
    v["checker"]["name"] = serde_json::json!("山田\u{7f}太郎\u{9f}");
    let expected = [
        "エラー: 2 確認事項 3 実施状況(詳細)又は未実施の理由 [items.3.detail]: 制御文字 U+0001 は使えません（3文字目）",
        "エラー: 確認者（氏名） [checker.name]: 制御文字 U+007F は使えません（3文字目）",
        "エラー: 確認者（氏名） [checker.name]: 制御文字 U+009F は使えません（6文字目）",
    ];
    refused_by_check_and_render(&v, &expected);
}

/// `secform render` is the library's render path, not a copy of it: the same bytes, the same
/// warnings (which the library returns for the caller to print) and the same page count.
#[test]
fn render_is_the_library_render_path() {
    let mut v = sample("main-contractor.json");
    v["checked_on"] = serde_json::json!("2999-01-01");
    v["target"]["previous_check"] = serde_json::json!("2998-06-01");
    let json = v.to_string();
    let today = chrono::Local::now().date_naive();
    let lib = renderer()
        .assess_json(&json, &secform::CheckOptions::new(today))
        .pdf()
        .unwrap();
    assert!(!lib.warnings.is_empty() && lib.pages >= 2);
    assert_eq!(
        renderer()
            .render_json(&json, &secform::CheckOptions::new(today))
            .unwrap(),
        lib.bytes
    );

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("out.pdf");
    let out = secform()
        .args(["render", "-", "-o"])
        .arg(&pdf)
        .write_stdin(json)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let warnings: Vec<String> = lib.warnings.iter().map(|p| p.to_string()).collect();
    assert_eq!(stderr_of(&out).lines().collect::<Vec<_>>(), warnings);
    assert!(std::fs::read(&pdf).unwrap() == lib.bytes);

    let blank = renderer().render_blank("npa-2022").unwrap();
    assert!(blank.warnings.is_empty() && blank.pages >= 2);
    let out = secform()
        .args(["render", "--blank", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(out.stdout == blank.bytes);
}

/// `check` and `render` report the rule problems of what was read beside a structural problem,
/// structural ones first; `render` still writes nothing.
#[test]
fn structural_and_rule_problems_in_one_run() {
    let mut v = sample("main-contractor.json");
    v["target"]["compnay"] = serde_json::json!("x");
    v["items"]["7"] = serde_json::json!({"status": "未実施"});
    let expected = [
        "エラー: target.compnay: 不明な項目です（\"company\" の誤りではありませんか）",
        "エラー: 2 確認事項 7 実施状況(詳細)又は未実施の理由 [items.7.detail]: 「未実施」の行には未実施の理由を記入してください",
    ];
    refused_by_check_and_render(&v, &expected);
}

/// `check` prints exactly `expected` and exits 1; `render` reports the same on standard error,
/// exits 1 and leaves its output folder empty.
fn refused_by_check_and_render(v: &serde_json::Value, expected: &[&str]) {
    let out = secform()
        .args(["check", "-"])
        .write_stdin(v.to_string())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected, "{stdout}");

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("out.pdf");
    let out = secform()
        .args(["render", "-", "-o"])
        .arg(&pdf)
        .write_stdin(v.to_string())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = stderr_of(&out);
    assert_eq!(stderr.lines().collect::<Vec<_>>(), expected, "{stderr}");
    assert!(!pdf.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Runs `secform args…` in `dir` and returns (exit code, standard error).
fn run_in(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("secform"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (out.status.code(), stderr_of(&out))
}

/// An output that would replace the command's own input is refused as a usage error (exit 2), and
/// the input survives: `render a.json -o a.json`, `batch b.json --merge b.json`, `--merge` onto an
/// answer set of the folder being read.
#[test]
fn an_output_never_replaces_its_own_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let answers = read("samples/main-contractor.json");
    std::fs::write(d.join("a.json"), &answers).unwrap();
    let (code, err) = run_in(d, &["render", "a.json", "-o", "./a.json"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("入力と出力が同じファイルです"), "{err}");
    assert_eq!(std::fs::read_to_string(d.join("a.json")).unwrap(), answers);

    let batch = read("samples/batch.json");
    std::fs::write(d.join("b.json"), &batch).unwrap();
    let (code, err) = run_in(
        d,
        &["batch", "b.json", "--out-dir", "out", "--merge", "b.json"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("入力のファイルと同じです"), "{err}");
    assert_eq!(std::fs::read_to_string(d.join("b.json")).unwrap(), batch);

    std::fs::create_dir(d.join("forms")).unwrap();
    std::fs::write(d.join("forms/x.json"), &answers).unwrap();
    let (code, err) = run_in(
        d,
        &[
            "batch",
            "forms",
            "--out-dir",
            "out",
            "--merge",
            "forms/x.json",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("forms/x.json")).unwrap(),
        answers
    );
    assert!(!d.join("out").exists(), "nothing was rendered");
}

/// What a rename would mishandle: a read-only file is refused (and kept), a symbolic link is
/// written through (the link stays, its target becomes the PDF), a pipe is refused, and a missing
/// folder is named as such rather than through the hidden temporary file.
#[cfg(unix)]
#[test]
fn outputs_that_are_not_plain_writable_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sample = root().join("samples/main-contractor.json");
    let sample = sample.to_str().unwrap();

    std::fs::write(d.join("ro.pdf"), "old").unwrap();
    std::fs::set_permissions(d.join("ro.pdf"), std::fs::Permissions::from_mode(0o444)).unwrap();
    let (code, err) = run_in(d, &["render", sample, "-o", "ro.pdf"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("ro.pdf: 書き込めません: 書き込み禁止のファイルです"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(d.join("ro.pdf")).unwrap(), "old");

    std::fs::write(d.join("real.pdf"), "old").unwrap();
    std::os::unix::fs::symlink("real.pdf", d.join("link.pdf")).unwrap();
    let (code, err) = run_in(d, &["render", sample, "-o", "link.pdf"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::symlink_metadata(d.join("link.pdf"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read(d.join("real.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));

    let made = std::process::Command::new("mkfifo")
        .arg(d.join("pipe"))
        .status()
        .unwrap();
    assert!(made.success());
    let (code, err) = run_in(d, &["render", sample, "-o", "pipe"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("通常のファイルではありません"), "{err}");
    assert!(!std::fs::metadata(d.join("pipe")).unwrap().is_file());

    let (code, err) = run_in(d, &["render", sample, "-o", "nodir/x.pdf"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("フォルダ nodir がありません") && !err.contains(".secform-"),
        "{err}"
    );
    let names: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 4, "no temporary file left: {names:?}");
}

/// Files that cannot be read or written are explained in Japanese, and `check --format json`
/// answers in JSON even then.
#[test]
fn unreadable_inputs_and_unusable_output_folders_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, err) = run_in(d, &["check", "missing.json"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("missing.json: 読み込めません: ファイルがありません"),
        "{err}"
    );

    let out = secform()
        .current_dir(d)
        .args(["check", "--format", "json", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(report[0]["path"], "$");
    assert_eq!(report[0]["severity"], "error");
    assert!(report[0]["message"]
        .as_str()
        .unwrap()
        .contains("ファイルがありません"));

    std::fs::write(d.join("afile"), "").unwrap();
    let batch = root().join("samples/batch.json");
    let (code, err) = run_in(d, &["batch", batch.to_str().unwrap(), "--out-dir", "afile"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("afile: 書き込めません: フォルダではありません"),
        "{err}"
    );
}
