//! What stands for the body in the canonical request, and the body check after the signature.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind, Result};
use crate::hash::{sha256_hex, EMPTY_SHA256};
use crate::request::Body;
use crate::sentinel::UNSIGNED_PAYLOAD;
use crate::settings::{PayloadMode, SigningAlgorithm};

use super::form::Form;
use super::parse_header::truncate;

const UNSIGNED: &str = UNSIGNED_PAYLOAD;

/// The payload line of the canonical request and whether the body must be compared after.
#[derive(Debug)]
pub(crate) struct Payload<'a> {
    pub(crate) line: Cow<'a, str>,
    /// True when `line` came from `x-amz-content-sha256` and the body still has to match it.
    pub(crate) check_body: bool,
    /// True when the body's own hash is the other possible reading (a presigned URL without
    /// `x-amz-content-sha256` while unsigned payloads are allowed): tried when `line` mismatches.
    pub(crate) or_body_hash: bool,
}

fn mismatch(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::XAmzContentSha256Mismatch, message)
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks a [`Body::Precomputed`] hash before anything else.
pub(crate) fn check_precomputed(body: Body<'_>) -> Result<()> {
    match body {
        Body::Precomputed(hash) if !is_hex64(hash) => Err(Error::from_binding(
            ErrorKind::InvalidPayloadHash,
            "payload_hash",
            "payload_hash must be 64 hex digits (the SHA-256 of the body)",
        )),
        _ => Ok(()),
    }
}

/// Decides the payload line without hashing anything yet (hashing waits for a known key).
pub(crate) fn decide<'a>(
    form: Form,
    header: Option<&'a str>,
    header_count: usize,
    allow_unsigned: bool,
) -> Result<Option<Payload<'a>>> {
    if header_count > 1 {
        return Err(form.malformed("the x-amz-content-sha256 header appears more than once"));
    }
    let Some(value) = header else {
        if form == Form::Query && allow_unsigned {
            return Ok(Some(Payload {
                line: Cow::Borrowed(UNSIGNED),
                check_body: false,
                or_body_hash: true,
            }));
        }
        return Ok(None); // the body's own hash
    };
    if is_hex64(value) {
        let line = if value.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(value.to_ascii_lowercase())
        } else {
            Cow::Borrowed(value)
        };
        return Ok(Some(Payload {
            line,
            check_body: true,
            or_body_hash: false,
        }));
    }
    if value == UNSIGNED {
        if allow_unsigned {
            return Ok(Some(Payload {
                line: Cow::Borrowed(UNSIGNED),
                check_body: false,
                or_body_hash: false,
            }));
        }
        return Err(mismatch(
            "UNSIGNED-PAYLOAD is not accepted here: sign the body (x-amz-content-sha256 = its hex SHA-256)",
        ));
    }
    if value.starts_with("STREAMING-") {
        return Err(mismatch(format!(
            "streaming payloads ({}) are not checked by verify(): use verify_streaming, which returns a decoder that checks the aws-chunked body",
            truncate(value)
        )));
    }
    Err(mismatch(format!(
        "x-amz-content-sha256 must be the hex SHA-256 of the body or UNSIGNED-PAYLOAD (got {:?})",
        truncate(value)
    )))
}

/// The lowercase hex SHA-256 of the body (hashing bytes, or taking the caller's hash).
pub(crate) fn body_hash(body: Body<'_>) -> Cow<'_, str> {
    match body {
        Body::Bytes([]) => Cow::Borrowed(EMPTY_SHA256),
        Body::Bytes(bytes) => Cow::Owned(sha256_hex(bytes)),
        Body::Precomputed(hash) if hash.bytes().any(|b| b.is_ascii_uppercase()) => {
            Cow::Owned(hash.to_ascii_lowercase())
        }
        Body::Precomputed(hash) => Cow::Borrowed(hash),
    }
}

/// After the signature matched: the body must hash to the signed `x-amz-content-sha256`.
pub(crate) fn check_body(signed: &str, body: Body<'_>) -> Result<()> {
    if body_hash(body) == signed {
        Ok(())
    } else {
        Err(mismatch(
            "the body does not match the signed x-amz-content-sha256: the body was changed in transit, or the client hashed a different body",
        ))
    }
}

/// For `verify_streaming`: `x-amz-content-sha256` must be a streaming form of the request's own
/// algorithm (`STREAMING-UNSIGNED-PAYLOAD-TRAILER` only when unsigned payloads are allowed).
/// Returns the form and the literal that was signed.
pub(crate) fn decide_streaming(
    form: Form,
    header: Option<&str>,
    header_count: usize,
    algorithm: SigningAlgorithm,
    allow_unsigned: bool,
) -> Result<(PayloadMode, &'static str)> {
    if header_count > 1 {
        return Err(form.malformed("the x-amz-content-sha256 header appears more than once"));
    }
    let Some(value) = header else {
        return Err(mismatch(
            "a streaming upload needs x-amz-content-sha256 set to a STREAMING-* payload form (use verify for other requests)",
        ));
    };
    for mode in [
        PayloadMode::StreamingSigned,
        PayloadMode::StreamingSignedTrailer,
        PayloadMode::StreamingUnsignedTrailer,
    ] {
        let Some(sentinel) = algorithm.payload_sentinel(mode).filter(|s| *s == value) else {
            continue;
        };
        if mode == PayloadMode::StreamingUnsignedTrailer && !allow_unsigned {
            return Err(mismatch(
                "STREAMING-UNSIGNED-PAYLOAD-TRAILER is not accepted here (unsigned payloads are off): sign the chunks",
            ));
        }
        return Ok((mode, sentinel));
    }
    let other_algorithm = [SigningAlgorithm::Sigv4, SigningAlgorithm::Sigv4a]
        .iter()
        .any(|a| {
            [
                PayloadMode::StreamingSigned,
                PayloadMode::StreamingSignedTrailer,
            ]
            .iter()
            .any(|m| a.payload_sentinel(*m) == Some(value))
        });
    Err(mismatch(if other_algorithm {
        format!(
            "x-amz-content-sha256 {:?} belongs to the other signing algorithm than the Authorization header's",
            truncate(value)
        )
    } else {
        format!(
            "verify_streaming needs x-amz-content-sha256 set to a STREAMING-* payload form (got {:?}); use verify for other requests",
            truncate(value)
        )
    }))
}
