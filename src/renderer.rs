//! The renderer: the one path from an answer set to a laid-out document and its PDF, through the
//! rules (check), the layout and the painter. The CLI, the batch runner and the server all go
//! through it, so that they check, lay out and paint alike.

use std::borrow::Cow;

use crate::clauses;
use crate::error::{Error, Problem};
use crate::fonts::FontSet;
use crate::input::answers::{self, Refused};
use crate::input::file::AnswerFile;
use crate::layout::document::{self, Document};
use crate::layout::form::{self, FormInput};
use crate::model::answers::AnswerSet;
use crate::model::charset;
use crate::model::draft::Draft;
use crate::model::summary::Line as SummaryLine;
use crate::paint::pdf;
use crate::rules::{self, CheckOptions};
use crate::spec::{labels, FormSpec};

/// Pages of the table a single detail may fill before `check` warns about it.
pub const DETAIL_PAGES_WARNED: usize = 2;

/// A laid-out form and the warnings it passed with.
pub struct Rendered {
    pub document: Document,
    pub warnings: Vec<Problem>,
}

/// A form as PDF, with what the caller may tell the user about it: the library does not print, so
/// the warnings come back with the bytes.
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<Problem>,
}

/// The answers as checked and printed: with `--fix-kana`, half-width katakana made full-width.
fn prepared<'a>(a: &'a AnswerSet, opts: &CheckOptions) -> Cow<'a, AnswerSet> {
    if opts.fix_kana {
        Cow::Owned(a.map_text(charset::fix_halfwidth_kana))
    } else {
        Cow::Borrowed(a)
    }
}

/// [`prepared`] for what could be read of a refused answer set.
fn prepared_draft<'a>(d: &'a Draft, opts: &CheckOptions) -> Cow<'a, Draft> {
    if opts.fix_kana {
        Cow::Owned(d.map_text(charset::fix_halfwidth_kana))
    } else {
        Cow::Borrowed(d)
    }
}

/// Renders forms with one set of fonts; share it between threads for batch work.
///
/// ```
/// use secform::{CheckOptions, FontSet, Renderer};
///
/// let json = std::fs::read_to_string("samples/main-contractor.json")?;
/// let renderer = Renderer::new(FontSet::bundled());
/// let options = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap());
/// assert!(renderer.check(&json, &options).is_empty());
/// let pdf = renderer.render_form(&json, &options)?;
/// assert!(pdf.bytes.starts_with(b"%PDF-") && pdf.pages >= 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Renderer {
    fonts: FontSet,
    /// Shared by the clones a batch hands to its threads.
    row_texts: std::sync::Arc<form::RowTexts>,
    /// Whether a filled form carries its answer set (PDF/A-3a); `--no-attach` turns it off.
    attach: bool,
}

impl Renderer {
    pub fn new(fonts: FontSet) -> Renderer {
        Renderer {
            fonts,
            row_texts: Default::default(),
            attach: true,
        }
    }

    /// Filled forms without their answer set attached, as PDF/A-2a (`--no-attach`: for a user who
    /// must not pass the data on).
    pub fn without_attachment(mut self) -> Renderer {
        self.attach = false;
        self
    }

    /// Whether filled forms carry their answer set.
    pub fn attaches(&self) -> bool {
        self.attach
    }

    /// A filled form as PDF: PDF/A-3a carrying `attachment` (see
    /// [`crate::export::json::attachment`]), or PDF/A-2a without it when there is none or this
    /// renderer does not attach.
    pub fn form_pdf(&self, doc: &Document, attachment: Option<&[u8]>) -> Result<Vec<u8>, Error> {
        match attachment.filter(|_| self.attach) {
            Some(json) => pdf::write_with_answers(doc, &self.fonts, json),
            None => pdf::write(doc, &self.fonts),
        }
    }

    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// Every problem of an answer set, JSON structure first, then the form's rules. A structural
    /// problem does not hide the rules: those of the parts that could be read are checked too.
    pub fn check(&self, json: &str, opts: &CheckOptions) -> Vec<Problem> {
        match answers::read(json) {
            Err(refused) => self.check_refused(refused, opts),
            Ok(a) => self.check_answers(&a, opts),
        }
    }

    /// The structural problems of a refused answer set, then the rule problems of what could be
    /// read of it (see [`Draft`]): errors before warnings, each in the order found.
    pub fn check_refused(&self, refused: Refused, opts: &CheckOptions) -> Vec<Problem> {
        let mut problems = refused.problems;
        if let Some(draft) = refused.draft.as_deref() {
            // A draft names a layout only when it is a known one.
            if let Some(form) = draft.layout.as_deref().and_then(|l| FormSpec::get(l).ok()) {
                let draft = prepared_draft(draft, opts);
                problems.extend(rules::check_draft(&draft, form, &self.fonts, opts));
            }
        }
        // Stable: the structural problems (all errors) stay first.
        problems.sort_by_key(|p| p.severity);
        // Named in the draft's layout when it is a known one, else in the default (the paths of
        // every layout are the answer set's).
        let layout = refused.draft.as_deref().and_then(|d| d.layout.as_deref());
        labels::name_places(layout.unwrap_or(crate::spec::DEFAULT_LAYOUT), &mut problems);
        problems
    }

    /// The errors [`Renderer::check_refused`] finds: why a refused answer set is not rendered.
    pub(crate) fn refusal(&self, refused: Refused, opts: &CheckOptions) -> Vec<Problem> {
        let problems = self.check_refused(refused, opts);
        problems.into_iter().filter(Problem::is_error).collect()
    }

    /// The form's rules applied to parsed answers, and what the layout alone can tell (a detail
    /// that fills pages by itself).
    pub fn check_answers(&self, a: &AnswerSet, opts: &CheckOptions) -> Vec<Problem> {
        match FormSpec::get(&a.layout) {
            Ok(form) => {
                let a = prepared(a, opts);
                let mut problems = rules::check(&a, form, &self.fonts, opts);
                problems.extend(self.layout_warnings(&a, form));
                labels::name_places(&form.name, &mut problems);
                problems
            }
            Err(e) => vec![Problem::error("layout", e.to_string())],
        }
    }

    /// Warnings only the layout can give: a detail that alone fills more than
    /// [`DETAIL_PAGES_WARNED`] pages of the table, which a reviewer would send back. Here rather
    /// than in `rules/`, which stands above `layout/` in the import order: measuring takes the
    /// form's table geometry and line breaking. Cheap: only a detail with more characters than
    /// those pages have lines is broken at all.
    fn layout_warnings(&self, a: &AnswerSet, form: &FormSpec) -> Vec<Problem> {
        let Ok(Some(measure)) = form::DetailMeasure::new(&self.fonts, form) else {
            return Vec::new();
        };
        let per_page = measure.lines_per_page();
        let limit = DETAIL_PAGES_WARNED * per_page;
        a.items
            .iter()
            .filter_map(|(n, item)| {
                let lines = measure.lines_over(&item.detail, limit)?;
                Some(Problem::warning(
                    format!("items.{n}.detail"),
                    format!(
                        "この詳細だけで {lines} 行あり、表の {} ページ分を超えます（1ページ約 {per_page} 行）。要点に絞るか、別紙にまとめることを検討してください",
                        DETAIL_PAGES_WARNED
                    ),
                ))
            })
            .collect()
    }

    /// The filled form, laid out, with the warnings `check` gives; refused with every error when
    /// the answers have any.
    pub fn form_document(&self, a: &AnswerSet, opts: &CheckOptions) -> Result<Rendered, Error> {
        let form = FormSpec::get(&a.layout)?;
        let a = prepared(a, opts);
        let inspection = rules::inspect(&a, form, &self.fonts, opts);
        let (errors, mut warnings): (Vec<Problem>, Vec<Problem>) =
            inspection.problems.into_iter().partition(Problem::is_error);
        if !errors.is_empty() {
            let mut errors = errors;
            labels::name_places(&form.name, &mut errors);
            return Err(Error::Invalid(errors));
        }
        warnings.extend(self.layout_warnings(&a, form));
        labels::name_places(&form.name, &mut warnings);
        let resolved = rules::resolve(&a, form);
        let document = form::layout(
            form,
            &self.fonts,
            &self.row_texts,
            &FormInput {
                answers: Some(&resolved),
                seal: inspection.seal,
                date: Some(a.checked_on),
            },
        )?;
        Ok(Rendered { document, warnings })
    }

    /// The unfilled form of `layout`, for filling by hand.
    pub fn blank_document(&self, layout: &str) -> Result<Document, Error> {
        let form = FormSpec::get(layout)?;
        form::layout(
            form,
            &self.fonts,
            &self.row_texts,
            &FormInput {
                answers: None,
                seal: None,
                date: None,
            },
        )
    }

    /// The special clauses of `variant` with `parties`, optionally followed by its blank 別記様式.
    pub fn clauses_document(
        &self,
        variant: &clauses::Variant,
        parties: &clauses::Parties,
        with_form: bool,
    ) -> Result<Document, Error> {
        self.clauses_document_named(variant, parties, None, with_form)
    }

    /// [`Renderer::clauses_document`], headed by the parties block that names who `parties` are
    /// when `names` are given (`--party-names`: the text keeps its labels).
    pub fn clauses_document_named(
        &self,
        variant: &clauses::Variant,
        parties: &clauses::Parties,
        names: Option<&clauses::Parties>,
        with_form: bool,
    ) -> Result<Document, Error> {
        if let Some(problem) = with_form
            .then(|| clauses::with_form_problem(variant, parties))
            .flatten()
        {
            return Err(problem.into());
        }
        let blocks = clauses::render_blocks_named(variant, parties, names)?;
        let mut doc = crate::layout::clauses::layout(
            &blocks,
            &self.fonts,
            &variant.title,
            variant.document_date,
        )?;
        if with_form {
            let form = self.blank_document(variant.name)?;
            doc.bookmarks.insert(
                0,
                document::Bookmark {
                    title: variant.title.clone(),
                    page: 0,
                    level: 1,
                },
            );
            let title = form.title.clone();
            doc.append(form, title);
        }
        Ok(doc)
    }

    /// The overview of `lines` (`secform summary`), laid out; 元請 first as given.
    pub fn summary_document(&self, lines: &[SummaryLine]) -> Result<Document, Error> {
        crate::layout::summary::layout(lines, &self.fonts)
    }

    /// The overview of `lines` as PDF/A-2a bytes. Its pages are painted as the layout makes them
    /// and none is held (`paint::pdf::Streamed`): 10,000 entities are some 450 pages. The pages are
    /// counted first (the footers say 「N / M」) by a layout of its own; then the layout runs on a
    /// thread of its own, a few pages ahead of the painter.
    pub fn summary_pdf(&self, lines: &[SummaryLine]) -> Result<Vec<u8>, Error> {
        self.summary_pdf_chunked(lines, pdf::Streamed::CHUNK_PAGES)
    }

    /// [`Renderer::summary_pdf`] painted in chunks of `chunk_pages` pages (at least one) rather
    /// than the 32 the product uses: the same pages, text and structure tree, for a test to reach
    /// several chunks with a few pages. Not for callers: the bytes differ with the chunks.
    #[doc(hidden)]
    pub fn summary_pdf_chunked(
        &self,
        lines: &[SummaryLine],
        chunk_pages: usize,
    ) -> Result<Vec<u8>, Error> {
        use crate::layout::summary;
        const PAGES_AHEAD: usize = 4;
        let (counted, pages) = summary::count_pages(lines, &self.fonts)?;
        let mut painter = pdf::Streamed::new(&self.fonts, &counted, chunk_pages);
        drop(counted);
        let fonts = &self.fonts;
        std::thread::scope(|scope| {
            let (made, taken) = std::sync::mpsc::sync_channel(PAGES_AHEAD);
            let layout = scope.spawn(move || {
                // Once the painter has failed, the pages go nowhere: the layout runs on to its
                // end (bounded as ever) and its result is not used.
                summary::layout_streamed(lines, fonts, pages, |page| {
                    let _ = made.send(page);
                })
            });
            let mut painted = Ok(());
            for page in taken {
                painted = painter.page(&page);
                if painted.is_err() {
                    break;
                }
            }
            let doc = layout.join().map_err(|_| pdf::PdfError::Internal)?;
            painted?;
            // Both layouts are the same code over the same lines: any other count is a defect,
            // and every footer's 「/ M」 would be wrong.
            if painter.pages() != pages {
                return Err(pdf::PdfError::Internal.into());
            }
            painter.finish(&doc?.structure)
        })
    }

    /// A laid-out document as PDF/A-2a bytes.
    pub fn pdf(&self, doc: &Document) -> Result<Vec<u8>, Error> {
        pdf::write(doc, &self.fonts)
    }

    /// JSON text in, PDF out: the whole of `secform render` for one answer set (read, check, lay
    /// out, paint), so that the command and other callers share one path. Refused with every
    /// error when the answers have any.
    pub fn render_form(&self, json: &str, opts: &CheckOptions) -> Result<RenderedPdf, Error> {
        let a =
            answers::read(json).map_err(|refused| Error::Invalid(self.refusal(refused, opts)))?;
        let rendered = self.form_document(&a, opts)?;
        // Read once more as plain JSON (it just parsed): what the PDF carries is the text as given.
        let attachment = match self.attach {
            true => crate::input::json::parse(json)
                .ok()
                .map(|(value, _)| crate::export::json::attachment(&value)),
            false => None,
        };
        Ok(RenderedPdf {
            bytes: self.form_pdf(&rendered.document, attachment.as_deref())?,
            pages: rendered.document.pages.len(),
            warnings: rendered.warnings,
        })
    }

    /// The bytes of [`Renderer::render_form`], for callers that do not report warnings.
    pub fn render_json(&self, json: &str, opts: &CheckOptions) -> Result<Vec<u8>, Error> {
        self.render_form(json, opts).map(|r| r.bytes)
    }

    /// The unfilled form of `layout` as PDF (`secform render --blank`).
    pub fn render_blank(&self, layout: &str) -> Result<RenderedPdf, Error> {
        let document = self.blank_document(layout)?;
        Ok(RenderedPdf {
            bytes: self.pdf(&document)?,
            pages: document.pages.len(),
            warnings: Vec::new(),
        })
    }

    /// Every problem, as `check` lists them: the file's own, then the answer set's (structure,
    /// then rules); errors before warnings; each with its cell when the file is a workbook.
    pub fn check_file(&self, file: &AnswerFile, opts: &CheckOptions) -> Vec<Problem> {
        let mut problems = file.problems.clone();
        if !problems.is_empty() {
            labels::name_places(&file.layout(), &mut problems);
        }
        problems.extend(file.beside_own(self.check(&file.json, opts)));
        problems.sort_by_key(|p| p.severity);
        file.cells.locate(&mut problems);
        problems
    }

    /// The PDF, as `render` makes it; refused with every error (cells set) when there is one.
    pub fn render_file(
        &self,
        file: &AnswerFile,
        opts: &CheckOptions,
    ) -> Result<RenderedPdf, Error> {
        if file.problems.iter().any(Problem::is_error) {
            let errors = self
                .check_file(file, opts)
                .into_iter()
                .filter(Problem::is_error);
            return Err(Error::Invalid(errors.collect()));
        }
        match self.render_form(&file.json, opts) {
            Ok(mut pdf) => {
                // The file's own warnings first (a received PDF's seal image left out), as `check`
                // lists them.
                pdf.warnings.splice(0..0, file.problems.iter().cloned());
                file.cells.locate(&mut pdf.warnings);
                Ok(pdf)
            }
            Err(Error::Invalid(mut errors)) => {
                file.cells.locate(&mut errors);
                Err(Error::Invalid(errors))
            }
            Err(e) => Err(e),
        }
    }
}
