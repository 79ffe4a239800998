//! The seal impression (印影) placed on 印: read, size-checked and decoded before anything is drawn,
//! so that a bad image is a clear error about `seal.image` rather than a failed PDF.

use std::sync::Arc;

use crate::error::Problem;
use crate::geometry::Rect;

/// Larger files are refused: a scanned seal is tens of kilobytes, and a huge file is a mistake.
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;

/// Longer sides are refused before decoding: 印 is a 21 mm square, which 600 dpi fills with about
/// 500 pixels, and a scan at four times that is still far below the limit. Decoding is bounded by
/// it (at most 2,000 × 2,000 pixels, 16 MB as RGBA), so a small file that claims a huge picture (a
/// decompression bomb) costs nothing but its header.
pub const MAX_SIDE_PX: u32 = 2000;

/// The side a seal image needs, in pixels: 印 is a 21 mm square, about 500 pixels at 600 dpi. A
/// photo over the limits is scaled down to this in `serve`'s page, which is all the form prints.
pub const PRINT_SIDE_PX: u32 = 500;

/// A seal image that decodes, with its pixel size (for its aspect ratio). Decoded once, here: the
/// PDF painters draw `decoded` as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealImage {
    pub data: Arc<Vec<u8>>,
    pub width_px: u32,
    pub height_px: u32,
    pub(crate) decoded: krilla::image::Image,
}

impl SealImage {
    /// The largest rectangle of the image's proportions that fits in `square`, centred in it.
    pub fn place_in(&self, square: Rect) -> Rect {
        let (w, h) = (self.width_px.max(1) as f32, self.height_px.max(1) as f32);
        let scale = (square.w / w).min(square.h / h);
        let (iw, ih) = (w * scale, h * scale);
        Rect::new(
            square.x + (square.w - iw) / 2.0,
            square.y + (square.h - ih) / 2.0,
            iw,
            ih,
        )
    }
}

/// Where the bytes of a seal image named by path (`seal.image`) come from. The core reads no
/// files: each door gives its own (the command line reads the answer file's folder, `serve` only
/// the image of the file it serves, a browser tab none), and the checks of [`from_file_bytes`]
/// are the same for all.
pub trait SealFiles: Send + Sync {
    /// The bytes of the image `path` names, as written in the answers; a problem at
    /// `seal.image` saying why not (not found, too large, not to be read here).
    fn read(&self, path: &str) -> Result<Vec<u8>, Problem>;
}

/// No file system: every `seal.image` path is refused, and an image travels in the answers as
/// `seal.data`. The default of [`crate::CheckOptions`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSealFiles;

impl SealFiles for NoSealFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, Problem> {
        Err(Problem::error(
            "seal.image",
            format!(
                "印影の画像ファイル {} はここでは読めません。画像は seal.data（data:image/png;base64,… の形）として回答に入れてください",
                crate::error::Visible(path)
            ),
        ))
    }
}

/// The seal image `path` names, from the bytes [`SealFiles::read`] gave: problems are reported at
/// `seal.image`.
pub fn from_file_bytes(path: &str, bytes: Vec<u8>) -> Result<SealImage, Problem> {
    decode(bytes, &format!("印影の画像 {path} "), "seal.image")
}

/// How a data URI in `seal.data` starts: the two formats a seal may have.
const DATA_PREFIXES: [&str; 2] = ["data:image/png;base64,", "data:image/jpeg;base64,"];

/// Reads `seal.data`, a seal image carried in the answer set itself (`data:image/png;base64,…` or
/// `data:image/jpeg;base64,…`; what `secform serve` writes when a user picks an image), with the
/// limits and checks of a file; problems are reported at `seal.data`. The length is checked before
/// anything is decoded, so a huge string costs nothing but its length.
pub fn from_data_uri(uri: &str) -> Result<SealImage, Problem> {
    let fail = |message: String| Problem::error("seal.data", message);
    let uri = uri.trim();
    let Some((prefix, b64)) = DATA_PREFIXES
        .iter()
        .find_map(|p| uri.strip_prefix(p).map(|rest| (*p, rest)))
    else {
        let start: String = uri.chars().take(24).collect();
        return Err(fail(format!(
            "印影の画像データは data:image/png;base64,… または data:image/jpeg;base64,… の形で書いてください（実際の始まり: {}）",
            crate::error::Visible(&start)
        )));
    };
    // Four base64 characters carry three bytes.
    let bytes_at_least = b64.len() / 4 * 3;
    if bytes_at_least as u64 > MAX_BYTES {
        return Err(fail(format!(
            "印影の画像データが大きすぎます（約 {bytes_at_least} バイト、上限 {MAX_BYTES} バイト）"
        )));
    }
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| {
            let at = match e {
                base64::DecodeError::InvalidByte(at, _)
                | base64::DecodeError::InvalidLastSymbol { offset: at, .. } => {
                    format!("{} 文字目が正しくありません", prefix.len() + at + 1)
                }
                base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
                    "長さまたは末尾の = が正しくありません".to_string()
                }
            };
            fail(format!("印影の画像データの base64 を読めません（{at}）"))
        })?;
    let what = "印影の画像データ";
    let declared_png = prefix.contains("png");
    let is_png = bytes.starts_with(PNG_MAGIC);
    let is_jpeg = bytes.starts_with(JPEG_MAGIC);
    if (is_png && !declared_png) || (is_jpeg && declared_png) {
        return Err(fail(format!(
            "{what}は {} と書かれていますが、中身は {} です",
            if declared_png { "PNG" } else { "JPEG" },
            if is_png { "PNG" } else { "JPEG" }
        )));
    }
    decode(bytes, what, "seal.data")
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];

/// The checks every seal passes, wherever its bytes came from: PNG or JPEG, at most
/// [`MAX_BYTES`], sides read from the header and bounded before decoding. `what` names the image
/// in messages, `at` is their JSON path.
fn decode(bytes: Vec<u8>, what: &str, at: &str) -> Result<SealImage, Problem> {
    let fail = |message: String| Problem::error(at, message);
    if bytes.len() as u64 > MAX_BYTES {
        return Err(fail(format!(
            "{what}が大きすぎます（{} バイト、上限 {MAX_BYTES} バイト）",
            bytes.len()
        )));
    }
    let is_png = bytes.starts_with(PNG_MAGIC);
    if !is_png && !bytes.starts_with(JPEG_MAGIC) {
        return Err(fail(format!("{what}は PNG でも JPEG でもありません")));
    }
    let broken = || fail(format!("{what}は壊れています（画像の大きさを読めません）"));
    // imagesize trusts a PNG's first chunk to be its header; the format says it must be.
    if is_png && bytes.get(12..16) != Some(b"IHDR".as_slice()) {
        return Err(broken());
    }
    let size = imagesize::blob_size(&bytes).map_err(|_| broken())?;
    let (w, h) = (size.width, size.height);
    if w == 0 || h == 0 {
        return Err(fail(format!("{what}の大きさが 0 です")));
    }
    if w > MAX_SIDE_PX as usize || h > MAX_SIDE_PX as usize {
        return Err(fail(format!(
            "{what}は {w}×{h} ピクセルで大きすぎます（一辺 {MAX_SIDE_PX} ピクセルまで）。21 mm の枠には 600 dpi で約 500 ピクセルあれば足ります。縮小してから指定してください"
        )));
    }
    // PDF/A forbids image interpolation.
    let image = if is_png {
        krilla::image::Image::from_png(bytes.clone().into(), false)
    } else {
        krilla::image::Image::from_jpeg(bytes.clone().into(), false)
    };
    // The decoder's own words are English and may hold line breaks: named, not quoted.
    let decoded = image.map_err(|_| {
        fail(format!(
            "{what}は壊れています（{} として読めません）",
            if is_png { "PNG" } else { "JPEG" }
        ))
    })?;
    let (width_px, height_px) = decoded.size();
    if width_px == 0 || height_px == 0 {
        return Err(fail(format!("{what}の大きさが 0 です")));
    }
    Ok(SealImage {
        data: Arc::new(bytes),
        width_px,
        height_px,
        decoded,
    })
}

/// What tests of the engine read seal images with: files under a folder, read as they are.
#[cfg(test)]
pub(crate) mod tests {
    /// Seal images read from this folder.
    pub struct Folder(pub std::path::PathBuf);

    impl super::SealFiles for Folder {
        fn read(&self, path: &str) -> Result<Vec<u8>, crate::error::Problem> {
            std::fs::read(self.0.join(path))
                .map_err(|e| crate::error::Problem::error("seal.image", e.to_string()))
        }
    }
}
