//! Hostile bytes (issue 22): each input is made here (nothing large is stored), handed to the
//! real binary, and must be refused (or read) in Japanese with exit 1, within a bounded peak
//! memory, read from the child's own resource usage (`wait4`). A child still running after a
//! minute is killed and fails the test: that catches a reader that never ends, and is no timing.

use crate::common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use secform::FormSpec;
use serde_json::Value;

/// Peak memory any hostile input may cost the (debug) binary.
const MAX_RSS_MB: i64 = 100;

/// What a finished child left: its exit code, standard error and peak resident memory.
struct Run {
    code: i32,
    stderr: String,
    stdout: String,
    rss_mb: i64,
}

/// Runs secform with `args` in `dir` through a small helper process (this test binary again,
/// [`measure_child`]), which waits for it with `wait4` and prints its peak memory. Linux keeps a
/// process's peak across `exec`, and a child spawned from this (large, multi-threaded) test
/// process would report this process's peak; the helper is small.
fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            &measure_child_name(),
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ARGS, serde_json::to_string(args).unwrap())
        .env(CHILD_DIR, dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("measured ").map(|(_, m)| m))
        .unwrap_or_else(|| {
            panic!(
                "secform {args:?}: no measure: {stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let mut numbers = line.split_whitespace();
    let (code, rss_kb) = (numbers.next().unwrap(), numbers.next().unwrap());
    Run {
        code: code.parse().unwrap(),
        stderr: std::fs::read_to_string(dir.join("stderr.txt")).unwrap(),
        stdout: std::fs::read_to_string(dir.join("stdout.txt")).unwrap(),
        rss_mb: rss_kb.parse::<i64>().unwrap() / 1024,
    }
}

const CHILD_ARGS: &str = "SECFORM_HOSTILE_ARGS";
const CHILD_DIR: &str = "SECFORM_HOSTILE_DIR";

/// [`measure_child`]'s name as the test binary knows it (`hostile::measure_child`: this module's
/// path without the crate's name), for `--exact`.
fn measure_child_name() -> String {
    let module = module_path!()
        .split_once("::")
        .map_or(module_path!(), |(_, m)| m);
    format!("{module}::measure_child")
}

/// The helper of [`run`]: runs secform with the arguments and in the folder the parent gives it
/// (through [`CHILD_ARGS`] and [`CHILD_DIR`]) and prints `measured <exit code> <peak RSS in KB>`.
/// Run as a test of its own (no parent), it measures `secform --version` in a folder of its own,
/// which must exit 0: the measuring itself works.
#[test]
#[expect(unsafe_code, reason = "the child's own rusage: libc::wait4")]
fn measure_child() {
    let alone = tempfile::tempdir().unwrap();
    let parent = std::env::var(CHILD_ARGS)
        .ok()
        .zip(std::env::var(CHILD_DIR).ok());
    let (args, dir): (Vec<String>, PathBuf) = match &parent {
        Some((args, dir)) => (serde_json::from_str(args).unwrap(), PathBuf::from(dir)),
        None => (vec!["--version".to_string()], alone.path().to_path_buf()),
    };
    let child = Command::new(assert_cmd::cargo::cargo_bin!("secform"))
        .args(&args)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(dir.join("stdout.txt")).unwrap())
        .stderr(std::fs::File::create(dir.join("stderr.txt")).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own child, not yet waited for (std's Child is dropped unwaited).
        let rc = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(rc >= 0, "wait4 failed");
        if rc == pid {
            break;
        }
        if Instant::now() > deadline {
            // SAFETY: killing and reaping our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            panic!("secform {args:?} still running after 60 s: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(child);
    assert!(
        libc::WIFEXITED(status),
        "secform {args:?} did not exit (signal {}): {}",
        libc::WTERMSIG(status),
        std::fs::read_to_string(dir.join("stderr.txt")).unwrap_or_default()
    );
    // What the parent reads on this helper's standard output (run with --nocapture).
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "measured {} {}",
        libc::WEXITSTATUS(status),
        usage.ru_maxrss
    )
    .unwrap();
    if parent.is_none() {
        let version = std::fs::read_to_string(dir.join("stdout.txt")).unwrap();
        assert_eq!(libc::WEXITSTATUS(status), 0, "secform --version");
        assert!(version.starts_with("secform "), "{version}");
        assert!(usage.ru_maxrss > 0, "no peak memory measured");
    }
}

/// `run`, asserting what every refusal of a hostile file gives: exit 1, a Japanese message
/// holding `says`, no English or Rust internals, and memory within [`MAX_RSS_MB`].
fn refused(dir: &Path, args: &[&str], says: &str) -> Run {
    let r = run(dir, args);
    assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
    assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    bounded(args, &r);
    r
}

fn bounded(args: &[&str], r: &Run) {
    for english in [
        "panicked",
        "memory allocation",
        "backtrace",
        "os error",
        "Error",
    ] {
        assert!(!r.stderr.contains(english), "{args:?}: {}", r.stderr);
    }
    assert!(
        r.rss_mb <= MAX_RSS_MB,
        "{args:?}: peak {} MB (at most {MAX_RSS_MB})",
        r.rss_mb
    );
}

/// Writes a hostile input; with `SECFORM_HOSTILE_KEEP=DIR` a copy is kept there too, for
/// `bench/hostile.sh` to measure the release binary on it.
fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    if let Some(keep) = std::env::var_os("SECFORM_HOSTILE_KEEP") {
        std::fs::write(Path::new(&keep).join(name), bytes).unwrap();
    }
    path
}

// ---- PDFs ------------------------------------------------------------------------------------

/// A PDF of `objects` (object i + 1 is `objects[i]`: its body between `obj` and `endobj`), the
/// catalog object 1, with a correct cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

/// A stream object's body: `dict` entries and the bytes.
fn stream(dict: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!("<<{dict}/Length {}>>\nstream\n", bytes.len()).into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\nendstream");
    body
}

/// The name tree of the attachments is one node whose `/Kids` lists itself `times` times.
fn name_tree_listing_itself(times: usize) -> Vec<u8> {
    let kids = vec!["3 0 R"; times].join(" ");
    pdf(&[
        b"<</Type/Catalog/Pages 4 0 R/Names 2 0 R>>".to_vec(),
        b"<</EmbeddedFiles 3 0 R>>".to_vec(),
        format!("<</Kids[{kids}]>>").into_bytes(),
        b"<</Type/Pages/Kids[]/Count 0>>".to_vec(),
    ])
}

#[test]
fn a_name_tree_listing_itself_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    for times in [4, 50] {
        let bytes = name_tree_listing_itself(times);
        let name = format!("loop{times}.pdf");
        save(dir.path(), &name, &bytes);
        refused(dir.path(), &["check", &name], "添付されていない");
    }
    assert!(name_tree_listing_itself(4).len() < 500);
}

/// zlib bytes that inflate to `len` zeros: [`deflate_run`] in zlib's wrapper (the Adler-32 of
/// zeros is 1 and `len` modulo 65521).
fn zeros_deflated(len: u64) -> Vec<u8> {
    let mut z = vec![0x78, 0x01];
    z.extend(deflate_run(b"", 0, len, b""));
    let adler = (((len % 65521) as u32) << 16) | 1;
    z.extend_from_slice(&adler.to_be_bytes());
    z
}

#[test]
fn object_streams_inflating_beyond_the_budget_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = zeros_deflated(200 << 20);
    let mut objects = vec![
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[]/Count 0>>".to_vec(),
    ];
    for _ in 0..10 {
        objects.push(stream("/Type/ObjStm/N 1/First 4/Filter/FlateDecode", &bomb));
    }
    let bytes = pdf(&objects);
    // Fixed Huffman codes take 13 MB where zlib's best would take 2 MB: the same streams.
    assert!(bytes.len() < 16 << 20, "{} bytes", bytes.len());
    save(dir.path(), "bomb.pdf", &bytes);
    refused(dir.path(), &["check", "bomb.pdf"], "展開すると大きすぎます");
    // Found in a folder, where a PDF the reader refuses is looked at again (is it secform's own
    // merged PDF?): within the same caps, one failed file, never gigabytes.
    {
        let args = ["check", "."];
        let r = run(dir.path(), &args);
        assert_eq!(r.code, 1, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            format!("{}{}", r.stdout, r.stderr).contains("bomb.pdf"),
            "{args:?}: {}{}",
            r.stdout,
            r.stderr
        );
        bounded(&args, &r);
    }
}

#[test]
fn object_streams_beyond_the_whole_files_budget_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Each within the cap of one stream (512 KB), 20 MB together.
    let piece = zeros_deflated(500 << 10);
    let mut objects = vec![
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[]/Count 0>>".to_vec(),
    ];
    for _ in 0..40 {
        objects.push(stream(
            "/Type/ObjStm/N 1/First 4/Filter/FlateDecode",
            &piece,
        ));
    }
    save(dir.path(), "many.pdf", &pdf(&objects));
    refused(dir.path(), &["check", "many.pdf"], "展開すると大きすぎます");
}

#[test]
fn a_pdf_of_too_many_objects_or_updates_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut objects = vec![
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[]/Count 0>>".to_vec(),
    ];
    objects.extend(std::iter::repeat_n(b"null".to_vec(), 150_000));
    save(dir.path(), "objects.pdf", &pdf(&objects));
    refused(
        dir.path(),
        &["check", "objects.pdf"],
        "オブジェクトが多すぎます",
    );

    // Twenty incremental updates, each a cross-reference section pointing at the one before.
    let mut bytes = name_tree_listing_itself(1);
    let mut prev = String::from_utf8_lossy(&bytes)
        .rsplit_once("startxref\n")
        .map(|(_, rest)| rest.trim_end_matches("\n%%EOF\n").to_string())
        .unwrap();
    for _ in 0..20 {
        let at = bytes.len();
        write!(
            bytes,
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 5/Root 1 0 R/Prev {prev}>>\nstartxref\n{at}\n%%EOF\n"
        )
        .unwrap();
        prev = at.to_string();
    }
    save(dir.path(), "updates.pdf", &bytes);
    refused(
        dir.path(),
        &["check", "updates.pdf"],
        "相互参照の更新が多すぎます",
    );
}

/// A secform PDF of the sample, its attached answers replaced by `json` (plain, or as given).
fn with_attachment(edit: impl Fn(&mut lopdf::Stream)) -> Vec<u8> {
    let value = common::sample("main-contractor.json");
    let bytes = common::render(&value);
    let mut doc = lopdf::Document::load_mem(&bytes).unwrap();
    let ids: Vec<lopdf::ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_stream()
                .is_ok_and(|s| s.dict.has_type(b"EmbeddedFile"))
        })
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(ids.len(), 1, "one attachment");
    let stream = doc.get_object_mut(ids[0]).unwrap().as_stream_mut().unwrap();
    edit(stream);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn an_attachment_too_large_is_named_as_such_not_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = with_attachment(|s| {
        s.dict
            .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
        s.dict.remove(b"DecodeParms");
        s.set_content(zeros_deflated(5 << 20));
    });
    save(dir.path(), "big.pdf", &bytes);
    let r = refused(dir.path(), &["check", "big.pdf"], "大きすぎます");
    assert!(!r.stderr.contains("添付されていない"), "{}", r.stderr);
}

#[test]
fn a_seal_image_path_in_a_received_pdf_is_dropped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = common::sample("main-contractor.json");
    value["seal"] = serde_json::json!({"image": "印影.png", "mark": true});
    let json = serde_json::to_vec_pretty(&value).unwrap();
    let bytes = with_attachment(|s| s.set_plain_content(json.clone()));
    save(dir.path(), "received.pdf", &bytes);
    // The receiver's own seal beside the received file: it must not be stamped.
    std::fs::copy(
        common::root().join("samples/seal.png"),
        dir.path().join("印影.png"),
    )
    .unwrap();
    let r = run(dir.path(), &["render", "received.pdf", "-o", "out.pdf"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    bounded(&["render"], &r);
    assert!(r.stderr.contains("seal.image"), "{}", r.stderr);
    assert!(r.stderr.contains("印影.png"), "{}", r.stderr);
    let out = lopdf::Document::load(dir.path().join("out.pdf")).unwrap();
    let images = out
        .objects
        .values()
        .filter(|o| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Subtype").ok() == Some(&lopdf::Object::Name(b"Image".to_vec()))
            })
        })
        .count();
    assert_eq!(images, 0, "the receiver's 印影.png was stamped");
    // The answers it carries keep the mark and name no file.
    let back =
        secform::input::pdf::read(&std::fs::read(dir.path().join("out.pdf")).unwrap()).unwrap();
    let back: Value = serde_json::from_str(&back).unwrap();
    assert_eq!(back["seal"], serde_json::json!({"mark": true}));
    // check says the same.
    let r = run(dir.path(), &["check", "received.pdf"]);
    assert!(r.stdout.contains("警告: 印影 [seal.image]"), "{}", r.stdout);
}

// ---- Workbooks -------------------------------------------------------------------------------

fn layout() -> &'static FormSpec {
    FormSpec::get("npa-2022").unwrap()
}

/// The sample's workbook, as `init`/`convert` write it.
fn workbook() -> Vec<u8> {
    let mut v = common::sample("main-contractor.json");
    v.as_object_mut().unwrap().remove("seal");
    secform::export::workbook::write(layout(), &v).unwrap()
}

/// One entry of a zip written by hand: its name, its bytes as stored, how (0 stored, 8 deflate),
/// its CRC and inflated size.
struct Entry {
    name: String,
    data: Vec<u8>,
    method: u16,
    crc: u32,
    size: u64,
}

/// The entries of `xlsx`, stored, with `edit` applied to each part's text by name.
fn entries(xlsx: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<Entry> {
    use std::io::Read as _;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let name = file.name().to_string();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            let data = edit(&name, bytes);
            Entry {
                crc: crc32fast::hash(&data),
                size: data.len() as u64,
                method: 0,
                data,
                name,
            }
        })
        .collect()
}

/// A zip of `entries` (no zip64: every size below 4 GB).
fn zip_of(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
            h.extend_from_slice(&e.method.to_le_bytes());
            h.extend_from_slice(&0u32.to_le_bytes()); // time, date
            h.extend_from_slice(&e.crc.to_le_bytes());
            h.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(e.size as u32).to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                h.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(e.name.as_bytes());
            h
        };
        out.extend(header(0x04034b50, false));
        out.extend_from_slice(&e.data);
        central.extend(header(0x02014b50, true));
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The answer sheet's part of the sample workbook with one more cell, holding `x`, at `at`
/// (`XFD1048576`), in a row of its own at the end.
fn with_far_cell(at: &str) -> Vec<u8> {
    let row: String = at.chars().filter(char::is_ascii_digit).collect();
    let cell = format!(r#"<row r="{row}"><c r="{at}" t="inlineStr"><is><t>x</t></is></c></row>"#);
    let parts = entries(&workbook(), |name, bytes| {
        if name != "xl/worksheets/sheet1.xml" {
            return bytes;
        }
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("</sheetData>"));
        text.replacen("</sheetData>", &format!("{cell}</sheetData>"), 1)
            .into_bytes()
    });
    zip_of(&parts)
}

#[test]
fn a_cell_far_away_costs_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    for at in ["XFD1048576", "XFD2000"] {
        let bytes = with_far_cell(at);
        let name = format!("{at}.xlsx");
        save(dir.path(), &name, &bytes);
        let r = run(dir.path(), &["convert", &name, "-o", "back.json"]);
        // Read as the answers it holds: the far cell is not one of them.
        assert_eq!(r.code, 0, "{at}: {}", r.stderr);
        bounded(&[at], &r);
        let back: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("back.json")).unwrap()).unwrap();
        let sample = common::sample("main-contractor.json");
        assert_eq!(back["target"], sample["target"], "{at}");
        assert_eq!(back["items"]["7"], sample["items"]["7"], "{at}");
    }
}

/// raw deflate (fixed Huffman codes) of `prefix`, `run` bytes `byte`, then `suffix`: a run costs
/// 13 bits per 258 bytes, so 600 MB take about 4 MB, written in a moment.
fn deflate_run(prefix: &[u8], byte: u8, run: u64, suffix: &[u8]) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, bits: u32) {
            self.acc |= value << self.n;
            self.n += bits;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u32, bits: u32) {
            let reversed = code.reverse_bits() >> (32 - bits);
            self.put(reversed as u64, bits);
        }
        fn literal(&mut self, b: u8) {
            if b < 144 {
                self.code(0x30 + b as u32, 8);
            } else {
                self.code(0x190 + (b as u32 - 144), 9);
            }
        }
    }
    let mut w = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    w.put(1, 1); // the last block
    w.put(1, 2); // fixed codes
    for &b in prefix {
        w.literal(b);
    }
    w.literal(byte);
    let mut left = run - 1;
    // Length 258 is code 285 (8 bits, 11000101), distance 1 is code 0 (5 bits).
    while left >= 258 {
        w.code(0b1100_0101, 8);
        w.code(0, 5);
        left -= 258;
    }
    for _ in 0..left {
        w.literal(byte);
    }
    for &b in suffix {
        w.literal(b);
    }
    w.code(0, 7); // end of block
    w.put(0, 7);
    w.out
}

#[test]
fn shared_strings_inflating_to_600_mb_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run_len: u64 = 600 << 20;
    let prefix = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#;
    let suffix = b"</t></si></sst>";
    let mut parts = entries(&workbook(), |_, b| b);
    let strings = parts
        .iter_mut()
        .find(|e| e.name == "xl/sharedStrings.xml")
        .expect("the sample's workbook has shared strings");
    let mut crc = crc32fast::Hasher::new();
    crc.update(prefix);
    let piece = vec![b'a'; 1 << 20];
    for _ in 0..(run_len >> 20) {
        crc.update(&piece);
    }
    crc.update(suffix);
    strings.data = deflate_run(prefix, b'a', run_len, suffix);
    strings.method = 8;
    strings.crc = crc.finalize();
    strings.size = prefix.len() as u64 + run_len + suffix.len() as u64;
    let bytes = zip_of(&parts);
    assert!(bytes.len() < 8 << 20, "{} bytes", bytes.len());
    save(dir.path(), "strings.xlsx", &bytes);
    refused(dir.path(), &["check", "strings.xlsx"], "大きすぎます");
}

#[test]
fn a_claimed_count_of_shared_strings_is_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let parts = entries(&workbook(), |name, bytes| {
        if name != "xl/sharedStrings.xml" {
            return bytes;
        }
        let text = String::from_utf8(bytes).unwrap();
        let at = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + text[at..].find('"').unwrap();
        format!("{}{}{}", &text[..at], "1000000000000", &text[end..]).into_bytes()
    });
    save(dir.path(), "count.xlsx", &zip_of(&parts));
    refused(dir.path(), &["check", "count.xlsx"], "共有文字列の数");
}

#[test]
fn a_hostile_workbook_is_one_failed_entry_of_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("forms");
    std::fs::create_dir(&forms).unwrap();
    save(&forms, "a_hostile.pdf", &name_tree_listing_itself(50));
    // A workbook claiming 10^12 shared strings (calamine reserved room for them: an abort).
    let claims = entries(&workbook(), |name, bytes| {
        if name != "xl/sharedStrings.xml" {
            return bytes;
        }
        let text = String::from_utf8(bytes).unwrap();
        text.replacen("uniqueCount=\"", "uniqueCount=\"1000000000000", 1)
            .into_bytes()
    });
    save(&forms, "c_hostile.xlsx", &zip_of(&claims));
    let mut v = common::sample("main-contractor.json");
    v.as_object_mut().unwrap().remove("seal");
    save(&forms, "b_good.json", v.to_string().as_bytes());
    let r = run(dir.path(), &["batch", "forms", "--out-dir", "out"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    bounded(&["batch"], &r);
    assert!(r.stderr.contains("a_hostile.pdf"), "{}", r.stderr);
    assert!(r.stderr.contains("c_hostile.xlsx"), "{}", r.stderr);
    let made: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
}

#[test]
fn a_shared_formula_is_expanded_only_where_secform_reads() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = workbook();
    let read = secform::input::workbook::read(layout(), &bytes).unwrap();
    let at = read.cells["items.7.detail"]
        .rsplit_once('!')
        .unwrap()
        .1
        .to_string();
    // A formula of 1 MB shared by 50,000 cells (50 GB expanded in each), one an answer cell.
    let formula = "A1+".repeat(1 << 18) + "A1";
    let parts = entries(&bytes, |name, part| {
        if name != "xl/worksheets/sheet1.xml" {
            return part;
        }
        let mut text = String::from_utf8(part).unwrap();
        let row1 = text.find("<row r=\"1\"").unwrap();
        let end = row1 + text[row1..].find("</row>").unwrap();
        text.insert_str(
            end,
            &format!(r#"<c r="ZZ1"><f t="shared" ref="ZZ1:ZZ2" si="0">{formula}</f><v>0</v></c>"#),
        );
        let start = text.find(&format!("<c r=\"{at}\"")).unwrap();
        let close = start + text[start..].find("</c>").unwrap() + 4;
        text.replace_range(
            start..close,
            &format!(r#"<c r="{at}" t="str"><f t="shared" si="0"/><v>x</v></c>"#),
        );
        let derived: String = (0..50_000)
            .map(|i| {
                format!(
                    r#"<row r="{}"><c r="A{0}"><f t="shared" si="0"/></c></row>"#,
                    100_000 + i
                )
            })
            .collect();
        text.replacen("</sheetData>", &format!("{derived}</sheetData>"), 1)
            .into_bytes()
    });
    save(dir.path(), "formula.xlsx", &zip_of(&parts));
    let r = refused(dir.path(), &["check", "formula.xlsx"], "");
    assert!(
        r.stdout.contains(&format!(
            "2 確認事項 7 実施状況(詳細)又は未実施の理由（確認書!{at}）: 数式は使えません"
        )),
        "{}",
        r.stdout
    );
}
