//! `secform serve`'s HTTP API driven in process: the page and its assets, check, preview, PDF,
//! save with its conflict, and every refusal of the security layer.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use secform::serve::{router, version_of, Session, BODY_LIMIT};
use secform::{CheckOptions, FontSet, Renderer};
use tower::ServiceExt;

const PORT: u16 = 43210;
const SAMPLE: &str = include_str!("../../samples/main-contractor.json");

fn options() -> CheckOptions {
    let mut o = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    o.seal_files = secform::files::SealFolder::shared(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples"),
    );
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
        .header(header::COOKIE, format!("secform_token_{PORT}={}", s.token))
        .body(Body::empty())
        .unwrap()
}

fn post(s: &Session, method: &str, path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, format!("localhost:{PORT}"))
        .header(header::ORIGIN, format!("http://localhost:{PORT}"))
        .header(header::COOKIE, format!("secform_token_{PORT}={}", s.token))
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
            "secform_token_{PORT}={}; HttpOnly; SameSite=Strict; Path=/",
            s.token
        )
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"));
    let html = String::from_utf8(body).unwrap();
    // Relative paths: the same page is the browser tab's static app (web/build.sh).
    assert!(html.contains(r#"src="app.js""#), "{html}");
    for path in [
        "/app.js",
        "/host.js",
        "/style.css",
        "/font.ttf",
        "/api/layout",
    ] {
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
        serde_json::from_str(include_str!("../../layouts/npa-2022/form.json")).unwrap();
    assert_eq!(layout, file);
    assert_eq!(page["detail_label"], file["items"]["columns"][3]["title"]);
    assert_eq!(page["detail_label"], "実施状況(詳細)又は未実施の理由");
    assert_eq!(page["status_label"], "実施/未実施");
    // 開く's file goes as one request body: the page is told the server's limit, not the
    // command line's 32 MB.
    assert_eq!(page["open_max_bytes"], BODY_LIMIT);
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
    req.headers_mut().insert(
        header::COOKIE,
        format!("secform_token_{PORT}=0000").parse().unwrap(),
    );
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

fn put_save(s: &Session, body: &str, tag: &str) -> Request<Body> {
    let mut req = post(s, "PUT", "/api/save", body.to_string());
    req.headers_mut()
        .insert(header::IF_MATCH, tag.parse().unwrap());
    req
}

async fn answers_now(s: &Arc<Session>) -> (String, String) {
    let (status, headers, body) = send(s, get(s, "/api/answers")).await;
    assert_eq!(status, StatusCode::OK);
    let v = json(&body);
    let tag = headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(v["version"], tag);
    (v["text"].as_str().unwrap().to_string(), tag)
}

/// Issue 21: the page is always given the file as it is now, with the tag of that very text;
/// after a save a reload shows the saved answers, and a page still holding the old text can
/// never save over them.
#[tokio::test]
async fn the_page_gets_the_files_current_content_and_its_tag() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    std::fs::write(&file, SAMPLE).unwrap();
    let s = session(Some(file.clone()));
    let (text, first) = answers_now(&s).await;
    assert_eq!(text, SAMPLE);
    // Tab 1 saves a new company name.
    let changed = SAMPLE.replace("株式会社サンプル情報システム", "株式会社保存後");
    let (status, headers, _) = send(&s, put_save(&s, &changed, &first)).await;
    assert_eq!(status, StatusCode::OK);
    let saved_tag = headers[header::ETAG].to_str().unwrap().to_string();
    // A reload (or a second tab) shows the saved name, with the tag of what it shows.
    let (text, tag) = answers_now(&s).await;
    assert!(text.contains("株式会社保存後"), "{text}");
    assert_eq!(text, std::fs::read_to_string(&file).unwrap());
    assert_eq!(tag, saved_tag);
    assert_eq!(tag, version_of(Some(&file)));
    // The stale tab (the start-up answers and their tag) cannot revert it.
    let (status, _, body) = send(&s, put_save(&s, SAMPLE, &first)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let message = json(&body)["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("入力中の内容はこの画面に残っています"),
        "{message}"
    );
    // No message advises what throws work away.
    assert!(!message.contains("開き直して"), "{message}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // Another program changes the file: the page is given that, and a save over the old tag
    // is refused.
    let outside = SAMPLE.replace("株式会社サンプル情報システム", "株式会社外部編集");
    std::fs::write(&file, &outside).unwrap();
    let (status, _, _) = send(&s, put_save(&s, &changed, &tag)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (text, _) = answers_now(&s).await;
    assert_eq!(text, outside);
    // A file that no longer reads as JSON is said, not shown as answers.
    std::fs::write(&file, "{ broken").unwrap();
    let (status, _, body) = send(&s, get(&s, "/api/answers")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(json(&body)["message"]
        .as_str()
        .unwrap()
        .contains("JSON ではありません"));
}

/// The served file replaced by a symlink after start: refused like a change on disk, and the
/// link's target is never written, even when it holds exactly the content the page was given.
#[cfg(unix)]
#[tokio::test]
async fn a_link_in_place_of_the_file_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    let elsewhere = dir.path().join("elsewhere.json");
    std::fs::write(&file, SAMPLE).unwrap();
    std::fs::write(&elsewhere, SAMPLE).unwrap();
    let s = session(Some(file.clone()));
    let (_, tag) = answers_now(&s).await;
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &file).unwrap();
    let changed = SAMPLE.replace("株式会社サンプル情報システム", "株式会社リンク先");
    let (status, _, body) = send(&s, put_save(&s, &changed, &tag)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    assert!(json(&body)["message"]
        .as_str()
        .unwrap()
        .contains("通常のファイルではありません"));
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), SAMPLE);
    assert!(std::fs::symlink_metadata(&file)
        .unwrap()
        .file_type()
        .is_symlink());
    // Nor is it read as the page's answers.
    let (status, _, body) = send(&s, get(&s, "/api/answers")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(json(&body)["message"]
        .as_str()
        .unwrap()
        .contains("通常のファイルではありません"));
}

/// Issue 22: the cookie is named for the port: two sessions in one browser (which sends every
/// cookie of 127.0.0.1 to every port) each find their own, and neither accepts the other's.
#[tokio::test]
async fn the_cookie_is_named_for_the_port() {
    let make = |port: u16| {
        Arc::new(
            Session::new(
                Renderer::new(FontSet::bundled()),
                options(),
                port,
                None,
                SAMPLE.to_string(),
            )
            .unwrap(),
        )
    };
    let (a, b) = (make(43211), make(43212));
    assert_ne!(a.token, b.token);
    let first = |s: &Arc<Session>| {
        Request::get(format!("/?token={}", s.token))
            .header(header::HOST, format!("127.0.0.1:{}", s.port))
            .body(Body::empty())
            .unwrap()
    };
    let (_, ha, _) = send(&a, first(&a)).await;
    let (_, hb, _) = send(&b, first(&b)).await;
    let cookie = |h: &axum::http::HeaderMap| {
        let set = h[header::SET_COOKIE].to_str().unwrap().to_string();
        set.split(';').next().unwrap().to_string()
    };
    let (ca, cb) = (cookie(&ha), cookie(&hb));
    assert_eq!(ca, format!("secform_token_43211={}", a.token));
    assert_eq!(cb, format!("secform_token_43212={}", b.token));
    // The browser sends both cookies to both servers: each takes its own.
    let with = |s: &Arc<Session>, cookies: &str| {
        Request::get("/api/layout")
            .header(header::HOST, format!("127.0.0.1:{}", s.port))
            .header(header::COOKIE, cookies)
            .body(Body::empty())
            .unwrap()
    };
    let both = format!("{ca}; {cb}");
    assert_eq!(send(&a, with(&a, &both)).await.0, StatusCode::OK);
    assert_eq!(send(&b, with(&b, &both)).await.0, StatusCode::OK);
    // Another session's cookie (a logger on another port would see only its own name's) is no key.
    assert_eq!(send(&a, with(&a, &cb)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&b, with(&b, &ca)).await.0, StatusCode::FORBIDDEN);
    // The old port-less name is no key either.
    let old = format!("secform_token={}", a.token);
    assert_eq!(send(&a, with(&a, &old)).await.0, StatusCode::FORBIDDEN);
}

/// Every response, refusals included, sends no referrer: the page's first URL carries the token.
#[tokio::test]
async fn no_response_sends_a_referrer() {
    let s = session(None);
    let no_token = Request::get("/")
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .body(Body::empty())
        .unwrap();
    let mut wrong_host = get(&s, "/");
    wrong_host
        .headers_mut()
        .insert(header::HOST, "evil.example".parse().unwrap());
    let requests = vec![
        Request::get(format!("/?token={}", s.token))
            .header(header::HOST, format!("127.0.0.1:{PORT}"))
            .body(Body::empty())
            .unwrap(),
        get(&s, "/app.js"),
        get(&s, "/api/answers"),
        get(&s, "/favicon.ico"),
        post(&s, "POST", "/api/preview", SAMPLE),
        post(&s, "POST", "/api/check", vec![b' '; BODY_LIMIT + 1]),
        no_token,
        wrong_host,
    ];
    for req in requests {
        let path = req.uri().to_string();
        let (status, headers, _) = send(&s, req).await;
        assert_eq!(
            headers
                .get(header::REFERRER_POLICY)
                .map(|v| v.to_str().unwrap()),
            Some("no-referrer"),
            "{path} ({status})"
        );
    }
}

/// Issue 24: the browser's /favicon.ico gets an icon.
#[tokio::test]
async fn the_favicon_is_an_icon() {
    let s = session(None);
    for path in ["/favicon.ico", "/favicon.svg"] {
        let (status, headers, body) = send(&s, get(&s, path)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
        let text = String::from_utf8(body).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "svg");
    }
    let (_, _, html) = send(&s, get(&s, "/")).await;
    assert!(String::from_utf8(html)
        .unwrap()
        .contains(r#"<link rel="icon" href="favicon.svg""#));
}

/// Issue 24: `--listen ADDR`: the URL names ADDR, ADDR is the Host accepted, and the token and
/// the Origin check still apply.
#[tokio::test]
async fn listen_on_another_address() {
    for (addr, authority) in [
        ("192.168.1.10", "192.168.1.10:43210"),
        ("fd00::7", "[fd00::7]:43210"),
    ] {
        let mut s = Session::new(
            Renderer::new(FontSet::bundled()),
            options(),
            PORT,
            None,
            SAMPLE.to_string(),
        )
        .unwrap();
        s.listen = addr.parse().unwrap();
        let s = Arc::new(s);
        assert_eq!(s.url(), format!("http://{authority}/?token={}", s.token));
        let on = |req: Request<Body>, host: &str| {
            let mut req = req;
            req.headers_mut()
                .insert(header::HOST, host.parse().unwrap());
            if req.headers().contains_key(header::ORIGIN) {
                req.headers_mut()
                    .insert(header::ORIGIN, format!("http://{host}").parse().unwrap());
            }
            req
        };
        assert_eq!(
            send(&s, on(get(&s, "/api/layout"), authority)).await.0,
            StatusCode::OK
        );
        assert_eq!(
            send(&s, on(post(&s, "POST", "/api/check", SAMPLE), authority))
                .await
                .0,
            StatusCode::OK
        );
        // The loopback names are not this server's, and the token is still needed.
        for host in [format!("127.0.0.1:{PORT}"), format!("localhost:{PORT}")] {
            let (status, _, body) = send(&s, on(get(&s, "/api/layout"), &host)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{host}");
            assert!(String::from_utf8(body).unwrap().contains(authority));
        }
        let mut no_token = on(get(&s, "/api/layout"), authority);
        no_token.headers_mut().remove(header::COOKIE);
        assert_eq!(send(&s, no_token).await.0, StatusCode::FORBIDDEN);
        let mut foreign = on(post(&s, "POST", "/api/check", SAMPLE), authority);
        foreign
            .headers_mut()
            .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert_eq!(send(&s, foreign).await.0, StatusCode::FORBIDDEN);
    }
}

/// A server of its own on 127.0.0.1 (hyper, as `secform serve` runs it) with `limits`.
async fn real_server(limits: secform::serve::Limits) -> (Arc<Session>, std::net::SocketAddr) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut s = Session::new(
        Renderer::new(FontSet::bundled()),
        options(),
        addr.port(),
        None,
        SAMPLE.to_string(),
    )
    .unwrap();
    s.limits = limits;
    let s = Arc::new(s);
    tokio::spawn(secform::serve::run(listener, s.clone()));
    (s, addr)
}

/// The head of a POST of `length` bytes from the page.
fn head(s: &Session, path: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://127.0.0.1:{p}\r\n\
         Cookie: secform_token_{p}={t}\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n",
        p = s.port,
        t = s.token
    )
}

/// Everything the server sends until it closes the connection (or `wait` passes: `None`).
async fn read_all(stream: &mut tokio::net::TcpStream, wait: std::time::Duration) -> Option<String> {
    use tokio::io::AsyncReadExt as _;
    let mut out = Vec::new();
    tokio::time::timeout(wait, stream.read_to_end(&mut out))
        .await
        .ok()
        .map(|_| String::from_utf8_lossy(&out).into_owned())
}

/// Issue 22: a body that stops coming is given up after the body timeout (408, in Japanese), and
/// a connection that sends no request, or idles after one, is closed after the header timeout.
#[tokio::test]
async fn bodies_and_idle_connections_time_out() {
    use tokio::io::AsyncWriteExt as _;
    let limits = secform::serve::Limits {
        body_timeout: std::time::Duration::from_millis(300),
        header_timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    };
    let (s, addr) = real_server(limits).await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let partial = format!("{}{{\"layout\"", head(&s, "/api/preview", 1000));
    stream.write_all(partial.as_bytes()).await.unwrap();
    let answer = read_all(&mut stream, std::time::Duration::from_secs(20))
        .await
        .expect("the server gives up the body");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("途中で止まりました"), "{answer}");
    assert!(answer.contains("referrer-policy: no-referrer"), "{answer}");
    // Connected, nothing sent: closed without an answer.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    let closed = read_all(&mut idle, std::time::Duration::from_secs(20)).await;
    assert!(closed.is_some(), "an idle connection is held open");
}

/// Issue 22: a body trickled a byte at a time, each byte within the body timeout, still loses its
/// place for work after the work timeout (408), so that two such clients cannot stop every save.
#[tokio::test]
async fn a_trickled_body_loses_its_place_for_work() {
    use tokio::io::AsyncWriteExt as _;
    let limits = secform::serve::Limits {
        body_timeout: std::time::Duration::from_millis(400),
        work_timeout: std::time::Duration::from_millis(1500),
        ..Default::default()
    };
    let (s, addr) = real_server(limits).await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(head(&s, "/api/preview", 1000).as_bytes())
        .await
        .unwrap();
    // One byte every 100 ms, at most 100 of them (10 s): the server must answer well before.
    let mut answered = false;
    for _ in 0..100 {
        if stream.write_all(b" ").await.is_err() {
            answered = true;
            break;
        }
        let mut buf = [0u8; 64];
        if let Ok(Ok(n)) = tokio::time::timeout(
            std::time::Duration::from_millis(100),
            tokio::io::AsyncReadExt::read(&mut stream, &mut buf),
        )
        .await
        {
            if n > 0 {
                assert!(
                    String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
                    "{}",
                    String::from_utf8_lossy(&buf[..n])
                );
                answered = true;
                break;
            }
        }
    }
    assert!(answered, "a trickled body kept its place for 10 s");
}

/// Issue 22: at most `work` requests read and work on a body at once; the next waits (before
/// reading its body) until one is done. And at most `connections` are open: the next is served
/// once one closes.
#[tokio::test]
async fn work_and_connections_are_bounded() {
    use tokio::io::AsyncWriteExt as _;
    let limits = secform::serve::Limits {
        work: 1,
        connections: 3,
        ..Default::default()
    };
    let (s, addr) = real_server(limits).await;
    // A holds the one place for work: its body is half sent.
    let body = SAMPLE.as_bytes();
    let mut a = tokio::net::TcpStream::connect(addr).await.unwrap();
    a.write_all(head(&s, "/api/preview", body.len()).as_bytes())
        .await
        .unwrap();
    a.write_all(&body[..100]).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // B, whole, waits for it.
    let mut b = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("{}{SAMPLE}", head(&s, "/api/check", body.len()))
        .replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n");
    b.write_all(request.as_bytes()).await.unwrap();
    assert_eq!(
        read_all(&mut b, std::time::Duration::from_millis(1500)).await,
        None,
        "a second piece of work ran beside the first"
    );
    // A done: B is answered.
    a.write_all(&body[100..]).await.unwrap();
    let answer = read_all(&mut b, std::time::Duration::from_secs(30))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Three connections held open (A and two idle ones): a fourth is not served until one closes.
    let c = tokio::net::TcpStream::connect(addr).await.unwrap();
    let d = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut e = tokio::net::TcpStream::connect(addr).await.unwrap();
    let get = format!(
        "GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nCookie: secform_token_{p}={t}\r\nConnection: close\r\n\r\n",
        p = s.port,
        t = s.token
    );
    e.write_all(get.as_bytes()).await.unwrap();
    assert_eq!(
        read_all(&mut e, std::time::Duration::from_millis(1500)).await,
        None,
        "a connection beyond the cap was served"
    );
    drop(c);
    let answer = read_all(&mut e, std::time::Duration::from_secs(30))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop((a, d));
}

/// Issue 22: the browser is opened on a private redirect file (mode 0600 in a folder of mode
/// 0700), never with the token on its command line; the file leads to the tokenized URL.
#[cfg(unix)]
#[test]
fn the_browser_opens_a_private_redirect_file() {
    use std::io::BufRead as _;
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    std::fs::write(&file, SAMPLE).unwrap();
    let seen = dir.path().join("seen");
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\n{{ printf '%s\\n' \"$#\" \"$1\"; stat -c %a \"$1\" \"$(dirname \"$1\")\"; cat \"$1\"; }} > '{0}.tmp' && mv '{0}.tmp' '{0}'\n",
            seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_secform"))
        .args(["serve", "--port", "0"])
        .arg(&file)
        .env("BROWSER", &browser)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    let start = std::time::Instant::now();
    while !seen.exists() && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Ctrl-C, as a user stops it.
    let stopped = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(child.wait().unwrap().success());
    let seen = std::fs::read_to_string(&seen).expect("the browser was started");
    let lines: Vec<&str> = seen.lines().collect();
    let token = url.split("token=").nth(1).unwrap();
    assert_eq!(token.len(), 32, "{url}");
    // One argument, a path, without the token.
    assert_eq!(lines[0], "1");
    assert!(!lines[1].contains(token), "{}", lines[1]);
    let port = url.rsplit(':').next().unwrap().split('/').next().unwrap();
    assert!(
        lines[1].ends_with(&format!("secform-{port}-open.html")),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], "600");
    assert_eq!(lines[3], "700");
    let page = lines[4..].join("\n");
    assert_eq!(page.trim_end(), secform::serve::open::page(&url).trim_end());
    assert!(page.contains(&format!("content=\"0;url={url}\"")));
    // Gone when the server stops.
    assert!(!std::path::Path::new(lines[1]).exists());
}

/// `--listen 0.0.0.0` names no address a browser could use (Host is checked against it).
#[test]
fn listen_on_every_address_is_refused() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_secform"))
        .args(["serve", "--no-open", "--listen", "0.0.0.0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--listen 0.0.0.0 は使えません"), "{err}");
    assert!(out.stdout.is_empty());
}

/// A link named on the command line is followed once at start: the page gets the answers of the
/// file it points to and saves there (only a link put in place later is refused).
#[cfg(unix)]
#[test]
fn a_link_named_at_start_is_the_file_it_points_to() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::fs::write(&real, SAMPLE).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let v = answers_through_the_binary(&[link.as_os_str()]);
    assert_eq!(v["text"], SAMPLE);
    let named = std::fs::canonicalize(&real).unwrap();
    assert_eq!(v["file"], named.display().to_string());
}

fn company(text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    v["target"]["company"].as_str().unwrap().to_string()
}

fn renamed(text: &str, to: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    v["target"]["company"] = to.into();
    v.to_string()
}

/// Issue 24: a workbook is shown and 保存 writes it back as a workbook; a PDF named as the file
/// 保存 goes to is written as `render`'s PDF, whose attached answers are the saved ones, and
/// answers with errors are refused with their problems, the file unchanged.
#[tokio::test]
async fn a_workbook_and_a_pdf_are_saved_as_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("確認書.xlsx");
    std::fs::write(
        &book,
        secform::export::workbook::json_to_xlsx(SAMPLE).unwrap(),
    )
    .unwrap();
    let s = session(Some(book.clone()));
    let (status, _, body) = send(&s, get(&s, "/api/answers")).await;
    assert_eq!(status, StatusCode::OK);
    let v = json(&body);
    assert_eq!(v["save_as"], "xlsx");
    let text = v["text"].as_str().unwrap();
    assert_eq!(company(text), company(SAMPLE));
    let tag = v["version"].as_str().unwrap().to_string();
    let (status, _, body) = send(&s, put_save(&s, &renamed(text, "株式会社ブック"), &tag)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(json(&body)["save_as"], "xlsx");
    let bytes = std::fs::read(&book).unwrap();
    assert!(bytes.starts_with(b"PK"), "a workbook is written");
    let read = secform::input::file::AnswerFile::from_bytes(Some(&book), bytes).unwrap();
    assert_eq!(company(&read.json), "株式会社ブック");
    // A reload shows the workbook as saved, with the tag of its bytes.
    let (now, now_tag) = answers_now(&s).await;
    assert_eq!(company(&now), "株式会社ブック");
    assert_eq!(now_tag, json(&body)["version"]);

    let pdf = dir.path().join("確認書.pdf");
    let s = session(Some(pdf.clone()));
    let (text, tag) = answers_now(&s).await;
    assert_eq!(tag, "\"none\"");
    let mut bad: serde_json::Value = serde_json::from_str(&text).unwrap();
    bad["checked_on"] = "2026-02-30".into();
    let (status, _, body) = send(&s, put_save(&s, &bad.to_string(), &tag)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = json(&body);
    assert!(v["message"]
        .as_str()
        .unwrap()
        .contains("PDF に保存できません"));
    assert!(v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["path"] == "checked_on"));
    assert!(!pdf.exists(), "nothing is written for answers with errors");
    let (status, _, body) = send(
        &s,
        put_save(&s, &renamed(&text, "株式会社ピーディーエフ"), &tag),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(json(&body)["save_as"], "pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let attached = secform::input::pdf::read(&bytes).unwrap();
    assert_eq!(company(&attached), "株式会社ピーディーエフ");
    let (now, now_tag) = answers_now(&s).await;
    assert_eq!(company(&now), "株式会社ピーディーエフ");
    assert_eq!(now_tag, secform::serve::tag_of(&bytes));
}

/// Issue 24: `serve record.pdf -o FILE`: the page shows the record's answers, names the record,
/// and 保存 writes FILE (asking first, with FILE's company, when it exists).
#[tokio::test]
async fn answers_opened_from_a_record_are_saved_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("answers.json");
    std::fs::write(&out, renamed(SAMPLE, "株式会社既存")).unwrap();
    let record = renamed(SAMPLE, "株式会社記録");
    let mut s = Session::new(
        Renderer::new(FontSet::bundled()),
        options(),
        PORT,
        Some(out.clone()),
        record.clone(),
    )
    .unwrap();
    s.opened = Some(dir.path().join("record.pdf"));
    let s = Arc::new(s);
    let (_, headers, body) = send(&s, get(&s, "/api/answers")).await;
    let v = json(&body);
    assert_eq!(company(v["text"].as_str().unwrap()), "株式会社記録");
    assert!(v["opened"].as_str().unwrap().ends_with("record.pdf"));
    assert_eq!(v["file_company"], "株式会社既存");
    let tag = headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(tag, version_of(Some(&out)));
    let (status, _, _) = send(&s, put_save(&s, &record, &tag)).await;
    assert_eq!(status, StatusCode::OK);
    // From the first save on, the page is given the file 保存 writes.
    let (_, _, body) = send(&s, get(&s, "/api/answers")).await;
    let v = json(&body);
    assert!(v["opened"].is_null());
    assert_eq!(company(v["text"].as_str().unwrap()), "株式会社記録");
}

fn open_req(s: &Session, name: &str, bytes: Vec<u8>) -> Request<Body> {
    let mut req = post(s, "POST", "/api/open", bytes);
    let encoded: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
    req.headers_mut()
        .insert("x-file-name", encoded.parse().unwrap());
    req.headers_mut().insert(
        header::CONTENT_TYPE,
        "application/octet-stream".parse().unwrap(),
    );
    req
}

/// Issue 24: 開く sends the chosen file's bytes; the library reads a workbook, a secform PDF and
/// JSON, and refuses anything else in Japanese, naming the file; the guards apply.
#[tokio::test]
async fn open_reads_a_workbook_a_pdf_and_json() {
    let s = session(None);
    let book = secform::export::workbook::json_to_xlsx(&renamed(SAMPLE, "株式会社ブック")).unwrap();
    let renderer = Renderer::new(FontSet::bundled());
    let pdf = renderer
        .render_json(&renamed(SAMPLE, "株式会社記録"), &options())
        .unwrap();
    for (name, bytes, want) in [
        ("下請.xlsx", book, "株式会社ブック"),
        ("記録.pdf", pdf, "株式会社記録"),
        (
            "回答.json",
            SAMPLE.as_bytes().to_vec(),
            "株式会社サンプル情報システム",
        ),
    ] {
        let (status, _, body) = send(&s, open_req(&s, name, bytes)).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{name}: {}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(
            company(json(&body)["text"].as_str().unwrap()),
            want,
            "{name}"
        );
    }
    let (status, _, body) = send(&s, open_req(&s, "写真.pdf", b"%PDF-1.7 broken".to_vec())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let m = json(&body)["message"].as_str().unwrap().to_string();
    assert!(
        m.starts_with("写真.pdf は開けません: PDF として読めません"),
        "{m}"
    );
    let (status, _, body) = send(&s, open_req(&s, "表.xlsx", b"not a workbook".to_vec())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(&body)["message"]
        .as_str()
        .unwrap()
        .contains("表.xlsx は開けません: Excel ブック"));
    let mut foreign = open_req(&s, "a.json", SAMPLE.as_bytes().to_vec());
    foreign
        .headers_mut()
        .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
    assert_eq!(send(&s, foreign).await.0, StatusCode::FORBIDDEN);
}

/// Issue 24: the PDF's download is named after the company and the date of the check, the date
/// written by the PDF's own 和暦 code.
#[tokio::test]
async fn the_pdf_download_is_named_after_company_and_date() {
    let s = session(None);
    let (status, headers, _) = send(&s, post(&s, "POST", "/api/pdf", SAMPLE)).await;
    assert_eq!(status, StatusCode::OK);
    let cd = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    let encoded = cd.split("filename*=UTF-8''").nth(1).unwrap();
    // Every byte of the name is %XX or an unreserved ASCII character.
    let mut bytes = Vec::new();
    let mut rest = encoded.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            bytes.push(u8::from_str_radix(std::str::from_utf8(&tail[..2]).unwrap(), 16).unwrap());
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "確認書_株式会社サンプル情報システム_令和8年4月10日.pdf"
    );
}

/// The binary's `GET /api/answers` for `serve ARGS`, then Ctrl-C.
fn answers_through_the_binary(args: &[&std::ffi::OsStr]) -> serde_json::Value {
    use std::io::{BufRead as _, Read as _, Write as _};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_secform"))
        .args(["serve", "--no-open", "--port", "0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let rest = url.trim().strip_prefix("http://").unwrap();
    let (authority, token) = rest.split_once("/?token=").unwrap();
    let port = authority.rsplit(':').next().unwrap();
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "GET /api/answers HTTP/1.1\r\nHost: {authority}\r\nCookie: secform_token_{port}={token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

/// Issue 24 through the binary: `serve record.pdf -o FILE` shows the record's answers and saves
/// to FILE; `serve record.pdf` alone saves nowhere (the record is not edited in place); a PDF
/// that is not there, and a workbook kind secform does not write, are refused in Japanese.
#[test]
fn serve_a_record_with_o_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("record.pdf");
    let renderer = Renderer::new(FontSet::bundled());
    std::fs::write(
        &record,
        renderer
            .render_json(&renamed(SAMPLE, "株式会社記録"), &options())
            .unwrap(),
    )
    .unwrap();
    let out = dir.path().join("answers.xlsx");
    let v = answers_through_the_binary(&[record.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(company(v["text"].as_str().unwrap()), "株式会社記録");
    assert_eq!(v["save_as"], "xlsx");
    assert!(v["file"].as_str().unwrap().ends_with("answers.xlsx"));
    assert!(v["opened"].as_str().unwrap().ends_with("record.pdf"));
    let v = answers_through_the_binary(&[record.as_os_str()]);
    assert_eq!(company(v["text"].as_str().unwrap()), "株式会社記録");
    assert!(v["file"].is_null());

    let refused = |args: &[&std::ffi::OsStr]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_secform"))
            .args(["serve", "--no-open", "--port", "0"])
            .args(args)
            .output()
            .unwrap();
        assert!(!o.status.success());
        String::from_utf8(o.stderr).unwrap()
    };
    let missing = dir.path().join("missing.pdf");
    assert!(refused(&[missing.as_os_str()])
        .contains("missing.pdf がありません（PDF に保存するときは -o"));
    let xls = dir.path().join("a.xls");
    assert!(
        refused(&[record.as_os_str(), "-o".as_ref(), xls.as_os_str()])
            .contains("保存先は .json・.xlsx・.pdf のどれかにしてください")
    );
}
