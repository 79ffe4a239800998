//! `secform serve`: binds, prints the URL, opens the browser, and hands over to the library's
//! server until Ctrl-C.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use secform::{CheckOptions, Error, Renderer};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// 回答セット（JSON）。保存でここに書き戻す（なければ最初の保存で作る）。省略すると記入例から始める
    pub file: Option<PathBuf>,
    /// 待ち受けるポート（0 で空いているものを選ぶ）
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// 待ち受けるアドレス（既定 127.0.0.1。他のアドレスは他の機械から接続できるようになるため注意）
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<IpAddr>,
    /// ブラウザを開かない
    #[arg(long)]
    pub no_open: bool,
    /// 新規のとき下請負者等用の記入例から始める
    #[arg(long)]
    pub subcontractor: bool,
}

pub fn run(args: ServeArgs) -> Result<std::process::ExitCode, Error> {
    let today = chrono::Local::now().date_naive();
    let initial = match &args.file {
        Some(f) if f.exists() => {
            let bytes =
                secform::files::read(f, secform::files::Limit::ANSWER_FILE).map_err(|source| {
                    Error::Read {
                        path: f.display().to_string(),
                        source,
                    }
                })?;
            let text = String::from_utf8(bytes).unwrap_or_default();
            if serde_json::from_str::<serde::de::IgnoredAny>(&text).is_err() {
                return Err(Error::Usage(format!(
                    "{}: JSON として読めないため開けません",
                    f.display()
                )));
            }
            text
        }
        _ => secform::starter_json(secform::spec::DEFAULT_LAYOUT, args.subcontractor, today)?,
    };
    let mut options = CheckOptions::new(today);
    options.base_dir = args
        .file
        .as_ref()
        .and_then(|f| f.parent())
        .map(PathBuf::from);
    let addr = args.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !addr.is_loopback() {
        crate::note(&format!(
            "警告: {addr} で待ち受けます。この機械の外からも接続できるようになります"
        ));
    }
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Error::Usage(format!("サーバーを開始できません（{e}）")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(addr, args.port))
            .await
            .map_err(|e| {
                Error::Usage(format!(
                    "ポート {} で待ち受けられません（{}）",
                    args.port,
                    if e.kind() == std::io::ErrorKind::AddrInUse {
                        "ほかのプログラムが使っています。--port で別の番号を指定してください"
                            .to_string()
                    } else {
                        e.to_string()
                    }
                ))
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::Usage(e.to_string()))?
            .port();
        let mut session = secform::serve::Session::new(
            Renderer::new(secform::FontSet::bundled()),
            options,
            port,
            args.file.clone(),
            initial,
        )?;
        session.subcontractor = args.subcontractor;
        let session = Arc::new(session);
        let url = session.url();
        // The one line on standard output, for a user or a script to open.
        let _ = writeln!(std::io::stdout(), "{url}");
        if !args.no_open && opener::open_browser(&url).is_err() {
            crate::note("ブラウザを開けませんでした。上の URL を開いてください");
        }
        secform::serve::run(listener, session)
            .await
            .map_err(|e| Error::Usage(format!("サーバーが止まりました（{e}）")))
    })?;
    Ok(std::process::ExitCode::SUCCESS)
}
