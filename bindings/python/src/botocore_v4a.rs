//! `botocore_sign_v4a`: the native half of `sigv4.botocore`'s SigV4a signers (`v4a`, `s3v4a`,
//! `s3v4a-query`), which botocore otherwise only has through the CRT (`awscrt`).
//!
//! The Python layer runs botocore's CRT signers' request preparation and picks the signed headers
//! (botocore's blocklist plus the CRT's skipped headers) and the query; the core canonicalises and
//! signs with the CRT's rules: a non-S3 path normalised then encoded again, an S3 path as given,
//! query keys and values `%XX`-decoded (`+` is not a space) and re-encoded, pairs sorted.

use std::sync::OnceLock;

use pyo3::prelude::*;
use sigv4::{
    Body, Credentials, EcdsaKeyCache, PathNormalization, QueryEncoding, Request, SigningSettings,
    SigningTime, UriEncoding,
};

use crate::errors::IntoPyResult;

/// ECDSA keys shared by every botocore SigV4a signer of the process (botocore makes a new signer
/// per request; deriving a key costs an HMAC loop and a scalar multiplication).
fn keys() -> &'static EcdsaKeyCache {
    static KEYS: OnceLock<EcdsaKeyCache> = OnceLock::new();
    KEYS.get_or_init(|| EcdsaKeyCache::new(16))
}

/// Signs one request as botocore's CRT SigV4a signers do and returns ``(signature,
/// signed_headers, canonical_request, string_to_sign)`` (the signature is the hex DER of the ECDSA
/// signature).
///
/// ``path``: the URL's path (``/`` when empty), signed as given when ``s3``, else normalised
/// (``.``/``..``/empty segments removed) and encoded once more. ``query``: the query the CRT
/// parses (the URL's, or botocore's ``key=value`` pairs of ``request.params``, plus the
/// ``X-Amz-*`` parameters of a presigned URL). ``headers``: the ``(lowercase name, value)`` pairs
/// signed, ``X-Amz-Date`` / ``X-Amz-Region-Set`` / token / content hash included. ``payload``: the
/// payload line.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (access_key, secret_key, region_set, service, amz_date, method, path, query, headers, payload, s3))]
pub fn botocore_sign_v4a(
    py: Python<'_>,
    access_key: &str,
    secret_key: &str,
    region_set: &str,
    service: &str,
    amz_date: &str,
    method: &str,
    path: &str,
    query: &str,
    headers: Vec<(String, String)>,
    payload: &str,
    s3: bool,
) -> PyResult<(String, String, String, String)> {
    let credentials = Credentials::new(access_key, secret_key, None).py_err(py)?;
    let time = SigningTime::parse_amz_date(amz_date).py_err(py)?;
    let mut settings = SigningSettings::for_service(service);
    if s3 {
        settings.uri_encoding = UriEncoding::Verbatim;
        settings.path_normalization = PathNormalization::Disabled;
    } else {
        settings.uri_encoding = UriEncoding::Double;
        settings.path_normalization = PathNormalization::Enabled;
    }
    settings.query_encoding = QueryEncoding::Canonical;
    let mut target = String::with_capacity(path.len() + query.len() + 8);
    target.push_str(if path.is_empty() { "/" } else { path });
    if !query.is_empty() {
        target.push('?');
        // The CRT decodes `%XX` only: a `+` is itself, which the canonical rule (`+` is a space)
        // reads from `%2B`.
        for (i, piece) in query.split('+').enumerate() {
            if i > 0 {
                target.push_str("%2B");
            }
            target.push_str(piece);
        }
    }
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(method, &target, &pairs, Body::Precomputed(payload)).py_err(py)?;
    let out = sigv4::sign_exact_v4a(
        &request,
        &credentials,
        region_set,
        service,
        time,
        &settings,
        keys(),
    )
    .py_err(py)?;
    Ok((
        out.signature().to_owned(),
        out.signed_headers().to_owned(),
        out.canonical_request().to_owned(),
        out.string_to_sign().to_owned(),
    ))
}
