//! `Signer`: credentials, scope and options fixed once; `sign` and `presign` per request.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBool, PyDict, PyInt, PyString};
use sigv4::{
    presign, sign, Body, ErrorKind, PayloadMode, Request, SigningAlgorithm, SigningParams,
    SigningSettings, MAX_EXPIRES_IN,
};

use crate::body::{hash_stream, BodyInput, DETACH_THRESHOLD};
use crate::credentials::Source;
use crate::errors::{input, IntoPyResult};
use crate::options::{self, CallOptions};
use crate::signed::SignedRequest;
use crate::text::str_of;
use crate::timestamp;

/// Signs requests for one (credentials, region, service) with fixed options; derived keys are cached.
///
/// ``credentials`` is a ``sigv4.Credentials`` or any object with ``access_key``, ``secret_key`` and
/// ``token`` (botocore's credentials, refreshable ones included): such objects are read again for
/// every request (through ``get_frozen_credentials()`` when they have it), so rotation just works.
///
/// Options (keywords): ``payload`` ("signed", "unsigned", "streaming-signed",
/// "streaming-unsigned-trailer", "streaming-signed-trailer"; default: signed, unsigned for S3 presigned
/// URLs), ``content_sha256_header`` (bool; default True for the S3 family), ``uri_encoding`` ("double"
/// or "single"; single for the S3 family), ``normalize_path`` (bool; False for the S3 family),
/// ``sign_session_token`` (bool, default True; False appends the token after signing),
/// ``unsigned_headers`` (names never signed, on top of the hop-by-hop defaults).
///
/// A ``Signer`` is immutable and safe to share between threads.
#[pyclass(module = "sigv4", name = "Signer", frozen)]
pub struct Signer {
    core: sigv4::Signer,
    source: Source,
}

fn expires(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<u64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(
            "expires_in must be an int number of seconds (1..604800)",
        ));
    }
    match value.extract::<i64>() {
        Ok(n) if (1..=MAX_EXPIRES_IN as i64).contains(&n) => Ok(n as u64),
        _ => Err(input(
            py,
            ErrorKind::InvalidExpiry,
            "expires_in",
            format!("expires_in must be 1..=604800 seconds (got {value})"),
        )),
    }
}

/// True when a streamed body must be hashed: the payload is signed and the caller gave no hash.
fn stream_needs_hash(
    settings: &SigningSettings,
    presigning: bool,
    headers: &[(&str, &str)],
) -> bool {
    settings.payload_for(presigning) == PayloadMode::Signed
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("x-amz-content-sha256"))
}

impl Signer {
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        url: &Bound<'_, PyString>,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        timestamp: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
        expires_in: Option<u64>,
    ) -> PyResult<SignedRequest> {
        let method = str_of(method)?;
        let url = str_of(url)?;
        let header_texts = crate::headers::extract_texts(headers)?;
        let pairs = crate::headers::as_pairs(&header_texts);
        let body = BodyInput::extract(body)?;
        let time = timestamp::parse(py, timestamp)?;

        let mut custom = None;
        let mut call = CallOptions::default();
        if let Some(opts) = options.filter(|o| !o.is_empty()) {
            let mut settings = self.core.settings().clone();
            call = options::apply(py, &mut settings, opts, true)?;
            custom = Some(settings);
        }
        let settings = custom.as_ref().unwrap_or(self.core.settings());
        let rotated = self.source.current(py)?;
        let credentials = rotated.as_ref().unwrap_or(self.core.credentials());

        let stream_hash;
        let body = match (&call.payload_hash, body.as_slice(), &body) {
            (Some(hash), _, _) => Body::Precomputed(hash),
            (None, Some(bytes), _) => Body::Bytes(bytes),
            (None, None, BodyInput::Stream(stream)) => {
                if stream_needs_hash(settings, expires_in.is_some(), &pairs) {
                    stream_hash = hash_stream(stream)?;
                    Body::Precomputed(&stream_hash)
                } else {
                    Body::Bytes(&[])
                }
            }
            (None, None, _) => Body::Bytes(&[]),
        };
        let request = Request::new(&method, &url, &pairs, body).py_err(py)?;
        let large = matches!(body, Body::Bytes(b) if b.len() >= DETACH_THRESHOLD);
        if settings.algorithm == SigningAlgorithm::Sigv4a {
            // SigV4a goes through the core signer (its ECDSA key cache); per-call options need a
            // signer of their own.
            let owned;
            let signer = match &custom {
                Some(settings) => {
                    owned = sigv4::Signer::with_settings(
                        credentials.clone(),
                        self.core.region(),
                        self.core.service(),
                        settings.clone(),
                    )
                    .py_err(py)?;
                    &owned
                }
                None => &self.core,
            };
            let run = || match expires_in {
                Some(seconds) => {
                    signer.presign_with_credentials(credentials, &request, time, seconds)
                }
                None => signer.sign_with_credentials(credentials, &request, time),
            };
            let signed = if large { py.detach(run) } else { run() };
            return Ok(SignedRequest::new(signed.py_err(py)?));
        }
        let params = SigningParams::new(
            credentials,
            self.core.region(),
            self.core.service(),
            time,
            settings,
        )
        .with_cache(self.core.key_cache());
        let run = || match expires_in {
            Some(seconds) => presign(&request, &params, seconds),
            None => sign(&request, &params),
        };
        let signed = if large { py.detach(run) } else { run() };
        Ok(SignedRequest::new(signed.py_err(py)?))
    }
}

#[pymethods]
impl Signer {
    #[new]
    #[pyo3(signature = (credentials, region, service, **options))]
    fn new(
        py: Python<'_>,
        credentials: &Bound<'_, PyAny>,
        region: &Bound<'_, PyString>,
        service: &Bound<'_, PyString>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let (region, service) = (str_of(region)?, str_of(service)?);
        let (region, service) = (region.as_ref(), service.as_ref());
        let (source, first) = Source::from_object(credentials)?;
        let mut settings = SigningSettings::for_service(service);
        if let Some(opts) = options {
            options::apply(py, &mut settings, opts, false)?;
        }
        let core = sigv4::Signer::with_settings(first, region, service, settings).py_err(py)?;
        Ok(Signer { core, source })
    }

    /// Signs a request with an ``Authorization`` header.
    ///
    /// ``url`` is the URL as it goes on the wire (absolute, or a path with a ``Host`` header);
    /// ``headers`` a mapping or a list of (name, value) pairs; ``body`` bytes, bytearray, memoryview,
    /// str (UTF-8), a binary file (hashed in pieces, position restored) or an iterable of bytes;
    /// ``timestamp`` an aware datetime, epoch seconds or ``YYYYMMDDTHHMMSSZ`` (default: now).
    /// Keyword options override the signer's for this call; ``payload_hash=`` gives a precomputed
    /// hex SHA-256 of the body. Returns a ``SignedRequest``.
    #[pyo3(signature = (method, url, headers=None, body=None, timestamp=None, **options))]
    #[allow(clippy::too_many_arguments)]
    fn sign(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        url: &Bound<'_, PyString>,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        timestamp: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<SignedRequest> {
        self.run(py, method, url, headers, body, timestamp, options, None)
    }

    /// Presigns a request: the signature goes in the URL, valid for ``expires_in`` seconds (1..604800).
    ///
    /// Arguments as for ``sign``. S3 presigned URLs use ``UNSIGNED-PAYLOAD`` unless ``payload`` says
    /// otherwise. Returns a ``SignedRequest`` whose ``url`` is the one to hand out.
    #[pyo3(signature = (method, url, expires_in=None, headers=None, body=None, timestamp=None, **options))]
    #[allow(clippy::too_many_arguments)]
    fn presign(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        url: &Bound<'_, PyString>,
        expires_in: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        timestamp: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<SignedRequest> {
        let seconds = match expires_in {
            Some(value) => expires(py, value)?,
            None => 3600,
        };
        self.run(
            py,
            method,
            url,
            headers,
            body,
            timestamp,
            options,
            Some(seconds),
        )
    }

    /// Signs a streaming upload (``aws-chunked``, as S3 ``PutObject``/``UploadPart`` take it) and
    /// returns a ``StreamingUpload`` whose ``encode()`` turns the body into the signed wire bytes.
    ///
    /// ``decoded_length`` is the body's length in bytes (known up front: ``Content-Length`` is
    /// computed from it); ``chunk_size`` 1..16 MiB (S3 wants at least 8 KiB); ``headers`` the
    /// caller's own headers; ``trailers`` the names of trailing checksums (``x-amz-checksum-crc32``,
    /// ``-crc32c``, ``-crc64nvme``, ``-sha1``, ``-sha256``) or ``(name, value_length)`` pairs, with
    /// ``payload="streaming-signed-trailer"`` or ``"streaming-unsigned-trailer"``; ``timestamp`` as
    /// for ``sign``. With ``algorithm="sigv4a"`` the chunks carry ECDSA signatures.
    #[pyo3(signature = (method, url, decoded_length, chunk_size=None, headers=None, trailers=None,
        timestamp=None, payload=None))]
    #[allow(clippy::too_many_arguments)]
    fn sign_streaming(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        url: &Bound<'_, PyString>,
        decoded_length: &Bound<'_, PyAny>,
        chunk_size: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        trailers: Option<&Bound<'_, PyAny>>,
        timestamp: Option<&Bound<'_, PyAny>>,
        payload: Option<&Bound<'_, PyString>>,
    ) -> PyResult<crate::streaming::StreamingUpload> {
        let payload = match payload {
            Some(p) => str_of(p)?,
            None => std::borrow::Cow::Borrowed("streaming-signed"),
        };
        let rotated = self.source.current(py)?;
        let args = crate::streaming::Args {
            method: &str_of(method)?,
            url: &str_of(url)?,
            decoded_length,
            chunk_size,
            headers,
            trailers,
            timestamp,
            payload: &payload,
        };
        crate::streaming::start(py, &self.core, rotated, args)
    }

    /// The region.
    #[getter]
    fn region(&self) -> &str {
        self.core.region()
    }

    /// The service.
    #[getter]
    fn service(&self) -> &str {
        self.core.service()
    }

    /// The credentials object given (read per request when it is not a ``sigv4.Credentials``).
    #[getter]
    fn credentials(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.source.object(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "Signer(access_key_id={:?}, region={:?}, service={:?})",
            self.core.credentials().access_key_id(),
            self.core.region(),
            self.core.service()
        )
    }
}
