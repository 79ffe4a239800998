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
    let (_, _, layout) = send(&s, get(&s, "/api/layout")).await;
    assert_eq!(
        std::str::from_utf8(&layout).unwrap(),
        include_str!("../layouts/npa-2022/form.json")
    );
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
    let (status, _, _) = send(&s, post(&s, "POST", "/api/check", big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
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
    let a = secform::answers::read(SAMPLE).ok().unwrap();
    let doc = r.form_document(&a, &options()).ok().unwrap().document;
    assert_eq!(v["count"], doc.pages.len());
    let pages: Vec<String> = serde_json::from_value(v["pages"].clone()).unwrap();
    assert_eq!(pages, secform::svg::pages(&doc));
    assert!(pages[0].contains("株式会社サンプル情報システム"));

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
