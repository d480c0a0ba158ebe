//! `Verifier`: checks SigV4 signatures of incoming requests (the core's verifier, one Python call).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBool, PyBytes, PyDict, PyInt, PyString};
use sigv4::{
    Body, ErrorKind, OptionFlag, OptionName, PathNormalization, SessionTokenMode, UriEncoding,
    VerifierSettings,
};

use crate::body::{hash_stream, BodyInput, DETACH_THRESHOLD};
use crate::errors::{input, verification, IntoPyResult};
use crate::headers::HeaderTexts;
use crate::identity::VerifiedIdentity;
use crate::lookup::{self, Lookup};
use crate::raw;
use crate::text::{str_of, Text};
use crate::timestamp;

/// Replay cache capacity used for ``replay_cache=True``.
const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// Checks SigV4 signatures (``Authorization`` header or presigned URL) of incoming requests for one
/// service and a set of regions.
///
/// ``credentials``: a mapping ``{access_key_id: secret}`` (values may also be ``sigv4.Credentials``,
/// when a session token must match; the mapping is copied once), a callable ``access_key_id ->
/// secret | Credentials | None`` (called per request with the GIL held; what it raises propagates),
/// one ``sigv4.Credentials``, or None (every key unknown). ``region`` (one) or ``regions`` (several)
/// and ``service`` fix the accepted credential scope. ``max_skew`` (seconds, default 900) bounds the
/// clock difference; ``max_expires`` (default 604800) the presigned lifetime. ``must_sign_headers``
/// names headers that must be signed whenever present, on top of every ``x-amz-*`` header and the
/// service defaults (``content-md5``, and ``content-type`` outside S3). ``allow_unsigned_payload``
/// (default: True for S3, False otherwise) accepts ``UNSIGNED-PAYLOAD``. ``replay_cache``: None
/// (off), True, or a capacity; each verified signature is then accepted once. ``uri_encoding``,
/// ``normalize_path`` and ``sign_session_token`` describe how clients signed (service defaults).
///
/// ``signing_keys`` (instead of ``credentials``): a callable ``(access_key_id, date, region, service)
/// -> key | (key, session_token) | None`` giving the derived signing key (``kSigning``, 32 bytes or
/// 64 hex digits) for the request's scope, so the verifier never holds a secret (SigV4a requests are
/// then refused: their key pair needs the secret).
///
/// Immutable and safe to share between threads; build one at startup.
#[pyclass(module = "sigv4", name = "Verifier", frozen)]
pub struct Verifier {
    core: sigv4::Verifier,
}

fn seconds(
    py: Python<'_>,
    name: &'static str,
    value: &Bound<'_, PyAny>,
    max: u32,
) -> PyResult<u32> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an int number of seconds"
        )));
    }
    match value.extract::<i64>() {
        Ok(n) if (0..=i64::from(max)).contains(&n) => Ok(n as u32),
        _ => Err(input(
            py,
            ErrorKind::InvalidOption,
            name,
            format!("{name} must be 0..={max} seconds (got {value})"),
        )),
    }
}

fn names(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a list of str, not a str"
        )));
    }
    let mut out = Vec::new();
    for item in value.try_iter()? {
        let item = item?;
        let text = item
            .cast::<PyString>()
            .map_err(|_| PyTypeError::new_err(format!("{what} must hold str")))?;
        out.push(crate::text::str_of(text)?.to_ascii_lowercase());
    }
    Ok(out)
}

fn replay_capacity(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(flag.is_true().then_some(DEFAULT_REPLAY_CAPACITY));
    }
    match value.extract::<i64>() {
        Ok(n) if n >= 1 => Ok(Some(n as usize)),
        _ => Err(input(
            py,
            ErrorKind::InvalidOption,
            "replay_cache",
            format!("replay_cache must be None, True or a capacity >= 1 (got {value})"),
        )),
    }
}

/// A raw path or query: bytes (UTF-8, else refused: `sigv4::target_text`) or str.
fn target_part<'py>(py: Python<'py>, value: &Bound<'py, PyAny>, what: &str) -> PyResult<Text<'py>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        if let Err(e) = sigv4::target_text(b.as_bytes()) {
            return Err(verification(py, e));
        }
        return Ok(Text::from_wire_bytes(b));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Text::from_str(s);
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be bytes or str, not {}",
        value.get_type().name()?
    )))
}

impl Verifier {
    /// The one verification every entry point ends in.
    fn check(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        header_texts: &HeaderTexts<'_>,
        body: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<VerifiedIdentity> {
        let pairs = crate::headers::as_pairs(header_texts);
        let body = BodyInput::extract(body)?;
        let now = timestamp::parse(py, now)?;
        let stream_hash;
        let core_body = match (body.as_slice(), &body) {
            (Some(bytes), _) => Body::Bytes(bytes),
            (None, BodyInput::Stream(stream)) => {
                stream_hash = hash_stream(stream)?;
                Body::Precomputed(&stream_hash)
            }
            (None, _) => Body::Bytes(&[]),
        };
        let run = || {
            self.core.verify_http_with(
                method,
                url,
                &pairs,
                core_body,
                now,
                VerifiedIdentity::from_view,
            )
        };
        let large = matches!(core_body, Body::Bytes(b) if b.len() >= DETACH_THRESHOLD);
        let result = if large { py.detach(run) } else { run() };
        if let Some(error) = lookup::take_error() {
            return Err(error);
        }
        result.map_err(|e| verification(py, e))
    }
}

/// `scope["method"]` of an ASGI http scope (`GET` when absent).
fn scope_method<'py>(scope: &Bound<'py, PyDict>) -> PyResult<Text<'py>> {
    match scope.get_item(pyo3::intern!(scope.py(), "method"))? {
        Some(m) => Text::from_str(m.cast::<PyString>()?),
        None => Ok(Text::Owned("GET".to_owned())),
    }
}

/// `scope["headers"]` of an ASGI http scope as header texts (none when absent).
fn scope_headers<'py>(scope: &Bound<'py, PyDict>) -> PyResult<crate::headers::HeaderTexts<'py>> {
    match scope.get_item(pyo3::intern!(scope.py(), "headers"))? {
        Some(h) => raw::asgi_headers(&h),
        None => Ok(Vec::new()),
    }
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (credentials=None, region=None, service=None, *, regions=None,
        max_skew=None, max_expires=None, must_sign_headers=None, allow_unsigned_payload=None,
        replay_cache=None, uri_encoding=None, normalize_path=None, sign_session_token=None,
        allow_sigv4a=None, replay_store=None, signing_keys=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        credentials: Option<&Bound<'_, PyAny>>,
        region: Option<&Bound<'_, PyString>>,
        service: Option<&Bound<'_, PyString>>,
        regions: Option<&Bound<'_, PyAny>>,
        max_skew: Option<&Bound<'_, PyAny>>,
        max_expires: Option<&Bound<'_, PyAny>>,
        must_sign_headers: Option<&Bound<'_, PyAny>>,
        allow_unsigned_payload: Option<bool>,
        replay_cache: Option<&Bound<'_, PyAny>>,
        uri_encoding: Option<&Bound<'_, PyString>>,
        normalize_path: Option<bool>,
        sign_session_token: Option<bool>,
        allow_sigv4a: Option<bool>,
        replay_store: Option<&Bound<'_, PyAny>>,
        signing_keys: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let keys = crate::key_lookup::argument(py, credentials, signing_keys)?;
        let lookup = Lookup::from_object(credentials)?;
        let region = region.map(crate::text::string_of).transpose()?;
        let service = match service {
            Some(s) => crate::text::string_of(s)?,
            None => "execute-api".to_owned(),
        };
        let service = service.as_str();
        let uri_encoding = uri_encoding.map(crate::text::string_of).transpose()?;
        let uri_encoding = uri_encoding.as_deref();
        let mut region_list = match regions {
            Some(list) => names(list, "regions")?,
            None => Vec::new(),
        };
        if let Some(region) = region {
            region_list.insert(0, region.to_owned());
        }
        if region_list.is_empty() {
            return Err(input(
                py,
                ErrorKind::InvalidRegion,
                "region",
                "give region=\"us-east-1\" or regions=[...]: the regions whose signatures are accepted"
                    .to_owned(),
            ));
        }
        let mut settings = VerifierSettings::for_service(service);
        if let Some(v) = max_skew {
            settings.max_skew_seconds = seconds(py, "max_skew", v, 86_400)?;
        }
        if let Some(v) = max_expires {
            settings.max_expires_seconds = seconds(py, "max_expires", v, 604_800)?;
        }
        if let Some(v) = must_sign_headers {
            for name in names(v, "must_sign_headers")? {
                if !settings.must_sign_headers.contains(&name) {
                    settings.must_sign_headers.push(name);
                }
            }
        }
        if let Some(v) = allow_unsigned_payload {
            settings.allow_unsigned_payload = v;
        }
        settings.replay_cache_capacity = replay_capacity(py, replay_cache)?;
        if let Some(name) = uri_encoding {
            settings.uri_encoding = UriEncoding::parse_name(name).py_err(py)?;
        }
        if let Some(v) = normalize_path {
            settings.path_normalization = PathNormalization::from_flag(v);
        }
        if let Some(v) = sign_session_token {
            settings.session_token_mode = SessionTokenMode::from_flag(v);
        }
        if let Some(v) = allow_sigv4a {
            settings.allow_sigv4a = v;
        }
        let refs: Vec<&str> = region_list.iter().map(String::as_str).collect();
        let store = match replay_store.filter(|s| !s.is_none()) {
            Some(_) if settings.replay_cache_capacity.is_some() => {
                return Err(input(
                    py,
                    ErrorKind::InvalidOption,
                    "replay_store",
                    "give replay_cache (this process only) or replay_store (shared), not both"
                        .to_owned(),
                ))
            }
            Some(s) => Some(crate::replay::PyReplayStore::from_object(s)?),
            None => None,
        };
        let mut core = match keys {
            Some(keys) => sigv4::Verifier::with_signing_keys(keys, &refs, service, settings),
            None => sigv4::Verifier::new(lookup, &refs, service, settings),
        }
        .map_err(|e| crate::errors::to_py(py, e))?;
        if let Some((store, fail_open)) = store {
            core = core.with_replay_store(store, fail_open);
        }
        Ok(Verifier { core })
    }

    /// Verifies one request; returns a ``VerifiedIdentity`` or raises ``sigv4.VerificationError``.
    ///
    /// ``url``: the URL as the client sent it (absolute, or the raw request target with a ``Host``
    /// header) — the path and query exactly as on the wire. ``headers``: a mapping or a list of
    /// (name, value) pairs as received (repeated names as separate pairs). ``body``: bytes-like, str,
    /// a binary file or an iterable of bytes (hashed in pieces). ``now``: the server's time (aware
    /// datetime, epoch seconds or ``YYYYMMDDTHHMMSSZ``; default the system clock). The error's
    /// ``code`` is AWS's (``SignatureDoesNotMatch``, ``RequestExpired``, ...), or the input code
    /// (``InvalidUrl``, ``InvalidHeaderValue``, ...) for a request that is not valid HTTP.
    #[pyo3(signature = (method, url, headers=None, body=None, now=None))]
    fn verify(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        url: &Bound<'_, PyString>,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<VerifiedIdentity> {
        let method = str_of(method)?;
        let url = str_of(url)?;
        let header_texts = crate::headers::extract_texts(headers)?;
        self.check(py, &method, &url, &header_texts, body, now)
    }

    /// Verifies the headers of a streaming (aws-chunked) upload and returns a ``VerifiedStream``:
    /// feed it the wire body (only data whose chunk signature verified comes back), then call
    /// ``finish()``. ``url``, ``headers`` and ``now`` as for ``verify``; the body is not given here.
    /// Raises ``VerificationError`` (``InvalidChunk`` for bad framing headers, the usual codes for
    /// the seed signature).
    #[pyo3(signature = (method, url, headers=None, now=None))]
    fn verify_streaming(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        url: &Bound<'_, PyString>,
        headers: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<crate::verify_stream::VerifiedStream> {
        let header_texts = crate::headers::extract_texts(headers)?;
        crate::verify_stream::verify(
            py,
            &self.core,
            &str_of(method)?,
            &str_of(url)?,
            &header_texts,
            now,
        )
    }

    /// Verifies one request as an ASGI server hands it over (the fast path of
    /// ``sigv4.asgi.SigV4Middleware``): ``path`` is the raw path (``scope["raw_path"]``, bytes, or
    /// str), ``query`` the raw query string (``scope["query_string"]``), ``headers`` the
    /// ``scope["headers"]`` list of ``(name, value)`` byte pairs as received. Header bytes are read
    /// as UTF-8, or as latin-1 when they are not UTF-8; path and query bytes that are not UTF-8
    /// are refused (``InvalidUrl``). Otherwise as ``verify``.
    #[pyo3(signature = (method, path, query, headers, body=None, now=None))]
    #[allow(clippy::too_many_arguments)]
    fn verify_raw(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        path: &Bound<'_, PyAny>,
        query: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        body: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<VerifiedIdentity> {
        let method = str_of(method)?;
        let path = target_part(py, path, "path")?;
        let query = target_part(py, query, "query")?;
        let header_texts = raw::asgi_headers(headers)?;
        let url = raw::join_target(path.as_str(), query.as_str());
        self.check(py, &method, &url, &header_texts, body, now)
    }

    /// Verifies one request from an ASGI http ``scope`` (the fast path of
    /// ``sigv4.asgi.SigV4Middleware``): ``method``, the target from ``raw_path`` and
    /// ``query_string`` (``sigv4.asgi.scope_target``), the ``headers`` byte pairs, as
    /// ``verify_raw`` reads them. ``body`` and ``now`` as for ``verify``.
    #[pyo3(signature = (scope, body=None, now=None))]
    fn verify_scope(
        &self,
        py: Python<'_>,
        scope: &Bound<'_, PyDict>,
        body: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<VerifiedIdentity> {
        let header_texts = scope_headers(scope)?;
        let method = scope_method(scope)?;
        let url = raw::scope_target(scope)?;
        self.check(py, method.as_str(), &url, &header_texts, body, now)
    }

    /// Verifies an ASGI http ``scope`` that has no body — an HTTP/1 request announcing none (no
    /// ``Content-Length`` other than 0, no ``Transfer-Encoding``: RFC 9112 6.3) — as
    /// ``verify_scope(scope, b"", now)`` does, and returns None, without verifying, for a request
    /// that may carry a body (read it, then call ``verify_scope``). One call instead of
    /// ``scope_has_body`` then ``verify_scope``: the middleware's path for GETs.
    #[pyo3(signature = (scope, now=None))]
    fn verify_bodiless_scope(
        &self,
        py: Python<'_>,
        scope: &Bound<'_, PyDict>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<VerifiedIdentity>> {
        if !raw::scope_is_http1(scope)? {
            return Ok(None);
        }
        let header_texts = scope_headers(scope)?;
        if raw::announces_body(&header_texts) {
            return Ok(None);
        }
        let method = scope_method(scope)?;
        let url = raw::scope_target(scope)?;
        self.check(py, method.as_str(), &url, &header_texts, None, now)
            .map(Some)
    }

    /// Verifies one request from a WSGI ``environ`` (the fast path of ``sigv4.wsgi.SigV4Middleware``):
    /// the method from ``REQUEST_METHOD``, the target as ``sigv4.wsgi.wire_target`` finds it, the
    /// headers from ``HTTP_*``, ``CONTENT_TYPE`` and ``CONTENT_LENGTH`` (as
    /// ``sigv4.wsgi.environ_headers`` reads them). ``body`` and ``now`` as for ``verify``.
    #[pyo3(signature = (environ, body=None, now=None))]
    fn verify_environ(
        &self,
        py: Python<'_>,
        environ: &Bound<'_, PyDict>,
        body: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<VerifiedIdentity> {
        let method = match environ.get_item(pyo3::intern!(py, "REQUEST_METHOD"))? {
            Some(m) => Text::from_str(m.cast::<PyString>()?)?,
            None => Text::Owned("GET".to_owned()),
        };
        let target = raw::environ_target(environ)?;
        let header_texts = raw::environ_headers(environ)?;
        self.check(
            py,
            method.as_str(),
            target.as_str(),
            &header_texts,
            body,
            now,
        )
    }

    /// Verifies many requests at once, spread over the machine's cores with the GIL released;
    /// returns one result per request, in order: a ``VerifiedIdentity`` or the exception ``verify``
    /// would raise for it (returned, not raised; a malformed entry gives its own ``TypeError`` or
    /// ``sigv4.Error``). Each request is a dict ``{"method", "url", "headers", "body", "now"}``
    /// (``verify``'s arguments) or a tuple ``(method, url[, headers[, body]])``. ``now`` applies to
    /// entries without their own. With the replay cache on, requests are recorded in the list's
    /// order: a signed request repeated later in the batch is ``RequestReplayed``. ``threads``:
    /// threads that verify, this one included (default: the available cores); this thread also
    /// reads the requests and builds the results, chunk by chunk, and verifies whenever it is
    /// ahead of the others.
    #[pyo3(signature = (requests, now=None, *, threads=None))]
    fn verify_many(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        threads: Option<usize>,
    ) -> PyResult<Py<pyo3::types::PyList>> {
        crate::batch::verify_many(py, &self.core, requests, now, threads)
    }

    /// The accepted regions.
    #[getter]
    fn regions(&self) -> Vec<String> {
        self.core.regions().to_vec()
    }

    /// The accepted service.
    #[getter]
    fn service(&self) -> &str {
        self.core.service()
    }

    /// How many signatures the replay cache holds (0 when it is off).
    #[getter]
    fn replay_cache_len(&self) -> usize {
        self.core.replay_cache_len()
    }

    fn __repr__(&self) -> String {
        let s = self.core.settings();
        format!(
            "Verifier(regions={:?}, service={:?}, max_skew={}, max_expires={}, replay_cache={})",
            self.core.regions(),
            self.core.service(),
            s.max_skew_seconds,
            s.max_expires_seconds,
            s.replay_cache_capacity
                .map_or("None".to_owned(), |c| c.to_string())
        )
    }
}
