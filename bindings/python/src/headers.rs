//! The `headers=` argument: a mapping, or an iterable of (name, value) pairs where names may repeat.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBytes, PyDict, PyString, PyTuple};
use sigv4::ErrorKind;

use crate::errors::input;

fn text(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return String::from_utf8(b.as_bytes().to_vec()).map_err(|_| {
            input(
                value.py(),
                ErrorKind::InvalidUtf8,
                "headers",
                format!("header {what} given as bytes is not UTF-8"),
            )
        });
    }
    Err(PyTypeError::new_err(format!(
        "header {what}s must be str (or UTF-8 bytes), not {}",
        value.get_type().name()?
    )))
}

fn pair(item: &Bound<'_, PyAny>) -> PyResult<(String, String)> {
    let (name, value) = if let Ok(t) = item.cast::<PyTuple>() {
        if t.len() != 2 {
            return Err(PyTypeError::new_err(
                "headers given as a list must hold (name, value) pairs",
            ));
        }
        (t.get_item(0)?, t.get_item(1)?)
    } else {
        let mut it = item.try_iter().map_err(|_| {
            PyTypeError::new_err("headers given as a list must hold (name, value) pairs")
        })?;
        let name = it.next().transpose()?;
        let value = it.next().transpose()?;
        match (name, value, it.next()) {
            (Some(n), Some(v), None) => (n, v),
            _ => {
                return Err(PyTypeError::new_err(
                    "headers given as a list must hold (name, value) pairs",
                ))
            }
        }
    };
    Ok((text(&name, "name")?, text(&value, "value")?))
}

/// Reads headers in order.
pub fn extract(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    let value = match value {
        None => return Ok(Vec::new()),
        Some(v) if v.is_none() => return Ok(Vec::new()),
        Some(v) => v,
    };
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut out = Vec::with_capacity(dict.len());
        for (name, v) in dict.iter() {
            out.push((text(&name, "name")?, text(&v, "value")?));
        }
        return Ok(out);
    }
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "headers must be a mapping or a list of (name, value) pairs, not a string",
        ));
    }
    let py = value.py();
    // Multi-value mappings first (httpx.Headers), then any mapping, then pairs.
    if let Ok(multi) = value.getattr(pyo3::intern!(py, "multi_items")) {
        let mut out = Vec::new();
        for item in multi.call0()?.try_iter()? {
            out.push(pair(&item?)?);
        }
        return Ok(out);
    }
    if let Ok(items) = value.getattr(pyo3::intern!(py, "items")) {
        let mut out = Vec::new();
        for item in items.call0()?.try_iter()? {
            out.push(pair(&item?)?);
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    for item in value.try_iter().map_err(|_| {
        PyTypeError::new_err("headers must be a mapping or a list of (name, value) pairs")
    })? {
        out.push(pair(&item?)?);
    }
    Ok(out)
}
