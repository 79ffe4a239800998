//! What `secform serve` does per change of the sample (target ≤ 10 ms): what `/api/preview` runs
//! (read, check and lay out once, paint SVG), and, for comparison, a separate `check` before it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a bench fails by panicking"
)]

use criterion::{criterion_group, criterion_main, Criterion};
use secform::{CheckOptions, FontSet, Renderer};

fn per_change(c: &mut Criterion) {
    let json = include_str!("../samples/main-contractor.json");
    let renderer = Renderer::new(FontSet::bundled());
    let mut opts = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    opts.seal_files =
        secform::files::SealFolder::shared(concat!(env!("CARGO_MANIFEST_DIR"), "/samples"));
    c.bench_function(
        "serve: read + check + layout + svg (sample, as /api/preview)",
        |b| {
            b.iter(|| {
                let a = secform::input::answers::read(json).ok().unwrap();
                let r = renderer.form_document(&a, &opts).ok().unwrap();
                assert!(r.warnings.is_empty());
                secform::paint::svg::pages(&r.document)
            })
        },
    );
    c.bench_function("serve: check, then read + layout + svg (sample)", |b| {
        b.iter(|| {
            let problems = renderer.check(json, &opts);
            assert!(problems.is_empty());
            let a = secform::input::answers::read(json).ok().unwrap();
            let doc = renderer.form_document(&a, &opts).ok().unwrap().document;
            secform::paint::svg::pages(&doc)
        })
    });
}

criterion_group!(benches, per_change);
criterion_main!(benches);
