//! The PDF as the record (issue 14, part 1): every form PDF carries its normalised answer set as an
//! associated file (PDF/A-3a), read back here with lopdf; `--no-attach` keeps PDF/A-2a without it;
//! and a secform PDF is an answer set wherever one is read (`check`, `render`, `convert`, batch).

use crate::common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::*;
use lopdf::{Dictionary, Document, Object};
use serde_json::{json, Value};

const SAMPLES: [&str; 3] = [
    "main-contractor.json",
    "subcontractor.json",
    "incident.json",
];

fn secform() -> Command {
    Command::cargo_bin("secform").unwrap()
}

/// Options that read a sample's seal image next to it, as `render samples/x.json` does.
fn sample_opts() -> secform::CheckOptions {
    let mut o = opts();
    o.seal_files = secform::files::SealFolder::shared(root().join("samples"));
    o
}

fn render_with(r: &secform::Renderer, value: &Value) -> Vec<u8> {
    r.render_json(&value.to_string(), &sample_opts())
        .unwrap_or_else(|e| panic!("render failed: {e}"))
}

/// What the attachment must hold, worked out here on its own: the answers without any
/// `$comment` and without the seal image's path.
fn expected_attachment(value: &Value) -> Value {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(k, _)| *k != "$comment")
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
            v => v.clone(),
        }
    }
    let mut v = strip(value);
    if let Some(seal) = v.get_mut("seal").and_then(Value::as_object_mut) {
        seal.remove("image");
    }
    v
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).unwrap().1
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a Dictionary {
    deref(doc, o).as_dict().unwrap()
}

fn xmp(doc: &Document) -> String {
    let catalog = doc.catalog().unwrap();
    let stream = deref(doc, catalog.get(b"Metadata").unwrap())
        .as_stream()
        .unwrap();
    String::from_utf8(stream.content.clone()).unwrap()
}

/// The attachment as a reader finds it: the only entry of the catalog's EmbeddedFiles name tree,
/// also the catalog's only /AF; its file specification and decoded bytes. Asserts every key the
/// issue names on the way.
pub(crate) fn attachment(pdf: &[u8]) -> Vec<u8> {
    let doc = Document::load_mem(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let names = dict(&doc, catalog.get(b"Names").expect("/Names in the catalog"));
    let tree = dict(&doc, names.get(b"EmbeddedFiles").expect("/EmbeddedFiles"));
    let Object::Array(pairs) = deref(&doc, tree.get(b"Names").unwrap()) else {
        panic!("name tree without /Names");
    };
    assert_eq!(pairs.len(), 2, "exactly one embedded file");
    assert_eq!(pairs[0].as_str().unwrap(), b"secform-answers.json");
    let spec_ref = pairs[1].as_reference().expect("file spec by reference");
    let Object::Array(af) = deref(&doc, catalog.get(b"AF").expect("/AF on the catalog")) else {
        panic!("/AF is not an array");
    };
    assert_eq!(af.len(), 1);
    assert_eq!(
        af[0].as_reference().unwrap(),
        spec_ref,
        "/AF names the same file"
    );
    let spec = doc.get_dictionary(spec_ref).unwrap();
    assert_eq!(spec.get(b"Type").unwrap().as_name().unwrap(), b"Filespec");
    assert_eq!(
        spec.get(b"AFRelationship").unwrap().as_name().unwrap(),
        b"Data"
    );
    assert_eq!(
        spec.get(b"F").unwrap().as_str().unwrap(),
        b"secform-answers.json"
    );
    assert!(spec.has(b"UF") && spec.has(b"Desc"));
    let ef = dict(&doc, spec.get(b"EF").unwrap());
    let stream = deref(&doc, ef.get(b"F").unwrap()).as_stream().unwrap();
    assert_eq!(
        stream.dict.get(b"Type").unwrap().as_name().unwrap(),
        b"EmbeddedFile"
    );
    assert_eq!(
        stream.dict.get(b"Subtype").unwrap().as_name().unwrap(),
        b"application/json"
    );
    let params = dict(&doc, stream.dict.get(b"Params").unwrap());
    assert!(params.has(b"ModDate"), "PDF/A-3 wants a modification date");
    let bytes = stream.decompressed_content().unwrap();
    assert_eq!(
        params.get(b"Size").unwrap().as_i64().unwrap(),
        bytes.len() as i64
    );
    let xmp = xmp(&doc);
    assert!(
        xmp.contains("<pdfaid:part>3</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"),
        "{xmp}"
    );
    bytes
}

#[test]
fn every_sample_carries_its_answers_as_an_associated_file_and_is_pdf_a_3a() {
    let r = renderer();
    for name in SAMPLES {
        let value = sample(name);
        let pdf = render_with(&r, &value);
        let bytes = attachment(&pdf);
        let text = String::from_utf8(bytes).unwrap();
        let carried: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(carried, expected_attachment(&value), "{name}");
        // Read as answers, the attachment is the sample but for the seal image's path.
        let mut original = secform::input::answers::from_value(&value).unwrap();
        original.seal.image = None;
        assert_eq!(
            secform::input::answers::parse(&text).unwrap(),
            original,
            "{name}"
        );
        // What the library reads from the PDF is that text.
        assert_eq!(secform::input::decode(pdf.clone()).unwrap(), text);
        assert!(render_with(&r, &value) == pdf, "{name}: two renders differ");
    }
    // The incident sample has a seal image: its path is not in the PDF, the mark is.
    let incident = render_with(&r, &sample("incident.json"));
    let carried: Value = serde_json::from_slice(&attachment(&incident)).unwrap();
    let mut seal = sample("incident.json")["seal"].clone();
    assert!(seal["image"].is_string());
    seal.as_object_mut().unwrap().remove("image");
    assert_eq!(carried["seal"], seal);
}

#[test]
fn no_attach_gives_pdf_a_2a_without_it_and_the_same_pages() {
    let with = renderer();
    let without = renderer().without_attachment();
    for name in SAMPLES {
        let value = sample(name);
        let plain = render_with(&without, &value);
        let doc = Document::load_mem(&plain).unwrap();
        let catalog = doc.catalog().unwrap();
        assert!(!catalog.has(b"AF"), "{name}: /AF without an attachment");
        if let Ok(names) = catalog.get(b"Names") {
            assert!(!dict(&doc, names).has(b"EmbeddedFiles"), "{name}");
        }
        let xmp = xmp(&doc);
        assert!(
            xmp.contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"),
            "{name}"
        );
        assert!(
            render_with(&without, &value) == plain,
            "{name}: not reproducible"
        );
        let attached = render_with(&with, &value);
        assert_eq!(
            pdf_pages(&plain),
            pdf_pages(&attached),
            "{name}: pages differ"
        );
        let err = secform::input::decode(plain).unwrap_err().to_string();
        assert!(err.contains("添付されていない PDF"), "{err}");
    }
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn run_ok(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_secform_pdf_is_an_answer_set_for_check_render_and_convert() {
    let dir = temp();
    let d = dir.path();
    let json = root().join("samples/main-contractor.json");
    let pdf = d.join("確認書.pdf");
    run_ok(secform().arg("render").arg(&json).arg("-o").arg(&pdf));
    let out = run_ok(secform().arg("check").arg(&pdf));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "問題はありません\n");
    // Rendered again from its own PDF: the same bytes (the sample has no seal image to drop).
    let again = d.join("again.pdf");
    run_ok(secform().arg("render").arg(&pdf).arg("-o").arg(&again));
    assert!(fs::read(&again).unwrap() == fs::read(&pdf).unwrap());
    // convert from the PDF writes what convert writes from the JSON.
    let (from_pdf, from_json) = (d.join("a.json"), d.join("b.json"));
    run_ok(secform().arg("convert").arg(&pdf).arg("-o").arg(&from_pdf));
    run_ok(
        secform()
            .arg("convert")
            .arg(&json)
            .arg("-o")
            .arg(&from_json),
    );
    assert_eq!(
        fs::read_to_string(&from_pdf).unwrap(),
        fs::read_to_string(&from_json).unwrap()
    );
    let converted: Value = serde_json::from_str(&fs::read_to_string(&from_pdf).unwrap()).unwrap();
    assert_eq!(
        converted,
        expected_attachment(&sample("main-contractor.json"))
    );
    // and into a workbook, which reads back as the same answers.
    let xlsx = d.join("回答.xlsx");
    run_ok(secform().arg("convert").arg(&pdf).arg("-o").arg(&xlsx));
    let back = d.join("c.json");
    run_ok(secform().arg("convert").arg(&xlsx).arg("-o").arg(&back));
    assert_eq!(
        secform::input::answers::parse(&fs::read_to_string(&back).unwrap()).unwrap(),
        secform::input::answers::parse(&fs::read_to_string(&from_pdf).unwrap()).unwrap()
    );
    // The bytes on standard input are recognised by their content too.
    let out = run_ok(
        secform()
            .args(["check", "-"])
            .write_stdin(fs::read(&pdf).unwrap()),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "問題はありません\n");
}

/// `pdf` with its attachment's content replaced by `content` (uncompressed).
fn with_attachment_content(pdf: &[u8], content: &[u8]) -> Vec<u8> {
    let mut doc = Document::load_mem(pdf).unwrap();
    let ids: Vec<_> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"EmbeddedFile")
            })
        })
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(ids.len(), 1);
    let stream = doc.get_object_mut(ids[0]).unwrap().as_stream_mut().unwrap();
    stream.dict.remove(b"Filter");
    stream.set_content(content.to_vec());
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn check_fails(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    let out = secform().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{name}");
    let render_out = dir.join(format!("{name}.out.pdf"));
    let r = secform()
        .arg("render")
        .arg(&path)
        .arg("-o")
        .arg(&render_out)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1), "{name}");
    assert!(!render_out.exists(), "{name}: a PDF was written");
    // A file that cannot be read is told on standard error, its answers' problems on standard output.
    String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout)
}

#[test]
fn a_pdf_without_our_attachment_or_with_a_bad_one_is_named_as_such() {
    let dir = temp();
    let d = dir.path();
    let value = sample("subcontractor.json");
    let plain = render_with(&renderer().without_attachment(), &value);
    let err = check_fails(d, "no-attach.pdf", &plain);
    assert!(
        err.contains("回答セット（secform-answers.json）が添付されていない PDF です"),
        "{err}"
    );
    // The clauses are a PDF of secform's too, but not an answer set.
    let clauses = renderer()
        .pdf(
            &renderer()
                .clauses_document(
                    &secform::clauses::variant("npa-2022").unwrap(),
                    &secform::clauses::variant("npa-2022")
                        .unwrap()
                        .default_parties,
                    false,
                )
                .unwrap(),
        )
        .unwrap();
    let err = check_fails(d, "clauses.pdf", &clauses);
    assert!(err.contains("添付されていない PDF"), "{err}");
    let pdf = render_with(&renderer(), &value);
    let err = check_fails(
        d,
        "broken.pdf",
        &with_attachment_content(&pdf, b"{\"layout\": "),
    );
    assert!(
        err.contains("PDF に添付された回答セット（secform-answers.json）が JSON として読めません"),
        "{err}"
    );
    let err = check_fails(
        d,
        "sjis.pdf",
        &with_attachment_content(&pdf, &[0x82, 0xA0, 0xFF]),
    );
    assert!(err.contains("UTF-8 のテキストではありません"), "{err}");
    let err = check_fails(d, "torn.pdf", &pdf[..200]);
    assert!(err.contains("PDF として読めません"), "{err}");
    // An attachment that parses but is not a valid answer set is reported field by field.
    let mut bad = expected_attachment(&value);
    bad["checked_on"] = json!("昨日");
    let err = check_fails(
        d,
        "bad.pdf",
        &with_attachment_content(&pdf, bad.to_string().as_bytes()),
    );
    assert!(err.contains("checked_on"), "{err}");
}

#[test]
fn batch_pdfs_carry_each_entity_s_answers_and_a_folder_of_pdfs_is_a_batch() {
    let dir = temp();
    let d = dir.path();
    let out = d.join("out");
    let merged = d.join("all.pdf");
    let batch_path = root().join("samples/batch.json");
    run_ok(
        secform()
            .arg("batch")
            .arg(&batch_path)
            .arg("--out-dir")
            .arg(&out)
            .arg("--merge")
            .arg(&merged)
            .arg("-q"),
    );
    let batch: Value = serde_json::from_str(&read("samples/batch.json")).unwrap();
    let forms = batch["forms"].as_array().unwrap();
    let mut pdfs: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pdfs.sort();
    assert_eq!(pdfs.len(), forms.len());
    for (path, form) in pdfs.iter().zip(forms) {
        let carried: Value = serde_json::from_slice(&attachment(&fs::read(path).unwrap())).unwrap();
        let entry = secform::batch::over_defaults(&batch["defaults"], form.clone());
        assert_eq!(carried, expected_attachment(&entry), "{}", path.display());
    }
    // The merged file is for reading and printing: it carries no answer set (see README).
    let doc = Document::load_mem(&fs::read(&merged).unwrap()).unwrap();
    assert!(!doc.catalog().unwrap().has(b"AF"));
    assert!(xmp(&doc).contains("<pdfaid:part>2</pdfaid:part>"));
    // The PDFs as a batch folder: the same forms again, byte for byte.
    let again = d.join("again");
    run_ok(
        secform()
            .arg("batch")
            .arg(&out)
            .arg("--out-dir")
            .arg(&again)
            .arg("-q"),
    );
    for path in &pdfs {
        let name = path.file_name().unwrap();
        assert!(fs::read(again.join(name)).unwrap() == fs::read(path).unwrap());
    }
    // --no-attach: every PDF/A-2a, nothing attached; such a PDF in a folder is reported and skipped.
    let plain = d.join("plain");
    run_ok(
        secform()
            .arg("batch")
            .arg(&batch_path)
            .arg("--out-dir")
            .arg(&plain)
            .arg("--no-attach")
            .arg("-q"),
    );
    let mut first_plain = None;
    for e in fs::read_dir(&plain).unwrap() {
        let bytes = fs::read(e.unwrap().path()).unwrap();
        assert!(secform::input::decode(bytes.clone()).is_err());
        first_plain.get_or_insert(bytes);
    }
    let mixed = d.join("mixed");
    fs::create_dir(&mixed).unwrap();
    fs::copy(&pdfs[0], mixed.join("a.pdf")).unwrap();
    fs::write(mixed.join("b.pdf"), first_plain.unwrap()).unwrap();
    let run = secform()
        .arg("batch")
        .arg(&mixed)
        .arg("--out-dir")
        .arg(d.join("mixed-out"))
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("b.pdf") && err.contains("添付されていない PDF"),
        "{err}"
    );
    assert_eq!(fs::read_dir(d.join("mixed-out")).unwrap().count(), 1);
}
