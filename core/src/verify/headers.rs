//! One pass over the request headers: validation, the headers SigV4 reads, and the canonical
//! list of signed headers.

use std::borrow::Cow;

use crate::canonical::{sort_and_merge, trim_value, CanonicalHeader};
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
    pub(crate) region_set: Option<&'a str>,
    pub(crate) region_set_count: usize,
    pub(crate) host_count: usize,
}

/// True when `value` holds CR, LF or NUL, eight bytes at a time (the `Authorization` header
/// alone is ~200 bytes checked on every request).
fn has_cr_lf_nul(value: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let mut words = value.as_bytes().chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let w = u64::from_le_bytes(bytes);
        if zero_byte(w)
            || zero_byte(w ^ (ONES * u64::from(b'\n')))
            || zero_byte(w ^ (ONES * u64::from(b'\r')))
        {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| b == 0 || b == b'\n' || b == b'\r')
}

/// [`validate_header_value`] with a fast path for the common, clean value.
fn check_value(name: &str, value: &str) -> Result<()> {
    if has_cr_lf_nul(value) {
        validate_header_value(name, value)?;
    }
    Ok(())
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
        check_value(name, value)?;
        // Dispatch on the length first: most headers are none of these.
        let (slot, count) = match name.len() {
            4 if name.eq_ignore_ascii_case("host") => {
                out.host_count += 1;
                continue;
            }
            10 if name.eq_ignore_ascii_case("x-amz-date") => {
                (&mut out.amz_date, &mut out.amz_date_count)
            }
            13 if name.eq_ignore_ascii_case("authorization") => {
                (&mut out.authorization, &mut out.authorization_count)
            }
            16 if name.eq_ignore_ascii_case("x-amz-region-set") => {
                (&mut out.region_set, &mut out.region_set_count)
            }
            20 if name.eq_ignore_ascii_case("x-amz-content-sha256") => {
                (&mut out.content_sha256, &mut out.content_sha256_count)
            }
            20 if name.eq_ignore_ascii_case("x-amz-security-token") => {
                (&mut out.token, &mut out.token_count)
            }
            _ => continue,
        };
        *slot = Some(super::trim_ws(value));
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

/// Finds `name` (any letter case) in the sorted lowercase `signed` list, without allocating.
fn find_signed(signed: &[&str], name: &str) -> Option<usize> {
    signed
        .binary_search_by(|probe| {
            probe
                .bytes()
                .cmp(name.bytes().map(|b| b.to_ascii_lowercase()))
        })
        .ok()
}

/// The canonical form of the signed headers, checking that each one is present, that every header
/// which must be signed is, and that `host` comes from the `Host` header or the URL. Names and
/// values were validated by [`scan`]; the lowercase names are borrowed from `SignedHeaders`.
pub(crate) fn canonical_signed<'h>(
    request: &Request<'h>,
    signed: &[&'h str],
    form: Form,
    settings: &VerifierSettings,
) -> Result<Vec<CanonicalHeader<'h>>> {
    let mut out: Vec<CanonicalHeader<'h>> = Vec::with_capacity(signed.len() + 1);
    let mut has_host = false;
    for &(name, value) in request.headers() {
        if let Some(index) = find_signed(signed, name) {
            has_host |= signed[index] == "host";
            out.push(CanonicalHeader {
                name: Cow::Borrowed(signed[index]),
                value: trim_value(value),
            });
        } else if settings.must_sign(name) {
            return Err(Error::new(
                ErrorKind::UnsignedHeader,
                format!(
                    "the header {:?} is present but not signed; sign it (add it to SignedHeaders)",
                    truncate(&name.to_ascii_lowercase())
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

#[cfg(test)]
mod tests {
    use super::has_cr_lf_nul;

    #[test]
    fn finds_control_bytes_anywhere() {
        let clean = "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request";
        assert!(!has_cr_lf_nul(clean));
        for at in 0..clean.len() {
            for c in ['\r', '\n', '\0'] {
                let mut dirty = clean.to_owned();
                dirty.replace_range(at..at + 1, &c.to_string());
                assert!(has_cr_lf_nul(&dirty), "{at} {c:?}");
            }
        }
        assert!(!has_cr_lf_nul("\u{e9}\u{1234}\t\x0b\x0c\x0e"));
    }
}
