//! SigV4a (`AWS4-ECDSA-P256-SHA256`): multi-region signatures with an ECDSA P-256 key derived from
//! the secret access key.
//!
//! Signing goes through the usual [`crate::Signer`] with
//! [`SigningAlgorithm::Sigv4a`](crate::SigningAlgorithm::Sigv4a); the region is then a region set
//! (`"us-east-1,us-west-2"` or `"*"`), sent and signed as `X-Amz-Region-Set`, and the credential
//! scope leaves the region out (`date/service/aws4_request`). This module holds the key and the
//! string to sign; the signing itself is `crate::sign_v4a` (it uses the SigV4 routine, which
//! uses this key: keeping both here made `sign` and `sigv4a` import each other).

mod cache;
mod der;
mod key;

pub use cache::EcdsaKeyCache;
pub use key::{EcdsaKey, EcdsaPublicKey, SIGV4A_ALGORITHM};

pub(crate) use key::StrictSignature;

use crate::canonical::string_to_sign_for;

/// `AWS4-ECDSA-P256-SHA256\n<amz-date>\n<scope>\n<hex sha256(canonical request)>`.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    string_to_sign_for(SIGV4A_ALGORITHM, amz_date, scope, canonical_request)
}
