//! Batch rendering: the 確認書 of a contractor and all its subcontractors (下請負者等) in one run,
//! one PDF per entry and, on request, one merged PDF with an outline entry per company.
//!
//! A bad entry is reported with its position and JSON paths and skipped; the others are still
//! written. Output bytes do not depend on the number of threads.
//!
//! The same entries serve two more jobs: the overview's line of each (`batch --summary`, handed
//! back in the run's [`Summary`]) and each entity's next answer set instead of a PDF
//! ([`next`], `batch --next`).

mod collect;
mod defaults;
mod folder;
mod lines;
mod names;
pub mod next;
mod report;
mod run;
mod source;
mod summary;

pub use defaults::over_defaults;
pub use folder::{format_refusal, is_junk, Unread};
pub use lines::lines_of;
pub use names::{safe_stem, NameStyle, Namer};
pub use report::{EntryReport, Merged, Outcome, Progress, Silent, Summary};
pub use run::{out_dir_problem, run, Options};
pub use source::{Entry, Source};
pub use summary::unread_line;
