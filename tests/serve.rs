//! `secform serve`'s HTTP API driven in process: the page and its assets, check, preview, PDF,
//! save with its conflict, and every refusal of the security layer.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use secform::serve::{router, version_of, Session, BODY_LIMIT};
use secform::{CheckOptions, FontSet, Renderer};
use tower::ServiceExt;

const PORT: u16 = 43210;
const SAMPLE: &str = include_str!("../samples/main-contractor.json");

fn options() -> CheckOptions {
    let mut o = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    o.base_dir = Some(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples"));
    o
}

fn session(file: Option<std::path::PathBuf>) -> Arc<Session> {
    Arc::new(
        Session::new(
            Renderer::new(FontSet::bundled()),
            options(),
            PORT,
            file,
            SAMPLE.to_string(),
        )
        .unwrap(),
    )
}

fn get(s: &Session, path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(header::COOKIE, format!("secform_token={}", s.token))
        .body(Body::empty())
        .unwrap()
}

fn post(s: &Session, method: &str, path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, format!("localhost:{PORT}"))
        .header(header::ORIGIN, format!("http://localhost:{PORT}"))
        .header(header::COOKIE, format!("secform_token={}", s.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

async fn send(
    s: &Arc<Session>,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let r = router(s.clone()).oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = to_bytes(r.into_body(), usize::MAX).await.unwrap().to_vec();
    (status, headers, body)
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap()
}

#[tokio::test]
async fn token_in_the_url_once_then_a_cookie() {
    let s = session(None);
    let req = Request::get(format!("/?token={}", s.token))
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(&s, req).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert_eq!(
        cookie,
        format!(
            "secform_token={}; HttpOnly; SameSite=Strict; Path=/",
            s.token
        )
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(r#"src="/app.js""#), "{html}");
    for path in ["/app.js", "/style.css", "/font.ttf", "/api/layout"] {
        let (status, _, body) = send(&s, get(&s, path)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!body.is_empty());
    }
    let (_, _, font) = send(&s, get(&s, "/font.ttf")).await;
    assert_eq!(font, secform::fonts::bundled_font_data());
    // The layout's own data, with what the page asks and labels worked out from it.
    let (_, _, layout) = send(&s, get(&s, "/api/layout")).await;
    let mut layout = json(&layout);
    let page = layout.as_object_mut().unwrap().remove("serve").unwrap();
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../layouts/npa-2022/form.json")).unwrap();
    assert_eq!(layout, file);
    assert_eq!(page["detail_label"], file["items"]["columns"][3]["title"]);
    assert_eq!(page["detail_label"], "実施状況(詳細)又は未実施の理由");
    assert_eq!(page["status_label"], "実施/未実施");
    assert_eq!(page["seal_max_bytes"], secform::model::seal::MAX_BYTES);
    let questions: Vec<(String, String)> = page["circumstances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["name"].as_str().unwrap().into(),
                q["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    let names: Vec<&str> = questions.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "onsite",
            "disposal_requested",
            "return_requested",
            "information_system",
            "incident"
        ]
    );
    for (name, text) in &questions {
        assert_ne!(name, text);
        let plain = &file["plain_questions"][name];
        let from_row = file["items"]["rows"].as_array().unwrap().iter().any(|r| {
            r["applies"]["circumstance"] == **name
                && r["text"].as_str().unwrap().contains(&format!("({text})"))
        });
        assert!(plain == text || from_row, "{name}: {text}");
    }
}

#[tokio::test]
async fn refusals() {
    let s = session(None);
    // No token at all.
    let req = Request::get("/")
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send(&s, req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(String::from_utf8(body).unwrap().contains("トークン"));
    // A wrong token.
    let mut req = get(&s, "/api/layout");
    req.headers_mut()
        .insert(header::COOKIE, "secform_token=0000".parse().unwrap());
    assert_eq!(send(&s, req).await.0, StatusCode::FORBIDDEN);
    // A rebound name, GET included; and the right name on another port.
    for host in ["evil.example:43210", "127.0.0.1:80", "localhost"] {
        let mut req = get(&s, "/api/layout");
        req.headers_mut()
            .insert(header::HOST, host.parse().unwrap());
        let (status, _, body) = send(&s, req).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{host}");
        assert!(String::from_utf8(body).unwrap().contains("127.0.0.1"));
    }
    // A foreign Origin, and none, on a state-changing request.
    let mut req = post(&s, "POST", "/api/check", SAMPLE);
    req.headers_mut()
        .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
    assert_eq!(send(&s, req).await.0, StatusCode::FORBIDDEN);
    let mut req = post(&s, "POST", "/api/check", SAMPLE);
    req.headers_mut().remove(header::ORIGIN);
    assert_eq!(send(&s, req).await.0, StatusCode::FORBIDDEN);
    // Too large a body.
    let big = vec![b' '; BODY_LIMIT + 1];
    let (status, _, body) = send(&s, post(&s, "POST", "/api/check", big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(&body)["message"]
        .as_str()
        .unwrap()
        .starts_with("送られた回答が大きすぎます"));
    // Not JSON.
    for path in ["/api/check", "/api/preview", "/api/pdf"] {
        let (status, _, body) = send(&s, post(&s, "POST", path, "{\"layout\": ")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(json(&body)["message"]
            .as_str()
            .unwrap()
            .contains("JSON ではありません"));
    }
}

#[tokio::test]
async fn check_gives_checks_problems() {
    let s = session(None);
    let bad = SAMPLE.replace(
        r#""7": { "status": "実施", "detail": "年2回の教育計画を作成し、令和7年4月10日に承認を得た。" }"#,
        r#""7": { "status": "未実施", "detail": "" }"#,
    );
    assert_ne!(bad, SAMPLE);
    let (status, _, body) = send(&s, post(&s, "POST", "/api/check", bad.clone())).await;
    assert_eq!(status, StatusCode::OK);
    let expected = Renderer::new(FontSet::bundled()).check(&bad, &options());
    assert!(expected.iter().any(|p| p.path == "items.7.detail"));
    assert_eq!(json(&body), serde_json::to_value(&expected).unwrap());
    assert_eq!(json(&body)[0]["severity"], "error");
    // The preview shows the same problems and no pages while there are errors.
    let (_, _, body) = send(&s, post(&s, "POST", "/api/preview", bad)).await;
    let v = json(&body);
    assert_eq!(v["problems"], serde_json::to_value(&expected).unwrap());
    assert!(v["pages"].is_null());
}

#[tokio::test]
async fn preview_and_pdf_from_one_layout() {
    let s = session(None);
    let (status, _, body) = send(&s, post(&s, "POST", "/api/preview", SAMPLE)).await;
    assert_eq!(status, StatusCode::OK);
    let v = json(&body);
    let r = Renderer::new(FontSet::bundled());
    let a = secform::input::answers::read(SAMPLE).ok().unwrap();
    let doc = r.form_document(&a, &options()).ok().unwrap().document;
    assert_eq!(v["count"], doc.pages.len());
    let pages: Vec<String> = serde_json::from_value(v["pages"].clone()).unwrap();
    assert_eq!(pages, secform::paint::svg::pages(&doc));
    assert!(pages[0].contains("株式会社サンプル情報システム"));
    // The 和暦 of the dates, as the PDF writes them.
    let a: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    for path in ["target.contract_start", "checked_on"] {
        let iso = path.split('.').fold(&a, |v, k| &v[k]).as_str().unwrap();
        let d = secform::model::wareki::parse_date(iso).unwrap();
        assert_eq!(
            v["wareki"][path],
            secform::model::wareki::format_date(d, secform::model::wareki::DateStyle::Wareki),
            "{path}"
        );
    }

    assert_eq!(v["problems"], serde_json::json!([]));
    // Warnings do not stop the preview, and are check's.
    let warned = SAMPLE.replace(r#""title": "部長""#, r#""$comment": "部長""#);
    let expected = r.check(&warned, &options());
    assert!(
        !expected.is_empty() && !expected.iter().any(secform::Problem::is_error),
        "{expected:?}"
    );
    let (_, _, body) = send(&s, post(&s, "POST", "/api/preview", warned)).await;
    let w = json(&body);
    assert_eq!(w["problems"], serde_json::to_value(&expected).unwrap());
    // The page gets the form's name of the field to show beside the message (`label`).
    assert_eq!(w["problems"][0]["path"], "checker.title");
    assert_eq!(w["problems"][0]["label"], "確認者（役職）");
    assert_eq!(w["count"], doc.pages.len());

    let (status, headers, body) = send(&s, post(&s, "POST", "/api/pdf", SAMPLE)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(body, r.render_json(SAMPLE, &options()).ok().unwrap());

    let bad = SAMPLE.replace("\"checked_on\"", "\"checked_onn\"");
    let (status, _, body) = send(&s, post(&s, "POST", "/api/pdf", bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(&body)["problems"][0]["path"].is_string());
}

#[tokio::test]
async fn save_and_save_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("確認書.json");
    let s = session(Some(file.clone()));
    // The file does not exist yet: its version is "none" and the first save creates it.
    let (_, headers, body) = send(&s, get(&s, "/api/answers")).await;
    assert_eq!(json(&body)["text"], SAMPLE);
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(etag, "\"none\"");
    let changed = SAMPLE.replace("株式会社サンプル情報システム", "株式会社変更後");
    let mut req = post(&s, "PUT", "/api/save", changed.clone());
    req.headers_mut()
        .insert(header::IF_MATCH, etag.parse().unwrap());
    let (status, headers, _) = send(&s, req).await;
    assert_eq!(status, StatusCode::OK);
    let saved = std::fs::read_to_string(&file).unwrap();
    let value: serde_json::Value = serde_json::from_str(&changed).unwrap();
    assert_eq!(saved, serde_json::to_string_pretty(&value).unwrap() + "\n");
    let new_tag = headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(new_tag, version_of(Some(&file)));
    // A second tab still holding the old version is refused and the file is untouched.
    let mut req = post(&s, "PUT", "/api/save", SAMPLE);
    req.headers_mut()
        .insert(header::IF_MATCH, etag.parse().unwrap());
    let (status, _, body) = send(&s, req).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    assert!(json(&body)["message"]
        .as_str()
        .unwrap()
        .contains("別の画面で変更"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), saved);
    // Without If-Match: refused too.
    let (status, _, _) = send(&s, post(&s, "PUT", "/api/save", SAMPLE)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    // With the new version: accepted.
    let mut req = post(&s, "PUT", "/api/save", SAMPLE);
    req.headers_mut()
        .insert(header::IF_MATCH, new_tag.parse().unwrap());
    assert_eq!(send(&s, req).await.0, StatusCode::OK);
    // Bad JSON is never written.
    let mut req = post(&s, "PUT", "/api/save", "{");
    req.headers_mut()
        .insert(header::IF_MATCH, version_of(Some(&file)).parse().unwrap());
    assert_eq!(send(&s, req).await.0, StatusCode::BAD_REQUEST);
    assert!(std::fs::read_to_string(&file).unwrap().ends_with("}\n"));
}

/// A bad `seal.data` through the API: the problem at `seal.data` in the check and the preview, the
/// PDF refused with a 4xx, never a 500; a good one previews with the image.
#[tokio::test]
async fn seal_data_through_the_api() {
    use base64::Engine as _;
    let s = session(None);
    let with = |data: String| {
        let mut v: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        v["seal"] = serde_json::json!({ "data": data });
        v.to_string()
    };
    let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/seal.png")).unwrap();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
    huge.resize(5 * 1024 * 1024 + 1, 0);
    for bad in [
        "data:image/png;base64,!!!!".to_string(),
        format!("data:image/png;base64,{}", b64(b"not an image")),
        format!("data:image/png;base64,{}", b64(&huge)),
    ] {
        let answers = with(bad);
        assert!(answers.len() < BODY_LIMIT);
        let (status, _, body) = send(&s, post(&s, "POST", "/api/check", answers.clone())).await;
        assert_eq!(status, StatusCode::OK);
        assert!(json(&body)
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == "seal.data" && p["severity"] == "error"));
        let (status, _, body) = send(&s, post(&s, "POST", "/api/preview", answers.clone())).await;
        assert_eq!(status, StatusCode::OK);
        assert!(json(&body)["pages"].is_null());
        let (status, _, body) = send(&s, post(&s, "POST", "/api/pdf", answers)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(&body)["problems"][0]["path"], "seal.data");
    }
    let good = with(format!("data:image/png;base64,{}", b64(&png)));
    let (_, _, body) = send(&s, post(&s, "POST", "/api/preview", good)).await;
    let pages: Vec<String> = serde_json::from_value(json(&body)["pages"].clone()).unwrap();
    let seal = format!("href=\"data:image/png;base64,{}\"", b64(&png));
    assert_eq!(pages.iter().filter(|p| p.contains(&seal)).count(), 1);
}

/// No path from the browser is opened: a `seal.image` the started-from answers do not name is
/// an error at `seal.image` and never read (its pixels never reach the preview); the file's own
/// one is read.
#[tokio::test]
async fn a_seal_path_from_the_browser_is_not_opened() {
    let png = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/seal.png");
    let with = |image: &str| {
        let mut v: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        v["seal"] = serde_json::json!({ "image": image });
        v.to_string()
    };
    let s = session(None);
    let foreign = with(png);
    let (status, _, body) = send(&s, post(&s, "POST", "/api/check", foreign.clone())).await;
    assert_eq!(status, StatusCode::OK);
    let problems = json(&body);
    assert_eq!(problems[0]["path"], "seal.image");
    assert!(problems[0]["message"]
        .as_str()
        .unwrap()
        .contains("開きません"));
    let (_, _, body) = send(&s, post(&s, "POST", "/api/preview", foreign.clone())).await;
    assert_eq!(json(&body)["problems"], problems);
    assert!(json(&body)["pages"].is_null());
    let (status, _, body) = send(&s, post(&s, "POST", "/api/pdf", foreign.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(&body)["problems"][0]["path"], "seal.image");
    // The answers the server started from name it: read, as `render` would.
    let own = Arc::new(
        Session::new(
            Renderer::new(FontSet::bundled()),
            options(),
            PORT,
            None,
            foreign.clone(),
        )
        .unwrap(),
    );
    let (_, _, body) = send(&own, post(&own, "POST", "/api/preview", foreign.clone())).await;
    assert_eq!(json(&body)["problems"], serde_json::json!([]));
    assert!(json(&body)["pages"]
        .to_string()
        .contains("data:image/png;base64,"));
    let (status, _, body) = send(&own, post(&own, "POST", "/api/pdf", foreign.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        Renderer::new(FontSet::bundled())
            .render_json(&foreign, &options())
            .ok()
            .unwrap()
    );
}
