//! Requests as servers hand them over: ASGI's raw byte pairs and a WSGI `environ`, read in one
//! pass without building Python strings or lists (the middleware's fast path).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyAny, PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::headers::HeaderTexts;
use crate::text::{latin1, str_of, Text};

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

/// The middlewares accept only an origin-form target (`/path?query`). A server hands the target
/// to the application as it came (ASGI `raw_path` and `path`, WSGI `REQUEST_URI`/`RAW_URI`): an
/// absolute-form one (`http://host/a`, meant for proxies) would reach the application as a URL,
/// not as the path that was signed (issue 23). The core's `RequestTarget::parse` then reads what
/// is left (a raw `#`, dot segments, ...).
fn origin_form_only(py: Python<'_>, target: &str) -> PyResult<()> {
    if target.starts_with('/') {
        return Ok(());
    }
    Err(crate::errors::verification(
        py,
        sigv4::Error::from_binding(
            sigv4::ErrorKind::InvalidUrl,
            "url",
            "the server hands this request-target to the application as it came, and it is not a path (/path?query): the application would not receive the path that was signed; send the origin-form target",
        ),
    ))
}

static DECODED_PATH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The request target of an ASGI http scope: `raw_path` (the path as sent) and `query_string`;
/// without `raw_path`, `sigv4.asgi` re-quotes the decoded `root_path + path`.
pub fn scope_target<'py>(scope: &Bound<'py, PyDict>) -> PyResult<String> {
    let py = scope.py();
    let raw = scope.get_item(pyo3::intern!(py, "raw_path"))?;
    let raw_text = match &raw {
        Some(r) => match r.cast::<PyBytes>() {
            Ok(bytes) => Some(Text::from_wire_bytes(bytes)),
            Err(_) => match r.cast::<PyString>() {
                Ok(s) => Some(Text::from_str(s)?),
                Err(_) => None,
            },
        },
        None => None,
    };
    let path = match raw_text {
        Some(text) if !text.as_str().is_empty() => text,
        _ => {
            let helper = DECODED_PATH.import(py, "sigv4.asgi", "_decoded_path")?;
            let decoded = helper.call1((scope,))?;
            Text::from_str(decoded.cast::<PyString>()?)?
        }
    };
    origin_form_only(py, path.as_str())?;
    let query = match scope.get_item(pyo3::intern!(py, "query_string"))? {
        Some(q) => match q.cast::<PyBytes>() {
            Ok(b) => Text::from_wire_bytes(b),
            Err(_) => Text::from_str(q.cast::<PyString>()?)?,
        },
        None => Text::Owned(String::new()),
    };
    Ok(join_target(path.as_str(), query.as_str()))
}

/// Whether ASGI header pairs announce a body (RFC 9112 6.3): a `Content-Length` other than 0, or
/// a `Transfer-Encoding`. Without either, a request has none.
pub fn asgi_announces_body(headers: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(announces_body(&asgi_headers(headers)?))
}

/// [`asgi_announces_body`] on header pairs already read.
pub fn announces_body(headers: &HeaderTexts<'_>) -> bool {
    headers.iter().any(|(name, value)| {
        let name = name.as_str();
        name.eq_ignore_ascii_case("transfer-encoding")
            || (name.eq_ignore_ascii_case("content-length") && value.as_str().trim() != "0")
    })
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

/// `path?query` (just `path` when the query is empty; `/` when the path is empty).
pub fn join_target(path: &str, query: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let mut url = String::with_capacity(path.len() + 1 + query.len());
    url.push_str(path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

static WIRE_TARGET: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The request target as `sigv4.wsgi.wire_target` finds it: `REQUEST_URI` or `RAW_URI` as
/// received, else the Python helper re-quotes `SCRIPT_NAME + PATH_INFO`.
pub fn environ_target<'py>(environ: &Bound<'py, PyDict>) -> PyResult<Text<'py>> {
    let py = environ.py();
    for key in [
        pyo3::intern!(py, "REQUEST_URI"),
        pyo3::intern!(py, "RAW_URI"),
    ] {
        let Some(value) = environ.get_item(key)? else {
            continue;
        };
        let Ok(raw) = value.cast::<PyString>() else {
            continue;
        };
        let text = str_of(raw)?;
        if text.is_empty() {
            continue;
        }
        origin_form_only(py, &text)?;
        return Text::from_str(raw);
    }
    let helper = WIRE_TARGET.import(py, "sigv4.wsgi", "wire_target")?;
    let target = helper.call1((environ,))?;
    Text::from_str(target.cast::<PyString>()?)
}

/// A WSGI header value (a str of latin-1 characters, one per byte received) as the client signed
/// it: the bytes read as UTF-8 when they are UTF-8, else the latin-1 text itself.
fn environ_value<'py>(value: &Bound<'py, PyString>) -> PyResult<Text<'py>> {
    let text = Text::from_str(value)?;
    if text.as_str().is_ascii() {
        return Ok(text);
    }
    let chars = text.as_str().chars();
    let bytes: Option<Vec<u8>> = chars.map(|c| u8::try_from(u32::from(c)).ok()).collect();
    Ok(match bytes {
        Some(bytes) => match String::from_utf8(bytes) {
            Ok(utf8) => Text::Owned(utf8),
            Err(e) => Text::Owned(latin1(e.as_bytes())),
        },
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
