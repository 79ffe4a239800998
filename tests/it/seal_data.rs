//! `seal.data`: a seal image carried in the answer set as a data URI (what `secform serve` saves
//! when a user picks an image) is drawn exactly like the same image named by `seal.image`, and is
//! refused with the same limits, at `seal.data`.

use crate::common;

use base64::Engine as _;
use common::*;
use secform::layout::document::{Document, Element};
use secform::{CheckOptions, Problem};
use serde_json::{json, Value};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn with_seal(seal: Value) -> String {
    let mut v = sample("main-contractor.json");
    v["seal"] = seal;
    v.to_string()
}

fn options() -> CheckOptions {
    CheckOptions {
        seal_files: secform::files::SealFolder::shared(root().join("tests/fixtures")),
        ..opts()
    }
}

fn document(json: &str) -> Document {
    let a = secform::input::answers::read(json).unwrap_or_else(|r| panic!("{:?}", r.problems));
    renderer()
        .form_document(&a, &options())
        .unwrap_or_else(|e| panic!("{e}"))
        .document
}

fn images(doc: &Document) -> Vec<(usize, secform::layout::document::Rect, Vec<u8>)> {
    let mut out = Vec::new();
    for (n, page) in doc.pages.iter().enumerate() {
        for e in &page.elements {
            if let Element::Image { rect, image, .. } = e {
                out.push((n, *rect, image.data.to_vec()));
            }
        }
    }
    out
}

/// The PNG and the JPEG fixture, as a file and as data: the same image at the same place, and
/// the same PDF bytes.
#[test]
fn a_data_seal_is_drawn_like_the_same_file() {
    for (file, mime) in [("seal.png", "image/png"), ("seal-wide.jpg", "image/jpeg")] {
        let bytes = std::fs::read(root().join("tests/fixtures").join(file)).unwrap();
        let by_file = with_seal(json!({ "image": file }));
        let by_data = with_seal(json!({ "data": format!("data:{mime};base64,{}", b64(&bytes)) }));
        let (a, b) = (images(&document(&by_file)), images(&document(&by_data)));
        assert_eq!(a.len(), 1, "{file}");
        assert_eq!(a, b, "{file}");
        assert_eq!(a[0].2, bytes);
        assert!(renderer().check(&by_data, &options()).is_empty());
        // The pages are the same; the attached answer set is not: a data seal travels in it
        // (it means something on another machine), a file seal's path does not.
        let plain = || renderer().without_attachment();
        let (pa, pb) = (
            plain().render_json(&by_file, &options()).ok().unwrap(),
            plain().render_json(&by_data, &options()).ok().unwrap(),
        );
        assert_eq!(pa, pb, "{file}: the PDFs differ");
    }
}

/// A PNG header claiming `w`×`h` pixels and nothing else: refused from its header alone.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(w.to_be_bytes());
    png.extend(h.to_be_bytes());
    png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

fn errors_at_seal_data(json: &str) -> Vec<Problem> {
    let problems = renderer().check(json, &options());
    let at: Vec<Problem> = problems
        .iter()
        .filter(|p| p.path == "seal.data")
        .cloned()
        .collect();
    assert!(
        at.iter().all(Problem::is_error) && at.len() == 1,
        "{problems:?}"
    );
    // `render` refuses it with the same message.
    let err = renderer()
        .render_json(json, &options())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("seal.data") && err.contains(&at[0].message),
        "{err}"
    );
    at
}

#[test]
fn bad_data_seals_are_clear_errors_at_seal_data() {
    let png = std::fs::read(root().join("tests/fixtures/seal.png")).unwrap();
    let jpeg = std::fs::read(root().join("tests/fixtures/seal-wide.jpg")).unwrap();
    let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
    huge.resize(5 * 1024 * 1024 + 1, 0);
    let mut bad_b64 = format!("data:image/png;base64,{}", b64(&png));
    bad_b64.insert(30, '!');
    for (data, needle) in [
        (
            bad_b64,
            "base64 を読めません（31 文字目が正しくありません）",
        ),
        (
            "data:image/png;base64,iVBORw0KGgo".to_string(),
            "base64 を読めません（長さまたは末尾の = が正しくありません）",
        ),
        (
            format!("data:image/png;base64,{}", b64(b"GIF89a not a seal")),
            "印影の画像データは PNG でも JPEG でもありません",
        ),
        (
            format!("data:image/png;base64,{}", b64(&png_header(20_000, 20_000))),
            "20000×20000 ピクセルで大きすぎます（一辺 2000 ピクセルまで）",
        ),
        (
            format!("data:image/png;base64,{}", b64(&png_header(0, 10))),
            "大きさが 0 です",
        ),
        (
            format!("data:image/png;base64,{}", b64(&huge)),
            "大きすぎます（約 5242881 バイト、上限 5242880 バイト）",
        ),
        (
            format!("data:image/png;base64,{}", b64(&jpeg)),
            "PNG と書かれていますが、中身は JPEG です",
        ),
        (
            format!("data:image/gif;base64,{}", b64(&png)),
            "data:image/png;base64,… または data:image/jpeg;base64,… の形で",
        ),
        ("seal.png".to_string(), "（実際の始まり: seal.png）"),
    ] {
        let json = with_seal(json!({ "data": data }));
        let at = errors_at_seal_data(&json);
        assert!(at[0].message.contains(needle), "{needle}: {:?}", at[0]);
    }
    // A file and data at once: which one is meant is not guessed.
    let both = with_seal(json!({
        "image": "seal.png",
        "data": format!("data:image/png;base64,{}", b64(&png)),
    }));
    let at = errors_at_seal_data(&both);
    assert!(at[0].message.contains("両方"), "{at:?}");
    // Not a string: the reader's own message, at the same path.
    let problems = renderer().check(&with_seal(json!({ "data": 5 })), &options());
    assert!(problems
        .iter()
        .any(|p| p.path == "seal.data" && p.message.contains("文字列")));
}
