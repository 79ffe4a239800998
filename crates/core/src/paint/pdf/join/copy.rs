//! A chunk's objects renumbered into the joined file: each gets the next free number the first
//! time something refers to it, and waits to be copied.

use std::collections::{HashMap, VecDeque};

use lopdf::ObjectId;

use super::output::allocate;

/// The generation of a reference that is already in the joined file's numbering (a copied page's
/// `/Parent`). Never a chunk's own: krilla writes generation 0 and 65535 only marks free entries.
pub(super) const OURS: u16 = u16::MAX;

/// Renumbers one chunk's objects; see the module documentation.
pub(super) struct Renumber<'a> {
    numbers: HashMap<ObjectId, u32>,
    queue: VecDeque<ObjectId>,
    pub(super) offsets: &'a mut Vec<u64>,
}

impl<'a> Renumber<'a> {
    /// Numbers from the joined file's `offsets`.
    pub(super) fn new(offsets: &'a mut Vec<u64>) -> Renumber<'a> {
        Renumber {
            numbers: HashMap::new(),
            queue: VecDeque::new(),
            offsets,
        }
    }

    /// The joined file's number of `id`, queued to be copied the first time it is asked for.
    pub(super) fn number(&mut self, id: ObjectId) -> u32 {
        if id.1 == OURS {
            return id.0;
        }
        if let Some(&n) = self.numbers.get(&id) {
            return n;
        }
        let n = allocate(self.offsets);
        self.numbers.insert(id, n);
        self.queue.push_back(id);
        n
    }

    /// Makes `id` stand for the joined file's object `number`, which replaces it: `id` itself is
    /// never copied.
    pub(super) fn replace(&mut self, id: ObjectId, number: u32) {
        self.numbers.insert(id, number);
    }

    /// The next object to copy, with its number.
    pub(super) fn next(&mut self) -> Option<(ObjectId, u32)> {
        let id = self.queue.pop_front()?;
        Some((id, self.numbers[&id]))
    }
}
