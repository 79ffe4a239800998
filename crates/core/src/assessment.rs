//! One assessment per answer set: the answers read once, checked once, laid out once when an
//! output asks for it, and every output (the problems `check` lists, the PDF, the preview's SVG
//! pages, the summary's line) taken from that one value. The command line, the batch, the server
//! and the browser all hold one of these per answer set, so that none reads, checks or lays out by
//! itself, and none can do it differently.

use std::sync::OnceLock;

use serde_json::Value;

use crate::error::{Error, Problem};
use crate::input::answers::{self, Refused};
use crate::input::file::AnswerFile;
use crate::input::place::CellMap;
use crate::layout::document::Document;
use crate::layout::form::{self, FormInput};
use crate::model::answers::AnswerSet;
use crate::model::seal::SealImage;
use crate::model::summary::{Line, Mark, NotDone};
use crate::model::{charset, wareki};
use crate::rules::{self, CheckOptions, Resolved};
use crate::spec::{labels, FormSpec, DEFAULT_LAYOUT};
use crate::{Rendered, RenderedPdf, Renderer};

/// An answer set as read, with what checking and laying it out find, each done once.
///
/// ```
/// use secform_core::{CheckOptions, FontSet, Renderer};
///
/// let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/subcontractor.json"))?;
/// let renderer = Renderer::new(FontSet::bundled());
/// let options = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap());
/// let assessed = renderer.assess_json(&json, &options);
/// assert!(!assessed.has_errors());
/// let pdf = assessed.pdf()?;
/// assert!(pdf.bytes.starts_with(b"%PDF-") && pdf.pages >= 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Assessment<'r> {
    renderer: &'r Renderer,
    options: CheckOptions,
    /// Where each answer was read from (a workbook), and what the file itself has wrong (a formula
    /// in an answer cell, a received PDF's seal image left out, a batch's note on the entry).
    file: AnswerFile,
    /// The answer set as parsed JSON, when it parses: what a filled PDF carries.
    value: Option<Value>,
    read: Result<Read, Unread>,
    checked: OnceLock<Checked>,
    document: OnceLock<Document>,
}

/// Answers that were read, as they are checked and printed (`--fix-kana` applied).
struct Read {
    answers: AnswerSet,
    form: &'static FormSpec,
}

/// Why there are no answers to print.
enum Unread {
    /// The answer set's structure: every problem, and what could be read of it.
    Refused(Refused),
    /// It names a layout there is none of.
    Layout(Problem),
}

/// What checking found: every problem as `check` lists them, and the seal image when it is good.
struct Checked {
    problems: Vec<Problem>,
    seal: Option<SealImage>,
}

impl Renderer {
    /// The answer file as read (its JSON parsed here, once; a workbook's answers as its reader
    /// built them).
    pub fn assess(&self, mut file: AnswerFile, options: &CheckOptions) -> Assessment<'_> {
        let parsed = match file.parsed.take() {
            Some(value) => Ok((value, Vec::new())),
            None => crate::input::json::parse(&file.json),
        };
        Assessment::new(self, file, parsed, options)
    }

    /// Answers given as JSON text (a page's, a test's).
    pub fn assess_json(&self, json: &str, options: &CheckOptions) -> Assessment<'_> {
        let parsed = crate::input::json::parse(json);
        Assessment::new(self, AnswerFile::default(), parsed, options)
    }

    /// Answers already parsed (a batch's entry, merged with its defaults): `cells` and `notes` as
    /// an answer file's (where each answer came from, what the batch says of the entry).
    pub fn assess_value(
        &self,
        value: Value,
        cells: CellMap,
        notes: Vec<Problem>,
        options: &CheckOptions,
    ) -> Assessment<'_> {
        let file = AnswerFile {
            cells,
            problems: notes,
            ..AnswerFile::default()
        };
        Assessment::new(self, file, Ok((value, Vec::new())), options)
    }

    /// Answers built in code (tests, another program): nothing to attach, nothing read.
    pub fn assess_answers(&self, answers: AnswerSet, options: &CheckOptions) -> Assessment<'_> {
        let read = read_answers(Ok(answers), options);
        Assessment {
            renderer: self,
            options: options.clone(),
            file: AnswerFile::default(),
            value: None,
            read,
            checked: OnceLock::new(),
            document: OnceLock::new(),
        }
    }
}

/// The answers of a parse, as checked and printed.
fn read_answers(
    answers: Result<AnswerSet, Refused>,
    options: &CheckOptions,
) -> Result<Read, Unread> {
    let answers = answers.map_err(Unread::Refused)?;
    let form = FormSpec::get(&answers.layout)
        .map_err(|e| Unread::Layout(Problem::error("layout", e.to_string())))?;
    let answers = if options.fix_kana {
        answers.map_text(charset::fix_halfwidth_kana)
    } else {
        answers
    };
    Ok(Read { answers, form })
}

impl<'r> Assessment<'r> {
    fn new(
        renderer: &'r Renderer,
        file: AnswerFile,
        parsed: Result<(Value, Vec<Problem>), Vec<Problem>>,
        options: &CheckOptions,
    ) -> Assessment<'r> {
        let (value, answers) = match parsed {
            Ok((value, twice)) => {
                let answers = answers::read_parsed(&value, twice);
                (Some(value), answers)
            }
            Err(problems) => (
                None,
                Err(Refused {
                    problems,
                    draft: None,
                }),
            ),
        };
        Assessment {
            renderer,
            options: options.clone(),
            file,
            value,
            read: read_answers(answers, options),
            checked: OnceLock::new(),
            document: OnceLock::new(),
        }
    }

    /// Adds what the caller has to say of these answers (a batch: the same entity as an earlier
    /// entry), told with the file's own problems.
    pub fn note(&mut self, note: Problem) {
        self.file.problems.push(note);
        // Checked and laid out again if they were: an error noted refuses the document.
        self.checked = OnceLock::new();
        self.document = OnceLock::new();
    }

    /// The answers, when they could be read (with `--fix-kana`'s changes, as printed).
    pub fn answers(&self) -> Option<&AnswerSet> {
        self.read.as_ref().ok().map(|r| &r.answers)
    }

    /// The form the answers are for, when they could be read.
    pub fn form(&self) -> Option<&'static FormSpec> {
        self.read.as_ref().ok().map(|r| r.form)
    }

    /// The answer set as parsed JSON, when it parses.
    pub fn value(&self) -> Option<&Value> {
        self.value.as_ref()
    }

    /// The layout whose names the problems are given in: the answers', else the default one.
    fn layout_name(&self) -> &str {
        match &self.read {
            Ok(r) => &r.form.name,
            Err(_) => self
                .value
                .as_ref()
                .and_then(|v| v.get("layout")?.as_str())
                .unwrap_or(DEFAULT_LAYOUT),
        }
    }

    /// The company as the form prints it (with the subcontractor's suffix), when read.
    pub fn title(&self) -> Option<String> {
        let r = self.read.as_ref().ok()?;
        Some(
            r.answers
                .company_display(&r.form.target.subcontractor_suffix),
        )
    }

    /// Every problem, as `check` lists them: the file's own, then the answer set's (structure,
    /// then rules, then what only the layout can tell); errors before warnings; each with its
    /// form label, and its cell when the file is a workbook.
    pub fn problems(&self) -> &[Problem] {
        &self.checked().problems
    }

    pub fn has_errors(&self) -> bool {
        self.problems().iter().any(Problem::is_error)
    }

    /// The errors alone: why the answers are not printed.
    pub fn errors(&self) -> Vec<Problem> {
        self.problems()
            .iter()
            .filter(|p| p.is_error())
            .cloned()
            .collect()
    }

    /// The warnings alone: what a printed form passed with.
    pub fn warnings(&self) -> Vec<Problem> {
        self.problems()
            .iter()
            .filter(|p| !p.is_error())
            .cloned()
            .collect()
    }

    /// The answers as the form prints them, when they could be read.
    pub fn resolved(&self) -> Option<Resolved> {
        let r = self.read.as_ref().ok()?;
        Some(rules::resolve(&r.answers, r.form))
    }

    /// The filled form, laid out (once); refused with every error when the answers have any.
    pub fn document(&self) -> Result<&Document, Error> {
        if let Some(document) = self.document.get() {
            return Ok(document);
        }
        let checked = self.checked();
        let read = match &self.read {
            Ok(read) if !self.has_errors() => read,
            _ => return Err(Error::Invalid(self.errors())),
        };
        let resolved = rules::resolve(&read.answers, read.form);
        let document = form::layout(
            read.form,
            self.renderer.fonts(),
            self.renderer.row_texts(),
            &FormInput {
                answers: Some(&resolved),
                seal: checked.seal.clone(),
                date: Some(read.answers.checked_on),
            },
        )?;
        Ok(self.document.get_or_init(|| document))
    }

    /// The laid-out form with its warnings, taken out of the assessment.
    pub fn into_rendered(self) -> Result<Rendered, Error> {
        self.document()?;
        let warnings = self.warnings();
        match self.document.into_inner() {
            Some(document) => Ok(Rendered { document, warnings }),
            // `document()` has just set it.
            None => Err(Error::Invalid(Vec::new())),
        }
    }

    /// The PDF `render` writes: PDF/A-3a carrying the answer set as given, or PDF/A-2a without it
    /// when the renderer does not attach (or the answers were built in code).
    pub fn pdf(&self) -> Result<RenderedPdf, Error> {
        let document = self.document()?;
        Ok(RenderedPdf {
            bytes: self.pdf_bytes(document)?,
            pages: document.pages.len(),
            warnings: self.warnings(),
        })
    }

    /// [`Assessment::pdf`]'s bytes and the laid-out form with its warnings (a batch merging its
    /// forms needs both), laid out and checked once.
    pub fn into_pdf_and_rendered(self) -> Result<(Vec<u8>, Rendered), Error> {
        let bytes = self.pdf_bytes(self.document()?)?;
        Ok((bytes, self.into_rendered()?))
    }

    fn pdf_bytes(&self, document: &Document) -> Result<Vec<u8>, Error> {
        let attachment = self
            .value
            .as_ref()
            .filter(|_| self.renderer.attaches())
            .map(crate::export::json::attachment);
        self.renderer.form_pdf(document, attachment.as_deref())
    }

    /// The pages as SVG, painted from the same layout as the PDF (the preview).
    pub fn svg_pages(&self) -> Result<Vec<String>, Error> {
        Ok(crate::paint::svg::pages(self.document()?))
    }

    /// The summary's line of this entity (`summary`, `batch --summary`): its marks row by row, and
    /// the errors that make it 要確認. `label` names it when the answers name no company.
    pub fn summary_line(&self, label: Option<&str>) -> Line {
        let problems = self.errors();
        let Ok(read) = &self.read else {
            return unread_line(problems, self.value.as_ref(), label);
        };
        let (a, form) = (&read.answers, read.form);
        let resolved = rules::resolve(a, form);
        let [done, not_done] = &form.items.status_values;
        let mut line = Line {
            subcontractor: a.target.subcontractor,
            company: a.company_display(&form.target.subcontractor_suffix),
            checked_on: wareki::format_date(a.checked_on, a.dates),
            date: Some(a.checked_on),
            marks: Vec::new(),
            not_done: Vec::new(),
            problems,
        };
        for row in &form.items.rows {
            let item = resolved.items.get(&row.number);
            let status = item.map_or("", |i| i.status.as_str());
            let mark = if status == done {
                Mark::Done
            } else if status == not_done {
                line.not_done.push(NotDone {
                    row: row.number,
                    text: row.text.clone(),
                    reason: item.map_or(String::new(), |i| i.detail.clone()),
                });
                Mark::NotDone
            } else if item.is_some_and(|i| !i.detail.trim().is_empty()) {
                Mark::Unanswered
            } else if match rules::row_applies(a, form, row) {
                Some(applies) => !applies,
                None => row.optional,
            } {
                // Row 2 with row 1 実施, a ※ row its circumstance rules out or left blank: not a gap.
                Mark::NotApplicable
            } else {
                Mark::Unanswered
            };
            line.marks.push((row.number, mark));
        }
        line
    }

    fn checked(&self) -> &Checked {
        self.checked.get_or_init(|| self.check())
    }

    /// The one check: the rules over the answers (or over what could be read of them), what only
    /// the layout can tell, the file's own problems, named and located.
    fn check(&self) -> Checked {
        let renderer = self.renderer;
        let (problems, seal) = match &self.read {
            Ok(read) => {
                let inspection =
                    rules::inspect(&read.answers, read.form, renderer.fonts(), &self.options);
                let mut problems = inspection.problems;
                problems.extend(renderer.layout_warnings(&read.answers, read.form));
                labels::name_places(&read.form.name, &mut problems);
                (problems, inspection.seal)
            }
            Err(Unread::Refused(refused)) => (renderer.check_refused(refused, &self.options), None),
            Err(Unread::Layout(problem)) => (vec![problem.clone()], None),
        };
        let mut all = self.file.problems.clone();
        if !all.is_empty() {
            labels::name_places(self.layout_name(), &mut all);
        }
        all.extend(self.file.beside_own(problems));
        // Stable: the file's own first within each severity.
        all.sort_by_key(|p| p.severity);
        self.file.cells.locate(&mut all);
        Checked {
            problems: all,
            seal,
        }
    }
}

/// The line of an entity whose answers could not be read (or could not be parsed at all: `value`
/// `None`): every row unanswered, 要確認 with `problems`.
pub fn unread_line(problems: Vec<Problem>, value: Option<&Value>, label: Option<&str>) -> Line {
    let company = value
        .and_then(|v| v.get("target")?.get("company")?.as_str())
        .map(str::to_string)
        .or_else(|| label.map(str::to_string))
        .unwrap_or_default();
    let rows = FormSpec::get(DEFAULT_LAYOUT).map_or(Vec::new(), |f| {
        f.items
            .rows
            .iter()
            .map(|r| (r.number, Mark::Unanswered))
            .collect()
    });
    Line {
        subcontractor: value
            .and_then(|v| v.get("target")?.get("subcontractor")?.as_bool())
            .unwrap_or(true),
        company,
        checked_on: String::new(),
        date: None,
        marks: rows,
        not_done: Vec::new(),
        problems,
    }
}
