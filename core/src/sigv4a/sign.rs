//! SigV4a header signing and presigning.
//!
//! The same canonical request as SigV4 with three differences: `X-Amz-Region-Set` is signed (a
//! header, or a query parameter when presigning), the credential scope leaves the region out, and
//! the string to sign starts with `AWS4-ECDSA-P256-SHA256` and is signed with ECDSA P-256.

use crate::canonical::string_to_sign_for;
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::output::SignedRequest;
use crate::request::Request;
use crate::settings::SigningSettings;
use crate::sign::{sign_with, SignatureKey, SigningParams};
use crate::sigv4a::key::{EcdsaKey, SIGV4A_ALGORITHM};
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

/// Checks a region set: comma-separated regions (wildcards such as `*` or `us-*` allowed).
pub(crate) fn validate_region_set(region_set: &str) -> Result<()> {
    crate::sign::validate_region(region_set)?;
    if region_set.split(',').any(|r| r.is_empty()) {
        return Err(Error::arg(
            ErrorKind::InvalidRegion,
            "region",
            format!("region set {region_set:?} has an empty entry"),
        ));
    }
    Ok(())
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

/// `AWS4-ECDSA-P256-SHA256\n<amz-date>\n<scope>\n<hex sha256(canonical request)>`.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    string_to_sign_for(SIGV4A_ALGORITHM, amz_date, scope, canonical_request)
}
