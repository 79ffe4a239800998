//! secform: the 情報セキュリティ対策履行状況確認書 (別記様式) and its special contract clauses,
//! rendered as reproducible PDF/A-2b.
//!
//! The library never prints and never exits: every failure is a value ([`Error`], [`Problem`]) for
//! the CLI (or another caller) to report.

pub mod charset;
pub mod clauses;
pub mod wareki;
