//! Resource sets (`iree/hal/utils/resource_set.h`): keep every resource a
//! piece of work uses alive until the work is done, retaining each only
//! once however often it is inserted.
//!
//! A set holds items of one type `R` (an `Arc` of a core object, or a C
//! reference), keyed by the object's address. The most recently inserted
//! keys are kept in front-first order ([`ResourceSet::most_recent`]) so
//! callers that mirror them (the C struct's `mru` array) see the same
//! order upstream's set has. Once [`frozen`](ResourceSet::freeze) a set
//! accepts no more inserts until [`reset`](ResourceSet::reset).

use std::collections::HashMap;
use std::sync::Arc;

use crate::abi::hal_resource::RetainedResource;
use crate::{iree_ensure, Result};

/// How many recent keys a set remembers (a cache line of pointers, as in
/// upstream).
pub const MOST_RECENT_COUNT: usize = 8;

/// Something a set can hold: it names the object it keeps alive.
pub trait SetMember {
    /// The object's address; equal keys are the same object.
    fn key(&self) -> usize;
}

impl<T: ?Sized> SetMember for Arc<T> {
    fn key(&self) -> usize {
        Arc::as_ptr(self).cast::<()>() as usize
    }
}

/// A C reference (for resources C hands over, of any implementation).
impl SetMember for RetainedResource {
    fn key(&self) -> usize {
        self.as_ptr() as usize
    }
}

/// A set of retained resources.
#[derive(Debug)]
pub struct ResourceSet<R> {
    retained: HashMap<usize, R>,
    most_recent: Vec<usize>,
    frozen: bool,
}

impl<R> Default for ResourceSet<R> {
    fn default() -> Self {
        ResourceSet {
            retained: HashMap::new(),
            most_recent: Vec::with_capacity(MOST_RECENT_COUNT),
            frozen: false,
        }
    }
}

impl<R> ResourceSet<R> {
    pub fn new() -> ResourceSet<R> {
        ResourceSet::default()
    }

    /// Keeps the object `key` names alive: `retain` runs (and its result is
    /// kept) only the first time the key is inserted. `FAILED_PRECONDITION`
    /// once frozen.
    pub fn insert_with(&mut self, key: usize, retain: impl FnOnce() -> R) -> Result<()> {
        self.check_open()?;
        self.retained.entry(key).or_insert_with(retain);
        self.touch(key);
        Ok(())
    }

    /// Inserts every item, in order (an item already present is dropped,
    /// the set keeping its first one).
    pub fn insert_many(&mut self, items: impl IntoIterator<Item = R>) -> Result<()>
    where
        R: SetMember,
    {
        self.check_open()?;
        for item in items {
            let key = item.key();
            self.retained.entry(key).or_insert(item);
            self.touch(key);
        }
        Ok(())
    }

    /// Inserts one item (see [`ResourceSet::insert_many`]).
    pub fn insert(&mut self, item: R) -> Result<()>
    where
        R: SetMember,
    {
        self.insert_many([item])
    }

    /// Whether the set holds the object `key` names.
    pub fn contains(&self, key: usize) -> bool {
        self.retained.contains_key(&key)
    }

    /// How many distinct objects the set holds.
    pub fn len(&self) -> usize {
        self.retained.len()
    }

    pub fn is_empty(&self) -> bool {
        self.retained.is_empty()
    }

    /// The keys inserted most recently, newest first (at most
    /// [`MOST_RECENT_COUNT`]).
    pub fn most_recent(&self) -> &[usize] {
        &self.most_recent
    }

    /// Refuses further inserts (the work that uses the set is recorded).
    pub fn freeze(&mut self) {
        self.frozen = true;
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen
    }

    /// Drops every item and opens the set again.
    pub fn reset(&mut self) {
        self.retained.clear();
        self.most_recent.clear();
        self.frozen = false;
    }

    fn check_open(&self) -> Result<()> {
        iree_ensure!(
            !self.frozen,
            FailedPrecondition,
            "resource set is frozen; no more resources may be inserted"
        );
        Ok(())
    }

    /// Moves `key` to the front of the recent keys.
    fn touch(&mut self, key: usize) {
        if let Some(at) = self.most_recent.iter().position(|&k| k == key) {
            self.most_recent.remove(at);
        } else if self.most_recent.len() == MOST_RECENT_COUNT {
            self.most_recent.pop();
        }
        self.most_recent.insert(0, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    #[test]
    fn retains_once_and_releases_on_reset_and_drop() {
        let objects: Vec<Arc<u32>> = (0..20).map(Arc::new).collect();
        let mut set = ResourceSet::new();
        set.insert_many(objects.iter().cloned()).unwrap();
        set.insert_many(objects.iter().cloned()).unwrap();
        assert_eq!(set.len(), 20);
        assert!(objects.iter().all(|o| Arc::strong_count(o) == 2));
        set.reset();
        assert!(objects.iter().all(|o| Arc::strong_count(o) == 1));
        set.insert(objects[3].clone()).unwrap();
        drop(set);
        assert_eq!(Arc::strong_count(&objects[3]), 1);
    }

    #[test]
    fn most_recent_keys_are_kept_newest_first() {
        let mut set: ResourceSet<()> = ResourceSet::new();
        for key in 0..32 {
            set.insert_with(key, || ()).unwrap();
        }
        assert_eq!(set.most_recent(), &[31, 30, 29, 28, 27, 26, 25, 24]);
        set.insert_with(28, || unreachable!("already retained"))
            .unwrap();
        assert_eq!(&set.most_recent()[..5], &[28, 31, 30, 29, 27]);
        set.insert_with(0, || unreachable!("already retained"))
            .unwrap();
        assert_eq!(set.most_recent(), &[0, 28, 31, 30, 29, 27, 26, 25]);
        assert_eq!(set.len(), 32);
    }

    #[test]
    fn frozen_sets_refuse_inserts_until_reset() {
        let mut set = ResourceSet::new();
        set.insert(Arc::new(1)).unwrap();
        set.freeze();
        let err = set.insert(Arc::new(2)).unwrap_err();
        assert_eq!(err.code(), StatusCode::FailedPrecondition);
        assert_eq!(set.len(), 1);
        set.reset();
        assert!(!set.is_frozen() && set.is_empty());
        set.insert(Arc::new(3)).unwrap();
    }
}
