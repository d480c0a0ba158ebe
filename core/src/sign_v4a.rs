//! SigV4a header signing and presigning.
//!
//! The same canonical request as SigV4 with three differences: `X-Amz-Region-Set` is signed (a
//! header, or a query parameter when presigning), the credential scope leaves the region out, and
//! the string to sign starts with `AWS4-ECDSA-P256-SHA256` and is signed with ECDSA P-256.

use crate::credentials::Credentials;
use crate::error::Result;
use crate::output::SignedRequest;
use crate::request::Request;
use crate::settings::SigningSettings;
use crate::sign::{sign_with, SignatureKey, SigningParams};
use crate::sigv4a::{EcdsaKey, EcdsaKeyCache};
use crate::time::SigningTime;

/// What a SigV4a signing needs besides the request.
pub(crate) struct Sigv4aParams<'a> {
    pub(crate) credentials: &'a Credentials,
    pub(crate) region_set: &'a str,
    pub(crate) service: &'a str,
    pub(crate) time: SigningTime,
    pub(crate) settings: &'a SigningSettings,
    pub(crate) key: &'a EcdsaKey,
}

/// Signs (`expires_in` `None`) or presigns `request` with SigV4a: the SigV4 routine with the
/// ECDSA key, the region set in place of the region.
pub(crate) fn sign_v4a(
    request: &Request<'_>,
    params: &Sigv4aParams<'_>,
    expires_in: Option<u64>,
) -> Result<SignedRequest> {
    let common = SigningParams::new(
        params.credentials,
        params.region_set,
        params.service,
        params.time,
        params.settings,
    );
    sign_with(
        request,
        &common,
        expires_in,
        SignatureKey::Ecdsa(params.key),
    )
}

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
    let params = Sigv4aParams {
        credentials,
        region_set,
        service,
        time,
        settings,
        key: &key,
    };
    sign_v4a(request, &params, expires_in)
}
