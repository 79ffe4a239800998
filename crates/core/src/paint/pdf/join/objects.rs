//! Writing parsed PDF objects (lopdf's [`Object`]) back as PDF syntax, with their references
//! renumbered: what the joined PDF is made of (see [`super`]). lopdf's own writer renders a
//! whole document in memory, which is exactly what the merge must not do.

use std::io::{self, Write};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

/// Writes `object` as PDF syntax, each reference through `renumber` (which returns the new object
/// number). A stream's `/Length` is written from its content, whatever the source said.
pub fn write_object(
    out: &mut impl Write,
    object: &Object,
    renumber: &mut impl FnMut(ObjectId) -> u32,
) -> io::Result<()> {
    match object {
        Object::Null => out.write_all(b"null"),
        Object::Boolean(b) => write!(out, "{b}"),
        Object::Integer(i) => write!(out, "{i}"),
        // Rust prints the shortest text that reads back as the same f32, never in exponent form.
        Object::Real(r) => write!(out, "{r}"),
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, StringFormat::Literal) => write_literal(out, bytes),
        Object::String(bytes, StringFormat::Hexadecimal) => write_hex(out, bytes),
        Object::Array(items) => {
            out.write_all(b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_all(b" ")?;
                }
                write_object(out, item, renumber)?;
            }
            out.write_all(b"]")
        }
        Object::Dictionary(dict) => write_dict(out, dict, None, renumber),
        Object::Stream(stream) => {
            write_dict(out, &stream.dict, Some(stream.content.len()), renumber)?;
            out.write_all(b"\nstream\n")?;
            out.write_all(&stream.content)?;
            out.write_all(b"\nendstream")
        }
        Object::Reference(id) => write!(out, "{} 0 R", renumber(*id)),
    }
}

/// A dictionary; with `length`, a stream's, whose `/Length` is that.
fn write_dict(
    out: &mut impl Write,
    dict: &Dictionary,
    length: Option<usize>,
    renumber: &mut impl FnMut(ObjectId) -> u32,
) -> io::Result<()> {
    out.write_all(b"<<")?;
    if let Some(length) = length {
        write!(out, "/Length {length}")?;
    }
    for (key, value) in dict.iter() {
        if length.is_some() && key.as_slice() == b"Length" {
            continue;
        }
        write_name(out, key)?;
        out.write_all(b" ")?;
        write_object(out, value, renumber)?;
    }
    out.write_all(b">>")
}

/// A name, with `#xx` for every byte that cannot stand in one as it is.
pub fn write_name(out: &mut impl Write, name: &[u8]) -> io::Result<()> {
    out.write_all(b"/")?;
    for &b in name {
        if (0x21..=0x7e).contains(&b) && !b"#()<>[]{}/%".contains(&b) {
            out.write_all(&[b])?;
        } else {
            write!(out, "#{b:02X}")?;
        }
    }
    Ok(())
}

/// A literal string: backslash, parentheses and carriage returns escaped, the rest as it is.
fn write_literal(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(b"(")?;
    for &b in bytes {
        match b {
            b'\\' | b'(' | b')' => out.write_all(&[b'\\', b])?,
            b'\r' => out.write_all(b"\\r")?,
            _ => out.write_all(&[b])?,
        }
    }
    out.write_all(b")")
}

pub fn write_hex(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(b"<")?;
    for b in bytes {
        write!(out, "{b:02X}")?;
    }
    out.write_all(b">")
}

/// A text string (an outline title): UTF-16BE with a byte order mark, which any reader decodes.
pub fn write_text(out: &mut impl Write, text: &str) -> io::Result<()> {
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    write_hex(out, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(object: &Object) -> String {
        let mut out = Vec::new();
        write_object(&mut out, object, &mut |(n, _)| n + 100).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn objects_read_back_as_written() {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Font".to_vec()));
        dict.set("BaseFont", Object::Name(b"AB+Mincho Bold#1".to_vec()));
        dict.set(
            "W",
            Object::Array(vec![
                Object::Integer(-3),
                Object::Real(595.27563),
                Object::Real(1.0),
                Object::Boolean(true),
                Object::Null,
            ]),
        );
        dict.set("Parent", Object::Reference((7, 0)));
        dict.set("T", Object::string_literal(b"a(b)\\c\rd".to_vec()));
        dict.set(
            "H",
            Object::String(vec![0xfe, 0xff, 0, 0x41], StringFormat::Hexadecimal),
        );
        assert_eq!(
            text(&Object::Dictionary(dict)),
            "<</Type /Font/BaseFont /AB+Mincho#20Bold#231/W [-3 595.27563 1 true null]\
             /Parent 107 0 R/T (a\\(b\\)\\\\c\\rd)/H <FEFF0041>>>"
        );
    }

    #[test]
    fn a_stream_gets_its_true_length() {
        let mut dict = Dictionary::new();
        dict.set("Length", Object::Reference((9, 0)));
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let stream = lopdf::Stream::new(dict, b"abc".to_vec());
        assert_eq!(
            text(&Object::Stream(stream)),
            "<</Length 3/Filter /FlateDecode>>\nstream\nabc\nendstream"
        );
    }

    #[test]
    fn titles_are_utf16_with_a_byte_order_mark() {
        let mut out = Vec::new();
        write_text(&mut out, "株A").unwrap();
        assert_eq!(out, b"<FEFF682A0041>");
    }
}
