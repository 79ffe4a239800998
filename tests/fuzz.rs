//! Robustness (issue 5): whatever comes in goes through parse → check → render without a panic, and
//! whatever is rendered stays on the page.
//!
//! - Arbitrary bytes, arbitrary strings, JSON-looking token soup and mangled copies of the sample
//!   (keys dropped or renamed, values of other types, unicode the font lacks, control characters,
//!   huge numbers, deep nesting, truncation, a BOM): never a panic; every `Problem` has a non-empty
//!   ASCII path and a message; and `check` and rendering agree (an answer set `check` passes is
//!   rendered).
//! - Arbitrary well-formed answer sets (kanji, kana, 禁則 characters, ASCII words, spaces,
//!   newlines, tabs, unbreakable ASCII runs of up to 300 characters, runs of spaces then closing
//!   marks, details of up to 2,500 characters, any subset of the rows, ordered dates): rendered or
//!   refused with problems only; when laid out, every line is inside its box, every box, rule and
//!   image inside the printable area, no page is empty, no two lines overprint, and every answer
//!   is printed whole in its cell; a fraction is written as PDF too.
//! - Line breaking alone (text.rs), over runs of spaces, closing marks and kanji at any width:
//!   every line fits the width and no character is lost.
//! - `tests/fuzz-corpus/`: hand-made nasty inputs, each checked like the arbitrary ones.
//!
//! Cases per property: 32 by default, so that the debug `cargo test` stays quick; `PROPTEST_CASES`
//! overrides it (CI runs the release build with more). Failing seeds are saved to
//! `tests/fuzz.proptest-regressions` and replayed first on every run: commit that file.
//!
//! No hang: proptest's own `timeout` needs its `fork` feature, which is not enabled. Instead every
//! input is bounded in size (bytes ≤ 4 KiB, strings ≤ 4,096 characters, texts ≤ 2,500 characters
//! a field, ≤ 8 mutations of a sample, each nesting ≤ 300 levels), and each case runs under a
//! watchdog: one still running after [`CASE_LIMIT`] prints its input and aborts the test binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]
#![expect(
    clippy::print_stderr,
    reason = "the figures a run reports, beside its pass or fail"
)]

#[path = "it/common/mod.rs"]
#[expect(
    dead_code,
    reason = "the fuzz properties use a few of the shared helpers"
)]
mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, LazyLock};
use std::time::Duration;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use proptest::test_runner::{
    contextualize_config, Config, FileFailurePersistence, TestCaseError, TestRunner,
};
use secform::geometry::MM;
use secform::input::answers;
use secform::layout::document::{Document, Element, Rect};
use secform::spec::form::ColumnKey;
use secform::{rules, Charset, CheckOptions, Error, FormSpec, Problem, Renderer};
use serde_json::{json, Map, Value};

/// Cases per property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 32;

/// The longest one case may run: the slowest (26 answers of 2,500 characters, written as PDF)
/// takes well under a second in a release build and a few in a debug one; a hang takes forever.
const CASE_LIMIT: Duration = Duration::from_secs(120);

static RENDERER: LazyLock<Renderer> = LazyLock::new(common::renderer);

fn opts(charset: Charset) -> CheckOptions {
    CheckOptions {
        charset,
        ..common::opts()
    }
}

// ---------------------------------------------------------------------------------------------
// Running properties

/// proptest's configuration for one property: `cases` unless `PROPTEST_CASES` says otherwise, and
/// failures persisted beside this file (`tests/fuzz.proptest-regressions`).
fn config(name: &'static str, cases: u32) -> Config {
    // `Config::with_cases` and struct update both overwrite the `cases` that `Config::default()`
    // read from the environment; `contextualize_config` reads the environment again on top, as the
    // `proptest!` macro does, so that the variable wins.
    let mut config = contextualize_config(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    });
    config.source_file = Some(file!());
    config.test_name = Some(name);
    config
}

/// How a case ended (for the counts that show a property is not vacuous).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Refused with problems (fine: they were checked).
    Refused,
    /// Laid out (and checked).
    Rendered,
}

#[derive(Debug, Default)]
struct Counts {
    refused: AtomicUsize,
    rendered: AtomicUsize,
}

/// Runs `test` on values of `strategy`, each under the watchdog; panics with the minimal failing
/// input when the property fails.
fn run<S>(name: &'static str, strategy: S, test: fn(S::Value) -> CaseResult) -> Counts
where
    S: Strategy,
    S::Value: Clone + Debug + Send + 'static,
{
    let counts = Counts::default();
    let mut runner = TestRunner::new(config(name, DEFAULT_CASES));
    let result = runner.run(&strategy, |value| {
        let input = value.clone();
        match bounded(&value, move || test(input))? {
            Outcome::Refused => counts.refused.fetch_add(1, Ordering::Relaxed),
            Outcome::Rendered => counts.rendered.fetch_add(1, Ordering::Relaxed),
        };
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    eprintln!(
        "{name}: {} refused, {} rendered",
        counts.refused.load(Ordering::Relaxed),
        counts.rendered.load(Ordering::Relaxed)
    );
    counts
}

type CaseResult = Result<Outcome, TestCaseError>;

/// Runs `f` on its own thread and waits at most [`CASE_LIMIT`] for it; a panic comes back as a
/// panic, a case that never ends prints `input` and aborts (a hang must not hang the test run).
fn bounded<T: Send + 'static>(input: &dyn Debug, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn a worker thread");
    match rx.recv_timeout(CASE_LIMIT) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // Straight to the process's stderr: the test harness captures `eprintln!`, and what it
            // captured is lost when the process aborts.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "fuzz: a case ran for more than {CASE_LIMIT:?} (a hang?); its input:\n{input:#?}"
            );
            std::process::abort();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What must hold

/// Every problem says where (a non-empty ASCII JSON path) and what (a non-empty message).
fn problems_ok(problems: &[Problem]) -> Result<(), TestCaseError> {
    for p in problems {
        prop_assert!(
            !p.path.is_empty() && p.path.is_ascii(),
            "path {:?} is not a non-empty ASCII path: {p:?}",
            p.path
        );
        prop_assert!(!p.message.trim().is_empty(), "empty message: {p:?}");
    }
    Ok(())
}

fn has_error(problems: &[Problem]) -> bool {
    problems.iter().any(Problem::is_error)
}

/// Every line inside its box, every box, rule and image inside the printable area (itself on the
/// page), and no page without anything on it.
fn geometry(doc: &Document) -> Result<(), TestCaseError> {
    let content = doc.content;
    prop_assert!(!doc.pages.is_empty(), "no page");
    prop_assert!(
        Rect::new(0.0, 0.0, doc.width, doc.height).contains(&content),
        "printable area {content:?} leaves the page"
    );
    let point = |x: f32, y: f32| Rect::new(x, y, 0.0, 0.0);
    for (p, page) in doc.pages.iter().enumerate() {
        let p = p + 1;
        prop_assert!(
            !page.elements.is_empty(),
            "page {p} of {} is empty",
            doc.pages.len()
        );
        if let Some(header) = page.table_header {
            prop_assert!(content.contains(&header), "page {p}: header row {header:?}");
        }
        for e in &page.elements {
            match e {
                Element::Text(t) => {
                    prop_assert!(
                        t.container.contains(&t.extent),
                        "page {p}: {:?} ({:?}) leaves its box {:?}",
                        t.line.text,
                        t.extent,
                        t.container
                    );
                    prop_assert!(
                        content.contains(&t.container),
                        "page {p}: the box {:?} of {:?} leaves the printable area {content:?}",
                        t.container,
                        t.line.text
                    );
                }
                Element::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    prop_assert!(
                        content.contains(&point(*x1, *y1)) && content.contains(&point(*x2, *y2)),
                        "page {p}: rule ({x1}, {y1})–({x2}, {y2}) leaves {content:?}"
                    );
                    prop_assert!(width.is_finite() && *width > 0.0, "rule width {width}");
                }
                Element::Image { rect, .. } => {
                    prop_assert!(content.contains(rect), "page {p}: image {rect:?}")
                }
            }
        }
    }
    Ok(())
}

/// No two lines of text overprint each other (their extents, ascent to descent, do not meet).
fn no_overprinting(doc: &Document) -> Result<(), TestCaseError> {
    for (p, page) in doc.pages.iter().enumerate() {
        let texts: Vec<_> = page.texts().filter(|t| t.extent.w > 0.0).collect();
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                let (e, f) = (a.extent, b.extent);
                let meet = e.x < f.right() - 0.01
                    && f.x < e.right() - 0.01
                    && e.y < f.bottom() - 0.01
                    && f.y < e.bottom() - 0.01;
                prop_assert!(
                    !meet,
                    "page {}: {:?} {e:?} overprints {:?} {f:?}",
                    p + 1,
                    a.line.text,
                    b.line.text
                );
            }
        }
    }
    Ok(())
}

/// Every printed answer (as `rules::resolve` gives it) appears whole in the detail column, in row
/// order: no line lost, doubled or moved when a row is split over pages. Spaces are left out of
/// the comparison (a soft break swallows the spaces it falls on).
fn details_printed_whole(doc: &Document, a: &secform::AnswerSet) -> Result<(), TestCaseError> {
    let form = FormSpec::get(&a.layout).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let pad = form.items.cell_padding_mm * MM;
    let mut x = doc.content.x;
    for col in &form.items.columns {
        if col.key == ColumnKey::Detail {
            break;
        }
        x += col.width_mm * MM;
    }
    let cell_x = x + pad;
    let strip = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let mut column = String::new();
    for page in &doc.pages {
        for t in page.texts() {
            let in_header = page.table_header.is_some_and(|h| h.contains(&t.container));
            if (t.container.x - cell_x).abs() < 0.01 && !in_header {
                column.push_str(&strip(&t.line.text));
            }
        }
    }
    let resolved = rules::resolve(a, form);
    let mut from = 0;
    for (n, item) in &resolved.items {
        let detail = strip(&item.detail);
        if detail.is_empty() {
            continue;
        }
        match column[from..].find(&detail) {
            Some(at) => from += at + detail.len(),
            None => {
                return Err(TestCaseError::fail(format!(
                    "row {n}: the answer is not printed whole in its cell (or out of order)"
                )))
            }
        }
    }
    Ok(())
}

/// parse → check → lay out (→ PDF) for JSON text from anywhere: no panic, sound problems, and
/// `check` agrees with rendering.
fn robust(json: &str, charset: Charset, pdf: bool) -> CaseResult {
    let r = &*RENDERER;
    let opts = opts(charset);
    let checked = r.check(json, &opts);
    problems_ok(&checked)?;
    let a = match answers::parse(json) {
        Err(problems) => {
            problems_ok(&problems)?;
            prop_assert!(!problems.is_empty(), "parse failed without a problem");
            prop_assert!(has_error(&checked), "check passes what parse refuses");
            prop_assert!(
                matches!(r.render_json(json, &opts), Err(Error::Invalid(_))),
                "render_json does not refuse what parse refuses"
            );
            return Ok(Outcome::Refused);
        }
        Ok(a) => a,
    };
    prop_assert_eq!(
        &r.assess_answers(a.clone(), &opts).problems().to_vec(),
        &checked
    );
    let rendered = match r.form_document(&a, &opts) {
        Ok(rendered) => rendered,
        Err(Error::Invalid(problems)) => {
            problems_ok(&problems)?;
            prop_assert!(!problems.is_empty(), "refused without a problem");
            prop_assert!(
                has_error(&checked),
                "check finds no error but rendering refuses: {problems:?}"
            );
            return Ok(Outcome::Refused);
        }
        Err(e) => return Err(TestCaseError::fail(format!("not Error::Invalid: {e:?}"))),
    };
    prop_assert!(!has_error(&checked), "rendered although check finds errors");
    problems_ok(&rendered.warnings)?;
    prop_assert!(
        !has_error(&rendered.warnings),
        "an error among the warnings"
    );
    geometry(&rendered.document)?;
    no_overprinting(&rendered.document)?;
    details_printed_whole(&rendered.document, &a)?;
    if pdf {
        let bytes = r
            .pdf(&rendered.document)
            .map_err(|e| TestCaseError::fail(format!("PDF: {e}")))?;
        prop_assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    }
    Ok(Outcome::Rendered)
}

// ---------------------------------------------------------------------------------------------
// Arbitrary input

/// Characters that have broken parsers and layouts elsewhere: controls, invisible and bidi marks,
/// non-characters, what the font lacks, JSON's own syntax, 禁則 characters, odd spaces.
const NASTY: &str = "\0\t\n\r\u{8}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{a0}\u{ad}\u{200b}\u{200d}\u{2028}\u{2029}\u{202e}\u{2060}\u{3000}\u{fe0f}\u{feff}\u{fffd}\u{ffff}\u{e000}\u{10ffff}\u{301}\u{1680}𠮷😀👨‍👩‍👧🇯🇵\"\\/{}[]:,、。「」（）ーャッ々〆※ｱﾞ①㍻髙﨑";

fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => select(NASTY.chars().collect::<Vec<_>>()),
        2 => form_char(),
    ]
}

/// A string of up to `max` characters, sometimes one character repeated.
fn nasty_string(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => vec(nasty_char(), 0..max).prop_map(String::from_iter),
        1 => (nasty_char(), 0..max).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

/// Object keys: the known ones, near misses, row numbers in and out of range, other ASCII, and
/// keys no ASCII path can spell (empty, Japanese, control characters): paths must stay ASCII.
fn key() -> impl Strategy<Value = String> {
    const KNOWN: &[&str] = &[
        "layout",
        "target",
        "items",
        "checked_on",
        "checker",
        "dates",
        "circumstances",
        "seal",
        "company",
        "subcontractor",
        "department",
        "contract_start",
        "previous_check",
        "status",
        "detail",
        "title",
        "name",
        "onsite",
        "incident",
        "image",
        "mark",
        "$comment",
        "compnay",
        "Status",
        "0",
        "1",
        "26",
        "27",
        "01",
        "+1",
        "-1",
        "1.0",
        "4294967296",
        "18446744073709551617",
    ];
    prop_oneof![
        3 => select(KNOWN).prop_map(str::to_string),
        1 => "[ -~]{1,12}",
        1 => prop_oneof![Just(String::new()), Just("事業者名".to_string()), "\\PC{0,6}"],
    ]
}

/// Date-like strings, right and wrong.
fn date_string() -> impl Strategy<Value = String> {
    const DATES: &[&str] = &[
        "2025-04-01",
        "2025-02-30",
        "2024-02-29",
        "0000-01-01",
        "9999-12-31",
        "2025-13-01",
        "2025-4-1",
        "令和7年4月1日",
        "令和元年4月30日",
        "令和0年5月1日",
        "平成31年5月1日",
        "昭和64年1月8日",
        "R7.4.1",
        "R99.99.99",
        "H1.1.7",
        "Ｒ７．４．１",
        "２０２５－０４－０１",
        "令和７年１２月３１日",
        "R元.5.1",
        "令和99999999999999999999年1月1日",
    ];
    prop_oneof![
        3 => select(DATES).prop_map(str::to_string),
        1 => "[0-9R元令和平成年月日./ -]{0,16}",
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        nasty_string(64).prop_map(Value::String),
        date_string().prop_map(Value::String),
        select(
            &[
                "実施",
                "未実施",
                "auto",
                "wareki",
                "western",
                "npa-2022",
                ""
            ][..]
        )
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Raw JSON tokens a `serde_json::Value` cannot hold or that break the text around them.
const RAW: &[&str] = &[
    "1e999",
    "-1e999",
    "123456789012345678901234567890",
    "-123456789012345678901234567890",
    "0.000000000000000000000000000000000000000000000000001",
    "-0",
    "1E+400",
    "NaN",
    "Infinity",
    "tru",
    "nul",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"\\u0000\"",
    "\"\\x41\"",
    "'single'",
    "[",
    "{",
    "]]]",
    "\"unterminated",
    "0x1F",
    "01",
    "{\"a\":1,\"a\":2}",
];

/// One change to an answer set's JSON.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the node (an object member or array element).
    Drop,
    /// Put another value, of any type, in its place.
    Replace(Value),
    /// Put a string in its place.
    Text(String),
    /// Rename an object member.
    Rename(String),
    /// Add a member to the node if it is an object.
    Insert(String, Value),
    /// Wrap the node in this many arrays.
    Nest(usize),
    /// Put a raw token of `RAW` in its place in the text.
    Raw(&'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::Drop),
        3 => json_value().prop_map(Mutation::Replace),
        4 => nasty_string(200).prop_map(Mutation::Text),
        1 => date_string().prop_map(Mutation::Text),
        2 => key().prop_map(Mutation::Rename),
        2 => (key(), json_value()).prop_map(|(k, v)| Mutation::Insert(k, v)),
        1 => (1usize..300).prop_map(Mutation::Nest),
        2 => select(RAW).prop_map(Mutation::Raw),
    ]
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    At(usize),
}

/// The path of every node of `v` but the root.
fn node_paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                here.push(Step::Key(k.clone()));
                out.push(here.clone());
                node_paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(Step::At(i));
                out.push(here.clone());
                node_paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'v>(v: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::At(i) => v.get_mut(*i),
    })
}

/// Applies `mutations` to `value`, each at a node chosen by its `Index`; raw tokens are put in
/// as markers and returned for the text.
fn mutate(value: &mut Value, mutations: &[(Index, Mutation)]) -> Vec<(String, &'static str)> {
    let mut raws = Vec::new();
    for (i, (at, m)) in mutations.iter().enumerate() {
        let mut paths = Vec::new();
        node_paths(value, &mut Vec::new(), &mut paths);
        if paths.is_empty() {
            if let Mutation::Replace(v) = m {
                *value = v.clone();
            }
            continue;
        }
        let path = &paths[at.index(paths.len())];
        let (last, parent_path) = path.split_last().expect("not the root");
        match m {
            Mutation::Drop | Mutation::Rename(_) => {
                let Some(parent) = node_mut(value, parent_path) else {
                    continue;
                };
                let removed = match (parent, last) {
                    (Value::Object(map), Step::Key(k)) => map.shift_remove(k),
                    (Value::Array(items), Step::At(i)) => Some(items.remove(*i)),
                    _ => None,
                };
                if let (Some(v), Mutation::Rename(k), Some(Value::Object(map))) =
                    (removed, m, node_mut(value, parent_path))
                {
                    map.insert(k.clone(), v);
                }
            }
            _ => {
                let Some(node) = node_mut(value, path) else {
                    continue;
                };
                match m {
                    Mutation::Replace(v) => *node = v.clone(),
                    Mutation::Text(s) => *node = Value::String(s.clone()),
                    Mutation::Insert(k, v) => {
                        if let Value::Object(map) = node {
                            map.insert(k.clone(), v.clone());
                        }
                    }
                    Mutation::Nest(depth) => {
                        for _ in 0..*depth {
                            *node = Value::Array(vec![node.take()]);
                        }
                    }
                    Mutation::Raw(token) => {
                        let marker = format!("@@raw-{i}@@");
                        *node = Value::String(marker.clone());
                        raws.push((format!("\"{marker}\""), *token));
                    }
                    Mutation::Drop | Mutation::Rename(_) => unreachable!(),
                }
            }
        }
    }
    raws
}

/// A mangled copy of a sample, as JSON text.
#[derive(Debug, Clone)]
struct Mangled {
    sample: &'static str,
    mutations: Vec<(Index, Mutation)>,
    pretty: bool,
    /// Cut the text at this character.
    truncate: Option<Index>,
    bom: bool,
    charset: Charset,
    pdf: bool,
}

impl Mangled {
    fn text(&self) -> String {
        let mut value = common::sample(self.sample);
        let raws = mutate(&mut value, &self.mutations);
        let mut text = if self.pretty {
            serde_json::to_string_pretty(&value).expect("a Value serializes")
        } else {
            value.to_string()
        };
        for (marker, token) in raws {
            text = text.replace(&marker, token);
        }
        if let Some(at) = &self.truncate {
            let n = text.chars().count();
            text = text.chars().take(at.index(n + 1)).collect();
        }
        if self.bom {
            text.insert(0, '\u{feff}');
        }
        text
    }
}

fn charset() -> impl Strategy<Value = Charset> {
    prop_oneof![3 => Just(Charset::Any), 1 => Just(Charset::Jis0208)]
}

fn mangled() -> impl Strategy<Value = Mangled> {
    (
        select(&["main-contractor.json", "subcontractor.json"][..]),
        prop_oneof![
            2 => vec((any::<Index>(), mutation()), 0..3),
            1 => vec((any::<Index>(), mutation()), 0..8),
        ],
        any::<bool>(),
        prop::option::weighted(0.1, any::<Index>()),
        prop::bool::weighted(0.05),
        charset(),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(sample, mutations, pretty, truncate, bom, charset, pdf)| Mangled {
                sample,
                mutations,
                pretty,
                truncate,
                bom,
                charset,
                pdf,
            },
        )
}

/// Text made of JSON's own tokens and the answer set's words, so that much of it nearly parses.
fn token_soup() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "\n",
        "\"",
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1e999",
        "\"layout\"",
        "\"npa-2022\"",
        "\"target\"",
        "\"company\"",
        "\"items\"",
        "\"1\"",
        "\"26\"",
        "\"status\"",
        "\"実施\"",
        "\"未実施\"",
        "\"detail\"",
        "\"checked_on\"",
        "\"2026-04-10\"",
        "\"checker\"",
        "\"name\"",
        "\"contract_start\"",
        "\"2025-04-01\"",
        "\"seal\"",
        "\"mark\"",
        "\\",
        "\\u",
        "\\ud800",
        "\u{feff}",
        "\0",
        "𠮷",
    ];
    vec(select(TOKENS), 0..200).prop_map(|t| t.concat())
}

#[test]
fn arbitrary_bytes_never_panic() {
    run(
        "arbitrary_bytes_never_panic",
        vec(any::<u8>(), 0..4096),
        |bytes| robust(&String::from_utf8_lossy(&bytes), Charset::Any, false),
    );
}

#[test]
fn arbitrary_strings_never_panic() {
    run(
        "arbitrary_strings_never_panic",
        prop_oneof![nasty_string(4096), token_soup()],
        |text| robust(&text, Charset::Any, false),
    );
}

#[test]
fn mangled_answer_sets_never_panic_and_what_renders_stays_on_the_page() {
    run(
        "mangled_answer_sets_never_panic_and_what_renders_stays_on_the_page",
        mangled(),
        |m| robust(&m.text(), m.charset, m.pdf),
    );
}

/// Parsed values go straight to `from_value` too (the batch path), deep nesting included.
#[test]
fn mangled_values_never_panic_in_from_value() {
    run(
        "mangled_values_never_panic_in_from_value",
        vec((any::<Index>(), mutation()), 0..8),
        |mutations| {
            let mut value = common::sample("main-contractor.json");
            mutate(&mut value, &mutations);
            match answers::from_value(&value) {
                Err(problems) => {
                    problems_ok(&problems)?;
                    prop_assert!(!problems.is_empty());
                    Ok(Outcome::Refused)
                }
                Ok(a) => match RENDERER.form_document(&a, &opts(Charset::Any)) {
                    Ok(r) => geometry(&r.document).map(|()| Outcome::Rendered),
                    Err(Error::Invalid(problems)) => {
                        problems_ok(&problems)?;
                        Ok(Outcome::Refused)
                    }
                    Err(e) => Err(TestCaseError::fail(format!("not Error::Invalid: {e:?}"))),
                },
            }
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Well-formed answer sets

/// Hiragana, katakana and the kanji the bundled font has.
static KANA: LazyLock<Vec<char>> = LazyLock::new(|| drawable(&[('\u{3041}', '\u{3096}')]));
static KATAKANA: LazyLock<Vec<char>> =
    LazyLock::new(|| drawable(&[('\u{30a1}', '\u{30fa}'), ('\u{30fc}', '\u{30fc}')]));
static KANJI: LazyLock<Vec<char>> = LazyLock::new(|| drawable(&[('\u{4e00}', '\u{9fff}')]));

fn drawable(ranges: &[(char, char)]) -> Vec<char> {
    let fonts = RENDERER.fonts();
    let chars: Vec<char> = ranges
        .iter()
        .flat_map(|&(a, b)| a..=b)
        .filter(|&c| fonts.glyph(c).is_some())
        .collect();
    assert!(!chars.is_empty(), "the font draws none of {ranges:?}");
    chars
}

/// A character of Japanese running text the font has.
fn form_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => select(KANJI.clone()),
        3 => select(KANA.clone()),
        2 => select(KATAKANA.clone()),
    ]
}

/// A piece of running text: a run of kana and kanji, a 禁則 character, an ASCII word, a space or
/// line break, a long unbreakable ASCII run, or a run of spaces then closing marks (text.rs pulls
/// the marks back across the spaces at a break).
fn piece() -> impl Strategy<Value = String> {
    const MARKS: &[&str] = &[
        "、", "。", "「", "」", "（", "）", "ー", "ャ", "ュ", "ョ", "ッ", "ァ", "ゃ", "っ", "・",
        "：", "『", "』", "【", "】", "〜", "？", "！", "％", "々", "(", ")", ",", ".",
    ];
    const WORDS: &[&str] = &[
        "JPCERT/CC",
        "ISMS",
        "OS",
        "VPN",
        "USB",
        "2025",
        "12",
        "No.3",
        "e-mail",
        "Windows 11",
        "ver.2.1",
        "https://www.example.jp/security/policy?id=1&x=2",
        "ＩＳＯ／ＩＥＣ２７００１",
        "１２３",
        "ｱｲｳｴｵ",
    ];
    const SPACES: &[&str] = &[" ", "  ", "\u{3000}", "\n", "\n\n", "\t"];
    const RUN_SPACES: &[char] = &[' ', '\u{3000}'];
    const ALNUM: &[char] = &[
        'a', 'b', 'c', 'x', 'y', 'z', 'A', 'M', 'W', 'Z', '0', '1', '7', '9', '_', '-', '/',
    ];
    prop_oneof![
        10 => vec(form_char(), 1..16).prop_map(String::from_iter),
        4 => select(MARKS).prop_map(str::to_string),
        3 => select(WORDS).prop_map(str::to_string),
        3 => select(SPACES).prop_map(str::to_string),
        1 => vec(select(ALNUM), 1..=300).prop_map(String::from_iter),
        1 => (vec(select(RUN_SPACES), 1..=60), vec(select(CLOSING), 1..=40))
            .prop_map(|(spaces, marks)| spaces.into_iter().chain(marks).collect()),
    ]
}

/// Marks no line may start with, the ones running text has most.
const CLOSING: &[char] = &['。', '、', '」', '）', 'ー', 'ッ', '』'];

/// Text of up to `pieces` pieces, cut to `max_chars` characters.
fn text(pieces: usize, max_chars: usize) -> impl Strategy<Value = String> {
    vec(piece(), 0..=pieces).prop_map(move |p| p.concat().chars().take(max_chars).collect())
}

/// Text that is not blank.
fn filled(pieces: usize, max_chars: usize, prefix: &'static str) -> impl Strategy<Value = String> {
    text(pieces, max_chars).prop_map(move |s| {
        if s.trim().is_empty() {
            format!("{prefix}{s}")
        } else {
            s
        }
    })
}

/// An answer: 実施 with any detail, or 未実施 with a reason; details of up to 2,500 characters.
fn item() -> impl Strategy<Value = Value> {
    let detail = prop_oneof![
        6 => text(6, 2500),
        3 => text(40, 2500),
        1 => text(250, 2500),
    ];
    (prop::bool::weighted(0.8), detail).prop_map(|(done, detail)| {
        if done {
            json!({"status": "実施", "detail": detail})
        } else if detail.trim().is_empty() {
            json!({"status": "未実施", "detail": format!("対象外のため{detail}")})
        } else {
            json!({"status": "未実施", "detail": detail})
        }
    })
}

fn date(days: i64, wareki: bool) -> Value {
    let d = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(days as u64);
    if wareki {
        secform::model::wareki::format_date(d, secform::model::wareki::DateStyle::Wareki).into()
    } else {
        d.format("%Y-%m-%d").to_string().into()
    }
}

/// A well-formed answer set, as JSON.
fn well_formed() -> impl Strategy<Value = Value> {
    let company = prop_oneof![4 => filled(4, 200, "株式会社"), 1 => filled(30, 400, "株式会社")];
    let target = (
        company,
        prop::option::of(any::<bool>()),
        prop::option::of(filled(4, 120, "部")),
        (
            0i64..16_000,
            prop::option::weighted(0.7, 0i64..2_000),
            0i64..2_000,
        ),
        [any::<bool>(), any::<bool>(), any::<bool>()],
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(company, sub, department, (start, prev, after), wareki, suffix)| {
                let mut t = Map::new();
                let sub = sub.unwrap_or(false);
                let company = if sub && suffix {
                    format!("{company}(下請負者等)")
                } else {
                    company
                };
                t.insert("company".into(), company.into());
                if sub || suffix {
                    t.insert("subcontractor".into(), sub.into());
                }
                if let Some(d) = department {
                    t.insert("department".into(), d.into());
                }
                t.insert("contract_start".into(), date(start, wareki[0]));
                let prev = prev.map(|p| start + p);
                if let Some(p) = prev {
                    t.insert("previous_check".into(), date(p, wareki[1]));
                }
                let checked_on = date(prev.unwrap_or(start) + after, wareki[2]);
                (Value::Object(t), checked_on)
            },
        );
    let checker = (
        filled(4, 200, "株式会社"),
        prop::option::of(filled(3, 80, "総務部")),
        prop::option::of(filled(2, 40, "部長")),
        filled(3, 120, "山田"),
    )
        .prop_map(|(company, department, title, name)| {
            let mut c = Map::new();
            c.insert("company".into(), company.into());
            if let Some(d) = department {
                c.insert("department".into(), d.into());
            }
            if let Some(t) = title {
                c.insert("title".into(), t.into());
            }
            c.insert("name".into(), name.into());
            Value::Object(c)
        });
    let names = FormSpec::get("npa-2022").unwrap().circumstances();
    let count = names.len();
    let circumstances =
        prop::option::of(vec(prop::option::of(any::<bool>()), count)).prop_map(move |c| {
            c.map(|flags| {
                let map: Map<String, Value> = names
                    .iter()
                    .zip(flags)
                    .filter_map(|(k, f)| f.map(|f| (k.to_string(), f.into())))
                    .collect();
                Value::Object(map)
            })
        });
    (
        target,
        (
            prop_oneof![
                3 => subsequence((1u32..=26).collect::<Vec<_>>(), 0..=26),
                1 => Just((1u32..=26).collect::<Vec<_>>()),
            ],
            vec(item(), 26),
        )
            .prop_map(|(rows, items)| rows.into_iter().zip(items).collect::<BTreeMap<_, _>>()),
        checker,
        prop::option::of(select(&["wareki", "western"][..])),
        circumstances,
        prop::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(
            |((target, checked_on), items, checker, dates, circumstances, seal, layout)| {
                let mut a = Map::new();
                if layout {
                    a.insert("layout".into(), "npa-2022".into());
                }
                a.insert("target".into(), target);
                let items: BTreeMap<String, Value> =
                    items.into_iter().map(|(n, v)| (n.to_string(), v)).collect();
                a.insert("items".into(), json!(items));
                a.insert("checked_on".into(), checked_on);
                a.insert("checker".into(), checker);
                if let Some(d) = dates {
                    a.insert("dates".into(), d.into());
                }
                if let Some(c) = circumstances {
                    a.insert("circumstances".into(), c);
                }
                if let Some(mark) = seal {
                    a.insert("seal".into(), json!({ "mark": mark }));
                }
                conform(Value::Object(a))
            },
        )
}

/// Makes the rows agree with the form's rules, read from the layout's own conditions: rows that
/// always apply are answered, conditional rows answered exactly when they apply (or left to the
/// user where nothing decides), row 23 answered `auto` from the second check on.
fn conform(mut a: Value) -> Value {
    use secform::spec::form::Applies;
    let form = FormSpec::get("npa-2022").unwrap();
    let not_done = |a: &Value, r: u32| a["items"][r.to_string()]["status"] == "未実施";
    for row in &form.items.rows {
        let key = row.number.to_string();
        let applies = match &row.applies {
            None => (!row.optional).then_some(true),
            Some(Applies::AnyNotDone(rows)) => Some(rows.iter().any(|&r| not_done(&a, r))),
            Some(Applies::Circumstance(c)) => a["circumstances"][c.as_str()].as_bool(),
            Some(Applies::PreviousCheck(_)) => Some(a["target"].get("previous_check").is_some()),
        };
        let items = a["items"].as_object_mut().unwrap();
        match applies {
            Some(true) if row.one_year_rule.is_some() => {
                items.insert(key, json!({"status": "auto"}));
            }
            Some(true) if !items.contains_key(&key) => {
                items.insert(key, json!({"status": "実施", "detail": "確認した。"}));
            }
            Some(false) => {
                items.remove(&key);
            }
            _ => {}
        }
    }
    a
}

#[test]
fn well_formed_answer_sets_lay_out_inside_their_boxes() {
    let counts = run(
        "well_formed_answer_sets_lay_out_inside_their_boxes",
        (well_formed(), prop::bool::weighted(0.125)),
        |(value, pdf)| robust(&value.to_string(), Charset::Any, pdf),
    );
    // Rules may come to refuse some combinations; a strategy they refuse whole tests nothing.
    assert!(
        counts.rendered.load(Ordering::Relaxed) > 0,
        "no well-formed answer set was rendered: {counts:?}"
    );
}

/// One change that can only break the structure, never change what a field still read says: a key
/// misspelt, a value of the wrong type, an unknown key added.
#[derive(Debug, Clone)]
enum Breakage {
    Misspell,
    WrongType(Value),
    Stray(Value),
}

fn breakage() -> impl Strategy<Value = Breakage> {
    prop_oneof![
        Just(Breakage::Misspell),
        json_value().prop_map(Breakage::WrongType),
        json_value().prop_map(Breakage::Stray),
    ]
}

/// Applies `b` at the node `at` picks; returns the node's path.
fn break_at(value: &mut Value, at: &Index, b: &Breakage) -> Vec<Step> {
    let mut paths = Vec::new();
    node_paths(value, &mut Vec::new(), &mut paths);
    let path = paths[at.index(paths.len())].clone();
    let (last, parent_path) = path.split_last().expect("not the root");
    match (b, last) {
        (Breakage::Misspell, Step::Key(k)) => {
            if let Some(Value::Object(map)) = node_mut(value, parent_path) {
                if let Some(v) = map.shift_remove(k) {
                    map.insert(format!("{k}_x"), v);
                }
            }
        }
        (Breakage::WrongType(v), _) => {
            if let Some(node) = node_mut(value, &path) {
                // Null would read as "left out", which is no breakage.
                let wrong =
                    !v.is_null() && std::mem::discriminant(v) != std::mem::discriminant(node);
                *node = if wrong {
                    v.clone()
                } else if node.is_string() {
                    json!(7)
                } else {
                    json!("x")
                };
            }
        }
        (Breakage::Stray(v), _) => {
            let object = match node_mut(value, &path) {
                Some(Value::Object(_)) => path.as_slice(),
                _ => parent_path,
            };
            if let Some(Value::Object(map)) = node_mut(value, object) {
                map.insert("x_stray".into(), v.clone());
            }
        }
        _ => {}
    }
    path
}

/// A structural problem never brings a rule problem of its own: whatever `check` reports beside the
/// structural problems of a broken answer set, it reports for the answer set before the breakage.
#[test]
fn a_structural_problem_brings_no_rule_problem_of_its_own() {
    let counts = run(
        "a_structural_problem_brings_no_rule_problem_of_its_own",
        (well_formed(), any::<Index>(), breakage()),
        |(whole, at, b)| {
            let mut broken = whole.clone();
            let path = break_at(&mut broken, &at, &b);
            // `dates` only decides how messages write dates; with it unread they are written the
            // default way, so the messages would differ in their dates only.
            if path == [Step::Key("dates".into())] {
                return Ok(Outcome::Rendered);
            }
            let text = broken.to_string();
            let Err(structural) = answers::parse(&text) else {
                return Ok(Outcome::Rendered);
            };
            let opts = opts(Charset::Any);
            let checked = RENDERER.check(&text, &opts);
            let before = RENDERER.check(&whole.to_string(), &opts);
            prop_assert!(checked.len() >= structural.len());
            // `check` names the places as the form does; the reader alone gives paths only.
            let unnamed: Vec<Problem> = checked[..structural.len()]
                .iter()
                .map(|p| Problem {
                    label: None,
                    ..p.clone()
                })
                .collect();
            prop_assert_eq!(&unnamed[..], &structural[..]);
            for p in &checked[structural.len()..] {
                prop_assert!(
                    before.contains(p),
                    "{p:?} is reported only after {b:?} at {path:?}; the structure: {structural:#?}"
                );
            }
            Ok(Outcome::Refused)
        },
    );
    assert!(
        counts.refused.load(Ordering::Relaxed) > 0,
        "no breakage was refused: {counts:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The corpus

/// Every file of `tests/fuzz-corpus/` through parse → check → render, with the same assertions.
#[test]
fn corpus_inputs_never_panic_and_stay_on_the_page() {
    let dir = common::root().join("tests/fuzz-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{} corpus files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for charset in [Charset::Any, Charset::Jis0208] {
            let t = text.clone();
            let outcome = bounded(&name, move || {
                std::panic::catch_unwind(|| robust(&t, charset, true))
            });
            match outcome {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => failures.push(format!("{name} ({charset:?}): {e}")),
                Err(_) => failures.push(format!("{name} ({charset:?}): panicked")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Found by fuzzing

/// A tab is layout, not a glyph (`FontSet::missing_chars` lets it through), so `check` passes it;
/// rendering used to refuse it as a character the font lacks.
#[test]
fn a_tab_in_an_answer_is_set_as_a_space() {
    let mut v = common::sample("main-contractor.json");
    v["items"]["3"]["detail"] = json!("代表取締役\t鈴木一郎");
    v["checker"]["name"] = json!("山田\t太郎");
    let json = v.to_string();
    assert_eq!(RENDERER.check(&json, &opts(Charset::Any)), vec![]);
    let pdf = RENDERER
        .render_json(&json, &opts(Charset::Any))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(pdf.starts_with(b"%PDF-"));
}

/// An unknown key is echoed into the problem's path: `{"": 1}` gives the empty path "", and
/// `{"事業者名": "x"}` the non-ASCII path "事業者名" (error.rs: "a JSON path in ASCII").
#[test]
fn problem_paths_are_ascii_whatever_the_keys() {
    for json in [
        r#"{"": 1}"#,
        r#"{"事業者名": "x"}"#,
        r#"{"target": {"会社": "x"}}"#,
        r#"{"items": {"一": {"status": "実施"}}}"#,
        r#"{"items": {"": {}}}"#,
        r#"{"checker": {"name\n": "x"}}"#,
    ] {
        let problems = answers::parse(json).unwrap_err();
        if let Err(e) = problems_ok(&problems) {
            panic!("{json}: {e}");
        }
    }
}

/// 印 belongs at the end of the 確認者 line that holds the 氏名 (layout/form/checker.rs). When the
/// block starts near the bottom of a page and wraps, 印 was once put on the *next* page at the
/// height the line had on the first one: beside nothing. It stays on the 氏名's page and baseline.
#[test]
fn the_seal_mark_stays_beside_the_name() {
    let mut v = common::sample("main-contractor.json");
    v["items"]["12"]["detail"] = json!("あ".repeat(40));
    v["checker"]["company"] = json!("株式会社サンプル情報システムソリューションズ");
    v["checker"]["department"] = json!("情報セキュリティ統括本部 第二システム開発部");
    v["checker"]["title"] = json!("部長（情報セキュリティ責任者）");
    let a = answers::from_value(&v).unwrap();
    let doc = RENDERER
        .form_document(&a, &opts(Charset::Any))
        .unwrap()
        .document;
    let find = |pred: &dyn Fn(&str) -> bool| {
        doc.pages.iter().enumerate().find_map(|(p, page)| {
            page.texts()
                .find(|t| pred(&t.line.text))
                .map(|t| (p + 1, t.baseline))
        })
    };
    let name = find(&|s| s.contains("山田")).expect("the 氏名's line");
    let seal = find(&|s| s == "印").expect("印");
    assert_eq!(seal, name, "(page, baseline) of 印 and of the 氏名's line");
}

/// A soft break swallows the spaces it falls on, but 禁則 is judged before the swallowing: a run of
/// spaces wider than the line, then 。 or 」, starts the next line with 。 or 」.
#[test]
fn no_line_starts_with_a_closing_mark_after_a_run_of_spaces() {
    for text in [
        format!("あ{}。", "\u{3000}".repeat(25)),
        format!("あ{}」", " ".repeat(50)),
    ] {
        let lines = secform::layout::text::break_lines(RENDERER.fonts(), &text, 10.0, 100.0, 100.0)
            .unwrap()
            .into_iter()
            .map(|l| l.text)
            .collect::<Vec<_>>();
        for l in &lines[1..] {
            let first = l.chars().next().unwrap_or(' ');
            assert!(
                !secform::layout::text::NO_LINE_START.contains(first),
                "{text:?} breaks into {lines:?}"
            );
        }
    }
}

/// text.rs pulled a whole run of closing marks back onto the line before it, after a run of
/// spaces: 「あ」 + spaces + 20 「。」 made one line far wider than its cell. At any width, over text
/// made of runs of spaces, closing marks and kanji, every line fits and no character is lost.
#[test]
fn broken_lines_fit_their_width_and_lose_nothing() {
    const SPACE: &[char] = &[' ', '\u{3000}'];
    let piece = prop_oneof![
        3 => vec(select(SPACE), 1..=60).prop_map(String::from_iter),
        3 => vec(select(CLOSING), 1..=30).prop_map(String::from_iter),
        2 => vec(select(KANJI.clone()), 1..=8).prop_map(String::from_iter),
        1 => select(&["「", "（", "あ", "ー", "\n"][..]).prop_map(str::to_string),
    ];
    // From one full-width character a line (no narrower: a character wider than the line is the
    // one case a line may overflow) to some thirty.
    let strategy = (vec(piece, 0..=12).prop_map(|r| r.concat()), 10.0f32..300.0);
    run(
        "broken_lines_fit_their_width_and_lose_nothing",
        strategy,
        |(text, width)| {
            let lines =
                secform::layout::text::break_lines(RENDERER.fonts(), &text, 10.0, width, width)
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            for l in &lines {
                prop_assert!(
                    l.width <= width + 0.01,
                    "{:?} is {} wide, more than {width}",
                    l.text,
                    l.width
                );
            }
            let visible =
                |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
            let printed: String = lines.iter().map(|l| visible(&l.text)).collect();
            prop_assert_eq!(printed, visible(&text));
            Ok(Outcome::Rendered)
        },
    );
}
