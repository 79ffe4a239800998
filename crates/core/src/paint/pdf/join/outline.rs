//! The joined file's outline: written as it grows from the chunks' bookmarks ([`Outline`]), or
//! whole at the end from the layout's headings ([`write_nested_outline`]).

use std::io::Write;

use lopdf::Object;

use super::objects::{write_object, write_text};
use super::output::{allocate, Counting};
use crate::error::JoinError;
use crate::layout::document::Bookmark;

/// An outline of `entries` (bookmark, page object) at once: an entry of level 2 goes under the
/// level-1 entry before it, closed as krilla writes it (the document's headings under its title).
/// `None` for no entries.
pub(super) fn write_nested_outline<W: Write>(
    out: &mut Counting<W>,
    offsets: &mut Vec<u64>,
    entries: &[(&Bookmark, u32)],
    top: f32,
) -> Result<Option<u32>, JoinError> {
    if entries.is_empty() {
        return Ok(None);
    }
    // Each entry's parent: the last level-1 entry before it, for an entry of level 2 and more.
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut last_top = None;
    for (i, (b, _)) in entries.iter().enumerate() {
        match (b.level, last_top) {
            (2.., Some(t)) => parents.push(Some(t)),
            _ => {
                parents.push(None);
                last_top = Some(i);
            }
        }
    }
    let root = allocate(offsets);
    let numbers: Vec<u32> = entries.iter().map(|_| allocate(offsets)).collect();
    let siblings = |parent: Option<usize>| -> Vec<usize> {
        (0..entries.len())
            .filter(|&i| parents[i] == parent)
            .collect()
    };
    let top_level = siblings(None);
    for (i, (b, page)) in entries.iter().enumerate() {
        let kin = siblings(parents[i]);
        let at = kin.iter().position(|&k| k == i).unwrap_or(0);
        offsets[numbers[i] as usize] = out.pos;
        write!(out, "{} 0 obj\n<</Title ", numbers[i])?;
        write_text(out, &b.title)?;
        let parent = parents[i].map_or(root, |p| numbers[p]);
        write!(out, "/Parent {parent} 0 R")?;
        if at > 0 {
            write!(out, "/Prev {} 0 R", numbers[kin[at - 1]])?;
        }
        if let Some(&next) = kin.get(at + 1) {
            write!(out, "/Next {} 0 R", numbers[next])?;
        }
        let children = siblings(Some(i));
        if let (Some(&first), Some(&last)) = (children.first(), children.last()) {
            // Negative: closed.
            write!(
                out,
                "/First {} 0 R/Last {} 0 R/Count -{}",
                numbers[first],
                numbers[last],
                children.len()
            )?;
        }
        write!(out, "/Dest [{page} 0 R /XYZ 0 {top} 0]>>\nendobj\n")?;
    }
    offsets[root as usize] = out.pos;
    let (first, last) = (top_level[0], top_level[top_level.len() - 1]);
    write!(
        out,
        "{root} 0 obj\n<</Type /Outlines/First {} 0 R/Last {} 0 R/Count {}>>\nendobj\n",
        numbers[first],
        numbers[last],
        top_level.len()
    )?;
    Ok(Some(root))
}

/// The outline, written as it grows: an item is written once the next one is numbered (its
/// `/Next`), so only one is held.
#[derive(Default)]
pub(super) struct Outline {
    root: Option<u32>,
    first: Option<u32>,
    held: Option<Item>,
    count: usize,
}

struct Item {
    number: u32,
    prev: Option<u32>,
    title: String,
    page: u32,
    top: Object,
}

impl Outline {
    pub(super) fn push<W: Write>(
        &mut self,
        out: &mut Counting<W>,
        offsets: &mut Vec<u64>,
        title: &str,
        page: u32,
        top: Object,
    ) -> Result<(), JoinError> {
        let root = *self.root.get_or_insert_with(|| allocate(offsets));
        let number = allocate(offsets);
        self.first.get_or_insert(number);
        self.count += 1;
        let prev = match self.held.take() {
            Some(held) => {
                write_item(out, offsets, root, &held, Some(number))?;
                Some(held.number)
            }
            None => None,
        };
        self.held = Some(Item {
            number,
            prev,
            title: title.to_string(),
            page,
            top,
        });
        Ok(())
    }

    /// Writes the last item and the root; returns the root's number, if there is an outline.
    pub(super) fn finish<W: Write>(
        &mut self,
        out: &mut Counting<W>,
        offsets: &mut [u64],
    ) -> Result<Option<u32>, JoinError> {
        let (Some(root), Some(first), Some(last)) = (self.root, self.first, self.held.take())
        else {
            return Ok(None);
        };
        write_item(out, offsets, root, &last, None)?;
        offsets[root as usize] = out.pos;
        write!(
            out,
            "{root} 0 obj\n<</Type /Outlines/First {first} 0 R/Last {} 0 R/Count {}>>\nendobj\n",
            last.number, self.count
        )?;
        Ok(Some(root))
    }
}

fn write_item<W: Write>(
    out: &mut Counting<W>,
    offsets: &mut [u64],
    root: u32,
    item: &Item,
    next: Option<u32>,
) -> Result<(), JoinError> {
    offsets[item.number as usize] = out.pos;
    write!(out, "{} 0 obj\n<</Title ", item.number)?;
    write_text(out, &item.title)?;
    write!(out, "/Parent {root} 0 R")?;
    if let Some(prev) = item.prev {
        write!(out, "/Prev {prev} 0 R")?;
    }
    if let Some(next) = next {
        write!(out, "/Next {next} 0 R")?;
    }
    write!(out, "/Dest [{} 0 R /XYZ 0 ", item.page)?;
    write_object(out, &item.top, &mut |(n, _)| n)?;
    out.write_all(b" 0]>>\nendobj\n")?;
    Ok(())
}
