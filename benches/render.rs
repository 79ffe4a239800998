//! In-process cost of one form: parse → check → lay out → PDF, with the font parsed once (as in
//! batch). Target on the 2-core machine: ≤ 3 ms a document. Whole-process time and PDF size are
//! measured by `bench/render.sh`.

use criterion::{criterion_group, criterion_main, Criterion};
use secform::{CheckOptions, FontSet, Renderer};

fn bench(c: &mut Criterion) {
    let renderer = Renderer::new(FontSet::bundled());
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/main-contractor.json"
    ))
    .expect("sample");
    let opts = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"));
    c.bench_function("form: json to pdf bytes", |b| {
        b.iter(|| renderer.render_json(&json, &opts).expect("renders"))
    });
    let blank = renderer.blank_document("npa-2022").expect("blank");
    c.bench_function("form: pdf writing only", |b| {
        b.iter(|| renderer.pdf(&blank).expect("pdf"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
