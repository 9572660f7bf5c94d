//! Names and their ids: each name stored once, in id order, with a hash index to find a name's
//! id. A million task names cost one allocation each and a 4-byte slot in the index, where a
//! map from names to ids beside the list would store every name twice.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

/// The names of one kind of item (tasks or nodes), id `i` being the `i`-th name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    names: Vec<String>,
    /// Ids into `names`, placed by the hash of their name.
    index: HashTable<u32>,
    /// Seeded per process (names come from users' files), fast on short strings.
    hasher: foldhash::fast::RandomState,
}

/// Why a name could not be added.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The name is already there.
    Duplicate(String),
    /// There are already `u32::MAX` names.
    Full,
}

impl Names {
    /// No names, with room for `capacity`.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        Self { names: Vec::with_capacity(capacity), index: HashTable::with_capacity(capacity), hasher }
    }

    /// Adds `name` and returns its id (the number of names before it).
    pub(crate) fn push(&mut self, name: String) -> Result<u32, Refused> {
        let id = u32::try_from(self.names.len()).map_err(|_| Refused::Full)?;
        let hash = self.hasher.hash_one(name.as_str());
        let (hasher, names) = (&self.hasher, &self.names);
        let same = |&i: &u32| names.get(i as usize).is_some_and(|n| *n == name);
        let rehash = |&i: &u32| names.get(i as usize).map_or(0, |n| hasher.hash_one(n.as_str()));
        match self.index.entry(hash, same, rehash) {
            Entry::Occupied(_) => return Err(Refused::Duplicate(name)),
            Entry::Vacant(slot) => slot.insert(id),
        };
        self.names.push(name);
        Ok(id)
    }

    /// The id of `name`, if it is there.
    pub(crate) fn get(&self, name: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(name);
        self.index.find(hash, |&i| self.names.get(i as usize).is_some_and(|n| n == name)).copied()
    }

    /// Every name, in id order.
    pub(crate) fn as_slice(&self) -> &[String] {
        &self.names
    }

    /// The number of names.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

/// Equal when the same names are in the same order (the index follows from them).
impl PartialEq for Names {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names
    }
}

impl Eq for Names {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_insertion_and_lookups_find_them() {
        let mut names = Names::with_capacity(2);
        for i in 0..1000 {
            assert_eq!(names.push(format!("t{i}")), Ok(i));
        }
        assert_eq!(names.len(), 1000);
        assert_eq!(names.get("t0"), Some(0));
        assert_eq!(names.get("t999"), Some(999));
        assert_eq!(names.get("t1000"), None);
        assert_eq!(names.as_slice().get(17).map(String::as_str), Some("t17"));
    }

    #[test]
    fn a_repeated_name_is_refused_and_not_added() {
        let mut names = Names::with_capacity(0);
        assert_eq!(names.push("a".into()), Ok(0));
        assert_eq!(names.push("a".into()), Err(Refused::Duplicate("a".into())));
        assert_eq!(names.len(), 1);
        assert_eq!(names.push(String::new()), Ok(1));
        assert_eq!(names.get(""), Some(1));
    }
}
