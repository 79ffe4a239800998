//! The integration tests, one test binary (as ripgrep's): a module per file, sharing `common`.
//! One link of the library and its dependencies instead of one per file; `cargo test --test it
//! summary::` runs one module. Kept apart, each a binary of its own: `tests/fuzz.rs` (run by
//! `.ci/run` in release with many more cases), `tests/fuzz_regressions.rs` (its counting global
//! allocator would count every test here) and `tests/golden.rs` (`cargo test --test golden`, the
//! check of every refactor: it runs the binary only and links nothing of the library).
//!
//! The tests share this process: none sets an environment variable, the current folder or any
//! other state of the process; what a child needs is given to its `Command`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

mod architecture;
mod batch;
mod browser;
mod clauses_docx;
mod clauses_pdf;
mod clauses_text;
mod cli;
mod cli_files;
mod cli_input;
mod font;
mod form_pdf;
mod guide;
mod hostile;
mod merge;
mod next;
mod record;
mod rules;
mod seal_data;
mod serve;
mod summary;
mod tagged;
mod web_app;
mod workbook;
mod workbook_input;
