//! `secform serve`: the form in the browser, with live checks and a live preview. A thin layer
//! like `main.rs`: checking, layout and painting are the library's; this module only routes.

mod api;
pub mod page;
pub mod security;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::routing::{get, post, put};
use axum::Router;

use crate::{CheckOptions, Renderer};

/// A seal image may be 5 MB; as base64 in JSON it is 4/3 of that, plus the rest of the answers.
pub const BODY_LIMIT: usize = 7 * 1024 * 1024 + 64 * 1024;

/// What a server session holds.
pub struct Session {
    pub renderer: Renderer,
    /// The options `check` and `render` would use for the same file.
    pub options: CheckOptions,
    /// The secret every request must carry (URL once, then a cookie).
    pub token: String,
    /// The port it listens on: `Host` must name it.
    pub port: u16,
    /// The only file the server ever writes; `None`: 保存 downloads instead.
    pub file: Option<PathBuf>,
    /// The answers the page starts from (the file's text, or a starter).
    pub initial: String,
    /// 新規 starts from the subcontractor's starter.
    pub subcontractor: bool,
    /// Saves are one at a time, so the version check and the write cannot interleave.
    pub save_lock: Mutex<()>,
}

impl Session {
    pub fn new(
        renderer: Renderer,
        options: CheckOptions,
        port: u16,
        file: Option<PathBuf>,
        initial: String,
    ) -> Result<Session, crate::Error> {
        let token = security::new_token().map_err(|_| crate::Error::NoRandom)?;
        Ok(Session {
            renderer,
            options,
            token,
            port,
            file,
            initial,
            subcontractor: false,
            save_lock: Mutex::new(()),
        })
    }

    /// The URL to open: the token travels in it once.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.port, self.token)
    }
}

/// The version tag of the file's current content (an ETag): a save is accepted only over the
/// version the page read, so two tabs never overwrite each other silently.
pub fn version_of(file: Option<&std::path::Path>) -> String {
    use std::hash::Hasher;
    let bytes = file.and_then(|f| std::fs::read(f).ok());
    match bytes {
        None => "\"none\"".into(),
        Some(b) => {
            let mut h = siphasher::sip::SipHasher13::new_with_keys(0, 0);
            h.write(&b);
            format!("\"{:016x}\"", h.finish())
        }
    }
}

/// The whole server: pages, API and the security layers every request passes.
pub fn router(session: Arc<Session>) -> Router {
    Router::new()
        .route("/", get(api::index))
        .route("/app.js", get(api::app_js))
        .route("/style.css", get(api::style_css))
        .route("/font.ttf", get(api::font))
        .route("/api/layout", get(api::layout))
        .route("/api/answers", get(api::answers))
        .route("/api/starter", get(api::starter))
        .route("/api/check", post(api::check))
        .route("/api/preview", post(api::preview))
        .route("/api/pdf", post(api::pdf))
        .route("/api/save", put(api::save))
        .layer(axum::middleware::from_fn_with_state(
            session.clone(),
            security::guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(session)
}

/// Serves `session` on `listener` until Ctrl-C (or SIGTERM): the caller binds, prints and opens.
pub async fn run(listener: tokio::net::TcpListener, session: Arc<Session>) -> std::io::Result<()> {
    axum::serve(listener, router(session))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
