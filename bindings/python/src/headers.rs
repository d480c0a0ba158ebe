//! The `headers=` argument: a mapping, or an iterable of (name, value) pairs where names may repeat.
//!
//! Names and values are borrowed from the Python objects ([`Text`]), not copied.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBytes, PyDict, PyList, PyString, PyTuple};
use sigv4::ErrorKind;

use crate::errors::input;
use crate::text::Text;

/// Headers read from Python, in order.
pub type HeaderTexts<'py> = Vec<(Text<'py>, Text<'py>)>;

fn text<'py>(value: &Bound<'py, PyAny>, what: &str) -> PyResult<Text<'py>> {
    if let Ok(s) = value.cast::<PyString>() {
        return Text::from_str(s);
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Text::from_utf8_bytes(b).ok_or_else(|| {
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

fn not_a_pair() -> PyErr {
    PyTypeError::new_err("headers given as a list must hold (name, value) pairs")
}

fn pair<'py>(item: &Bound<'py, PyAny>) -> PyResult<(Text<'py>, Text<'py>)> {
    let (name, value) = if let Ok(t) = item.cast::<PyTuple>() {
        if t.len() != 2 {
            return Err(not_a_pair());
        }
        (t.get_item(0)?, t.get_item(1)?)
    } else {
        let mut it = item.try_iter().map_err(|_| not_a_pair())?;
        let name = it.next().transpose()?;
        let value = it.next().transpose()?;
        match (name, value, it.next()) {
            (Some(n), Some(v), None) => (n, v),
            _ => return Err(not_a_pair()),
        }
    };
    Ok((text(&name, "name")?, text(&value, "value")?))
}

fn pairs<'py>(iterable: &Bound<'py, PyAny>) -> PyResult<HeaderTexts<'py>> {
    let mut out = Vec::new();
    for item in iterable.try_iter()? {
        out.push(pair(&item?)?);
    }
    Ok(out)
}

/// Reads headers in order, borrowing their text.
pub fn extract_texts<'py>(value: Option<&Bound<'py, PyAny>>) -> PyResult<HeaderTexts<'py>> {
    let value = match value {
        None => return Ok(Vec::new()),
        Some(v) if v.is_none() => return Ok(Vec::new()),
        Some(v) => v,
    };
    // The common shapes first, without probing for methods (a failed getattr builds an exception).
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut out = Vec::with_capacity(dict.len());
        for (name, v) in dict.iter() {
            out.push((text(&name, "name")?, text(&v, "value")?));
        }
        return Ok(out);
    }
    if let Ok(list) = value.cast::<PyList>() {
        let mut out = Vec::with_capacity(list.len());
        for item in list.iter() {
            out.push(pair(&item)?);
        }
        return Ok(out);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        let mut out = Vec::with_capacity(tuple.len());
        for item in tuple.iter() {
            out.push(pair(&item)?);
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
    if value.hasattr(pyo3::intern!(py, "multi_items"))? {
        return pairs(&value.getattr(pyo3::intern!(py, "multi_items"))?.call0()?);
    }
    if value.hasattr(pyo3::intern!(py, "items"))? {
        return pairs(&value.getattr(pyo3::intern!(py, "items"))?.call0()?);
    }
    if value.try_iter().is_err() {
        return Err(PyTypeError::new_err(
            "headers must be a mapping or a list of (name, value) pairs",
        ));
    }
    pairs(value)
}

/// The borrowed `(name, value)` view the core takes.
pub fn as_pairs<'a>(texts: &'a HeaderTexts<'_>) -> Vec<(&'a str, &'a str)> {
    texts
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// Reads headers in order, as owned strings.
pub fn extract(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    Ok(extract_texts(value)?
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.as_str().to_owned()))
        .collect())
}
