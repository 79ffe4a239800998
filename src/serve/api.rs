//! The page, its assets and the JSON API. Checking, layout and painting run on the blocking pool
//! with the shared [`crate::Renderer`]: a long layout never stalls the server.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::file::{self, SaveAs, ServedFileError};
use super::Session;
use crate::{Error, Problem};

const INDEX: &str = include_str!("../../page/index.html");
const APP_JS: &str = include_str!("../../page/app.js");
const STYLE: &str = include_str!("../../page/style.css");
const ICON: &str = include_str!("../../page/favicon.svg");
/// The page's host in `serve` (the browser tab's is `page/host-tab.js`, given by `web/build.sh`).
const HOST_JS: &str = include_str!("../../page/host-serve.js");

pub async fn index() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX).into_response()
}

pub async fn app_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        APP_JS,
    )
        .into_response()
}

pub async fn host_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        HOST_JS,
    )
        .into_response()
}

pub async fn style_css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// The tab's icon: a browser asks for `/favicon.ico` on every visit, and a 404 is a console
/// error each time.
pub async fn favicon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], ICON).into_response()
}

pub async fn font() -> Response {
    (
        [(header::CONTENT_TYPE, "font/ttf")],
        crate::fonts::bundled_font_data(),
    )
        .into_response()
}

fn message(status: StatusCode, text: impl Into<String>) -> Response {
    (status, Json(json!({ "message": text.into() }))).into_response()
}

/// The body as sent, or why it did not all come: too long (413, worded by the guard) or
/// stopped coming ([`super::Limits::body_timeout`]).
#[expect(
    clippy::result_large_err,
    reason = "the Err is the response itself, built once and returned"
)]
fn received(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Response> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            rejection.into_response()
        } else {
            message(
                StatusCode::REQUEST_TIMEOUT,
                "回答の受け取りが途中で止まりました。もう一度操作してください",
            )
        }
    })
}

/// The answers a request carries, as text: received whole ([`received`]) and JSON
/// ([`json_text`]); else the reply that says why not.
#[expect(
    clippy::result_large_err,
    reason = "the Err is the response itself, built once and returned"
)]
fn answers_text(body: Result<Bytes, BytesRejection>) -> Result<String, Response> {
    let body = received(body)?;
    json_text(&body).map(str::to_string)
}

/// The body as UTF-8 JSON text, or a 400 in Japanese (the error goes straight back to axum, so
/// its size does not matter).
#[expect(
    clippy::result_large_err,
    reason = "the Err is the response itself, built once and returned"
)]
fn json_text(body: &Bytes) -> Result<&str, Response> {
    let text = std::str::from_utf8(body).map_err(|_| {
        message(
            StatusCode::BAD_REQUEST,
            "送られた回答が UTF-8 ではありません",
        )
    })?;
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
        message(
            StatusCode::BAD_REQUEST,
            format!(
                "送られた回答が JSON ではありません（{}行{}列）",
                e.line(),
                e.column()
            ),
        )
    })?;
    Ok(text)
}

/// The layout the answers name (default npa-2022), or the default one for unreadable answers.
fn layout_name(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("layout").and_then(|l| l.as_str()).map(String::from))
        .unwrap_or_else(|| crate::spec::DEFAULT_LAYOUT.to_string())
}

/// The layout's structure for the page: its own data, so the page has no wording of its own.
pub async fn layout(State(s): State<Arc<Session>>) -> Response {
    let name = layout_name(&s.initial);
    match crate::spec::form_source(&name).and_then(|src| {
        // 開く sends the file as one request body: the server's limit is the page's.
        crate::spec::FormSpec::get(&name)
            .map(|form| crate::page::layout_json(src, form, super::BODY_LIMIT as u64))
    }) {
        Ok(v) => Json(v).into_response(),
        Err(e) => message(StatusCode::NOT_FOUND, e.to_string()),
    }
}

/// A new answer set: the starter `secform init` prints.
pub async fn starter(State(s): State<Arc<Session>>) -> Response {
    match crate::starter_json(crate::spec::DEFAULT_LAYOUT, s.subcontractor) {
        Ok(t) => ([(header::CONTENT_TYPE, "application/json")], t).into_response(),
        Err(e) => message(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// The answers the page shows: the file's content as it is now (never what it was when the
/// server started), with the tag of exactly that content, so that the page can only save over
/// what it shows. Without a file, or before the first save, the starting answers and the tag of
/// an absent file.
pub async fn answers(State(s): State<Arc<Session>>) -> Response {
    let name = s.file.as_ref().map(|f| f.display().to_string());
    // Answers read from another file (`serve record.pdf -o FILE`) are shown until the first save.
    let opened = s
        .opened
        .as_ref()
        .filter(|_| !s.saved.load(std::sync::atomic::Ordering::SeqCst))
        .map(|o| o.display().to_string());
    let current = match s.file.clone() {
        None => Ok(file::Current {
            text: None,
            tag: file::ABSENT.into(),
        }),
        Some(f) => blocking(move || file::current(&f))
            .await
            .unwrap_or_else(|_| Err(ServedFileError::Unreadable("内部エラーが起きました".into()))),
    };
    match current {
        Ok(c) => {
            let company = c.text.as_deref().map(crate::page::company_of);
            let text = match (&opened, c.text) {
                (None, Some(text)) => text,
                _ => s.initial.clone(),
            };
            (
                [
                    (header::CONTENT_TYPE, "application/json".to_string()),
                    (header::ETAG, c.tag.clone()),
                ],
                Json(json!({
                    "text": text,
                    "file": name,
                    "version": c.tag,
                    "opened": opened,
                    "file_company": company,
                    "save_as": s.file.as_deref().and_then(SaveAs::of).map(SaveAs::name),
                })),
            )
                .into_response()
        }
        // An opened file's answers are shown even when the file 保存 goes to is not answers:
        // 保存 then refuses to replace it (its tag is no page's).
        Err(_) if opened.is_some() => Json(json!({
            "text": s.initial,
            "file": name,
            "version": "\"unreadable\"",
            "opened": opened,
        }))
        .into_response(),
        Err(e) => message(StatusCode::CONFLICT, e.to_string()),
    }
}

/// The answers of a file chosen with 開く (JSON, a secform workbook or a secform PDF), decoded by
/// the library's readers, never by the page. The name (`x-file-name`, percent-encoded) only
/// names the file in messages and tells a workbook by its extension.
pub async fn open(
    State(_s): State<Arc<Session>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match received(body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let name = headers
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(percent_decoded)
        .unwrap_or_default();
    let shown = crate::error::Visible(&name).to_string();
    let path = std::path::PathBuf::from(&name);
    match blocking(move || crate::page::opened(&path, body.to_vec())).await {
        Ok(Ok(opened)) => {
            Json(json!({ "text": opened.text, "warnings": opened.warnings })).into_response()
        }
        Ok(Err(why)) => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{shown} は開けません: {why}"),
        ),
        Err(r) => r,
    }
}

/// `%XX` sequences decoded (a name the page sent with `encodeURIComponent`); anything that does
/// not decode to UTF-8 is kept as sent.
fn percent_decoded(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| v.to_string())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| message(StatusCode::INTERNAL_SERVER_ERROR, "内部エラーが起きました"))
}

/// `check`'s problems of answers sent by the page.
fn check_from_page(s: &Session, text: &str) -> Vec<Problem> {
    s.renderer
        .assess_json(text, &s.options())
        .problems()
        .to_vec()
}

/// The same problems `secform check` gives.
pub async fn check(State(s): State<Arc<Session>>, body: Result<Bytes, BytesRejection>) -> Response {
    let text = match answers_text(body) {
        Ok(t) => t,
        Err(r) => return r,
    };
    match blocking(move || check_from_page(&s, &text)).await {
        Ok(problems) => Json(problems).into_response(),
        Err(r) => r,
    }
}

/// What the page shows after a change ([`crate::page::preview`]): the answers are read, checked
/// and laid out once.
pub fn preview_of(s: &Session, text: &str) -> serde_json::Value {
    crate::page::preview(&s.renderer.assess_json(text, &s.options()))
}

/// The pages as SVG, painted from the same layout as the PDF.
pub async fn preview(
    State(s): State<Arc<Session>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let text = match answers_text(body) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let start = std::time::Instant::now();
    match blocking(move || preview_of(&s, &text)).await {
        // Server-Timing: the page tells the server's share of a change's latency from its own.
        Ok(v) => (
            [(
                "server-timing",
                format!("preview;dur={:.1}", start.elapsed().as_secs_f64() * 1000.0),
            )],
            Json(v),
        )
            .into_response(),
        Err(r) => r,
    }
}

/// Exactly `secform render`'s bytes, or the errors that refuse it.
pub async fn pdf(State(s): State<Arc<Session>>, body: Result<Bytes, BytesRejection>) -> Response {
    let text = match answers_text(body) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let name = crate::page::download_name(&text);
    match blocking(move || s.renderer.render_json(&text, &s.options())).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, content_disposition(&name)),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(Error::Invalid(problems))) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "problems": problems })),
        )
            .into_response(),
        Ok(Err(e)) => message(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(r) => r,
    }
}

/// The answers as the workbook `secform convert` writes (「ほかの出力」).
pub async fn workbook(body: Result<Bytes, BytesRejection>) -> Response {
    let text = match answers_text(body) {
        Ok(t) => t,
        Err(r) => return r,
    };
    match blocking(move || crate::export::workbook::json_to_xlsx(&text)).await {
        Ok(Ok(bytes)) => (
            [(
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Excel ブックを作れません: {e}"),
        ),
        Err(r) => r,
    }
}

/// The blank form, as `secform render --blank` writes it.
pub async fn blank(State(s): State<Arc<Session>>) -> Response {
    match blocking(move || s.renderer.render_blank(crate::spec::DEFAULT_LAYOUT)).await {
        Ok(Ok(pdf)) => ([(header::CONTENT_TYPE, "application/pdf")], pdf.bytes).into_response(),
        Ok(Err(e)) => message(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(r) => r,
    }
}

/// The clause variants the page offers ([`crate::page::clause_variants`]).
pub async fn clause_variants() -> Response {
    match crate::page::clause_variants() {
        Ok(v) => Json(v).into_response(),
        Err(e) => message(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// The clauses as `secform clauses` writes them, for the choice the page sends
/// ([`crate::page::ClauseChoice`]).
pub async fn clauses(
    State(s): State<Arc<Session>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match received(body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Ok(choice) = serde_json::from_slice::<crate::page::ClauseChoice>(&body) else {
        return message(StatusCode::BAD_REQUEST, "条項の指定を読めません");
    };
    match blocking(move || crate::page::clauses(&s.renderer, &choice)).await {
        Ok(Ok((bytes, mime))) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        Ok(Err(e)) => message(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(r) => r,
    }
}

/// An attachment named `name` (RFC 6266: an ASCII fallback and the UTF-8 name).
fn content_disposition(name: &str) -> String {
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"kakuninsho.pdf\"; filename*=UTF-8''{encoded}")
}

/// Why a save was not written.
enum Refused {
    /// The file is not the version the page showed (another tab or program saved it since).
    Changed,
    /// The file is no longer a regular file (a link put in its place): never written through.
    NotAFile(ServedFileError),
    Failed(Error),
    /// The answers cannot be written as the file's kind (a PDF of answers with errors).
    Unwritable(Box<Response>),
}

/// The bytes 保存 writes for `text`: JSON formatted as `init` formats it, the workbook `convert`
/// writes, or exactly `render`'s PDF (refused, with the problems, while the answers have errors).
fn written(s: &Session, kind: SaveAs, text: &str) -> Result<Vec<u8>, Refused> {
    let unwritable =
        |m: String| Refused::Unwritable(Box::new(message(StatusCode::UNPROCESSABLE_ENTITY, m)));
    match kind {
        SaveAs::Json => {
            let value = serde_json::from_str::<serde_json::Value>(text)
                .map_err(|_| unwritable("送られた回答が JSON ではありません".into()))?;
            let mut out = serde_json::to_string_pretty(&value)
                .map_err(|_| unwritable("送られた回答を整形できません".into()))?;
            out.push('\n');
            Ok(out.into_bytes())
        }
        SaveAs::Workbook => crate::export::workbook::json_to_xlsx(text)
            .map_err(|e| unwritable(format!("Excel ブックに保存できません: {e}"))),
        SaveAs::Pdf => match s.renderer.render_json(text, &s.options()) {
            Ok(bytes) => Ok(bytes),
            Err(Error::Invalid(problems)) => Err(pdf_refused(problems)),
            Err(e) => Err(unwritable(format!("PDF に保存できません: {e}"))),
        },
    }
}

fn pdf_refused(problems: Vec<Problem>) -> Refused {
    Refused::Unwritable(Box::new(
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "message": format!("エラーが {} 件あるため PDF に保存できません。ファイルは変わっていません", problems.len()),
                "problems": problems,
            })),
        )
            .into_response(),
    ))
}

/// Writes the answers to the one file named on the command line (JSON, workbook or PDF, by its
/// name), only over the version the page read (If-Match), and never through a link.
pub async fn save(
    State(s): State<Arc<Session>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match received(body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let text = match json_text(&body) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let Some(path) = s.file.clone() else {
        return message(StatusCode::CONFLICT, "保存先のファイルが指定されていません");
    };
    let Some(kind) = SaveAs::of(&path) else {
        return message(
            StatusCode::CONFLICT,
            "保存先は .json・.xlsx・.pdf のどれかにしてください",
        );
    };
    let text = text.to_string();
    let wanted = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let result = blocking(move || {
        let _one_at_a_time = s.save_lock.lock().unwrap_or_else(|p| p.into_inner());
        let current = match file::current(&path) {
            Ok(c) => c.tag,
            // A link or a folder in its place: refused like a change, never written through.
            Err(e @ ServedFileError::NotRegular(_)) => return Err(Refused::NotAFile(e)),
            // Unreadable or no longer JSON: not the version the page showed either.
            Err(_) => return Err(Refused::Changed),
        };
        if wanted.as_deref() != Some(current.as_str()) {
            return Err(Refused::Changed);
        }
        let out = written(&s, kind, &text)?;
        crate::output::write_atomic(&path, &out).map_err(Refused::Failed)?;
        s.saved.store(true, std::sync::atomic::Ordering::SeqCst);
        // The tag of what was written: the page now shows exactly this content.
        Ok(file::tag_of(&out))
    })
    .await;
    match result {
        Ok(Ok(etag)) => (
            [(header::ETAG, etag.clone())],
            Json(json!({ "saved": true, "version": etag, "save_as": kind.name() })),
        )
            .into_response(),
        Ok(Err(Refused::Failed(e))) => message(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("保存できませんでした: {e}"),
        ),
        Ok(Err(Refused::Unwritable(r))) => *r,
        Ok(Err(Refused::NotAFile(e))) => message(StatusCode::PRECONDITION_FAILED, e.to_string()),
        Ok(Err(Refused::Changed)) => message(
            StatusCode::PRECONDITION_FAILED,
            "ファイルは、この画面で読み込んだ後に別の画面で変更されています。上書きしないよう保存を取りやめました。入力中の内容はこの画面に残っています",
        ),
        Err(r) => r,
    }
}
