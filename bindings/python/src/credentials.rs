//! `Credentials` (fixed keys, secrets redacted) and the source a signer reads them from per request.

use pyo3::prelude::*;
use pyo3::types::{PyAny, PyString};
use sigv4::{Credentials as CoreCredentials, ErrorKind};

use crate::errors::{input, IntoPyResult};

/// AWS credentials: an access key id, its secret, and an optional session token.
///
/// ``repr()`` never shows the secret or the token. The attributes ``access_key``, ``secret_key``
/// and ``token`` mirror botocore's credentials, so this object can be passed wherever botocore's
/// are expected. Build one from the environment with ``Credentials.from_env()`` or from the
/// shared AWS files with ``Credentials.from_profile(name=None)``.
#[pyclass(module = "sigv4", name = "Credentials", frozen, subclass)]
pub struct Credentials {
    pub(crate) inner: CoreCredentials,
}

#[pymethods]
impl Credentials {
    #[new]
    #[pyo3(signature = (access_key_id, secret_access_key, session_token=None))]
    fn new(
        py: Python<'_>,
        access_key_id: &Bound<'_, PyString>,
        secret_access_key: &Bound<'_, PyString>,
        session_token: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Self> {
        let token = session_token.map(crate::text::string_of).transpose()?;
        let inner = CoreCredentials::new(
            crate::text::str_of(access_key_id)?.as_ref(),
            crate::text::str_of(secret_access_key)?.as_ref(),
            token,
        )
        .py_err(py)?;
        Ok(Credentials { inner })
    }

    /// The access key id (not a secret).
    #[getter]
    fn access_key_id(&self) -> &str {
        self.inner.access_key_id()
    }

    /// The secret access key. Never log it.
    #[getter]
    fn secret_access_key(&self) -> &str {
        self.inner.secret_access_key()
    }

    /// The session token, or None. Never log it.
    #[getter]
    fn session_token(&self) -> Option<&str> {
        self.inner.session_token()
    }

    /// botocore's name for ``access_key_id``.
    #[getter]
    fn access_key(&self) -> &str {
        self.inner.access_key_id()
    }

    /// botocore's name for ``secret_access_key``.
    #[getter]
    fn secret_key(&self) -> &str {
        self.inner.secret_access_key()
    }

    /// botocore's name for ``session_token``.
    #[getter]
    fn token(&self) -> Option<&str> {
        self.inner.session_token()
    }

    fn __repr__(&self) -> String {
        format!(
            "Credentials(access_key_id={:?}, secret_access_key='** redacted **', session_token={})",
            self.inner.access_key_id(),
            if self.inner.session_token().is_some() {
                "'** redacted **'"
            } else {
                "None"
            }
        )
    }
}

/// Where a signer gets its credentials: fixed, or read from a botocore-like object on every request.
pub enum Source {
    /// A `sigv4.Credentials` (or one built once from a plain object).
    Fixed(CoreCredentials),
    /// Any object with `access_key`/`secret_key`/`token` (or `get_frozen_credentials()`), read per request
    /// so that refreshable credentials rotate.
    Dynamic(Py<PyAny>),
}

impl Source {
    /// Takes a `sigv4.Credentials` as fixed, anything else as a dynamic provider (read once now, to
    /// check it and to have credentials to start with).
    pub fn from_object(object: &Bound<'_, PyAny>) -> PyResult<(Self, CoreCredentials)> {
        if let Ok(fixed) = object.cast::<Credentials>() {
            let inner = fixed.get().inner.clone();
            return Ok((Source::Fixed(inner.clone()), inner));
        }
        let first = resolve(object)?;
        Ok((Source::Dynamic(object.clone().unbind()), first))
    }

    /// Fresh credentials for the next request (None: use the fixed ones).
    pub fn current(&self, py: Python<'_>) -> PyResult<Option<CoreCredentials>> {
        match self {
            Source::Fixed(_) => Ok(None),
            Source::Dynamic(object) => resolve(object.bind(py)).map(Some),
        }
    }

    /// The Python object to hand back from `Signer.credentials`.
    pub fn object(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Source::Fixed(inner) => Ok(Py::new(
                py,
                Credentials {
                    inner: inner.clone(),
                },
            )?
            .into_any()),
            Source::Dynamic(object) => Ok(object.clone_ref(py)),
        }
    }
}

fn text_attr(
    object: &Bound<'_, PyAny>,
    name: &'static str,
    required: bool,
) -> PyResult<Option<String>> {
    let py = object.py();
    let missing = || {
        input(
            py,
            ErrorKind::InvalidCredentials,
            "credentials",
            format!(
                "credentials object has no usable {name:?}: pass sigv4.Credentials(...) or an object \
                 with access_key, secret_key and token (botocore credentials)"
            ),
        )
    };
    let value = match object.getattr(name) {
        Ok(value) => value,
        Err(_) if !required => return Ok(None),
        Err(_) => return Err(missing()),
    };
    if value.is_none() {
        return if required { Err(missing()) } else { Ok(None) };
    }
    let text = value.cast::<PyString>().map_err(|_| missing())?;
    Ok(Some(crate::text::str_of(text)?.into_owned()))
}

/// Reads a botocore-like credentials object (preferring its atomic `get_frozen_credentials()`).
pub fn resolve(object: &Bound<'_, PyAny>) -> PyResult<CoreCredentials> {
    let py = object.py();
    let frozen;
    let object = match object.getattr(pyo3::intern!(py, "get_frozen_credentials")) {
        Ok(method) if method.is_callable() => {
            frozen = method.call0()?;
            &frozen
        }
        _ => object,
    };
    let access_key = text_attr(object, "access_key", true)?.unwrap_or_default();
    let secret_key = text_attr(object, "secret_key", true)?.unwrap_or_default();
    let token = text_attr(object, "token", false)?.filter(|t| !t.is_empty());
    CoreCredentials::new(access_key, secret_key, token).py_err(py)
}
