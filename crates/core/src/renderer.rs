//! The renderer: the one path from an answer set to a laid-out document and its PDF, through the
//! rules (check), the layout and the painter. The CLI, the batch runner and the server all go
//! through it, so that they check, lay out and paint alike.

use std::borrow::Cow;

use crate::clauses;
use crate::error::{Error, Problem};
use crate::fonts::FontSet;
use crate::input::answers::Refused;
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

/// What could be read of a refused answer set, as checked: with `--fix-kana`, half-width
/// katakana made full-width.
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
/// use secform_core::{CheckOptions, FontSet, Renderer};
///
/// let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/main-contractor.json"))?;
/// let renderer = Renderer::new(FontSet::bundled());
/// let options = CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap());
/// assert!(renderer.check(&json, &options).is_empty());
/// let pdf = renderer.assess_json(&json, &options).pdf()?;
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

    /// Every problem of an answer set given as JSON text, as `check` lists them (see
    /// [`Renderer::assess_json`]).
    pub fn check(&self, json: &str, opts: &CheckOptions) -> Vec<Problem> {
        self.assess_json(json, opts).problems().to_vec()
    }

    /// The structural problems of a refused answer set, then the rule problems of what could be
    /// read of it (see [`Draft`]): errors before warnings, each in the order found.
    pub(crate) fn check_refused(&self, refused: &Refused, opts: &CheckOptions) -> Vec<Problem> {
        let mut problems = refused.problems.clone();
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

    /// The row texts the form's layout shares between threads.
    pub(crate) fn row_texts(&self) -> &form::RowTexts {
        &self.row_texts
    }

    /// Warnings only the layout can give: a detail that alone fills more than
    /// [`DETAIL_PAGES_WARNED`] pages of the table, which a reviewer would send back. Here rather
    /// than in `rules/`, which stands above `layout/` in the import order: measuring takes the
    /// form's table geometry and line breaking. Cheap: only a detail with more characters than
    /// those pages have lines is broken at all.
    pub(crate) fn layout_warnings(&self, a: &AnswerSet, form: &FormSpec) -> Vec<Problem> {
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

    /// The filled form of answers built in code, laid out, with the warnings `check` gives;
    /// refused with every error when the answers have any (see [`Renderer::assess_answers`]).
    pub fn form_document(&self, a: &AnswerSet, opts: &CheckOptions) -> Result<Rendered, Error> {
        self.assess_answers(a.clone(), opts).into_rendered()
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

    /// The clauses as a file of `format` (PDF, text, Markdown or Word), what `secform clauses`
    /// writes and the page downloads: `with_form` (PDF only) appends the blank 別記様式.
    pub fn clauses_file(
        &self,
        variant: &clauses::Variant,
        parties: &clauses::Parties,
        names: Option<&clauses::Parties>,
        format: clauses::ClauseFormat,
        with_form: bool,
    ) -> Result<Vec<u8>, Error> {
        use clauses::ClauseFormat;
        let blocks = || clauses::render_blocks_named(variant, parties, names);
        Ok(match format {
            ClauseFormat::Txt => clauses::to_txt(&blocks()?).into_bytes(),
            ClauseFormat::Md => clauses::to_md(&blocks()?).into_bytes(),
            ClauseFormat::Docx => clauses::docx::write(&blocks()?, &variant.title)?,
            ClauseFormat::Pdf => {
                self.pdf(&self.clauses_document_named(variant, parties, names, with_form)?)?
            }
        })
    }

    /// The overview of `lines` (`secform summary`), laid out; 元請 first as given.
    pub fn summary_document(&self, lines: &[SummaryLine]) -> Result<Document, Error> {
        crate::layout::summary::layout(lines, &self.fonts)
    }

    /// The overview of `lines` as PDF/A-2a bytes. Its pages are painted as the layout makes them
    /// and none is held ([`pdf::Streamed`]): 10,000 entities are some 450 pages. The pages are
    /// counted first (the footers say 「N / M」) by a layout of its own; then, where the platform
    /// has threads, the layout runs on a scoped thread of its own, a few pages ahead of the
    /// painter (no pool: one thread, ended when this returns); in a browser tab, in turn with it.
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
        let (counted, pages) = summary::count_pages(lines, &self.fonts)?;
        let mut painter = pdf::Streamed::new(&self.fonts, &counted, chunk_pages);
        drop(counted);
        let doc = paint_beside_layout(lines, &self.fonts, pages, &mut painter)?;
        // Both layouts are the same code over the same lines: any other count is a defect, and
        // every footer's 「/ M」 would be wrong.
        if painter.pages() != pages {
            return Err(pdf::PdfError::Internal.into());
        }
        painter.finish(&doc.structure)
    }

    /// A laid-out document as PDF/A-2a bytes.
    pub fn pdf(&self, doc: &Document) -> Result<Vec<u8>, Error> {
        pdf::write(doc, &self.fonts)
    }

    /// The bytes `render` writes for answers given as JSON text (see [`Renderer::assess_json`]).
    pub fn render_json(&self, json: &str, opts: &CheckOptions) -> Result<Vec<u8>, Error> {
        self.assess_json(json, opts).pdf().map(|r| r.bytes)
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
}

/// Lays out the summary's `pages` pages and paints each as it is made: the layout a few pages
/// ahead on a thread of its own, so that both cores work.
#[cfg(not(target_family = "wasm"))]
fn paint_beside_layout(
    lines: &[SummaryLine],
    fonts: &FontSet,
    pages: usize,
    painter: &mut pdf::Streamed<'_>,
) -> Result<Document, Error> {
    use crate::layout::summary;
    const PAGES_AHEAD: usize = 4;
    std::thread::scope(|scope| {
        let (made, taken) = std::sync::mpsc::sync_channel(PAGES_AHEAD);
        let layout = scope.spawn(move || {
            // Once the painter has failed, the pages go nowhere: the layout runs on to its end
            // (bounded as ever) and its result is not used.
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
        doc
    })
}

/// [`paint_beside_layout`] where there are no threads (a browser tab): each page painted as the
/// layout makes it.
#[cfg(target_family = "wasm")]
fn paint_beside_layout(
    lines: &[SummaryLine],
    fonts: &FontSet,
    pages: usize,
    painter: &mut pdf::Streamed<'_>,
) -> Result<Document, Error> {
    let mut painted = Ok(());
    let doc = crate::layout::summary::layout_streamed(lines, fonts, pages, |page| {
        if painted.is_ok() {
            painted = painter.page(&page);
        }
    })?;
    painted?;
    Ok(doc)
}
