//! One pass over the request headers: validation, the headers SigV4 reads, and the canonical
//! list of signed headers.

use std::borrow::Cow;

use crate::canonical::{canonical_header, lower_name, sort_and_merge, CanonicalHeader};
use crate::error::{Error, ErrorKind, Result};
use crate::request::{validate_header_name, validate_header_value, Request};

use super::form::Form;
use super::parse_header::truncate;
use super::settings::{VerifierLimits, VerifierSettings};

/// The headers the verifier itself reads, found in one pass.
#[derive(Debug, Default)]
pub(crate) struct HeaderScan<'a> {
    pub(crate) authorization: Option<&'a str>,
    pub(crate) authorization_count: usize,
    pub(crate) amz_date: Option<&'a str>,
    pub(crate) amz_date_count: usize,
    pub(crate) content_sha256: Option<&'a str>,
    pub(crate) content_sha256_count: usize,
    pub(crate) token: Option<&'a str>,
    pub(crate) token_count: usize,
    pub(crate) host_count: usize,
}

fn too_big(message: String) -> Error {
    Error::from_binding(ErrorKind::InvalidHeaderValue, "headers", message)
}

/// Checks every header's name and value (and the size limits) and picks out the ones SigV4 reads.
pub(crate) fn scan<'a>(
    headers: &'a [(&'a str, &'a str)],
    limits: &VerifierLimits,
) -> Result<HeaderScan<'a>> {
    if headers.len() > limits.max_headers {
        return Err(too_big(format!(
            "the request has {} headers; at most {} are accepted",
            headers.len(),
            limits.max_headers
        )));
    }
    let mut total = 0;
    for (name, value) in headers {
        total += name.len() + value.len();
        if value.len() > limits.max_authorization_bytes
            && name.eq_ignore_ascii_case("authorization")
        {
            return Err(Form::Header.malformed(format!(
                "the Authorization header is {} bytes long; at most {} are accepted",
                value.len(),
                limits.max_authorization_bytes
            )));
        }
    }
    if total > limits.max_header_bytes {
        return Err(too_big(format!(
            "the request headers total {total} bytes; at most {} are accepted",
            limits.max_header_bytes
        )));
    }
    let mut out = HeaderScan::default();
    for &(name, value) in headers {
        validate_header_name(name)?;
        let trimmed = value.trim_matches([' ', '\t']);
        let (slot, count) = if name.eq_ignore_ascii_case("authorization") {
            (&mut out.authorization, &mut out.authorization_count)
        } else if name.eq_ignore_ascii_case("x-amz-date") {
            (&mut out.amz_date, &mut out.amz_date_count)
        } else if name.eq_ignore_ascii_case("x-amz-content-sha256") {
            (&mut out.content_sha256, &mut out.content_sha256_count)
        } else if name.eq_ignore_ascii_case("x-amz-security-token") {
            (&mut out.token, &mut out.token_count)
        } else {
            if name.eq_ignore_ascii_case("host") {
                out.host_count += 1;
            }
            validate_header_value(name, value)?;
            continue;
        };
        validate_header_value(name, value)?;
        *slot = Some(trimmed);
        *count += 1;
    }
    if out.host_count > 1 {
        return Err(Error::from_binding(
            ErrorKind::InvalidHeaderValue,
            "headers",
            "the request has more than one Host header",
        ));
    }
    Ok(out)
}

/// The canonical form of the signed headers, checking that each one is present, that every header
/// which must be signed is, and that `host` comes from the `Host` header or the URL.
pub(crate) fn canonical_signed<'a>(
    request: &Request<'a>,
    signed: &[&str],
    form: Form,
    settings: &VerifierSettings,
) -> Result<Vec<CanonicalHeader<'a>>> {
    let mut out: Vec<CanonicalHeader<'a>> = Vec::with_capacity(signed.len() + 1);
    let mut has_host = false;
    for &(name, value) in request.headers() {
        let lower = lower_name(name);
        if signed.binary_search(&lower.as_ref()).is_ok() {
            has_host |= lower == "host";
            out.push(canonical_header(name, value)?);
        } else if settings.must_sign(&lower) {
            return Err(Error::new(
                ErrorKind::UnsignedHeader,
                format!(
                    "the header {:?} is present but not signed; sign it (add it to SignedHeaders)",
                    truncate(&lower)
                ),
            ));
        }
    }
    if !has_host {
        let host = request.authority().ok_or_else(|| {
            form.malformed("host is signed but the request has no Host header and no absolute URL")
        })?;
        out.push(CanonicalHeader {
            name: Cow::Borrowed("host"),
            value: Cow::Borrowed(host),
        });
    }
    sort_and_merge(&mut out);
    if out.len() != signed.len() {
        let missing = signed
            .iter()
            .find(|name| out.binary_search_by(|h| h.name.as_ref().cmp(name)).is_err())
            .copied()
            .unwrap_or("");
        if missing == "x-amz-security-token" {
            return Err(Error::new(
                ErrorKind::InvalidToken,
                "the session token is signed but missing: send the X-Amz-Security-Token header",
            ));
        }
        return Err(form.malformed(format!(
            "the header {:?} is listed in SignedHeaders but absent from the request",
            truncate(missing)
        )));
    }
    Ok(out)
}
