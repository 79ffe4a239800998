//! Helpers shared by the integration tests: reading PDFs back with lopdf, and the seed texts as the
//! oracle for the form's wording.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod merged;
pub mod tagged;

use secform::{CheckOptions, FontSet, Renderer};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn renderer() -> Renderer {
    Renderer::new(FontSet::bundled())
}

pub fn opts() -> CheckOptions {
    CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
}

pub fn sample(name: &str) -> serde_json::Value {
    serde_json::from_str(&read(&format!("samples/{name}"))).unwrap()
}

/// Renders answers given as JSON, panicking with the problems if it is refused.
pub fn render(value: &serde_json::Value) -> Vec<u8> {
    renderer()
        .render_json(&value.to_string(), &opts())
        .unwrap_or_else(|e| panic!("render failed: {e}"))
}

/// The text of every page, a line per text object, as a PDF reader extracts it (ToUnicode maps).
pub fn pdf_pages(pdf: &[u8]) -> Vec<Vec<String>> {
    let doc = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|&n| {
            let text = doc.extract_text(&[n]).expect("text extracts");
            text.lines()
                .map(|l| l.trim_end().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .collect()
}

/// True when `expected` is printed as consecutive lines somewhere in `lines`: the lines joined
/// equal `expected`, except that a line break may replace spaces (ASCII or ideographic) of
/// `expected` (a soft break swallows the space it falls on). Every other character must match exactly.
pub fn printed(lines: &[String], expected: &str) -> bool {
    (0..lines.len()).any(|start| matches_from(&lines[start..], expected))
}

fn matches_from(lines: &[String], expected: &str) -> bool {
    let mut rest = expected;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            rest = rest.trim_start_matches([' ', '\u{3000}']);
        }
        if rest == line.as_str() {
            return true;
        }
        match rest.strip_prefix(line.as_str()) {
            Some(r) if !line.is_empty() => rest = r,
            _ => return false,
        }
    }
    false
}

/// The seed's 26 rows: number, text (row 14 joined as one text), whether it carries ※.
pub fn seed_rows() -> Vec<(u32, String, bool)> {
    let seed = read("tests/fixtures/seeds/004_faaeaf0efdfc754c.txt");
    let mut rows: Vec<(u32, String, bool)> = Vec::new();
    let mut in_table = false;
    for line in seed.lines() {
        if line.starts_with("番号\t") {
            in_table = true;
            continue;
        }
        if !in_table || line.trim().is_empty() {
            continue;
        }
        if line.starts_with("確認年月日") {
            break;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols[0].is_empty() {
            let last = rows.last_mut().expect("a continuation follows a row");
            last.1 = format!("{} {}", last.1, cols[1]);
        } else {
            rows.push((
                cols[0].parse().unwrap(),
                cols[1].to_string(),
                cols.get(2) == Some(&"※"),
            ));
        }
    }
    rows
}

/// The seed's table header cells.
pub fn seed_header() -> Vec<String> {
    let seed = read("tests/fixtures/seeds/004_faaeaf0efdfc754c.txt");
    let line = seed.lines().find(|l| l.starts_with("番号\t")).unwrap();
    line.split('\t').map(str::to_string).collect()
}

/// A pseudo-terminal: its master end and its slave end (what a command given it as standard
/// output or error takes for a real terminal).
#[expect(unsafe_code, reason = "a real terminal for the test: libc::openpty")]
pub fn pseudo_terminal() -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors into the integers given; no name, termios or size.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0);
    // SAFETY: both descriptors were just opened and are owned here alone.
    unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(master),
            std::os::fd::OwnedFd::from_raw_fd(slave),
        )
    }
}
