//! In-process cost of one form: parse → check → lay out → PDF, with the font parsed once (as in
//! batch). Target on the 2-core machine: ≤ 3 ms a document. Whole-process time and PDF size are
//! measured by `bench/render.sh`.
//!
//! The headline figure renders a different form at every iteration (companies and wording from
//! `bench/gen-forms.awk`, as the batch benchmark does), so that each document has its own glyphs and
//! font subset, as real ones do. What every form shares (the bundled font's glyph lookups, the
//! layout's row texts broken into lines) is kept between documents, as it is in a batch.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a bench fails by panicking"
)]

use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};

use secform::{CheckOptions, FontSet, Renderer};

fn varied_forms(n: usize) -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("awk")
        .env("LC_ALL", "C")
        .args(["-v", &format!("n={n}"), "-v", "seed=7", "-f"])
        .arg(format!("{root}/bench/gen-forms.awk"))
        .output()
        .expect("awk runs");
    assert!(out.status.success(), "gen-forms.awk failed");
    let text = String::from_utf8(out.stdout).expect("UTF-8 forms");
    text.lines().map(str::to_string).collect()
}

fn bench(c: &mut Criterion) {
    let renderer = Renderer::new(FontSet::bundled());
    let opts = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"));
    let forms = varied_forms(500);
    let mut next = forms.iter().cycle();
    c.bench_function("form: varied json to pdf bytes", |b| {
        b.iter(|| {
            let json = next.next().expect("cycle never ends");
            renderer.render_json(json, &opts).expect("renders")
        })
    });
    // The same without the attached answer set (`--no-attach`, PDF/A-2a): what attaching costs.
    let plain = Renderer::new(FontSet::bundled()).without_attachment();
    let mut next_plain = forms.iter().cycle();
    c.bench_function("form: varied json to pdf bytes, no attachment", |b| {
        b.iter(|| {
            let json = next_plain.next().expect("cycle never ends");
            plain.render_json(json, &opts).expect("renders")
        })
    });
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/main-contractor.json"
    ))
    .expect("sample");
    c.bench_function("form: sample json to pdf bytes", |b| {
        b.iter(|| renderer.render_json(&sample, &opts).expect("renders"))
    });
    let blank = renderer.blank_document("npa-2022").expect("blank");
    c.bench_function("form: blank pdf writing only", |b| {
        b.iter(|| renderer.pdf(&blank).expect("pdf"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
