//! Requests as servers hand them over: ASGI's raw byte pairs and a WSGI `environ`, read in one
//! pass without building Python strings or lists (the middleware's fast path).
//!
//! All request reading of the ASGI and WSGI middlewares is here, with the HTTP rules from the core
//! (`sigv4::wire_text`, `requote_path`, `announces_body`, `require_origin_form`): nothing calls
//! back into Python for it, and `sigv4.asgi.scope_target` / `sigv4.wsgi.wire_target` and the
//! header helpers are these functions.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::headers::HeaderTexts;
use crate::text::{str_of, string_of, Text};

/// One header name or value from an ASGI server: bytes (UTF-8, else latin-1) or str.
fn wire<'py>(value: &Bound<'py, PyAny>) -> PyResult<Text<'py>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(Text::from_wire_bytes(b));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Text::from_str(s);
    }
    Err(PyTypeError::new_err(format!(
        "ASGI header names and values must be bytes, not {}",
        value.get_type().name()?
    )))
}

fn not_a_pair() -> PyErr {
    PyTypeError::new_err("ASGI headers must be (name, value) pairs of bytes")
}

fn wire_pair<'py>(item: &Bound<'py, PyAny>) -> PyResult<(Text<'py>, Text<'py>)> {
    if let Ok(t) = item.cast::<PyTuple>() {
        if t.len() != 2 {
            return Err(not_a_pair());
        }
        return Ok((wire(&t.get_item(0)?)?, wire(&t.get_item(1)?)?));
    }
    if let Ok(l) = item.cast::<PyList>() {
        if l.len() != 2 {
            return Err(not_a_pair());
        }
        return Ok((wire(&l.get_item(0)?)?, wire(&l.get_item(1)?)?));
    }
    Err(not_a_pair())
}

/// `scope["headers"]`: an iterable (normally a list) of `(name, value)` byte pairs, in order.
pub fn asgi_headers<'py>(headers: &Bound<'py, PyAny>) -> PyResult<HeaderTexts<'py>> {
    if let Ok(list) = headers.cast::<PyList>() {
        let mut out = Vec::with_capacity(list.len());
        for item in list.iter() {
            out.push(wire_pair(&item)?);
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    for item in headers.try_iter()? {
        out.push(wire_pair(&item?)?);
    }
    Ok(out)
}

/// The middlewares accept only an origin-form target (the core's rule, see
/// `sigv4::require_origin_form`); the core's `RequestTarget::parse` then reads what is left.
fn origin_form_only(py: Python<'_>, target: &str) -> PyResult<()> {
    sigv4::require_origin_form(target).map_err(|e| crate::errors::verification(py, e))
}

/// A scope value that is bytes or str; None for anything else. Bytes that are not UTF-8 are
/// refused when `strict` (the verifier's reading, `sigv4::target_text`), else shown as latin-1.
fn scope_text<'py>(value: Option<Bound<'py, PyAny>>, strict: bool) -> PyResult<Option<Text<'py>>> {
    let Some(value) = value else { return Ok(None) };
    if let Ok(bytes) = value.cast::<PyBytes>() {
        if strict {
            if let Err(e) = sigv4::target_text(bytes.as_bytes()) {
                return Err(crate::errors::verification(value.py(), e));
            }
        }
        return Ok(Some(Text::from_wire_bytes(bytes)));
    }
    match value.cast::<PyString>() {
        Ok(s) => Ok(Some(Text::from_str(s)?)),
        Err(_) => Ok(None),
    }
}

/// The request target of an ASGI http scope as the client sent it: `raw_path` (the path as sent,
/// read as UTF-8 as the ASGI spec reads it for `path`) and `query_string`; without `raw_path`,
/// `root_path + path` re-quoted (`sigv4::requote_path` on its UTF-8 bytes). With `strict` (the
/// verifier) target bytes that are not UTF-8 are refused (`InvalidUrl`); without (a log line),
/// they are shown as latin-1.
fn scope_target_text(scope: &Bound<'_, PyDict>, strict: bool) -> PyResult<String> {
    let py = scope.py();
    let raw = scope_text(scope.get_item(pyo3::intern!(py, "raw_path"))?, strict)?;
    let requoted;
    let path = match &raw {
        Some(text) if !text.as_str().is_empty() => text.as_str(),
        _ => {
            let root = scope_text(scope.get_item(pyo3::intern!(py, "root_path"))?, strict)?;
            let path = scope_text(scope.get_item(pyo3::intern!(py, "path"))?, strict)?;
            let mut decoded = String::new();
            decoded.push_str(root.as_ref().map_or("", Text::as_str));
            decoded.push_str(path.as_ref().map_or("/", Text::as_str));
            requoted = sigv4::requote_path(decoded.as_bytes());
            &requoted
        }
    };
    let query = scope_text(scope.get_item(pyo3::intern!(py, "query_string"))?, strict)?;
    Ok(sigv4::join_target(
        path,
        query.as_ref().map_or("", Text::as_str),
    ))
}

/// The target the verifier checks: [`scope_target_text`] (strict), refused (`InvalidUrl`) unless
/// it is in origin form.
pub fn scope_target(scope: &Bound<'_, PyDict>) -> PyResult<String> {
    let target = scope_target_text(scope, true)?;
    origin_form_only(scope.py(), &target)?;
    Ok(target)
}

/// Whether ASGI header pairs announce a body (RFC 9112 6.3): a `Content-Length` other than 0, or
/// a `Transfer-Encoding`. Without either, a request has none.
pub fn asgi_announces_body(headers: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(announces_body(&asgi_headers(headers)?))
}

/// [`asgi_announces_body`] on header pairs already read.
pub fn announces_body(headers: &HeaderTexts<'_>) -> bool {
    sigv4::announces_body(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
}

/// Whether an ASGI http scope is HTTP/1.0 or 1.1 (`http_version`), where a request without
/// `Content-Length` or `Transfer-Encoding` has no body; HTTP/2 and /3 bodies need neither.
pub fn scope_is_http1(scope: &Bound<'_, PyDict>) -> PyResult<bool> {
    let py = scope.py();
    Ok(match scope.get_item(pyo3::intern!(py, "http_version"))? {
        Some(v) => match v.cast::<PyString>() {
            Ok(s) => matches!(&*str_of(s)?, "1.1" | "1.0"),
            Err(_) => false,
        },
        None => false,
    })
}

/// `path?query` (the core's `sigv4::join_target`).
pub fn join_target(path: &str, query: &str) -> String {
    sigv4::join_target(path, query)
}

/// The bytes a PEP 3333 str stands for (each character one latin-1 byte), or None when it holds
/// a character above U+00FF (the server broke PEP 3333).
fn latin1_bytes(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

/// The request target of a WSGI environ as the client sent it: `REQUEST_URI` or `RAW_URI` as
/// received (gunicorn, uWSGI, werkzeug), else `SCRIPT_NAME + PATH_INFO` re-quoted
/// (`sigv4::requote_path` on the latin-1 bytes; wsgiref gives only the decoded path) and
/// `QUERY_STRING`. Not checked: see [`environ_target`].
pub fn read_environ_target<'py>(environ: &Bound<'py, PyDict>) -> PyResult<Text<'py>> {
    let py = environ.py();
    for key in [
        pyo3::intern!(py, "REQUEST_URI"),
        pyo3::intern!(py, "RAW_URI"),
    ] {
        if let Some(raw) = environ.get_item(key)? {
            if let Ok(raw) = raw.cast::<PyString>() {
                if raw.len()? > 0 {
                    return Text::from_str(raw);
                }
            }
        }
    }
    let text_of = |key: &Bound<'py, PyString>| -> PyResult<String> {
        Ok(match environ.get_item(key)? {
            Some(v) => v.cast::<PyString>().map_or(Ok(String::new()), string_of)?,
            None => String::new(),
        })
    };
    let mut decoded = text_of(pyo3::intern!(py, "SCRIPT_NAME"))?;
    decoded.push_str(&text_of(pyo3::intern!(py, "PATH_INFO"))?);
    let path = match latin1_bytes(&decoded) {
        Some(bytes) => sigv4::requote_path(&bytes),
        None => sigv4::requote_path(decoded.as_bytes()),
    };
    let query = text_of(pyo3::intern!(py, "QUERY_STRING"))?;
    Ok(Text::Owned(sigv4::join_target(&path, &query)))
}

/// [`read_environ_target`], refused (`InvalidUrl`) unless it is in origin form: what the
/// verifier checks.
pub fn environ_target<'py>(environ: &Bound<'py, PyDict>) -> PyResult<Text<'py>> {
    let target = read_environ_target(environ)?;
    origin_form_only(environ.py(), target.as_str())?;
    Ok(target)
}

/// A WSGI header value (a str of latin-1 characters, one per byte received) as the client signed
/// it: the bytes read as UTF-8 when they are UTF-8, else the latin-1 text itself.
fn environ_value<'py>(value: &Bound<'py, PyString>) -> PyResult<Text<'py>> {
    let text = Text::from_str(value)?;
    if text.as_str().is_ascii() {
        return Ok(text);
    }
    Ok(match latin1_bytes(text.as_str()) {
        Some(bytes) => Text::Owned(sigv4::wire_text(&bytes).into_owned()),
        // Not a latin-1 str (the server broke PEP 3333): the text as it is.
        None => text,
    })
}

/// The headers of a WSGI environ, in its order: every `HTTP_*` (`_` read as `-`), plus
/// `CONTENT_TYPE` and `CONTENT_LENGTH` when not empty.
pub fn environ_headers<'py>(environ: &Bound<'py, PyDict>) -> PyResult<HeaderTexts<'py>> {
    let mut out = Vec::with_capacity(16);
    for (key, value) in environ.iter() {
        let Ok(key) = key.cast::<PyString>() else {
            continue;
        };
        let key = str_of(key)?;
        let name = if let Some(rest) = key.strip_prefix("HTTP_") {
            rest.replace('_', "-")
        } else if key == "CONTENT_TYPE" || key == "CONTENT_LENGTH" {
            key.replace('_', "-")
        } else {
            continue;
        };
        let value = value.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!("environ[{key:?}] must be a str (PEP 3333)"))
        })?;
        let value = environ_value(value)?;
        if !key.starts_with("HTTP_") && value.as_str().is_empty() {
            continue;
        }
        out.push((Text::Owned(name), value));
    }
    Ok(out)
}

/// `(name, value)` pairs as Python tuples of str.
fn header_list<'py>(py: Python<'py>, headers: &HeaderTexts<'_>) -> PyResult<Bound<'py, PyList>> {
    let items = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()).into_pyobject(py))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// The request target (path and query) as the client sent it, from an ASGI http ``scope``:
/// ``raw_path`` read as UTF-8 and ``query_string``; without ``raw_path``, ``root_path + path``
/// re-quoted. Not checked, for logs: bytes that are not UTF-8 are shown as latin-1 (the verifier
/// refuses them, 400 ``InvalidUrl``), and targets that are not ``/path?query`` are returned as
/// they are (the verifier refuses those too).
/// With ``strict=True`` it is the verifier's reading instead: ``VerificationError``
/// (``InvalidUrl``) for bytes that are not UTF-8 or a target that is not ``/path?query``.
#[pyfunction]
#[pyo3(name = "scope_target", signature = (scope, *, strict=false))]
pub fn py_scope_target(scope: &Bound<'_, PyDict>, strict: bool) -> PyResult<String> {
    if strict {
        return scope_target(scope);
    }
    scope_target_text(scope, false)
}

/// The request headers of an ASGI http ``scope`` as ``(name, value)`` str pairs, in order,
/// repeated names kept (bytes read as UTF-8, latin-1 when they are not UTF-8).
#[pyfunction]
#[pyo3(name = "scope_headers")]
pub fn py_scope_headers<'py>(scope: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyList>> {
    let headers = match scope.get_item(pyo3::intern!(scope.py(), "headers"))? {
        Some(h) => asgi_headers(&h)?,
        None => Vec::new(),
    };
    header_list(scope.py(), &headers)
}

/// The request target (path and query) as the client sent it, from a WSGI ``environ``:
/// ``REQUEST_URI``/``RAW_URI`` as received, else ``SCRIPT_NAME + PATH_INFO`` re-quoted and
/// ``QUERY_STRING``. Not checked (the middleware refuses targets that are not ``/path?query``).
/// With ``strict=True`` it is the verifier's reading instead: ``VerificationError``
/// (``InvalidUrl``) for a target that is not ``/path?query``.
#[pyfunction]
#[pyo3(name = "wire_target", signature = (environ, *, strict=false))]
pub fn py_wire_target(environ: &Bound<'_, PyDict>, strict: bool) -> PyResult<String> {
    let target = if strict {
        environ_target(environ)?
    } else {
        read_environ_target(environ)?
    };
    Ok(target.as_str().to_owned())
}

/// The request headers of a WSGI ``environ`` (``HTTP_*``, ``CONTENT_TYPE``, ``CONTENT_LENGTH``)
/// as ``(name, value)`` str pairs, values as the client signed them (UTF-8 when the latin-1
/// bytes are UTF-8).
#[pyfunction]
#[pyo3(name = "environ_headers")]
pub fn py_environ_headers<'py>(environ: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyList>> {
    header_list(environ.py(), &environ_headers(environ)?)
}
