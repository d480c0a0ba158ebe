//! Streaming uploads (aws-chunked): the framing headers checked before any cryptography, and what
//! [`Verifier::verify_streaming`](crate::Verifier::verify_streaming) returns.

use crate::chunked::{validate_trailer_name, ChunkedDecoder};
use crate::error::{Error, ErrorKind, Result};
use crate::request::Request;
use crate::settings::PayloadMode;

use super::identity::VerifiedIdentity;
use super::parse_header::truncate;

/// A streaming upload whose headers and seed signature verified: who signed it, and the decoder
/// that checks its aws-chunked body.
///
/// Feed the wire body to [`decoder`](Self::decoder) (`feed(bytes, &mut out)`): only data whose
/// chunk signature verified reaches `out`. The upload is valid only when `decoder.finish()`
/// succeeds (final chunk, decoded length and declared trailers all checked); until then, treat the
/// data as provisional (for example, write it to a temporary object and commit it on `finish`).
#[non_exhaustive]
#[derive(Debug)]
pub struct VerifiedStream {
    /// Who signed the request (`payload_hash` is the `STREAMING-*` literal that was signed).
    pub identity: VerifiedIdentity,
    /// Checks the body, chained from the request's seed signature.
    pub decoder: ChunkedDecoder,
    /// The payload form (`StreamingSigned`, `StreamingSignedTrailer` or `StreamingUnsignedTrailer`).
    pub payload: PayloadMode,
    /// `x-amz-decoded-content-length`: the length of the body once decoded.
    pub decoded_length: u64,
    /// The trailers declared in `x-amz-trailer` (lowercase), in order.
    pub trailers: Vec<String>,
    /// `Content-Encoding` without `aws-chunked` (for example `gzip`; empty when none): the encoding
    /// of the decoded body, what S3 stores with the object.
    pub content_encoding: String,
}

impl VerifiedStream {
    /// The identity and the decoder, for callers that keep them apart.
    pub fn into_parts(self) -> (VerifiedIdentity, ChunkedDecoder) {
        (self.identity, self.decoder)
    }
}

/// The aws-chunked framing headers of a streaming request.
#[derive(Debug)]
pub(crate) struct Framing<'a> {
    pub(crate) decoded_length: u64,
    pub(crate) trailers: Vec<&'a str>,
    pub(crate) content_encoding: String,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidChunk, message)
}

/// Checks the framing headers: `Content-Encoding` includes `aws-chunked` (S3 sends it first,
/// `aws-chunked,gzip`; any position is accepted, letter case ignored), one
/// `x-amz-decoded-content-length` that is a plain decimal integer, and `x-amz-trailer` (valid,
/// distinct names) only for the trailer forms.
pub(crate) fn framing<'a>(request: &Request<'a>, mode: PayloadMode) -> Result<Framing<'a>> {
    let mut aws_chunked = false;
    let mut content_encoding = String::new();
    let mut decoded: Option<&str> = None;
    let mut decoded_count = 0;
    let mut trailers: Vec<&'a str> = Vec::new();
    for &(name, value) in request.headers() {
        if name.eq_ignore_ascii_case("content-encoding") {
            for coding in value.split(',').map(|c| c.trim_matches([' ', '\t'])) {
                if coding.eq_ignore_ascii_case("aws-chunked") {
                    aws_chunked = true;
                } else if !coding.is_empty() {
                    if !content_encoding.is_empty() {
                        content_encoding.push(',');
                    }
                    content_encoding.push_str(coding);
                }
            }
        } else if name.eq_ignore_ascii_case("x-amz-decoded-content-length") {
            decoded = Some(value.trim_matches([' ', '\t']));
            decoded_count += 1;
        } else if name.eq_ignore_ascii_case("x-amz-trailer") {
            for trailer in value.split(',').map(|t| t.trim_matches([' ', '\t'])) {
                validate_trailer_name(trailer)?;
                if trailers.iter().any(|t| t.eq_ignore_ascii_case(trailer)) {
                    return Err(invalid(format!(
                        "x-amz-trailer declares {:?} twice",
                        truncate(trailer)
                    )));
                }
                trailers.push(trailer);
            }
        }
    }
    if !aws_chunked {
        return Err(invalid(
            "a streaming upload needs Content-Encoding: aws-chunked (before any other encoding: aws-chunked,gzip)",
        ));
    }
    let decoded_length = match (decoded, decoded_count) {
        (None, _) => {
            return Err(invalid(
                "a streaming upload needs x-amz-decoded-content-length (the body length before aws-chunked encoding)",
            ))
        }
        (Some(text), 1) => parse_length(text).ok_or_else(|| {
            invalid(format!(
                "x-amz-decoded-content-length must be a plain decimal integer (got {:?})",
                truncate(text)
            ))
        })?,
        _ => return Err(invalid("x-amz-decoded-content-length appears more than once")),
    };
    if mode == PayloadMode::StreamingSigned && !trailers.is_empty() {
        return Err(invalid(
            "x-amz-trailer is declared but STREAMING-*-PAYLOAD carries no trailers (use the -TRAILER form)",
        ));
    }
    Ok(Framing {
        decoded_length,
        trailers,
        content_encoding,
    })
}

/// Digits only, no sign, no leading zero (except `0` itself), at most 19 digits (fits a u64).
fn parse_length(text: &str) -> Option<u64> {
    let plain = !text.is_empty()
        && text.len() <= 19
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if plain {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::parse_length;

    #[test]
    fn lengths() {
        assert_eq!(parse_length("0"), Some(0));
        assert_eq!(parse_length("66560"), Some(66560));
        assert_eq!(
            parse_length("9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        for bad in [
            "",
            "00",
            "012",
            "+1",
            "-1",
            "1.0",
            "1e3",
            " 1",
            "0x10",
            "99999999999999999999",
        ] {
            assert_eq!(parse_length(bad), None, "{bad:?}");
        }
    }
}
