//! `StreamingUpload`: a signed aws-chunked upload, turning body pieces into signed wire bytes.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyAny, PyBool, PyBytes, PyInt, PyString};
use sigv4::{
    sign_streaming, Body, ChunkedEncoder, ChunkedPlan, Credentials as CoreCredentials, ErrorKind,
    PayloadMode, Request,
};

use crate::body::{as_bytes, DETACH_THRESHOLD};
use crate::errors::{input, IntoPyResult};
use crate::signed::SignedRequest;
use crate::timestamp;

/// The chunk size when none is given: 64 KiB, as the AWS SDKs use.
const DEFAULT_CHUNK_SIZE: u64 = 65_536;

static CHUNKED_BODY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The arguments of `Signer.sign_streaming`.
pub struct Args<'a, 'py> {
    /// HTTP method.
    pub method: &'a str,
    /// URL as sent.
    pub url: &'a str,
    /// Body length before encoding.
    pub decoded_length: &'a Bound<'py, PyAny>,
    /// Chunk size (default 64 KiB).
    pub chunk_size: Option<&'a Bound<'py, PyAny>>,
    /// Caller headers.
    pub headers: Option<&'a Bound<'py, PyAny>>,
    /// Declared trailers.
    pub trailers: Option<&'a Bound<'py, PyAny>>,
    /// Signing time.
    pub timestamp: Option<&'a Bound<'py, PyAny>>,
    /// Payload form name.
    pub payload: &'a str,
}

fn count(py: Python<'_>, name: &'static str, value: &Bound<'_, PyAny>) -> PyResult<u64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!("{name} must be an int")));
    }
    value.extract::<u64>().map_err(|_| {
        input(
            py,
            ErrorKind::InvalidOption,
            name,
            format!("{name} must be a non-negative int (got {value})"),
        )
    })
}

fn declare(
    py: Python<'_>,
    mut plan: ChunkedPlan,
    trailers: &Bound<'_, PyAny>,
) -> PyResult<ChunkedPlan> {
    if trailers.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "trailers must be a list of names (or (name, value_length) pairs), not a str",
        ));
    }
    for item in trailers.try_iter()? {
        let item = item?;
        plan = if let Ok(name) = item.cast::<PyString>() {
            plan.with_trailer(&crate::text::str_of(name)?).py_err(py)?
        } else {
            let (name, len): (String, usize) = item.extract().map_err(|_| {
                PyTypeError::new_err("trailers must hold names or (name, value_length) pairs")
            })?;
            plan.with_trailer_len(&name, len).py_err(py)?
        };
    }
    Ok(plan)
}

/// Signs the request of a streaming upload (see `Signer.sign_streaming`).
pub fn start(
    py: Python<'_>,
    core: &sigv4::Signer,
    rotated: Option<CoreCredentials>,
    args: Args<'_, '_>,
) -> PyResult<StreamingUpload> {
    let decoded_length = count(py, "decoded_length", args.decoded_length)?;
    let chunk_size = match args.chunk_size.filter(|c| !c.is_none()) {
        Some(value) => count(py, "chunk_size", value)?,
        None => DEFAULT_CHUNK_SIZE,
    };
    let mode = PayloadMode::parse_streaming_name(args.payload).py_err(py)?;
    let chunk_size = usize::try_from(chunk_size).unwrap_or(usize::MAX);
    let mut plan = ChunkedPlan::new(mode, decoded_length, chunk_size)
        .py_err(py)?
        .with_algorithm(core.settings().algorithm);
    if let Some(trailers) = args.trailers.filter(|t| !t.is_none()) {
        plan = declare(py, plan, trailers)?;
    }
    let header_list = crate::headers::extract(args.headers)?;
    let pairs: Vec<(&str, &str)> = header_list
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let time = timestamp::parse(py, args.timestamp)?;
    let request = Request::new(args.method, args.url, &pairs, Body::Bytes(b"")).py_err(py)?;
    let owned;
    let signer = match rotated {
        Some(credentials) => {
            owned = sigv4::Signer::with_settings(
                credentials,
                core.region(),
                core.service(),
                core.settings().clone(),
            )
            .py_err(py)?;
            &owned
        }
        None => core,
    };
    let upload = sign_streaming(signer, &request, time, plan).py_err(py)?;
    Ok(StreamingUpload {
        request: Py::new(py, SignedRequest::new(upload.request))?,
        encoder: upload.encoder,
    })
}

/// Trailers given as a mapping or a list of (name, value) pairs.
fn trailer_pairs(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    crate::headers::extract(value)
}

/// A signed streaming upload: the headers to send, and the encoder of the aws-chunked body.
///
/// Send ``url`` with ``headers`` (they include ``Content-Encoding: aws-chunked``, the wire
/// ``Content-Length``, ``x-amz-decoded-content-length``, ``x-amz-content-sha256`` and the
/// ``Authorization`` whose signature seeds the chunk signatures) and, as the body,
/// ``encode(file_or_iterable)``: an iterable of wire bytes with ``len()`` equal to the
/// ``Content-Length``, usable as a requests ``data=`` or an httpx ``content=``. Or drive it by hand:
/// ``chunk(data)`` for each piece (any size; returns the wire bytes of the chunks that became full,
/// possibly ``b""``) then ``final(trailers)``. Memory stays at one chunk; the GIL is released while
/// chunks are hashed and signed. Not thread-safe (one upload, one thread).
#[pyclass(module = "sigv4", name = "StreamingUpload")]
pub struct StreamingUpload {
    request: Py<SignedRequest>,
    encoder: ChunkedEncoder,
}

fn piece<'py>(data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok(b.clone());
    }
    if data.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "upload data must be bytes-like; encode text first (e.g. text.encode())",
        ));
    }
    as_bytes(data).map_err(|_| {
        PyTypeError::new_err(format!(
            "upload data must be bytes, bytearray or memoryview, not {}",
            data.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

#[pymethods]
impl StreamingUpload {
    /// The signed request (``SignedRequest``): its signature is the seed signature.
    #[getter]
    fn request(&self, py: Python<'_>) -> Py<SignedRequest> {
        self.request.clone_ref(py)
    }

    /// Every header to send, as a dict.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.request.bind(py).getattr("headers")
    }

    /// Every header to send, in order, as ``(name, value)`` pairs.
    #[getter]
    fn header_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.request.bind(py).getattr("header_list")
    }

    /// The URL to send.
    #[getter]
    fn url<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.request.bind(py).getattr("url")
    }

    /// The HTTP method.
    #[getter]
    fn method<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.request.bind(py).getattr("method")
    }

    /// The request's signature, which seeds the chunk signatures.
    #[getter]
    fn seed_signature<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.request.bind(py).getattr("signature")
    }

    /// The wire length of the encoded body (the ``Content-Length`` header).
    #[getter]
    fn content_length(&self) -> u64 {
        self.encoder.plan().content_length()
    }

    /// The body length before encoding (``x-amz-decoded-content-length``).
    #[getter]
    fn decoded_length(&self) -> u64 {
        self.encoder.plan().decoded_length()
    }

    /// The chunk size.
    #[getter]
    fn chunk_size(&self) -> usize {
        self.encoder.plan().chunk_size()
    }

    /// Body bytes fed so far.
    #[getter]
    fn bytes_written(&self) -> u64 {
        self.encoder.bytes_written()
    }

    /// Feeds the next piece of the body (any size); returns the wire bytes of every chunk that
    /// became full (``b""`` when none did). Raises ``sigv4.StreamingError`` past the planned length.
    fn chunk<'py>(
        &mut self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let data = piece(data)?;
        let bytes = data.as_bytes();
        let size = self.encoder.plan().chunk_size() as u64;
        let buffered = self.encoder.bytes_written() % size;
        let signs = buffered + bytes.len() as u64 >= size;
        let mut out = Vec::new();
        let encoder = &mut self.encoder;
        let result = if signs || bytes.len() >= DETACH_THRESHOLD {
            py.detach(|| encoder.write_into(bytes, &mut out))
        } else {
            encoder.write_into(bytes, &mut out)
        };
        result.py_err(py)?;
        Ok(PyBytes::new(py, &out))
    }

    /// Ends the body: the last partial chunk, the final chunk and the trailers (a mapping or
    /// ``(name, value)`` pairs, each declared trailer exactly once). Returns the last wire bytes.
    #[pyo3(signature = (trailers=None))]
    fn r#final<'py>(
        &mut self,
        py: Python<'py>,
        trailers: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let given = trailer_pairs(trailers)?;
        let pairs: Vec<(&str, &str)> = given
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let mut out = Vec::new();
        let encoder = &mut self.encoder;
        py.detach(|| encoder.finish_into(&pairs, &mut out))
            .py_err(py)?;
        Ok(PyBytes::new(py, &out))
    }

    /// The whole encoded body, lazily: an iterable of wire bytes with ``len()`` = ``content_length``.
    ///
    /// ``source`` is bytes-like, a binary file (read ``chunk_size`` bytes at a time) or an iterable
    /// of bytes; ``trailers`` as for ``final``. Single use. Works as a requests ``data=`` (its length
    /// makes requests send ``Content-Length`` rather than ``Transfer-Encoding: chunked``) and as an
    /// httpx ``content=`` for ``Client`` and ``AsyncClient``.
    #[pyo3(signature = (source, trailers=None))]
    fn encode<'py>(
        slf: &Bound<'py, Self>,
        source: &Bound<'py, PyAny>,
        trailers: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let make = CHUNKED_BODY.get_or_try_init(py, || {
            py.import("sigv4._streaming")
                .and_then(|m| m.getattr("ChunkedBody"))
                .map(Bound::unbind)
        })?;
        let trailers = match trailers {
            Some(t) => t.clone(),
            None => pyo3::types::PyNone::get(py).to_owned().into_any(),
        };
        make.bind(py).call1((slf, source, trailers))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let request = self.request.bind(py).get();
        Ok(format!(
            "StreamingUpload(url={:?}, decoded_length={}, content_length={}, chunk_size={}, \
             bytes_written={}, seed_signature={:?})",
            request.url_redacted(),
            self.encoder.plan().decoded_length(),
            self.encoder.plan().content_length(),
            self.encoder.plan().chunk_size(),
            self.encoder.bytes_written(),
            request.signature_str()
        ))
    }
}
