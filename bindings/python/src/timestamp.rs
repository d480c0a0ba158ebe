//! The `timestamp=` argument: None (now), an aware datetime, epoch seconds, or a `YYYYMMDDTHHMMSSZ` string.

use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyAny, PyBool, PyFloat, PyInt, PyString, PyType};
use sigv4::{ErrorKind, SigningTime};

use crate::errors::{input, IntoPyResult};

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The current time from the system clock.
pub fn now(py: Python<'_>) -> PyResult<SigningTime> {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    SigningTime::from_unix(seconds).py_err(py)
}

fn from_float(py: Python<'_>, seconds: f64) -> PyResult<SigningTime> {
    if !seconds.is_finite() {
        return Err(input(
            py,
            ErrorKind::InvalidTimestamp,
            "timestamp",
            "timestamp must be a finite number of seconds since the epoch".to_owned(),
        ));
    }
    // Out-of-range values saturate and are then rejected by the core's range check.
    SigningTime::from_unix(seconds.floor() as i64).py_err(py)
}

/// Converts the `timestamp` argument; `None` means now.
pub fn parse(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<SigningTime> {
    let value = match value {
        None => return now(py),
        Some(v) if v.is_none() => return now(py),
        Some(v) => v,
    };
    if value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(
            "timestamp must be a datetime, epoch seconds or a YYYYMMDDTHHMMSSZ string, not bool",
        ));
    }
    if let Ok(int) = value.cast::<PyInt>() {
        return match int.extract::<i64>() {
            Ok(seconds) => SigningTime::from_unix(seconds).py_err(py),
            Err(_) => from_float(py, f64::INFINITY),
        };
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        return from_float(py, float.value());
    }
    if let Ok(text) = value.cast::<PyString>() {
        return SigningTime::parse(&crate::text::str_of(text)?).py_err(py);
    }
    let datetime = DATETIME.import(py, "datetime", "datetime")?;
    if value.is_instance(datetime)? {
        if value.getattr("tzinfo")?.is_none() || value.call_method0("utcoffset")?.is_none() {
            return Err(input(
                py,
                ErrorKind::InvalidTimestamp,
                "timestamp",
                "timestamp is a naive datetime: pass an aware one such as \
                 datetime.now(timezone.utc) (naive datetimes are ambiguous, so they are refused)"
                    .to_owned(),
            ));
        }
        let seconds: f64 = value.call_method0("timestamp")?.extract()?;
        return from_float(py, seconds);
    }
    Err(PyTypeError::new_err(format!(
        "timestamp must be an aware datetime, epoch seconds or a YYYYMMDDTHHMMSSZ string, not {}",
        value.get_type().name()?
    )))
}
