//! `malloc` and `free` for libdeflate's C code (inside the vendored krilla and the merged PDF's
//! object streams), which `wasm32-unknown-unknown` has no libc for: blocks from Rust's allocator
//! with a 16-byte header holding the size (16 keeps malloc's alignment). Proven in
//! `web/evidence/link-demo.*`: the same deflated bytes as natively.
#![expect(
    unsafe_code,
    reason = "C's allocator, for C code, has no safe signature"
)]

use std::alloc::{alloc, dealloc, Layout};

const HEADER: usize = 16;

/// # Safety
/// C's `malloc`: the block is freed with [`free`] only.
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
        p.cast::<usize>().write(total);
        p.add(HEADER)
    }
}

/// # Safety
/// C's `free`: `ptr` is null or came from [`malloc`].
#[no_mangle]
pub unsafe extern "C" fn free(ptr: *mut u8) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: `ptr` came from `malloc` above, so HEADER bytes before it hold the block's size.
    unsafe {
        let p = ptr.sub(HEADER);
        let total = p.cast::<usize>().read();
        dealloc(p, Layout::from_size_align_unchecked(total, HEADER));
    }
}
