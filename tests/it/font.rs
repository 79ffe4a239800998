//! The bundled font is BIZ UD Mincho as shipped in `fonts/`, minus its hinting: the same outline,
//! advance and character mapping for every glyph, and no hinting left in what a PDF embeds.

use crate::common;

use ab_glyph::{Font, FontRef, GlyphId};

fn original() -> Vec<u8> {
    std::fs::read(common::root().join("fonts/BIZUDMincho-Regular.ttf")).expect("shipped font")
}

/// The table tags of a TrueType file, from its directory.
fn tables(font: &[u8]) -> Vec<String> {
    let count = u16::from_be_bytes([font[4], font[5]]) as usize;
    (0..count)
        .map(|i| String::from_utf8_lossy(&font[12 + 16 * i..16 + 16 * i]).into_owned())
        .collect()
}

/// Where a table's bytes are in the file, found through the directory.
fn table_range(font: &[u8], tag: &str) -> std::ops::Range<usize> {
    let at = tables(font)
        .iter()
        .position(|t| t == tag)
        .expect("table present");
    let word = |i: usize| u32::from_be_bytes(font[i..i + 4].try_into().unwrap()) as usize;
    let (offset, len) = (word(12 + 16 * at + 8), word(12 + 16 * at + 12));
    offset..offset + len
}

/// A table's bytes.
fn table<'a>(font: &'a [u8], tag: &str) -> &'a [u8] {
    &font[table_range(font, tag)]
}

/// How many bytes of instructions the simple glyphs of a TrueType font carry, in all.
fn instruction_bytes(font: &[u8]) -> usize {
    let be16 = |d: &[u8], i: usize| u16::from_be_bytes([d[i], d[i + 1]]) as usize;
    let (head, maxp, loca, glyf) = (
        table(font, "head"),
        table(font, "maxp"),
        table(font, "loca"),
        table(font, "glyf"),
    );
    let long = be16(head, 50) != 0;
    let offset = |i: usize| {
        if long {
            u32::from_be_bytes(loca[4 * i..4 * i + 4].try_into().unwrap()) as usize
        } else {
            2 * be16(loca, 2 * i)
        }
    };
    (0..be16(maxp, 4))
        .filter(|&g| offset(g + 1) > offset(g))
        .map(|g| {
            let glyph = &glyf[offset(g)..];
            let contours = be16(glyph, 0) as i16;
            assert!(contours >= 0, "BIZ UD Mincho has no composite glyphs");
            be16(glyph, 10 + 2 * contours as usize)
        })
        .sum()
}

#[test]
fn every_glyph_keeps_its_outline_advance_and_mapping() {
    let original = original();
    let shipped = FontRef::try_from_slice(&original).expect("shipped font parses");
    let bundled =
        FontRef::try_from_slice(secform::fonts::bundled_font_data()).expect("bundled font parses");
    assert_eq!(bundled.glyph_count(), shipped.glyph_count());
    let mut outlined = 0;
    for id in 0..shipped.glyph_count() as u16 {
        let id = GlyphId(id);
        let (a, b) = (shipped.outline(id), bundled.outline(id));
        // OutlineCurve has no PartialEq; its Debug form spells out every point exactly.
        let form = |o: &Option<ab_glyph::Outline>| format!("{o:?}");
        assert_eq!(form(&a), form(&b), "outline of glyph {id:?}");
        outlined += usize::from(a.is_some());
        assert_eq!(
            shipped.h_advance_unscaled(id),
            bundled.h_advance_unscaled(id)
        );
        assert_eq!(
            shipped.v_advance_unscaled(id),
            bundled.v_advance_unscaled(id)
        );
    }
    assert!(outlined > 10_000, "only {outlined} outlines compared");
    let map = |f: &FontRef| f.codepoint_ids().map(|(g, c)| (c, g.0)).collect::<Vec<_>>();
    assert_eq!(map(&shipped), map(&bundled));
}

#[test]
fn hinting_is_gone_from_the_bundled_font_and_from_the_embedded_subset() {
    let hinting = ["fpgm", "prep", "cvt "];
    assert!(hinting
        .iter()
        .all(|t| tables(&original()).contains(&t.to_string())));
    let bundled = tables(secform::fonts::bundled_font_data());
    assert!(bundled.contains(&"glyf".to_string()));
    assert!(
        hinting.iter().all(|t| !bundled.contains(&t.to_string())),
        "{bundled:?}"
    );

    let pdf = common::render(&common::sample("main-contractor.json"));
    let doc = lopdf::Document::load_mem(&pdf).expect("PDF parses");
    let mut embedded = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        let Ok(file) = dict.get(b"FontFile2").and_then(|f| f.as_reference()) else {
            continue;
        };
        let stream = doc
            .get_object(file)
            .and_then(|o| o.as_stream())
            .expect("font stream");
        let data = stream.decompressed_content().expect("font stream inflates");
        let subset = tables(&data);
        assert!(subset.contains(&"glyf".to_string()));
        assert!(
            hinting.iter().all(|t| !subset.contains(&t.to_string())),
            "{subset:?}"
        );
        let instructions = instruction_bytes(&data);
        assert_eq!(instructions, 0, "instruction bytes left in the subset");
        embedded += 1;
    }
    assert_eq!(embedded, 1);
}

/// Checks that every embedded TrueType font's FontBBox is the box of its glyphs as a viewer
/// draws them, and returns how many fonts it checked. The vendored krilla reads the box from the
/// `glyf` headers instead of drawing each outline (vendor/README.md); this computes it from the
/// outlines' points, each glyph moved so that its left edge falls on its left side bearing (what
/// FreeType and krilla's own drawing do).
fn check_font_bboxes(pdf: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let mut checked = 0;
    for object in doc.objects.values() {
        let Ok(descriptor) = object.as_dict() else {
            continue;
        };
        let Ok(file) = descriptor.get(b"FontFile2").and_then(|f| f.as_reference()) else {
            continue;
        };
        let data = doc
            .get_object(file)
            .and_then(|o| o.as_stream())
            .and_then(|s| s.decompressed_content())
            .expect("font stream inflates");
        let subset = FontRef::try_from_slice(&data).expect("subset parses");
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for id in 0..subset.glyph_count() as u16 {
            let Some(outline) = subset.outline(GlyphId(id)) else {
                continue;
            };
            let points: Vec<_> = outline
                .curves
                .iter()
                .flat_map(|curve| match curve {
                    ab_glyph::OutlineCurve::Line(a, b) => vec![*a, *b],
                    ab_glyph::OutlineCurve::Quad(a, b, c) => vec![*a, *b, *c],
                    ab_glyph::OutlineCurve::Cubic(a, b, c, d) => vec![*a, *b, *c, *d],
                })
                .collect();
            let left = points.iter().map(|p| p.x).fold(f32::MAX, f32::min);
            let shift = subset.h_side_bearing_unscaled(GlyphId(id)) - left;
            for p in points {
                lo = [lo[0].min(p.x + shift), lo[1].min(p.y)];
                hi = [hi[0].max(p.x + shift), hi[1].max(p.y)];
            }
        }
        let em = subset.units_per_em().expect("units per em");
        let expected = [lo[0], lo[1], hi[0], hi[1]].map(|v| v * 1000.0 / em);
        let declared: Vec<f32> = descriptor
            .get(b"FontBBox")
            .and_then(|b| b.as_array())
            .expect("FontBBox")
            .iter()
            .map(|n| n.as_float().expect("number"))
            .collect();
        assert_eq!(declared.len(), 4);
        for (d, e) in declared.iter().zip(expected) {
            assert!(
                (d - e).abs() < 0.01,
                "FontBBox {declared:?}, outlines {expected:?}"
            );
        }
        checked += 1;
    }
    checked
}

#[test]
fn the_font_bbox_is_the_box_of_the_embedded_outlines() {
    let pdf = common::render(&common::sample("main-contractor.json"));
    assert_eq!(check_font_bboxes(&pdf), 1);
}

/// A user's `--fallback-font` may place a glyph's outline elsewhere than its left side bearing
/// says; a viewer draws it at the side bearing, and the FontBBox must follow. The test font's one
/// glyph, a square from x = 100, gets a side bearing of 300 here.
#[test]
fn the_font_bbox_follows_a_fallback_glyphs_side_bearing() {
    let mut font =
        std::fs::read(common::root().join("tests/fixtures/fallback-test.ttf")).expect("test font");
    let hhea = table(&font, "hhea");
    let long_metrics = u16::from_be_bytes([hhea[34], hhea[35]]);
    // Glyph 1's left side bearing: in its long metric (after the advance), or in the list of
    // bearings that follows the long metrics.
    let hmtx = table_range(&font, "hmtx").start;
    let lsb = match long_metrics {
        0 => panic!("no long metrics"),
        1 => hmtx + 4,
        _ => hmtx + 4 + 2,
    };
    assert_eq!(i16::from_be_bytes([font[lsb], font[lsb + 1]]), 100);
    font[lsb..lsb + 2].copy_from_slice(&300i16.to_be_bytes());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("moved.ttf");
    std::fs::write(&path, &font).expect("write font");

    let renderer = secform::Renderer::new(secform::files::fallback_font(&path).expect("font"));
    let mut answers = common::sample("main-contractor.json");
    answers["target"]["company"] = serde_json::json!("株式会社𠮷野家");
    let pdf = renderer
        .render_json(&answers.to_string(), &common::opts())
        .expect("renders");
    assert_eq!(check_font_bboxes(&pdf), 2);
}
