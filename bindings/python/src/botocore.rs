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

/// The query pieces botocore's presigners would write back unchanged: `key=value` with both in
/// the unreserved set, exactly one `=`, every key once.
fn plain_query(query: &str) -> bool {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    let mut keys: Vec<&str> = Vec::with_capacity(4);
    for piece in query.split('&') {
        let Some((k, v)) = piece.split_once('=') else {
            return false;
        };
        if k.is_empty() || !k.bytes().all(unreserved) || !v.bytes().all(unreserved) {
            return false;
        }
        if keys.contains(&k) {
            return false;
        }
        keys.push(k);
    }
    true
}

/// A lower-case host name without port or user info: its own `Host` value.
fn plain_host(netloc: &str) -> bool {
    !netloc.is_empty()
        && netloc.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// The presigned URL botocore's S3 presigner (`S3SigV4QueryAuth`) makes of a request with no
/// headers, parameters or body and a plain `url` (lower-case `http(s)://`, a lower-case host
/// without port, no control characters, spaces or fragment, a query of unique unreserved
/// `key=value` pairs): the operation's query, then `X-Amz-Algorithm`, `-Credential`, `-Date`,
/// `-Expires`, `-SignedHeaders=host` (and `-Security-Token`), then `X-Amz-Signature`. Returns
/// `None` for any other URL (the caller goes through botocore's own preparation).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (url, method, access_key, secret_key, token, region, service, expires, amz_date, payload))]
pub fn botocore_presign_s3(
    py: Python<'_>,
    url: &str,
    method: &str,
    access_key: &str,
    secret_key: &str,
    token: Option<&str>,
    region: &str,
    service: &str,
    expires: &str,
    amz_date: &str,
    payload: &str,
) -> PyResult<Option<String>> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Ok(None);
    };
    if rest.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'#') {
        return Ok(None);
    }
    let (before_query, operation) = match rest.split_once('?') {
        Some((b, q)) if plain_query(q) => (b, Some(q)),
        Some(_) => return Ok(None),
        None => (rest, None),
    };
    let (netloc, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    if !plain_host(netloc) {
        return Ok(None);
    }
    if amz_date.len() < 8 {
        return Err(crate::errors::input(
            py,
            sigv4::ErrorKind::InvalidTimestamp,
            "amz_date",
            "amz_date must be YYYYMMDDTHHMMSSZ".to_owned(),
        ));
    }
    let scope = format!(
        "{access_key}/{}/{region}/{service}/aws4_request",
        &amz_date[..8]
    );
    let mut query = String::with_capacity(256 + token.map_or(0, |t| 3 * t.len()));
    if let Some(op) = operation {
        query.push_str(op);
        query.push('&');
    }
    query.push_str("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
    query.push_str(&sigv4::uri_encode(&scope));
    query.push_str("&X-Amz-Date=");
    query.push_str(amz_date);
    query.push_str("&X-Amz-Expires=");
    query.push_str(&sigv4::uri_encode(expires));
    query.push_str("&X-Amz-SignedHeaders=host");
    if let Some(token) = token {
        query.push_str("&X-Amz-Security-Token=");
        query.push_str(&sigv4::uri_encode(token));
    }
    let (signature, _) = botocore_sign(
        py,
        access_key,
        secret_key,
        region,
        service,
        amz_date,
        method,
        path,
        &query,
        None,
        vec![("host".to_owned(), netloc.to_owned())],
        payload,
        true,
    )?;
    let scheme_len = url.len() - rest.len();
    let mut out = String::with_capacity(url.len() + query.len() + 100);
    out.push_str(&url[..scheme_len]);
    out.push_str(before_query);
    out.push('?');
    out.push_str(&query);
    out.push_str("&X-Amz-Signature=");
    out.push_str(&signature);
    Ok(Some(out))
}

/// The HMAC-SHA256 (lowercase hex) of `text` under the SigV4 signing key of (`secret_key`, the day
/// of `amz_date`, `region`, `service`): botocore's `SigV4Auth.signature`, which its S3 POST
/// presigners (`s3v4-presign-post`, `v4-s3express-presign-post`) apply to the base64 policy.
#[pyfunction]
#[pyo3(signature = (access_key, secret_key, region, service, amz_date, text))]
pub fn botocore_sign_string(
    py: Python<'_>,
    access_key: &str,
    secret_key: &str,
    region: &str,
    service: &str,
    amz_date: &str,
    text: &str,
) -> PyResult<String> {
    let credentials = Credentials::new(access_key, secret_key, None).py_err(py)?;
    let time = SigningTime::parse_amz_date(amz_date).py_err(py)?;
    let key = keys().signing_key(&credentials, time, region, service);
    Ok(sigv4::hex(&key.sign(text.as_bytes())))
}
