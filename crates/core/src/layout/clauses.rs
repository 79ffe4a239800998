//! The special clauses laid out on A4 pages: title centred, captions, 第N条 and numbered paragraphs
//! with a hanging indent, 一/二/三 items indented, a page number in the footer. Sizes, margins and
//! indents come from `layouts/clauses-page.json`.

use crate::clauses::{Block, BlockKind};
use crate::error::{Error, Problem};
use crate::fonts::FontSet;
use crate::geometry::MM;
use crate::layout::document::{Document, Element, Role, Tag};
use crate::layout::flow::{footer_box, text_item, Align, Composer, Style};
use crate::layout::text;
use crate::spec::clauses::{page_style, PageStyle};

/// Lays out `blocks` (from [`crate::clauses::render_blocks`]); the PDF is dated `date`.
pub fn layout(
    blocks: &[Block],
    fonts: &FontSet,
    title: &str,
    date: chrono::NaiveDate,
) -> Result<Document, Error> {
    let s = page_style()?;
    let (page_w, page_h) = s.page.size();
    let content = s.page.content();
    let mut c = Composer::new(fonts, title.to_string(), date, page_w, page_h, content);
    let em = s.font_size.body;
    let mut list = None;
    for (i, block) in blocks.iter().enumerate() {
        let (size, indents, align) = match block.kind {
            BlockKind::Title => (s.font_size.title, [0.0, 0.0], Align::Center),
            BlockKind::Caption => (s.font_size.caption, s.indent_em.caption, Align::Left),
            BlockKind::Article => (s.font_size.body, s.indent_em.article, Align::Left),
            BlockKind::Paragraph => (s.font_size.body, s.indent_em.paragraph, Align::Left),
            BlockKind::Item => (s.font_size.body, s.indent_em.item, Align::Left),
            BlockKind::Text => (s.font_size.body, s.indent_em.text, Align::Left),
            BlockKind::Parties => (s.font_size.body, [0.0, 0.0], Align::Left),
        };
        let style = Style {
            size,
            leading: s.leading,
            align,
            first_indent: indents[0] * em,
            rest_indent: indents[1] * em,
        };
        // The structure: the title H1, each caption H2, each 項 (and the parties block's lines) a
        // P, each run of 号 a list.
        if block.kind != BlockKind::Item {
            list = None;
        }
        match block.kind {
            BlockKind::Title | BlockKind::Caption => {
                let level = if block.kind == BlockKind::Title { 1 } else { 2 };
                let title = block.text();
                c.begin(None, Role::Heading { level, title });
            }
            BlockKind::Article | BlockKind::Paragraph | BlockKind::Text | BlockKind::Parties => {
                c.begin(None, Role::Paragraph);
            }
            BlockKind::Item => {
                let l = *list.get_or_insert_with(|| c.node(None, Role::List));
                let item = c.node(Some(l), Role::ListItem);
                c.begin(Some(item), Role::ListBody);
            }
        }
        // The first caption follows the title's own gap only.
        let after_title = i > 0 && blocks[i - 1].kind == BlockKind::Title;
        if block.kind == BlockKind::Caption && i > 0 && !after_title {
            c.skip(s.gap_mm.before_caption * MM);
            // Keep a caption with the first lines of its article.
            c.ensure(style.line_height() * 3.0);
        }
        c.paragraph(&block.text(), &style, content.x, content.w)
            .map_err(|text::MissingGlyph(ch, selector)| {
                Error::Invalid(vec![Problem::missing_glyph("parties", ch, selector)])
            })?;
        // The parties block (`--party-names`) is set off from the title below as the title is
        // from the text.
        let last_party = block.kind == BlockKind::Parties
            && blocks
                .get(i + 1)
                .is_some_and(|b| b.kind != BlockKind::Parties);
        if block.kind == BlockKind::Title || last_party {
            c.skip(s.gap_mm.after_title * MM);
        }
    }
    let mut doc = c.finish();
    add_page_numbers(&mut doc, fonts, s)?;
    Ok(doc)
}

/// Writes the page number centred under the text area of every page.
fn add_page_numbers(doc: &mut Document, fonts: &FontSet, s: &PageStyle) -> Result<(), Error> {
    let (style, area) = footer_box(doc.content, s.font_size.footer, s.footer.offset_mm * MM);
    for (n, page) in doc.pages.iter_mut().enumerate() {
        let label = s.footer.text.replace("{page}", &(n + 1).to_string());
        let line = text::shape(fonts, &label, style.size).map_err(|_| Error::BadLayoutData {
            file: "layouts/clauses-page.json".into(),
            reason: "footer".into(),
        })?;
        let item = text_item(fonts, line, &style, (area.x, area.y), area, Tag::Pagination);
        page.elements.push(Element::Text(item));
    }
    Ok(())
}
