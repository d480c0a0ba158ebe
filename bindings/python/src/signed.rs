//! `SignedRequest`: what a signing returns, frozen, with the session token kept out of `repr()`.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use sigv4::SignedRequest as CoreSigned;

/// The result of ``Signer.sign`` / ``Signer.presign``: what to send, and what was signed.
///
/// ``url`` and ``headers`` are everything to send (for a presigned URL the signature is in ``url``
/// and ``authorization`` is None). ``canonical_request`` and ``string_to_sign`` are there to compare
/// with the ones AWS returns when a signature does not match. Immutable; ``repr()`` hides the
/// session token.
#[pyclass(module = "sigv4", name = "SignedRequest", frozen)]
pub struct SignedRequest {
    inner: CoreSigned,
    headers: OnceLock<Py<PyDict>>,
}

impl SignedRequest {
    /// Wraps a core result.
    pub fn new(inner: CoreSigned) -> Self {
        SignedRequest {
            inner,
            headers: OnceLock::new(),
        }
    }

    /// The URL with any session token redacted (for `repr`).
    pub fn url_redacted(&self) -> String {
        redact_url(self.inner.url())
    }

    /// The signature.
    pub fn signature_str(&self) -> &str {
        self.inner.signature()
    }
}

fn redact_url(url: &str) -> String {
    const KEY: &str = "X-Amz-Security-Token=";
    match url.find(KEY) {
        Some(at) => {
            let start = at + KEY.len();
            let end = url[start..].find('&').map_or(url.len(), |i| start + i);
            format!("{}** redacted **{}", &url[..start], &url[end..])
        }
        None => url.to_owned(),
    }
}

/// A header name as a Python str: the names SigV4 adds are interned (built once, hash cached).
fn name_str<'py>(py: Python<'py>, name: &str) -> Bound<'py, PyString> {
    let interned = match name {
        "Host" => pyo3::intern!(py, "Host"),
        "X-Amz-Date" => pyo3::intern!(py, "X-Amz-Date"),
        "Authorization" => pyo3::intern!(py, "Authorization"),
        "X-Amz-Security-Token" => pyo3::intern!(py, "X-Amz-Security-Token"),
        "x-amz-content-sha256" => pyo3::intern!(py, "x-amz-content-sha256"),
        "X-Amz-Content-Sha256" => pyo3::intern!(py, "X-Amz-Content-Sha256"),
        "X-Amz-Region-Set" => pyo3::intern!(py, "X-Amz-Region-Set"),
        _ => return PyString::new(py, name),
    };
    interned.clone()
}

/// The headers dict: one entry per name, built by the core's `merged_headers` — a name given more
/// than once (any letter case) holds its values joined with `,`, the value the signature covers.
pub(crate) fn build_headers<'py>(
    py: Python<'py>,
    signed: &CoreSigned,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in signed.merged_headers() {
        dict.set_item(name_str(py, name), PyString::new(py, &value))?;
    }
    Ok(dict)
}

#[pymethods]
impl SignedRequest {
    /// The HTTP method.
    #[getter]
    fn method(&self) -> &str {
        self.inner.method()
    }

    /// The URL to send (with the ``X-Amz-*`` query parameters when presigned).
    #[getter]
    fn url(&self) -> &str {
        self.inner.url()
    }

    /// Every header to send, as a dict: a name given more than once (in any letter case) holds its
    /// values trimmed and joined with ``","``, exactly what the signature covers. Built once.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        if let Some(dict) = self.headers.get() {
            return Ok(dict.bind(py).clone());
        }
        // Built with the GIL held throughout (pyo3's PyOnceLock would release and retake it on
        // every first access); two threads racing both build one and the first stored wins.
        let built = build_headers(py, &self.inner)?;
        match self.headers.set(built.clone().unbind()) {
            Ok(()) => Ok(built),
            Err(_) => Ok(self.headers.get().map_or(built, |d| d.bind(py).clone())),
        }
    }

    /// Every header to send, in order, as a list of ``(name, value)`` pairs (names may repeat).
    #[getter]
    fn header_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items: Vec<Bound<'py, PyTuple>> = self
            .inner
            .headers()
            .map(|(n, v)| PyTuple::new(py, [n, v]))
            .collect::<PyResult<_>>()?;
        PyList::new(py, items)
    }

    /// The headers signing added (``Host`` when taken from the URL, ``X-Amz-Security-Token``,
    /// ``X-Amz-Date``, ``X-Amz-Region-Set`` for SigV4a, ``x-amz-content-sha256`` when signed,
    /// ``Authorization``), as ``(name, value)`` pairs: set them on a request that already carries
    /// the caller's headers (each replaces a header of the same name, any letter case).
    #[getter]
    fn added_headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items: Vec<Bound<'py, PyTuple>> = self
            .inner
            .added_headers()
            .map(|(n, v)| PyTuple::new(py, [n, v]))
            .collect::<PyResult<_>>()?;
        PyList::new(py, items)
    }

    /// The ``Authorization`` header value, or None for a presigned URL.
    #[getter]
    fn authorization(&self) -> Option<&str> {
        self.inner.authorization()
    }

    /// The signature: 64 lowercase hex digits.
    #[getter]
    fn signature(&self) -> &str {
        self.inner.signature()
    }

    /// The signing time as ``YYYYMMDDTHHMMSSZ`` (the ``X-Amz-Date`` value).
    #[getter]
    fn amz_date(&self) -> &str {
        self.inner.amz_date()
    }

    /// ``date/region/service/aws4_request``.
    #[getter]
    fn credential_scope(&self) -> &str {
        self.inner.credential_scope()
    }

    /// The signed header names, ``;``-separated.
    #[getter]
    fn signed_headers(&self) -> &str {
        self.inner.signed_headers()
    }

    /// The canonical request that was signed.
    #[getter]
    fn canonical_request(&self) -> &str {
        self.inner.canonical_request()
    }

    /// The string to sign.
    #[getter]
    fn string_to_sign(&self) -> &str {
        self.inner.string_to_sign()
    }

    /// The payload hash used: a hex SHA-256 or a sentinel such as ``UNSIGNED-PAYLOAD``.
    #[getter]
    fn payload_hash(&self) -> &str {
        self.inner.payload_hash()
    }

    fn __repr__(&self) -> String {
        format!(
            "SignedRequest(method={:?}, url={:?}, signed_headers={:?}, amz_date={:?}, signature={:?})",
            self.inner.method(),
            redact_url(self.inner.url()),
            self.inner.signed_headers(),
            self.inner.amz_date(),
            self.inner.signature()
        )
    }
}
