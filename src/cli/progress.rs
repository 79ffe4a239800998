//! The progress bar `batch` and `summary` show on a terminal.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `total` entries (0 until known).
pub fn bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} 件 {elapsed_precise} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}
