//! The seal impression (印影) placed on 印: read, size-checked and decoded before anything is drawn,
//! so that a bad image is a clear error about `seal.image` rather than a failed PDF.

use std::path::Path;
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

/// Reads `path` (relative paths from `base`) as a PNG or JPEG seal; problems are reported at
/// `seal.image`.
pub fn load(path: &str, base: Option<&Path>) -> Result<SealImage, Problem> {
    let fail = |message: String| Problem::error("seal.image", message);
    let full = match base {
        Some(dir) if Path::new(path).is_relative() => dir.join(path),
        _ => Path::new(path).to_path_buf(),
    };
    // Relative paths are read from the answer file's folder, which is not always where the user
    // stands: the message names the file that was looked for.
    let meta = std::fs::metadata(&full).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "ありません".to_string(),
            _ => format!("読み込めません（{e}）"),
        };
        let looked = if full != Path::new(path) {
            format!(
                "（{} として探しました。相対パスは回答ファイルのフォルダから読みます）",
                full.display()
            )
        } else {
            String::new()
        };
        fail(format!("印影の画像 {path} が{why}{looked}"))
    })?;
    if meta.len() > MAX_BYTES {
        return Err(fail(format!(
            "印影の画像 {path} が大きすぎます（{} バイト、上限 {} バイト）",
            meta.len(),
            MAX_BYTES
        )));
    }
    let bytes = std::fs::read(&full)
        .map_err(|e| fail(format!("印影の画像 {path} を読み込めません（{e}）")))?;
    let is_png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    if !is_png && !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(fail(format!(
            "印影の画像 {path} は PNG でも JPEG でもありません"
        )));
    }
    let broken = || {
        fail(format!(
            "印影の画像 {path} は壊れています（画像の大きさを読めません）"
        ))
    };
    // imagesize trusts a PNG's first chunk to be its header; the format says it must be.
    if is_png && bytes.get(12..16) != Some(b"IHDR".as_slice()) {
        return Err(broken());
    }
    let size = imagesize::blob_size(&bytes).map_err(|_| broken())?;
    let (w, h) = (size.width, size.height);
    if w == 0 || h == 0 {
        return Err(fail(format!("印影の画像 {path} の大きさが 0 です")));
    }
    if w > MAX_SIDE_PX as usize || h > MAX_SIDE_PX as usize {
        return Err(fail(format!(
            "印影の画像 {path} は {w}×{h} ピクセルで大きすぎます（一辺 {MAX_SIDE_PX} ピクセルまで）。21 mm の枠には 600 dpi で約 500 ピクセルあれば足ります。縮小してから指定してください"
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
            "印影の画像 {path} は壊れています（{} として読めません）",
            if is_png { "PNG" } else { "JPEG" }
        ))
    })?;
    let (width_px, height_px) = decoded.size();
    if width_px == 0 || height_px == 0 {
        return Err(fail(format!("印影の画像 {path} の大きさが 0 です")));
    }
    Ok(SealImage {
        data: Arc::new(bytes),
        width_px,
        height_px,
        decoded,
    })
}
