//! The merged batch the merge and tagging tests share: the sample's forms, a bad entry and three
//! more subcontractors, run through `batch::run` with a merged PDF in small chunks.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use lopdf::Document;
use secform::batch::{self, Merged, NameStyle, Options, Silent, Source};
use serde_json::{json, Value};

/// The sample's four forms, a bad one, and three more subcontractors: 7 forms to merge.
pub fn batch_json() -> Value {
    let sample = super::sample("batch.json");
    let mut forms = sample["forms"].as_array().unwrap().clone();
    let mut bad = forms[1].clone();
    bad["items"]["2"] = json!({"status": "済"});
    forms.push(bad);
    for (i, company) in ["北斗電子株式会社", "青葉通信合同会社", "株式会社未来技研"]
        .iter()
        .enumerate()
    {
        let mut e = sample["forms"][1].clone();
        e["target"]["company"] = (*company).into();
        e["items"]["9"] = json!({"status": "実施", "detail": format!("第{i}四半期に点検した。")});
        forms.push(e);
    }
    json!({"defaults": sample["defaults"].clone(), "forms": forms})
}

/// The outline titles the batch must give, in order.
pub const TITLES: [&str; 7] = [
    "株式会社サンプル情報システム",
    "株式会社テスト技研(下請負者等)",
    "有限会社データ保守サービス(下請負者等)",
    "合同会社クラウド運用研究所(下請負者等)",
    "北斗電子株式会社(下請負者等)",
    "青葉通信合同会社(下請負者等)",
    "株式会社未来技研(下請負者等)",
];

/// Runs the batch into `dir` with `jobs` threads and chunks of `chunk` forms (each padded to an
/// even page count with `duplex`); returns the merged PDF's path and the forms' own PDFs, in order.
pub fn run(dir: &Path, jobs: usize, chunk: usize, duplex: bool) -> (PathBuf, Vec<PathBuf>) {
    let merged = dir.join("一式.pdf");
    let opts = Options {
        out_dir: dir.to_path_buf(),
        merge: Some(merged.clone()),
        merge_chunk: chunk,
        duplex,
        names: NameStyle::Plain,
        jobs,
        // The batch has a bad entry: the merged file lacks it, as asked.
        allow_incomplete: true,
        check: super::opts(),
        summary: false,
    };
    let source = Source::from_batch_json(&batch_json().to_string()).unwrap();
    let summary = batch::run(
        &super::renderer(),
        source,
        &opts,
        &AtomicBool::new(false),
        &mut Silent,
    )
    .unwrap();
    assert_eq!((summary.written, summary.failed), (7, 1));
    let pages = match summary.merged {
        Some(Merged::Written {
            forms: 7, pages, ..
        }) => pages,
        other => panic!("merged: {other:?}"),
    };
    let mut forms: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p != &merged)
        .collect();
    forms.sort();
    assert_eq!(forms.len(), 7, "{forms:?}");
    let alone = forms.iter().map(|f| page_count(f)).sum::<usize>();
    match duplex {
        false => assert_eq!(pages, alone, "the summary's page count"),
        true => assert!(
            pages >= alone && pages <= alone + forms.len(),
            "{pages} pages"
        ),
    }
    (merged, forms)
}

pub fn page_count(pdf: &Path) -> usize {
    Document::load(pdf).unwrap().get_pages().len()
}
