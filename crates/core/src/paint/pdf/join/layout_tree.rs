//! The structure tree written from the layout's [`Structure`], not by krilla: the tree of a long
//! document painted as several krilla documents and joined (`paint::pdf::streamed`), for the
//! strategy [`super::from_layout`].
//!
//! Why: krilla holds a tag group per element until the file is finished and writes each element
//! as its own uncompressed object. The summary of 10,000 entities has some 340,000 elements (a
//! cell each), which took 100 MB in krilla and 37 MB of the file. Here an element is a few bytes
//! of its structure plus the marked content painting gave it, and the elements go into object
//! streams as they are written.
//!
//! The objects are krilla's own, element for element: `/S`, `/P`, `/K` (the element's marked
//! content, then its children), `/Pg` (the page of its first content; content on another page is
//! a marked-content reference), `/T` for headings and sections, `/Alt` for figures, the table
//! header's scope and the list's numbering as attributes. The parent tree maps each page's key
//! to the element of each of its marked-content sequences.

use std::io::{self, Write};

use super::objects::write_text;
use crate::error::JoinError;
use crate::layout::document::{Role, Structure};

/// Where the tree's objects go: numbers from the merged file, bodies into its object streams.
pub(super) trait Objects {
    fn allocate(&mut self) -> u32;
    fn put(&mut self, number: u32, body: &[u8]) -> Result<(), JoinError>;
}

/// The pages of the joined file: each page's object number and the `/StructParents` key its
/// marked content is listed under (`None`: a page without any).
pub(super) struct Pages<'a> {
    pub(super) numbers: &'a [u32],
    pub(super) keys: &'a [Option<u32>],
}

/// Writes the structure tree of `structure`, whose elements hold the marked content `marked`
/// (element, page index in the file, MCID; by element, each one's in reading order), and returns
/// the number of its root. Refused when content names an element or page the file does not have,
/// or two elements claim one marked-content sequence.
pub(super) fn write(
    structure: &Structure,
    marked: &[(u32, usize, u32)],
    pages: &Pages,
    objects: &mut impl Objects,
) -> Result<u32, JoinError> {
    let nodes = structure.nodes();
    if marked.iter().any(|&(n, ..)| n as usize >= nodes.len()) {
        return Err(JoinError::Tree("構造にない要素の内容があります"));
    }
    let root = objects.allocate();
    let document = objects.allocate();
    let numbers: Vec<u32> = (0..nodes.len()).map(|_| objects.allocate()).collect();
    let children = structure.children();
    // Each page's marked-content sequences, by MCID: the element that holds it.
    let mut owners: Vec<Vec<u32>> = vec![Vec::new(); pages.numbers.len()];
    let mut body = Vec::with_capacity(256);
    let mut rest = marked;
    for (i, node) in nodes.iter().enumerate() {
        let own = rest.iter().take_while(|&&(n, ..)| n as usize == i).count();
        let (content, after) = rest.split_at(own);
        rest = after;
        let parent = node.parent.map_or(document, |p| numbers[p.index()]);
        body.clear();
        body.extend_from_slice(b"<</Type /StructElem/S /");
        write_role(&mut body, &node.role)?;
        write!(body, "/P {parent} 0 R")?;
        write_entries(&mut body, &node.role)?;
        let first_page = content.first().map(|&(_, page, _)| page);
        if let Some(page) = first_page {
            let number = pages
                .numbers
                .get(page)
                .ok_or(JoinError::Tree("ページがありません"))?;
            write!(body, "/Pg {number} 0 R")?;
        }
        body.extend_from_slice(b"/K [");
        let mut gap = "";
        for &(_, page, mcid) in content {
            let slot = owners
                .get_mut(page)
                .ok_or(JoinError::Tree("ページがありません"))?;
            let at = mcid as usize;
            if slot.len() <= at {
                slot.resize(at + 1, 0);
            }
            if slot[at] != 0 {
                return Err(JoinError::Tree("同じ内容が二つの要素にあります"));
            }
            slot[at] = numbers[i];
            if Some(page) == first_page {
                write!(body, "{gap}{mcid}")?;
            } else {
                write!(
                    body,
                    "{gap}<</Type /MCR/Pg {} 0 R/MCID {mcid}>>",
                    pages.numbers[page]
                )?;
            }
            gap = " ";
        }
        for child in &children[i] {
            write!(body, "{gap}{} 0 R", numbers[child.index()])?;
            gap = " ";
        }
        body.extend_from_slice(b"]>>");
        objects.put(numbers[i], &body)?;
    }
    if !rest.is_empty() {
        return Err(JoinError::Tree("内容が要素の順に並んでいません"));
    }
    body.clear();
    write!(body, "<</Type /StructElem/S /Document/P {root} 0 R/K [")?;
    write_refs(
        &mut body,
        children[nodes.len()].iter().map(|c| numbers[c.index()]),
    )?;
    body.extend_from_slice(b"]>>");
    objects.put(document, &body)?;
    let (parent_tree, next_key) = write_parent_tree(&owners, pages, objects)?;
    body.clear();
    write!(
        body,
        "<</Type /StructTreeRoot/K [{document} 0 R]/ParentTree {parent_tree} 0 R/ParentTreeNextKey {next_key}>>"
    )?;
    objects.put(root, &body)?;
    Ok(root)
}

/// The entries an element of `role` has beyond its type, parent and content: a title, words for
/// a figure, the attributes of a header cell or a list. Refused where krilla's PDF/UA validator
/// refuses the same in a tree of its own.
fn write_entries(body: &mut Vec<u8>, role: &Role) -> Result<(), JoinError> {
    match role {
        Role::Heading { level, .. } if !(1..=6).contains(level) => {
            return Err(JoinError::Tree("見出しの段が 1〜6 ではありません"))
        }
        Role::Section { title } | Role::Heading { title, .. } if title.trim().is_empty() => {
            return Err(JoinError::Tree("見出しに題がありません"))
        }
        Role::Figure { alt } if alt.trim().is_empty() => {
            return Err(JoinError::Tree("図に代わりの言葉がありません"))
        }
        Role::Section { title } | Role::Heading { title, .. } => {
            body.extend_from_slice(b"/T ");
            write_text(body, title)?;
        }
        Role::Figure { alt } => {
            body.extend_from_slice(b"/Alt ");
            write_text(body, alt)?;
        }
        Role::HeaderCell => body.extend_from_slice(b"/A [<</O /Table/Scope /Column>>]"),
        Role::List => body.extend_from_slice(b"/A [<</O /List/ListNumbering /None>>]"),
        _ => {}
    }
    Ok(())
}

/// The parent tree: each page's array of `owners` (by MCID), under the page's key; gives its
/// number and the next free key.
fn write_parent_tree(
    owners: &[Vec<u32>],
    pages: &Pages,
    objects: &mut impl Objects,
) -> Result<(u32, u32), JoinError> {
    let mut nums = Vec::new();
    for (page, owners) in owners.iter().enumerate() {
        if owners.is_empty() {
            // krilla keys only a page with marked content: a key here would have no entry.
            if pages.keys.get(page).is_some_and(Option::is_some) {
                return Err(JoinError::Tree("内容のないページに構造の鍵があります"));
            }
            continue;
        }
        let key = pages.keys[page].ok_or(JoinError::Tree("ページに構造の鍵がありません"))?;
        if owners.contains(&0) {
            return Err(JoinError::Tree("どの要素にも属さない内容があります"));
        }
        let list = objects.allocate();
        let mut body = vec![b'['];
        write_refs(&mut body, owners.iter().copied())?;
        body.push(b']');
        objects.put(list, &body)?;
        nums.push((key, list));
    }
    nums.sort_unstable();
    let next_key = pages.keys.iter().flatten().max().map_or(0, |k| k + 1);
    let parent_tree = objects.allocate();
    let mut body = b"<</Nums [".to_vec();
    for (i, (key, list)) in nums.iter().enumerate() {
        let gap = if i == 0 { "" } else { " " };
        write!(body, "{gap}{key} {list} 0 R")?;
    }
    body.extend_from_slice(b"]>>");
    objects.put(parent_tree, &body)?;
    Ok((parent_tree, next_key))
}

/// `n 0 R` for each number, a space between.
fn write_refs(out: &mut Vec<u8>, numbers: impl Iterator<Item = u32>) -> io::Result<()> {
    for (i, n) in numbers.enumerate() {
        let gap = if i == 0 { "" } else { " " };
        write!(out, "{gap}{n} 0 R")?;
    }
    Ok(())
}

/// The standard structure type of `role`, as krilla names it.
fn write_role(out: &mut Vec<u8>, role: &Role) -> io::Result<()> {
    let name = match role {
        Role::Heading { level, .. } => return write!(out, "H{level}"),
        Role::Section { .. } => "Sect",
        Role::Paragraph => "P",
        Role::List => "L",
        Role::ListItem => "LI",
        Role::ListBody => "LBody",
        Role::Table => "Table",
        Role::Row => "TR",
        Role::HeaderCell => "TH",
        Role::Cell => "TD",
        Role::Figure { .. } => "Figure",
    };
    out.write_all(name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The objects written, by number, as text.
    #[derive(Default)]
    struct Written {
        next: u32,
        objects: BTreeMap<u32, String>,
    }

    impl Objects for Written {
        fn allocate(&mut self) -> u32 {
            self.next += 1;
            self.next
        }

        fn put(&mut self, number: u32, body: &[u8]) -> Result<(), JoinError> {
            let text = String::from_utf8_lossy(body).into_owned();
            assert!(self.objects.insert(number, text).is_none(), "written once");
            Ok(())
        }
    }

    /// A table of one row whose second cell goes on over a page break, under a heading.
    fn structure() -> Structure {
        let mut s = Structure::default();
        s.add(
            None,
            Role::Heading {
                level: 1,
                title: "一覧".into(),
            },
        );
        let table = s.add(None, Role::Table);
        let row = s.add(Some(table), Role::Row);
        s.add(Some(row), Role::HeaderCell);
        s.add(Some(row), Role::Cell);
        s
    }

    const PAGES: Pages = Pages {
        numbers: &[100, 200],
        keys: &[Some(5), Some(6)],
    };

    #[test]
    fn elements_hold_their_content_and_children_and_the_parent_tree_finds_them() {
        let mut out = Written::default();
        let marked = [(0, 0, 0), (3, 0, 1), (4, 0, 2), (4, 1, 0)];
        let root = write(&structure(), &marked, &PAGES, &mut out).unwrap();
        // Numbers: root 1, Document 2, the elements 3..=7, then the pages' lists and the tree.
        let o = &out.objects;
        assert_eq!(
            o[&root],
            "<</Type /StructTreeRoot/K [2 0 R]/ParentTree 10 0 R/ParentTreeNextKey 7>>"
        );
        assert_eq!(
            o[&2],
            "<</Type /StructElem/S /Document/P 1 0 R/K [3 0 R 4 0 R]>>"
        );
        assert!(o[&3].starts_with("<</Type /StructElem/S /H1/P 2 0 R/T "));
        assert!(o[&3].ends_with("/Pg 100 0 R/K [0]>>"));
        assert_eq!(o[&5], "<</Type /StructElem/S /TR/P 4 0 R/K [6 0 R 7 0 R]>>");
        assert_eq!(
            o[&6],
            "<</Type /StructElem/S /TH/P 5 0 R/A [<</O /Table/Scope /Column>>]/Pg 100 0 R/K [1]>>"
        );
        // Content on a later page than the element's first is a marked-content reference.
        assert_eq!(
            o[&7],
            "<</Type /StructElem/S /TD/P 5 0 R/Pg 100 0 R/K [2 <</Type /MCR/Pg 200 0 R/MCID 0>>]>>"
        );
        assert_eq!(o[&8], "[3 0 R 6 0 R 7 0 R]");
        assert_eq!(o[&9], "[7 0 R]");
        assert_eq!(o[&10], "<</Nums [5 8 0 R 6 9 0 R]>>");
    }

    #[test]
    fn a_sequence_claimed_twice_or_left_unclaimed_or_of_no_element_is_refused() {
        for marked in [
            vec![(3, 0, 0), (4, 0, 0)],
            vec![(3, 0, 1)],
            vec![(9, 0, 0)],
            vec![(3, 2, 0)],
            vec![(4, 0, 0), (3, 0, 1)],
            vec![(3, 0, 0)],
        ] {
            let err = write(&structure(), &marked, &PAGES, &mut Written::default());
            assert!(err.is_err(), "{marked:?}");
        }
    }

    #[test]
    fn a_heading_without_a_title_or_a_figure_without_words_is_refused() {
        for role in [
            Role::Heading {
                level: 2,
                title: " ".into(),
            },
            Role::Heading {
                level: 7,
                title: "見出し".into(),
            },
            Role::Figure { alt: String::new() },
        ] {
            let mut s = structure();
            let marked = [(0, 0, 0)];
            let pages = Pages {
                numbers: &[100],
                keys: &[Some(0)],
            };
            assert!(write(&s, &marked, &pages, &mut Written::default()).is_ok());
            s.add(None, role.clone());
            assert!(
                write(&s, &marked, &pages, &mut Written::default()).is_err(),
                "{role:?}"
            );
        }
    }
}
