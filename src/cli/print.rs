//! What the commands say on standard error: a line, an answer set's problems with the way out
//! they point to, a failure, a defect.

use std::io::Write;

use secform::batch::Unread;
use secform::error::Visible;
use secform::{Error, Hint, Problem};

use super::Failure;

/// Writes a line to standard error. A run stopped by SIGHUP has lost its terminal, and a standard
/// error that cannot be written is no reason to panic (or to turn a batch's clean stop, exit 130
/// with its temporary files removed, into one).
pub fn note(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Each problem on a line, then the hint they share.
pub fn problems(problems: &[Problem]) {
    for p in problems {
        note(&p.to_string());
    }
    if let Some(hint) = hint(problems) {
        note(&hint);
    }
}

/// The command line's words for the way out the problems point to, once for all of them.
pub fn hint(problems: &[Problem]) -> Option<String> {
    problems
        .iter()
        .any(|p| p.hint == Some(Hint::AnotherFont))
        .then(|| {
            format!(
                "ヒント: その文字を含む TTF/OTF フォントを --fallback-font FILE で指定できます（{}）",
                super::settings::how_to_set()
            )
        })
}

/// What stopped a command: a refused answer set as its problems, anything else as one sentence.
pub fn failure(failure: &Failure) {
    match failure {
        Failure::Library(Error::Invalid(list)) => problems(list),
        other => note(&other.to_string()),
    }
}

/// A defect met at run time is said in Japanese, without Rust's English words or a backtrace (a
/// batch's entry that meets one is also reported as failed, and the others go on).
pub fn defects_in_japanese() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or(String::new(), |l| format!("（{}:{}）", l.file(), l.line()));
        note(&format!(
            "内部エラーが起きました{at}。secform の不具合です。入力のファイルを添えて開発元に連絡してください"
        ));
    }));
}

/// The lines about a folder's files that were not read (failures) and those passed over (notes).
pub fn folder_lines(unread: &[Unread], passed_over: &[Unread]) -> Vec<String> {
    let line = |u: &Unread| format!("{}: {}", Visible(&u.name()), u.reason);
    passed_over.iter().chain(unread).map(line).collect()
}
