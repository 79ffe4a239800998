//! What `secform serve` does per change of the sample: check + layout + SVG painting (target ≤ 10 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use secform::{CheckOptions, FontSet, Renderer};

fn per_change(c: &mut Criterion) {
    let json = include_str!("../samples/main-contractor.json");
    let renderer = Renderer::new(FontSet::bundled());
    let mut opts = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    opts.base_dir = Some(concat!(env!("CARGO_MANIFEST_DIR"), "/samples").into());
    c.bench_function("serve: check + layout + svg (sample)", |b| {
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
