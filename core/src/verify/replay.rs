//! A bounded memory of verified signatures, each kept until its request could no longer be valid.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};

type Key = (String, [u8; 32]);

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

    /// Records a verified request valid until `valid_until` (unix seconds, inclusive), or refuses
    /// it when already seen (or when the cache is full of still-valid entries).
    pub(crate) fn insert(
        &self,
        access_key_id: &str,
        signature: [u8; 32],
        valid_until: i64,
        now: i64,
    ) -> Result<()> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(Reverse((expiry, _))) = inner.by_expiry.peek() {
            if *expiry >= now {
                break;
            }
            if let Some(Reverse((_, key))) = inner.by_expiry.pop() {
                inner.seen.remove(&key);
            }
        }
        let key = (access_key_id.to_owned(), signature);
        if inner.seen.contains_key(&key) {
            return Err(Error::new(
                ErrorKind::RequestReplayed,
                "the same signed request (same access key and signature) was already accepted once, so this copy is \
                 refused as a replay: sign each request afresh; SigV4 dates have one-second resolution, so identical \
                 requests sent within one second are equal unless they differ, e.g. by a signed X-Request-Nonce header \
                 (nonce=True / nonce: true on libsigv4's client helpers)",
            ));
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
        inner.seen.insert(key.clone(), valid_until);
        inner.by_expiry.push(Reverse((valid_until, key)));
        Ok(())
    }

    pub(crate) fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .seen
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_until_expiry_then_forgets() {
        let cache = ReplayCache::new(2);
        cache.insert("A", [1; 32], 100, 0).unwrap();
        assert!(cache.insert("A", [1; 32], 100, 50).is_err());
        cache.insert("B", [1; 32], 100, 50).unwrap();
        assert!(cache.insert("C", [2; 32], 200, 60).is_err(), "full");
        assert!(
            cache.insert("A", [1; 32], 100, 100).is_err(),
            "still valid at 100"
        );
        cache.insert("C", [2; 32], 200, 101).unwrap();
        assert_eq!(cache.len(), 1);
    }
}
