//! `VerifiedIdentity`: who signed a request that verified. Frozen, holds no secret.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyAny, PyTuple};
use std::cell::RefCell;
use std::sync::Arc;

use sigv4::IdentityView;
use sigv4::VerifiedIdentity as CoreIdentity;
use sigv4::{ReplayClaim, ReplayMark, SigningAlgorithm, SigningTime};

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
    /// Held once for the identities that share it (see [`VerifiedIdentity::from_view`]).
    scope: Arc<Scope>,
    signing_time: SigningTime,
    presigned: bool,
    expires_at: Option<SigningTime>,
    session_token_used: bool,
    payload_hash: PayloadHash,
    payload_signed: bool,
    replay: Replay,
}

/// The replay claim, or (single verifications, where nothing may ask for it) what it is computed
/// from: the hash is then only taken when `replay_key` / `replay_ttl_ms` are read.
enum Replay {
    Claim(ReplayClaim),
    Mark(ReplayMark),
}

/// What the identities of a batch usually have in common (one key, one scope, one client's signed
/// headers): a batch's results share it instead of holding a copy each — ten thousand results
/// alive at once cost page faults and allocator work per string otherwise.
struct Scope {
    access_key_id: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
    algorithm: SigningAlgorithm,
    region_set: Option<String>,
}

/// The payload line, inline when it fits (every form SigV4 defines does: a 64-digit hash or a
/// literal such as `UNSIGNED-PAYLOAD`), so that an identity allocates nothing of its own.
enum PayloadHash {
    Inline(u8, [u8; 64]),
    Long(Box<str>),
}

impl PayloadHash {
    fn new(text: &str) -> Self {
        let mut bytes = [0; 64];
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= bytes.len() => {
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                PayloadHash::Inline(len, bytes)
            }
            _ => PayloadHash::Long(text.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // A copy of a whole `str`: valid UTF-8.
            PayloadHash::Inline(len, bytes) => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            PayloadHash::Long(text) => text,
        }
    }
}

impl Scope {
    /// Whether `view` has this scope (the identity can share it instead of copying its strings).
    fn is_of(&self, view: &IdentityView<'_>) -> bool {
        self.access_key_id == view.access_key_id
            && self.region == view.region
            && self.service == view.service
            && self.signed_headers.len() == view.signed_headers.len()
            && self
                .signed_headers
                .iter()
                .zip(view.signed_headers)
                .all(|(a, b)| a == b)
            && self.algorithm == view.algorithm
            && self.region_set.as_deref() == view.region_set
    }

    fn of(view: &IdentityView<'_>) -> Self {
        Scope {
            access_key_id: view.access_key_id.to_owned(),
            region: view.region.to_owned(),
            service: view.service.to_owned(),
            signed_headers: view
                .signed_headers
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            algorithm: view.algorithm,
            region_set: view.region_set.map(str::to_owned),
        }
    }
}

thread_local! {
    /// The scope of this thread's last verification (a single one, or a `verify_many` entry this
    /// thread checked): a server's requests mostly come from a few clients, so most identities
    /// share it and copy no string.
    static LAST_SCOPE: RefCell<Option<Arc<Scope>>> = const { RefCell::new(None) };
}

impl VerifiedIdentity {
    /// The identity of one verification, from the core's borrowed view (see [`Scope::is_of`]).
    pub fn from_view(view: IdentityView<'_>) -> Self {
        let scope = LAST_SCOPE
            .try_with(|last| {
                let mut last = last.borrow_mut();
                match &*last {
                    Some(scope) if scope.is_of(&view) => Arc::clone(scope),
                    _ => {
                        let scope = Arc::new(Scope::of(&view));
                        *last = Some(Arc::clone(&scope));
                        scope
                    }
                }
            })
            // Only while the thread is being torn down.
            .unwrap_or_else(|_| Arc::new(Scope::of(&view)));
        VerifiedIdentity {
            scope,
            signing_time: view.signing_time,
            presigned: view.presigned,
            expires_at: view.expires_at,
            session_token_used: view.session_token_used,
            payload_hash: PayloadHash::new(view.payload_hash),
            payload_signed: view.payload_signed(),
            replay: Replay::Mark(view.replay_mark),
        }
    }

    /// Wraps an owned core result (a streaming verification's): its strings move into a scope
    /// of its own.
    pub fn new(inner: CoreIdentity) -> Self {
        let payload_signed = inner.payload_signed();
        let CoreIdentity {
            access_key_id,
            region,
            service,
            signed_headers,
            signing_time,
            presigned,
            expires_at,
            session_token_used,
            payload_hash,
            algorithm,
            region_set,
            replay_claim,
            ..
        } = inner;
        VerifiedIdentity {
            scope: Arc::new(Scope {
                access_key_id,
                region,
                service,
                signed_headers,
                algorithm,
                region_set,
            }),
            signing_time,
            presigned,
            expires_at,
            session_token_used,
            payload_hash: PayloadHash::new(&payload_hash),
            payload_signed,
            replay: Replay::Claim(replay_claim),
        }
    }

    fn replay_claim(&self) -> ReplayClaim {
        match &self.replay {
            Replay::Claim(claim) => claim.clone(),
            Replay::Mark(mark) => mark.claim(&self.scope.access_key_id),
        }
    }
}

#[pymethods]
impl VerifiedIdentity {
    /// The access key id that signed.
    #[getter]
    fn access_key_id(&self) -> &str {
        &self.scope.access_key_id
    }

    /// The region of the credential scope.
    #[getter]
    fn region(&self) -> &str {
        &self.scope.region
    }

    /// The service of the credential scope.
    #[getter]
    fn service(&self) -> &str {
        &self.scope.service
    }

    /// The signed header names, lowercase and sorted.
    #[getter]
    fn signed_headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.scope.signed_headers.iter().map(String::as_str))
    }

    /// The signing time as ``YYYYMMDDTHHMMSSZ``.
    #[getter]
    fn amz_date(&self) -> String {
        self.signing_time.amz_date()
    }

    /// The signing time as an aware UTC datetime.
    #[getter]
    fn signing_time(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        datetime(py, self.signing_time.unix())
    }

    /// True for a presigned URL, False for an ``Authorization`` header.
    #[getter]
    fn presigned(&self) -> bool {
        self.presigned
    }

    /// For a presigned URL, the last instant it is valid (aware UTC datetime); else None.
    #[getter]
    fn expires_at(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.expires_at.map(|t| datetime(py, t.unix())).transpose()
    }

    /// True when the request carried the session token of the looked-up credentials.
    #[getter]
    fn session_token_used(&self) -> bool {
        self.session_token_used
    }

    /// The payload line that was signed: the body's hex SHA-256, or ``UNSIGNED-PAYLOAD``.
    #[getter]
    fn payload_hash(&self) -> &str {
        self.payload_hash.as_str()
    }

    /// True when the body is covered by the signature (not ``UNSIGNED-PAYLOAD``).
    #[getter]
    fn payload_signed(&self) -> bool {
        self.payload_signed
    }

    /// The key a replay store remembers this request under (64 hex digits, before any prefix;
    /// the same in every language).
    #[getter]
    fn replay_key(&self) -> String {
        self.replay_claim().key()
    }

    /// Milliseconds a replay store must keep ``replay_key`` at ``now`` (unix seconds, float; the
    /// end of the request's validity window; at least 1).
    fn replay_ttl_ms(&self, now: f64) -> u64 {
        // Milliseconds floored: the ttl may come out up to 1 ms long, never short.
        self.replay_claim()
            .ttl_millis((now * 1000.0).floor() as i64)
    }

    /// ``AWS4-HMAC-SHA256`` (SigV4) or ``AWS4-ECDSA-P256-SHA256`` (SigV4a).
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.scope.algorithm.name()
    }

    /// SigV4a: the signed region set (``X-Amz-Region-Set``); None for SigV4.
    #[getter]
    fn region_set(&self) -> Option<&str> {
        self.scope.region_set.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "VerifiedIdentity(access_key_id={:?}, region={:?}, service={:?}, signed_headers={:?}, \
             amz_date={:?}, presigned={})",
            self.scope.access_key_id,
            self.scope.region,
            self.scope.service,
            self.scope.signed_headers.join(";"),
            self.signing_time.amz_date(),
            if self.presigned { "True" } else { "False" }
        )
    }
}
