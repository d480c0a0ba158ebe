//! Signing options given as keyword arguments, applied to the core's `SigningSettings`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBool, PyDict, PyString};
use sigv4::{
    ContentSha256Header, ErrorKind, OptionFlag, OptionName, PathNormalization, PayloadMode,
    SessionTokenMode, SigningAlgorithm, SigningSettings, UriEncoding,
};

use crate::errors::{input, IntoPyResult};

/// The option names a `Signer` accepts (and `sign`/`presign` per call, plus `payload_hash`).
pub const OPTION_NAMES: &str = "payload, content_sha256_header, uri_encoding, normalize_path, \
                                sign_session_token, unsigned_headers, algorithm (Signer only)";

fn flag(name: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value
        .cast::<PyBool>()
        .map(|b| b.is_true())
        .map_err(|_| PyTypeError::new_err(format!("option {name} must be True or False")))
}

fn text(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let s = value
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("option {name} must be a str")))?;
    crate::text::string_of(s)
}

/// Applies one option to `settings`. Returns false for a name that is not a settings option.
fn apply_one(
    py: Python<'_>,
    settings: &mut SigningSettings,
    name: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    if value.is_none() && name != "payload" {
        // None means "the service default" for `payload`; for the others it is a mistake.
        return Err(PyTypeError::new_err(format!(
            "option {name} must not be None"
        )));
    }
    match name {
        "payload" => {
            settings.payload = if value.is_none() {
                None
            } else {
                Some(PayloadMode::parse_name(&text(name, value)?).py_err(py)?)
            };
        }
        "content_sha256_header" => {
            settings.content_sha256_header = ContentSha256Header::from_flag(flag(name, value)?)
        }
        "uri_encoding" => {
            settings.uri_encoding = UriEncoding::parse_name(&text(name, value)?).py_err(py)?
        }
        "normalize_path" => {
            settings.path_normalization = PathNormalization::from_flag(flag(name, value)?)
        }
        "sign_session_token" => {
            settings.session_token_mode = SessionTokenMode::from_flag(flag(name, value)?)
        }
        "algorithm" => {
            settings.algorithm = SigningAlgorithm::parse_name(&text(name, value)?).py_err(py)?
        }
        "unsigned_headers" => {
            if value.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err(
                    "option unsigned_headers must be a list of header names, not a str",
                ));
            }
            let mut names = Vec::new();
            for item in value.try_iter()? {
                names.push(text("unsigned_headers", &item?)?);
            }
            settings.unsigned_headers = names;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Per-call extras that are not settings.
#[derive(Default)]
pub struct CallOptions {
    /// A precomputed hex SHA-256 of the body.
    pub payload_hash: Option<String>,
}

/// Applies keyword options to `settings`; `allow_payload_hash` admits the per-call `payload_hash`.
pub fn apply(
    py: Python<'_>,
    settings: &mut SigningSettings,
    options: &Bound<'_, PyDict>,
    allow_payload_hash: bool,
) -> PyResult<CallOptions> {
    let mut call = CallOptions::default();
    for (key, value) in options.iter() {
        let name = crate::text::string_of(key.cast::<PyString>()?)?;
        if allow_payload_hash && name == "algorithm" {
            return Err(input(
                py,
                ErrorKind::InvalidOption,
                "algorithm",
                "algorithm is fixed when the Signer is built (Signer(..., algorithm=\"sigv4a\"))"
                    .to_owned(),
            ));
        }
        if allow_payload_hash && name == "payload_hash" {
            if !value.is_none() {
                call.payload_hash = Some(text("payload_hash", &value)?);
            }
            continue;
        }
        if !apply_one(py, settings, &name, &value)? {
            let extra = if allow_payload_hash {
                ", payload_hash"
            } else {
                ""
            };
            return Err(input(
                py,
                ErrorKind::InvalidOption,
                "options",
                format!("unknown option {name:?}; the options are {OPTION_NAMES}{extra}"),
            ));
        }
    }
    Ok(call)
}
