//! `VerifiedIdentity`: who signed a request that verified. Frozen, holds no secret.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyAny, PyTuple};
use sigv4::VerifiedIdentity as CoreIdentity;

/// `datetime.datetime.fromtimestamp` and `datetime.timezone.utc`, imported once.
static DATETIME: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();

/// An aware UTC datetime for `seconds` since the epoch.
fn datetime(py: Python<'_>, seconds: i64) -> PyResult<Py<PyAny>> {
    let (from, utc) = DATETIME.get_or_try_init(py, || -> PyResult<_> {
        let module = py.import("datetime")?;
        let utc = module.getattr("timezone")?.getattr("utc")?.unbind();
        let from = module
            .getattr("datetime")?
            .getattr("fromtimestamp")?
            .unbind();
        Ok((from, utc))
    })?;
    Ok(from.bind(py).call1((seconds, utc.bind(py)))?.unbind())
}

/// Who signed a request that verified, and what the signature covered (returned by
/// ``Verifier.verify``; the WSGI/ASGI middleware put it in ``environ``/``scope`` as
/// ``"sigv4.identity"``).
///
/// ``access_key_id``, ``region`` and ``service`` of the credential scope; ``signed_headers`` (lowercase,
/// sorted tuple); ``amz_date`` (``YYYYMMDDTHHMMSSZ``) and ``signing_time`` (aware datetime);
/// ``presigned`` (a presigned URL rather than an ``Authorization`` header) with ``expires_at`` (aware
/// datetime, else None); ``session_token_used``; ``payload_hash`` (the signed body hash or
/// ``UNSIGNED-PAYLOAD``) and ``payload_signed``. Immutable; holds no secret.
#[pyclass(module = "sigv4", name = "VerifiedIdentity", frozen)]
pub struct VerifiedIdentity {
    inner: CoreIdentity,
}

impl VerifiedIdentity {
    /// Wraps a core result.
    pub fn new(inner: CoreIdentity) -> Self {
        VerifiedIdentity { inner }
    }
}

#[pymethods]
impl VerifiedIdentity {
    /// The access key id that signed.
    #[getter]
    fn access_key_id(&self) -> &str {
        &self.inner.access_key_id
    }

    /// The region of the credential scope.
    #[getter]
    fn region(&self) -> &str {
        &self.inner.region
    }

    /// The service of the credential scope.
    #[getter]
    fn service(&self) -> &str {
        &self.inner.service
    }

    /// The signed header names, lowercase and sorted.
    #[getter]
    fn signed_headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.signed_headers.iter().map(String::as_str))
    }

    /// The signing time as ``YYYYMMDDTHHMMSSZ``.
    #[getter]
    fn amz_date(&self) -> String {
        self.inner.amz_date()
    }

    /// The signing time as an aware UTC datetime.
    #[getter]
    fn signing_time(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        datetime(py, self.inner.signing_time.unix())
    }

    /// True for a presigned URL, False for an ``Authorization`` header.
    #[getter]
    fn presigned(&self) -> bool {
        self.inner.presigned
    }

    /// For a presigned URL, the last instant it is valid (aware UTC datetime); else None.
    #[getter]
    fn expires_at(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .expires_at
            .map(|t| datetime(py, t.unix()))
            .transpose()
    }

    /// True when the request carried the session token of the looked-up credentials.
    #[getter]
    fn session_token_used(&self) -> bool {
        self.inner.session_token_used
    }

    /// The payload line that was signed: the body's hex SHA-256, or ``UNSIGNED-PAYLOAD``.
    #[getter]
    fn payload_hash(&self) -> &str {
        &self.inner.payload_hash
    }

    /// True when the body is covered by the signature (not ``UNSIGNED-PAYLOAD``).
    #[getter]
    fn payload_signed(&self) -> bool {
        self.inner.payload_signed()
    }

    /// The key a replay store remembers this request under (64 hex digits, before any prefix;
    /// the same in every language).
    #[getter]
    fn replay_key(&self) -> String {
        self.inner.replay_claim.key()
    }

    /// Milliseconds a replay store must keep ``replay_key`` at ``now`` (unix seconds, float; the
    /// end of the request's validity window; at least 1).
    fn replay_ttl_ms(&self, now: f64) -> u64 {
        // Milliseconds floored: the ttl may come out up to 1 ms long, never short.
        self.inner
            .replay_claim
            .ttl_millis((now * 1000.0).floor() as i64)
    }

    /// ``AWS4-HMAC-SHA256`` (SigV4) or ``AWS4-ECDSA-P256-SHA256`` (SigV4a).
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm.name()
    }

    /// SigV4a: the signed region set (``X-Amz-Region-Set``); None for SigV4.
    #[getter]
    fn region_set(&self) -> Option<&str> {
        self.inner.region_set.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "VerifiedIdentity(access_key_id={:?}, region={:?}, service={:?}, signed_headers={:?}, \
             amz_date={:?}, presigned={})",
            self.inner.access_key_id,
            self.inner.region,
            self.inner.service,
            self.inner.signed_headers.join(";"),
            self.inner.amz_date(),
            if self.inner.presigned {
                "True"
            } else {
                "False"
            }
        )
    }
}
