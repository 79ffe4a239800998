//! Dates as Japanese users write them: 和暦 (令和7年4月1日, R7.4.1) as well as ISO 8601.
//!
//! The form is filled in by people who think in era years, so answers must accept what they type
//! and the rendered form must speak the same way. Only the three eras a living business can
//! still meet on paper are known: 昭和, 平成 and 令和.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};

/// How dates are printed on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// 令和8年4月10日: what government forms use unless told otherwise.
    #[default]
    Wareki,
    /// 2026年4月10日.
    Western,
}

impl FromStr for DateStyle {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            // Also as a Japanese user names them.
            "wareki" | "和暦" => Ok(DateStyle::Wareki),
            "western" | "西暦" => Ok(DateStyle::Western),
            _ => Err(DateError::UnknownStyle {
                input: s.to_owned(),
            }),
        }
    }
}

/// Why a date could not be read. Every message says what was wrong and what is expected, in
/// Japanese, because it is shown to the person who typed the date.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DateError {
    #[error("日付が空です。{SHAPES}")]
    Empty,
    #[error("日付「{input}」の書き方を読み取れません。{SHAPES}")]
    UnknownShape { input: String },
    /// The shape is right but the calendar has no such day (2025-02-30, 13月).
    #[error("{}", no_such_date_message(input, *year, *month, *day))]
    NoSuchDate {
        input: String,
        /// Western year, whatever the input's notation.
        year: i32,
        month: u32,
        day: u32,
    },
    /// A real day, but not one that the named era covers (平成32年, 令和1年4月1日, 昭和65年).
    #[error("{}", outside_era_message(input, era, *date))]
    OutsideEra {
        input: String,
        era: &'static str,
        /// The day the input names when read as a western date, if it has one (it has none
        /// for year 0).
        date: Option<NaiveDate>,
    },
    /// The date is written with its weekday, and the weekday is not that date's.
    #[error("日付「{input}」の曜日が違います。{}は{actual}曜日です（{written}曜日とあります）", format_date(*date, DateStyle::Wareki))]
    WrongWeekday {
        input: String,
        date: NaiveDate,
        written: char,
        actual: char,
    },
    #[error("日付の表記「{input}」は使えません。wareki（令和8年4月10日）か western（2026年4月10日）を指定してください")]
    UnknownStyle { input: String },
}

const SHAPES: &str = "2025-04-01（西暦）、令和7年4月1日（和暦。1年は元年とも書けます）、\
R7.4.1 または R7/4/1（R=令和、H=平成、S=昭和）のいずれかの形で書いてください";

fn no_such_date_message(input: &str, year: i32, month: u32, day: u32) -> String {
    let reason = match last_day_of_month(year, month) {
        None => format!("月は1から12までです（{month}月とあります）"),
        Some(last) => format!("{year}年{month}月は1日から{last}日までです（{day}日とあります）"),
    };
    format!("日付「{input}」は暦にない日付です。{reason}")
}

fn outside_era_message(input: &str, era_name: &str, date: Option<NaiveDate>) -> String {
    let mut message = format!("日付「{input}」は{era_name}の期間外です。");
    if let Some(era) = ERAS.iter().find(|era| era.name == era_name) {
        let start = format_date(era.start, DateStyle::Wareki);
        match era.end {
            Some(end) => message.push_str(&format!(
                "{era_name}は{start}（{}）から{}（{}）までです。",
                era.start,
                format_date(end, DateStyle::Wareki),
                end
            )),
            None => message.push_str(&format!("{era_name}は{start}（{}）からです。", era.start)),
        }
    }
    if let Some(date) = date.filter(|&d| era_of(d).is_some()) {
        message.push_str(&format!(
            "{}は{}にあたります。",
            format_date(date, DateStyle::Western),
            format_date(date, DateStyle::Wareki)
        ));
    }
    message
}

struct Era {
    name: &'static str,
    /// The letter of the abbreviated form (R7.4.1).
    letter: char,
    start: NaiveDate,
    /// Last day, inclusive; `None` for the current era.
    end: Option<NaiveDate>,
}

/// Newest first, so that the first era starting on or before a date is the one it belongs to.
const ERAS: [Era; 3] = [
    Era {
        name: "令和",
        letter: 'R',
        start: ymd(2019, 5, 1),
        end: None,
    },
    Era {
        name: "平成",
        letter: 'H',
        start: ymd(1989, 1, 8),
        end: Some(ymd(2019, 4, 30)),
    },
    Era {
        name: "昭和",
        letter: 'S',
        start: ymd(1926, 12, 25),
        end: Some(ymd(1989, 1, 7)),
    },
];

/// Evaluated at compile time only, so a bad constant fails the build rather than a user's run.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid era boundary"),
    }
}

fn era_of(date: NaiveDate) -> Option<&'static Era> {
    ERAS.iter().find(|era| era.start <= date)
}

fn last_day_of_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some(last.day())
}

/// Reads a date in any of the shapes Japanese users write: `2025-04-01`, `2025/4/1`,
/// `2025年4月1日`, `令和7年4月1日` (`令和元年5月1日`), `R7.4.1`, `R07.04.01`, `R7/4/1`, with
/// 令和/平成/昭和 and R/H/S (or r/h/s).
///
/// Full-width ASCII forms (`７`, `Ｒ`, `．`, `／`, `－`) are read as their ASCII counterparts
/// because Japanese IMEs produce them whenever full-width mode is on; surrounding whitespace,
/// including U+3000, is ignored.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let input = s.trim();
    if input.is_empty() {
        return Err(DateError::Empty);
    }
    // Spaces inside (令和８年　４月１０日) are how an IME or a form pads the numbers.
    let text: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(crate::model::charset::halfwidth)
        .collect();
    let unknown = || DateError::UnknownShape {
        input: input.to_owned(),
    };
    let (text, weekday) = split_weekday(&text);
    let date = parse_date_only(input, strip_midnight(text)).map_err(|e| match e {
        DateError::UnknownShape { .. } => unknown(),
        e => e,
    })?;
    match weekday {
        Some(written) if written != weekday_name(date) => Err(DateError::WrongWeekday {
            input: input.to_owned(),
            date,
            written,
            actual: weekday_name(date),
        }),
        _ => Ok(date),
    }
}

const WEEKDAYS: [char; 7] = ['月', '火', '水', '木', '金', '土', '日'];

fn weekday_name(date: NaiveDate) -> char {
    WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// `令和8年4月10日（金）`, `(金曜日)`, `(金曜)`: the date and the weekday written after it.
fn split_weekday(text: &str) -> (&str, Option<char>) {
    let Some(open) = text.rfind(['(', '（']) else {
        return (text, None);
    };
    let inside = text[open..]
        .trim_start_matches(['(', '（'])
        .strip_suffix([')', '）']);
    let day = inside.map(|d| d.trim_end_matches("曜日").trim_end_matches('曜'));
    match day.map(|d| (d.chars().next(), d.chars().count())) {
        Some((Some(c), 1)) if WEEKDAYS.contains(&c) => (&text[..open], Some(c)),
        _ => (text, None),
    }
}

/// Excel's and many systems' `2026-04-10T00:00:00` (also with `.000` or `Z`): a date at
/// midnight. Another time of day is not a date and stays unread.
fn strip_midnight(text: &str) -> &str {
    let Some((date, time)) = text.split_once('T') else {
        return text;
    };
    let time = time.strip_suffix('Z').unwrap_or(time);
    let time = match time.split_once('.') {
        Some((hms, fraction)) if !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') => hms,
        Some(_) => return text,
        None => time,
    };
    if time == "00:00:00" {
        date
    } else {
        text
    }
}

/// [`parse_date`] of the date alone, spaces and weekday taken off.
fn parse_date_only(input: &str, text: &str) -> Result<NaiveDate, DateError> {
    let unknown = || DateError::UnknownShape {
        input: input.to_owned(),
    };
    if let Some((year, month, day)) = parse_iso(text).or_else(|| parse_western(text)) {
        return calendar_date(input, year, month, day);
    }
    let (era, year, month, day) = parse_era_kanji(text)
        .or_else(|| parse_era_abbreviated(text))
        .ok_or_else(unknown)?;
    let outside = |date| DateError::OutsideEra {
        input: input.to_owned(),
        era: era.name,
        date,
    };
    if year == 0 {
        return Err(outside(None));
    }
    let date = calendar_date(input, era.start.year() - 1 + year as i32, month, day)?;
    if date < era.start || era.end.is_some_and(|end| date > end) {
        return Err(outside(Some(date)));
    }
    Ok(date)
}

fn calendar_date(input: &str, year: i32, month: u32, day: u32) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DateError::NoSuchDate {
        input: input.to_owned(),
        year,
        month,
        day,
    })
}

/// Exactly `YYYY-MM-DD`.
fn parse_iso(text: &str) -> Option<(i32, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(&text[0..4], 4)?;
    let month = digits(&text[5..7], 2)?;
    let day = digits(&text[8..10], 2)?;
    Some((year as i32, month, day))
}

/// `2026/4/10`, `2026-4-10`, `2026.4.10`, `2026年4月10日`: the western shapes of everyday writing
/// (and of `"dates": "western"` output), with a four-digit year.
fn parse_western(text: &str) -> Option<(i32, u32, u32)> {
    let (year, month, day) = if let Some((year, rest)) = text.split_once('年') {
        let (month, rest) = rest.split_once('月')?;
        (year, month, rest.strip_suffix('日')?)
    } else {
        let separator = text.chars().find(|&c| matches!(c, '/' | '-' | '.'))?;
        let mut parts = text.split(separator);
        let shape = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        shape
    };
    if year.len() != 4 {
        return None;
    }
    Some((digits(year, 4)? as i32, digits(month, 2)?, digits(day, 2)?))
}

/// `令和7年4月1日`, `令和元年5月1日`.
fn parse_era_kanji(text: &str) -> Option<(&'static Era, u32, u32, u32)> {
    // 令和8年4月10日, and R8年4月10日 as a form's narrow era column has it.
    let (era, rest) = ERAS.iter().find_map(|era| {
        let rest = text.strip_prefix(era.name).or_else(|| {
            let mut chars = text.chars();
            (chars.next()?.to_ascii_uppercase() == era.letter).then_some(chars.as_str())
        })?;
        Some((era, rest))
    })?;
    let (year, rest) = rest.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日')?;
    Some((era, era_year(year)?, digits(month, 2)?, digits(day, 2)?))
}

/// `R7.4.1`, `R07.04.01`, `R7/4/1`: one separator, used twice.
fn parse_era_abbreviated(text: &str) -> Option<(&'static Era, u32, u32, u32)> {
    let mut chars = text.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    let era = ERAS.iter().find(|era| era.letter == letter)?;
    let rest = chars.as_str();
    let separator = rest.chars().find(|&c| c == '.' || c == '/')?;
    let mut parts = rest.split(separator);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((era, era_year(year)?, digits(month, 2)?, digits(day, 2)?))
}

/// The first year of an era is written 1 or 元 (元年).
fn era_year(s: &str) -> Option<u32> {
    if s == "元" {
        Some(1)
    } else {
        digits(s, 2)
    }
}

/// 1 to `max_len` ASCII digits; the length limit also rules out overflow.
fn digits(s: &str, max_len: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `令和8年4月10日` (元年 for the first year) or `2026年4月10日`.
///
/// Dates before 昭和 have no era here and are printed the western way whatever the style.
pub fn format_date(d: NaiveDate, style: DateStyle) -> String {
    let (month, day) = (d.month(), d.day());
    match (style, era_of(d)) {
        (DateStyle::Wareki, Some(era)) => {
            let year = d.year() - era.start.year() + 1;
            let year = if year == 1 {
                "元".to_owned()
            } else {
                year.to_string()
            };
            format!("{}{year}年{month}月{day}日", era.name)
        }
        _ => format!("{}年{month}月{day}日", d.year()),
    }
}

/// The time between two dates in the words of a message: 「6か月」「1年2か月」「1年」, or 「N日」
/// when it is under a month. Under a year, leftover days are dropped (the messages are about
/// whole months); from a year on they are kept, because the one-year rule turns on them: 「1年」
/// on the anniversary is still 「実施」, 「1年1日」 is not.
///
/// Months are calendar months counted with chrono (`from` + N months ≤ `to`), so 1月31日 to
/// 2月28日 is one month; the order of the two dates does not matter.
pub fn describe_interval(from: NaiveDate, to: NaiveDate) -> String {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let months = whole_months(from, to);
    if months == 0 {
        let days = to.signed_duration_since(from).num_days();
        return format!("{days}日");
    }
    // The days past the whole months, so that 1年1日 and 1年29日 do not both read 「1年」.
    let days = match from.checked_add_months(Months::new(months)) {
        Some(d) if months >= 12 => to.signed_duration_since(d).num_days(),
        _ => 0,
    };
    let (years, months) = (months / 12, months % 12);
    let mut out = String::new();
    if years > 0 {
        out.push_str(&format!("{years}年"));
    }
    if months > 0 {
        out.push_str(&format!("{months}か月"));
    }
    if days > 0 {
        out.push_str(&format!("{days}日"));
    }
    out
}

/// The largest N with `from` + N months ≤ `to` (`from` ≤ `to`).
fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    let estimate = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let mut months = u32::try_from(estimate).unwrap_or(0);
    // The estimate is never too small; it is one too large when `to`'s day is earlier in the
    // month than `from`'s (after chrono's clamping to the month's end).
    while months > 0
        && from
            .checked_add_months(Months::new(months))
            .is_none_or(|date| date > to)
    {
        months -= 1;
    }
    months
}

/// The last day of a one-year period counted from `from`, as 民法 counts it: the first day is not
/// counted (第140条), so the period starts the next day and ends on the day before the day of the
/// next year that corresponds to that start (第143条第2項本文); when that year has no such day (a
/// start on 2月29日), it ends at the end of the month (同項ただし書).
///
/// That is `from` + 12 months for every day but one: from 2月28日 of the year before a leap year the
/// period starts on 3月1日 and ends on 2月29日, where chrono's `from` + 12 months gives 2月28日.
/// `None` when the dates run off chrono's calendar.
pub fn one_year_expiry(from: NaiveDate) -> Option<NaiveDate> {
    let start = from.succ_opt()?;
    let year = start.year().checked_add(1)?;
    match NaiveDate::from_ymd_opt(year, start.month(), start.day()) {
        Some(corresponding) => corresponding.pred_opt(),
        None => {
            NaiveDate::from_ymd_opt(year, start.month(), last_day_of_month(year, start.month())?)
        }
    }
}

/// Whether a year or more has passed from `from` to `to`, as in 「前回の確認から1年以上を経過して
/// いない」: only once the one-year period has run out, i.e. from the day after
/// [`one_year_expiry`]. On the anniversary itself the period is still running (民法 第140条・
/// 第143条), so 2025-04-01 → 2026-04-01 is within the year and 2026-04-02 is not; from 2024-02-29
/// the year runs to 2025-02-28 and has passed on 2025-03-01.
pub fn at_least_one_year(from: NaiveDate, to: NaiveDate) -> bool {
    one_year_expiry(from).is_some_and(|end| to > end)
}

impl fmt::Display for DateStyle {
    /// The spelling [`FromStr`] accepts, so that a style round-trips through a command line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateStyle::Wareki => "wareki",
            DateStyle::Western => "western",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) => date,
            None => panic!("bad test date {y}-{m}-{d}"),
        }
    }

    /// What people type beyond the plain shapes: spaces inside, the era letter with 年月日, a
    /// weekday after the date (checked), Excel's midnight time.
    #[test]
    fn dates_as_people_type_them() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for (input, want) in [
            ("令和８年　４月１０日", d(2026, 4, 10)),
            ("令和 8 年 4 月 10 日", d(2026, 4, 10)),
            ("R8年4月10日", d(2026, 4, 10)),
            ("h31年4月30日", d(2019, 4, 30)),
            ("令和8年4月10日（金）", d(2026, 4, 10)),
            ("令和8年4月10日(金曜日)", d(2026, 4, 10)),
            ("2026/4/10 (金)", d(2026, 4, 10)),
            ("2026-04-10T00:00:00", d(2026, 4, 10)),
            ("2026-04-10T00:00:00.000", d(2026, 4, 10)),
            ("2026-04-10T00:00:00Z", d(2026, 4, 10)),
        ] {
            assert_eq!(parse_date(input), Ok(want), "{input}");
        }
        let wrong = parse_date("令和8年4月10日（木）").unwrap_err();
        assert!(
            matches!(
                wrong,
                DateError::WrongWeekday {
                    written: '木',
                    actual: '金',
                    ..
                }
            ),
            "{wrong:?}"
        );
        assert_eq!(
            wrong.to_string(),
            "日付「令和8年4月10日（木）」の曜日が違います。令和8年4月10日は金曜日です（木曜日とあります）"
        );
        for input in [
            "2026-04-10T09:30:00",
            "2026-04-10T00:00:00.5",
            "令和8年4月10日（金金）",
            "令和8年4月10日（祝）",
            "R8年4月",
        ] {
            assert!(
                matches!(parse_date(input), Err(DateError::UnknownShape { .. })),
                "{input}: {:?}",
                parse_date(input)
            );
        }
        assert_eq!("和暦".parse(), Ok(DateStyle::Wareki));
        assert_eq!("西暦".parse(), Ok(DateStyle::Western));
    }

    #[test]
    fn parses_iso() {
        assert_eq!(parse_date("2025-04-01"), Ok(date(2025, 4, 1)));
        for western in [
            "2026/4/10",
            "2026-4-10",
            "2026.4.10",
            "2026年4月10日",
            "２０２６／４／１０",
        ] {
            assert_eq!(parse_date(western), Ok(date(2026, 4, 10)), "{western}");
        }
        assert!(parse_date("26/4/10").is_err() && parse_date("2026/4/10/1").is_err());
        assert!(matches!(
            parse_date("2025/2/30"),
            Err(DateError::NoSuchDate { .. })
        ));
        assert_eq!(parse_date("  2024-02-29\n"), Ok(date(2024, 2, 29)));
    }

    #[test]
    fn iso_must_have_exactly_its_shape() {
        // 2025-4-1 and 2025/04/01 are read as western dates (parses_iso).
        for s in ["25-04-01", "2025-04-01T00:00", "+2025-04-01", "2025-0a-01"] {
            assert!(
                matches!(parse_date(s), Err(DateError::UnknownShape { .. })),
                "{s}: {:?}",
                parse_date(s)
            );
        }
    }

    #[test]
    fn parses_era_dates_in_kanji() {
        assert_eq!(parse_date("令和7年4月1日"), Ok(date(2025, 4, 1)));
        assert_eq!(parse_date("令和元年5月1日"), Ok(date(2019, 5, 1)));
        assert_eq!(parse_date("令和1年5月1日"), Ok(date(2019, 5, 1)));
        assert_eq!(parse_date("平成31年4月30日"), Ok(date(2019, 4, 30)));
        assert_eq!(parse_date("平成元年1月8日"), Ok(date(1989, 1, 8)));
        assert_eq!(parse_date("昭和64年1月7日"), Ok(date(1989, 1, 7)));
        assert_eq!(parse_date("昭和元年12月25日"), Ok(date(1926, 12, 25)));
        assert_eq!(parse_date("令和07年04月01日"), Ok(date(2025, 4, 1)));
    }

    #[test]
    fn parses_abbreviated_era_dates() {
        assert_eq!(parse_date("R7.4.1"), Ok(date(2025, 4, 1)));
        assert_eq!(parse_date("H31.4.30"), Ok(date(2019, 4, 30)));
        assert_eq!(parse_date("S64.1.7"), Ok(date(1989, 1, 7)));
        assert_eq!(parse_date("R07.04.01"), Ok(date(2025, 4, 1)));
        assert_eq!(parse_date("R7/4/1"), Ok(date(2025, 4, 1)));
        assert_eq!(parse_date("H01/01/08"), Ok(date(1989, 1, 8)));
        assert_eq!(parse_date("R元.5.1"), Ok(date(2019, 5, 1)));
        assert_eq!(parse_date("r8.4.10"), Ok(date(2026, 4, 10)));
    }

    #[test]
    fn abbreviated_shape_is_checked() {
        for s in [
            "R7.4/1", "R7.4.1.", "R7..1", "R.4.1", "R123.4.1", "T7.4.1", "t7.4.1", "R7-4-1", "R7.4",
        ] {
            assert!(
                matches!(parse_date(s), Err(DateError::UnknownShape { .. })),
                "{s}: {:?}",
                parse_date(s)
            );
        }
    }

    #[test]
    fn accepts_fullwidth_digits_letters_and_surrounding_space() {
        assert_eq!(parse_date("令和７年４月１日"), Ok(date(2025, 4, 1)));
        assert_eq!(parse_date("Ｒ７．４．１"), Ok(date(2025, 4, 1)));
        assert_eq!(parse_date("Ｈ３１/４/３０"), Ok(date(2019, 4, 30)));
        assert_eq!(parse_date("Ｓ６４.１.７"), Ok(date(1989, 1, 7)));
        assert_eq!(parse_date("　令和7年4月1日\t"), Ok(date(2025, 4, 1)));
        assert_eq!(parse_date("２０２５－０４－０１"), Ok(date(2025, 4, 1)));
    }

    #[test]
    fn unknown_shapes_say_which_shapes_are_accepted() {
        let error = parse_date(" April 1st ");
        assert_eq!(
            error,
            Err(DateError::UnknownShape {
                input: "April 1st".to_owned()
            })
        );
        let message = error.map_err(|e| e.to_string()).err().unwrap_or_default();
        assert!(message.contains("「April 1st」"), "{message}");
        for shape in [
            "2025-04-01",
            "令和7年4月1日",
            "元年",
            "R7.4.1",
            "R7/4/1",
            "H=平成",
            "S=昭和",
        ] {
            assert!(message.contains(shape), "{message} lacks {shape}");
        }
        for s in [
            "令和7年4月1",
            "大正15年1月1日",
            "令和7年4月1日です",
            "7年4月1日",
            "令和x年4月1日",
        ] {
            assert!(
                matches!(parse_date(s), Err(DateError::UnknownShape { .. })),
                "{s}"
            );
        }
        assert_eq!(parse_date(" 　"), Err(DateError::Empty));
        assert!(DateError::Empty.to_string().contains("空"));
    }

    #[test]
    fn impossible_calendar_dates_are_rejected() {
        assert_eq!(
            parse_date("2025-02-30"),
            Err(DateError::NoSuchDate {
                input: "2025-02-30".to_owned(),
                year: 2025,
                month: 2,
                day: 30
            })
        );
        let error = parse_date("令和7年2月30日");
        assert_eq!(
            error,
            Err(DateError::NoSuchDate {
                input: "令和7年2月30日".to_owned(),
                year: 2025,
                month: 2,
                day: 30
            })
        );
        let message = error.map_err(|e| e.to_string()).err().unwrap_or_default();
        assert!(message.contains("2025年2月は1日から28日まで"), "{message}");
        let leap = parse_date("2024-02-30").map_err(|e| e.to_string());
        assert!(leap.is_err_and(|m| m.contains("29日まで")));
        let month = parse_date("R7.13.1").map_err(|e| e.to_string());
        assert!(month.is_err_and(|m| m.contains("月は1から12まで")));
        assert!(matches!(
            parse_date("2025-04-00"),
            Err(DateError::NoSuchDate { .. })
        ));
        assert!(matches!(
            parse_date("2025-00-01"),
            Err(DateError::NoSuchDate { .. })
        ));
        assert!(matches!(
            parse_date("2025-04-31"),
            Err(DateError::NoSuchDate { .. })
        ));
    }

    #[test]
    fn dates_outside_their_era_are_rejected() {
        let heisei = parse_date("平成32年1月1日");
        assert_eq!(
            heisei,
            Err(DateError::OutsideEra {
                input: "平成32年1月1日".to_owned(),
                era: "平成",
                date: Some(date(2020, 1, 1)),
            })
        );
        let message = heisei.map_err(|e| e.to_string()).err().unwrap_or_default();
        assert!(message.contains("平成31年4月30日"), "{message}");
        assert!(message.contains("令和2年1月1日"), "{message}");

        let reiwa = parse_date("令和1年4月1日").map_err(|e| e.to_string());
        assert!(
            reiwa
                .as_ref()
                .is_err_and(|m| m.contains("令和元年5月1日") && m.contains("平成31年4月1日")),
            "{reiwa:?}"
        );
        assert!(matches!(
            parse_date("令和元年4月30日"),
            Err(DateError::OutsideEra { era: "令和", .. })
        ));
        assert!(matches!(
            parse_date("昭和65年1月1日"),
            Err(DateError::OutsideEra { era: "昭和", .. })
        ));
        assert!(matches!(
            parse_date("S64.1.8"),
            Err(DateError::OutsideEra { era: "昭和", .. })
        ));
        assert!(matches!(
            parse_date("昭和元年12月24日"),
            Err(DateError::OutsideEra { era: "昭和", .. })
        ));
        assert!(matches!(
            parse_date("平成元年1月7日"),
            Err(DateError::OutsideEra { era: "平成", .. })
        ));
        assert!(matches!(
            parse_date("H31.5.1"),
            Err(DateError::OutsideEra { era: "平成", .. })
        ));
        assert_eq!(
            parse_date("令和0年2月29日"),
            Err(DateError::OutsideEra {
                input: "令和0年2月29日".to_owned(),
                era: "令和",
                date: None,
            })
        );
    }

    #[test]
    fn formats_wareki_with_gannen() {
        let w = |d| format_date(d, DateStyle::Wareki);
        assert_eq!(w(date(2026, 4, 10)), "令和8年4月10日");
        assert_eq!(w(date(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(w(date(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(w(date(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(w(date(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(w(date(1926, 12, 25)), "昭和元年12月25日");
        assert_eq!(w(date(1926, 12, 24)), "1926年12月24日");
    }

    #[test]
    fn formats_western() {
        assert_eq!(
            format_date(date(2026, 4, 10), DateStyle::Western),
            "2026年4月10日"
        );
        assert_eq!(
            format_date(date(2019, 5, 1), DateStyle::Western),
            "2019年5月1日"
        );
    }

    #[test]
    fn format_and_parse_round_trip_across_era_boundaries() {
        let mut d = date(1926, 12, 20);
        while d <= date(2030, 1, 1) {
            let text = format_date(d, DateStyle::Wareki);
            if d >= date(1926, 12, 25) {
                assert_eq!(parse_date(&text), Ok(d), "{text}");
            }
            d = match d.checked_add_days(chrono::Days::new(97)) {
                Some(next) => next,
                None => break,
            };
        }
        for d in [
            date(1989, 1, 7),
            date(1989, 1, 8),
            date(2019, 4, 30),
            date(2019, 5, 1),
        ] {
            assert_eq!(parse_date(&format_date(d, DateStyle::Wareki)), Ok(d));
        }
    }

    #[test]
    fn date_style_parses_and_displays() {
        assert_eq!("wareki".parse(), Ok(DateStyle::Wareki));
        assert_eq!("western".parse(), Ok(DateStyle::Western));
        assert_eq!(DateStyle::default(), DateStyle::Wareki);
        assert_eq!(
            "seireki".parse::<DateStyle>(),
            Err(DateError::UnknownStyle {
                input: "seireki".to_owned()
            })
        );
        for style in [DateStyle::Wareki, DateStyle::Western] {
            assert_eq!(style.to_string().parse(), Ok(style));
        }
    }

    #[test]
    fn describes_intervals_in_months_and_years() {
        // (from, to, text); the last case has the dates the other way round.
        let cases = [
            ((2025, 10, 1), (2026, 4, 10), "6か月"),
            ((2025, 4, 1), (2026, 6, 1), "1年2か月"),
            ((2025, 4, 1), (2026, 4, 1), "1年"),
            ((2025, 4, 1), (2026, 4, 2), "1年1日"),
            ((2025, 10, 25), (2026, 11, 23), "1年29日"),
            ((2024, 4, 1), (2026, 6, 3), "2年2か月2日"),
            ((2025, 4, 1), (2026, 3, 31), "11か月"),
            ((2025, 4, 1), (2025, 4, 30), "29日"),
            ((2025, 4, 1), (2025, 5, 1), "1か月"),
            ((2025, 4, 1), (2025, 4, 1), "0日"),
            ((2025, 1, 31), (2025, 2, 28), "1か月"),
            ((2025, 1, 31), (2025, 2, 27), "27日"),
            ((2025, 3, 31), (2025, 4, 30), "1か月"),
            ((2020, 4, 1), (2025, 4, 1), "5年"),
            ((2026, 4, 10), (2025, 10, 1), "6か月"),
        ];
        for ((fy, fm, fd), (ty, tm, td), text) in cases {
            let (from, to) = (date(fy, fm, fd), date(ty, tm, td));
            assert_eq!(describe_interval(from, to), text, "{from} → {to}");
        }
    }

    #[test]
    fn a_year_has_passed_from_the_day_after_the_anniversary() {
        assert!(!at_least_one_year(date(2025, 4, 1), date(2026, 3, 31)));
        assert!(!at_least_one_year(date(2025, 4, 1), date(2026, 4, 1)));
        assert!(at_least_one_year(date(2025, 4, 1), date(2026, 4, 2)));
        assert!(at_least_one_year(date(2025, 4, 1), date(2027, 1, 1)));
        assert!(!at_least_one_year(date(2025, 3, 31), date(2026, 3, 31)));
        assert!(at_least_one_year(date(2025, 3, 31), date(2026, 4, 1)));
        assert!(!at_least_one_year(date(2024, 2, 29), date(2025, 2, 28)));
        assert!(at_least_one_year(date(2024, 2, 29), date(2025, 3, 1)));
        assert!(!at_least_one_year(date(2026, 4, 1), date(2025, 4, 1)));
        assert!(!at_least_one_year(NaiveDate::MAX, NaiveDate::MAX));
    }

    #[test]
    fn the_year_ends_as_article_143_says() {
        assert_eq!(one_year_expiry(date(2025, 4, 1)), Some(date(2026, 4, 1)));
        assert_eq!(
            one_year_expiry(date(2025, 12, 31)),
            Some(date(2026, 12, 31))
        );
        // Start 3月1日: ends the day before 3月1日 of the next year.
        assert_eq!(one_year_expiry(date(2024, 2, 29)), Some(date(2025, 2, 28)));
        assert_eq!(one_year_expiry(date(2023, 2, 28)), Some(date(2024, 2, 29)));
        // Start 2月29日, no 2月29日 the next year: ends at the end of February (ただし書).
        assert_eq!(one_year_expiry(date(2024, 2, 28)), Some(date(2025, 2, 28)));
        assert_eq!(one_year_expiry(NaiveDate::MAX), None);
    }
}
