//! A bounded, thread-safe cache of derived signing keys, sharded by thread.
//!
//! Why shards: every verification and every signing looks its key up here. With one shared lock,
//! two threads working at once (a batch's workers, a threaded server) each write the lock's cache
//! line and the shared key's reference count several times per lookup, and each of those writes
//! waits for the line to come over from the other core. That costs ~70 ns per transfer between
//! cores of one die and ~350 ns when the two threads sit on different dies (as this project's
//! 2-vCPU VM finds its vCPUs from one minute to the next), on the path of every verification
//! (measured on `verify_many`, 2 threads: 1-3% of the batch's time per request, by placement). Each
//! thread has a shard of its own (assigned
//! when it first looks a key up, handed to a later thread when it exits), with its own lock and
//! its own copy of each key, on cache lines no other shard uses: a thread's lookups write nothing
//! another thread reads.

use std::fmt;
use std::sync::Mutex;

use zeroize::{Zeroize, Zeroizing};

use crate::credentials::Credentials;
use crate::key::SigningKey;
use crate::time::SigningTime;

/// How many shards a cache has; threads beyond this many share them (correct, only slower).
const SHARDS: usize = 8;

struct Entry {
    access_key_id: String,
    secret: Zeroizing<String>,
    date: i64,
    region: String,
    service: String,
    key: SigningKey,
}

fn replace_text(slot: &mut String, text: &str) {
    if slot != text {
        slot.clear();
        slot.push_str(text);
    }
}

/// One thread's part of the cache: its entries and the next one to replace.
#[derive(Default)]
struct ShardState {
    entries: Vec<Entry>,
    next_victim: usize,
}

/// A shard on cache lines of its own (128 bytes: adjacent-line prefetchers fetch lines in pairs).
#[derive(Default)]
#[repr(align(128))]
struct Shard(Mutex<ShardState>);

/// Shard numbers: the threads alive at one time have distinct numbers. A thread takes the lowest
/// free number when it first needs one and gives it back when it exits, so that threads started
/// and stopped per batch reuse the same (warm) shards instead of walking onto a busy one.
mod thread_shard {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    /// Numbers given back by exited threads (all below `NEXT`).
    static FREE: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    static NEXT: AtomicUsize = AtomicUsize::new(0);

    struct Number(usize);

    impl Drop for Number {
        fn drop(&mut self) {
            FREE.lock().unwrap_or_else(|e| e.into_inner()).push(self.0);
        }
    }

    fn take() -> usize {
        let mut free = FREE.lock().unwrap_or_else(|e| e.into_inner());
        let lowest = free
            .iter()
            .enumerate()
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        match lowest {
            Some(i) => free.swap_remove(i),
            None => NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }

    thread_local! {
        static NUMBER: Number = Number(take());
    }

    /// This thread's shard number (0 while the thread is being torn down).
    pub fn number() -> usize {
        NUMBER.try_with(|n| n.0).unwrap_or(0)
    }
}

/// Derived keys reused for the same (credentials, date, region, service).
///
/// Bounded (oldest entry replaced first), safe to share between threads, every entry zeroised when
/// replaced or dropped. A key changes at most once a day per scope, so a handful of entries
/// suffices. Each thread keeps its own entries (see the module documentation): the bound holds per
/// thread, and a key used on several threads is derived once on each.
pub struct KeyCache {
    shards: Box<[Shard]>,
    capacity: usize,
}

impl KeyCache {
    /// A cache holding at most `capacity` keys (at least 1) per thread.
    pub fn new(capacity: usize) -> Self {
        KeyCache {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            capacity: capacity.max(1),
        }
    }

    fn shard(&self) -> &Mutex<ShardState> {
        &self.shards[thread_shard::number() % self.shards.len()].0
    }

    /// The signing key for this scope, derived on a miss.
    pub fn signing_key(
        &self,
        credentials: &Credentials,
        time: SigningTime,
        region: &str,
        service: &str,
    ) -> SigningKey {
        let date = time.day_number();
        let shard = self.shard();
        {
            let state = shard.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(hit) = state.entries.iter().find(|e| {
                e.date == date
                    && e.access_key_id == credentials.access_key_id()
                    && e.region == region
                    && e.service == service
                    && e.secret.as_str() == credentials.secret_access_key()
            }) {
                return hit.key.clone();
            }
        }
        let mut amz_date = [0u8; 16];
        time.write_amz_date(&mut amz_date);
        let date_stamp = std::str::from_utf8(&amz_date[..8]).unwrap_or_default();
        let key = SigningKey::derive(credentials.secret_access_key(), date_stamp, region, service);
        let mut state = shard.lock().unwrap_or_else(|e| e.into_inner());
        if state.entries.len() < self.capacity {
            state.entries.push(Entry {
                access_key_id: credentials.access_key_id().to_owned(),
                secret: Zeroizing::new(credentials.secret_access_key().to_owned()),
                date,
                region: region.to_owned(),
                service: service.to_owned(),
                key: key.clone(),
            });
        } else {
            let slot = state.next_victim % self.capacity;
            state.next_victim = (slot + 1) % self.capacity;
            // Reuse the evicted entry's buffers: a new date each call then allocates nothing.
            let entry = &mut state.entries[slot];
            entry.secret.zeroize();
            entry.secret.push_str(credentials.secret_access_key());
            replace_text(&mut entry.access_key_id, credentials.access_key_id());
            replace_text(&mut entry.region, region);
            replace_text(&mut entry.service, service);
            entry.date = date;
            entry.key = key.clone();
        }
        key
    }

    /// How many keys are cached now, over every thread's entries.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.0.lock().unwrap_or_else(|e| e.into_inner()).entries.len())
            .sum()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every cached key (zeroising it), on every thread's shard.
    pub fn clear(&self) {
        for shard in self.shards.iter() {
            shard
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entries
                .clear();
        }
    }
}

impl Default for KeyCache {
    fn default() -> Self {
        KeyCache::new(16)
    }
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyCache")
            .field("len", &self.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_is_bounded_and_keyed_by_secret() {
        let cache = KeyCache::new(2);
        let a = Credentials::new("AKID", "one", None).unwrap();
        let b = Credentials::new("AKID", "two", None).unwrap();
        let t = SigningTime::from_unix(1_440_938_160).unwrap();
        let ka = cache.signing_key(&a, t, "us-east-1", "s3");
        let kb = cache.signing_key(&b, t, "us-east-1", "s3");
        assert_ne!(ka.as_bytes(), kb.as_bytes());
        cache.signing_key(&a, t, "eu-west-1", "s3");
        assert_eq!(cache.len(), 2);
        let again = cache.signing_key(&a, t, "us-east-1", "s3");
        assert_eq!(again.as_bytes(), ka.as_bytes());
        assert!(format!("{:?}", ka).contains("redacted"));
    }

    #[test]
    fn threads_alive_at_once_use_distinct_shards_and_exited_ones_give_theirs_back() {
        let here = thread_shard::number();
        let (a, b) = std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::channel();
            let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
            let first = s.spawn(move || {
                tx.send(thread_shard::number()).unwrap();
                go_rx.recv().unwrap();
            });
            let a = rx.recv().unwrap();
            let b = s.spawn(thread_shard::number).join().unwrap();
            go_tx.send(()).unwrap();
            first.join().unwrap();
            (a, b)
        });
        assert_ne!(a, here);
        assert_ne!(b, here);
        assert_ne!(a, b, "two live threads share a shard");
        // Threads started one after another reuse the numbers given back (without that, each
        // would take a new one: a hundred threads, a hundred numbers).
        let numbers: std::collections::BTreeSet<usize> = (0..100)
            .map(|_| std::thread::spawn(thread_shard::number).join().unwrap())
            .collect();
        assert!(numbers.len() <= 10, "{numbers:?}");
    }

    #[test]
    fn every_thread_gets_the_same_key_and_clear_empties_every_shard() {
        let cache = KeyCache::new(4);
        let creds = Credentials::new("AKID", "secret", None).unwrap();
        let t = SigningTime::from_unix(1_440_938_160).unwrap();
        let here = cache.signing_key(&creds, t, "us-east-1", "s3");
        let there = std::thread::scope(|s| {
            s.spawn(|| cache.signing_key(&creds, t, "us-east-1", "s3"))
                .join()
                .unwrap()
        });
        assert_eq!(here.as_bytes(), there.as_bytes());
        assert!(!cache.is_empty());
        cache.clear();
        assert!(cache.is_empty());
    }
}
