//! One pass over the request headers: validation, the headers SigV4 reads, and the canonical
//! list of signed headers.

use crate::error::{Error, ErrorKind, Result};
use crate::request::{validate_header_name, validate_header_value, Request};

use super::form::Form;
use super::parse_header::truncate;
use super::settings::{VerifierLimits, VerifierSettings};
use super::small::SmallList;
use crate::request::TOKEN;

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

/// True when `value` holds CR, LF or NUL. Eight bytes at a time, one test per word: is any byte
/// below 0x0e (NUL, CR and LF are; so are tab, VT and FF, which are allowed)? Only then are the
/// bytes looked at one by one. (The `Authorization` header alone is ~200 bytes, on every request.)
fn has_cr_lf_nul(value: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Exact for "some byte < 0x0e" (the classic has-less-than test, valid for limits up to 128).
    let has_low_byte = |x: u64| x.wrapping_sub(ONES * 0x0e) & !x & HIGH != 0;
    let exact = |bytes: &[u8]| bytes.iter().any(|&b| b == 0 || b == b'\n' || b == b'\r');
    let bytes = value.as_bytes();
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        if has_low_byte(u64::from_le_bytes(eight)) && exact(word) {
            return true;
        }
    }
    exact(words.remainder())
}

/// [`validate_header_value`] with a fast path for the common, clean value.
fn check_value(name: &str, value: &str) -> Result<()> {
    if has_cr_lf_nul(value) {
        validate_header_value(name, value)?;
    }
    Ok(())
}

/// [`validate_header_name`] with a table lookup per byte for the common, valid name.
fn check_name(name: &str) -> Result<()> {
    // Without an early exit: one branch per name, not one per byte.
    let valid = name.bytes().fold(true, |ok, b| ok & TOKEN[usize::from(b)]);
    if name.is_empty() || !valid {
        validate_header_name(name)?;
    }
    Ok(())
}

/// `name` (a valid token, as [`check_name`] ensured) equals `lower` (lowercase letters, digits and
/// '-') in any letter case. Eight bytes at a time: setting bit 0x20 lowercases a letter, and among
/// token bytes only the letter itself in either case, the digit itself and '-' itself map onto a
/// lowercase letter, a digit or '-' (the other bytes that would, 0x0d and 0x10..=0x19, are
/// control bytes, never in a token).
fn is_named(name: &str, lower: &str) -> bool {
    let (name, lower) = (name.as_bytes(), lower.as_bytes());
    if name.len() != lower.len() {
        return false;
    }
    let word = |bytes: &[u8]| {
        let mut eight = [0u8; 8];
        eight[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(eight)
    };
    let mut diff = 0;
    for (a, b) in name.chunks(8).zip(lower.chunks(8)) {
        diff |= (word(a) | 0x2020_2020_2020_2020) ^ (word(b) | 0x2020_2020_2020_2020);
    }
    diff == 0
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
        check_name(name)?;
        check_value(name, value)?;
        // Dispatch on the length first: most headers are none of these.
        let (slot, count) = match name.len() {
            4 if is_named(name, "host") => {
                out.host_count += 1;
                continue;
            }
            10 if is_named(name, "x-amz-date") => (&mut out.amz_date, &mut out.amz_date_count),
            13 if is_named(name, "authorization") => {
                (&mut out.authorization, &mut out.authorization_count)
            }
            16 if is_named(name, "x-amz-region-set") => {
                (&mut out.region_set, &mut out.region_set_count)
            }
            20 if is_named(name, "x-amz-content-sha256") => {
                (&mut out.content_sha256, &mut out.content_sha256_count)
            }
            20 if is_named(name, "x-amz-security-token") => (&mut out.token, &mut out.token_count),
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
    let name = name.as_bytes();
    let same = |probe: &&str| {
        probe.len() == name.len()
            && probe
                .bytes()
                .zip(name)
                .all(|(p, &n)| p == n.to_ascii_lowercase())
    };
    if signed.len() <= 16 {
        // Short lists: the length rules out most names at once.
        return signed.iter().position(same);
    }
    signed
        .binary_search_by(|probe| {
            let probe = probe.as_bytes();
            for (&p, &n) in probe.iter().zip(name) {
                let n = n.to_ascii_lowercase();
                if p != n {
                    return p.cmp(&n);
                }
            }
            probe.len().cmp(&name.len())
        })
        .ok()
}

/// Marks the `host` value taken from the URL's authority (no `Host` header).
pub(crate) const FROM_URL: usize = usize::MAX;

/// Where the signed headers' values come from: (index in `SignedHeaders`, index in the request's
/// headers or [`FROM_URL`]), sorted by the first, request order kept among repeats.
pub(crate) type SignedSources = SmallList<(usize, usize), 16>;

/// Finds the value of every signed header, checking that each one is present, that every header
/// which must be signed is, and that `host` comes from the `Host` header or the URL. Names and
/// values were validated by [`scan`]; the canonical lines are written by
/// [`super::canonical::write_canonical_request`] from the result, without copying any value.
/// The result goes to `sources` (filled in place: the inline list is too big to return by value
/// cheaply).
pub(crate) fn match_signed(
    request: &Request<'_>,
    signed: &[&str],
    form: Form,
    settings: &VerifierSettings,
    sources: &mut SignedSources,
) -> Result<()> {
    let mut has_host = false;
    for (at, &(name, _)) in request.headers().iter().enumerate() {
        if let Some(index) = find_signed(signed, name) {
            has_host |= signed[index] == "host";
            sources.push((index, at));
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
        if request.authority().is_none() {
            return Err(form.malformed(
                "host is signed but the request has no Host header and no absolute URL",
            ));
        }
        // `signed` holds host (checked by `checks::signed_headers`).
        let host = signed.binary_search(&"host").unwrap_or(0);
        sources.push((host, FROM_URL));
    }
    // Stable: repeated headers keep their order (their values are joined with ',').
    sources.as_mut_slice().sort_by_key(|&(index, _)| index);
    let mut distinct = 0;
    let mut previous = usize::MAX;
    for &(index, _) in sources.iter() {
        if index != previous {
            distinct += 1;
            previous = index;
        }
    }
    if distinct != signed.len() {
        let missing = (0..signed.len())
            .find(|i| {
                sources
                    .binary_search_by_key(i, |&(index, _)| index)
                    .is_err()
            })
            .map_or("", |i| signed[i]);
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{has_cr_lf_nul, is_named, TOKEN};

    #[test]
    fn names_match_in_any_letter_case_only() {
        let names = [
            "host",
            "x-amz-date",
            "authorization",
            "x-amz-region-set",
            "x-amz-content-sha256",
            "x-amz-security-token",
        ];
        for lower in names {
            assert!(is_named(lower, lower));
            assert!(is_named(&lower.to_ascii_uppercase(), lower));
            assert!(!is_named(&lower[1..], lower));
            for at in 0..lower.len() {
                for b in (0..=255u8).filter(|&b| TOKEN[usize::from(b)]) {
                    let mut name = lower.as_bytes().to_vec();
                    name[at] = b;
                    let name = String::from_utf8(name).unwrap();
                    assert_eq!(
                        is_named(&name, lower),
                        name.eq_ignore_ascii_case(lower),
                        "{name:?} {lower:?}"
                    );
                }
            }
        }
    }

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
