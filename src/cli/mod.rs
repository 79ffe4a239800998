//! The command line's own modules beside `main.rs`: help and usage in Japanese, `batch`'s progress
//! and report, `serve`'s start and stop. Each is a thin layer over the library.

pub mod batch;
pub mod check;
pub mod help;
pub mod next;
pub mod serve;
pub mod settings;
pub mod summary;

use indicatif::{ProgressBar, ProgressStyle};

/// The progress bar `batch` and `summary` show on a terminal: `total` entries (0 until known).
pub fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} 件 {elapsed_precise} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}
