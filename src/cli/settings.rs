//! What a user sets once rather than on every command: the fallback font. `--fallback-font` wins;
//! else the environment's `SECFORM_FALLBACK_FONT`; else `fallback_font` in the configuration file
//! `<config>/secform/config.json` (the platform's folder, from `dirs`: `~/.config` on Linux,
//! `%APPDATA%` on Windows). Read here, by the binary: the library reads no environment. A missing
//! file is no setting; a broken one is an error naming the file, never a silent default.

use std::io::Read;
use std::path::{Path, PathBuf};

use secform::error::Visible;
use secform::{Error, FontSet};

/// The environment variable naming the fallback font.
pub const ENV_FONT: &str = "SECFORM_FALLBACK_FONT";
/// The key of the configuration file naming the fallback font.
const KEY_FONT: &str = "fallback_font";
/// A configuration file is a few lines; anything larger is not one.
const CONFIG_MAX: u64 = 64 * 1024;

/// The configuration file's path on this platform (`None`: the platform has no such folder).
pub fn config_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("secform").join("config.json"))
}

/// A fallback font and where it was named, for the messages about it.
struct Named {
    path: PathBuf,
    /// `None`: `--fallback-font` (its own path says all).
    origin: Option<String>,
}

/// The fonts every command draws with: BIZ UD明朝, then the fallback font that `flag`, the
/// environment or the configuration file names.
pub fn fonts(flag: Option<&Path>) -> Result<FontSet, Error> {
    let Some(font) = fallback_font(flag)? else {
        return Ok(FontSet::bundled());
    };
    secform::files::fallback_font(&font.path).map_err(|e| match font.origin {
        None => e,
        Some(origin) => Error::Usage(format!("{origin}: {e}")),
    })
}

fn fallback_font(flag: Option<&Path>) -> Result<Option<Named>, Error> {
    if let Some(path) = flag {
        return Ok(Some(Named {
            path: path.to_path_buf(),
            origin: None,
        }));
    }
    if let Some(value) = std::env::var_os(ENV_FONT).filter(|v| !v.is_empty()) {
        return Ok(Some(Named {
            path: PathBuf::from(value),
            origin: Some(format!("環境変数 {ENV_FONT} のフォント")),
        }));
    }
    let Some(file) = config_file() else {
        return Ok(None);
    };
    Ok(read_config(&file)?.map(|path| Named {
        path,
        origin: Some(format!(
            "設定ファイル {} の {KEY_FONT}",
            Visible(&file.display().to_string())
        )),
    }))
}

/// The fallback font the configuration file `file` names (relative to the file's folder), `None`
/// when there is no file or it names none.
fn read_config(file: &Path) -> Result<Option<PathBuf>, Error> {
    let shown = file.display().to_string();
    let bad = |why: &str| Error::Usage(format!("設定ファイル {}: {why}", Visible(&shown)));
    let io = |source| Error::Io {
        path: shown.clone(),
        source,
    };
    // Without waiting: a named pipe put there must not hang every command.
    let opened = match secform::files::open_nonblocking(file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        opened => opened.map_err(io)?,
    };
    if !opened.metadata().map_err(io)?.is_file() {
        return Err(bad("通常のファイルではありません"));
    }
    let mut bytes = Vec::new();
    opened
        .take(CONFIG_MAX + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > CONFIG_MAX {
        return Err(bad("大きすぎます（64 KiB まで）"));
    }
    let text = String::from_utf8(bytes).map_err(|_| bad("UTF-8 で書いてください"))?;
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| {
            bad(&format!(
                "JSON として読めません（{}行{}列）",
                e.line(),
                e.column()
            ))
        })?;
    let serde_json::Value::Object(map) = value else {
        return Err(bad(&format!(
            "{{\"{KEY_FONT}\": \"フォントファイルのパス\"}} の形で書いてください"
        )));
    };
    let mut font = None;
    for (key, value) in &map {
        match (key.as_str(), value) {
            (k, _) if k.starts_with('$') => {}
            (KEY_FONT, serde_json::Value::String(s)) if !s.trim().is_empty() => {
                font = Some(file.parent().unwrap_or(Path::new("")).join(s));
            }
            (KEY_FONT, _) => {
                return Err(bad(&format!(
                    "{KEY_FONT} にはフォントファイル（TTF/OTF）のパスを文字列で書いてください"
                )))
            }
            (other, _) => {
                return Err(bad(&format!(
                    "不明な項目です: {}（使える項目: {KEY_FONT}）",
                    Visible(other)
                )))
            }
        }
    }
    Ok(font)
}

/// How to name the fallback font once for all commands, for the hint beside a missing character.
pub fn how_to_set() -> String {
    let file = config_file()
        .map(|f| format!("、または設定ファイル {} の \"{KEY_FONT}\"", f.display()))
        .unwrap_or_default();
    format!("毎回指定しないときは環境変数 {ENV_FONT}{file} に書けます")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &[u8]) -> (tempfile::TempDir, Result<Option<PathBuf>, Error>) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.json");
        std::fs::write(&file, text).unwrap();
        let read = read_config(&file);
        (dir, read)
    }

    fn refusal(text: &[u8]) -> String {
        config(text).1.unwrap_err().to_string()
    }

    #[test]
    fn a_font_is_named_relative_to_the_file() {
        let (dir, read) = config(br#"{"$comment": "x", "fallback_font": "fonts/a.ttf"}"#);
        assert_eq!(read.unwrap(), Some(dir.path().join("fonts/a.ttf")));
        let (_, read) = config(br#"{"fallback_font": "/abs/a.ttf"}"#);
        assert_eq!(read.unwrap(), Some(PathBuf::from("/abs/a.ttf")));
        assert_eq!(config(b"{}").1.unwrap(), None);
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_config(&dir.path().join("none.json")).unwrap(), None);
    }

    #[test]
    fn a_broken_file_is_refused_in_japanese_naming_it() {
        for (text, want) in [
            (
                &b"{\"fallback_font\": "[..],
                "JSON として読めません（1行18列）",
            ),
            (b"[]", "の形で書いてください"),
            (
                b"{\"fallback\": \"a.ttf\"}",
                "不明な項目です: fallback（使える項目: fallback_font）",
            ),
            (b"{\"fallback_font\": 1}", "パスを文字列で書いてください"),
            (b"{\"fallback_font\": \"\"}", "パスを文字列で書いてください"),
            (b"\xff\xfe", "UTF-8 で書いてください"),
        ] {
            let said = refusal(text);
            assert!(said.starts_with("設定ファイル "), "{said}");
            assert!(said.contains("config.json: "), "{said}");
            assert!(said.contains(want), "{said}");
        }
        let big = format!("{{\"$comment\": \"{}\"}}", "x".repeat(70_000));
        assert!(refusal(big.as_bytes()).contains("大きすぎます"));
        let dir = tempfile::tempdir().unwrap();
        let said = read_config(dir.path()).unwrap_err().to_string();
        assert!(said.contains("通常のファイルではありません"), "{said}");
    }
}
