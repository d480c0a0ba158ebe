//! The `signing_keys=` argument of `Verifier`: a Python callable giving the derived signing key for
//! (access key id, date, region, service), so the verifier never holds a secret.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyByteArray, PyBytes, PyMemoryView, PyString, PyTuple};
use sigv4::{DerivedKey, KeyScope, SigningKeyLookup};

use crate::errors::IntoPyResult;

/// A callable `(access_key_id, date, region, service) -> key | (key, session_token) | None`, where
/// `key` is the 32-byte `kSigning` (bytes-like) or its 64 hex digits. Called with the GIL held.
pub struct KeyLookup(pub Py<PyAny>);

fn key_of(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<DerivedKey> {
    if let Ok(text) = value.cast::<PyString>() {
        return DerivedKey::from_hex(&crate::text::str_of(text)?).py_err(py);
    }
    if value.is_instance_of::<PyBytes>()
        || value.is_instance_of::<PyByteArray>()
        || value.is_instance_of::<PyMemoryView>()
    {
        let bytes = crate::body::as_bytes(value)?;
        return DerivedKey::from_slice(bytes.as_bytes()).py_err(py);
    }
    Err(PyTypeError::new_err(format!(
        "a signing key lookup must give the 32-byte derived key (bytes or 64 hex digits), a (key, session_token) tuple or None, not {}",
        value.get_type().name()?
    )))
}

fn answer(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Option<DerivedKey>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Ok(pair) = value.cast::<PyTuple>() {
        if pair.len() != 2 {
            return Err(PyTypeError::new_err(
                "a signing key lookup tuple must be (key, session_token)",
            ));
        }
        let key = key_of(py, &pair.get_item(0)?)?;
        let token = pair.get_item(1)?;
        if token.is_none() {
            return Ok(Some(key));
        }
        let token = token
            .cast::<PyString>()
            .map_err(|_| PyTypeError::new_err("the session token must be a str or None"))?;
        return key
            .with_session_token(crate::text::string_of(token)?)
            .py_err(py)
            .map(Some);
    }
    key_of(py, value).map(Some)
}

impl SigningKeyLookup for KeyLookup {
    fn signing_key(&self, access_key_id: &str, scope: &KeyScope<'_>) -> Option<DerivedKey> {
        Python::attach(|py| {
            let found = self
                .0
                .bind(py)
                .call1((access_key_id, scope.date, scope.region, scope.service))
                .and_then(|value| answer(py, &value));
            match found {
                Ok(found) => found,
                Err(error) => {
                    crate::lookup::remember_error(error);
                    None
                }
            }
        })
    }
}

/// Reads `signing_keys=`: a callable, given without `credentials` (a verifier uses one or the other).
pub fn argument(
    py: Python<'_>,
    credentials: Option<&Bound<'_, PyAny>>,
    signing_keys: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<KeyLookup>> {
    let Some(keys) = signing_keys.filter(|k| !k.is_none()) else {
        return Ok(None);
    };
    if !keys.is_callable() {
        return Err(PyTypeError::new_err(
            "signing_keys must be a callable (access_key_id, date, region, service) -> key or None",
        ));
    }
    if credentials.is_some_and(|c| !c.is_none()) {
        return Err(crate::errors::input(
            py,
            sigv4::ErrorKind::InvalidOption,
            "signing_keys",
            "give credentials or signing_keys, not both: with signing_keys the verifier holds no secret"
                .to_owned(),
        ));
    }
    Ok(Some(KeyLookup(keys.clone().unbind())))
}
