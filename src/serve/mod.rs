//! `secform serve`: the form in the browser, with live checks and a live preview. A thin layer
//! like `main.rs`: checking, layout and painting are the library's; this module only routes.

mod api;
pub mod file;
pub mod open;
mod seal;
pub mod security;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::{get, post, put};
use axum::Router;

pub use file::{current, tag_of, SaveAs, ServedFileError};

use crate::{CheckOptions, Renderer};

/// A seal image may be 5 MB; as base64 in JSON it is 4/3 of that, plus the rest of the answers.
pub const BODY_LIMIT: usize = 7 * 1024 * 1024 + 64 * 1024;

/// What one server may take on at once, whatever its clients do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Requests that read a body and check, lay out, paint or save it at once (others wait):
    /// each holds up to [`BODY_LIMIT`] and its layout, so memory stays bounded.
    pub work: usize,
    /// Open connections; more wait in the system's queue until one closes.
    pub connections: usize,
    /// A request's head must arrive within this, and an idle kept-alive connection is closed after
    /// it (hyper's header read timeout).
    pub header_timeout: Duration,
    /// A body that stops coming for this long is given up (tower-http's request body timeout).
    pub body_timeout: Duration,
    /// A request that takes a place for work holds it at most this long, its body included: a
    /// body trickled a byte at a time, each within [`Limits::body_timeout`], cannot keep it.
    pub work_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            work: 2,
            connections: 64,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            work_timeout: Duration::from_secs(60),
        }
    }
}

/// What a server session holds.
pub struct Session {
    pub renderer: Renderer,
    /// The options `check` and `render` would use for the same file; its seal images only the
    /// served file's ([`seal::ServedSeal`]), and "today" from [`Session::options`].
    options: CheckOptions,
    /// "Today" follows the clock, for a server left running past midnight; `false` (tests): the
    /// options' date.
    pub follow_clock: bool,
    /// The secret every request must carry (URL once, then a cookie named for the port).
    pub token: String,
    /// The address it listens on (127.0.0.1 unless `--listen`): `Host` must name it.
    pub listen: IpAddr,
    /// The port it listens on: `Host` must name it.
    pub port: u16,
    /// The only file the server ever writes (JSON, a workbook or the PDF, by its name: see
    /// [`SaveAs`]); `None`: 保存 downloads instead.
    pub file: Option<PathBuf>,
    /// The file the answers were read from when 保存 goes elsewhere (`serve record.pdf -o
    /// answers.json`): the page shows its answers (`initial`) until the first save, and asks
    /// before that save replaces an existing `file`.
    pub opened: Option<PathBuf>,
    /// Whether a save has written `file` since the start: from then on the page is given `file`.
    pub saved: std::sync::atomic::AtomicBool,
    /// The answers the page starts from when there is no file: a starter. With a file, the page
    /// is always given the file's current content (see [`file::current`]). Read by
    /// [`Session::new`] for the one seal path the server reads (`ServedSeal`): set it there.
    pub initial: String,
    /// 新規 starts from the subcontractor's starter.
    pub subcontractor: bool,
    /// Saves are one at a time, so the version check and the write cannot interleave.
    pub save_lock: Mutex<()>,
    pub limits: Limits,
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
        let mut options = options;
        options.seal_files = Arc::new(seal::ServedSeal::new(options.seal_files, &initial));
        Ok(Session {
            renderer,
            options,
            follow_clock: false,
            token,
            listen: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port,
            file,
            opened: None,
            saved: std::sync::atomic::AtomicBool::new(false),
            initial,
            subcontractor: false,
            save_lock: Mutex::new(()),
            limits: Limits::default(),
        })
    }

    /// The options a request is checked with: today's date as the request comes.
    pub fn options(&self) -> CheckOptions {
        let mut options = self.options.clone();
        if self.follow_clock {
            options.today = chrono::Local::now().date_naive();
        }
        options
    }

    /// `HOST:PORT` of the address it listens on (an IPv6 one in brackets).
    pub fn authority(&self) -> String {
        SocketAddr::new(self.listen, self.port).to_string()
    }

    /// The URL to open: the token travels in it once.
    pub fn url(&self) -> String {
        format!("http://{}/?token={}", self.authority(), self.token)
    }

    /// The cookie that carries the token: named for the port, because browsers send a cookie to
    /// every port of a host: two sessions then neither replace each other's nor hand theirs to
    /// another server on the same machine (whose requests would carry another name).
    pub fn cookie_name(&self) -> String {
        format!("{}{}", security::COOKIE_PREFIX, self.port)
    }
}

/// The version tag of the file's current content (an ETag), as [`file::current`] gives it; a
/// file that cannot be read as answers has a tag no page holds.
pub fn version_of(file: Option<&std::path::Path>) -> String {
    match file.map(current) {
        None => file::ABSENT.into(),
        Some(Ok(c)) => c.tag,
        Some(Err(_)) => "\"unreadable\"".into(),
    }
}

/// The whole server: pages, API and the security layers every request passes.
pub fn router(session: Arc<Session>) -> Router {
    use tower::limit::GlobalConcurrencyLimitLayer;
    let work = Arc::new(tokio::sync::Semaphore::new(session.limits.work.max(1)));
    // The routes that take a body and work on it: a few at once per server, the rest wait
    // before reading their body.
    let working = Router::new()
        .route("/api/check", post(api::check))
        .route("/api/preview", post(api::preview))
        .route("/api/pdf", post(api::pdf))
        .route("/api/save", put(api::save))
        .route("/api/open", post(api::open))
        .route("/api/workbook", post(api::workbook))
        .route("/api/blank", get(api::blank))
        .route("/api/clauses", get(api::clause_variants).post(api::clauses))
        .route_layer(GlobalConcurrencyLimitLayer::with_semaphore(work))
        .route_layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            session.limits.work_timeout,
        ));
    Router::new()
        .route("/", get(api::index))
        .route("/app.js", get(api::app_js))
        .route("/host.js", get(api::host_js))
        .route("/style.css", get(api::style_css))
        .route("/font.ttf", get(api::font))
        .route("/favicon.ico", get(api::favicon))
        .route("/favicon.svg", get(api::favicon))
        .route("/api/layout", get(api::layout))
        .route("/api/answers", get(api::answers))
        .route("/api/starter", get(api::starter))
        .merge(working)
        .layer(axum::middleware::from_fn_with_state(
            session.clone(),
            security::guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            session.limits.body_timeout,
        ))
        .with_state(session)
}

/// Serves `session` on `listener` until Ctrl-C or SIGTERM (listened for from now on).
pub async fn run(listener: tokio::net::TcpListener, session: Arc<Session>) -> std::io::Result<()> {
    run_until(listener, session, Stop::listen()).await
}

/// Ctrl-C, or SIGTERM (a logout, `kill`), listened for from the moment this is made: made before
/// the URL is printed, a signal sent as soon as the URL is read stops the server cleanly (the
/// caller then removes its redirect file) rather than killing the process.
pub struct Stop {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Stop {
    /// Starts listening (inside the server's runtime).
    pub fn listen() -> Stop {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Stop {
                signals: signal(SignalKind::interrupt())
                    .ok()
                    .zip(signal(SignalKind::terminate()).ok()),
            }
        }
        #[cfg(not(unix))]
        Stop {}
    }

    /// Waits for the signal.
    async fn wait(&mut self) {
        #[cfg(unix)]
        if let Some((interrupt, terminate)) = &mut self.signals {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves `session` on `listener` until `stop`: the caller binds, prints and opens. Each
/// connection is served by hyper with its header read timeout; at most
/// [`Limits::connections`] are open at once (the next is accepted when one closes).
pub async fn run_until(
    listener: tokio::net::TcpListener,
    session: Arc<Session>,
    mut stop: Stop,
) -> std::io::Result<()> {
    let limits = session.limits.clone();
    let app = router(session);
    let open = Arc::new(tokio::sync::Semaphore::new(limits.connections.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let stop = stop.wait();
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            p = open.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => return Ok(()) },
            _ = &mut stop => return Ok(()),
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                // Out of file descriptors, a connection reset before it was taken: the server
                // goes on (as axum::serve does), after a pause if the system is short.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
}
