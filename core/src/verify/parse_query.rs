//! The `X-Amz-*` parameters of a presigned URL, found and checked strictly.

use std::borrow::Cow;

use crate::encode::decode_query_component;
use crate::error::{Error, ErrorKind, Result};

use crate::settings::SigningAlgorithm;
use crate::sigv4a::SIGV4A_ALGORITHM;

use super::form::{AuthParts, Form};
use super::headers::HeaderScan;
use super::parse_header::truncate;

/// The authentication parameters, in this order in [`QueryAuth::values`].
pub(crate) const NAMES: [&str; 8] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
    "X-Amz-Region-Set",
];
const ALGORITHM: usize = 0;
const CREDENTIAL: usize = 1;
const DATE: usize = 2;
const EXPIRES: usize = 3;
const SIGNED_HEADERS: usize = 4;
const SIGNATURE: usize = 5;
const TOKEN: usize = 6;
/// SigV4a only; for SigV4 an ordinary (signed) query parameter, but still found once at most.
const REGION_SET: usize = 7;

/// The authentication parameters found in a query string (decoded values).
#[derive(Debug, Default)]
pub(crate) struct QueryAuth<'a> {
    pub(crate) values: [Option<Cow<'a, str>>; 8],
}

impl QueryAuth<'_> {
    /// True when the query carries `X-Amz-Algorithm` (in any letter case).
    pub(crate) fn has_algorithm(&self) -> bool {
        self.values[ALGORITHM].is_some()
    }

    /// True when any authentication parameter is present (`X-Amz-Region-Set` aside: with an
    /// `Authorization` header it is an ordinary signed parameter).
    pub(crate) fn any(&self) -> bool {
        self.values[..REGION_SET].iter().any(Option::is_some)
    }
}

fn param_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::AuthorizationQueryParametersError, message)
}

fn decode(text: &str) -> Result<Cow<'_, str>> {
    if super::find_byte(text.as_bytes(), b'%').is_none()
        && super::find_byte(text.as_bytes(), b'+').is_none()
    {
        return Ok(Cow::Borrowed(text));
    }
    let mut bytes = Vec::with_capacity(text.len());
    decode_query_component(text, &mut bytes);
    String::from_utf8(bytes)
        .map(Cow::Owned)
        .map_err(|_| param_error("a query parameter decodes to bytes that are not UTF-8"))
}

/// Finds the authentication parameters. Each may appear once, spelled exactly as AWS spells it;
/// a second occurrence in any letter case, or another spelling, is an error.
pub(crate) fn scan(query: &str) -> Result<QueryAuth<'_>> {
    let mut out = QueryAuth::default();
    // Every name holds a '-', and an encoded name a '%': without either, nothing to find.
    if super::find_byte(query.as_bytes(), b'-').is_none()
        && super::find_byte(query.as_bytes(), b'%').is_none()
    {
        return Ok(out);
    }
    for piece in super::split_byte(query, b'&') {
        if piece.len() < 10 {
            continue; // shorter than any X-Amz-* name
        }
        let (raw_key, raw_value) = super::split_once_byte(piece, b'=').unwrap_or((piece, ""));
        // A name that decodes to bytes that are not UTF-8 is an ordinary parameter, never one of
        // the (ASCII) X-Amz-* names: skip it rather than refuse the request.
        let Ok(key) = decode(raw_key) else {
            continue;
        };
        if !key
            .get(..6)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-amz-"))
        {
            continue;
        }
        let Some(index) = NAMES.iter().position(|n| n.eq_ignore_ascii_case(&key)) else {
            continue;
        };
        let name = NAMES[index];
        if out.values[index].is_some() {
            return Err(param_error(format!(
                "the query parameter {name} appears more than once (letter case ignored)"
            )));
        }
        if key != name {
            return Err(param_error(format!(
                "the query parameter {:?} must be spelled {name}",
                truncate(&key)
            )));
        }
        out.values[index] = Some(decode(raw_value)?);
    }
    Ok(out)
}

/// The decoded `X-Amz-SignedHeaders` of a query, found as [`scan`] finds it; `None` when absent or
/// when the authentication parameters are malformed.
pub(crate) fn signed_headers_param(query: &str) -> Option<Cow<'_, str>> {
    scan(query).ok()?.values[SIGNED_HEADERS].take()
}

/// Checks `X-Amz-Expires`: a plain decimal integer (no sign, no leading zero) in 1..=`max`.
pub(crate) fn parse_expires(text: &str, max: u32) -> Result<u32> {
    let plain = !text.is_empty()
        && text.len() <= 7
        && text.bytes().all(|b| b.is_ascii_digit())
        && !text.starts_with('0');
    let value = if plain {
        text.parse::<u32>().ok()
    } else {
        None
    };
    match value {
        Some(v) if v <= max => Ok(v),
        Some(v) => Err(param_error(format!(
            "X-Amz-Expires is {v}; it must be at most {max} seconds"
        ))),
        None => Err(param_error(format!(
            "X-Amz-Expires must be a plain integer number of seconds in 1..={max} (got {:?})",
            truncate(text)
        ))),
    }
}

/// The authentication values of a presigned URL: all six parameters present and non-empty.
pub(crate) fn auth_parts<'a>(
    mut query: QueryAuth<'a>,
    scan: &HeaderScan<'a>,
    max_expires: u32,
    allow_sigv4a: bool,
) -> Result<AuthParts<'a>> {
    for (index, name) in NAMES.iter().enumerate().take(TOKEN) {
        match &query.values[index] {
            None => {
                return Err(param_error(format!(
                    "a presigned URL requires the query parameter {name}"
                )))
            }
            Some(v) if v.is_empty() => {
                return Err(param_error(format!("the query parameter {name} is empty")))
            }
            Some(_) => {}
        }
    }
    let token_param = query.values[TOKEN].take();
    let region_param = query.values[REGION_SET].take();
    let mut take = |i: usize| query.values[i].take().unwrap_or_default();
    let algorithm_name = take(ALGORITHM);
    let algorithm = match algorithm_name.as_ref() {
        "AWS4-HMAC-SHA256" => SigningAlgorithm::Sigv4,
        SIGV4A_ALGORITHM if allow_sigv4a => SigningAlgorithm::Sigv4a,
        SIGV4A_ALGORITHM => {
            return Err(param_error(
                "SigV4a (AWS4-ECDSA-P256-SHA256) is not accepted by this verifier (allow_sigv4a is off); presign with AWS4-HMAC-SHA256",
            ))
        }
        other => {
            return Err(param_error(format!(
                "X-Amz-Algorithm must be AWS4-HMAC-SHA256{} (got {:?})",
                if allow_sigv4a {
                    " or AWS4-ECDSA-P256-SHA256"
                } else {
                    ""
                },
                truncate(other)
            )))
        }
    };
    let region_set = match (algorithm, region_param) {
        (SigningAlgorithm::Sigv4, _) => None,
        (SigningAlgorithm::Sigv4a, Some(set)) if !set.is_empty() => Some(set),
        (SigningAlgorithm::Sigv4a, _) => {
            return Err(param_error(
                "a SigV4a presigned URL requires a non-empty X-Amz-Region-Set query parameter",
            ))
        }
    };
    let expires = parse_expires(&take(EXPIRES), max_expires)?;
    let token = match (token_param, scan.token, scan.token_count) {
        (Some(t), None, _) if t.is_empty() => {
            return Err(Error::new(
                ErrorKind::InvalidToken,
                "X-Amz-Security-Token is empty",
            ))
        }
        (Some(t), None, _) => Some(t),
        (None, Some(t), 1) => Some(Cow::Borrowed(t)),
        (None, None, _) => None,
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidToken,
                "the session token is sent more than once; send X-Amz-Security-Token once",
            ))
        }
    };
    Ok(AuthParts {
        form: Form::Query,
        algorithm,
        region_set,
        credential: take(CREDENTIAL),
        signed_headers: take(SIGNED_HEADERS),
        signature: take(SIGNATURE),
        amz_date: take(DATE),
        expires: Some(expires),
        token,
    })
}

/// The query without `X-Amz-Security-Token`, for clients that append the token after signing.
pub(crate) fn without_token(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut key = Vec::new();
    for piece in super::split_byte(query, b'&') {
        let raw_key = super::split_once_byte(piece, b'=').map_or(piece, |(k, _)| k);
        // The canonical key is the encoding of the decoded key; the name is all unreserved, so
        // comparing the decoded bytes is the same test.
        decode_query_component(raw_key, &mut key);
        if key == NAMES[TOKEN].as_bytes() {
            continue;
        }
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(piece);
    }
    out
}

/// True when `text` holds a `%` not followed by two hex digits.
pub(crate) fn has_invalid_escape(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(offset) = super::find_byte(&b[i..], b'%') {
        let at = i + offset;
        let ok = b.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(at + 2).is_some_and(u8::is_ascii_hexdigit);
        if !ok {
            return true;
        }
        i = at + 3;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_is_a_plain_integer() {
        for ok in ["1", "60", "604800"] {
            assert!(parse_expires(ok, 604_800).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "0",
            "-1",
            "+60",
            "1.5",
            "60abc",
            "604801",
            "0060",
            " 60",
            "99999999999",
        ] {
            assert!(parse_expires(bad, 604_800).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn escapes() {
        assert!(!has_invalid_escape("/a%20b%E1%88%B4"));
        assert!(has_invalid_escape("/a%zz"));
        assert!(has_invalid_escape("/a%2"));
        assert!(has_invalid_escape("%"));
    }

    #[test]
    fn token_removed() {
        assert_eq!(without_token("a=1&X-Amz-Security-Token=x&b=2"), "a=1&b=2");
    }
}
