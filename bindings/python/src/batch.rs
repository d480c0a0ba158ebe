//! `Verifier.verify_many`: many requests read from Python with the GIL held, verified by the
//! core's batch (several threads, the GIL released), answered as one list in order.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict, PyList, PyString, PyTuple};
use sigv4::{Body, Checked, SigningTime};

use crate::body::{hash_stream, BodyInput};
use crate::errors::verification;
use crate::headers::HeaderTexts;
use crate::identity::VerifiedIdentity;
use crate::lookup;
use crate::text::Text;
use crate::timestamp;

/// One request read from Python: texts borrowed from the objects it holds alive.
struct Entry<'py> {
    method: Text<'py>,
    url: Text<'py>,
    headers: HeaderTexts<'py>,
    body: BodyInput<'py>,
    /// The hash of a file or iterable body (read with the GIL held, before the batch starts).
    stream_hash: Option<String>,
    now: SigningTime,
}

/// What a worker thread sees of one entry: plain borrowed data (no Python object), or the
/// exception reading it raised.
enum Item<'a> {
    Ready {
        method: &'a str,
        url: &'a str,
        headers: Vec<(&'a str, &'a str)>,
        body: Body<'a>,
        now: SigningTime,
    },
    Unreadable,
}

/// A failure of one entry: the core's, or an exception the credential callable raised.
enum Failure {
    Core(sigv4::Error),
    Python(PyErr),
}

impl From<sigv4::Error> for Failure {
    fn from(e: sigv4::Error) -> Self {
        Failure::Core(e)
    }
}

fn text_field<'py>(value: &Bound<'py, PyAny>, what: &str) -> PyResult<Text<'py>> {
    let s = value.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "verify_many: {what} must be a str, not {}",
            value
                .get_type()
                .name()
                .map_or_else(|_| "?".into(), |n| n.to_string())
        ))
    })?;
    Text::from_str(s)
}

/// Reads one entry: a mapping `{"method", "url", "headers", "body", "now"}` (the arguments of
/// `verify`; `url` required) or a tuple `(method, url[, headers[, body]])`.
fn entry<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    default_now: SigningTime,
) -> PyResult<Entry<'py>> {
    let (method, url, headers, body, now) = if let Ok(map) = value.cast::<PyDict>() {
        // Interned keys, and the unknown-key scan only when the dict holds more than it should:
        // this loop runs on one thread before the batch spreads out, so it is kept short.
        let mut present = 0;
        let mut get = |key: &Bound<'py, PyString>| -> PyResult<Option<Bound<'py, PyAny>>> {
            let found = map.get_item(key)?;
            present += usize::from(found.is_some());
            Ok(found.filter(|v| !v.is_none()))
        };
        let fields = (
            get(pyo3::intern!(py, "method"))?,
            get(pyo3::intern!(py, "url"))?,
            get(pyo3::intern!(py, "headers"))?,
            get(pyo3::intern!(py, "body"))?,
            get(pyo3::intern!(py, "now"))?,
        );
        if map.len() > present {
            for key in map.keys() {
                let known = key
                    .cast::<PyString>()
                    .ok()
                    .and_then(|k| crate::text::str_of(k).ok())
                    .map(|k| matches!(&*k, "method" | "url" | "headers" | "body" | "now"));
                if known != Some(true) {
                    return Err(PyTypeError::new_err(format!(
                        "verify_many: unknown request key {}; use method, url, headers, body, now",
                        key.repr()?
                    )));
                }
            }
        }
        let (method, url, headers, body, now) = fields;
        let url =
            url.ok_or_else(|| PyTypeError::new_err("verify_many: a request needs a \"url\""))?;
        (method, url, headers, body, now)
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        if !(2..=4).contains(&tuple.len()) {
            return Err(PyTypeError::new_err(
                "verify_many: a request tuple is (method, url[, headers[, body]])",
            ));
        }
        let at = |i: usize| tuple.get_item(i).ok().filter(|v| !v.is_none());
        (at(0), tuple.get_item(1)?, at(2), at(3), None)
    } else {
        return Err(PyTypeError::new_err(format!(
            "verify_many: each request must be a dict {{method, url, headers, body}} or a tuple \
             (method, url, headers, body), not {}",
            value.get_type().name()?
        )));
    };
    let method = match &method {
        Some(m) => text_field(m, "method")?,
        None => Text::Owned("GET".to_owned()),
    };
    let url = text_field(&url, "url")?;
    let headers = crate::headers::extract_texts(headers.as_ref())?;
    let body = BodyInput::extract(body.as_ref())?;
    let stream_hash = match &body {
        BodyInput::Stream(stream) => Some(hash_stream(stream)?),
        _ => None,
    };
    let now = match &now {
        Some(n) => timestamp::parse(py, Some(n))?,
        None => default_now,
    };
    Ok(Entry {
        method,
        url,
        headers,
        body,
        stream_hash,
        now,
    })
}

fn item<'a>(entry: &'a PyResult<Entry<'_>>) -> Item<'a> {
    let Ok(e) = entry else {
        return Item::Unreadable;
    };
    let body = match (&e.stream_hash, e.body.as_slice()) {
        (Some(hash), _) => Body::Precomputed(hash),
        (None, Some(bytes)) => Body::Bytes(bytes),
        (None, None) => Body::Bytes(&[]),
    };
    Item::Ready {
        method: e.method.as_str(),
        url: e.url.as_str(),
        headers: crate::headers::as_pairs(&e.headers),
        body,
        now: e.now,
    }
}

/// The error of an entry that could not be read: a `sigv4.Error` (code `InvalidOption`) in place
/// of a `TypeError`, so that every failed entry has a `.code`; `sigv4` errors (a bad timestamp, a
/// lone surrogate) as they are.
fn unreadable_entry(py: Python<'_>, raised: PyErr) -> PyErr {
    if raised.is_instance_of::<PyTypeError>(py) {
        let message = raised.value(py).to_string();
        return crate::errors::input(py, sigv4::ErrorKind::InvalidOption, "requests", message);
    }
    raised
}

/// `Verifier.verify_many(requests, now=None, *, threads=None)`: one result per request, in order —
/// a `VerifiedIdentity`, or the exception `verify` would raise for it (not raised).
pub fn verify_many(
    py: Python<'_>,
    core: &sigv4::Verifier,
    requests: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
    threads: Option<usize>,
) -> PyResult<Py<PyList>> {
    if requests.is_instance_of::<PyString>() || requests.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(
            "verify_many takes a list (or any iterable) of requests, not one request",
        ));
    }
    let default_now = timestamp::parse(py, now)?;
    let mut entries = Vec::new();
    for value in requests.try_iter()? {
        entries.push(entry(py, &value?, default_now));
    }
    let items: Vec<Item<'_>> = entries.iter().map(item).collect();
    // The GIL is released while the core works; a credential callable takes it back per lookup.
    let results = py.detach(|| {
        core.verify_many_with(&items, threads.unwrap_or(0), |core, item| match item {
            Item::Ready {
                method,
                url,
                headers,
                body,
                now,
            } => {
                let checked: Result<Checked, sigv4::Error> =
                    core.check_http(method, url, headers, *body, *now);
                // A callable's exception was kept on this (worker) thread.
                match lookup::take_error() {
                    Some(raised) => Err(Failure::Python(raised)),
                    None => checked.map_err(Failure::Core),
                }
            }
            Item::Unreadable => Err(Failure::Core(sigv4::Error::from_binding(
                sigv4::ErrorKind::InvalidOption,
                "requests",
                "unreadable entry",
            ))),
        })
    });
    let out = PyList::empty(py);
    for (result, entry) in results.into_iter().zip(entries) {
        let value: Bound<'_, PyAny> = match (result, entry) {
            (_, Err(unreadable)) => unreadable_entry(py, unreadable)
                .into_value(py)
                .into_bound(py)
                .into_any(),
            (Ok(who), _) => Bound::new(py, VerifiedIdentity::new(who))?.into_any(),
            (Err(Failure::Core(e)), _) => {
                verification(py, e).into_value(py).into_bound(py).into_any()
            }
            (Err(Failure::Python(raised)), _) => raised.into_value(py).into_bound(py).into_any(),
        };
        out.append(value)?;
    }
    Ok(out.unbind())
}
