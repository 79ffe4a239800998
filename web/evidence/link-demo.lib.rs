//! The linking test of secform's wasm build: libdeflate (C, through libdeflater) and the vendored
//! krilla in one wasm module, called from JavaScript through wasm-bindgen.

use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use libdeflater::{CompressionLvl, Compressor};
use wasm_bindgen::prelude::*;

/// zlib-wrapped deflate at `level` by libdeflate, as krilla's streams are compressed.
pub fn compress(data: &[u8], level: i32) -> Result<Vec<u8>, String> {
    let lvl = CompressionLvl::new(level).map_err(|e| format!("{e:?}"))?;
    let mut c = Compressor::new(lvl);
    let mut out = vec![0; c.zlib_compress_bound(data.len())];
    let n = c.zlib_compress(data, &mut out).map_err(|e| format!("{e:?}"))?;
    out.truncate(n);
    Ok(out)
}

/// A one-page A4 PDF with `text` in `font` (a TrueType file's bytes), made by krilla; its streams
/// (content and font subset) are compressed by libdeflate inside the vendored krilla.
pub fn pdf(font: &[u8], text: &str) -> Result<Vec<u8>, String> {
    let font = Font::new(font.to_vec().into(), 0).ok_or("not a font")?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(595.0, 842.0).ok_or("page size")?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    surface.draw_text(Point::from_xy(72.0, 100.0), font, 14.0, text, false, TextDirection::Auto);
    surface.finish();
    page.finish();
    document.finish().map_err(|e| format!("{e:?}"))
}

#[wasm_bindgen]
pub fn zlib_compress(data: &[u8], level: i32) -> Result<Vec<u8>, JsError> {
    compress(data, level).map_err(|e| JsError::new(&e))
}

#[wasm_bindgen]
pub fn one_page_pdf(font: &[u8], text: &str) -> Result<Vec<u8>, JsError> {
    pdf(font, text).map_err(|e| JsError::new(&e))
}

/// `malloc` and `free` for libdeflate's C code, which wasm32-unknown-unknown has no libc for: blocks
/// from Rust's allocator with a 16-byte header holding the size (16 keeps malloc's alignment).
#[cfg(target_arch = "wasm32")]
mod libc_shim {
    use std::alloc::{alloc, dealloc, Layout};

    const HEADER: usize = 16;

    #[no_mangle]
    pub unsafe extern "C" fn malloc(size: usize) -> *mut u8 {
        let Some(total) = size.checked_add(HEADER) else {
            return std::ptr::null_mut();
        };
        let Ok(layout) = Layout::from_size_align(total, HEADER) else {
            return std::ptr::null_mut();
        };
        // SAFETY: `layout` has a non-zero size (at least HEADER).
        let p = unsafe { alloc(layout) };
        if p.is_null() {
            return p;
        }
        // SAFETY: `p` is valid for `total` ≥ HEADER bytes and aligned to 16.
        unsafe {
            (p as *mut usize).write(total);
            p.add(HEADER)
        }
    }

    #[no_mangle]
    pub unsafe extern "C" fn free(ptr: *mut u8) {
        if ptr.is_null() {
            return;
        }
        // SAFETY: `ptr` came from `malloc` above, so HEADER bytes before it hold the block's size.
        unsafe {
            let p = ptr.sub(HEADER);
            let total = (p as *const usize).read();
            dealloc(p, Layout::from_size_align_unchecked(total, HEADER));
        }
    }
}
