//! `botocore_sign`: the native half of `sigv4.botocore`.
//!
//! The Python layer runs botocore's own request preparation (which headers are signed and the
//! `Host` value, the payload line, the dot-segment removal of non-S3 paths); the core
//! canonicalises and signs exactly what it is given, with botocore's path and query rules
//! ([`UriEncoding::Verbatim`] for S3 paths, [`QueryEncoding::Verbatim`] for a URL's query).

use std::sync::OnceLock;

use pyo3::prelude::*;
use sigv4::{
    Body, Credentials, KeyCache, PathNormalization, QueryEncoding, Request, SigningSettings,
    SigningTime, UriEncoding,
};

use crate::errors::IntoPyResult;

/// Derived keys shared by every botocore signer of the process (botocore makes a new signer per
/// request, so a per-signer cache would never hit).
fn keys() -> &'static KeyCache {
    static KEYS: OnceLock<KeyCache> = OnceLock::new();
    KEYS.get_or_init(|| KeyCache::new(16))
}

/// Signs one request as botocore's SigV4 signers do and returns ``(signature, signed_headers)``.
///
/// ``path``: the URL's path, verbatim when ``s3`` (botocore signs S3 paths as they are), else
/// already stripped of dot segments by botocore (it is encoded here, ``%`` included).
/// ``params``: botocore's ``request.params`` as ``(key, value)`` strings — when given (not
/// ``None``), each is encoded and ``query`` is ignored, as botocore does; otherwise ``query`` is the
/// URL's query, sorted piece by piece as given. ``headers``: the ``(lowercase name, value)`` pairs
/// botocore signs, ``host`` included. ``payload``: the payload line (a hex SHA-256 or a sentinel).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (access_key, secret_key, region, service, amz_date, method, path, query, params, headers, payload, s3))]
pub fn botocore_sign(
    py: Python<'_>,
    access_key: &str,
    secret_key: &str,
    region: &str,
    service: &str,
    amz_date: &str,
    method: &str,
    path: &str,
    query: &str,
    params: Option<Vec<(String, String)>>,
    headers: Vec<(String, String)>,
    payload: &str,
    s3: bool,
) -> PyResult<(String, String)> {
    let credentials = Credentials::new(access_key, secret_key, None).py_err(py)?;
    let time = SigningTime::parse_amz_date(amz_date).py_err(py)?;
    let mut settings = SigningSettings::for_service(service);
    settings.uri_encoding = if s3 {
        UriEncoding::Verbatim
    } else {
        UriEncoding::Double
    };
    settings.path_normalization = PathNormalization::Disabled;
    let mut target = String::with_capacity(path.len() + query.len() + 2);
    target.push_str(if path.is_empty() { "/" } else { path });
    match &params {
        Some(params) => {
            // Encoded with the SigV4 rules, the pairs are canonical: the canonical rule keeps them
            // and sorts them, as botocore's `_canonical_query_string_params`.
            settings.query_encoding = QueryEncoding::Canonical;
            for (i, (k, v)) in params.iter().enumerate() {
                target.push(if i == 0 { '?' } else { '&' });
                target.push_str(&sigv4::uri_encode(k));
                target.push('=');
                target.push_str(&sigv4::uri_encode(v));
            }
        }
        None => {
            settings.query_encoding = QueryEncoding::Verbatim;
            if !query.is_empty() {
                target.push('?');
                target.push_str(query);
            }
        }
    }
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(method, &target, &pairs, Body::Precomputed(payload)).py_err(py)?;
    let out = sigv4::sign_exact(
        &request,
        &credentials,
        region,
        service,
        time,
        &settings,
        Some(keys()),
    )
    .py_err(py)?;
    Ok((out.signature().to_owned(), out.signed_headers().to_owned()))
}
