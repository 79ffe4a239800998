//! Text layout: measuring and breaking lines the Japanese way (禁則処理).
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`); on top of it the JIS X 4051 rules
//! that a Japanese reader checks first are enforced strictly: no line starts with a closing bracket,
//! a punctuation mark, 「ー」 or a small kana, and none ends with an opening bracket. Only where no
//! break satisfies them within the width (a run of closing marks longer than the line) does the
//! width win: text never leaves its box. Widths are the font's own advances, so what is measured is
//! what is drawn.

use std::ops::Range;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use crate::fonts::{FontSet, GlyphChoice};
use crate::geometry::fits;

/// Characters that may not begin a line (行頭禁則).
pub const NO_LINE_START: &str = "、。，．,.）)」』】〕〉》］]｝}’”ー－‐゠–〜～・：；:;？！?!ッャュョヮァィゥェォヵヶっゃゅょゎぁぃぅぇぉゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ％%";
/// Characters that may not end a line (行末禁則).
pub const NO_LINE_END: &str = "（(「『【〔〈《［[｛{‘“";

/// Kanji, most of a Japanese text, are in neither list; answering them first keeps the two
/// searches below out of the breaking loop's way.
fn is_kanji(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c)
}

fn no_start(c: char) -> bool {
    !is_kanji(c) && NO_LINE_START.contains(c)
}

fn no_end(c: char) -> bool {
    !is_kanji(c) && NO_LINE_END.contains(c)
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

pub use crate::fonts::MissingGlyph;

/// Lays out one line without breaking it. A variation sequence (an 異体字) is one glyph whose
/// range holds both characters, so the text layer keeps the sequence.
pub fn shape(fonts: &FontSet, text: &str, size: f32) -> Result<Line, MissingGlyph> {
    let mut glyphs: Vec<PlacedGlyph> = Vec::with_capacity(text.len() / 3 + 1);
    let mut width = 0.0;
    for ((i, c), choice) in text.char_indices().zip(fonts.glyphs_of(text)?) {
        let range = i..i + c.len_utf8();
        match choice {
            Some(choice) => {
                width += choice.advance_em * size;
                glyphs.push(PlacedGlyph { choice, range });
            }
            None => {
                if let Some(last) = glyphs.last_mut() {
                    last.range.end = range.end;
                }
            }
        }
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

/// Breaks `prefix` followed by `fields` joined with `separator` (the 確認者 line: 事業者名, 所属, 役職,
/// 氏名) into lines no wider than `first_width` (first line) and `rest_width` (the others), in
/// points at `size`. Lines break only between fields, where the separator vanishes as spaces do at
/// a soft break: a name split over two lines reads as two people. A field longer than a whole line
/// breaks at its own spaces first (「情報セキュリティ統括本部 第二システム開発部」 keeps its words),
/// and only a word that fits no line (or a field holding a `\n`) is broken like running text
/// ([`break_lines`]), from where the line stands. A field boundary is always a break point,
/// whatever 禁則 would say of the characters beside it: the fields are separate items, not running
/// text.
pub fn break_fields(
    fonts: &FontSet,
    prefix: &str,
    fields: &[&str],
    separator: &str,
    size: f32,
    first_width: f32,
    rest_width: f32,
) -> Result<Vec<Line>, MissingGlyph> {
    let width = |s: &str| -> Result<f32, MissingGlyph> { Ok(shape(fonts, s, size)?.width) };
    // What is still to place: (what joins it to the item before, the item, whether it may still
    // be split at its own spaces). A tab is layout, not a glyph (as in `break_lines`).
    let mut items: std::collections::VecDeque<(String, String, bool)> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let joint = if i == 0 { "" } else { separator };
            (joint.to_string(), f.replace('\t', " "), true)
        })
        .collect();
    let mut done: Vec<String> = Vec::new();
    let mut line = prefix.replace('\t', " ");
    let mut limit = first_width;
    while let Some((joint, item, splittable)) = items.pop_front() {
        let joint = if line.is_empty() { "" } else { joint.as_str() };
        let one_line = !item.contains('\n');
        let joined = format!("{line}{joint}{item}");
        if one_line && fits(width(&joined)?, limit) {
            line = joined;
            continue;
        }
        if one_line && fits(width(&item)?, rest_width) {
            // It fits a line of its own: it starts the next one, whole.
            done.push(std::mem::replace(&mut line, item));
            limit = rest_width;
            continue;
        }
        if splittable && one_line && item.trim().contains(char::is_whitespace) {
            // Longer than a whole line: its words are placed like fields, joined by its spaces.
            let mut words = words(&item);
            if let Some(first) = words.first_mut() {
                first.0 = format!("{joint}{}", first.0);
            }
            for (joint, word) in words.into_iter().rev() {
                items.push_front((joint, word, false));
            }
            continue;
        }
        // Longer than a whole line and no space to break at: it has to be split anyway, so it
        // fills this line first.
        let mut lead = format!("{line}{joint}");
        let room = (limit - width(&lead)?).max(0.0);
        let mut pieces = break_lines(fonts, &item, size, room, rest_width)?;
        if pieces.first().is_some_and(|p| !fits(p.width, room)) {
            // Not even its first character fits beside what the line holds.
            done.push(std::mem::take(&mut line));
            lead.clear();
            limit = rest_width;
            pieces = break_lines(fonts, &item, size, rest_width, rest_width)?;
        }
        let last = pieces.len().saturating_sub(1);
        for (k, piece) in pieces.into_iter().enumerate() {
            let text = if k == 0 {
                format!("{lead}{}", piece.text)
            } else {
                piece.text
            };
            if k == last {
                line = text;
            } else {
                done.push(text);
            }
        }
        if last > 0 {
            limit = rest_width;
        }
    }
    done.push(line);
    done.iter()
        .map(|l| shape(fonts, l.trim_end_matches(char::is_whitespace), size))
        .collect()
}

/// The words of `text` with the spaces before each: (spaces, word), in order. Spaces at the end
/// are dropped (they would vanish at the end of a line anyway).
fn words(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut spaces = String::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() {
            if !word.is_empty() {
                out.push((std::mem::take(&mut spaces), std::mem::take(&mut word)));
            }
            spaces.push(c);
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push((spaces, word));
    }
    out
}

/// Where kinsoku lets a soft break fall: `ok[k]` for a break before `chars[k]`. Spaces at a break
/// vanish (trailing ones are trimmed, leading ones skipped), so the characters that matter are the
/// last visible one before the break and the first visible one after it. Linear, whatever the runs
/// of spaces.
fn kinsoku_breaks(chars: &[(usize, char)]) -> Vec<bool> {
    let n = chars.len();
    let mut after = vec![None; n + 1];
    for k in (0..n).rev() {
        let c = chars[k].1;
        after[k] = if c.is_whitespace() {
            after[k + 1]
        } else {
            Some(c)
        };
    }
    let mut ok = vec![true; n + 1];
    let mut before: Option<char> = None;
    for k in 0..=n {
        ok[k] = !after[k].is_some_and(no_start) && !before.is_some_and(no_end);
        if let Some(&(_, c)) = chars.get(k) {
            if !c.is_whitespace() {
                before = Some(c);
            }
        }
    }
    ok
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
    // A variation selector advances nothing: its sequence's glyph is the character before it.
    let advances: Vec<f32> = fonts
        .glyphs_of(text)?
        .iter()
        .map(|g| g.map_or(0.0, |g| g.advance_em * size))
        .collect();
    // allowed[k]: a break may fall before chars[k] (k in 1..len).
    let mut allowed = vec![false; chars.len() + 1];
    let index_of = |byte: usize| chars.partition_point(|&(b, _)| b < byte);
    for (byte, op) in linebreaks(text) {
        if op == BreakOpportunity::Allowed && byte < text.len() {
            allowed[index_of(byte)] = true;
        }
    }
    // Between two ideographic characters UAX #14 already allows a break; kinsoku overrides it.
    let kinsoku = kinsoku_breaks(&chars);
    for k in 1..chars.len() {
        allowed[k] = allowed[k] && kinsoku[k];
    }

    // Each line as (its own text, the closing marks pulled after it).
    let mut spans: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let mut start = 0;
    let mut limit = first_width;
    while start < chars.len() {
        let mut width = 0.0;
        let mut end = start;
        while end < chars.len() {
            let next = width + advances[end];
            // Trailing spaces never push a line over its width.
            if !fits(next, limit) && !chars[end].1.is_whitespace() && end > start {
                break;
            }
            width = next;
            end += 1;
        }
        // The overflow, then the break: where the line's own text ends, and the closing marks
        // pulled back after it.
        let (end, pulled) = if end < chars.len() {
            let overflow = end;
            let end = choose_break(&allowed, &kinsoku, start, overflow);
            if kinsoku[end] {
                (end, end..end)
            } else {
                pull_closing_marks(&chars, &advances, &kinsoku, start, overflow, limit)
            }
        } else {
            (end, end..end)
        };
        spans.push((start..end, pulled.clone()));
        start = skip_spaces(&chars, end.max(pulled.end));
        limit = rest_width;
    }
    avoid_short_last_line(&chars, &advances, &allowed, rest_width, &mut spans);
    for (main, pulled) in spans {
        out.push(make_line(text, &chars, main, pulled, fonts, size)?);
    }
    Ok(())
}

/// A soft break swallows the spaces at the start of the next line.
fn skip_spaces(chars: &[(usize, char)], mut k: usize) -> usize {
    while k < chars.len() && chars[k].1.is_whitespace() {
        k += 1;
    }
    k
}

/// The fewest characters a paragraph's last line should hold: 「と。」 alone under a full line reads
/// as a slip, so the line before gives up a few characters when it can.
const MIN_LAST_LINE: usize = 3;

/// Moves the last soft break of a paragraph earlier when its last line would hold fewer than
/// [`MIN_LAST_LINE`] characters: to the latest allowed break (禁則 included) that gives the last line
/// enough, keeps as many on the line before, and lets the last line fit its width. Nothing moves
/// when the line before pulled closing marks or no such break exists.
fn avoid_short_last_line(
    chars: &[(usize, char)],
    advances: &[f32],
    allowed: &[bool],
    width: f32,
    spans: &mut [(Range<usize>, Range<usize>)],
) {
    let n = spans.len();
    if n < 2 {
        return;
    }
    let visible = |r: Range<usize>| chars[r].iter().filter(|(_, c)| !c.is_whitespace()).count();
    let (before, last) = (&spans[n - 2], &spans[n - 1]);
    if !before.1.is_empty() || !last.1.is_empty() || visible(last.0.clone()) >= MIN_LAST_LINE {
        return;
    }
    let (from, end) = (before.0.start, last.0.end);
    let fits_width = |r: Range<usize>| fits(advances[r].iter().sum::<f32>(), width);
    let choice = (from + 1..before.0.end).rev().find(|&b| {
        let next = skip_spaces(chars, b);
        allowed[b]
            && visible(next..end) >= MIN_LAST_LINE
            && visible(from..b) >= MIN_LAST_LINE
            && fits_width(next..end)
    });
    if let Some(b) = choice {
        spans[n - 2].0 = from..b;
        spans[n - 1].0 = skip_spaces(chars, b)..end;
        spans[n - 1].1 = end..end;
    }
}

/// The break position for a line that starts at `start` and overflows before `overflow`:
/// the last allowed opportunity; failing that (a long word, a long run of digits), the last position
/// kinsoku accepts; failing that too, the overflow point itself.
fn choose_break(allowed: &[bool], kinsoku: &[bool], start: usize, overflow: usize) -> usize {
    if let Some(k) = (start + 1..=overflow).rev().find(|&k| allowed[k]) {
        return k;
    }
    if let Some(k) = (start + 1..=overflow).rev().find(|&k| kinsoku[k]) {
        return k;
    }
    overflow
}

/// When no break up to the overflow satisfies 禁則, a run of closing marks right after spaces can
/// still end this line: the break falls in the spaces, which vanish as at any break, and the marks
/// are pulled back onto the line (追い込み; 「あ　　…　。」 in a narrow cell becomes 「あ。」). Only a
/// run that fits whole is pulled, the latest such run first, so the line neither overflows nor
/// leaves a mark to start the next one. When no run fits, nothing satisfies both rules and the
/// width wins over 禁則 (text never leaves its cell): the line breaks at the overflow, pulling back
/// only the marks that fit, and the next line starts with a mark. Returns where the line's own
/// text ends and the range pulled after it.
fn pull_closing_marks(
    chars: &[(usize, char)],
    advances: &[f32],
    kinsoku: &[bool],
    start: usize,
    overflow: usize,
    limit: f32,
) -> (usize, Range<usize>) {
    let space = |k: usize| chars[k].1.is_whitespace();
    let width = |r: Range<usize>| -> f32 { advances[r].iter().sum() };
    // The closing marks from `from` on that fit in `room`: where they end, and whether that is
    // the end of the run.
    let marks = |from: usize, room: f32| -> (usize, bool) {
        let (mut e, mut w) = (from, 0.0);
        while e < chars.len() && no_start(chars[e].1) {
            if !fits(w + advances[e], room) {
                return (e, false);
            }
            w += advances[e];
            e += 1;
        }
        (e, true)
    };
    // The start of the spaces that end at `end`.
    let spaces_from = |end: usize| {
        let mut s0 = end;
        while s0 > start && space(s0 - 1) {
            s0 -= 1;
        }
        s0
    };
    let mut s1 = overflow;
    while s1 > start {
        if !space(s1 - 1) {
            s1 -= 1;
            continue;
        }
        let s0 = spaces_from(s1);
        let (e, whole) = marks(s1, limit - width(start..s0));
        if whole && e > s1 && kinsoku[e] {
            return (s0, s1..e);
        }
        s1 = s0;
    }
    if overflow > start && space(overflow - 1) {
        let s0 = spaces_from(overflow);
        let (e, _) = marks(overflow, limit - width(start..s0));
        return (overflow, overflow..e);
    }
    (overflow, overflow..overflow)
}

/// The line made of `main` (trailing spaces trimmed) followed by `pulled`.
fn make_line(
    text: &str,
    chars: &[(usize, char)],
    main: Range<usize>,
    pulled: Range<usize>,
    fonts: &FontSet,
    size: f32,
) -> Result<Line, MissingGlyph> {
    let byte = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let body = text[byte(main.start)..byte(main.end)].trim_end_matches(char::is_whitespace);
    if pulled.is_empty() {
        return shape(fonts, body, size);
    }
    shape(
        fonts,
        &format!("{body}{}", &text[byte(pulled.start)..byte(pulled.end)]),
        size,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An 異体字 is one glyph whose range holds the base and its selector, so the PDF's text
    /// layer copies back the registered sequence; it is never split from its base.
    #[test]
    fn a_variation_sequence_is_one_glyph_and_stays_with_its_base() {
        let fonts = FontSet::bundled();
        let line = shape(&fonts, "辻\u{E0100}太郎", 10.0).unwrap();
        assert_eq!(line.glyphs.len(), 3);
        assert_eq!(line.glyphs[0].range, 0..7);
        assert_eq!(line.width, 30.0);
        // Two characters a line: the break falls after the sequence, never inside it.
        let broken = break_lines(&fonts, "葛\u{E0100}城葛\u{E0100}城", 10.0, 20.0, 20.0).unwrap();
        let texts: Vec<&str> = broken.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["葛\u{E0100}城", "葛\u{E0100}城"]);
    }

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
    fn a_last_line_of_one_or_two_characters_takes_some_from_the_line_before() {
        // Greedy breaking would end with 「と。」 at these widths.
        let text = "この欄は、下請負契約等の開始年月日を記載すること。";
        assert_eq!(
            lines(text, 8.0),
            [
                "この欄は、下請負",
                "契約等の開始年月",
                "日を記載する",
                "こと。"
            ]
        );
        assert_eq!(
            lines(text, 12.0),
            ["この欄は、下請負契約等の", "開始年月日を記載する", "こと。"]
        );
        for w in 4..=30 {
            let got = lines(text, w as f32);
            assert_eq!(got.concat(), text, "width {w}");
            assert!(got.iter().all(|l| l.chars().count() <= w), "{w}: {got:?}");
            assert!(got.len() == 1 || got[got.len() - 1].chars().count() >= MIN_LAST_LINE);
        }
        // The line before keeps as many as it gives; when it cannot, the break stays.
        assert_eq!(lines("あいうえおか", 5.0), ["あいう", "えおか"]);
        assert_eq!(lines("あいうえか", 4.0), ["あいうえ", "か"]);
    }

    #[test]
    fn the_kanji_shortcut_never_hides_a_listed_character() {
        for c in NO_LINE_START.chars().chain(NO_LINE_END.chars()) {
            assert!(!is_kanji(c), "{c:?} is listed and in the kanji range");
        }
        assert!(no_start('。') && no_end('「') && !no_start('漢') && !no_end('漢'));
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
    fn a_forced_break_in_a_long_word_loses_nothing() {
        // Slashes and hyphens give UAX #14 break points inside the run; none may swallow text.
        let text =
            "cA17b99ab17cbZa/zz/A-y0za-MW9/W7_/-//_9A0c/by0Acbzbz7a1/W10Z-caxZcb1AM7bcz1/0WZ";
        for width in 5..=30 {
            assert_eq!(
                lines(text, width as f32 / 2.0).concat(),
                text,
                "width {width}"
            );
        }
    }

    #[test]
    fn spaces_before_a_closing_mark_vanish_rather_than_open_a_line_with_it() {
        let text = format!("あ{}。", "\u{3000}".repeat(25));
        assert_eq!(lines(&text, 10.0), vec!["あ。"]);
    }

    #[test]
    fn fields_break_between_fields_and_a_field_longer_than_a_line_inside() {
        let fonts = FontSet::bundled();
        let (first, rest) = (240.0, 200.0); // 24 and 20 full-width characters
        let got = |fields: &[&str]| -> Vec<Line> {
            break_fields(&fonts, "確認者：", fields, "\u{3000}", 10.0, first, rest).unwrap()
        };
        let texts = |lines: &[Line]| lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
        let lines = got(&["株式会社テスト技研", "管理部", "課長", "高橋 次郎"]);
        assert_eq!(
            texts(&lines),
            [
                "確認者：株式会社テスト技研\u{3000}管理部\u{3000}課長",
                "高橋 次郎"
            ]
        );
        // A field that fits no line is split; the fields after it still stay whole.
        let long = "情報セキュリティ統括本部".repeat(4);
        let lines = got(&["株式会社テスト技研", &long, "高橋\t次郎"]);
        assert!(lines[0].width <= first + 0.01, "{:?}", texts(&lines));
        assert!(
            lines[1..].iter().all(|l| l.width <= rest + 0.01),
            "{:?}",
            texts(&lines)
        );
        assert_eq!(
            texts(&lines).concat().replace('\u{3000}', ""),
            format!("確認者：株式会社テスト技研{long}高橋 次郎")
        );
        assert!(texts(&lines).iter().any(|l| l.contains("高橋 次郎")));
        // A field longer than a line breaks at its own spaces first.
        let lines = got(&[
            "株式会社サンプル情報システム",
            "情報セキュリティ統括本部 第二システム開発部",
            "山田 太郎",
        ]);
        for word in [
            "情報セキュリティ統括本部",
            "第二システム開発部",
            "山田 太郎",
        ] {
            assert!(
                texts(&lines).iter().any(|l| l.contains(word)),
                "{word}: {:?}",
                texts(&lines)
            );
        }
        // Nothing to print: the label alone.
        assert_eq!(texts(&got(&[])), ["確認者："]);
    }

    #[test]
    fn closing_marks_are_pulled_back_only_as_far_as_the_line_has_room() {
        let fonts = FontSet::bundled();
        for text in [
            format!("あ{}{}", " ".repeat(50), "。".repeat(20)),
            format!("あ{}{}い", "\u{3000}".repeat(25), "。」".repeat(8)),
            format!("漢字{}{}", " ".repeat(3), "、".repeat(30)),
        ] {
            for chars_per_line in 2..=24 {
                let w = chars_per_line as f32 * 10.0;
                let got = break_lines(&fonts, &text, 10.0, w, w).unwrap();
                let texts: Vec<&str> = got.iter().map(|l| l.text.as_str()).collect();
                for l in &got {
                    assert!(l.width <= w + 0.01, "width {w}: {texts:?}");
                }
                let strip = |s: &str| s.replace([' ', '\u{3000}'], "");
                assert_eq!(strip(&texts.concat()), strip(&text), "width {w}");
            }
        }
    }

    #[test]
    fn a_break_moves_into_the_spaces_before_closing_marks_when_that_keeps_both_rules() {
        // The run of marks does not fit after the spaces, but it does once the spaces vanish at a
        // break: neither 禁則 nor the width has to give.
        let text = format!("あ{}{}い", "\u{3000}".repeat(3), "。".repeat(7));
        assert_eq!(lines(&text, 10.0), vec!["あ。。。。。。。", "い"]);
        // Nothing satisfies both: the width wins, and the marks that fit are pulled back.
        let text = format!("あ{}{}", "\u{3000}".repeat(25), "。".repeat(12));
        let got = lines(&text, 10.0);
        assert_eq!(got, vec!["あ。。。。。。。。。", "。。。"]);
    }

    #[test]
    fn missing_glyph_is_reported_not_boxed() {
        let fonts = FontSet::bundled();
        assert_eq!(
            break_lines(&fonts, "𠮷野家", 10.0, 100.0, 100.0).unwrap_err(),
            MissingGlyph('𠮷', None)
        );
    }
}
