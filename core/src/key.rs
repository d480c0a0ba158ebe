//! Signing-key derivation (the cache of derived keys is in `key_cache`).

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

pub(crate) use crate::mac::hmac_sha256;
use crate::mac::HmacKey;

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
}
