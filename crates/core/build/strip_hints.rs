//! Removes TrueType hinting from a font, leaving every outline, metric and mapping as it was.
//!
//! Hinting is bytecode that snaps outlines to a low-resolution pixel grid. Most PDF viewers draw
//! without it and print does not need it, yet the instructions and the `fpgm`/`prep`/`cvt `
//! programs made up a sixth of every embedded subset and of the time spent compressing it.
//! This runs at build time on the unmodified font shipped in `fonts/`; a test compares every glyph's
//! outline and advance with the original.

/// Tables that only serve hinting (or would be invalidated by rewriting `glyf`, as `DSIG` is).
const DROPPED: [&[u8; 4]; 7] = [
    b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX", b"DSIG",
];

/// Why a font could not be rewritten.
#[derive(Debug)]
pub struct Malformed(pub &'static str);

fn u16_at(d: &[u8], at: usize) -> Result<u16, Malformed> {
    d.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or(Malformed("truncated"))
}

fn u32_at(d: &[u8], at: usize) -> Result<u32, Malformed> {
    d.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or(Malformed("truncated"))
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A glyph without instructions: the same contours, points and components, byte for byte.
fn strip_glyph(g: &[u8]) -> Result<Vec<u8>, Malformed> {
    if g.is_empty() {
        return Ok(Vec::new());
    }
    let contours = u16_at(g, 0)? as i16;
    if contours >= 0 {
        let n = contours as usize;
        let ends = 10;
        let instr_len_at = ends + 2 * n;
        let points = if n == 0 {
            0
        } else {
            u16_at(g, instr_len_at - 2)? as usize + 1
        };
        let flags_at = instr_len_at + 2 + u16_at(g, instr_len_at)? as usize;
        // Walk the flags to find where the coordinates end, so the old padding is not carried.
        let (mut at, mut read, mut x_bytes, mut y_bytes) = (flags_at, 0, 0, 0);
        while read < points {
            let flag = *g.get(at).ok_or(Malformed("flags"))?;
            at += 1;
            let repeat = if flag & 0x08 != 0 {
                at += 1;
                *g.get(at - 1).ok_or(Malformed("flags"))? as usize + 1
            } else {
                1
            };
            let x = if flag & 0x02 != 0 {
                1
            } else if flag & 0x10 != 0 {
                0
            } else {
                2
            };
            let y = if flag & 0x04 != 0 {
                1
            } else if flag & 0x20 != 0 {
                0
            } else {
                2
            };
            x_bytes += x * repeat;
            y_bytes += y * repeat;
            read += repeat;
        }
        let end = at + x_bytes + y_bytes;
        if end > g.len() {
            return Err(Malformed("coordinates"));
        }
        let mut out = Vec::with_capacity(end);
        out.extend_from_slice(&g[..instr_len_at]);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&g[flags_at..end]);
        Ok(out)
    } else {
        let mut out = g.to_vec();
        let mut at = 10;
        loop {
            let flags = u16_at(g, at)?;
            // WE_HAVE_INSTRUCTIONS off: the instructions after the last component are dropped.
            out[at..at + 2].copy_from_slice(&(flags & !0x0100).to_be_bytes());
            at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
            at += if flags & 0x0008 != 0 {
                2
            } else if flags & 0x0040 != 0 {
                4
            } else if flags & 0x0080 != 0 {
                8
            } else {
                0
            };
            if flags & 0x0020 == 0 {
                break;
            }
        }
        if at > g.len() {
            return Err(Malformed("components"));
        }
        out.truncate(at);
        Ok(out)
    }
}

/// The font without hinting, or why it could not be read. Collections and CFF fonts are refused.
pub fn strip_hints(font: &[u8]) -> Result<Vec<u8>, Malformed> {
    if u32_at(font, 0)? != 0x0001_0000 {
        return Err(Malformed("not a TrueType font"));
    }
    let count = u16_at(font, 4)? as usize;
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(count);
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font
            .get(rec..rec + 4)
            .and_then(|t| t.try_into().ok())
            .ok_or(Malformed("directory"))?;
        let offset = u32_at(font, rec + 8)? as usize;
        let len = u32_at(font, rec + 12)? as usize;
        let data = font.get(offset..offset + len).ok_or(Malformed("table"))?;
        if !DROPPED.contains(&&tag) {
            tables.push((tag, data.to_vec()));
        }
    }
    let find = |tag: &[u8; 4]| tables.iter().position(|(t, _)| t == tag);
    let (head, maxp, loca, glyf) =
        match (find(b"head"), find(b"maxp"), find(b"loca"), find(b"glyf")) {
            (Some(h), Some(m), Some(l), Some(g)) => (h, m, l, g),
            _ => return Err(Malformed("missing head, maxp, loca or glyf")),
        };
    let glyphs = u16_at(&tables[maxp].1, 4)? as usize;
    let long = u16_at(&tables[head].1, 50)? != 0;
    let offset = |i: usize| -> Result<usize, Malformed> {
        let l = &tables[loca].1;
        Ok(if long {
            u32_at(l, 4 * i)? as usize
        } else {
            2 * u16_at(l, 2 * i)? as usize
        })
    };
    let mut new_glyf = Vec::with_capacity(tables[glyf].1.len());
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for i in 0..glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let (start, end) = (offset(i)?, offset(i + 1)?);
        let g = tables[glyf].1.get(start..end).ok_or(Malformed("loca"))?;
        new_glyf.extend(strip_glyph(g)?);
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    tables[glyf].1 = new_glyf;
    tables[loca].1 = new_loca;
    // Long offsets; no instructions, zones or twilight points any more.
    tables[head].1[50..52].copy_from_slice(&1u16.to_be_bytes());
    tables[head].1[8..12].copy_from_slice(&[0; 4]);
    if u32_at(&tables[maxp].1, 0)? == 0x0001_0000 && tables[maxp].1.len() >= 28 {
        let m = &mut tables[maxp].1;
        m[14..16].copy_from_slice(&1u16.to_be_bytes());
        m[16..28].fill(0);
    }

    let n = tables.len();
    let entry_selector = (usize::BITS - 1 - n.leading_zeros()) as u16;
    let search_range = 16u16 << entry_selector;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&(n as u16).to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&entry_selector.to_be_bytes());
    out.extend_from_slice(&(16 * n as u16 - search_range).to_be_bytes());
    let mut at = 12 + 16 * n;
    let mut body = Vec::new();
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(at as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        body.extend_from_slice(data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        at = 12 + 16 * n + body.len();
    }
    out.extend(body);
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    let head_at = u32_at(&out, 12 + 16 * head + 8)? as usize;
    out[head_at + 8..head_at + 12].copy_from_slice(&adjustment.to_be_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simple_glyph_keeps_its_points_and_loses_instructions_and_padding() {
        let mut g = vec![0, 1, 0, 0, 0, 0, 0, 10, 0, 10]; // one contour, bbox
        g.extend([0, 2]); // last point index: three points
        g.extend([0, 3, 0xB0, 0x01, 0x02]); // three bytes of instructions
                                            // flags: on-curve with short x and short y, repeated three times; then a word-sized x/y
                                            // would be 2 bytes, so the coordinates are 3 bytes of x and 3 bytes of y.
        g.extend([0x01 | 0x02 | 0x04 | 0x08, 2]);
        g.extend([1, 2, 3, 4, 5, 6]);
        g.extend([0, 0, 0]); // padding left by the font's own alignment
        let out = strip_glyph(&g).expect("well formed");
        let mut expected = g[..12].to_vec();
        expected.extend([0, 0]);
        expected.extend([0x0F, 2, 1, 2, 3, 4, 5, 6]);
        assert_eq!(out, expected);
    }

    #[test]
    fn a_composite_glyph_keeps_its_components_and_drops_trailing_instructions() {
        let mut g = vec![0xFF, 0xFF, 0, 0, 0, 0, 0, 10, 0, 10];
        // First component: word arguments, a scale, more components follow.
        g.extend([0x00, 0x01 | 0x08 | 0x20, 0, 5, 0, 1, 0, 2, 0x40, 0x00]);
        // Last component: byte arguments, instructions follow.
        g.extend([0x01, 0x00, 0, 6, 3, 4]);
        g.extend([0, 2, 0xB0, 0x01]);
        let out = strip_glyph(&g).expect("well formed");
        let mut expected = g[..26].to_vec();
        expected[20] = 0x00; // WE_HAVE_INSTRUCTIONS cleared
        assert_eq!(out, expected);
    }

    #[test]
    fn truncated_glyphs_and_other_formats_are_refused() {
        assert!(strip_glyph(&[0, 1, 0, 0, 0, 0, 0, 10, 0, 10, 0, 2, 0, 0, 0x01]).is_err());
        let cff = strip_hints(b"OTTO\0\0\0\0").expect_err("CFF refused");
        assert_eq!(cff.0, "not a TrueType font");
        assert!(strip_hints(b"").is_err());
        assert_eq!(strip_glyph(&[]).expect("empty glyph"), Vec::<u8>::new());
    }
}
