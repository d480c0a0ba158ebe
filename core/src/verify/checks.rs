//! Cheap checks run before any lookup or cryptography: sizes, escapes, formats, time windows.

use subtle::ConstantTimeEq;

use crate::error::{Error, ErrorKind, Result};
use crate::request::Request;
use crate::sigv4a::StrictSignature;
use crate::time::SigningTime;

use super::form::Form;
use super::parse_header::truncate;
use super::parse_query::has_invalid_escape;
use super::settings::VerifierLimits;

fn bad_url(message: String) -> Error {
    Error::from_binding(ErrorKind::InvalidUrl, "url", message)
}

/// Path length, query length and parameter count within the limits; no invalid `%` escape.
pub(crate) fn bounds(request: &Request<'_>, limits: &VerifierLimits) -> Result<()> {
    let (path, query) = (request.path(), request.query());
    if path.len() > limits.max_path_bytes {
        return Err(bad_url(format!(
            "the path is {} bytes long; at most {} are accepted",
            path.len(),
            limits.max_path_bytes
        )));
    }
    if query.len() > limits.max_query_bytes {
        return Err(bad_url(format!(
            "the query is {} bytes long; at most {} are accepted",
            query.len(),
            limits.max_query_bytes
        )));
    }
    // Pieces between '&' (an upper bound on the parameters), counted without splitting.
    let params = if query.is_empty() {
        0
    } else {
        query.bytes().filter(|&b| b == b'&').count() + 1
    };
    if params > limits.max_query_params {
        return Err(bad_url(format!(
            "the query has {params} parameters; at most {} are accepted",
            limits.max_query_params
        )));
    }
    if has_invalid_escape(path) || has_invalid_escape(query) {
        return Err(bad_url(
            "the URL has a '%' not followed by two hex digits; encode '%' as %25".to_owned(),
        ));
    }
    Ok(())
}

/// The signature: exactly 64 lowercase hex digits.
pub(crate) fn signature_format(form: Form, signature: &str) -> Result<()> {
    if signature.len() == 64
        && signature
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        Ok(())
    } else {
        Err(form.malformed(format!(
            "the signature must be 64 lowercase hex digits (got {} characters)",
            signature.len()
        )))
    }
}

/// A SigV4a signature: lowercase hex of a DER ECDSA P-256 signature (16..=144 digits, even), the
/// DER canonical.
pub(crate) fn sigv4a_signature(form: Form, signature: &str) -> Result<StrictSignature> {
    let malformed = || {
        form.malformed(format!(
            "the SigV4a signature must be a DER-encoded ECDSA P-256 signature in lowercase hex, 16 to 144 digits (got {} characters)",
            signature.len()
        ))
    };
    let text = signature.as_bytes();
    if !(16..=144).contains(&text.len()) || text.len() % 2 != 0 {
        return Err(malformed());
    }
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let mut der = [0u8; 72];
    for (slot, pair) in der.iter_mut().zip(text.chunks_exact(2)) {
        *slot = nibble(pair[0])
            .zip(nibble(pair[1]))
            .map(|(h, l)| h << 4 | l)
            .ok_or_else(malformed)?;
    }
    StrictSignature::parse(&der[..text.len() / 2]).ok_or_else(malformed)
}

/// `X-Amz-Date`: exactly `YYYYMMDDTHHMMSSZ`, a valid UTC time.
pub(crate) fn amz_date(form: Form, text: &str) -> Result<SigningTime> {
    SigningTime::parse_amz_date(text).map_err(|_| {
        form.malformed(format!(
            "X-Amz-Date must be exactly YYYYMMDDTHHMMSSZ, a valid UTC time (got {:?})",
            truncate(text)
        ))
    })
}

/// `SignedHeaders`: lowercase header names, strictly sorted (so unique), including `host`.
pub(crate) fn signed_headers(form: Form, list: &str) -> Result<Vec<&str>> {
    let names: Vec<&str> = super::split_byte(list, b';').collect();
    for (i, name) in names.iter().enumerate() {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| crate::request::is_token_byte(b) && !b.is_ascii_uppercase());
        if !valid {
            return Err(form.malformed(format!(
                "SignedHeaders must be lowercase header names separated by ';' (got {:?})",
                truncate(list)
            )));
        }
        if i > 0 && names[i - 1] >= *name {
            return Err(form.malformed(format!(
                "SignedHeaders must be sorted and without repeats ({:?} after {:?})",
                truncate(name),
                truncate(names[i - 1])
            )));
        }
    }
    if names.binary_search(&"host").is_err() {
        return Err(Error::new(
            ErrorKind::UnsignedHeader,
            "the host header must be signed (add host to SignedHeaders)",
        ));
    }
    Ok(names)
}

/// Header signing: the signing time within now ± skew.
pub(crate) fn header_time(time: SigningTime, now: SigningTime, skew: u32) -> Result<()> {
    let diff = time.unix() - now.unix();
    if diff.abs() > i64::from(skew) {
        return Err(Error::new(
            ErrorKind::RequestTimeTooSkewed,
            format!(
                "the request was signed at {time}, {} s {} the server time {now}; at most {skew} s is allowed: sync the client clock",
                diff.abs(),
                if diff > 0 { "ahead of" } else { "behind" }
            ),
        ));
    }
    Ok(())
}

/// Presigning: valid from date - skew until date + expires, both inclusive. Returns the expiry.
pub(crate) fn presigned_time(
    time: SigningTime,
    expires: u32,
    now: SigningTime,
    skew: u32,
) -> Result<i64> {
    let until = time.unix() + i64::from(expires);
    if now.unix() < time.unix() - i64::from(skew) {
        return Err(Error::new(
            ErrorKind::RequestExpired,
            format!("the presigned URL is dated {time}, in the future (server time {now}); it is not valid yet"),
        ));
    }
    if now.unix() > until {
        return Err(Error::new(
            ErrorKind::RequestExpired,
            format!(
                "the presigned URL expired {} s ago (signed {time}, valid {expires} s); presign a new one",
                now.unix() - until
            ),
        ));
    }
    Ok(until)
}

/// True when `signature` (64 lowercase hex digits, checked by [`signature_format`]) spells `mac`,
/// in constant time: the MAC is hex-encoded and both 64-byte texts are compared eight bytes at a
/// time, folding the differences before one constant-time test.
pub(crate) fn same_signature(mac: &[u8; 32], signature: &str) -> bool {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut expected = [0u8; 64];
    for (pair, &b) in expected.chunks_exact_mut(2).zip(mac) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 15)];
    }
    let given = signature.as_bytes();
    if given.len() != 64 {
        return false;
    }
    let mut diff = 0u64;
    for (a, b) in expected.chunks_exact(8).zip(given.chunks_exact(8)) {
        let word = |s: &[u8]| u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]);
        diff |= word(a) ^ word(b);
    }
    diff.ct_eq(&0).into()
}

/// Constant-time equality of two byte strings (lengths are not secret).
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::same_signature;

    #[test]
    fn signature_comparison() {
        let mac: [u8; 32] = core::array::from_fn(|i| (i * 37 + 5) as u8);
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert!(same_signature(&mac, &hex));
        for at in 0..64 {
            let mut other = hex.clone().into_bytes();
            other[at] = if other[at] == b'0' { b'1' } else { b'0' };
            assert!(
                !same_signature(&mac, std::str::from_utf8(&other).unwrap()),
                "{at}"
            );
        }
        assert!(!same_signature(&mac, &hex[..63]));
    }
}
