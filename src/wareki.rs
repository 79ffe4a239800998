//! Temporary stand-in; replaced by the full 和暦 module.
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    #[default]
    Wareki,
    Western,
}

impl std::str::FromStr for DateStyle {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "wareki" => Ok(DateStyle::Wareki),
            "western" => Ok(DateStyle::Western),
            _ => Err(s.to_string()),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DateError {
    #[error("日付として読めません")]
    Shape,
}

pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| DateError::Shape)
}

pub fn format_date(d: NaiveDate, _style: DateStyle) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

pub fn describe_interval(from: NaiveDate, to: NaiveDate) -> String {
    format!("{}日", (to - from).num_days())
}

pub fn at_least_one_year(from: NaiveDate, to: NaiveDate) -> bool {
    from.checked_add_months(chrono::Months::new(12))
        .is_some_and(|d| to >= d)
}
