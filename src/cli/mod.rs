//! The command line's own modules beside `main.rs`: help and usage in Japanese, `batch`'s progress
//! and report, `serve`'s start and stop. Each is a thin layer over the library.

pub mod batch;
pub mod help;
pub mod next;
pub mod serve;
pub mod summary;
