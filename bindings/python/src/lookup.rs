//! The `credentials=` argument of `Verifier`: a table copied once, a Python callable asked per
//! request, one `Credentials`, or None (every key unknown).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyString};
use sigv4::{CredentialLookup, Credentials as CoreCredentials};

use crate::credentials::Credentials;
use crate::errors::IntoPyResult;

thread_local! {
    /// An exception raised by a Python lookup during the current `verify` on this thread; the
    /// core's lookup answers "unknown" and the binding raises this instead of the core's error.
    static LOOKUP_ERROR: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Takes the exception a Python lookup raised during the last verification on this thread.
pub fn take_error() -> Option<PyErr> {
    LOOKUP_ERROR.with(|slot| slot.borrow_mut().take())
}

/// Keeps an exception a Python lookup raised, for the binding to raise after the core's answer.
pub fn remember_error(error: PyErr) {
    LOOKUP_ERROR.with(|slot| *slot.borrow_mut() = Some(error));
}

/// Where the verifier finds secrets.
pub enum Lookup {
    /// A mapping copied at construction (access key id -> credentials).
    Table(HashMap<String, CoreCredentials>),
    /// A callable `access_key_id -> str | Credentials | None`, called with the GIL held.
    Callable(Py<PyAny>),
    /// No key is known.
    Nobody,
}

/// A mapping value or a callable's answer: a secret `str` or a `sigv4.Credentials`.
fn credentials_from(
    py: Python<'_>,
    access_key_id: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<Option<CoreCredentials>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Ok(creds) = value.cast::<Credentials>() {
        return Ok(Some(creds.get().inner.clone()));
    }
    if let Ok(secret) = value.cast::<PyString>() {
        let secret = crate::text::str_of(secret)?;
        return CoreCredentials::new(access_key_id, &*secret, None)
            .py_err(py)
            .map(Some);
    }
    Err(PyTypeError::new_err(format!(
        "a credential lookup must give a secret str, a sigv4.Credentials or None, not {}",
        value.get_type().name()?
    )))
}

impl Lookup {
    /// Reads the `credentials` argument.
    pub fn from_object(value: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let Some(value) = value.filter(|v| !v.is_none()) else {
            return Ok(Lookup::Nobody);
        };
        let py = value.py();
        if let Ok(creds) = value.cast::<Credentials>() {
            let inner = creds.get().inner.clone();
            let mut table = HashMap::with_capacity(1);
            table.insert(inner.access_key_id().to_owned(), inner);
            return Ok(Lookup::Table(table));
        }
        if value.is_callable() {
            return Ok(Lookup::Callable(value.clone().unbind()));
        }
        let items = value.getattr(pyo3::intern!(py, "items")).map_err(|_| {
            PyTypeError::new_err(
                "credentials must be a mapping {access_key_id: secret or Credentials}, a callable \
                 access_key_id -> secret or Credentials or None, a sigv4.Credentials, or None",
            )
        })?;
        let mut table = HashMap::new();
        for item in items.call0()?.try_iter()? {
            let (key, secret): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            let key = crate::text::string_of(
                key.cast::<PyString>()
                    .map_err(|_| PyTypeError::new_err("credentials mapping keys must be str"))?,
            )?;
            if let Some(creds) = credentials_from(py, &key, &secret)? {
                table.insert(key, creds);
            }
        }
        Ok(Lookup::Table(table))
    }

    fn call(&self, callable: &Py<PyAny>, access_key_id: &str) -> Option<CoreCredentials> {
        Python::attach(|py| {
            let answer = callable
                .bind(py)
                .call1((access_key_id,))
                .and_then(|value| credentials_from(py, access_key_id, &value));
            match answer {
                Ok(found) => found,
                Err(error) => {
                    LOOKUP_ERROR.with(|slot| *slot.borrow_mut() = Some(error));
                    None
                }
            }
        })
    }
}

impl CredentialLookup for Lookup {
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, CoreCredentials>> {
        match self {
            Lookup::Table(table) => table.get(access_key_id).map(Cow::Borrowed),
            Lookup::Callable(callable) => self.call(callable, access_key_id).map(Cow::Owned),
            Lookup::Nobody => None,
        }
    }
}
