//! What could be read of a refused answer set, so that the form's rules can be checked beside the
//! structural problems in the same run.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::model::answers::{AnswerSet, Checker, Circumstances, Item, Seal, Target};
use crate::model::wareki::DateStyle;

/// An answer set as far as it could be read, so that the form's rules can be checked beside the
/// structural problems (one round of corrections instead of two).
///
/// `None` marks a part that could not be read: it is wrong (its problem is reported), or it is left
/// out beside an unknown key that may be its misspelling. The rules skip whatever depends on such a
/// part, so that a structural problem never comes back as a rule problem of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The form to check against; `None` when it is unknown, unreadable or possibly misspelt: then
    /// no rule is checked.
    pub layout: Option<String>,
    pub target: TargetDraft,
    pub items: ItemsDraft,
    pub checked_on: Option<NaiveDate>,
    pub checker: CheckerDraft,
    /// The default when unreadable: it only decides how messages write dates.
    pub dates: DateStyle,
    pub circumstances: CircumstancesDraft,
    pub seal: Option<Seal>,
}

/// [`Target`] as far as it could be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetDraft {
    pub company: Option<String>,
    pub subcontractor: Option<bool>,
    /// `None` also when left out: no rule depends on its absence.
    pub department: Option<String>,
    pub contract_start: Option<NaiveDate>,
    /// `Some(None)`: left out, a first check.
    pub previous_check: Option<Option<NaiveDate>>,
}

/// [`Checker`] as far as it could be read; `None` also for a field left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckerDraft {
    pub company: Option<String>,
    pub department: Option<String>,
    pub title: Option<String>,
    pub name: Option<String>,
}

/// The answers to the rows as far as they could be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemsDraft {
    /// The rows read without a problem.
    pub read: BTreeMap<u32, Item>,
    /// Rows with a problem inside: their answers are unknown.
    pub unread: BTreeSet<u32>,
    /// Whether the other rows may be answered somewhere the reader could not follow: `items`
    /// unreadable or possibly misspelt, or a key that is not a row number (it may be any row).
    pub rest_unread: bool,
}

impl ItemsDraft {
    /// The answer to row `n`: `Some(None)` when it is known to be unanswered, `None` when unknown.
    pub fn answer(&self, n: u32) -> Option<Option<&Item>> {
        match self.read.get(&n) {
            Some(item) => Some(Some(item)),
            None if self.rest_unread || self.unread.contains(&n) => None,
            None => Some(None),
        }
    }
}

/// The circumstances as far as they could be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CircumstancesDraft {
    pub read: Circumstances,
    /// Facts stated in a way that could not be read.
    pub unread: BTreeSet<String>,
    /// Whether the other facts may be stated somewhere the reader could not follow.
    pub rest_unread: bool,
}

impl CircumstancesDraft {
    /// Fact `name`: `Some(None)` when it is known not to be stated, `None` when unknown.
    pub fn get(&self, name: &str) -> Option<Option<bool>> {
        match self.read.get(name) {
            Some(flag) => Some(Some(flag)),
            None if self.rest_unread || self.unread.contains(name) => None,
            None => Some(None),
        }
    }
}

impl Draft {
    /// The answer set, when every part was read.
    pub(crate) fn complete(self) -> Option<AnswerSet> {
        let t = self.target;
        let c = self.checker;
        let items_read = self.items.unread.is_empty() && !self.items.rest_unread;
        let facts = &self.circumstances;
        let facts_read = facts.unread.is_empty() && !facts.rest_unread;
        Some(AnswerSet {
            layout: self.layout?,
            target: Target {
                company: t.company?,
                subcontractor: t.subcontractor?,
                department: t.department,
                contract_start: t.contract_start?,
                previous_check: t.previous_check?,
            },
            items: items_read.then_some(self.items.read)?,
            checked_on: self.checked_on?,
            checker: Checker {
                company: c.company?,
                department: c.department,
                title: c.title,
                name: c.name?,
            },
            dates: self.dates,
            circumstances: facts_read.then_some(self.circumstances.read)?,
            seal: self.seal?,
        })
    }

    /// The same draft with `f` applied to every text field (e.g. half-width kana made full-width).
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> Draft {
        let mut d = self.clone();
        let t = &mut d.target;
        let c = &mut d.checker;
        for s in [
            &mut t.company,
            &mut t.department,
            &mut c.company,
            &mut c.department,
            &mut c.title,
            &mut c.name,
        ]
        .into_iter()
        .flatten()
        {
            *s = f(s);
        }
        for item in d.items.read.values_mut() {
            item.detail = f(&item.detail);
        }
        d
    }

    /// Every text field that was read, with its JSON path, for checks that look at characters.
    pub fn text_fields(&self) -> Vec<(String, &str)> {
        let (t, c) = (&self.target, &self.checker);
        fn named<'a>(path: &str, text: &'a Option<String>) -> Option<(String, &'a str)> {
            text.as_deref().map(|text| (path.to_string(), text))
        }
        let target = [
            named("target.company", &t.company),
            named("target.department", &t.department),
        ];
        let items = self
            .items
            .read
            .iter()
            .map(|(n, item)| Some((format!("items.{n}.detail"), item.detail.as_str())));
        let checker = [
            named("checker.company", &c.company),
            named("checker.department", &c.department),
            named("checker.title", &c.title),
            named("checker.name", &c.name),
        ];
        target
            .into_iter()
            .chain(items)
            .chain(checker)
            .flatten()
            .collect()
    }
}

impl From<&AnswerSet> for Draft {
    /// A complete answer set: every part read.
    fn from(a: &AnswerSet) -> Draft {
        let t = &a.target;
        let c = &a.checker;
        Draft {
            layout: Some(a.layout.clone()),
            target: TargetDraft {
                company: Some(t.company.clone()),
                subcontractor: Some(t.subcontractor),
                department: t.department.clone(),
                contract_start: Some(t.contract_start),
                previous_check: Some(t.previous_check),
            },
            items: ItemsDraft {
                read: a.items.clone(),
                ..ItemsDraft::default()
            },
            checked_on: Some(a.checked_on),
            checker: CheckerDraft {
                company: Some(c.company.clone()),
                department: c.department.clone(),
                title: c.title.clone(),
                name: Some(c.name.clone()),
            },
            dates: a.dates,
            circumstances: CircumstancesDraft {
                read: a.circumstances.clone(),
                ..CircumstancesDraft::default()
            },
            seal: Some(a.seal.clone()),
        }
    }
}
