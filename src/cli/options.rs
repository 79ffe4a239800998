//! The library's options from the arguments: how answers are checked, and the renderer with the
//! fonts the user set.

use std::path::Path;

use secform::{Charset, CheckOptions, Error, Renderer};

use super::args::{CharsetArg, CheckingArgs};

/// Today, the day a check is made on unless a command says otherwise.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Options for checking the answers read from `answers` (a path, or '-' for standard input):
/// relative paths inside them are read from the answer file's folder.
pub fn check(args: &CheckingArgs, answers: &str) -> CheckOptions {
    let dir = match Path::new(answers).parent() {
        Some(dir) if answers != "-" && !dir.as_os_str().is_empty() => Some(dir.to_path_buf()),
        _ => None,
    };
    CheckOptions {
        today: today(),
        charset: match args.charset {
            CharsetArg::Any => Charset::Any,
            CharsetArg::Jis0208 => Charset::Jis0208,
        },
        fix_kana: args.fix_kana,
        seal_files: std::sync::Arc::new(secform::files::SealFolder { dir }),
    }
}

/// [`check`] for the entries of a batch, a folder or a JSON Lines file at `input`: relative paths
/// in them (a seal image) are read from the folder itself, or from the file's folder.
pub fn check_entries(args: &CheckingArgs, input: &Path) -> CheckOptions {
    let base = if input.is_dir() {
        input.join("_")
    } else {
        input.to_path_buf()
    };
    check(args, &base.to_string_lossy())
}

/// The renderer, with the fallback font the arguments or the user's settings name.
pub fn renderer(args: &CheckingArgs) -> Result<Renderer, Error> {
    renderer_with(args.fallback_font.as_deref())
}

/// The renderer, with `fallback_font` or the user's settings.
pub fn renderer_with(fallback_font: Option<&Path>) -> Result<Renderer, Error> {
    Ok(Renderer::new(super::settings::fonts(fallback_font)?))
}
