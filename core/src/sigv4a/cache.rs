//! A small cache of derived SigV4a keys: the derivation (an HMAC plus a scalar multiplication for
//! the public key) is far costlier than an HMAC signing key, and a SigV4a key never changes for
//! given credentials, so it is kept per (access key id, secret).

use std::fmt;
use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;

use crate::credentials::Credentials;
use crate::error::Result;
use crate::sigv4a::key::EcdsaKey;

struct Entry {
    access_key_id: String,
    secret: Zeroizing<String>,
    key: Arc<EcdsaKey>,
}

/// Derived SigV4a keys, bounded (oldest replaced first) and safe to share between threads.
pub struct EcdsaKeyCache {
    entries: Mutex<Vec<Entry>>,
    capacity: usize,
}

impl EcdsaKeyCache {
    /// A cache holding at most `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        EcdsaKeyCache {
            entries: Mutex::new(Vec::with_capacity(capacity.max(1))),
            capacity: capacity.max(1),
        }
    }

    /// The key for `credentials`, derived on a miss.
    pub fn key(&self, credentials: &Credentials) -> Result<Arc<EcdsaKey>> {
        {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(hit) = entries.iter().find(|e| {
                e.access_key_id == credentials.access_key_id()
                    && e.secret.as_str() == credentials.secret_access_key()
            }) {
                return Ok(Arc::clone(&hit.key));
            }
        }
        let key = Arc::new(EcdsaKey::derive(
            credentials.access_key_id(),
            credentials.secret_access_key(),
        )?);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity {
            entries.remove(0);
        }
        entries.push(Entry {
            access_key_id: credentials.access_key_id().to_owned(),
            secret: Zeroizing::new(credentials.secret_access_key().to_owned()),
            key: Arc::clone(&key),
        });
        Ok(key)
    }

    /// How many keys are cached now.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for EcdsaKeyCache {
    fn default() -> Self {
        EcdsaKeyCache::new(4)
    }
}

impl fmt::Debug for EcdsaKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdsaKeyCache")
            .field("len", &self.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caches_per_credentials() {
        let cache = EcdsaKeyCache::new(1);
        let a = Credentials::new("AKID", "one", None).unwrap();
        let b = Credentials::new("AKID", "two", None).unwrap();
        let ka = cache.key(&a).unwrap();
        assert!(Arc::ptr_eq(&ka, &cache.key(&a).unwrap()));
        let kb = cache.key(&b).unwrap();
        assert_ne!(ka.public_key(), kb.public_key());
        assert_eq!(cache.len(), 1);
        assert!(!format!("{cache:?}").contains("two"));
    }
}
