//! The inputs the fuzz targets (fuzz/, cargo-fuzz) found crashing, hanging or blowing up memory,
//! kept in `fuzz/regressions/<target>/` and replayed here in plain `cargo test` through the very
//! entry points the targets drive (`fuzz/entry.rs`, included by path): each must return — an
//! answer set or a refusal — without a panic, within [`LIMIT`].
//!
//! An input whose fix is not in yet has a test of its own, ignored with the reason, and is left
//! out of its folder's test ([`PENDING`]); un-ignore it once the reader is fixed.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

#[path = "../fuzz/entry.rs"]
mod entry;

/// A debug build reads any of these in well under a second once bounded; a hang takes forever.
const LIMIT: Duration = Duration::from_secs(60);

/// Inputs that still fail today, each replayed by its own ignored test below.
const PENDING: &[&str] = &[];

fn folder(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target)
}

/// Feeds `file` to `run` on a thread of its own: a panic or a run past [`LIMIT`] fails the test
/// with the file's name.
fn replay(run: fn(&[u8]), file: &Path) {
    let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        run(&data);
        let _ = tx.send(());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = worker.join();
            panic!("{}: the reader panicked", file.display());
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{}: still running after {LIMIT:?}", file.display())
        }
    }
}

/// Every input kept for `target` but those [`PENDING`]; the number replayed.
fn replay_folder(target: &str, run: fn(&[u8])) -> usize {
    let Ok(entries) = std::fs::read_dir(folder(target)) else {
        return 0;
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a regression's folder entry").path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = format!(
                "{target}/{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            );
            !PENDING.contains(&name.as_str())
        })
        .collect();
    files.sort();
    for f in &files {
        replay(run, f);
    }
    files.len()
}

#[test]
fn json_regressions_return() {
    replay_folder("json", entry::json);
}

#[test]
fn workbook_regressions_return() {
    replay_folder("workbook", entry::workbook);
}

#[test]
fn pdf_regressions_return() {
    replay_folder("pdf", entry::pdf);
}

#[test]
fn seal_regressions_return() {
    replay_folder("seal", entry::seal);
}

/// The replay itself can fail (a reader that panics is reported), and what it replays is kept
/// as it should be: small files, each pending one there.
#[test]
fn replay_fails_on_a_panic_and_its_files_are_kept() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("input");
    std::fs::write(&file, b"x").expect("the input written");
    let panicked = std::panic::catch_unwind(|| replay(|_| panic!("boom"), &file));
    assert!(panicked.is_err());
    // Every file of every folder exists and is small (the folders are replayed whole).
    for target in ["json", "workbook", "pdf", "seal"] {
        for e in std::fs::read_dir(folder(target)).into_iter().flatten() {
            let meta = e.expect("an entry").metadata().expect("its metadata");
            assert!(meta.len() <= 64 * 1024, "{target}: keep regressions small");
        }
    }
    for p in PENDING {
        assert!(
            folder("").join(p).is_file(),
            "{p}: listed as pending, not kept"
        );
    }
}
