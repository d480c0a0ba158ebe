//! `PayloadHasher`: the core's incremental SHA-256, for bodies fed in pieces.

use pyo3::prelude::*;
use pyo3::types::PyAny;
use sigv4::PayloadHasher as CoreHasher;

use crate::body::feed;

/// Incremental SHA-256 of a body, as SigV4 hashes payloads (lowercase hex).
///
/// Feed it pieces with ``update()`` (bytes, bytearray, memoryview or str as UTF-8; the interpreter is
/// released while hashing pieces of 2 KiB or more), then pass ``hexdigest()`` as ``payload_hash=``.
#[pyclass(module = "sigv4", name = "PayloadHasher")]
#[derive(Default)]
pub struct PayloadHasher {
    inner: CoreHasher,
}

#[pymethods]
impl PayloadHasher {
    #[new]
    #[pyo3(signature = (data=None))]
    fn new(py: Python<'_>, data: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut hasher = PayloadHasher::default();
        if let Some(data) = data {
            feed(py, &mut hasher.inner, data)?;
        }
        Ok(hasher)
    }

    /// Feeds the next piece of the body.
    fn update(&mut self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<()> {
        feed(py, &mut self.inner, data)
    }

    /// The hex digest of everything fed so far (the hasher can keep going).
    fn hexdigest(&self) -> String {
        self.inner.clone().finish_hex()
    }

    /// An independent copy of the current state.
    fn copy(&self) -> Self {
        PayloadHasher {
            inner: self.inner.clone(),
        }
    }

    fn __repr__(&self) -> String {
        "PayloadHasher(sha256)".to_owned()
    }
}
