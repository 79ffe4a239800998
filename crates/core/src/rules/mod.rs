//! The form's rules: what makes an answer set fit to submit, and the answers as they are printed.
//!
//! `check` lists every problem (errors and warnings) at once; `render` refuses what it calls an
//! error. `resolve` turns the answers into the exact strings the form shows.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::error::Problem;
use crate::fonts::{FontSet, MissingGlyph};
use crate::model::answers::{ends_with_suffix, suffix_variant, AnswerSet, Status};
use crate::model::charset;
use crate::model::draft::Draft;
use crate::model::seal::{self, NoSealFiles, SealFiles, SealImage};
use crate::model::wareki;
use crate::spec::form::{Applies, FormSpec, OneYearRule, RowSpec};
use crate::spec::labels;
use crate::spec::workbook::{AUTO, YES_NO};

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

/// One row as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedItem {
    pub status: String,
    pub detail: String,
}

/// The answers as the form prints them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub company: String,
    pub department: String,
    pub contract_start: String,
    pub previous_check: String,
    pub items: BTreeMap<u32, ResolvedItem>,
    pub checked_on: String,
    /// 確認者: 事業者名, then 所属 and 役職 when given, then 氏名. Kept apart so that the line breaks
    /// between them, never inside a name; the layout's separator joins them.
    pub checker: Vec<String>,
    pub seal_mark: bool,
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
    check_dates(d, opts, &mut problems);
    check_items(d, form, &mut problems);
    check_rows(d, form, &mut problems);
    check_characters(d, fonts, opts, &mut problems);
    check_for_review(d, form, read, &mut problems);
    let seal = d.seal.as_ref().and_then(|s| {
        let loaded = match (s.image.as_deref(), s.data.as_deref()) {
            (None, None) => return None,
            (Some(_), Some(_)) => Err(Problem::error(
                "seal.data",
                "印影の画像が seal.image と seal.data の両方に指定されています。どちらか一方にしてください",
            )),
            (Some(path), None) => opts
                .seal_files
                .read(path)
                .and_then(|bytes| seal::from_file_bytes(path, bytes)),
            (None, Some(uri)) => seal::from_data_uri(uri),
        };
        loaded.map_err(|p| problems.push(p)).ok()
    });
    // Stable: errors before warnings, each in the order found (the order of the form).
    problems.sort_by_key(|p| p.severity);
    Inspection { problems, seal }
}

/// What `init`'s starters write where the user's own words go (株式会社〇〇, 〇〇 〇〇).
const PLACEHOLDER: &str = "〇〇";

/// Warnings for what a reviewer would send back although the form's rules allow it: a starter's
/// placeholder left in, 実施 with nothing said about how, a 確認者 without the 所属 or 役職 the form
/// asks for, the subcontractor suffix on a contractor or typed another way.
fn check_for_review(d: &Draft, form: &FormSpec, read: Read, problems: &mut Vec<Problem>) {
    for (path, text) in d.text_fields() {
        if text.contains(PLACEHOLDER) {
            problems.push(Problem::warning(
                path,
                format!("記入例の「{PLACEHOLDER}」が残っています。実際の内容に書き換えてください"),
            ));
        }
    }
    let [done, _] = &form.items.status_values;
    for (n, item) in &d.items.read {
        if item.status == Some(Status::Done) && item.detail.trim().is_empty() {
            problems.push(Problem::warning(
                format!("items.{n}.detail"),
                format!("「{done}」の行ですが、実施状況(詳細)が空です。どのように実施したかを記入してください"),
            ));
        }
    }
    example_details(d, form, problems);
    for (n, item) in &d.items.read {
        if item.still_carried_over() {
            problems.push(Problem::warning(format!("items.{n}"), CARRIED_OVER));
        }
    }
    auto_not_done(d, form, problems);
    let c = &d.checker;
    for (field, value, what) in [
        ("department", &c.department, "所属"),
        ("title", &c.title, "役職"),
    ] {
        // In a draft `None` may be a misspelt key (its error is reported): only a field known
        // to be empty is warned about.
        let known_empty = value.as_deref().is_some_and(|v| v.trim().is_empty())
            || (value.is_none() && read == Read::Whole);
        if known_empty {
            problems.push(Problem::warning(
                format!("checker.{field}"),
                format!("確認者の{what}がありません。様式は確認者の所属・役職・氏名を求めています"),
            ));
        }
    }
    let suffix = &form.target.subcontractor_suffix;
    let Some(company) = d.target.company.as_deref() else {
        return;
    };
    // A workbook's empty 下請負者等 cell reads as `false`: the name then says more than the flag.
    if d.target.subcontractor == Some(false) && ends_with_suffix(company, suffix) {
        problems.push(Problem::warning(
            "target.subcontractor",
            format!(
                "事業者名が「{suffix}」で終わっていますが、「{}」が「{}」ではありません（元請として扱い、事業者名は書かれたとおりに印字します）。下請負者等なら「{}」に、元請なら事業者名の末尾を消してください",
                labels::label(form, "target.subcontractor").unwrap_or_default(),
                YES_NO[0],
                YES_NO[0]
            ),
        ));
    }
    if d.target.subcontractor == Some(true) {
        if let Some(written) = suffix_variant(company, suffix) {
            problems.push(Problem::warning(
                "target.company",
                format!("事業者名の末尾の「{written}」は「{suffix}」として印字します（二重には付けません）"),
            ));
        }
    }
}

/// A row `next` carried over from last year, still as it was and not confirmed (issue 21 §5). A
/// warning, not an error: last year's answer may well be this year's, and `render` prints it
/// after saying so (refusing would push a clerk to retype a true answer to get past it).
pub const CARRIED_OVER: &str = "前年の回答のままです。今年の状況を確かめてください";

/// A detail still equal to an example text of the layout data (`examples.json`): older starters
/// wrote these as answers, and a workbook made from one may come back with them untouched.
fn example_details(d: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    let examples = crate::spec::example_details(&form.name);
    for (n, item) in &d.items.read {
        let detail = item.detail.trim();
        if examples
            .get(n)
            .is_some_and(|texts| texts.iter().any(|t| t == detail))
        {
            problems.push(Problem::warning(
                format!("items.{n}.detail"),
                format!("行 {n} の詳細が secform の以前の記入例と同じ文です（「{detail}」）。今年の実施状況のとおりか確かめてください"),
            ));
        }
    }
}

/// `"status": "auto"` that the dates make 未実施: allowed, but a reviewer will ask why, so the user
/// hears it before printing, with the reason the form will print.
fn auto_not_done(d: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    let not_done = &form.items.status_values[1];
    let (Some(prev), Some(checked_on)) = (d.target.previous_check.flatten(), d.checked_on) else {
        return;
    };
    if !wareki::at_least_one_year(prev, checked_on) {
        return;
    }
    for row in &form.items.rows {
        let Some(rule) = &row.one_year_rule else {
            continue;
        };
        if status_of(d, row.number) == Some(Some(Status::Auto)) {
            problems.push(Problem::warning(
                format!("items.{}.status", row.number),
                format!(
                    "「{AUTO}」（\"auto\"）により「{not_done}」と印字します：{}",
                    auto_detail(rule, prev, checked_on, d.dates)
                ),
            ));
        }
    }
}

/// contract_start ≤ previous_check ≤ checked_on, and checked_on not in the future; each comparison
/// only between dates that were read.
fn check_dates(a: &Draft, opts: &CheckOptions, problems: &mut Vec<Problem>) {
    let d = |d: NaiveDate| wareki::format_date(d, a.dates);
    let t = &a.target;
    let previous = t.previous_check.flatten();
    if let (Some(prev), Some(start)) = (previous, t.contract_start) {
        if prev < start {
            problems.push(Problem::error(
                "target.previous_check",
                format!(
                    "前回確認実施年月日（{}）が契約開始年月日（{}）より前です",
                    d(prev),
                    d(start)
                ),
            ));
        }
    }
    if let (Some(prev), Some(checked_on)) = (previous, a.checked_on) {
        if checked_on < prev {
            problems.push(Problem::error(
                "checked_on",
                format!(
                    "確認年月日（{}）が前回確認実施年月日（{}）より前です",
                    d(checked_on),
                    d(prev)
                ),
            ));
        }
    }
    let Some(checked_on) = a.checked_on else {
        return;
    };
    if let Some(start) = t.contract_start.filter(|&start| checked_on < start) {
        problems.push(Problem::error(
            "checked_on",
            format!(
                "確認年月日（{}）が契約開始年月日（{}）より前です",
                d(checked_on),
                d(start)
            ),
        ));
    }
    if checked_on > opts.today {
        problems.push(Problem::warning(
            "checked_on",
            format!(
                "確認年月日（{}）が未来の日付です（今日は {}）",
                d(checked_on),
                d(opts.today)
            ),
        ));
    }
}

/// Each answer on its own: 未実施 needs a reason, a detail needs a status. (`auto` where the dates
/// decide nothing is refused by the reader, so that the rows depending on it wait.)
fn check_items(a: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    let [done, not_done] = &form.items.status_values;
    for (n, item) in &a.items.read {
        let path = format!("items.{n}");
        match item.status {
            Some(Status::NotDone) if item.detail.trim().is_empty() => {
                problems.push(Problem::error(
                    format!("{path}.detail"),
                    format!("「{not_done}」の行には未実施の理由を記入してください"),
                ))
            }
            None if !item.detail.trim().is_empty() => problems.push(Problem::error(
                format!("{path}.status"),
                format!("詳細が書かれていますが、「{done}」か「{not_done}」かが指定されていません"),
            )),
            _ => {}
        }
    }
}

/// Whether a row applies, as far as the answers that were read tell.
enum Applicability {
    /// Nothing decides: the row's ※ flag alone says whether it must be answered.
    Open,
    /// Decided, and why (for the message).
    Decided(bool, String),
    /// It depends on a part that could not be read.
    Unknown,
}

/// Whether each row applies, and whether the answers agree: an applicable row must be answered,
/// a row that does not apply must stay blank (it prints its ※), an unconditional row must be
/// answered. Also the one-year rule of 第7条第2項.
fn check_rows(a: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    for row in &form.items.rows {
        let applies = applicability(a, form, row);
        answered_as_it_applies(a, form, row, applies, problems);
        if row.one_year_rule.is_some() {
            one_year_rule(a, form, row.number, problems);
        }
    }
}

/// Whether row `row` of `a` applies as the answers decide it: `Some(true)` or `Some(false)` when
/// another row, a circumstance or the previous check decides, `None` when nothing does (the ※ flag
/// alone then says whether it must be answered). For the summary, which marks a row that does not
/// apply apart from one left unanswered.
pub fn row_applies(a: &AnswerSet, form: &FormSpec, row: &RowSpec) -> Option<bool> {
    match applicability(&Draft::from(a), form, row) {
        Applicability::Decided(applies, _) => Some(applies),
        Applicability::Open | Applicability::Unknown => None,
    }
}

/// `None`: unknown; `Some(None)`: known to have no status.
fn status_of(a: &Draft, n: u32) -> Option<Option<Status>> {
    a.items.answer(n).map(|i| i.and_then(|i| i.status))
}

/// Whether `row` applies, as far as what was read decides it, and why.
fn applicability(a: &Draft, form: &FormSpec, row: &RowSpec) -> Applicability {
    let not_done = &form.items.status_values[1];
    match &row.applies {
        None => Applicability::Open,
        Some(Applies::AnyNotDone(rows)) => {
            let list = rows
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" か ");
            let why = || format!("行 {list} が「{not_done}」の場合に該当する行です");
            // One row read as 未実施 decides; "none is" needs every row read.
            let statuses: Vec<_> = rows.iter().map(|&r| status_of(a, r)).collect();
            if statuses.contains(&Some(Some(Status::NotDone))) {
                Applicability::Decided(true, why())
            } else if statuses.contains(&None) {
                Applicability::Unknown
            } else {
                Applicability::Decided(false, why())
            }
        }
        Some(Applies::Circumstance(c)) => match a.circumstances.get(c) {
            None => Applicability::Unknown,
            Some(None) => Applicability::Open,
            Some(Some(flag)) => Applicability::Decided(flag, answered(form, c, flag)),
        },
        // `true`: from the second check on; `false`: on the first check only.
        Some(Applies::PreviousCheck(wanted)) => match a.target.previous_check {
            None => Applicability::Unknown,
            Some(Some(_)) => Applicability::Decided(
                *wanted,
                format!(
                    "2回目以降の確認です（「{}」があります）",
                    previous_label(form)
                ),
            ),
            Some(None) => Applicability::Decided(
                !*wanted,
                format!("初回の確認です（「{}」が空欄です）", previous_label(form)),
            ),
        },
    }
}

/// Why a circumstance decides a row, in the words it is asked with: 「「甲から業務情報の廃棄を
/// 求められましたか」への回答が「いいえ」です」 (the JSON path is the problem's place).
fn answered(form: &FormSpec, name: &str, flag: bool) -> String {
    let question = labels::label(form, &format!("circumstances.{name}"))
        .unwrap_or_else(|| format!("circumstances.{name}"));
    let answer = if flag { YES_NO[0] } else { YES_NO[1] };
    format!("{question}への回答が「{answer}」です")
}

/// The form's name of `target.previous_check` (「(4) 前回確認実施年月日」).
fn previous_label(form: &FormSpec) -> String {
    labels::label(form, "target.previous_check").unwrap_or_else(|| "target.previous_check".into())
}

/// A row that applies is answered, one that does not is left blank, an open one is answered
/// unless optional. An unread row may be answered or not: nothing is said about it.
fn answered_as_it_applies(
    a: &Draft,
    form: &FormSpec,
    row: &RowSpec,
    applies: Applicability,
    problems: &mut Vec<Problem>,
) {
    let [done, not_done] = &form.items.status_values;
    let Some(item) = a.items.answer(row.number) else {
        return;
    };
    let path = format!("items.{}", row.number);
    let answered = item.is_some_and(|i| i.status.is_some() || !i.detail.trim().is_empty());
    match (applies, answered) {
        (Applicability::Decided(true, why), false) => problems.push(Problem::error(
            path,
            format!("この行は該当します（{why}）。「{done}」か「{not_done}」を記入してください"),
        )),
        (Applicability::Decided(false, why), true) => problems.push(Problem::error(
            path,
            format!("この行は該当しません（{why}）。空欄にしてください"),
        )),
        (Applicability::Open, false) if !row.optional => problems.push(Problem::error(
            path,
            format!("回答がありません。「{done}」か「{not_done}」を記入してください"),
        )),
        _ => {}
    }
}

/// Row `n` (the one-year rule's) answered 「実施」 when more than a year has passed since the
/// previous check.
fn one_year_rule(a: &Draft, form: &FormSpec, n: u32, problems: &mut Vec<Problem>) {
    let [done, not_done] = &form.items.status_values;
    let previous = a.target.previous_check.flatten();
    let (Some(prev), Some(checked_on), Some(Some(Status::Done))) =
        (previous, a.checked_on, status_of(a, n))
    else {
        return;
    };
    // Same test as `wareki::at_least_one_year`, keeping the expiry for the message.
    let Some(expiry) = wareki::one_year_expiry(prev).filter(|&end| checked_on > end) else {
        return;
    };
    let d = |d: NaiveDate| wareki::format_date(d, a.dates);
    // The expiry is named because the anniversary itself is still within the year
    // (民法 第140条・第143条), which a bare interval of 「1年」 would not tell.
    problems.push(Problem::error(
        format!("items.{n}.status"),
        format!(
            "前回確認（{}）からの1年は{}で満了し、確認年月日（{}）まで{}が経過しています。「{done}」ではなく「{not_done}」です（「{AUTO}」（\"auto\"）で日付から判定できます）",
            d(prev),
            d(expiry),
            d(checked_on),
            wareki::describe_interval(prev, checked_on)
        ),
    ));
}

/// The detail `"status": "auto"` prints from `rule`'s data: the interval within the year, and once
/// it has passed, that it has (the reason of the 未実施).
fn auto_detail(
    rule: &OneYearRule,
    prev: NaiveDate,
    checked_on: NaiveDate,
    dates: wareki::DateStyle,
) -> String {
    let template = if wareki::at_least_one_year(prev, checked_on) {
        &rule.passed_detail
    } else {
        &rule.auto_detail
    };
    template
        .replace("{previous}", &wareki::format_date(prev, dates))
        .replace("{interval}", &wareki::describe_interval(prev, checked_on))
}

/// Control characters, characters the fonts cannot draw, and with `--charset jis0208` characters
/// outside JIS X 0208. Each character is reported once, for the first reason: a control character
/// is not also a missing glyph or a non-JIS character. Line feed and tab are layout and pass.
fn check_characters(a: &Draft, fonts: &FontSet, opts: &CheckOptions, problems: &mut Vec<Problem>) {
    for (path, text) in a.text_fields() {
        for o in charset::control_chars(text) {
            problems.push(Problem::control_char(&path, o.ch, o.position));
        }
        for o in charset::private_use_chars(text) {
            problems.push(Problem::private_use_char(&path, o.ch, o.position));
        }
        // The characters by position, made only for a field that has something to report (this
        // runs for every field of every form of a batch).
        let invisible = charset::invisible_chars(text);
        let missing = fonts.missing_chars(text);
        if !invisible.is_empty() || !missing.is_empty() {
            let chars: Vec<char> = text.chars().collect();
            for o in invisible {
                problems.push(if charset::is_joining(&chars, o.position - 1) {
                    Problem::joiner(&path, o.position)
                } else {
                    Problem::invisible_char(&path, o.ch, o.position)
                });
            }
            for MissingGlyph(c, selector) in missing {
                if !c.is_control() && !charset::is_invisible(c) && !charset::is_private_use(c) {
                    let position = (0..chars.len())
                        .find(|&i| {
                            chars[i] == c && selector.is_none_or(|s| chars.get(i + 1) == Some(&s))
                        })
                        .map_or(0, |i| i + 1);
                    problems.push(Problem::missing_glyph_at(&path, c, selector, position));
                }
            }
        }
        if opts.charset == Charset::Jis0208 {
            for o in charset::outside_jis0208(text) {
                if o.ch.is_control() || charset::is_invisible(o.ch) {
                    continue;
                }
                problems.push(Problem::error(
                    path.clone(),
                    format!(
                        "{} 文字目の「{}」（{}）は JIS X 0208 にない文字です",
                        o.position,
                        o.ch,
                        charset::codepoint(o.ch)
                    ),
                ));
            }
        }
    }
}

/// The strings the form prints for `a`.
pub fn resolve(a: &AnswerSet, form: &FormSpec) -> Resolved {
    let date = |d: NaiveDate| wareki::format_date(d, a.dates);
    let [done, not_done] = &form.items.status_values;
    let items = a
        .items
        .iter()
        .map(|(n, item)| {
            let (status, detail) = match (item.status, a.target.previous_check) {
                (Some(Status::Done), _) => (done.clone(), item.detail.clone()),
                (Some(Status::NotDone), _) => (not_done.clone(), item.detail.clone()),
                (Some(Status::Auto), Some(prev)) => {
                    let within = !wareki::at_least_one_year(prev, a.checked_on);
                    let auto_detail = form
                        .row(*n)
                        .and_then(|r| r.one_year_rule.as_ref())
                        .map_or_else(String::new, |rule| {
                            auto_detail(rule, prev, a.checked_on, a.dates)
                        });
                    let detail = if item.detail.trim().is_empty() {
                        auto_detail
                    } else {
                        item.detail.clone()
                    };
                    (
                        if within {
                            done.clone()
                        } else {
                            not_done.clone()
                        },
                        detail,
                    )
                }
                (Some(Status::Auto), None) | (None, _) => (String::new(), item.detail.clone()),
            };
            (*n, ResolvedItem { status, detail })
        })
        .collect();
    let c = &a.checker;
    let checker = [
        Some(&c.company),
        c.department.as_ref(),
        c.title.as_ref(),
        Some(&c.name),
    ]
    .into_iter()
    .flatten()
    .map(|s| s.trim().to_string())
    .collect();
    Resolved {
        company: a.company_display(&form.target.subcontractor_suffix),
        department: a.target.department.clone().unwrap_or_default(),
        contract_start: date(a.target.contract_start),
        previous_check: a.target.previous_check.map(date).unwrap_or_default(),
        items,
        checked_on: date(a.checked_on),
        checker,
        seal_mark: a.seal.mark,
    }
}
