//! The clauses as a Word document (`clauses --format docx`): one real paragraph per block with a
//! named style per block kind, so that a drafter can edit, insert an article and restyle all at once.
//! Sizes, indents, spacing and margins come from `layouts/clauses-page.json`, as the PDF's do.

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run,
    RunFonts, SpecialIndentType, Style, StyleType,
};

use crate::clauses::{Block, BlockKind};
use crate::error::Error;
use crate::spec::clauses::{page_style, PageStyle};

/// The font the PDF embeds; Windows 10 and later ship it, so Word shows the same face.
const FONT: &str = "BIZ UD明朝";

/// Twips (1/20 pt) in a millimetre.
const TWIPS_PER_MM: f32 = 72.0 / 25.4 * 20.0;

fn twips_mm(mm: f32) -> i32 {
    (mm * TWIPS_PER_MM).round() as i32
}

fn twips_pt(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// Half-points, Word's unit for font sizes.
fn half_points(pt: f32) -> usize {
    (pt * 2.0).round() as usize
}

/// The style id of each block kind; ids are ASCII, names say what the style is for.
pub fn style_id(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Title => "ClauseTitle",
        BlockKind::Caption => "ClauseCaption",
        BlockKind::Article => "ClauseArticle",
        BlockKind::Paragraph => "ClauseParagraph",
        BlockKind::Item => "ClauseItem",
        BlockKind::Text => "ClauseText",
        BlockKind::Parties => "ClauseParties",
    }
}

fn style_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Title => "条項 表題",
        BlockKind::Caption => "条項 見出し",
        BlockKind::Article => "条項 条",
        BlockKind::Paragraph => "条項 項",
        BlockKind::Item => "条項 号",
        BlockKind::Text => "条項 本文",
        BlockKind::Parties => "条項 当事者",
    }
}

const KINDS: [BlockKind; 6] = [
    BlockKind::Title,
    BlockKind::Caption,
    BlockKind::Article,
    BlockKind::Paragraph,
    BlockKind::Item,
    BlockKind::Text,
];

fn paragraph_style(kind: BlockKind, s: &PageStyle) -> Style {
    let em = twips_pt(s.font_size.body);
    let (size, indents) = match kind {
        BlockKind::Title => (s.font_size.title, [0.0, 0.0]),
        BlockKind::Caption => (s.font_size.caption, s.indent_em.caption),
        BlockKind::Article => (s.font_size.body, s.indent_em.article),
        BlockKind::Paragraph => (s.font_size.body, s.indent_em.paragraph),
        BlockKind::Item => (s.font_size.body, s.indent_em.item),
        BlockKind::Text => (s.font_size.body, s.indent_em.text),
        BlockKind::Parties => (s.font_size.body, [0.0, 0.0]),
    };
    // The PDF's indents are [first line, following lines]: the left indent is the following lines',
    // and the first line hangs out of it (or is indented further) by the difference.
    let left = (indents[1] * em as f32).round() as i32;
    let first = (indents[0] * em as f32).round() as i32;
    let special = match first - left {
        0 => None,
        d if d < 0 => Some(SpecialIndentType::Hanging(-d)),
        d => Some(SpecialIndentType::FirstLine(d)),
    };
    let mut spacing = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line((s.leading * 240.0).round() as i32)
        .before(0)
        .after(0);
    if kind == BlockKind::Title {
        spacing = spacing.after(twips_mm(s.gap_mm.after_title) as u32);
    }
    if kind == BlockKind::Parties {
        // Set off from the title below as the PDF sets it off (the last line; see `write`).
        spacing = spacing.after(0);
    }
    if kind == BlockKind::Caption {
        spacing = spacing.before(twips_mm(s.gap_mm.before_caption) as u32);
    }
    let mut style = Style::new(style_id(kind), StyleType::Paragraph)
        .name(style_name(kind))
        .based_on("Normal")
        .q_format(true)
        .size(half_points(size))
        .line_spacing(spacing)
        .indent(Some(left), special, None, None)
        .align(match kind {
            BlockKind::Title => AlignmentType::Center,
            BlockKind::Parties => AlignmentType::Left,
            _ => AlignmentType::Both,
        });
    if matches!(kind, BlockKind::Title | BlockKind::Caption) {
        // As the PDF keeps a caption with its article, Word keeps it on the article's page.
        style.paragraph_property = style.paragraph_property.keep_next(true);
    }
    if kind == BlockKind::Caption {
        style = style.next(style_id(BlockKind::Article));
    }
    style
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(FONT)
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
}

/// The footer: the layout's text with `{page}` as a PAGE field, centred.
fn footer(s: &PageStyle) -> Footer {
    let (before, after) = s
        .footer
        .text
        .split_once("{page}")
        .unwrap_or((s.footer.text.as_str(), ""));
    let mut p = Paragraph::new().style(FOOTER_STYLE);
    if !before.is_empty() {
        p = p.add_run(Run::new().add_text(before));
    }
    p = p.add_page_num(PageNum::new());
    if !after.is_empty() {
        p = p.add_run(Run::new().add_text(after));
    }
    Footer::new().add_paragraph(p)
}

/// The page number's style, so that the number the field gives has the footer's size too.
pub const FOOTER_STYLE: &str = "ClauseFooter";

fn footer_style(s: &PageStyle) -> Style {
    Style::new(FOOTER_STYLE, StyleType::Paragraph)
        .name("条項 ページ番号")
        .based_on("Normal")
        .size(half_points(s.font_size.footer))
        .align(AlignmentType::Center)
}

/// Writes `blocks` (from [`crate::clauses::render_blocks`]) as a .docx titled `title`.
pub fn write(blocks: &[Block], title: &str) -> Result<Vec<u8>, Error> {
    let s = page_style()?;
    let m = &s.page.margin_mm;
    let mut docx = Docx::new()
        .page_size(
            twips_mm(s.page.width_mm) as u32,
            twips_mm(s.page.height_mm) as u32,
        )
        .page_margin(
            PageMargin::new()
                .top(twips_mm(m.top))
                .right(twips_mm(m.right))
                .bottom(twips_mm(m.bottom))
                .left(twips_mm(m.left))
                // The PDF puts the page number offset_mm below the text area.
                .footer(twips_mm(m.bottom - s.footer.offset_mm))
                .header(twips_mm(m.top / 2.0))
                .gutter(0),
        )
        .default_fonts(fonts())
        .default_size(half_points(s.font_size.body))
        .footer(footer(s));
    for kind in KINDS {
        docx = docx.add_style(paragraph_style(kind, s));
    }
    // Only where there is a parties block, so that a document without one is as it always was.
    if blocks.iter().any(|b| b.kind == BlockKind::Parties) {
        docx = docx.add_style(paragraph_style(BlockKind::Parties, s));
    }
    docx = docx.add_style(footer_style(s));
    for (i, block) in blocks.iter().enumerate() {
        let mut p = Paragraph::new().style(style_id(block.kind));
        let after_title = i > 0 && blocks[i - 1].kind == BlockKind::Title;
        let last_party = block.kind == BlockKind::Parties
            && blocks
                .get(i + 1)
                .is_some_and(|b| b.kind != BlockKind::Parties);
        if last_party {
            p = p.line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line((s.leading * 240.0).round() as i32)
                    .after(twips_mm(s.gap_mm.after_title) as u32),
            );
        }
        if block.kind == BlockKind::Caption && (i == 0 || after_title) {
            // As in the PDF, the first caption follows the title's own gap only.
            p = p.line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line((s.leading * 240.0).round() as i32)
                    .before(0),
            );
        }
        docx = docx.add_paragraph(p.add_run(Run::new().add_text(block.text())));
    }
    let mut xml = docx.build();
    xml.doc_props.core = core_xml(title).into_bytes();
    xml.styles = with_language(&xml.styles);
    xml.settings = with_japanese_settings(&xml.settings);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|_| Error::Docx)?;
    Ok(out.into_inner())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Document properties: the title, no author and fixed dates, so that identical input gives
/// identical bytes and no machine's user name travels with the annex.
fn core_xml(title: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<dc:title>{}</dc:title><dc:language>ja-JP</dc:language>"#,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>"#,
            r#"<cp:revision>1</cp:revision></cp:coreProperties>"#
        ),
        escape(title)
    )
}

/// docx-rs has no setter for the run language: ja-JP goes into the default run properties, so
/// that Word checks and breaks the text as Japanese.
fn with_language(styles: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(styles);
    let lang = r#"<w:lang w:val="ja-JP" w:eastAsia="ja-JP" w:bidi="ar-SA" />"#;
    text.replacen(
        "</w:rPr></w:rPrDefault>",
        &format!("{lang}</w:rPr></w:rPrDefault>"),
        1,
    )
    .into_bytes()
}

/// Japanese line breaking as Word sets it for a Japanese user: 禁則 (kinsoku, on by default in
/// every paragraph) with punctuation compressed, and Japanese as the East Asian theme language.
/// Inserted where CT_Settings' sequence wants them (Word rejects elements out of order).
fn with_japanese_settings(settings: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(settings).into_owned();
    let text = text.replacen(
        "<w:compat>",
        r#"<w:characterSpacingControl w:val="compressPunctuation" /><w:compat>"#,
        1,
    );
    text.replacen(
        "</w:compat>",
        r#"</w:compat><w:themeFontLang w:val="en-US" w:eastAsia="ja-JP" />"#,
        1,
    )
    .into_bytes()
}
