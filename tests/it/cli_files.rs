//! Files from outside as the commands meet them: what is not a regular file is refused at once by
//! its type, what is larger than a cap is refused after the cap and one byte, and a folder's files
//! that are not read are each named with why (issues 21 and 22). Every hostile input is made here
//! (nothing large is stored), and each run is reaped with its peak memory.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;

/// Every hostile run must end well within this; it is a guard against a hang, not a timing.
const HANG: Duration = Duration::from_secs(30);

fn secform(args: &[&str]) -> common::Bounded {
    let mut cmd = std::process::Command::new(cargo_bin!("secform"));
    cmd.args(args);
    common::run_bounded(&mut cmd, HANG)
}

/// Exit 1 (not an abort against the memory limit the run is given, [`common::DATA_LIMIT`]), the
/// words expected, no English system text.
fn refused(run: &common::Bounded, want: &str) {
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains(want) || run.stdout.contains(want),
        "{run:?}"
    );
    for english in [
        "os error",
        "No such file",
        "Is a directory",
        "panicked",
        "memory allocation",
    ] {
        assert!(!run.stderr.contains(english), "{run:?}");
        assert!(!run.stdout.contains(english), "{run:?}");
    }
}

fn sample() -> Value {
    serde_json::from_str(&common::read("samples/main-contractor.json")).unwrap()
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, value.to_string()).unwrap();
    path
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `check /dev/zero` read 8.4 GB in 3 s; it is refused at once as a device.
#[test]
fn check_dev_zero_is_refused_as_a_device() {
    let run = secform(&["check", "/dev/zero"]);
    refused(&run, "/dev/zero: 読み込めません: デバイスファイルです");
}

/// A named pipe given as the answers, the batch file or the fallback font: refused by its type,
/// not waited on forever.
#[test]
fn a_named_pipe_is_refused_at_once_wherever_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("answers.json");
    mkfifo(&fifo);
    let want = "名前付きパイプ（FIFO）です。通常のファイルを指定してください";
    refused(&secform(&["check", s(&fifo)]), want);
    refused(&secform(&["render", s(&fifo), "-o", "-"]), want);
    let out = dir.path().join("out");
    refused(&secform(&["batch", s(&fifo), "--out-dir", s(&out)]), want);
    let csv = dir.path().join("一覧.csv");
    refused(&secform(&["summary", s(&fifo), "-o", s(&csv)]), want);
    let answers = write_json(dir.path(), "a.json", &sample());
    refused(
        &secform(&["check", "--fallback-font", s(&fifo), s(&answers)]),
        want,
    );
    refused(
        &secform(&["check", "--fallback-font", "/dev/zero", s(&answers)]),
        "デバイスファイルです",
    );
}

/// A seal image that is `/dev/zero` took memory to the machine's limit, a named pipe hung: both
/// are refused at `seal.image`, by their type.
#[test]
fn a_seal_image_that_is_a_device_or_a_pipe_is_refused_by_its_type() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("seal.png");
    mkfifo(&fifo);
    for (image, want) in [
        ("/dev/zero", "デバイスファイルです"),
        (s(&fifo), "名前付きパイプ（FIFO）です"),
    ] {
        let mut answers = sample();
        answers["seal"] = serde_json::json!({ "image": image });
        let path = write_json(dir.path(), "a.json", &answers);
        let run = secform(&["check", s(&path)]);
        refused(&run, "[seal.image]: 印影の画像");
        refused(&run, want);
        let run = secform(&["render", s(&path), "-o", s(&dir.path().join("a.pdf"))]);
        refused(&run, want);
    }
}

/// A file larger than the cap is refused after reading the cap and one byte, whatever it is: a
/// sparse file costs no disk. `render` takes one answer set (32 MB); `check` may be given a batch
/// file (64 MB).
#[test]
fn an_answer_file_over_the_cap_is_refused_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    let file = fs::File::create(&big).unwrap();
    file.set_len(secform::files::ANSWER_FILE_MAX + 1).unwrap();
    let run = secform(&["render", s(&big), "-o", "-"]);
    refused(&run, "big.json: 読み込めません: 大きすぎます（上限 32 MB。回答ファイルはこの大きさになりません）");
    file.set_len(secform::files::BATCH_FILE_MAX + 1).unwrap();
    let run = secform(&["check", s(&big)]);
    refused(&run, "big.json: 読み込めません: 大きすぎます（上限 64 MB。一括ファイルはこの大きさになりません）");
}

/// A folder, a missing file and a link in a circle given as answers: Japanese, never the system's
/// English.
#[test]
fn folders_links_and_missing_files_are_explained_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        &secform(&["render", s(dir.path()), "-o", "-"]),
        "フォルダです。通常のファイルを指定してください",
    );
    let missing = dir.path().join("missing.json");
    refused(
        &secform(&["check", s(&missing)]),
        "missing.json: 読み込めません: ファイルがありません",
    );
    let link = dir.path().join("loop.json");
    std::os::unix::fs::symlink(&link, &link).unwrap();
    refused(
        &secform(&["check", s(&link)]),
        "シンボリックリンクが循環しているため、たどれません",
    );
}

/// `.csv`, `.ods` and `.xls` given by name get their own message, not a JSON syntax error.
#[test]
fn other_formats_given_by_name_get_their_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("回答.csv");
    fs::write(&csv, "区分,事業者名\n元請,株式会社A\n").unwrap();
    refused(&secform(&["check", s(&csv)]), "CSV は読めません");
    let ods = dir.path().join("F_エフ.ods");
    fs::write(&ods, b"PK\x03\x04 not really").unwrap();
    refused(
        &secform(&["check", s(&ods)]),
        "F_エフ.ods: 読み込めません: ODS は読めません。.xlsx で保存し直してください",
    );
    let xls = dir.path().join("old.xls");
    fs::write(&xls, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old").unwrap();
    let run = secform(&["check", s(&xls)]);
    refused(&run, "old.xls");
    assert!(
        !run.stdout.contains("JSON") && !run.stderr.contains("JSON"),
        "{run:?}"
    );
}

/// A folder of answers with every kind of thing that is not one: each named with why and what to
/// do, a failure each; the junk of operating systems and office suites left out without a word.
fn hostile_folder(root: &Path) -> PathBuf {
    let forms = root.join("forms");
    fs::create_dir(&forms).unwrap();
    write_json(&forms, "A_エー.json", &sample());
    fs::write(forms.join("F_エフ.ods"), b"PK\x03\x04").unwrap();
    fs::write(forms.join("G_ジー.csv"), "a,b\n").unwrap();
    mkfifo(&forms.join("pipe.json"));
    fs::create_dir(forms.join("x.json")).unwrap();
    std::os::unix::fs::symlink("loop.json", forms.join("loop.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", forms.join("zero.json")).unwrap();
    for junk in ["~$A_エー.xlsx", "._A_エー.json", ".DS_Store", "Thumbs.db"] {
        fs::write(forms.join(junk), b"junk").unwrap();
    }
    forms
}

const UNREAD: [(&str, &str); 6] = [
    (
        "F_エフ.ods",
        "ODS は読めません。.xlsx で保存し直してください",
    ),
    ("G_ジー.csv", "CSV は読めません"),
    (
        "loop.json",
        "シンボリックリンクが循環しているため、たどれません",
    ),
    (
        "pipe.json",
        "名前付きパイプ（FIFO）です。回答ファイルではないため読みません",
    ),
    ("x.json", "フォルダです。中のファイルは読みません"),
    (
        "zero.json",
        "デバイスファイルです。回答ファイルではないため読みません",
    ),
];

#[test]
fn batch_names_every_file_of_a_folder_it_does_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let forms = hostile_folder(tmp.path());
    let out = tmp.path().join("out");
    let run = secform(&["batch", s(&forms), "--out-dir", s(&out)]);
    refused(
        &run,
        "作成 1 件、失敗 6 件（うち読めなかったファイル 6 件）",
    );
    for (name, why) in UNREAD {
        assert!(
            run.stderr.contains(&format!("{name}: {why}")),
            "{name}: {run:?}"
        );
    }
    assert!(!run.stderr.contains("Thumbs.db:") && !run.stderr.contains("DS_Store:"));
    assert!(run
        .stderr
        .contains("4 件は回答ファイルではないため読みませんでした"));
}

/// `check` reads the folder as `batch` does: the same files read, the same reported.
#[test]
fn check_takes_a_folder_as_batch_reads_it() {
    let tmp = tempfile::tempdir().unwrap();
    let forms = hostile_folder(tmp.path());
    let run = secform(&["check", s(&forms)]);
    refused(&run, "A_エー.json: 問題はありません");
    for (name, why) in UNREAD {
        let line = format!("{}: エラー: {why}", forms.join(name).display());
        assert!(run.stdout.contains(&line), "{line}: {run:?}");
    }
    assert!(!run.stdout.contains("Thumbs.db"), "{run:?}");
}

/// `summary` lists every file it could not read as an entity to review, and exits 1.
#[test]
fn summary_lists_every_file_it_does_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let forms = hostile_folder(tmp.path());
    let csv = tmp.path().join("一覧.csv");
    let run = secform(&["summary", s(&forms), "-o", s(&csv)]);
    refused(
        &run,
        "読めなかったファイル 6 件は、一覧に「要確認」として載せました",
    );
    let text = fs::read_to_string(&csv).unwrap();
    for (name, why) in UNREAD {
        let row = text
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}: {text}"));
        assert!(row.contains("要確認") && row.contains(why), "{row}");
    }
    assert_eq!(text.lines().count(), 1 + 1 + UNREAD.len(), "{text}");
}

/// A batch file is checked entry by entry, each problem naming the entry and its company, not
/// refused as an answer set with `defaults: 不明な項目です`.
#[test]
fn check_takes_a_batch_file_entry_by_entry() {
    let dir = tempfile::tempdir().unwrap();
    let mut batch: Value = serde_json::from_str(&common::read("samples/batch.json")).unwrap();
    batch["forms"][2]["target"]["contract_start"] = "昨日".into();
    let path = write_json(dir.path(), "batch.json", &batch);
    let run = secform(&["check", s(&path)]);
    refused(
        &run,
        "batch.json 3 件目（有限会社データ保守サービス）: エラー: (3) 契約開始年月日 [target.contract_start]",
    );
    // The first entry is checked and has no error (the samples' details are the old starter's
    // examples: warnings only).
    let first = "batch.json 1 件目（株式会社サンプル情報システム）: ";
    assert!(run.stdout.contains(first), "{run:?}");
    assert!(!run.stdout.contains(&format!("{first}エラー")), "{run:?}");
    assert!(!run.stdout.contains("不明な項目"), "{run:?}");
}

/// A run killed outright leaves its temporary file; the next run into that folder removes it, and
/// nothing else.
#[test]
fn a_killed_runs_temporary_file_is_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".secform-AbC123.tmp");
    fs::write(&stale, b"half a PDF").unwrap();
    let other = dir.path().join(".secform-notes.txt");
    fs::write(&other, b"the user's").unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(60);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let answers = write_json(dir.path(), "a.json", &sample());
    let run = secform(&["render", s(&answers), "-o", s(&dir.path().join("a.pdf"))]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(!stale.exists(), "the stale temporary file is still there");
    assert!(other.exists());
}

/// A PNG in the folder that an answer file names as its seal is read (as the seal), not reported;
/// one that no answer file names is listed as unread.
#[test]
fn an_image_is_unread_unless_an_answer_file_names_it_as_its_seal() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("forms");
    fs::create_dir(&forms).unwrap();
    let incident: Value = serde_json::from_str(&common::read("samples/incident.json")).unwrap();
    write_json(&forms, "incident.json", &incident);
    let seal = fs::read(common::root().join("samples/seal.png")).unwrap();
    fs::write(forms.join("seal.png"), &seal).unwrap();
    fs::write(forms.join("scan.png"), &seal).unwrap();
    let run = secform(&["check", s(&forms)]);
    refused(&run, "scan.png: エラー: 画像は回答ファイルとして読めません");
    assert!(!run.stdout.contains("seal.png:"), "{run:?}");
    fs::remove_file(forms.join("scan.png")).unwrap();
    let run = secform(&["check", s(&forms)]);
    assert_eq!(run.code, Some(0), "{run:?}");
}
