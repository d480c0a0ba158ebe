//! SigV4a (`AWS4-ECDSA-P256-SHA256`): multi-region signatures with an ECDSA P-256 key derived from
//! the secret access key.
//!
//! Signing goes through the usual [`crate::Signer`] with
//! [`SigningAlgorithm::Sigv4a`](crate::SigningAlgorithm::Sigv4a); the region is then a region set
//! (`"us-east-1,us-west-2"` or `"*"`), sent and signed as `X-Amz-Region-Set`, and the credential
//! scope leaves the region out (`date/service/aws4_request`). This module holds the key.

mod cache;
mod key;

pub use cache::EcdsaKeyCache;
pub use key::{EcdsaKey, EcdsaPublicKey, SIGV4A_ALGORITHM};

mod sign;

pub(crate) use key::StrictSignature;
pub(crate) use sign::{string_to_sign, validate_region_set};

use crate::credentials::Credentials;
use crate::error::Result;
use crate::output::SignedRequest;
use crate::request::Request;
use crate::settings::SigningSettings;
use crate::time::SigningTime;

/// Signs (or, with `expires_in`, presigns) with SigV4a, the key taken from `cache`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign_cached(
    cache: &EcdsaKeyCache,
    credentials: &Credentials,
    region_set: &str,
    service: &str,
    settings: &SigningSettings,
    request: &Request<'_>,
    time: SigningTime,
    expires_in: Option<u64>,
) -> Result<SignedRequest> {
    let key = cache.key(credentials)?;
    let params = sign::Sigv4aParams {
        credentials,
        region_set,
        service,
        time,
        settings,
        key: &key,
    };
    sign::sign_v4a(request, &params, expires_in)
}
