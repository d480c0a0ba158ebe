//! `error_answer`: the core's HTTP status and AWS-shaped error body for a failed verification, so
//! the WSGI/ASGI middleware answer exactly as the Node and C servers do.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use sigv4::{ErrorFormat, ErrorKind, Mismatch};

/// ``(status, content_type, body)`` for an error ``code`` with ``message``: JSON as API Gateway
/// answers (``xml=False``) or XML as S3 answers. ``canonical_request`` and ``string_to_sign``,
/// when both given, are added (what the server computed, for ``SignatureDoesNotMatch``). A code
/// the core does not know raises ``ValueError``.
#[pyfunction]
#[pyo3(signature = (code, message, canonical_request=None, string_to_sign=None, xml=false))]
pub fn error_answer(
    code: &str,
    message: &str,
    canonical_request: Option<String>,
    string_to_sign: Option<String>,
    xml: bool,
) -> PyResult<(u16, &'static str, String)> {
    let format = if xml {
        ErrorFormat::Xml
    } else {
        ErrorFormat::Json
    };
    let Some(kind) = ErrorKind::from_code(code) else {
        return Err(PyValueError::new_err(format!(
            "error_answer: {code:?} is not an error code of the core"
        )));
    };
    let mismatch = match (canonical_request, string_to_sign) {
        (Some(canonical_request), Some(string_to_sign)) => Some(Mismatch {
            canonical_request,
            string_to_sign,
        }),
        _ => None,
    };
    let answer = sigv4::error_answer(kind, message, mismatch.as_ref(), format);
    Ok((answer.status, answer.content_type, answer.body))
}
