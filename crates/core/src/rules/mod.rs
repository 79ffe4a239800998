//! The form's rules: what makes an answer set fit to submit, and the answers as they are printed.
//!
//! `check` lists every problem (errors and warnings) at once; `render` refuses what it calls an
//! error. `resolve` turns the answers into the exact strings the form shows.
//!
//! This file is the map: the entry points and their options. Each job of the rules is a file,
//! run in this order by [`inspect`]: the dates (`dates`), the rows (`rows`, with the one-year
//! rule of `one_year`), the characters (`characters`), what a reviewer would send back
//! (`review`, with the subcontractor flag of `subcontractor`), then the seal image (`seal`: the
//! one place the rules reach an image). `resolve` makes the printed strings.

use std::sync::Arc;

mod characters;
mod dates;
mod one_year;
mod resolve;
mod review;
mod rows;
mod seal;
mod subcontractor;

use chrono::NaiveDate;

use crate::error::Problem;
use crate::fonts::FontSet;
use crate::model::answers::AnswerSet;
use crate::model::draft::Draft;
use crate::model::seal::{NoSealFiles, SealFiles, SealImage};
use crate::spec::form::FormSpec;

pub use resolve::{resolve, Resolved, ResolvedItem};
pub use review::CARRIED_OVER;
pub use rows::row_applies;

/// Which characters the answers may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Charset {
    /// Whatever the fonts can draw.
    #[default]
    Any,
    /// JIS X 0208 only, as several e-bidding systems demand.
    Jis0208,
}

/// How strictly to check, and how to read what the answers point at.
#[derive(Clone)]
pub struct CheckOptions {
    /// "Today", for the future-date warning; a parameter so that tests do not depend on the clock.
    pub today: NaiveDate,
    pub charset: Charset,
    /// Turn half-width katakana into full-width before checking and printing.
    pub fix_kana: bool,
    /// Where a seal image named by path (`seal.image`) is read from: the door's file system, or
    /// none ([`NoSealFiles`], the default).
    pub seal_files: Arc<dyn SealFiles>,
}

impl std::fmt::Debug for CheckOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckOptions")
            .field("today", &self.today)
            .field("charset", &self.charset)
            .field("fix_kana", &self.fix_kana)
            .finish_non_exhaustive()
    }
}

impl CheckOptions {
    /// Defaults for everything but the date.
    pub fn new(today: NaiveDate) -> CheckOptions {
        CheckOptions {
            today,
            charset: Charset::Any,
            fix_kana: false,
            seal_files: Arc::new(NoSealFiles),
        }
    }
}

/// What checking found: every problem, and the seal image when there is a good one.
#[derive(Debug, Default)]
pub struct Inspection {
    pub problems: Vec<Problem>,
    pub seal: Option<SealImage>,
}

/// Every problem of `a` against `form`, errors first, each group in the order of the form.
pub fn check(a: &AnswerSet, form: &FormSpec, fonts: &FontSet, opts: &CheckOptions) -> Vec<Problem> {
    inspect(a, form, fonts, opts).problems
}

/// The rule problems of what could be read of a refused answer set: whatever depends on a part
/// that could not be read is not checked (see [`Draft`]).
pub fn check_draft(
    d: &Draft,
    form: &FormSpec,
    fonts: &FontSet,
    opts: &CheckOptions,
) -> Vec<Problem> {
    inspect_draft(d, form, fonts, opts, Read::Partly).problems
}

/// Whether every part of the answer set was read: a field a draft lacks may be misspelt rather
/// than left out, and "left out" is only said of a complete answer set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    Whole,
    Partly,
}

/// Checks `a` and loads its seal image, so that rendering reads the image once.
pub fn inspect(a: &AnswerSet, form: &FormSpec, fonts: &FontSet, opts: &CheckOptions) -> Inspection {
    inspect_draft(&Draft::from(a), form, fonts, opts, Read::Whole)
}

/// The one implementation of the rules: a complete answer set is a draft with every part read.
fn inspect_draft(
    d: &Draft,
    form: &FormSpec,
    fonts: &FontSet,
    opts: &CheckOptions,
    read: Read,
) -> Inspection {
    let mut problems = Vec::new();
    dates::check_dates(d, opts, &mut problems);
    rows::check_items(d, form, &mut problems);
    rows::check_rows(d, form, &mut problems);
    characters::check_characters(d, fonts, opts, &mut problems);
    review::check_for_review(d, form, read, &mut problems);
    let seal = seal::load(d, opts, &mut problems);
    // Stable: errors before warnings, each in the order found (the order of the form).
    problems.sort_by_key(|p| p.severity);
    Inspection { problems, seal }
}
