//! What stops a command: the library's errors as they are, and the command line's own (the
//! terminal's Ctrl-C, `serve`'s network, a batch file's problems), each a type whose words are
//! said once, here, in Japanese. `main` prints them.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use secform::error::Visible;
use secform::Problem;

#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The library's, in its own words (a refused answer set's problems are printed one a line).
    #[error(transparent)]
    Library(#[from] secform::Error),
    /// Problems of a batch file itself (not of one of its entries), each naming the file.
    #[error("{}", batch_file_lines(path, problems))]
    BatchFile {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    /// A summary's file whose extension names no format it is written in.
    #[error("{}: 一覧は PDF（.pdf）・CSV（.csv）・Excel ブック（.xlsx）で書き出します。{option} にそのどれかの名前を指定してください", path.display())]
    SummaryFormat { path: PathBuf, option: &'static str },
    #[error("Ctrl-C を受け付けられません: {0}")]
    CtrlC(#[from] ctrlc::Error),
    /// `serve` given an answer file it cannot show.
    #[error("{}: 開けません: {why}", file.display())]
    CannotOpen {
        file: PathBuf,
        why: secform::error::ReadError,
    },
    /// `serve` given a PDF to edit that is not there.
    #[error("{} がありません（PDF に保存するときは -o {} としてください）", .0.display(), .0.display())]
    NoPdf(PathBuf),
    #[error("{}: 保存先は .json・.xlsx・.pdf のどれかにしてください", .0.display())]
    SaveAs(PathBuf),
    /// The page's address must be one the browser names (Host is checked against it).
    #[error("--listen {0} は使えません。この機械のアドレス（例 192.168.1.10）を指定してください")]
    Unspecified(IpAddr),
    #[error("サーバーを開始できません（{}）", network(.0))]
    Runtime(io::Error),
    #[error("{addr} で待ち受けられません（{}）", network(.error))]
    Listen { addr: SocketAddr, error: io::Error },
    #[error("待ち受けるポートを得られません（{}）", network(.0))]
    Port(io::Error),
    #[error("サーバーが止まりました（{}）", network(.0))]
    Stopped(io::Error),
}

/// `batch.json: forms[2]: …`, one line per problem.
fn batch_file_lines(path: &std::path::Path, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            format!(
                "{}: {}: {}",
                Visible(&path.display().to_string()),
                Visible(&p.path),
                Visible(&p.message)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An error of the network or the runtime in Japanese (the system's own words are English).
fn network(e: &io::Error) -> String {
    use io::ErrorKind::*;
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
