//! `sign_v4`: the core's one-call signing with Python values (see `sigv4.sign_v4`).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyString};
use sigv4::OneCall;

use crate::body::BodyInput;
use crate::errors::IntoPyResult;
use crate::headers::{as_pairs, extract_texts};
use crate::signed::SignedRequest;
use crate::text::str_of;
use crate::timestamp;

/// Signs one request with the service's defaults (``sigv4.sign_v4`` builds its dict from this).
///
/// ``query_params`` and ``headers`` are (name, value) pairs or mappings of str; ``payload`` bytes
/// or str (UTF-8); ``timestamp`` as for ``Signer.sign``. Raises ``sigv4.Error`` on bad input.
#[pyfunction]
#[pyo3(signature = (access_key, secret_key, region, service, method, uri, query_params=None,
    headers=None, payload=None, timestamp=None, session_token=None))]
#[allow(clippy::too_many_arguments)]
pub fn sign_v4(
    py: Python<'_>,
    access_key: &Bound<'_, PyString>,
    secret_key: &Bound<'_, PyString>,
    region: &Bound<'_, PyString>,
    service: &Bound<'_, PyString>,
    method: &Bound<'_, PyString>,
    uri: &Bound<'_, PyString>,
    query_params: Option<&Bound<'_, PyAny>>,
    headers: Option<&Bound<'_, PyAny>>,
    payload: Option<&Bound<'_, PyAny>>,
    timestamp: Option<&Bound<'_, PyAny>>,
    session_token: Option<&Bound<'_, PyString>>,
) -> PyResult<SignedRequest> {
    let (access_key, secret_key) = (str_of(access_key)?, str_of(secret_key)?);
    let (region, service) = (str_of(region)?, str_of(service)?);
    let (method, uri) = (str_of(method)?, str_of(uri)?);
    let session_token = session_token.map(str_of).transpose()?;
    let query = extract_texts(query_params)?;
    let header_texts = extract_texts(headers)?;
    let body = BodyInput::extract(payload)?;
    if let BodyInput::Stream(_) = body {
        // The one call signs bytes in memory; a stream would otherwise sign as an empty body.
        return Err(PyTypeError::new_err(
            "payload must be bytes, bytearray, memoryview or str (use a Signer for streamed bodies)",
        ));
    }
    let time = timestamp::parse(py, timestamp)?;
    let signed = sigv4::sign_v4(&OneCall {
        access_key: &access_key,
        secret_key: &secret_key,
        session_token: session_token.as_deref(),
        region: &region,
        service: &service,
        method: &method,
        uri: &uri,
        query_params: &as_pairs(&query),
        headers: &as_pairs(&header_texts),
        payload: body.as_slice().unwrap_or(&[]),
        time,
    })
    .py_err(py)?;
    Ok(SignedRequest::new(signed))
}
