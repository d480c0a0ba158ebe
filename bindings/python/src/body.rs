//! Request bodies: bytes-like values borrowed or copied once; files and iterables hashed in pieces.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyByteArray, PyBytes, PyDict, PyMemoryView, PyString};
use sigv4::PayloadHasher;

/// Bodies at least this long are hashed with the interpreter released (hashlib uses 2 KiB too).
pub const DETACH_THRESHOLD: usize = 2048;

/// How many bytes are read from a file per step.
const READ_SIZE: usize = 1 << 20;

/// A body as given by the caller.
pub enum BodyInput<'py> {
    /// No body.
    Empty,
    /// An immutable `bytes` (borrowed without a copy).
    Bytes(Bound<'py, PyBytes>),
    /// A copy of a mutable buffer (bytearray).
    Owned(Vec<u8>),
    /// A binary file or an iterable of byte pieces, hashed only when the signature needs it.
    Stream(Bound<'py, PyAny>),
}

impl<'py> BodyInput<'py> {
    /// Classifies the `body` argument.
    pub fn extract(value: Option<&Bound<'py, PyAny>>) -> PyResult<Self> {
        let value = match value {
            None => return Ok(BodyInput::Empty),
            Some(v) if v.is_none() => return Ok(BodyInput::Empty),
            Some(v) => v,
        };
        if let Ok(bytes) = value.cast::<PyBytes>() {
            return Ok(BodyInput::Bytes(bytes.clone()));
        }
        if let Ok(text) = value.cast::<PyString>() {
            return Ok(BodyInput::Bytes(
                text.encode_utf8()
                    .map_err(|e| crate::text::not_utf8(text.py(), e))?,
            ));
        }
        if let Ok(array) = value.cast::<PyByteArray>() {
            return Ok(BodyInput::Owned(array.to_vec()));
        }
        if value.is_instance_of::<PyMemoryView>() {
            return Ok(BodyInput::Bytes(as_bytes(value)?));
        }
        if value.hasattr(pyo3::intern!(value.py(), "read"))? {
            return Ok(BodyInput::Stream(value.clone()));
        }
        if !value.is_instance_of::<PyDict>() && value.try_iter().is_ok() {
            return Ok(BodyInput::Stream(value.clone()));
        }
        Err(PyTypeError::new_err(format!(
            "body must be bytes, bytearray, memoryview, str, a binary file or an iterable of bytes, not {}",
            value.get_type().name()?
        )))
    }

    /// The bytes in memory, if the body is not a stream.
    pub fn as_slice(&self) -> Option<&[u8]> {
        match self {
            BodyInput::Empty => Some(&[]),
            BodyInput::Bytes(b) => Some(b.as_bytes()),
            BodyInput::Owned(v) => Some(v),
            BodyInput::Stream(_) => None,
        }
    }
}

pub(crate) fn as_bytes<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    let py = value.py();
    Ok(py
        .get_type::<PyBytes>()
        .call1((value,))?
        .cast_into::<PyBytes>()?)
}

/// Feeds one piece, releasing the interpreter for large ones.
pub fn feed(py: Python<'_>, hasher: &mut PayloadHasher, piece: &Bound<'_, PyAny>) -> PyResult<()> {
    let owned;
    let bytes = if let Ok(b) = piece.cast::<PyBytes>() {
        b
    } else if let Ok(t) = piece.cast::<PyString>() {
        owned = t.encode_utf8().map_err(|e| crate::text::not_utf8(py, e))?;
        &owned
    } else if piece.is_instance_of::<PyByteArray>() || piece.is_instance_of::<PyMemoryView>() {
        owned = as_bytes(piece)?;
        &owned
    } else {
        return Err(PyTypeError::new_err(format!(
            "body pieces must be bytes, bytearray, memoryview or str, not {}",
            piece.get_type().name()?
        )));
    };
    let data = bytes.as_bytes();
    if data.len() >= DETACH_THRESHOLD {
        py.detach(|| hasher.update(data));
    } else {
        hasher.update(data);
    }
    Ok(())
}

/// Hashes a binary file (restoring its position when it can seek) or an iterable of pieces.
pub fn hash_stream(stream: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = stream.py();
    let mut hasher = PayloadHasher::new();
    if stream.hasattr(pyo3::intern!(py, "read"))? {
        let seekable = stream
            .call_method0(pyo3::intern!(py, "seekable"))
            .and_then(|s| s.is_truthy())
            .unwrap_or(false);
        let start = if seekable {
            Some(stream.call_method0(pyo3::intern!(py, "tell"))?)
        } else {
            None
        };
        loop {
            let piece = stream.call_method1(pyo3::intern!(py, "read"), (READ_SIZE,))?;
            if piece.is_none() || piece.len()? == 0 {
                break;
            }
            feed(py, &mut hasher, &piece)?;
        }
        if let Some(start) = start {
            stream.call_method1(pyo3::intern!(py, "seek"), (start,))?;
        }
    } else {
        for piece in stream.try_iter()? {
            feed(py, &mut hasher, &piece?)?;
        }
    }
    Ok(hasher.finish_hex())
}
