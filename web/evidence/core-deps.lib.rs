//! Only the dependency graph is built, plus the chrono calls the core makes (src/model/wareki.rs,
//! src/input/workbook.rs, src/next.rs, src/main.rs's date parsing).
use chrono::{Datelike, Days, Months, NaiveDate};

pub fn dates(text: &str) -> Option<(String, i32)> {
    let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let d = d.checked_add_months(Months::new(12))?.checked_add_days(Days::new(97))?;
    let d = d.checked_add_signed(chrono::Duration::days(3))?;
    Some((d.format("%Y-%m-%d").to_string(), d.year()))
}
