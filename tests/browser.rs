//! `secform serve` in a real browser (Debian's chromium over chromedriver, headless). Runs only
//! with `SECFORM_BROWSER=1` (set by `.ci/run`, which installs both); then a missing browser fails.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use secform::serve::{router, Session};
use secform::{CheckOptions, FontSet, Renderer};

const SAMPLE: &str = include_str!("../samples/main-contractor.json");

async fn wait_for<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !f().await {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fill_in_the_form_in_chromium() {
    if std::env::var("SECFORM_BROWSER").as_deref() != Ok("1") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("確認書.json");
    std::fs::write(&file, SAMPLE).unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut options = CheckOptions::new(chrono::Local::now().date_naive());
    options.base_dir = Some(dir.path().to_path_buf());
    let session = Arc::new(
        Session::new(
            Renderer::new(FontSet::bundled()),
            options.clone(),
            port,
            Some(file.clone()),
            SAMPLE.to_string(),
        )
        .unwrap(),
    );
    let url = session.url();
    tokio::spawn(async move { axum::serve(listener, router(session)).await });

    let driver_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut driver = std::process::Command::new("chromedriver")
        .arg(format!("--port={driver_port}"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("chromedriver (Debian chromium-driver) must be installed");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,800", "--lang=ja"],
            "prefs": { "download.default_directory": downloads.display().to_string(), "download.prompt_for_download": false }
        }),
    );
    let mut client = None;
    let start = Instant::now();
    while client.is_none() {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
        {
            Ok(c) => client = Some(c),
            Err(e) => {
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "chromedriver: {e}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    let c = client.unwrap();
    c.goto(&url).await.unwrap();
    let preview_text = || async {
        c.find(Locator::Css("#preview"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap_or_default()
    };
    wait_for("the first preview", || async {
        preview_text()
            .await
            .contains("株式会社サンプル情報システム")
    })
    .await;

    // The company, typed, appears in the preview.
    let company = c
        .find(Locator::Css(r#"[name="target.company"]"#))
        .await
        .unwrap();
    company.clear().await.unwrap();
    let typed = Instant::now();
    company.send_keys("株式会社ブラウザ試験").await.unwrap();
    wait_for("the company in #preview", || async {
        preview_text().await.contains("株式会社ブラウザ試験")
    })
    .await;
    println!("keystroke to preview: {:?}", typed.elapsed());

    // Row 7 未実施 with no reason: the message at items.7.detail.
    let detail = c
        .find(Locator::Css(r#"[name="items.7.detail"]"#))
        .await
        .unwrap();
    detail.clear().await.unwrap();
    c.find(Locator::Css(r#"[name="items.7.status"]"#))
        .await
        .unwrap()
        .select_by_value("未実施")
        .await
        .unwrap();
    let msg = r#".messages[data-for="items.7.detail"] [data-path="items.7.detail"][data-severity="error"]"#;
    wait_for("the message at items.7.detail", || async {
        c.find(Locator::Css(msg)).await.is_ok()
    })
    .await;
    let expected = Renderer::new(FontSet::bundled())
        .check(
            &SAMPLE.replace(
                r#""7": { "status": "実施", "detail": "年2回の教育計画を作成し、令和7年4月10日に承認を得た。" }"#,
                r#""7": { "status": "未実施", "detail": "" }"#,
            ),
            &options,
        );
    let want = &expected
        .iter()
        .find(|p| p.path == "items.7.detail")
        .unwrap()
        .message;
    assert_eq!(
        &c.find(Locator::Css(msg))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        want
    );
    assert!(c
        .find(Locator::Css("#download"))
        .await
        .unwrap()
        .attr("disabled")
        .await
        .unwrap()
        .is_some());

    // Fixed: the message goes.
    detail
        .send_keys("教育計画は作成済みで、承認を得る予定。")
        .await
        .unwrap();
    wait_for("the message gone", || async {
        c.find(Locator::Css(msg)).await.is_err()
    })
    .await;
    wait_for("download enabled", || async {
        c.find(Locator::Css("#download"))
            .await
            .unwrap()
            .attr("disabled")
            .await
            .unwrap()
            .is_none()
    })
    .await;

    // 保存 writes the file.
    c.find(Locator::Css("#save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for("the file saved", || async {
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("株式会社ブラウザ試験")
    })
    .await;
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("教育計画は作成済みで、承認を得る予定。"));

    // The PDF downloaded is `render`'s for the saved answers.
    c.find(Locator::Css("#download"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let pdf_path = downloads.join("確認書.pdf");
    wait_for("the PDF downloaded", || async { pdf_path.exists() }).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pdf = std::fs::read(&pdf_path).unwrap();
    let rendered = Renderer::new(FontSet::bundled())
        .render_json(&saved, &options)
        .ok()
        .unwrap();
    assert_eq!(pdf, rendered);
    let text = lopdf::Document::load_mem(&pdf)
        .unwrap()
        .extract_text(&[1])
        .unwrap_or_default();
    assert!(text.contains("株式会社ブラウザ試験"), "{text}");
    assert!(text.contains("教育計画は作成済みで"), "{text}");

    c.execute(
        "window.scrollTo(0, 0); document.querySelector('#side').scrollTo(0, 0);",
        vec![],
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let png = c.screenshot().await.unwrap();
    std::fs::create_dir_all("target/browser").unwrap();
    std::fs::write("target/browser/serve.png", png).unwrap();
    c.close().await.unwrap();
    let _ = driver.kill();
    let _ = driver.wait();
}
