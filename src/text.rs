//! Text layout: measuring and breaking lines the Japanese way (禁則処理).
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`); on top of it the JIS X 4051 rules
//! that a Japanese reader checks first are enforced strictly: no line starts with a closing bracket,
//! a punctuation mark, 「ー」 or a small kana, and none ends with an opening bracket. Widths are the
//! font's own advances, so what is measured is what is drawn.

use std::ops::Range;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use crate::fonts::{FontSet, GlyphChoice};

/// Characters that may not begin a line (行頭禁則).
pub const NO_LINE_START: &str = "、。，．,.）)」』】〕〉》］]｝}’”ー－‐゠–〜～・：；:;？！?!ッャュョヮァィゥェォヵヶっゃゅょゎぁぃぅぇぉゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ％%";
/// Characters that may not end a line (行末禁則).
pub const NO_LINE_END: &str = "（(「『【〔〈《［[｛{‘“";

fn no_start(c: char) -> bool {
    NO_LINE_START.contains(c)
}

fn no_end(c: char) -> bool {
    NO_LINE_END.contains(c)
}

/// One glyph of a laid-out line.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub choice: GlyphChoice,
    /// Byte range of the glyph's character within the line's `text`.
    pub range: Range<usize>,
}

/// A line of text, measured and ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub glyphs: Vec<PlacedGlyph>,
    /// Width in points at the size it was laid out for.
    pub width: f32,
}

/// A character that no font can draw; the caller knows which field it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingGlyph(pub char);

/// Lays out one line without breaking it.
pub fn shape(fonts: &FontSet, text: &str, size: f32) -> Result<Line, MissingGlyph> {
    let mut glyphs = Vec::with_capacity(text.len() / 3 + 1);
    let mut width = 0.0;
    for (i, c) in text.char_indices() {
        let choice = fonts.glyph(c).ok_or(MissingGlyph(c))?;
        width += choice.advance_em * size;
        glyphs.push(PlacedGlyph {
            choice,
            range: i..i + c.len_utf8(),
        });
    }
    Ok(Line {
        text: text.to_string(),
        glyphs,
        width,
    })
}

/// Breaks `text` into lines no wider than `first_width` (first line) and `rest_width` (the others),
/// in points at `size`. `\n` forces a break. A line is only ever wider than allowed when a single
/// character is wider than the whole line.
pub fn break_lines(
    fonts: &FontSet,
    text: &str,
    size: f32,
    first_width: f32,
    rest_width: f32,
) -> Result<Vec<Line>, MissingGlyph> {
    let mut lines = Vec::new();
    // A tab is layout, not a glyph (`FontSet::missing_chars` lets it through): set it as a space.
    let text = text.replace('\t', " ");
    for (n, paragraph) in text.split('\n').enumerate() {
        let first = if n == 0 { first_width } else { rest_width };
        break_paragraph(fonts, paragraph, size, first, rest_width, &mut lines)?;
    }
    Ok(lines)
}

/// True when a soft break may fall between `before` and `after`.
fn kinsoku_allows(before: char, after: char) -> bool {
    !no_start(after) && !no_end(before)
}

fn break_paragraph(
    fonts: &FontSet,
    text: &str,
    size: f32,
    first_width: f32,
    rest_width: f32,
    out: &mut Vec<Line>,
) -> Result<(), MissingGlyph> {
    if text.is_empty() {
        out.push(Line {
            text: String::new(),
            glyphs: Vec::new(),
            width: 0.0,
        });
        return Ok(());
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut advances = Vec::with_capacity(chars.len());
    for &(_, c) in &chars {
        advances.push(fonts.glyph(c).ok_or(MissingGlyph(c))?.advance_em * size);
    }
    // allowed[k]: a break may fall before chars[k] (k in 1..len).
    let mut allowed = vec![false; chars.len() + 1];
    let index_of = |byte: usize| chars.partition_point(|&(b, _)| b < byte);
    for (byte, op) in linebreaks(text) {
        if op == BreakOpportunity::Allowed && byte < text.len() {
            allowed[index_of(byte)] = true;
        }
    }
    // Between two ideographic characters UAX #14 already allows a break; kinsoku overrides it.
    for k in 1..chars.len() {
        allowed[k] = allowed[k] && kinsoku_allows(chars[k - 1].1, chars[k].1);
    }

    let mut start = 0;
    let mut limit = first_width;
    while start < chars.len() {
        let mut width = 0.0;
        let mut end = start;
        while end < chars.len() {
            let next = width + advances[end];
            // Trailing spaces never push a line over its width.
            if next > limit + 0.01 && !chars[end].1.is_whitespace() && end > start {
                break;
            }
            width = next;
            end += 1;
        }
        if end < chars.len() {
            end = choose_break(&chars, &allowed, start, end);
        }
        out.push(make_line(text, &chars, &advances, start..end, fonts, size)?);
        start = end;
        // A soft break swallows the spaces at the start of the next line.
        while start < chars.len() && chars[start].1.is_whitespace() {
            start += 1;
        }
        limit = rest_width;
    }
    Ok(())
}

/// The break position for a line that starts at `start` and overflows before `overflow`:
/// the last allowed opportunity; failing that (a long word, a long run of digits), the last position
/// kinsoku accepts; failing that too, the overflow point itself.
fn choose_break(chars: &[(usize, char)], allowed: &[bool], start: usize, overflow: usize) -> usize {
    if let Some(k) = (start + 1..=overflow).rev().find(|&k| allowed[k]) {
        return k;
    }
    if let Some(k) = (start + 1..=overflow)
        .rev()
        .find(|&k| kinsoku_allows(chars[k - 1].1, chars[k].1))
    {
        return k;
    }
    overflow
}

fn make_line(
    text: &str,
    chars: &[(usize, char)],
    advances: &[f32],
    range: Range<usize>,
    fonts: &FontSet,
    size: f32,
) -> Result<Line, MissingGlyph> {
    let byte_start = chars[range.start].0;
    let byte_end = chars.get(range.end).map_or(text.len(), |&(b, _)| b);
    let slice = text[byte_start..byte_end].trim_end_matches(char::is_whitespace);
    let mut line = shape(fonts, slice, size)?;
    debug_assert!(line.glyphs.len() <= advances[range].len());
    line.width = line.glyphs.iter().map(|g| g.choice.advance_em * size).sum();
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, chars_per_line: f32) -> Vec<String> {
        let fonts = FontSet::bundled();
        break_lines(
            &fonts,
            text,
            10.0,
            chars_per_line * 10.0,
            chars_per_line * 10.0,
        )
        .unwrap()
        .into_iter()
        .map(|l| l.text)
        .collect()
    }

    #[test]
    fn breaks_at_width_and_keeps_all_text() {
        let text = "情報セキュリティの確保に関する特約条項について確認する";
        let got = lines(text, 10.0);
        assert_eq!(got.concat(), text);
        assert!(got.iter().all(|l| l.chars().count() <= 10), "{got:?}");
        assert_eq!(got[0], "情報セキュリティの確");
    }

    #[test]
    fn no_line_starts_with_closing_punctuation_or_ends_with_opening() {
        // Every position of 。」）ー and small kana lands exactly on a break point for some width.
        let text = "あいうえおかきくけ。こさしすせそたちつ」てとなにぬねのはひ）ふへほまみむめもやゃゆよらりるれろわをん（いろは「にほへと」ちりぬるをわかよたれそつねならむーうゐのおくやまけふこえてっあさきゆめみし";
        for width in 3..=14 {
            let got = lines(text, width as f32);
            assert_eq!(got.concat(), text, "width {width}");
            for l in &got[1..] {
                let first = l.chars().next().unwrap();
                assert!(
                    !no_start(first),
                    "width {width}: line starts with {first}: {got:?}"
                );
            }
            for l in &got[..got.len() - 1] {
                let last = l.chars().last().unwrap();
                assert!(
                    !no_end(last),
                    "width {width}: line ends with {last}: {got:?}"
                );
            }
        }
    }

    #[test]
    fn long_unbreakable_runs_are_forced_to_fit() {
        let text = "a".repeat(95);
        let got = lines(&text, 10.0); // 20 half-width characters a line
        assert_eq!(got.concat(), text);
        assert!(got.iter().all(|l| l.len() <= 20));
    }

    #[test]
    fn newline_forces_a_break_and_spaces_do_not_lead_a_line() {
        let got = lines("甲と乙\n丙 the quick brown fox", 5.0);
        assert_eq!(got[0], "甲と乙");
        assert!(got[1..].iter().all(|l| !l.starts_with(' ')), "{got:?}");
    }

    #[test]
    fn missing_glyph_is_reported_not_boxed() {
        let fonts = FontSet::bundled();
        assert_eq!(
            break_lines(&fonts, "𠮷野家", 10.0, 100.0, 100.0).unwrap_err(),
            MissingGlyph('𠮷')
        );
    }
}
