//! Golden outputs: the SHA-256 of what secform makes from the samples, committed in
//! `tests/golden/sha256.txt`. A refactor that changes a byte of any of them fails here, so a change
//! of bytes is always a decision: after checking the new output, bless it with
//! `SECFORM_BLESS=1 cargo test --test golden` and commit the new hashes with the reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const HASHES: &str = "tests/golden/sha256.txt";

/// Runs the binary with `args` in the crate's folder; panics with its stderr when it fails.
fn secform(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_secform"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "secform {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every golden output, made into `dir`: (name, file).
fn outputs(dir: &Path) -> Vec<(String, PathBuf)> {
    let p = |name: &str| dir.join(name);
    let s = |path: &Path| path.to_str().expect("a UTF-8 temporary path").to_owned();
    let mut made = Vec::new();
    for sample in ["main-contractor", "subcontractor", "incident"] {
        let pdf = p(&format!("{sample}.pdf"));
        secform(&["render", &format!("samples/{sample}.json"), "-o", &s(&pdf)]);
        made.push(pdf);
    }
    let blank = p("blank.pdf");
    secform(&["render", "--blank", "-o", &s(&blank)]);
    made.push(blank);
    for (name, args) in [
        (
            "clauses-npa.pdf",
            &["--variant", "npa-2022", "--with-form"][..],
        ),
        (
            "clauses-itaku.pdf",
            &["--variant", "itaku-14", "--parties", "甲,乙"][..],
        ),
        (
            "clauses-npa.txt",
            &["--variant", "npa-2022", "--format", "txt"][..],
        ),
        (
            "clauses-npa.md",
            &["--variant", "npa-2022", "--format", "md"][..],
        ),
        (
            "clauses-itaku.docx",
            &["--variant", "itaku-14", "--format", "docx"][..],
        ),
    ] {
        let file = p(name);
        let mut all = vec!["clauses"];
        all.extend_from_slice(args);
        let out = s(&file);
        all.extend_from_slice(&["-o", &out]);
        secform(&all);
        made.push(file);
    }
    let merged = p("batch-merged.pdf");
    let batch_dir = p("batch");
    secform(&[
        "batch",
        "samples/batch.json",
        "--out-dir",
        &s(&batch_dir),
        "--merge",
        &s(&merged),
        "--jobs",
        "2",
        "--quiet",
    ]);
    made.push(merged);
    let workbook = p("main-contractor.xlsx");
    secform(&[
        "convert",
        "samples/main-contractor.json",
        "-o",
        &s(&workbook),
    ]);
    made.push(workbook);
    let starter = p("starter.xlsx");
    secform(&["init", "--format", "xlsx", "-o", &s(&starter)]);
    made.push(starter);
    for name in ["summary.pdf", "summary.csv", "summary.xlsx"] {
        let file = p(name);
        secform(&["summary", "samples/batch.json", "-o", &s(&file)]);
        made.push(file);
    }
    // The overview of real answer sets (`summary` reads a batch file above as one answer set,
    // which it refuses: that refusal is kept too), and the batch's own overview.
    let samples = [
        "samples/main-contractor.json",
        "samples/subcontractor.json",
        "samples/incident.json",
    ];
    for name in ["summary-samples.pdf", "summary-samples.csv"] {
        let file = p(name);
        let out = s(&file);
        let mut args = vec!["summary"];
        args.extend_from_slice(&samples);
        args.extend_from_slice(&["-o", &out]);
        secform(&args);
        made.push(file);
    }
    let batch_summary = p("batch-summary.csv");
    secform(&[
        "batch",
        "samples/batch.json",
        "--out-dir",
        &s(&p("batch-for-summary")),
        "--summary",
        &s(&batch_summary),
        "--quiet",
    ]);
    made.push(batch_summary);
    made.into_iter()
        .map(|f| (f.file_name().unwrap().to_string_lossy().into_owned(), f))
        .collect()
}

fn listing(dir: &Path) -> String {
    let mut text = String::new();
    for (name, file) in outputs(dir) {
        let bytes = std::fs::read(&file).expect("the output was written");
        let digest = Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(text, "{hex}  {name}").unwrap();
    }
    text
}

#[test]
fn outputs_keep_their_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let now = listing(dir.path());
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(HASHES);
    if std::env::var_os("SECFORM_BLESS").is_some() {
        std::fs::write(&file, &now).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&file).expect("tests/golden/sha256.txt is committed");
    let changed: Vec<String> = golden
        .lines()
        .zip(now.lines())
        .filter(|(g, n)| g != n)
        .map(|(g, n)| format!("  was {g}\n  now {n}"))
        .collect();
    assert!(
        changed.is_empty() && golden.lines().count() == now.lines().count(),
        "outputs changed bytes (bless with SECFORM_BLESS=1 cargo test --test golden once checked):\n{}",
        changed.join("\n")
    );
}
