//! Object streams and the cross-reference stream of the merged file (PDF 1.5, allowed by
//! PDF/A-2).
//!
//! Why: most objects of a tagged form are small dictionaries — its structure tree, about 150
//! elements — which krilla writes one by one, uncompressed. Copied that way, they made a merged
//! file four times the size of the untagged one. The joiner packs every copied object that
//! is not a stream into object streams of [`MAX_OBJECTS`], deflated, and ends the file with a
//! cross-reference stream, which can point into them.

use std::io::{self, Write};

/// Marks an offset table entry as "in an object stream": the stream's number and the object's
/// index within it are packed below this bit (see [`location`]).
pub(super) const IN_STREAM: u64 = 1 << 63;

/// Objects an object stream holds; readers load a whole stream to get one of its objects.
const MAX_OBJECTS: usize = 200;

/// The packed location of the `index`-th object of object stream `stream`.
fn location(stream: u32, index: usize) -> u64 {
    IN_STREAM | (u64::from(stream) << 16) | index as u64
}

/// Objects waiting to be written as one object stream.
#[derive(Default)]
pub(super) struct Packer {
    numbers: Vec<u32>,
    /// Where each object's body starts in `body`.
    starts: Vec<usize>,
    body: Vec<u8>,
}

impl Packer {
    /// Adds object `number`, written by `write` (a direct object: never a stream).
    pub(super) fn push(
        &mut self,
        number: u32,
        write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        self.numbers.push(number);
        self.starts.push(self.body.len());
        write(&mut self.body)?;
        self.body.push(b'\n');
        Ok(())
    }

    pub(super) fn is_full(&self) -> bool {
        self.numbers.len() >= MAX_OBJECTS
    }

    pub(super) fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// Writes the objects held as object stream `stream` to `out` and empties the packer; gives
    /// each object's number with its location, for the cross-reference stream.
    pub(super) fn flush(
        &mut self,
        out: &mut impl Write,
        stream: u32,
    ) -> io::Result<Vec<(u32, u64)>> {
        let mut header = String::new();
        for (number, start) in self.numbers.iter().zip(&self.starts) {
            header.push_str(&format!("{number} {start} "));
        }
        let mut content = header.into_bytes();
        let first = content.len();
        content.extend_from_slice(&self.body);
        let packed = deflate(&content);
        write!(
            out,
            "{stream} 0 obj\n<</Type /ObjStm/N {}/First {first}/Filter /FlateDecode/Length {}>>\nstream\n",
            self.numbers.len(),
            packed.len()
        )?;
        out.write_all(&packed)?;
        out.write_all(b"\nendstream\nendobj\n")?;
        let located = self
            .numbers
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, location(stream, i)))
            .collect();
        self.numbers.clear();
        self.starts.clear();
        self.body.clear();
        Ok(located)
    }
}

/// The cross-reference stream, object `own`, for the objects at `offsets` (by number; entry 0 is
/// the free head; an entry with [`IN_STREAM`] is in an object stream). `trailer` holds the
/// trailer's other entries (`/Root`, `/Info`, `/ID`). Refused (`None`) when an object was never
/// written, its number given.
pub(super) fn xref_stream(offsets: &[u64], own: u32, trailer: &str) -> Result<Vec<u8>, u32> {
    // Type (1 byte), offset or object stream (5 bytes: up to 1 TB), generation or index (2 bytes).
    let mut rows = Vec::with_capacity(offsets.len() * 8);
    for (number, &offset) in offsets.iter().enumerate() {
        let (kind, field, index) = match offset {
            _ if number == 0 => (0u8, 0u64, 0xFFFFu16),
            0 => return Err(number as u32),
            o if o & IN_STREAM != 0 => (2, (o & !IN_STREAM) >> 16, (o & 0xFFFF) as u16),
            o => (1, o, 0),
        };
        rows.push(kind);
        rows.extend_from_slice(&field.to_be_bytes()[3..]);
        rows.extend_from_slice(&index.to_be_bytes());
    }
    let packed = deflate(&rows);
    let mut out = format!(
        "{own} 0 obj\n<</Type /XRef/Size {}/W [1 5 2]{trailer}/Filter /FlateDecode/Length {}>>\nstream\n",
        offsets.len(),
        packed.len()
    )
    .into_bytes();
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    Ok(out)
}

/// zlib-wrapped deflate, as `/FlateDecode` reads it (libdeflate, as the vendored krilla uses).
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut compressor = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
    let mut out = vec![0; compressor.zlib_compress_bound(data.len())];
    // The bound is the most the compressed data can take: compressing into it cannot fail.
    let n = compressor.zlib_compress(data, &mut out).unwrap_or(0);
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_stream_holds_its_objects_at_the_offsets_its_header_gives() {
        let mut p = Packer::default();
        p.push(7, |o| o.write_all(b"<</A 1>>")).unwrap();
        p.push(9, |o| o.write_all(b"[1 2 3]")).unwrap();
        let mut out = Vec::new();
        let located = p.flush(&mut out, 12).unwrap();
        assert_eq!(located, [(7, location(12, 0)), (9, location(12, 1))]);
        assert!(p.is_empty());
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.starts_with("12 0 obj\n<</Type /ObjStm/N 2/First 8/"),
            "{text}"
        );
        let start = out.windows(8).position(|w| w == b"stream\n\x78").unwrap() + 7;
        let end = out.len() - b"\nendstream\nendobj\n".len();
        let mut d = libdeflater::Decompressor::new();
        let mut plain = vec![0; 100];
        let n = d.zlib_decompress(&out[start..end], &mut plain).unwrap();
        assert_eq!(&plain[..n], b"7 0 9 9 <</A 1>>\n[1 2 3]\n");
    }

    #[test]
    fn the_cross_reference_stream_has_a_row_per_object_and_refuses_a_gap() {
        let offsets = [0, 15, location(3, 4), 2000];
        let xref = xref_stream(&offsets, 3, "/Root 1 0 R").unwrap();
        let text = String::from_utf8_lossy(&xref);
        assert!(text.starts_with("3 0 obj\n<</Type /XRef/Size 4/W [1 5 2]/Root 1 0 R/"));
        assert_eq!(xref_stream(&[0, 15, 0], 3, ""), Err(2));
    }
}
