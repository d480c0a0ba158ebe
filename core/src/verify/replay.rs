//! A bounded memory of verified signatures, each kept until its request could no longer be valid.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Mutex;

use super::replay_store::{ReplayClaim, ReplayOutcome, ReplayStore};
use crate::error::{Error, ErrorKind, Result};
use crate::time::SigningTime;

type Key = [u8; 32];

#[derive(Default)]
struct Inner {
    seen: HashMap<Key, i64>,
    by_expiry: BinaryHeap<Reverse<(i64, Key)>>,
}

/// Remembers (access key id, signature) pairs of verified requests.
///
/// Bounded: when full of entries that are all still valid, new requests are refused (fail closed)
/// rather than forgetting an entry early, since a forgotten entry could be replayed.
pub(crate) struct ReplayCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

impl ReplayCache {
    pub(crate) fn new(capacity: usize) -> Self {
        ReplayCache {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Records a verified request (its claim digest) valid until `valid_until` (unix seconds,
    /// inclusive), or refuses it when already seen (or when the cache is full of still-valid
    /// entries). `Ok(false)`: already seen.
    pub(crate) fn insert(&self, key: Key, valid_until: i64, now: i64) -> Result<bool> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(Reverse((expiry, _))) = inner.by_expiry.peek() {
            if *expiry >= now {
                break;
            }
            if let Some(Reverse((_, key))) = inner.by_expiry.pop() {
                inner.seen.remove(&key);
            }
        }
        if inner.seen.contains_key(&key) {
            return Ok(false);
        }
        if inner.seen.len() >= self.capacity {
            return Err(Error::new(
                ErrorKind::RequestReplayed,
                format!(
                    "the replay cache is full ({} requests still valid), so this request cannot be proven fresh; retry later or raise replay_cache_capacity",
                    self.capacity
                ),
            ));
        }
        inner.seen.insert(key, valid_until);
        inner.by_expiry.push(Reverse((valid_until, key)));
        Ok(true)
    }

    pub(crate) fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .seen
            .len()
    }
}

/// The in-memory store (the default, one process): a [`ReplayCache`] behind the store interface.
impl ReplayStore for ReplayCache {
    fn claim(&self, claim: &ReplayClaim, now: SigningTime) -> Result<ReplayOutcome> {
        Ok(
            if self.insert(*claim.digest(), claim.valid_until(), now.unix())? {
                ReplayOutcome::Fresh
            } else {
                ReplayOutcome::Seen
            },
        )
    }

    fn len(&self) -> usize {
        ReplayCache::len(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_until_expiry_then_forgets() {
        let cache = ReplayCache::new(2);
        assert!(cache.insert([1; 32], 100, 0).unwrap());
        assert!(!cache.insert([1; 32], 100, 50).unwrap());
        assert!(cache.insert([3; 32], 100, 50).unwrap());
        assert!(cache.insert([2; 32], 200, 60).is_err(), "full");
        assert!(
            !cache.insert([1; 32], 100, 100).unwrap(),
            "still valid at 100"
        );
        assert!(cache.insert([2; 32], 200, 101).unwrap());
        assert_eq!(cache.len(), 1);
    }
}
