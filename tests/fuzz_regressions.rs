//! The inputs the fuzz targets (fuzz/, cargo-fuzz) found crashing, hanging or blowing up memory,
//! kept in `fuzz/regressions/<target>/` and replayed here in plain `cargo test` through the very
//! entry points the targets drive (`fuzz/entry.rs`, included by path): each must return — an
//! answer set or a refusal — without a panic, within [`LIMIT`], having held at most
//! [`MEMORY_LIMIT`] at once (counted by this binary's allocator; the replays take turns, so that
//! the count is one input's).
//!
//! An input whose fix is not in yet has a test of its own, ignored with the reason, and is left
//! out of its folder's test ([`PENDING`]); un-ignore it once the reader is fixed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

#[path = "../fuzz/entry.rs"]
mod entry;

/// A debug build reads any of these in well under a second once bounded; a hang takes forever.
const LIMIT: Duration = Duration::from_secs(60);

/// An answer file is kilobytes and is read in a few megabytes; a reader that holds a quarter of a
/// gigabyte for one has blown up (fuzz/run.sh stops a target at 512 MiB of RSS).
const MEMORY_LIMIT: usize = 256 << 20;

/// The system allocator, counting the bytes held and their peak.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn held(more: usize) {
    let now = HELD.fetch_add(more, Ordering::Relaxed) + more;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

#[expect(
    unsafe_code,
    reason = "a global allocator is an unsafe trait; each call is passed to System unchanged"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            held(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            held(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() {
            HELD.fetch_sub(layout.size(), Ordering::Relaxed);
            held(new_size);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One replay at a time, for the peak to be one input's.
static TURN: Mutex<()> = Mutex::new(());

/// Inputs that still fail today, each replayed by its own ignored test below (none now: the
/// three issue 22 found are fixed, and their own tests below run).
const PENDING: &[&str] = &[];

fn folder(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target)
}

/// Feeds `file` to `run` on a thread of its own: a panic, a run past [`LIMIT`] or a peak past
/// [`MEMORY_LIMIT`] fails the test with the file's name.
fn replay(run: fn(&[u8]), file: &Path) {
    let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let _turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        run(&data);
        let _ = tx.send(());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(()) => {
            let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
            assert!(
                peak <= MEMORY_LIMIT,
                "{}: held {} MiB at once (at most {} MiB)",
                file.display(),
                peak >> 20,
                MEMORY_LIMIT >> 20
            );
        }
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

/// The replay itself can fail (a reader that panics or holds too much is reported), and what it
/// replays is kept as it should be: small files, each pending one there.
#[test]
fn replay_fails_on_a_panic_and_its_files_are_kept() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("input");
    std::fs::write(&file, b"x").expect("the input written");
    let panicked = std::panic::catch_unwind(|| replay(|_| panic!("boom"), &file));
    assert!(panicked.is_err());
    let blown_up = std::panic::catch_unwind(|| {
        replay(
            |_| drop(std::hint::black_box(vec![1u8; MEMORY_LIMIT + 1])),
            &file,
        )
    });
    assert!(blown_up.is_err(), "a peak past the limit");
    replay(|_| drop(std::hint::black_box(vec![1u8; 1 << 20])), &file);
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

/// Issue 22's name tree whose `/Kids` list itself four times: walked 4¹⁷ times (`lookup` in
/// src/input/pdf.rs follows every kid to depth 16), a hang.
#[test]
fn pdf_kids_that_list_themselves() {
    replay(entry::pdf, &folder("pdf").join("kids-list-themselves.pdf"));
}

/// A secform workbook with one more cell, at XFD1048576: calamine's `worksheet_range` allocates
/// the whole rectangle up to it (512 GiB) and the process aborts.
#[test]
fn workbook_cell_at_xfd1048576() {
    replay(
        entry::workbook,
        &folder("workbook").join("cell-at-XFD1048576.xlsx"),
    );
}

/// The same at XFD2000: 16,384 × 2,000 cells, about 1 GB (of RSS; over [`MEMORY_LIMIT`] as
/// counted) and 18 s in a debug build.
#[test]
fn workbook_cell_at_xfd2000() {
    replay(
        entry::workbook,
        &folder("workbook").join("cell-at-XFD2000.xlsx"),
    );
}
