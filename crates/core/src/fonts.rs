//! The fonts a document may use: the bundled BIZ UD Mincho, then an optional user fallback.
//!
//! Parsed once and shared (cheap clones, `Send + Sync`), because batch rendering draws thousands of
//! documents from the same faces. ab_glyph answers "which glyph, how wide"; krilla embeds the face.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use ab_glyph::{Font as _, FontArc};

use crate::error::Error;

/// BIZ UD Mincho, compiled in so that a bare binary renders the official look (SIL OFL 1.1, see
/// `fonts/OFL.txt`). The build script removes its hinting, which PDF viewers ignore, to make every
/// embedded subset smaller and quicker to write; outlines and metrics are untouched.
static BUNDLED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/BIZUDMincho-Regular.ttf"));

/// The bundled font as embedded: `fonts/BIZUDMincho-Regular.ttf` without its hinting.
pub fn bundled_font_data() -> &'static [u8] {
    BUNDLED
}

/// One font face, ready for measuring and for embedding.
#[derive(Clone)]
pub struct Face {
    measure: FontArc,
    embed: krilla::text::Font,
    /// The font file, for what ab_glyph does not read (variation sequences).
    data: krilla::Data,
    units_per_em: f32,
}

impl Face {
    fn new(measure: FontArc, embed: krilla::text::Font, data: krilla::Data) -> Self {
        let units_per_em = measure.units_per_em().unwrap_or(1000.0);
        Face {
            measure,
            embed,
            data,
            units_per_em,
        }
    }

    /// The glyph of `base` followed by `selector`, when this face's `cmap` (format 14) maps the
    /// sequence. Parsed per call: variation sequences are rare, and the hot path never asks.
    fn variant(&self, base: char, selector: char) -> Option<u16> {
        let face = ttf_parser::Face::parse(self.data.as_ref(), 0).ok()?;
        let id = face.glyph_variation_index(base, selector)?;
        (id.0 != 0).then_some(id.0)
    }

    /// The face as krilla embeds it.
    pub fn embed(&self) -> &krilla::text::Font {
        &self.embed
    }
}

/// A character that no font can draw, or a character and the variation selector after it (an
/// 異体字) that no font maps; the caller knows which field it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingGlyph(pub char, pub Option<char>);

/// Variation selectors: the standardized ones (U+FE00–U+FE0F) and the ideographic ones
/// (U+E0100–U+E01EF) that pick a registered 異体字 of the character before them.
pub fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// A glyph chosen for a character: which face, which glyph, how far it advances (in em).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlyphChoice {
    pub face: u8,
    pub glyph: u16,
    pub advance_em: f32,
}

/// The primary face's answer for every BMP character, filled in as characters are met.
///
/// A form looks up each character several times (checking, measuring, breaking, drawing) and
/// batch threads share one font set, so the answer is kept in a lock-free table: an entry is 0
/// while unknown, else `KNOWN | advance << 16 | glyph`, with glyph 0 meaning "not in this face".
/// Racing threads store the same value, so relaxed ordering is enough.
struct PrimaryCache {
    entries: Box<[AtomicU32]>,
}

const KNOWN: u32 = 1 << 31;

impl PrimaryCache {
    fn new() -> Self {
        PrimaryCache {
            entries: (0..=u16::MAX).map(|_| AtomicU32::new(0)).collect(),
        }
    }

    /// The primary face's glyph and advance (font units) for `c`; glyph 0 when it lacks `c`.
    fn lookup(&self, face: &Face, c: char) -> (u16, u16) {
        let compute = || {
            let id = face.measure.glyph_id(c);
            (id.0, face.measure.h_advance_unscaled(id) as u16)
        };
        let Some(entry) = self.entries.get(c as usize) else {
            return compute();
        };
        let value = entry.load(Ordering::Relaxed);
        if value & KNOWN != 0 {
            return (value as u16, ((value & !KNOWN) >> 16) as u16);
        }
        let (glyph, advance) = compute();
        if advance < 1 << 15 {
            entry.store(
                KNOWN | u32::from(advance) << 16 | u32::from(glyph),
                Ordering::Relaxed,
            );
        }
        (glyph, advance)
    }
}

/// The faces in order of preference: a character is drawn with the first face that has it.
#[derive(Clone)]
pub struct FontSet {
    faces: Arc<Vec<Face>>,
    primary: Arc<PrimaryCache>,
    ascent_em: f32,
    descent_em: f32,
}

impl FontSet {
    /// The bundled BIZ UD Mincho alone.
    #[expect(
        clippy::expect_used,
        reason = "compiled-in font, parsed by the tests: a failure is a defect of the build"
    )]
    pub fn bundled() -> FontSet {
        let measure = FontArc::try_from_slice(BUNDLED).expect("bundled font parses");
        let data: krilla::Data = BUNDLED.into();
        let embed = krilla::text::Font::new(data.clone(), 0).expect("bundled font parses");
        let face = Face::new(measure, embed, data);
        let ascent_em = face.measure.ascent_unscaled() / face.units_per_em;
        let descent_em = -face.measure.descent_unscaled() / face.units_per_em;
        FontSet {
            faces: Arc::new(vec![face]),
            primary: Arc::new(PrimaryCache::new()),
            ascent_em,
            descent_em,
        }
    }

    /// The bundled font followed by a user-supplied TTF/OTF for characters it lacks (𠮷 …), as
    /// bytes the host read; `name` (its file) is used in messages only.
    pub fn with_fallback(bytes: Vec<u8>, name: &str) -> Result<FontSet, Error> {
        Self::bundled().add_face(bytes, name)
    }

    /// Adds a face from raw bytes; `name` is used in messages only.
    pub fn add_face(&self, bytes: Vec<u8>, name: &str) -> Result<FontSet, Error> {
        let bad = || Error::Font {
            path: name.to_string(),
            message: "TrueType/OpenType フォントとして読み込めません".to_string(),
        };
        let measure = FontArc::try_from_vec(bytes.clone()).map_err(|_| bad())?;
        let data: krilla::Data = bytes.into();
        let embed = krilla::text::Font::new(data.clone(), 0).ok_or_else(bad)?;
        let mut faces = (*self.faces).clone();
        faces.push(Face::new(measure, embed, data));
        Ok(FontSet {
            faces: Arc::new(faces),
            primary: self.primary.clone(),
            ascent_em: self.ascent_em,
            descent_em: self.descent_em,
        })
    }

    /// The faces, in order of preference.
    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    /// Height above the baseline, in em, of the primary face.
    pub fn ascent_em(&self) -> f32 {
        self.ascent_em
    }

    /// Depth below the baseline, in em (positive), of the primary face.
    pub fn descent_em(&self) -> f32 {
        self.descent_em
    }

    /// The glyph for `c` from the first face that has one; `None` when no face has it.
    pub fn glyph(&self, c: char) -> Option<GlyphChoice> {
        let primary = &self.faces[0];
        let (glyph, advance) = self.primary.lookup(primary, c);
        if glyph != 0 {
            return Some(GlyphChoice {
                face: 0,
                glyph,
                advance_em: f32::from(advance) / primary.units_per_em,
            });
        }
        self.faces.iter().enumerate().skip(1).find_map(|(i, face)| {
            let id = face.measure.glyph_id(c);
            (id.0 != 0).then(|| GlyphChoice {
                face: i as u8,
                glyph: id.0,
                advance_em: face.measure.h_advance_unscaled(id) / face.units_per_em,
            })
        })
    }

    /// The glyph of `base` followed by `selector` (an 異体字 such as 辻󠄀, U+8FBB U+E0100) from the
    /// first face that maps the sequence.
    pub fn variant_glyph(&self, base: char, selector: char) -> Option<GlyphChoice> {
        self.faces.iter().enumerate().find_map(|(i, face)| {
            let glyph = face.variant(base, selector)?;
            Some(GlyphChoice {
                face: i as u8,
                glyph,
                advance_em: face.measure.h_advance_unscaled(ab_glyph::GlyphId(glyph))
                    / face.units_per_em,
            })
        })
    }

    /// What draws each character of `text`, in order: its glyph, or `None` for a variation
    /// selector, which is drawn as part of the character before it (with that sequence's glyph).
    pub fn glyphs_of(&self, text: &str) -> Result<Vec<Option<GlyphChoice>>, MissingGlyph> {
        let mut out = Vec::with_capacity(text.len() / 3 + 1);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match chars.peek().copied().filter(|&n| is_variation_selector(n)) {
                Some(selector) => {
                    chars.next();
                    let glyph = self
                        .variant_glyph(c, selector)
                        .ok_or(MissingGlyph(c, Some(selector)))?;
                    out.extend([Some(glyph), None]);
                }
                None => out.push(Some(self.glyph(c).ok_or(MissingGlyph(c, None))?)),
            }
        }
        Ok(out)
    }

    /// What no face can draw in `s`, each once, in order of appearance: characters, and
    /// variation sequences no face maps. Line breaks and tabs are layout, never drawn.
    pub fn missing_chars(&self, s: &str) -> Vec<MissingGlyph> {
        let mut missing: Vec<MissingGlyph> = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let selector = chars.peek().copied().filter(|&n| is_variation_selector(n));
            let drawn = match selector {
                Some(selector) => {
                    chars.next();
                    self.variant_glyph(c, selector).is_some()
                }
                None => crate::model::charset::is_layout(c) || self.glyph(c).is_some(),
            };
            let m = MissingGlyph(c, selector);
            if !drawn && !missing.contains(&m) {
                missing.push(m);
            }
        }
        missing
    }

    /// The width of `s` in points at `size`, counting missing characters as one em.
    pub fn width(&self, s: &str, size: f32) -> f32 {
        match self.glyphs_of(s) {
            Ok(glyphs) => glyphs.iter().flatten().map(|g| g.advance_em).sum::<f32>() * size,
            Err(_) => {
                s.chars()
                    .map(|c| self.glyph(c).map_or(1.0, |g| g.advance_em))
                    .sum::<f32>()
                    * size
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_metrics_match_the_measured_facts() {
        let fonts = FontSet::bundled();
        assert_eq!(fonts.glyph('情').map(|g| g.advance_em), Some(1.0));
        assert_eq!(fonts.glyph('A').map(|g| g.advance_em), Some(0.5));
        assert!(fonts.glyph('髙').is_some() && fonts.glyph('﨑').is_some());
        assert_eq!(
            fonts.missing_chars("𠮷野家\n"),
            vec![MissingGlyph('𠮷', None)]
        );
        assert!(fonts.ascent_em() > 0.5 && fonts.descent_em() > 0.0);
    }

    /// 異体字 as names are registered: BIZ UD Mincho's cmap format 14 maps them, to a glyph of
    /// their own where the font draws the variant differently.
    #[test]
    fn variation_sequences_take_the_fonts_variant_glyph() {
        let fonts = FontSet::bundled();
        for (base, selector) in [('辻', '\u{E0100}'), ('葛', '\u{E0100}')] {
            let variant = fonts.variant_glyph(base, selector).expect("mapped");
            let plain = fonts.glyph(base).unwrap();
            assert_ne!(variant.glyph, plain.glyph, "{base}: a glyph of its own");
            assert_eq!(variant.advance_em, 1.0);
            let glyphs = fonts.glyphs_of(&format!("{base}{selector}城")).unwrap();
            assert_eq!(glyphs.len(), 3);
            assert_eq!(glyphs[0], Some(variant));
            assert_eq!(glyphs[1], None, "the selector is drawn with its base");
            assert!(fonts.missing_chars(&format!("{base}{selector}")).is_empty());
        }
        // A selector the font does not map for this character: named as the sequence.
        assert_eq!(
            fonts.missing_chars("葛\u{E01EE}"),
            vec![MissingGlyph('葛', Some('\u{E01EE}'))]
        );
        assert!(fonts.glyphs_of("葛\u{E01EE}").is_err());
    }

    #[test]
    fn cached_answers_equal_the_fonts_own_whether_first_or_again() {
        let fonts = FontSet::bundled();
        let face = &fonts.faces()[0];
        for c in "情報セキュリティ（確認）、。ABC 1a﨑髙𠮟𠮷\u{FFFF}".chars() {
            let direct = {
                let id = face.measure.glyph_id(c);
                (id.0 != 0).then(|| {
                    (
                        id.0,
                        face.measure.h_advance_unscaled(id) / face.units_per_em,
                    )
                })
            };
            for _ in 0..2 {
                let got = fonts.glyph(c).map(|g| (g.glyph, g.advance_em));
                assert_eq!(got, direct, "{c:?}");
            }
        }
    }
}
