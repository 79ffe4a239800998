//! The command on input and output the review found mishandled: control characters in answers,
//! the mode of the files written, rule problems reported beside structural ones.

mod common;

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
        "エラー: items.3.detail: 制御文字 U+0001 は使えません（3文字目）",
        "エラー: checker.name: 制御文字 U+007F は使えません（3文字目）",
        "エラー: checker.name: 制御文字 U+009F は使えません（6文字目）",
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
        .render_form(&json, &secform::CheckOptions::new(today))
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
        "エラー: items.7.detail: 「未実施」の行には未実施の理由を記入してください",
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
