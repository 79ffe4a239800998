//! The zip archive of a workbook, checked before calamine opens it. calamine trusts what an
//! archive says: it reserves room for as many shared strings as the file claims and inflates
//! whatever an entry holds. So every entry is inflated here first through a capped reader, with
//! the caps Apache POI applies (its least inflate ratio, 1 %, is [`MAX_RATIO`]), and the shared
//! strings' claimed count is read. None of the caps is near a secform workbook (about 50 KB, its
//! largest part 15 KB inflated, about 110 strings).

use std::io::{Cursor, Read};

use xlsx_zip::ZipArchive;

use crate::error::ArchiveError;

/// The largest workbook file read.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The most entries an archive may have.
pub const MAX_ENTRIES: usize = 1_000;

/// The most one entry may inflate to.
pub const MAX_ENTRY: u64 = 16 * 1024 * 1024;

/// The most all entries together may inflate to.
pub const MAX_TOTAL: u64 = 64 * 1024 * 1024;

/// The most an entry may inflate per compressed byte, past [`RATIO_GRACE`] (Apache POI's
/// `ZipSecureFile` minimum inflate ratio, 0.01).
pub const MAX_RATIO: u64 = 100;

/// Entries inflating to no more than this are not held to [`MAX_RATIO`]: a small part of
/// repeated markup compresses well and costs nothing.
pub const RATIO_GRACE: u64 = 1024 * 1024;

/// The most shared strings a workbook may claim (calamine reserves room for the claim).
pub const MAX_STRINGS: usize = 100_000;

/// How much of the shared strings part is searched for its claimed count (the first tag).
const STRINGS_HEAD: usize = 64 * 1024;

/// Checks the archive `bytes` against the caps, inflating every entry once.
pub fn check(bytes: &[u8]) -> Result<(), ArchiveError> {
    if bytes.len() > MAX_BYTES {
        return Err(ArchiveError::TooLarge {
            size: bytes.len(),
            limit: MAX_BYTES,
        });
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| ArchiveError::Broken)?;
    if zip.len() > MAX_ENTRIES {
        return Err(ArchiveError::TooManyEntries {
            count: zip.len(),
            limit: MAX_ENTRIES,
        });
    }
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).map_err(|_| ArchiveError::Broken)?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let shown = crate::error::Visible(&name.chars().take(80).collect::<String>()).to_string();
        let too_large = || ArchiveError::EntryTooLarge {
            name: shown.clone(),
            limit: MAX_ENTRY,
        };
        // What the entry says first (refused without inflating), then what it holds.
        if entry.size() > MAX_ENTRY {
            return Err(too_large());
        }
        let strings = name.to_ascii_lowercase().ends_with("sharedstrings.xml");
        let mut head = Vec::new();
        let mut inflated: u64 = 0;
        let mut buf = [0u8; 64 * 1024];
        let mut capped = (&mut entry).take(MAX_ENTRY + 1);
        loop {
            let n = capped.read(&mut buf).map_err(|_| ArchiveError::Broken)?;
            if n == 0 {
                break;
            }
            inflated += n as u64;
            if inflated > MAX_ENTRY {
                return Err(too_large());
            }
            if total + inflated > MAX_TOTAL {
                return Err(ArchiveError::TotalTooLarge { limit: MAX_TOTAL });
            }
            if strings && head.len() < STRINGS_HEAD {
                let room = STRINGS_HEAD - head.len();
                head.extend_from_slice(&buf[..n.min(room)]);
            }
        }
        total += inflated;
        let compressed = entry.compressed_size().max(1);
        if inflated > RATIO_GRACE && inflated / compressed > MAX_RATIO {
            return Err(ArchiveError::Ratio {
                name: shown,
                ratio: inflated / compressed,
                limit: MAX_RATIO,
            });
        }
        if strings {
            check_string_count(&head)?;
        }
    }
    Ok(())
}

/// The shared strings' claimed count (`uniqueCount` of the first tag, `<sst>`) within
/// [`MAX_STRINGS`]. A count that is not digits is left to calamine, which ignores it.
fn check_string_count(head: &[u8]) -> Result<(), ArchiveError> {
    let too_many = |claimed: &[u8]| ArchiveError::TooManyStrings {
        claimed: String::from_utf8_lossy(&claimed[..claimed.len().min(24)]).into_owned(),
        limit: MAX_STRINGS,
    };
    let key = b"uniqueCount";
    let mut from = 0;
    while let Some(at) = head[from..].windows(key.len()).position(|w| w == key) {
        let rest = &head[from + at + key.len()..];
        from += at + key.len();
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let Some((&quote, rest)) = rest.split_first() else {
            continue;
        };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let end = rest.iter().position(|&c| c == quote).unwrap_or(rest.len());
        let value = &rest[..end];
        let digits = value.strip_prefix(b"+").unwrap_or(value);
        if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
            let first = digits
                .iter()
                .position(|&c| c != b'0')
                .unwrap_or(digits.len());
            let digits = &digits[first..];
            let small = digits.len() <= 9
                && std::str::from_utf8(digits)
                    .ok()
                    .and_then(|d| d.parse::<usize>().ok())
                    .is_some_and(|n| n <= MAX_STRINGS);
            if !small {
                return Err(too_many(value));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claimed_count_beyond_the_cap_is_refused_in_any_spelling() {
        assert!(check_string_count(br#"<sst count="3" uniqueCount="3">"#).is_ok());
        assert!(check_string_count(br#"<sst uniqueCount="100000">"#).is_ok());
        for head in [
            &br#"<sst uniqueCount="100001">"#[..],
            br#"<sst uniqueCount = '99999999999999999999'>"#,
            br#"<x:sst count="1" uniqueCount="+4000000000">"#,
        ] {
            assert!(
                matches!(
                    check_string_count(head),
                    Err(ArchiveError::TooManyStrings { .. })
                ),
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }
}
