//! secform's command line and local server: the doors that have a file system, a terminal and
//! threads, over the engine ([`secform_core`], re-exported here whole), which does all the work.
//!
//! What lives here is only what a host gives: reading files from outside through caps
//! ([`files`]), writing through a temporary file ([`output`]), a batch over folders and batch
//! files on a pool of threads ([`batch`]), and `secform serve` ([`serve`]). `ARCHITECTURE.md`
//! says how the crates and stages fit together.

pub use secform_core::*;

pub mod batch;
pub mod files;
pub mod output;
pub mod serve;
