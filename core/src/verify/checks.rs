//! Cheap checks run before any lookup or cryptography: sizes, escapes, formats, time windows.

use subtle::ConstantTimeEq;

use crate::error::{Error, ErrorKind, Result};
use crate::request::{Request, TOKEN};
use crate::sigv4a::StrictSignature;
use crate::time::SigningTime;

use super::form::Form;
use super::parse_header::truncate;
use super::parse_query::has_invalid_escape;
use super::settings::VerifierLimits;
use super::small::SmallList;

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
        count_byte(query.as_bytes(), b'&') + 1
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

/// How many times `needle` occurs in `bytes`, eight bytes at a time.
pub(crate) fn count_byte(bytes: &[u8], needle: u8) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = 0x0101_0101_0101_0101 * u64::from(needle);
    let mut words = bytes.chunks_exact(8);
    let mut count = 0;
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        let x = u64::from_le_bytes(eight) ^ pattern;
        // Exactly the zero bytes of `x` keep their high bit clear here (no carry between bytes).
        let nonzero = ((x & LOW7) + LOW7) | x;
        count += (!nonzero & !LOW7).count_ones() as usize;
    }
    count + words.remainder().iter().filter(|&&b| b == needle).count()
}

/// The signature: exactly 64 lowercase hex digits. Returns the 32 bytes they spell (what
/// [`same_signature`] compares with the recomputed MAC).
pub(crate) fn signature_format(form: Form, signature: &str) -> Result<[u8; 32]> {
    decode_hex64(signature.as_bytes()).ok_or_else(|| {
        form.malformed(format!(
            "the signature must be 64 lowercase hex digits (got {} characters)",
            signature.len()
        ))
    })
}

/// 64 lowercase hex digits as 32 bytes, eight digits at a time; `None` for anything else.
fn decode_hex64(text: &[u8]) -> Option<[u8; 32]> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if text.len() != 64 {
        return None;
    }
    let mut bytes = [0u8; 32];
    let mut invalid = 0u64;
    for (out, digits) in bytes.chunks_exact_mut(4).zip(text.chunks_exact(8)) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(digits);
        let w = u64::from_le_bytes(eight);
        // With the high bit set first, subtracting c from a byte never borrows from the next one,
        // and leaves the high bit set exactly when the byte is >= c.
        let h = w | HIGH;
        let at_least = |c: u64| h.wrapping_sub(ONES * c) & HIGH;
        let digit = at_least(0x30) & !at_least(0x3a);
        let letter = at_least(0x61) & !at_least(0x67);
        invalid |= (w & HIGH) | ((digit | letter) ^ HIGH);
        // Each byte's value (0..=15), then the pairs packed into bytes 0, 2, 4, 6, then together.
        let nibbles = (w & 0x0f0f_0f0f_0f0f_0f0f) + (letter >> 7) * 9;
        let mut x = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff_00ff_00ff_00ff;
        x = (x | (x >> 8)) & 0x0000_ffff_0000_ffff;
        x = (x | (x >> 16)) & 0xffff_ffff;
        out.copy_from_slice(&x.to_le_bytes()[..4]);
    }
    (invalid == 0).then_some(bytes)
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

/// Header names (`SignedHeaders`) kept inline: requests rarely sign more than 16.
pub(crate) type SignedNames<'a> = SmallList<&'a str, 16>;

/// `SignedHeaders`: lowercase header names, strictly sorted (so unique), including `host`, pushed
/// to `names` (filled in place: the inline list is too big to return by value cheaply).
pub(crate) fn signed_headers<'a>(
    form: Form,
    list: &'a str,
    names: &mut SignedNames<'a>,
) -> Result<()> {
    let mut has_host = false;
    for name in super::split_byte(list, b';') {
        let valid = !name.is_empty()
            && name
                .bytes()
                .fold(true, |ok, b| ok & LOWER_TOKEN[usize::from(b)]);
        if !valid {
            return Err(form.malformed(format!(
                "SignedHeaders must be lowercase header names separated by ';' (got {:?})",
                truncate(list)
            )));
        }
        if let Some(&previous) = names.last() {
            if previous >= name {
                return Err(form.malformed(format!(
                    "SignedHeaders must be sorted and without repeats ({:?} after {:?})",
                    truncate(name),
                    truncate(previous)
                )));
            }
        }
        has_host |= name == "host";
        names.push(name);
    }
    if !has_host {
        return Err(Error::new(
            ErrorKind::UnsignedHeader,
            "the host header must be signed (add host to SignedHeaders)",
        ));
    }
    Ok(())
}

/// HTTP token bytes ([`TOKEN`]) that are not upper-case letters.
const LOWER_TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = TOKEN[i] && !(i as u8).is_ascii_uppercase();
        i += 1;
    }
    table
};

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

/// True when `signature` (the bytes [`signature_format`] decoded) equals `mac`, in constant time:
/// the differences of the four 8-byte words are folded before one constant-time test.
pub(crate) fn same_signature(mac: &[u8; 32], signature: &[u8; 32]) -> bool {
    let mut diff = 0u64;
    for (a, b) in mac.chunks_exact(8).zip(signature.chunks_exact(8)) {
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
    use super::*;

    #[test]
    fn signature_comparison() {
        let mac: [u8; 32] = core::array::from_fn(|i| (i * 37 + 5) as u8);
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        let decoded = signature_format(Form::Header, &hex).unwrap();
        assert_eq!(decoded, mac);
        assert!(same_signature(&mac, &decoded));
        for at in 0..64 {
            let mut other = hex.clone().into_bytes();
            other[at] = if other[at] == b'0' { b'1' } else { b'0' };
            let other = signature_format(Form::Header, std::str::from_utf8(&other).unwrap());
            assert!(!same_signature(&mac, &other.unwrap()), "{at}");
        }
    }

    /// The byte-at-a-time decoding the word-at-a-time one must match.
    fn decode_slowly(text: &[u8]) -> Option<[u8; 32]> {
        let nibble = |b: u8| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        };
        if text.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
            *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
        }
        Some(out)
    }

    #[test]
    fn hex_decoding_matches_byte_at_a_time() {
        let good: Vec<u8> = "0123456789abcdef".repeat(4).into_bytes();
        assert!(decode_hex64(&good).is_some());
        for at in 0..64 {
            for b in 0..=255u8 {
                let mut text = good.clone();
                text[at] = b;
                assert_eq!(decode_hex64(&text), decode_slowly(&text), "{at} {b}");
            }
        }
        let mut seed = 0x1234_5678_9abc_def0u64;
        for _ in 0..2000 {
            let text: Vec<u8> = (0..64)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    b"0123456789abcdef"[(seed >> 60) as usize]
                })
                .collect();
            assert_eq!(decode_hex64(&text), decode_slowly(&text));
        }
    }

    #[test]
    fn signature_format_takes_lowercase_hex_only() {
        let good = "0123456789abcdef".repeat(4);
        assert!(signature_format(Form::Header, &good).is_ok());
        assert!(signature_format(Form::Header, &good[..63]).is_err());
        assert!(signature_format(Form::Header, &format!("{good}0")).is_err());
        for at in [0, 1, 31, 62, 63] {
            for bad in [b'A', b'F', b'g', b'G', b' ', b'/', b':', b'`', 0xc3] {
                let mut text = good.clone().into_bytes();
                text[at] = bad;
                let text = String::from_utf8_lossy(&text).into_owned();
                assert!(signature_format(Form::Header, &text).is_err(), "{text:?}");
            }
        }
    }

    #[test]
    fn counts_bytes() {
        let text: Vec<u8> = (0..50u8)
            .map(|i| [b'&', b'a', 0xa6, b'&', 0x26 ^ 0x80][usize::from(i % 5)])
            .collect();
        for start in 0..text.len() {
            for needle in [b'&', b'a', 0xa6, 0x00] {
                let want = text[start..].iter().filter(|&&b| b == needle).count();
                assert_eq!(count_byte(&text[start..], needle), want, "{needle} {start}");
            }
        }
    }

    #[test]
    fn token_tables_are_rfc9110_tchar() {
        // RFC 9110 section 5.6.2: tchar = ALPHA / DIGIT and these.
        let symbols = b"!#$%&'*+-.^_`|~";
        for b in 0..=255u8 {
            let tchar = b.is_ascii_alphanumeric() || symbols.contains(&b);
            assert_eq!(TOKEN[usize::from(b)], tchar, "{b}");
            assert_eq!(
                LOWER_TOKEN[usize::from(b)],
                tchar && !b.is_ascii_uppercase(),
                "{b}"
            );
        }
    }
}
