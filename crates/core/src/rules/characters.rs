//! The characters of every text field: control, invisible and private use characters, those no
//! font draws, and (with `--charset jis0208`) those outside JIS X 0208.

use crate::error::Problem;
use crate::fonts::{FontSet, MissingGlyph};
use crate::model::charset;
use crate::model::draft::Draft;

use super::{Charset, CheckOptions};

/// Control characters, characters the fonts cannot draw, and with `--charset jis0208` characters
/// outside JIS X 0208. Each character is reported once, for the first reason: a control character
/// is not also a missing glyph or a non-JIS character. Line feed and tab are layout and pass.
pub(super) fn check_characters(
    a: &Draft,
    fonts: &FontSet,
    opts: &CheckOptions,
    problems: &mut Vec<Problem>,
) {
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
