//! Signing-key derivation and a bounded, thread-safe cache of derived keys.

use std::fmt;
use std::sync::{Arc, Mutex};

use zeroize::{Zeroize, Zeroizing};

use crate::credentials::Credentials;
pub(crate) use crate::mac::hmac_sha256;
use crate::mac::HmacKey;
use crate::time::SigningTime;

/// A derived SigV4 signing key (`kSigning`), with its HMAC states precomputed.
///
/// Cheap to clone (shared); zeroised when the last clone is dropped; `Debug` never shows it.
#[derive(Clone)]
pub struct SigningKey(Arc<KeyMaterial>);

struct KeyMaterial {
    bytes: Zeroizing<[u8; 32]>,
    hmac: HmacKey,
}

impl SigningKey {
    /// Derives `kSigning` from the secret for the scope `date`/`region`/`service`.
    pub fn derive(secret_access_key: &str, date_stamp: &str, region: &str, service: &str) -> Self {
        let mut seed = Zeroizing::new(Vec::with_capacity(4 + secret_access_key.len()));
        seed.extend_from_slice(b"AWS4");
        seed.extend_from_slice(secret_access_key.as_bytes());
        let k_date = Zeroizing::new(hmac_sha256(&seed, date_stamp.as_bytes()));
        let k_region = Zeroizing::new(hmac_sha256(&*k_date, region.as_bytes()));
        let k_service = Zeroizing::new(hmac_sha256(&*k_region, service.as_bytes()));
        Self::from_bytes(hmac_sha256(&*k_service, b"aws4_request"))
    }

    /// A signing key from its 32 bytes (as derived elsewhere).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        let bytes = Zeroizing::new(bytes);
        let hmac = HmacKey::new(&*bytes);
        SigningKey(Arc::new(KeyMaterial { bytes, hmac }))
    }

    /// The HMAC-SHA256 of `data` under this key (the signature, as raw bytes).
    pub fn sign(&self, data: &[u8]) -> [u8; 32] {
        self.0.hmac.mac(data)
    }

    /// The key bytes, for callers that chain signatures (chunked uploads). Never log them.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0.bytes
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(** redacted **)")
    }
}

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

/// Derived keys reused for the same (credentials, date, region, service).
///
/// Bounded (oldest entry replaced first), safe to share between threads, every entry zeroised when
/// replaced or dropped. A key changes at most once a day per scope, so a handful of entries suffices.
pub struct KeyCache {
    entries: Mutex<Vec<Entry>>,
    capacity: usize,
    next_victim: Mutex<usize>,
}

impl KeyCache {
    /// A cache holding at most `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        KeyCache {
            entries: Mutex::new(Vec::with_capacity(capacity.max(1))),
            capacity: capacity.max(1),
            next_victim: Mutex::new(0),
        }
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
        {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(hit) = entries.iter().find(|e| {
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
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() < self.capacity {
            entries.push(Entry {
                access_key_id: credentials.access_key_id().to_owned(),
                secret: Zeroizing::new(credentials.secret_access_key().to_owned()),
                date,
                region: region.to_owned(),
                service: service.to_owned(),
                key: key.clone(),
            });
        } else {
            let mut victim = self.next_victim.lock().unwrap_or_else(|e| e.into_inner());
            let slot = *victim % self.capacity;
            *victim = (slot + 1) % self.capacity;
            // Reuse the evicted entry's buffers: a new date each call then allocates nothing.
            let entry = &mut entries[slot];
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

    /// How many keys are cached now.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every cached key (zeroising it).
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
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
    fn derives_the_documented_key() {
        // The signing key from AWS's SigV4 documentation example (iam, us-east-1, 20150830).
        let key = SigningKey::derive(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

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
}
