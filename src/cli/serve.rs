//! `secform serve`: binds, prints the URL, opens the browser, and hands over to the library's
//! server until Ctrl-C.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use secform::{CheckOptions, Error, Renderer};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// 回答セット（JSON・Excel ブック・secform の PDF）。保存でここに同じ形式で書き戻す（なければ最初の保存で作る。PDF は -o がなければ書き戻さない）。省略すると記入例から始める
    pub file: Option<PathBuf>,
    /// 保存先（.json・.xlsx・.pdf で形式を決める）。指定すると、FILE の回答を表示し、保存はここに書く
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 待ち受けるポート（0 で空いているものを選ぶ）
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// 待ち受けるアドレス（既定 127.0.0.1）。他のアドレスでは、そこに届きリンクを持つ人は誰でも回答を読み書きできる
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<IpAddr>,
    /// ブラウザを開かない
    #[arg(long)]
    pub no_open: bool,
    /// 新規のとき下請負者等用の空の回答セットから始める
    #[arg(long)]
    pub subcontractor: bool,
}

pub fn run(args: ServeArgs) -> Result<std::process::ExitCode, Error> {
    let today = chrono::Local::now().date_naive();
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
            let opened = secform::serve::file::answers_of(f, bytes)
                .map_err(|why| Error::Usage(format!("{}: 開けません: {why}", f.display())))?;
            for w in &opened.warnings {
                crate::note(&format!("{}: {w}", f.display()));
            }
            opened.text
        }
        None => secform::starter_json(secform::spec::DEFAULT_LAYOUT, args.subcontractor)?,
    };
    let pdf = |f: &PathBuf| secform::serve::SaveAs::of(f) == Some(secform::serve::SaveAs::Pdf);
    // 保存 goes to -o, else back to FILE; a PDF named as FILE is the record, not edited in
    // place (only -o names a PDF to write), and a PDF that is not there has no answers to show.
    if let Some(f) = args.file.as_ref().filter(|f| pdf(f) && !f.exists()) {
        return Err(Error::Usage(format!(
            "{} がありません（PDF に保存するときは -o {} としてください）",
            f.display(),
            f.display()
        )));
    }
    let target = match (&args.output, &args.file) {
        (Some(o), _) => Some(o.clone()),
        (None, Some(f)) if pdf(f) => None,
        (None, f) => f.clone(),
    };
    if let Some(t) = &target {
        if secform::serve::SaveAs::of(t).is_none() {
            return Err(Error::Usage(format!(
                "{}: 保存先は .json・.xlsx・.pdf のどれかにしてください",
                t.display()
            )));
        }
    }
    // A link named on the command line is followed once, here: the server then reads and
    // writes the file it points to, and a link put in that file's place later is refused.
    let canonical = |f: &PathBuf| -> Result<PathBuf, Error> {
        if !f.exists() {
            return Ok(f.clone());
        }
        std::fs::canonicalize(f).map_err(|source| Error::Io {
            path: f.display().to_string(),
            source,
        })
    };
    let file = target.as_ref().map(canonical).transpose()?;
    let opened = match (existing, &file) {
        (Some(f), Some(t)) if canonical(f)? != *t => Some(f.clone()),
        _ => None,
    };
    if file.is_none() {
        if let Some(f) = existing {
            crate::note(&format!(
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
        return Err(Error::Usage(format!(
            "--listen {addr} は使えません。この機械のアドレス（例 192.168.1.10）を指定してください"
        )));
    }
    // Few blocking threads: the renders are bounded anyway, and each thread that ever rendered
    // keeps an allocator arena of its own.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(8)
        .build()
        .map_err(|e| Error::Usage(format!("サーバーを開始できません（{}）", why(&e))))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(addr, args.port))
            .await
            .map_err(|e| {
                Error::Usage(format!(
                    "{} で待ち受けられません（{}）",
                    SocketAddr::new(addr, args.port),
                    why(&e)
                ))
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("待ち受けるポートを得られません（{}）", why(&e))))?
            .port();
        let mut session = secform::serve::Session::new(
            Renderer::new(crate::cli::settings::fonts(None)?),
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
        let url = session.url();
        // The one line on standard output, for a user or a script to open.
        let _ = writeln!(std::io::stdout(), "{url}");
        if !addr.is_loopback() {
            crate::note(&format!(
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
            crate::note(if opened.is_none() {
                "ブラウザを開けませんでした。上の URL を開いてください"
            } else {
                // A browser installed as a snap cannot read the private file it was handed.
                "ブラウザで開きます。ページが表示されないときは、上の URL を開いてください"
            });
            opened
        };
        let served = secform::serve::run(listener, session).await;
        drop(redirect);
        served.map_err(|e| Error::Usage(format!("サーバーが止まりました（{}）", why(&e))))
    })?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// An error of the network or the runtime in Japanese (the system's own words are English).
fn why(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        AddrInUse => "ほかのプログラムが使っています。--port で別の番号を指定してください".into(),
        AddrNotAvailable => "この機械のアドレスではありません。--listen を確かめてください".into(),
        PermissionDenied => {
            "権限がありません（1024 未満のポートには管理者の権限が要ります）".into()
        }
        _ => match e.raw_os_error() {
            Some(n) => format!("OS のエラー {n}"),
            None => "原因不明のエラー".into(),
        },
    }
}
