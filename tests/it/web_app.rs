//! Issue 25: the static web app (`web/build.sh` → `target/web/`), secform's engine compiled to
//! WebAssembly in a Web Worker, in a real browser with nothing else: served by `python3 -m
//! http.server` as README.md tells a user to, driven over WebDriver in Debian's headless chromium.
//! Every off-origin request the browser makes goes to a recording proxy, which must see none.
//!
//! Ignored by a plain `cargo test` (it needs the wasm toolchain's build, chromium and its driver);
//! `.ci/run` builds the app, installs both and runs `cargo test --test it web_app:: -- --ignored`,
//! where anything missing fails the test (never skips it).
#![expect(
    clippy::print_stdout,
    reason = "the figures bench/web.sh reads, beside the pass or fail"
)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::Locator;

use crate::browser::{choose_file, chromium_with, click, text_of, type_into, wait_for};
use crate::common;

const BIN: &str = env!("CARGO_BIN_EXE_secform");

/// The built app, or a failure that says how to build it.
fn app() -> PathBuf {
    let app = common::root().join("target/web");
    for f in [
        "index.html",
        "app.js",
        "host.js",
        "worker.js",
        "secform_web.js",
        "secform_web_bg.wasm",
    ] {
        assert!(
            app.join(f).is_file(),
            "{} is missing: run web/build.sh first",
            app.join(f).display()
        );
    }
    app
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `python3 -m http.server` on `dir`, as README.md's "インストールなしで使う" publishes the folder.
struct StaticHost {
    child: Child,
    url: String,
}

impl StaticHost {
    fn start(dir: &Path) -> StaticHost {
        let port = free_port();
        let child = Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1"])
            .arg(port.to_string())
            .arg("--directory")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "http.server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        StaticHost {
            child,
            url: format!("http://127.0.0.1:{port}/"),
        }
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A proxy that answers every request 403 and records its first line (`CONNECT host:443`, `GET
/// http://…`): the browser sends it everything but loopback, so whatever it records is a request
/// that would have left the machine.
struct Recorder {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn start() -> Recorder {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let log = log.clone();
                // A thread a connection: one held open idle never keeps another from being read.
                std::thread::spawn(move || {
                    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut line = String::new();
                    let _ = BufReader::new(&conn).read_line(&mut line);
                    log.lock().unwrap().push(line.trim_end().to_string());
                    let _ = conn.write_all(
                        b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    );
                });
            }
        });
        Recorder { port, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// The browser's own services, which Chromium reaches whatever page it shows and whatever
/// flags it is given (its sign-in and its component updater): never the page's requests, which
/// its Content-Security-Policy keeps on the origin anyway.
const BROWSER_OWN: &[&str] = &["accounts.google.com", "update.googleapis.com"];

/// The recorded requests that are not the browser's own. A connection that sent nothing (the
/// browser connects to its proxy ahead of need) is no request.
fn page_requests(seen: &[String]) -> Vec<String> {
    seen.iter()
        .filter(|line| !line.is_empty())
        .filter(|line| {
            let target = line.split(' ').nth(1).unwrap_or("");
            let host = target
                .trim_start_matches("http://")
                .trim_start_matches("https://")
                .split([':', '/'])
                .next()
                .unwrap_or("");
            !BROWSER_OWN.contains(&host)
        })
        .cloned()
        .collect()
}

/// chromedriver, stopped however the test ends (a failed assertion included): left running it
/// would hold the test's output open.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The one finished download in `dir` whose name ends with `ext`, waited for.
async fn downloaded(dir: &Path, ext: &str) -> PathBuf {
    let mut found = None;
    wait_for(&format!("a {ext} download"), || {
        let hit = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.to_string_lossy().ends_with(ext));
        let done = hit.is_some()
            && !std::fs::read_dir(dir)
                .unwrap()
                .any(|e| e.unwrap().path().to_string_lossy().ends_with(".crdownload"));
        if done {
            found = hit;
        }
        async move { done }
    })
    .await;
    found.unwrap()
}

/// Empties the download folder between downloads.
fn clear(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
}

/// Two files with the same bytes, else a failure that says where they part (not the bytes).
fn same_bytes(tab: &Path, cli: &Path) {
    let (a, b) = (std::fs::read(tab).unwrap(), std::fs::read(cli).unwrap());
    if a != b {
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        let near = |v: &[u8]| {
            String::from_utf8_lossy(&v[at.saturating_sub(40)..(at + 40).min(v.len())]).into_owned()
        };
        panic!(
            "{} ({} bytes) and {} ({} bytes) differ from byte {at}: {:?} / {:?}",
            tab.display(),
            a.len(),
            cli.display(),
            b.len(),
            near(&a),
            near(&b)
        );
    }
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

/// `secform ARGS -o OUT`, which must succeed; OUT. Paths go as text: the test's folders are
/// UTF-8.
fn secform_to(args: &[&str], out: &Path) -> PathBuf {
    let run = Command::new(BIN)
        .args(args)
        .args(["-o", text(out)])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "secform {args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    out.to_path_buf()
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Chooses the clauses' variant and format in ほかの出力 as a user does (the labels typed stay
/// while the variant does not change), then downloads them.
async fn tab_clauses(
    c: &fantoccini::Client,
    downloads: &Path,
    variant: &str,
    format: &str,
) -> PathBuf {
    c.execute(
        r#"const [variant, format] = arguments;
           const v = document.querySelector('#clauses-variant');
           if (v.value !== variant) { v.value = variant; v.dispatchEvent(new Event('change')); }
           const f = document.querySelector('#clauses-format');
           f.value = format; f.dispatchEvent(new Event('change'));"#,
        vec![variant.into(), format.into()],
    )
    .await
    .unwrap();
    if format == "pdf" {
        click(c, "#clauses-with-form").await;
    }
    click(c, "#download-clauses").await;
    downloaded(downloads, &format!(".{format}")).await
}

/// A number the page wrote into an element's `data-*`, waited for.
async fn figure(c: &fantoccini::Client, css: &str, key: &str) -> f64 {
    let script = format!("return document.querySelector('{css}').dataset.{key} || '';");
    let read = || async {
        let v = c.execute(&script, vec![]).await.unwrap();
        v.as_str().unwrap_or_default().to_string()
    };
    wait_for(&format!("{css} data-{key}"), || async {
        !read().await.is_empty()
    })
    .await;
    read().await.parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs target/web (web/build.sh), chromium and chromedriver: .ci/run builds and installs them and runs this with --ignored"]
async fn the_web_app_in_chromium() {
    let app = app();
    let host = StaticHost::start(&app);
    let recorder = Recorder::start();
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let (c, driver) = chromium_with(
        &downloads,
        &[
            // Everything but loopback (Chromium's implicit bypass) goes to the recorder.
            format!("--proxy-server=http://127.0.0.1:{}", recorder.port),
            // Chromium's own services kept quiet (Puppeteer's defaults); what they still send
            // is told apart by host below.
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-client-side-phishing-detection".into(),
            "--disable-default-apps".into(),
            "--disable-domain-reliability".into(),
            "--disable-extensions".into(),
            "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying".into(),
            "--disable-sync".into(),
            "--metrics-recording-only".into(),
            "--no-first-run".into(),
            "--no-pings".into(),
            "--disable-quic".into(),
        ],
    )
    .await;
    let _driver = Driver(driver);

    // Load: the form built from the layout, the engine ready in its worker (the starter's
    // problems listed, no preview while it has errors); then open the sample JSON at once
    // (開く's file input), its preview the first one.
    let loaded = Instant::now();
    c.goto(&format!("{}index.html", host.url)).await.unwrap();
    let ready_ms = figure(&c, "body", "readyMs").await;
    assert_eq!(
        c.execute("return document.body.dataset.host;", vec![])
            .await
            .unwrap(),
        "tab"
    );
    wait_for("the starter's problems", || async {
        text_of(&c, "#problems").await.contains("事業者名")
    })
    .await;
    // The controls are the layout's, named by their JSON path.
    assert!(text_of(&c, r#"label[for="f-target-company"]"#)
        .await
        .contains("事業者名"));
    assert!(text_of(&c, "#pagecount").await.contains("エラーを直すと"));
    choose_file(&c, &common::root().join("samples/main-contractor.json")).await;
    wait_for("the sample in #preview", || async {
        text_of(&c, "#preview")
            .await
            .contains("株式会社サンプル情報システム")
    })
    .await;
    let first_ms = figure(&c, "#preview", "firstMs").await;
    let first_outside = loaded.elapsed();
    assert!(text_of(&c, "#status")
        .await
        .contains("main-contractor.json を開きました"));
    assert_eq!(text_of(&c, "#pagecount").await, "2 ページ");
    // What a user sees with the sample open (README.md's screenshot, docs/web.png).
    c.execute(
        "document.querySelector('#open-file').hidden = true;",
        vec![],
    )
    .await
    .unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::create_dir_all(common::root().join("target/browser")).unwrap();
    std::fs::write(common::root().join("target/browser/web-sample.png"), png).unwrap();

    // Type, and see the preview change; then one keystroke, timed by the page.
    type_into(&c, "target.company", "株式会社ブラウザ試").await;
    wait_for("the typed company in #preview", || async {
        text_of(&c, "#preview").await.contains("株式会社ブラウザ試")
    })
    .await;
    // The last burst's figure is written a frame after its preview: let it land before the
    // keystroke that is timed.
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.execute(
        "delete document.querySelector('#preview').dataset.latencyMs;",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css(r#"[name="target.company"]"#))
        .await
        .unwrap()
        .send_keys("験")
        .await
        .unwrap();
    wait_for("the last keystroke in #preview", || async {
        text_of(&c, "#preview")
            .await
            .contains("株式会社ブラウザ試験")
    })
    .await;
    let keystroke_ms = figure(&c, "#preview", "latencyMs").await;
    let keystroke_engine_ms = figure(&c, "#preview", "engineMs").await;

    // Download the PDF: the same text and pages as `secform render` of the same answers, tagged,
    // carrying those answers.
    click(&c, "#download").await;
    let pdf_path = downloaded(&downloads, ".pdf").await;
    assert!(
        pdf_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("確認書_株式会社ブラウザ試験_"),
        "{}",
        pdf_path.display()
    );
    let pdf_ms = figure(&c, "#download", "ms").await;
    let pdf_engine_ms = figure(&c, "#download", "engineMs").await;
    let tab_pdf = std::fs::read(&pdf_path).unwrap();
    // Kept for .ci/run's pdf-lint.
    std::fs::create_dir_all(common::root().join("target/browser")).unwrap();
    std::fs::write(common::root().join("target/browser/web.pdf"), &tab_pdf).unwrap();
    let answers = crate::record::attachment(&tab_pdf);
    let answers_path = dir.path().join("answers.json");
    std::fs::write(&answers_path, &answers).unwrap();
    let attached: serde_json::Value = serde_json::from_slice(&answers).unwrap();
    assert_eq!(attached["target"]["company"], "株式会社ブラウザ試験");
    let cli_pdf_path = secform_to(
        &["render", text(&answers_path)],
        &dir.path().join("render.pdf"),
    );
    let cli_pdf = std::fs::read(&cli_pdf_path).unwrap();
    assert_eq!(pdftotext(&pdf_path), pdftotext(&cli_pdf_path));
    assert!(pdftotext(&pdf_path).contains("株式会社ブラウザ試験"));
    let pages = |pdf: &[u8]| lopdf::Document::load_mem(pdf).unwrap().get_pages().len();
    assert_eq!(pages(&tab_pdf), pages(&cli_pdf));
    let (tree, _) = common::tagged::read(&tab_pdf);
    assert_eq!(tree.role, "Document");
    assert!(common::tagged::assert_parent_tree(&tab_pdf) > 0);
    // The same engine, the same answers, the same day: the same bytes.
    same_bytes(&pdf_path, &cli_pdf_path);
    clear(&downloads);

    // Open a workbook (as `secform convert` writes one; a subcontractor's).
    let sub = common::root().join("samples/subcontractor.json");
    let workbook = secform_to(&["convert", text(&sub)], &dir.path().join("下請.xlsx"));
    // The unsaved edit is asked about first.
    c.execute("window.confirm = () => true;", vec![])
        .await
        .unwrap();
    choose_file(&c, &workbook).await;
    wait_for("the workbook's company in #preview", || async {
        text_of(&c, "#preview").await.contains("株式会社テスト技研")
    })
    .await;
    assert_eq!(
        crate::browser::value_of(&c, "target.company").await,
        "株式会社テスト技研"
    );

    // Open a secform PDF (its attached answers).
    let mut other = common::sample("incident.json");
    other["target"]["company"] = "株式会社PDF読込".into();
    std::fs::copy(
        common::root().join("samples/seal.png"),
        dir.path().join("seal.png"),
    )
    .unwrap();
    let other_json = dir.path().join("incident.json");
    std::fs::write(&other_json, other.to_string()).unwrap();
    let other_pdf = secform_to(&["render", text(&other_json)], &dir.path().join("受領.pdf"));
    choose_file(&c, &other_pdf).await;
    wait_for("the PDF's company in #preview", || async {
        text_of(&c, "#preview").await.contains("株式会社PDF読込")
    })
    .await;
    assert!(text_of(&c, "#status")
        .await
        .contains("受領.pdf を開きました"));

    // A file that is none of them is refused in words, the answers on screen kept.
    let junk = dir.path().join("壊れた.pdf");
    std::fs::write(&junk, b"%PDF-1.7\nnot a pdf").unwrap();
    choose_file(&c, &junk).await;
    wait_for("the refusal", || async {
        text_of(&c, "#status")
            .await
            .contains("壊れた.pdf は開けません")
    })
    .await;
    assert_eq!(
        crate::browser::value_of(&c, "target.company").await,
        "株式会社PDF読込"
    );

    // Drag and drop: two files at once are refused by name, the answers on screen kept; one is
    // opened as 開く opens it.
    let drop = r#"
        const dt = new DataTransfer();
        for (const [name, text] of arguments[0]) dt.items.add(new File([text], name, { type: "application/json" }));
        document.querySelector('#form').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    "#;
    let dropped = common::read("samples/subcontractor.json")
        .replace("株式会社テスト技研", "株式会社ドロップ");
    c.execute(
        drop,
        vec![serde_json::json!([
            ["一.json", dropped],
            ["二.json", dropped]
        ])],
    )
    .await
    .unwrap();
    wait_for("the refusal of two files", || async {
        text_of(&c, "#status").await.contains("一.json、二.json")
    })
    .await;
    assert_eq!(
        crate::browser::value_of(&c, "target.company").await,
        "株式会社PDF読込"
    );
    c.execute(drop, vec![serde_json::json!([["落とした.json", dropped]])])
        .await
        .unwrap();
    wait_for("the dropped file in #preview", || async {
        text_of(&c, "#preview").await.contains("株式会社ドロップ")
    })
    .await;
    assert!(text_of(&c, "#status")
        .await
        .contains("落とした.json を開きました"));

    // The other downloads: the answers as JSON and as a workbook, the blank form, the clauses.
    click(&c, "#more summary").await;
    click(&c, "#download-json").await;
    let json = downloaded(&downloads, ".json").await;
    let got: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(got["target"]["company"], "株式会社ドロップ");
    clear(&downloads);

    click(&c, "#download-xlsx").await;
    let xlsx = downloaded(&downloads, ".xlsx").await;
    let back = secform_to(&["convert", text(&xlsx)], &dir.path().join("back.json"));
    let back: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
    assert_eq!(back["target"]["company"], "株式会社ドロップ");
    assert_eq!(back["items"], got["items"]);
    clear(&downloads);

    click(&c, "#download-blank").await;
    let blank = downloaded(&downloads, ".pdf").await;
    same_bytes(
        &blank,
        &secform_to(&["render", "--blank"], &dir.path().join("blank.pdf")),
    );
    clear(&downloads);

    // The 14-article variant with the labels typed, as text and as Word, and the 12-article one
    // as PDF with its form: `secform clauses`'s own bytes (each is reproducible).
    c.execute(
        r#"const v = document.querySelector('#clauses-variant');
           v.value = 'itaku-14'; v.dispatchEvent(new Event('change'));"#,
        vec![],
    )
    .await
    .unwrap();
    for (id, label) in [("#clauses-first", "甲"), ("#clauses-second", "乙")] {
        let field = c.find(Locator::Css(id)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(label).await.unwrap();
    }
    for format in ["txt", "docx"] {
        let tab = tab_clauses(&c, &downloads, "itaku-14", format).await;
        let cli = secform_to(
            &[
                "clauses",
                "--variant",
                "itaku-14",
                "--parties",
                "甲,乙",
                "--format",
                format,
            ],
            &dir.path().join(format!("clauses.{format}")),
        );
        same_bytes(&tab, &cli);
        clear(&downloads);
    }
    let tab = tab_clauses(&c, &downloads, "npa-2022", "pdf").await;
    let cli = secform_to(
        &["clauses", "--variant", "npa-2022", "--with-form"],
        &dir.path().join("clauses.pdf"),
    );
    same_bytes(&tab, &cli);
    clear(&downloads);

    // Nothing left the origin: one request the recorder must see, made last, is the only one it
    // saw (so this check can fail, and whatever the page sent before has been recorded by then).
    let png = c.screenshot().await.unwrap();
    std::fs::write(common::root().join("target/browser/web.png"), png).unwrap();
    let _ = c.goto("http://secform-offorigin.invalid/").await;
    wait_for("the recorder sees an off-origin request", || async {
        !page_requests(&recorder.seen()).is_empty()
    })
    .await;
    let seen = page_requests(&recorder.seen());
    assert!(
        seen.iter().all(|r| r.contains("secform-offorigin.invalid")),
        "requests off the origin: {seen:?}"
    );

    println!(
        "web app figures: page and engine ready {ready_ms} ms after navigation; first preview (the sample, opened then) {first_ms} ms ({} ms seen from the test); \
         keystroke → repainted preview {keystroke_ms} ms (engine {keystroke_engine_ms} ms); \
         PDF download {pdf_ms} ms (engine {pdf_engine_ms} ms); the PDF's bytes identical to render's",
        first_outside.as_millis()
    );
    c.close().await.unwrap();
}

/// A folder published without its engine (IIS answers 404 for a `.wasm` it has no MIME type for):
/// the page says so in Japanese, in its status line, and no call waits forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs target/web (web/build.sh), chromium and chromedriver: .ci/run builds and installs them and runs this with --ignored"]
async fn a_folder_without_its_engine_says_so_in_chromium() {
    let app = app();
    let dir = tempfile::tempdir().unwrap();
    let published = dir.path().join("web");
    std::fs::create_dir(&published).unwrap();
    for entry in std::fs::read_dir(&app).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e != "wasm") {
            std::fs::copy(&path, published.join(path.file_name().unwrap())).unwrap();
        }
    }
    let host = StaticHost::start(&published);
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let (c, driver) = chromium_with(&downloads, &[]).await;
    let _driver = Driver(driver);
    c.goto(&format!("{}index.html", host.url)).await.unwrap();
    wait_for("the refusal in #status", || async {
        text_of(&c, "#status")
            .await
            .contains("secform のエンジンを読み込めません")
    })
    .await;
    c.close().await.unwrap();
}
