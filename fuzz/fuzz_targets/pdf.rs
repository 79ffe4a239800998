//! Fuzz target: `entry::pdf` (see ../entry.rs).
#![no_main]

#[path = "../entry.rs"]
#[allow(dead_code, reason = "each target calls one of the entry points")]
mod entry;

libfuzzer_sys::fuzz_target!(|data: &[u8]| entry::pdf(data));
