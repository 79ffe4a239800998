//! The document's [`Structure`] as the tagged PDF's structure tree (PDF/UA-1, PDF/A level A).
//!
//! Painting marks every line and image as content of its structure element (a marked-content
//! sequence krilla numbers) or as an artifact; the ruled lines are always artifacts. Once a
//! document's pages are painted, its elements become krilla tag groups, each holding its content
//! in reading order and then its child elements.

use std::cmp::Ordering;
use std::num::NonZeroU16;

use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope,
    Tag as PdfTag, TagGroup, TagKind,
};

use crate::error::PdfError;
use crate::layout::document::{NodeId, Role, Structure, Tag};

/// Where a piece of content stands on the pages: page, then top, then left. Within one element
/// this is reading order (lines stack down a cell, a page follows the page before), whatever order
/// the layout drew them in (印 goes on before the line it ends).
pub(super) type Place = (usize, f32, f32);

/// What names a marked-content sequence: krilla's identifier, when krilla writes the structure
/// tree, or its number on its page (MCID), when secform does ([`super::streamed`]).
pub trait Mark: Copy {
    fn new(id: Identifier, mcid: u32) -> Self;
}

impl Mark for Identifier {
    fn new(id: Identifier, _: u32) -> Self {
        id
    }
}

impl Mark for u32 {
    fn new(_: Identifier, mcid: u32) -> Self {
        mcid
    }
}

/// One marked-content sequence: the element it belongs to, where it stands, its mark.
pub(super) type Content<M> = (u32, Place, M);

/// Each structure element's content, collected while its document is painted: one list for all
/// (a long document has hundreds of thousands of elements, most with one sequence).
pub(super) struct Collected<M> {
    content: Vec<Content<M>>,
    /// How many elements there are (fixed) or have been seen so far.
    elements: usize,
    /// The document's structure is complete: content of an element beyond it is refused. Else
    /// the structure grows while the pages are painted ([`Collected::growing`]).
    fixed: bool,
    /// The marked-content sequence open on the page being painted: its tag and where its last
    /// line is.
    open: Option<(Tag, Place)>,
    /// The number krilla gives the next sequence on this page: 0, 1, … in the order they start
    /// (artifacts have none).
    next_mcid: u32,
}

impl<M: Mark> Collected<M> {
    pub(super) fn new(structure: &Structure) -> Collected<M> {
        Collected {
            content: Vec::new(),
            elements: structure.nodes().len(),
            fixed: true,
            open: None,
            next_mcid: 0,
        }
    }

    /// For a document whose structure is still being laid out while its first pages are painted.
    pub(super) fn growing() -> Collected<M> {
        Collected {
            content: Vec::new(),
            elements: 0,
            fixed: false,
            open: None,
            next_mcid: 0,
        }
    }

    /// Elements seen so far (all of them, when the structure is fixed).
    pub(super) fn elements(&self) -> usize {
        self.elements
    }

    /// A new page starts: its marked-content sequences are numbered from 0.
    pub(super) fn new_page(&mut self) {
        self.next_mcid = 0;
    }

    /// Draws a line (`draw`) at `place` as content of `tag`, or as an artifact. A line of the
    /// same element that follows the one before in reading order joins its marked-content
    /// sequence: fewer ids make a smaller tree and a faster file. A line drawn before one it
    /// follows (印 goes on before the line it ends) starts a sequence of its own.
    pub(super) fn line(
        &mut self,
        surface: &mut Surface,
        tag: Tag,
        place: Place,
        draw: impl FnOnce(&mut Surface),
    ) -> Result<(), PdfError> {
        let follows = self
            .open
            .is_some_and(|(t, last)| t == tag && reading_order(last, place) == Ordering::Less);
        if !follows {
            self.close(surface);
            self.start(surface, tag, false, place)?;
        }
        self.open = Some((tag, place));
        draw(surface);
        Ok(())
    }

    /// Draws an image at `place` as content of `tag`: a marked-content sequence of its own.
    pub(super) fn image(
        &mut self,
        surface: &mut Surface,
        tag: Tag,
        place: Place,
        draw: impl FnOnce(&mut Surface),
    ) -> Result<(), PdfError> {
        self.close(surface);
        self.start(surface, tag, true, place)?;
        draw(surface);
        surface.end_tagged();
        Ok(())
    }

    /// Ends the open sequence, if any: before anything else is drawn, and at the end of a page.
    pub(super) fn close(&mut self, surface: &mut Surface) {
        if self.open.take().is_some() {
            surface.end_tagged();
        }
    }

    fn start(
        &mut self,
        surface: &mut Surface,
        tag: Tag,
        image: bool,
        place: Place,
    ) -> Result<(), PdfError> {
        // A node the structure does not have (pages of another document) would be marked but in
        // no element, which krilla refuses with a panic; content no layout assigned is a defect.
        let node = match tag {
            Tag::Node(node) if node.index() < self.elements => Some(node),
            Tag::Node(node) if !self.fixed => {
                self.elements = node.index() + 1;
                Some(node)
            }
            Tag::Pagination => None,
            Tag::Node(_) | Tag::Unassigned => return Err(PdfError::Internal),
        };
        let content = match node {
            None => ContentTag::Artifact(Artifact::with_kind(ArtifactType::PaginationOther)),
            Some(_) if image => ContentTag::Other,
            Some(_) => ContentTag::Span(SpanTag::empty()),
        };
        let id = surface.start_tagged(content);
        if let Some(node) = node {
            // More elements than u32 holds would not fit in memory.
            let node = node.index() as u32;
            self.content.push((node, place, M::new(id, self.next_mcid)));
            self.next_mcid += 1;
        }
        Ok(())
    }

    /// The page (of its document) where element `node`'s content starts, if it has any.
    pub(super) fn first_page(&self, node: usize) -> Option<usize> {
        self.content
            .iter()
            .filter(|(n, ..)| *n as usize == node)
            .map(|(_, (page, ..), _)| *page)
            .min()
    }

    /// All content, by element and within each in reading order.
    pub(super) fn sorted(mut self) -> Vec<Content<M>> {
        self.content
            .sort_by(|a, b| a.0.cmp(&b.0).then_with(|| reading_order(a.1, b.1)));
        self.content
    }
}

impl Collected<Identifier> {
    /// The tag groups of the document's top elements, in reading order.
    pub(super) fn groups(self, structure: &Structure) -> Vec<TagGroup> {
        let content = self.sorted();
        let children = structure.children();
        let top = children.len() - 1;
        // Children come after their parent in the structure: built from the last element back,
        // each group is complete when its parent takes it.
        let mut built: Vec<Option<TagGroup>> = vec![None; structure.nodes().len()];
        for (i, node) in structure.nodes().iter().enumerate().rev() {
            let mut group = TagGroup::new(kind(&node.role));
            let start = content.partition_point(|(n, ..)| (*n as usize) < i);
            for (_, _, id) in content[start..]
                .iter()
                .take_while(|(n, ..)| *n as usize == i)
            {
                group.push(*id);
            }
            for child in &children[i] {
                if let Some(g) = built[child.index()].take() {
                    group.push(g);
                }
            }
            built[i] = Some(group);
        }
        children[top]
            .iter()
            .filter_map(|c: &NodeId| built[c.index()].take())
            .collect()
    }
}

/// Lines closer than this are on one line: a top worked out another way may differ in its last bit.
const SAME_LINE: f32 = 0.01;

/// Reading order within one structure element: page, then top, then left on the same line.
fn reading_order(a: Place, b: Place) -> Ordering {
    a.0.cmp(&b.0).then_with(|| {
        if (a.1 - b.1).abs() <= SAME_LINE {
            a.2.total_cmp(&b.2)
        } else {
            a.1.total_cmp(&b.1)
        }
    })
}

/// A document's top groups under one `Sect` titled `title`: an entity's form in a merged file.
pub(super) fn section(title: &str, groups: Vec<TagGroup>) -> TagGroup {
    let title = title.to_string();
    let mut sect = TagGroup::new(kind(&Role::Section { title }));
    for g in groups {
        sect.push(g);
    }
    sect
}

/// Draws `draw` as a layout artifact: ruled lines and boxes.
pub(super) fn artifact(surface: &mut Surface, draw: impl FnOnce(&mut Surface)) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Layout,
    )));
    draw(surface);
    surface.end_tagged();
}

fn kind(role: &Role) -> TagKind {
    match role {
        Role::Section { title } => PdfTag::Section.with_title(Some(title.clone())).into(),
        Role::Heading { level, title } => {
            let level = NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN);
            PdfTag::Hn(level, Some(title.clone())).into()
        }
        Role::Paragraph => PdfTag::P.into(),
        // The labels (一, (1)) are part of the items' text: no numbering to announce.
        Role::List => PdfTag::L(ListNumbering::None).into(),
        Role::ListItem => PdfTag::LI.into(),
        Role::ListBody => PdfTag::LBody.into(),
        Role::Table => PdfTag::Table.into(),
        Role::Row => PdfTag::TR.into(),
        Role::HeaderCell => PdfTag::TH(TableHeaderScope::Column).into(),
        Role::Cell => PdfTag::TD.into(),
        Role::Figure { alt } => PdfTag::Figure(Some(alt.clone())).into(),
    }
}
