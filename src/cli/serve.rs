//! `secform serve`: binds, prints the URL, opens the browser, and hands over to the library's
//! server until Ctrl-C.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use secform::{CheckOptions, Error};

use super::args::ServeArgs;
use super::print::note;
use super::{options, Failure};

pub fn run(args: ServeArgs) -> Result<std::process::ExitCode, Failure> {
    let today = options::today();
    let existing = args.file.as_ref().filter(|f| f.exists());
    let initial = match existing {
        Some(f) => {
            let bytes =
                secform::files::read(f, secform::files::Limit::ANSWER_FILE).map_err(|source| {
                    Error::Read {
                        path: f.display().to_string(),
                        source,
                    }
                })?;
            let opened = secform::page::opened(f, bytes).map_err(|why| Failure::CannotOpen {
                file: f.clone(),
                why,
            })?;
            for w in &opened.warnings {
                note(&format!("{}: {w}", f.display()));
            }
            opened.text
        }
        None => secform::starter_json(secform::spec::DEFAULT_LAYOUT, args.subcontractor)?,
    };
    let pdf = |f: &PathBuf| secform::serve::SaveAs::of(f) == Some(secform::serve::SaveAs::Pdf);
    // 保存 goes to -o, else back to FILE; a PDF named as FILE is the record, not edited in
    // place (only -o names a PDF to write), and a PDF that is not there has no answers to show.
    if let Some(f) = args.file.as_ref().filter(|f| pdf(f) && !f.exists()) {
        return Err(Failure::NoPdf(f.clone()));
    }
    let target = match (&args.output, &args.file) {
        (Some(o), _) => Some(o.clone()),
        (None, Some(f)) if pdf(f) => None,
        (None, f) => f.clone(),
    };
    if let Some(t) = &target {
        if secform::serve::SaveAs::of(t).is_none() {
            return Err(Failure::SaveAs(t.clone()));
        }
    }
    // A link named on the command line is followed once, here: the server then reads and
    // writes the file it points to, and a link put in that file's place later is refused.
    let canonical = |f: &PathBuf| -> Result<PathBuf, Failure> {
        if !f.exists() {
            return Ok(f.clone());
        }
        std::fs::canonicalize(f).map_err(|source| {
            Failure::from(Error::Io {
                path: f.display().to_string(),
                source,
            })
        })
    };
    let file = target.as_ref().map(canonical).transpose()?;
    let opened = match (existing, &file) {
        (Some(f), Some(t)) if canonical(f)? != *t => Some(f.clone()),
        _ => None,
    };
    if file.is_none() {
        if let Some(f) = existing {
            note(&format!(
                "{} は書き換えません。保存先は -o で指定してください（指定しなければ、保存は JSON のダウンロードになります）",
                f.display()
            ));
        }
    }
    let mut options = CheckOptions::new(today);
    options.seal_files = Arc::new(secform::files::SealFolder {
        dir: args
            .file
            .as_ref()
            .and_then(|f| f.parent())
            .map(PathBuf::from),
    });
    let addr = args.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if addr.is_unspecified() {
        // The page's address must be one the browser names (Host is checked against it).
        return Err(Failure::Unspecified(addr));
    }
    // Few blocking threads: the renders are bounded anyway, and each thread that ever rendered
    // keeps an allocator arena of its own.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(8)
        .build()
        .map_err(Failure::Runtime)?;
    runtime.block_on(async move {
        let at = SocketAddr::new(addr, args.port);
        let listener = tokio::net::TcpListener::bind(at)
            .await
            .map_err(|error| Failure::Listen { addr: at, error })?;
        let port = listener.local_addr().map_err(Failure::Port)?.port();
        // The one call into the library: the session the server serves.
        let mut session = secform::serve::Session::new(
            options::renderer_with(None)?,
            options,
            port,
            file,
            initial,
        )?;
        session.subcontractor = args.subcontractor;
        session.follow_clock = true;
        session.opened = opened;
        session.listen = addr;
        let session = Arc::new(session);
        // Listened for before the URL is out: a Ctrl-C as soon as it is read stops cleanly.
        let stop = secform::serve::Stop::listen();
        let url = session.url();
        // The one line on standard output, for a user or a script to open.
        let _ = writeln!(std::io::stdout(), "{url}");
        if !addr.is_loopback() {
            note(&format!(
                "警告: {addr} で待ち受けます。このアドレスに届く人は誰でも、上の URL（トークン付き）を知っていれば回答を読み、変更し、保存できます。信頼できるネットワークでだけ使い、終わったら Ctrl-C で止めてください"
            ));
        }
        // The browser opens a private file that redirects to the URL: the token never stands
        // on the browser's command line, where every user of the machine can read it.
        let redirect = if args.no_open {
            None
        } else {
            let opened = secform::serve::open::RedirectFile::write(&session)
                .ok()
                .filter(|r| opener::open_browser(r.path()).is_ok());
            note(if opened.is_none() {
                "ブラウザを開けませんでした。上の URL を開いてください"
            } else {
                // A browser installed as a snap cannot read the private file it was handed.
                "ブラウザで開きます。ページが表示されないときは、上の URL を開いてください"
            });
            opened
        };
        let served = secform::serve::run_until(listener, session, stop).await;
        drop(redirect);
        served.map_err(Failure::Stopped)
    })?;
    Ok(std::process::ExitCode::SUCCESS)
}
