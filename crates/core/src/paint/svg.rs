//! A second painter beside the PDF one: a laid-out [`Document`] as SVG pages, for the browser
//! preview of `secform serve`. It only paints what the layout placed (text at its own baseline and
//! width, rules, the seal image), so the preview breaks lines exactly as the PDF does.

use std::fmt::Write as _;

use base64::Engine as _;

use crate::layout::document::{Document, Element, Page};

/// The CSS font family the page declares with `@font-face` (the bundled font served by the server).
pub const FONT_FAMILY: &str = "secform-mincho";

/// Every page of `doc` as a standalone `<svg>` element, in page order.
pub fn pages(doc: &Document) -> Vec<String> {
    doc.pages.iter().map(|p| page(doc, p)).collect()
}

/// One page as an `<svg>` in points (viewBox = the page size), text selectable and in the DOM.
pub fn page(doc: &Document, page: &Page) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="page" viewBox="0 0 {w} {h}" width="{w}pt" height="{h}pt" font-family="{FONT_FAMILY}"><rect width="{w}" height="{h}" fill="white"/>"#,
        w = num(doc.width),
        h = num(doc.height),
    );
    for element in &page.elements {
        match element {
            Element::Text(t) => {
                if t.line.text.is_empty() {
                    continue;
                }
                // The width is the layout's: textLength keeps a browser's own metrics from moving
                // the line's end.
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" font-size="{}" textLength="{}" lengthAdjust="spacingAndGlyphs" xml:space="preserve">"#,
                    num(t.x),
                    num(t.baseline),
                    num(t.size),
                    num(t.line.width.max(0.01)),
                );
                escape_into(&mut out, &t.line.text);
                out.push_str("</text>");
            }
            Element::Rule {
                x1,
                y1,
                x2,
                y2,
                width,
            } => {
                let _ = write!(
                    out,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="black" stroke-width="{}"/>"#,
                    num(*x1),
                    num(*y1),
                    num(*x2),
                    num(*y2),
                    num(*width),
                );
            }
            Element::Image { rect, image, .. } => {
                let data = &image.data;
                let mime = if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
                    "image/jpeg"
                } else {
                    "image/png"
                };
                let b64 = base64::engine::general_purpose::STANDARD.encode(data.as_slice());
                let _ = write!(
                    out,
                    r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none" href="data:{mime};base64,{b64}"/>"#,
                    num(rect.x),
                    num(rect.y),
                    num(rect.w),
                    num(rect.h),
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// A coordinate with two decimals, no trailing zeros (short markup, stable across runs).
fn num(v: f32) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CheckOptions, FontSet, Renderer};

    fn sample_doc() -> Document {
        let json = include_str!("../../../../samples/main-contractor.json");
        let r = Renderer::new(FontSet::bundled());
        let a = crate::input::answers::read(json).unwrap_or_else(|_| panic!("sample reads"));
        r.form_document(
            &a,
            &CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
        )
        .unwrap_or_else(|_| panic!("sample lays out"))
        .document
    }

    /// Every laid-out line is painted once, at the layout's own baseline, size and width.
    #[test]
    fn texts_at_the_layouts_positions() {
        let doc = sample_doc();
        let svgs = pages(&doc);
        assert_eq!(svgs.len(), doc.pages.len());
        for (svg, page) in svgs.iter().zip(&doc.pages) {
            let mut rest = svg.as_str();
            for t in page.texts().filter(|t| !t.line.text.is_empty()) {
                let mut text = String::new();
                escape_into(&mut text, &t.line.text);
                let open = format!(
                    r#"<text x="{}" y="{}" font-size="{}" textLength="{}""#,
                    num(t.x),
                    num(t.baseline),
                    num(t.size),
                    num(t.line.width.max(0.01))
                );
                let at = rest
                    .find(&open)
                    .unwrap_or_else(|| panic!("{} not painted at its place", t.line.text));
                let after = &rest[at..];
                let body = &after[after.find('>').unwrap() + 1..after.find("</text>").unwrap()];
                assert_eq!(body, text);
                rest = &after[after.find("</text>").unwrap()..];
            }
            let rules = page
                .elements
                .iter()
                .filter(|e| matches!(e, Element::Rule { .. }))
                .count();
            assert_eq!(svg.matches("<line ").count(), rules);
        }
    }

    #[test]
    fn seal_image_painted_in_its_rect() {
        let mut doc = sample_doc();
        let png = include_bytes!("../../../../samples/seal.png");
        let image = crate::model::seal::from_file_bytes("seal.png", png.to_vec()).unwrap();
        let rect = crate::layout::document::Rect::new(10.0, 20.5, 30.0, 40.0);
        doc.pages[0].elements.push(Element::Image {
            rect,
            image,
            tag: crate::layout::document::Tag::Pagination,
        });
        let svg = page(&doc, &doc.pages[0]);
        let b64 = base64::engine::general_purpose::STANDARD.encode(png);
        assert!(svg.contains(&format!(
            r#"<image x="10" y="20.5" width="30" height="40" preserveAspectRatio="none" href="data:image/png;base64,{b64}"/>"#
        )));
    }

    #[test]
    fn markup_is_escaped() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"c\"");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&quot;");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(1.5), "1.5");
    }
}
