//! Python bindings (pyo3) of libsigv4: the native module `sigv4._native`.
//!
//! The pure-Python package `sigv4` (bindings/python/python/sigv4) re-exports these classes and adds
//! credential loading, the one-call `sign_v4`, the requests/httpx integrations and the WSGI/ASGI
//! verification middleware.

mod answer;
mod batch;
mod batch_chunk;
mod body;
mod borrowed;
mod botocore;
mod botocore_v4a;
mod credentials;
mod errors;
mod forwarded;
mod hasher;
mod headers;
mod identity;
mod key_lookup;
mod lookup;
mod one_call;
mod options;
mod raw;
mod replay;
mod signed;
mod signer;
mod streaming;
mod text;
mod timestamp;
mod verifier;
mod verify_stream;

use pyo3::prelude::*;
use pyo3::types::PyString;

/// Percent-encodes ``text`` with SigV4's rules: ``A-Z a-z 0-9 - _ . ~`` kept, everything else
/// (including ``/``) as ``%XX`` with upper-case hex. Use it to build query strings.
#[pyfunction]
fn uri_encode(text: &Bound<'_, PyString>) -> PyResult<String> {
    Ok(sigv4::uri_encode(&crate::text::str_of(text)?))
}

/// The nonce header value for `sigv4::NONCE_BYTES` random bytes (the core's format), for
/// `nonce=True`: the header name, size and format have one home in every language.
#[pyfunction]
fn nonce_value(random: &[u8]) -> PyResult<String> {
    let bytes: &[u8; sigv4::NONCE_BYTES] = random.try_into().map_err(|_| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "a nonce is made of {} random bytes (got {})",
            sigv4::NONCE_BYTES,
            random.len()
        ))
    })?;
    Ok(sigv4::nonce_value(bytes))
}

/// Whether an ASGI http ``scope``'s headers announce a body (a ``Content-Length`` other than 0,
/// or a ``Transfer-Encoding``): without either, the request has none (RFC 9112 6.3) and the
/// middleware verifies it without reading the (empty) body.
///
/// HTTP/2 and HTTP/3 requests may carry a body without either header: for them (any
/// ``http_version`` other than ``1.0``/``1.1``) the answer is always True.
#[pyfunction]
fn scope_has_body(scope: &Bound<'_, pyo3::types::PyDict>) -> PyResult<bool> {
    if !raw::scope_is_http1(scope)? {
        return Ok(true);
    }
    match scope.get_item(pyo3::intern!(scope.py(), "headers"))? {
        Some(headers) => raw::asgi_announces_body(&headers),
        None => Ok(false),
    }
}

/// The header names a request declares signed: the ``SignedHeaders`` field of ``authorization``
/// (an ``Authorization`` header value), or without one the query's ``X-Amz-SignedHeaders``
/// (decoded), split on ``;`` as sent. ``None`` when the request declares none (unsigned, or its
/// fields are malformed: verifying it fails). Read by the verifier's own parsers, nothing
/// verified: for server quirks that must be undone before verifying (wsgiref's invented
/// ``Content-Type``).
#[pyfunction]
#[pyo3(signature = (authorization, query))]
fn declared_signed_headers(authorization: Option<&str>, query: &str) -> Option<Vec<String>> {
    sigv4::declared_signed_headers(authorization, query)
        .map(|names| names.into_iter().map(|n| n.into_owned()).collect())
}

/// The native half of ``sigv4``.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<credentials::Credentials>()?;
    m.add_class::<signer::Signer>()?;
    m.add_class::<signed::SignedRequest>()?;
    m.add_class::<hasher::PayloadHasher>()?;
    m.add_class::<verifier::Verifier>()?;
    m.add_class::<identity::VerifiedIdentity>()?;
    m.add_class::<streaming::StreamingUpload>()?;
    m.add_class::<verify_stream::VerifiedStream>()?;
    m.add_class::<forwarded::TrustedProxies>()?;
    m.add_function(wrap_pyfunction!(uri_encode, m)?)?;
    m.add_function(wrap_pyfunction!(nonce_value, m)?)?;
    m.add("NONCE_HEADER", sigv4::NONCE_HEADER)?;
    m.add("NONCE_BYTES", sigv4::NONCE_BYTES)?;
    m.add_function(wrap_pyfunction!(one_call::sign_v4, m)?)?;
    m.add_function(wrap_pyfunction!(answer::error_answer, m)?)?;
    m.add_function(wrap_pyfunction!(replay::replay_verdict_of, m)?)?;
    m.add_function(wrap_pyfunction!(scope_has_body, m)?)?;
    m.add_function(wrap_pyfunction!(declared_signed_headers, m)?)?;
    m.add_function(wrap_pyfunction!(raw::py_scope_target, m)?)?;
    m.add_function(wrap_pyfunction!(raw::py_scope_headers, m)?)?;
    m.add_function(wrap_pyfunction!(raw::py_wire_target, m)?)?;
    m.add_function(wrap_pyfunction!(raw::py_environ_headers, m)?)?;
    m.add_function(wrap_pyfunction!(botocore::botocore_sign, m)?)?;
    m.add_function(wrap_pyfunction!(botocore::botocore_presign_s3, m)?)?;
    m.add_function(wrap_pyfunction!(botocore_v4a::botocore_sign_v4a, m)?)?;
    m.add_function(wrap_pyfunction!(botocore::botocore_sign_string, m)?)?;
    m.add("EMPTY_SHA256", sigv4::EMPTY_SHA256)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
