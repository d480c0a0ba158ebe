//! Core errors become the exception classes of `sigv4._errors`, chosen by their stable code.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyAny;
use sigv4::{Error, ErrorKind};

static MAKE_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Turns a core error into the matching `sigv4.Error` subclass (with `.code` and `.argument`).
pub fn to_py(py: Python<'_>, error: Error) -> PyErr {
    let make = MAKE_ERROR.get_or_try_init(py, || {
        py.import("sigv4._errors")
            .and_then(|m| m.getattr("_from_native"))
            .map(Bound::unbind)
    });
    let built = make.and_then(|make| {
        make.bind(py)
            .call1((error.code(), error.argument(), error.message()))
    });
    match built {
        Ok(exception) => PyErr::from_value(exception),
        // The pure-Python half is missing (the extension imported on its own): still a ValueError.
        Err(_) => PyValueError::new_err(error.to_string()),
    }
}

/// An input error raised by the binding itself, with the core's code for `kind`.
pub fn input(py: Python<'_>, kind: ErrorKind, argument: &'static str, message: String) -> PyErr {
    to_py(py, Error::from_binding(kind, argument, message))
}

/// Extension trait: `result.py_err(py)?` for core results.
pub trait IntoPyResult<T> {
    /// Maps the error with [`to_py`].
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, e))
    }
}

static MAKE_VERIFICATION_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Turns a core error from verification into a `sigv4.VerificationError` (every failure, input
/// errors included, so that one `except` handles a bad request), with `.canonical_request` and
/// `.string_to_sign` for `SignatureDoesNotMatch`.
pub fn verification(py: Python<'_>, error: Error) -> PyErr {
    let make = MAKE_VERIFICATION_ERROR.get_or_try_init(py, || {
        py.import("sigv4._errors")
            .and_then(|m| m.getattr("_from_verify"))
            .map(Bound::unbind)
    });
    let (canonical, sts) = match error.mismatch() {
        Some(m) => (
            Some(m.canonical_request.as_str()),
            Some(m.string_to_sign.as_str()),
        ),
        None => (None, None),
    };
    let built = make.and_then(|make| {
        make.bind(py).call1((
            error.code(),
            error.argument(),
            error.message(),
            canonical,
            sts,
        ))
    });
    match built {
        Ok(exception) => PyErr::from_value(exception),
        Err(_) => PyValueError::new_err(error.to_string()),
    }
}
