//! `VerifiedStream`: a streaming (aws-chunked) upload whose headers and seed signature verified,
//! with the core's decoder checking each chunk signature of the body fed to it.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBytes, PyDict, PyString};
use sigv4::ChunkedDecoder;

use crate::body::{as_bytes, DETACH_THRESHOLD};
use crate::errors::verification;
use crate::headers::HeaderTexts;
use crate::identity::VerifiedIdentity;
use crate::lookup;
use crate::timestamp;

/// A streaming upload whose headers verified (``Verifier.verify_streaming``): feed it the wire body.
///
/// ``feed(data)`` takes aws-chunked wire bytes (any split) and returns the data of every chunk whose
/// signature checked out so far (bytes; raises ``VerificationError`` with code ``InvalidChunk`` on a
/// bad frame or chunk signature, and keeps failing afterwards). ``finish()`` ends the body: it checks
/// the final chunk, the decoded length and the declared trailers and returns the trailers as a dict;
/// the upload is valid only when it returns. ``identity``, ``decoded_length``
/// (``x-amz-decoded-content-length``), ``trailer_names`` (declared in ``x-amz-trailer``),
/// ``content_encoding`` (without ``aws-chunked``) and ``decoded_bytes`` (data handed out so far)
/// describe it; ``identity.payload_hash`` is the ``STREAMING-*`` form that was signed. Not thread-safe: one
/// consumer.
#[pyclass(module = "sigv4", name = "VerifiedStream")]
pub struct VerifiedStream {
    identity: Py<VerifiedIdentity>,
    decoder: ChunkedDecoder,
    decoded_length: u64,
    trailer_names: Vec<String>,
    content_encoding: String,
}

/// What `Verifier.verify_streaming` runs: the core's header checks, then the decoder.
pub fn verify(
    py: Python<'_>,
    core: &sigv4::Verifier,
    method: &str,
    url: &str,
    header_texts: &HeaderTexts<'_>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<VerifiedStream> {
    let pairs = crate::headers::as_pairs(header_texts);
    let now = timestamp::parse(py, now)?;
    let result = core.verify_streaming_http(method, url, &pairs, now);
    if let Some(error) = lookup::take_error() {
        return Err(error);
    }
    let stream = result.map_err(|e| verification(py, e))?;
    let decoded_length = stream.decoded_length;
    let trailer_names = stream.trailers.clone();
    let content_encoding = stream.content_encoding.clone();
    let (identity, decoder) = stream.into_parts();
    Ok(VerifiedStream {
        identity: Py::new(py, VerifiedIdentity::new(identity))?,
        decoder,
        decoded_length,
        trailer_names,
        content_encoding,
    })
}

#[pymethods]
impl VerifiedStream {
    /// Feeds aws-chunked wire bytes; returns the verified data they completed (possibly empty).
    fn feed<'py>(
        &mut self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        if data.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err("feed() takes bytes, not str"));
        }
        let bytes = match data.cast::<PyBytes>() {
            Ok(b) => b.clone(),
            Err(_) => as_bytes(data)
                .map_err(|_| PyTypeError::new_err("feed() takes bytes, bytearray or memoryview"))?,
        };
        let input = bytes.as_bytes();
        let mut out = Vec::new();
        let decoder = &mut self.decoder;
        let result = if input.len() >= DETACH_THRESHOLD {
            py.detach(|| decoder.feed(input, &mut out))
        } else {
            decoder.feed(input, &mut out)
        };
        result.map_err(|e| verification(py, e))?;
        Ok(PyBytes::new(py, &out))
    }

    /// Ends the body; returns the verified trailers ``{name: value}`` (raises ``VerificationError``
    /// ``InvalidChunk`` when the body is truncated, too short or too long, or a trailer is missing).
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let trailers = self.decoder.finish().map_err(|e| verification(py, e))?;
        let out = PyDict::new(py);
        for (name, value) in trailers {
            out.set_item(name, value)?;
        }
        Ok(out)
    }

    /// Who signed the request.
    #[getter]
    fn identity(&self, py: Python<'_>) -> Py<VerifiedIdentity> {
        self.identity.clone_ref(py)
    }

    /// ``x-amz-decoded-content-length``: the length of the data once decoded.
    #[getter]
    fn decoded_length(&self) -> u64 {
        self.decoded_length
    }

    /// Data bytes handed out so far.
    #[getter]
    fn decoded_bytes(&self) -> u64 {
        self.decoder.decoded_bytes()
    }

    /// Whether the final chunk (and trailers) arrived.
    #[getter]
    fn done(&self) -> bool {
        self.decoder.is_done()
    }

    /// The trailers declared in ``x-amz-trailer`` (lowercase), in order.
    #[getter]
    fn trailer_names(&self) -> Vec<String> {
        self.trailer_names.clone()
    }

    /// ``Content-Encoding`` without ``aws-chunked`` (e.g. ``gzip``; empty when none).
    #[getter]
    fn content_encoding(&self) -> &str {
        &self.content_encoding
    }

    fn __repr__(&self) -> String {
        format!(
            "VerifiedStream(decoded_length={}, decoded_bytes={})",
            self.decoded_length,
            self.decoder.decoded_bytes()
        )
    }
}
