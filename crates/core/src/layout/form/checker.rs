//! 確認者 and 印: the checker's line and the seal box, one block that stays on one page.

use super::{hanging, missing};
use crate::error::Error;
use crate::fonts::FontSet;
use crate::geometry::{fits, Align, Rect, MM};
use crate::layout::document::{Element, Role, Tag};
use crate::layout::flow::{Composer, Style};
use crate::layout::text::{self, Line};
use crate::model::seal::SealImage;
use crate::rules::Resolved;
use crate::spec::form::FormSpec;

/// 確認者（…）：the checker's fields, broken between fields only, with the seal box (印, and the
/// seal image over it) at the right end of the line that holds the 氏名 (the last field, so the
/// last line), wherever the fields wrap.
pub(super) struct Checker {
    lines: Vec<Line>,
    style: Style,
    text_w: f32,
    /// The seal box's side.
    boxw: f32,
    /// The whole block's height, which stays on one page.
    pub(super) height: f32,
}

impl Checker {
    pub(super) fn new(
        fonts: &FontSet,
        form: &FormSpec,
        answers: Option<&Resolved>,
        style: &Style,
        content: Rect,
    ) -> Result<Checker, Error> {
        let spec = &form.checker;
        let boxw = spec.seal_box_mm * MM;
        let fields: Vec<&str> = answers.map_or(Vec::new(), |a| {
            a.checker.iter().map(String::as_str).collect()
        });
        let text_w = content.w - boxw - style.size;
        let style = hanging(fonts, &spec.label, style, text_w);
        let lines = text::break_fields(
            fonts,
            &spec.label,
            &fields,
            &spec.separator,
            style.size,
            text_w,
            text_w - style.rest_indent,
        )
        .map_err(missing("checker"))?;
        let (lines_top, seal_top) = placement(lines.len(), style.line_height(), boxw);
        let height = (seal_top + boxw).max(lines_top + lines.len() as f32 * style.line_height());
        Ok(Checker {
            lines,
            style,
            text_w,
            boxw,
            height,
        })
    }

    pub(super) fn place(
        self,
        c: &mut Composer,
        form: &FormSpec,
        answers: Option<&Resolved>,
        seal_image: Option<&SealImage>,
    ) -> Result<(), Error> {
        let content = c.content();
        let style = self.style;
        // The 氏名's line (the last) runs through the middle of the seal box, so 印 sits at the end
        // of that line and a seal image centred on 印 stays inside the box; the whole block stays
        // on one page so that 印 is never parted from its line.
        let lh = style.line_height();
        let (lines_top, seal_top) = placement(self.lines.len(), lh, self.boxw);
        c.ensure(self.height);
        let top = c.y;
        let line_top = top + lines_top;
        let seal_x = content.right() - self.boxw;
        let mark = Mark {
            form,
            answers,
            image: seal_image,
            style,
        };
        // One paragraph, 印 in it where it stands on the line; the seal image a figure after it.
        c.begin(None, Role::Paragraph);
        if !fits(self.height, c.remaining()) {
            // Taller than a page (a field of thousands of characters): the lines go on over pages,
            // and the seal box follows the 氏名's line onto the page where it ends, kept inside
            // the text area.
            c.y = line_top;
            c.place_lines(self.lines, &style, content.x, self.text_w);
            let name_top = c.y - lh;
            let y = (name_top - (self.boxw - lh) / 2.0)
                .min(content.bottom() - self.boxw)
                .max(content.y);
            let seal = Rect::new(seal_x, y, self.boxw, self.boxw);
            mark.place(c, seal, name_top)?;
            c.y = c.y.max(seal.bottom());
            return Ok(());
        }
        // Added up line by line as the lines are placed, so that 印's baseline is the 氏名's to
        // the last bit.
        let name_top = (1..self.lines.len()).fold(line_top, |y, _| y + lh);
        let seal = Rect::new(seal_x, top + seal_top, self.boxw, self.boxw);
        // 印 and the seal go on first: on this page, beside the 氏名's line.
        mark.place(c, seal, name_top)?;
        c.y = line_top;
        c.place_lines(self.lines, &style, content.x, self.text_w);
        c.y = c.y.max(seal.bottom());
        Ok(())
    }
}

/// 印 and the seal image, in the seal box.
struct Mark<'a> {
    form: &'a FormSpec,
    answers: Option<&'a Resolved>,
    image: Option<&'a SealImage>,
    style: Style,
}

impl Mark<'_> {
    /// 印 centred in `seal` on the line whose box starts at `line_top`, the image over it.
    fn place(&self, c: &mut Composer, seal: Rect, line_top: f32) -> Result<(), Error> {
        if self.answers.is_none_or(|a| a.seal_mark) {
            let mark = text::shape(c.fonts, &self.form.checker.seal_mark, self.style.size)
                .map_err(missing("layout.checker.seal_mark"))?;
            let mstyle = Style {
                align: Align::Center,
                ..self.style
            };
            c.place_line(mark, &mstyle, seal.x, line_top, seal);
        }
        if let Some(image) = self.image {
            let alt = self.form.checker.seal_alt.clone();
            let figure = c.node(None, Role::Figure { alt });
            c.push(Element::Image {
                rect: image.place_in(seal),
                image: image.clone(),
                tag: Tag::Node(figure),
            });
        }
        Ok(())
    }
}

/// Where the first of `lines` lines (`lh` apart) and the seal box (`boxw` square) start below the
/// block's top, so that the last line, the 氏名's, runs through the middle of the box: the box
/// stays at the top and the lines move up into its height as far as they fit, and only lines that
/// do not fit above the middle push the box down. One line is where it always was.
fn placement(lines: usize, lh: f32, boxw: f32) -> (f32, f32) {
    let above = lines.saturating_sub(1) as f32 * lh;
    let middle = (boxw - lh) / 2.0;
    let lines_top = (middle - above).max(0.0);
    (lines_top, lines_top + above - middle)
}
