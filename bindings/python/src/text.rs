//! Borrowed text from Python `str` and `bytes` objects, without copying them.
//!
//! Under the abi3 (CPython >= 3.9) build pyo3's `to_cow` encodes every `str` to a new `bytes`
//! and copies it again into a `String`: two allocations per argument. `PyUnicode_AsUTF8AndSize`
//! returns the UTF-8 form CPython caches inside the `str` object instead (free for ASCII); it is
//! exported by every CPython since 3.3 and is part of the stable ABI from 3.10, so it is declared
//! here for the 3.9 floor. On Windows an abi3 module can only link what `python3.dll` forwards,
//! which lacks it before 3.10, so Windows keeps pyo3's copying path.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

#[cfg(not(windows))]
extern "C" {
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::os::raw::c_char;
}

/// The UTF-8 text of `s`, borrowed from the object when the platform allows it.
pub fn str_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    #[cfg(not(windows))]
    {
        let mut size: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` (the GIL is held); the returned buffer lives as long as the
        // object, which `'a` ties to the borrow of `s`. CPython guarantees it is valid UTF-8.
        unsafe {
            let data = PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size);
            if data.is_null() {
                return Err(not_utf8(s.py(), PyErr::fetch(s.py())));
            }
            let bytes = std::slice::from_raw_parts(data.cast::<u8>(), size as usize);
            Ok(Cow::Borrowed(std::str::from_utf8_unchecked(bytes)))
        }
    }
    #[cfg(windows)]
    {
        s.to_cow().map_err(|e| not_utf8(s.py(), e))
    }
}

/// A `str` that UTF-8 cannot encode (a lone surrogate such as ``"\\ud800"``, which Python allows
/// in a `str`) is bad input like any other: a `sigv4.Error` (code `InvalidUtf8`), not Python's
/// `UnicodeEncodeError`. The text itself is not quoted (it may be a secret).
pub fn not_utf8(py: Python<'_>, cause: PyErr) -> PyErr {
    if !cause.is_instance_of::<pyo3::exceptions::PyUnicodeError>(py) {
        return cause;
    }
    crate::errors::input(
        py,
        sigv4::ErrorKind::InvalidUtf8,
        "text",
        "a str argument holds a lone surrogate (U+D800..U+DFFF), which is not text UTF-8 can \
         encode; decode the bytes it came from with errors=\"strict\" or \"replace\""
            .to_owned(),
    )
}

/// The text of a `str` argument as an owned `String` (a lone surrogate is a `sigv4.Error`).
pub fn string_of(s: &Bound<'_, PyString>) -> PyResult<String> {
    Ok(str_of(s)?.into_owned())
}

/// Text taken from a Python object: borrowed from a `str`/`bytes` kept alive here, or owned.
pub enum Text<'py> {
    /// Borrowed UTF-8 inside `keep` (a `str`'s cached UTF-8 or a `bytes` buffer checked as UTF-8).
    Borrowed {
        /// Holds the object (and so the buffer) alive.
        _keep: Bound<'py, PyAny>,
        /// Start of the UTF-8 bytes.
        ptr: *const u8,
        /// Their length.
        len: usize,
    },
    /// A decoded copy (latin-1 fallback, or Windows).
    Owned(String),
}

impl<'py> Text<'py> {
    /// The text of a `str`.
    pub fn from_str(s: &Bound<'py, PyString>) -> PyResult<Self> {
        Ok(match str_of(s)? {
            Cow::Borrowed(b) => Text::Borrowed {
                ptr: b.as_ptr(),
                len: b.len(),
                _keep: s.clone().into_any(),
            },
            Cow::Owned(o) => Text::Owned(o),
        })
    }

    /// The text of a `bytes` when it is UTF-8 (None when it is not).
    pub fn from_utf8_bytes(b: &Bound<'py, PyBytes>) -> Option<Self> {
        let data = b.as_bytes();
        // ASCII (every header a signer writes) is checked a word at a time; `from_utf8` goes
        // byte by byte through short strings, and a verification reads a dozen of them.
        if !data.is_ascii() {
            std::str::from_utf8(data).ok()?;
        }
        Some(Text::Borrowed {
            ptr: data.as_ptr(),
            len: data.len(),
            _keep: b.clone().into_any(),
        })
    }

    /// The text of a `bytes`: UTF-8 when it is UTF-8, else each byte as one latin-1 character (what
    /// an HTTP server's raw header bytes mean when they are not UTF-8).
    /// (The core's rule, `sigv4::wire_text`; borrowed when the bytes are UTF-8.)
    pub fn from_wire_bytes(b: &Bound<'py, PyBytes>) -> Self {
        Self::from_utf8_bytes(b)
            .unwrap_or_else(|| Text::Owned(sigv4::wire_text(b.as_bytes()).into_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            // SAFETY: `_keep` holds the immutable object whose buffer this is; the bytes were
            // checked (or are guaranteed by CPython) to be UTF-8.
            Text::Borrowed { ptr, len, .. } => unsafe {
                std::str::from_utf8_unchecked(std::slice::from_raw_parts(*ptr, *len))
            },
            Text::Owned(s) => s,
        }
    }
}
