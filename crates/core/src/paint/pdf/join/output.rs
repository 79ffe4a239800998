//! The joined file as it is written: the bytes counted (each object's offset) and hashed (the file
//! ID), object numbers handed out, copied objects packed into object streams.

use std::hash::Hasher;
use std::io::{self, Write};

use siphasher::sip128::{Hasher128, SipHasher13};

use super::objstm::Packer;
use crate::error::JoinError;

/// The joined file's catalog and page tree: numbered first, written last.
pub(super) const CATALOG: u32 = 1;
pub(super) const PAGE_TREE: u32 = 2;

/// The offset table of a file not yet begun: the free head and the two numbers above.
pub(super) fn offsets() -> Vec<u64> {
    vec![0; PAGE_TREE as usize + 1]
}

/// The next object number.
pub(super) fn allocate(offsets: &mut Vec<u64>) -> u32 {
    offsets.push(0);
    // More objects than u32 holds cannot be written to memory, let alone to a PDF.
    (offsets.len() - 1) as u32
}

/// Writes the objects `packer` holds as one object stream and records where each is.
pub(super) fn flush<W: Write>(
    packer: &mut Packer,
    out: &mut Counting<W>,
    offsets: &mut Vec<u64>,
) -> Result<(), JoinError> {
    let stream = allocate(offsets);
    offsets[stream as usize] = out.pos;
    for (number, location) in packer.flush(out, stream)? {
        offsets[number as usize] = location;
    }
    Ok(())
}

/// [`flush`] once `packer` holds an object stream's worth.
pub(super) fn flush_if_full<W: Write>(
    packer: &mut Packer,
    out: &mut Counting<W>,
    offsets: &mut Vec<u64>,
) -> Result<(), JoinError> {
    if packer.is_full() {
        flush(packer, out, offsets)?;
    }
    Ok(())
}

/// [`flush`] whatever `packer` still holds.
pub(super) fn flush_rest<W: Write>(
    packer: &mut Packer,
    out: &mut Counting<W>,
    offsets: &mut Vec<u64>,
) -> Result<(), JoinError> {
    if !packer.is_empty() {
        flush(packer, out, offsets)?;
    }
    Ok(())
}

/// The output, counting the bytes written (for the offsets) and hashing them (for the file ID).
pub(super) struct Counting<W> {
    inner: W,
    pub(super) pos: u64,
    hash: SipHasher13,
}

impl<W> Counting<W> {
    pub(super) fn new(inner: W) -> Self {
        Counting {
            inner,
            pos: 0,
            hash: SipHasher13::new(),
        }
    }

    /// The hash of every byte written so far.
    pub(super) fn hash(&self) -> u128 {
        self.hash.finish128().as_u128()
    }

    pub(super) fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pos += n as u64;
        self.hash.write(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
