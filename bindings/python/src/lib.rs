//! Python bindings (pyo3) of libsigv4: the native module `sigv4._native`.
//!
//! The pure-Python package `sigv4` (bindings/python/python/sigv4) re-exports these classes and adds
//! credential loading, the one-call `sign_v4`, the requests/httpx integrations and the WSGI/ASGI
//! verification middleware.

mod body;
mod credentials;
mod errors;
mod hasher;
mod headers;
mod identity;
mod lookup;
mod options;
mod raw;
mod signed;
mod signer;
mod streaming;
mod text;
mod timestamp;
mod verifier;

use pyo3::prelude::*;

/// Percent-encodes ``text`` with SigV4's rules: ``A-Z a-z 0-9 - _ . ~`` kept, everything else
/// (including ``/``) as ``%XX`` with upper-case hex. Use it to build query strings.
#[pyfunction]
fn uri_encode(text: &str) -> String {
    sigv4::uri_encode(text)
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
    m.add_function(wrap_pyfunction!(uri_encode, m)?)?;
    m.add("EMPTY_SHA256", sigv4::EMPTY_SHA256)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
