//! Characters that Japanese e-bidding (電子入札) systems reject.
//!
//! Those systems store text as Shift_JIS restricted to JIS X 0208 and refuse anything else at
//! upload time, often with an unhelpful message. Finding the offending characters here, with
//! their positions, lets the user fix the answer set before submitting.

use encoding_rs::{EncoderResult, SHIFT_JIS};
use unicode_normalization::UnicodeNormalization;

/// A character that an e-bidding system would reject, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offending {
    /// 1-based index in characters (not bytes), because that is how a person counts along a line.
    pub position: usize,
    pub ch: char,
}

/// Every character of `s` that is not printable ASCII, U+3000 or a character of JIS X 0208.
///
/// Each character is encoded with the WHATWG Shift_JIS encoder (the Windows code page 932
/// mapping) and the resulting bytes decide:
///
/// * a single byte is accepted only for printable ASCII. Half-width katakana (0xA1–0xDF) is
///   rejected, and so are `¥` (U+00A5) and `‾` (U+203E): the encoder maps them onto 0x5C and
///   0x7E, which a Shift_JIS reader decodes as `\` and `~`, so the text would change silently;
/// * two bytes are accepted only in rows 1–8 and 16–84 (JIS X 0208 proper). That rejects NEC
///   row 13 (`①`, `㈱`, `№`), rows 9–15 and 85–94, NEC-selected IBM extensions (lead bytes
///   0xED–0xEE) and IBM extensions (0xFA–0xFC, e.g. `髙`, `﨑`);
/// * unmappable characters (e.g. `𠮷` U+20BB7) and control characters are rejected.
///
/// Because the decision is made on the encoded cell, the Windows code points of JIS X 0208
/// cells are accepted: `～` U+FF5E, `∥` U+2225, `－` U+FF0D (and U+2212, which the encoder folds
/// onto the same cell), `￠` U+FFE0, `￡` U+FFE1, `￢` U+FFE2, `＼` U+FF3C. They are what Windows
/// IMEs produce for those cells, users type them every day, and the systems (built on CP932)
/// store them as the JIS X 0208 character. The other way round, the JIS standard code points
/// for those cells that CP932 does not use (`〜` U+301C, `‖` U+2016, `¢` U+00A2, `£` U+00A3,
/// `¬` U+00AC) are unmappable in CP932 and therefore rejected, exactly as the systems do.
pub fn outside_jis0208(s: &str) -> Vec<Offending> {
    s.chars()
        .enumerate()
        .filter(|&(_, ch)| !is_accepted(ch))
        .map(|(index, ch)| Offending {
            position: index + 1,
            ch,
        })
        .collect()
}

/// Line feed and tab: they place text (a line break, a space) rather than print a character, so
/// no check of characters counts them.
pub fn is_layout(ch: char) -> bool {
    ch == '\n' || ch == '\t'
}

/// Every control character of `s` (U+0000–U+001F, U+007F, U+0080–U+009F) other than line feed and
/// tab. They cannot be printed and are almost always debris of a copy and paste (a vertical tab
/// from Excel, an ESC from a terminal), so the user is told what and where rather than that the
/// font lacks them. A carriage return never gets here from an answer file: the reader turns CRLF
/// and a lone CR into a line feed.
pub fn control_chars(s: &str) -> Vec<Offending> {
    offending(s, |ch| ch.is_control() && !is_layout(ch))
}

/// The characters of `s` that `pred` picks, with their 1-based positions.
fn offending(s: &str, pred: impl Fn(char) -> bool) -> Vec<Offending> {
    s.chars()
        .enumerate()
        .filter(|&(_, ch)| pred(ch))
        .map(|(index, ch)| Offending {
            position: index + 1,
            ch,
        })
        .collect()
}

/// Characters of the private use areas (外字 of one vendor or one office): no character a reader
/// or a copy could give for them, so a tagged PDF (PDF/A level A) may not hold them.
pub fn is_private_use(ch: char) -> bool {
    matches!(ch, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Private use characters, 1-based positions.
pub fn private_use_chars(s: &str) -> Vec<Offending> {
    offending(s, is_private_use)
}

/// Characters that print as nothing: zero-width spaces and joiners, direction marks, the soft
/// hyphen, a byte-order mark in mid-text. They arrive with text copied from web pages and PDFs; the
/// font has no glyph for most of them, and "add a fallback font" would be the wrong advice for a
/// character the user cannot see. They are reported with their position, to be deleted.
pub fn invisible_chars(s: &str) -> Vec<Offending> {
    offending(s, is_invisible)
}

/// Whether the character at `index` of `chars` is a zero-width joiner between two visible
/// characters (an emoji ZWJ sequence), rather than one pasted in on its own.
pub fn is_joining(chars: &[char], index: usize) -> bool {
    let visible = |c: Option<&char>| {
        c.is_some_and(|&c| !c.is_whitespace() && !c.is_control() && !is_invisible(c))
    };
    chars.get(index) == Some(&'\u{200D}')
        && index > 0
        && visible(chars.get(index - 1))
        && visible(chars.get(index + 1))
}

/// See [`invisible_chars`]: zero-width and joining characters, direction marks and overrides,
/// line and paragraph separators, the soft hyphen, word joiner and invisible operators, the
/// deprecated format characters, interlinear annotation and the byte-order mark. One list for the
/// checks and for batch file names (which drop them).
pub fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// The half-width form of a full-width ASCII character (U+FF01–U+FF5E are U+0021–U+007E at a
/// fixed offset), as a Japanese IME in full-width mode types digits and letters; others as they are.
pub fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// An ASCII digit or its full-width form (０–９).
pub fn is_digit_either_width(c: char) -> bool {
    halfwidth(c).is_ascii_digit()
}

/// How messages name a character (`U+9AD9`): defined with the errors, which sit below this.
pub use crate::error::codepoint;

/// Half-width katakana turned into full-width (ｶﾞｲｼｬ → ガイシャ, ｰ → ー, ｡｢｣､･ → 。「」、・).
///
/// NFKC is applied only to runs of U+FF61–U+FF9F so that everything else (`①`, `ＡＢＣ`, …) is
/// left exactly as written; normalising whole strings would silently rewrite those too. Within a
/// run, a sound mark that has nothing to combine with (`ｱﾞ`, or `ﾞ` at the start of a run) becomes
/// the spacing `゛`/`゜`, and `ﾜﾞ`/`ｦﾞ` become `ワ゛`/`ヲ゛`, because the combining marks and
/// `ヷ`/`ヺ` are not JIS X 0208 and the result must pass [`outside_jis0208`].
pub fn fix_halfwidth_kana(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for ch in s.chars() {
        if is_halfwidth_katakana(ch) {
            run.push(ch);
        } else {
            flush_run(&mut run, &mut out);
            out.push(ch);
        }
    }
    flush_run(&mut run, &mut out);
    out
}

fn is_halfwidth_katakana(ch: char) -> bool {
    ('\u{FF61}'..='\u{FF9F}').contains(&ch)
}

fn flush_run(run: &mut String, out: &mut String) {
    for ch in run.nfkc() {
        match ch {
            '\u{3099}' => out.push('゛'),
            '\u{309A}' => out.push('゜'),
            'ヷ' => out.push_str("ワ゛"),
            'ヸ' => out.push_str("ヰ゛"),
            'ヹ' => out.push_str("ヱ゛"),
            'ヺ' => out.push_str("ヲ゛"),
            other => out.push(other),
        }
    }
    run.clear();
}

fn is_accepted(ch: char) -> bool {
    if ch.is_ascii() {
        return ch.is_ascii_graphic() || ch == ' ';
    }
    if ch.is_control() {
        return false;
    }
    match shift_jis_bytes(ch) {
        Some(Encoded::Two(lead, trail)) => {
            matches!(jis_row(lead, trail), Some(1..=8 | 16..=84))
        }
        // Only printable ASCII may be a single byte, and that was handled above.
        Some(Encoded::One) | None => false,
    }
}

enum Encoded {
    One,
    Two(u8, u8),
}

/// The Shift_JIS encoding of one character, or `None` when it has none.
fn shift_jis_bytes(ch: char) -> Option<Encoded> {
    let mut utf8 = [0u8; 4];
    let mut bytes = [0u8; 8];
    let mut encoder = SHIFT_JIS.new_encoder();
    let (result, _read, written) =
        encoder.encode_from_utf8_without_replacement(ch.encode_utf8(&mut utf8), &mut bytes, true);
    match (result, written) {
        (EncoderResult::InputEmpty, 1) => Some(Encoded::One),
        (EncoderResult::InputEmpty, 2) => Some(Encoded::Two(bytes[0], bytes[1])),
        _ => None,
    }
}

/// The JIS row (区, 1–120) of a two-byte Shift_JIS code: each lead byte carries two rows, the
/// second of them for trail bytes from 0x9F on.
fn jis_row(lead: u8, trail: u8) -> Option<u8> {
    let pair = match lead {
        0x81..=0x9F => lead - 0x81,
        0xE0..=0xFC => lead - 0xC1,
        _ => return None,
    };
    Some(pair * 2 + 1 + u8::from(trail >= 0x9F))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(s: &str) -> Vec<char> {
        outside_jis0208(s).into_iter().map(|o| o.ch).collect()
    }

    #[test]
    fn rejects_machine_dependent_and_non_jis_characters() {
        for ch in ['①', '㈱', 'ｶ', '髙', '﨑', '\u{20BB7}', '№', 'Ⅰ', 'ⅰ', '∑'] {
            assert_eq!(rejected(&ch.to_string()), vec![ch], "{}", codepoint(ch));
        }
    }

    #[test]
    fn accepts_jis0208_and_ascii() {
        let text = "高崎吉漢字かなカナ「」、。ー ABC abc 123 -.()/　～∥－\u{2212}―￠￡￢＼堯熙亜弌";
        assert_eq!(outside_jis0208(text), vec![]);
        let ascii: String = (' '..='~').collect();
        assert_eq!(outside_jis0208(&ascii), vec![]);
    }

    #[test]
    fn rejects_control_characters() {
        for ch in ['\n', '\t', '\r', '\u{0}', '\u{7F}', '\u{80}', '\u{9F}'] {
            assert_eq!(rejected(&ch.to_string()), vec![ch], "{}", codepoint(ch));
        }
    }

    #[test]
    fn control_characters_but_line_feed_and_tab() {
        let found = control_chars("a\tb\nc\u{0}d\re\u{7f}\u{85}\u{9f}\u{a0}");
        let chars: Vec<(usize, char)> = found.iter().map(|o| (o.position, o.ch)).collect();
        assert_eq!(
            chars,
            vec![
                (6, '\u{0}'),
                (8, '\r'),
                (10, '\u{7f}'),
                (11, '\u{85}'),
                (12, '\u{9f}')
            ]
        );
    }

    #[test]
    fn rejects_characters_that_would_change_on_a_round_trip_or_are_unmappable() {
        // ¥ and ‾ would come back as \ and ~; the JIS standard mappings have no CP932 cell.
        for ch in ['¥', '‾', '〜', '‖', '¢', '£', '¬', 'é', '\u{3099}', 'ヷ'] {
            assert_eq!(rejected(&ch.to_string()), vec![ch], "{}", codepoint(ch));
        }
    }

    #[test]
    fn positions_are_one_based_character_indices() {
        let found = outside_jis0208("㈱髙橋商店①");
        assert_eq!(
            found,
            vec![
                Offending {
                    position: 1,
                    ch: '㈱'
                },
                Offending {
                    position: 2,
                    ch: '髙'
                },
                Offending {
                    position: 6,
                    ch: '①'
                },
            ]
        );
    }

    #[test]
    fn row_arithmetic_matches_known_cells() {
        assert_eq!(jis_row(0x81, 0x40), Some(1)); //
        assert_eq!(jis_row(0x81, 0x9F), Some(2)); // ◆
        assert_eq!(jis_row(0x84, 0xBE), Some(8)); // ╂
        assert_eq!(jis_row(0x87, 0x40), Some(13)); // ①
        assert_eq!(jis_row(0x88, 0x9F), Some(16)); // 亜
        assert_eq!(jis_row(0x98, 0x9F), Some(48)); // 弌
        assert_eq!(jis_row(0xEA, 0xA4), Some(84)); // 熙
        assert_eq!(jis_row(0xED, 0x40), Some(89));
        assert_eq!(jis_row(0xFC, 0x4B), Some(119));
        assert_eq!(jis_row(0xA0, 0x40), None);
    }

    #[test]
    fn codepoint_pads_to_four_digits_and_handles_astral_planes() {
        assert_eq!(codepoint('髙'), "U+9AD9");
        assert_eq!(codepoint('\u{20BB7}'), "U+20BB7");
        assert_eq!(codepoint('A'), "U+0041");
        assert_eq!(codepoint('\u{0}'), "U+0000");
    }

    #[test]
    fn fixes_halfwidth_katakana() {
        assert_eq!(fix_halfwidth_kana("ｶﾞｲｼｬ"), "ガイシャ");
        assert_eq!(fix_halfwidth_kana("ﾊﾟｿｺﾝ"), "パソコン");
        assert_eq!(fix_halfwidth_kana("ｰ｡｢｣､･"), "ー。「」、・");
        assert_eq!(fix_halfwidth_kana("ｳﾞｨ"), "ヴィ");
        assert_eq!(
            fix_halfwidth_kana("株式会社ｻﾝﾌﾟﾙ(ｶ)"),
            "株式会社サンプル(カ)"
        );
    }

    #[test]
    fn leaves_everything_else_alone() {
        assert_eq!(
            fix_halfwidth_kana("①ＡＢＣ㈱ABC 〜　髙"),
            "①ＡＢＣ㈱ABC 〜　髙"
        );
        // A combining mark that does not follow half-width katakana is not part of a run.
        assert_eq!(fix_halfwidth_kana("カ\u{3099}"), "カ\u{3099}");
        assert_eq!(fix_halfwidth_kana(""), "");
    }

    #[test]
    fn stray_sound_marks_become_spacing_marks() {
        assert_eq!(fix_halfwidth_kana("ｱﾞ"), "ア゛");
        assert_eq!(fix_halfwidth_kana("カﾞ"), "カ゛");
        assert_eq!(fix_halfwidth_kana("ﾟ"), "゜");
        assert_eq!(fix_halfwidth_kana("ﾜﾞ"), "ワ゛");
        assert_eq!(fix_halfwidth_kana("ｦﾞ"), "ヲ゛");
    }

    #[test]
    fn every_fixed_halfwidth_sequence_is_accepted() {
        for code in 0xFF61..=0xFF9F_u32 {
            let Some(ch) = char::from_u32(code) else {
                panic!("U+{code:04X} is a valid scalar value");
            };
            for text in [format!("{ch}"), format!("{ch}ﾞ"), format!("{ch}ﾟ")] {
                let fixed = fix_halfwidth_kana(&text);
                assert_eq!(outside_jis0208(&fixed), vec![], "{text} → {fixed}");
            }
        }
    }
}
