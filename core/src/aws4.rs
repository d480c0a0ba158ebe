//! The canonical request of the npm package `aws4` 1.13.2, quirks included: what `libsigv4/aws4`
//! (the drop-in) signs so that it returns exactly what `aws4` returns for every input.
//!
//! `aws4` departs from AWS's documented rules in places (S3 paths: `+` decoded to a space and
//! `%2F` decoded to `/`; S3 repeated query keys: the first value only; non-S3 paths: `..` pops
//! and trailing dot segments lose their slash; header values: trimmed and collapsed with
//! JavaScript's whitespace set, names in the order given, repeats not merged; the payload line
//! taken verbatim from a caller's `X-Amz-Content-Sha256`; CodeCommit `GIT` signing an empty
//! payload line). A user who swaps `aws4` for the drop-in must get the same signature, so this
//! mode reproduces them — here, once, instead of in JavaScript. The regular signer
//! ([`crate::sign`]) follows AWS.
//!
//! Nothing is validated beyond what `aws4` itself fails on (a malformed `%` escape or invalid
//! UTF-8 where it calls `decodeURIComponent`): region, service, date and secret are free text.

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::authorization::{push_authorization, push_credential, push_scope};
use crate::encode::encode_into;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{push_hex, write_hex32, EMPTY_SHA256};
use crate::key::SigningKey;
use crate::sentinel::UNSIGNED_PAYLOAD;

/// The only algorithm `aws4` signs with.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Which of `aws4`'s service-dependent rules apply (from `aws4`'s `canonicalString`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Aws4Mode {
    /// The service is `s3`: path not normalised, pieces decoded, `%2F` back to `/`, repeated
    /// query keys reduced to their first value.
    pub s3: bool,
    /// Path pieces are decoded before encoding (`s3` or the caller's `doNotEncodePath`).
    pub decode_path: bool,
    /// The request is presigned (`signQuery`): S3 signs `UNSIGNED-PAYLOAD`.
    pub sign_query: bool,
    /// CodeCommit `GIT` signing: the payload line is empty.
    pub codecommit_git: bool,
}

/// What `aws4`'s `canonicalString` reads, after its request preparation (`prepareRequest`,
/// `filterHeaders`) and JavaScript's conversions of values to strings.
#[derive(Clone, Copy, Debug)]
pub struct Aws4Request<'a> {
    /// `request.method || 'GET'`.
    pub method: &'a str,
    /// `parsedPath.path` (the path without its query).
    pub path: &'a str,
    /// `parsedPath.query` flattened to pairs in its key order, the values of one array key
    /// consecutive; `None` when the path has no query.
    pub query: Option<&'a [(&'a str, &'a str)]>,
    /// The filtered headers in `aws4`'s order: names lowercased, values as strings (untrimmed).
    pub headers: &'a [(&'a str, &'a str)],
    /// The caller's `X-Amz-Content-Sha256` (used verbatim); `None` to hash `body`.
    pub payload_hash: Option<&'a str>,
    /// The body bytes hashed when no payload hash is given.
    pub body: &'a [u8],
}

/// What [`aws4_sign`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aws4Signature {
    /// `canonicalString()`.
    pub canonical_request: String,
    /// `stringToSign()`.
    pub string_to_sign: String,
    /// `signature()`: 64 lowercase hex digits.
    pub signature: String,
}

/// JavaScript's `\s` (and `String.prototype.trim`) set: WhiteSpace and LineTerminator.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// `value.trim().replace(/\s+/g, ' ')`.
fn push_js_trimmed(out: &mut String, value: &str) {
    let mut space = false;
    for c in value.trim_matches(is_js_space).chars() {
        if is_js_space(c) {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `decodeURIComponent(piece.replace(/\+/g, ' '))`: a `%` not followed by two hex digits, or
/// escapes that are not UTF-8, fail as they throw `URIError` in `aws4`.
fn decode_piece(piece: &str, out: &mut Vec<u8>) -> Result<()> {
    let bytes = piece.as_bytes();
    out.clear();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_digit);
                let lo = bytes.get(i + 2).copied().and_then(hex_digit);
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(uri_error("a '%' not followed by two hex digits"));
                };
                out.push(hi << 4 | lo);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    if std::str::from_utf8(out).is_err() {
        return Err(uri_error("percent escapes that are not UTF-8"));
    }
    Ok(())
}

fn uri_error(what: &str) -> Error {
    Error::arg(
        ErrorKind::InvalidUrl,
        "path",
        format!("URI malformed: the path holds {what} (aws4 throws URIError here too)"),
    )
}

/// `aws4`'s canonical path (see its `canonicalString`).
fn write_path(out: &mut String, path: &str, mode: Aws4Mode) -> Result<()> {
    if path == "/" {
        out.push('/');
        return Ok(());
    }
    let normalize = !mode.s3;
    let collapsed;
    let path = if normalize && path.contains("//") {
        let mut s = String::with_capacity(path.len());
        for c in path.chars() {
            if !(c == '/' && s.ends_with('/')) {
                s.push(c);
            }
        }
        collapsed = s;
        collapsed.as_str()
    } else {
        path
    };
    // Each kept piece as '/' + encoded piece, so `..` truncates to where its piece began; the
    // pieces joined with '/' are then `buf[1..]`.
    let mut buf = String::with_capacity(path.len() + 16);
    let mut starts: Vec<usize> = Vec::new();
    let mut decoded = Vec::new();
    for piece in path.split('/') {
        if normalize && piece == ".." {
            if let Some(start) = starts.pop() {
                buf.truncate(start);
            }
        } else if !normalize || piece != "." {
            starts.push(buf.len());
            buf.push('/');
            if mode.decode_path {
                decode_piece(piece, &mut decoded)?;
                encode_into(&mut buf, &decoded, false);
            } else {
                encode_into(&mut buf, piece.as_bytes(), false);
            }
        }
    }
    let start = out.len();
    // `pathStr[0] !== '/'` adds the leading slash the join lacks.
    match buf.get(1..) {
        Some(joined) if joined.starts_with('/') => out.push_str(joined),
        Some(_) => out.push_str(&buf),
        None => out.push('/'),
    }
    if mode.s3 && out[start..].contains("%2F") {
        let replaced = out[start..].replace("%2F", "/");
        out.truncate(start);
        out.push_str(&replaced);
    }
    Ok(())
}

/// `aws4`'s canonical query: keys and values encoded (RFC 3986), keys sorted, the values of a
/// repeated key sorted (S3: the first value only), empty keys and `__proto__` dropped.
fn write_query(out: &mut String, pairs: &[(&str, &str)], mode: Aws4Mode) {
    // (encoded key, encoded value); keys are unique but for the values of one array key, which
    // are consecutive pairs: sorting by key then value orders keys and each key's values.
    let mut entries: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::with_capacity(pairs.len());
    let mut last: Option<&str> = None;
    for &(key, value) in pairs {
        // aws4 drops empty keys, and `__proto__` is lost when it collects the encoded keys in a
        // plain object (assigning `obj.__proto__` sets the prototype instead of a key).
        if key.is_empty() || key == "__proto__" {
            last = None;
            continue;
        }
        let repeat = last == Some(key);
        last = Some(key);
        if repeat && mode.s3 {
            continue;
        }
        entries.push((encoded(key), encoded(value)));
    }
    entries.sort_unstable();
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
}

/// `encodeRfc3986Full(text)`: borrowed when nothing needs encoding.
fn encoded(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
    {
        Cow::Borrowed(text)
    } else {
        let mut s = String::with_capacity(text.len() * 3);
        encode_into(&mut s, text.as_bytes(), false);
        Cow::Owned(s)
    }
}

fn write_headers(out: &mut String, headers: &[(&str, &str)]) {
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(name);
        out.push(':');
        push_js_trimmed(out, value);
    }
}

/// `aws4`'s `canonicalHeaders()`: `name:value` lines in the order given, values trimmed and
/// their whitespace runs collapsed as JavaScript does (`trim()`, `/\s+/g`), repeats kept.
pub fn aws4_canonical_headers(headers: &[(&str, &str)]) -> String {
    let mut out = String::new();
    write_headers(&mut out, headers);
    out
}

/// `aws4`'s `canonicalString()` for `request` under `mode`.
pub fn aws4_canonical_request(request: &Aws4Request<'_>, mode: Aws4Mode) -> Result<String> {
    let headers_len: usize = request
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + 3)
        .sum();
    let mut out = String::with_capacity(request.path.len() * 2 + headers_len + 160);
    out.push_str(request.method);
    out.push('\n');
    write_path(&mut out, request.path, mode)?;
    out.push('\n');
    if let Some(pairs) = request.query {
        write_query(&mut out, pairs, mode);
    }
    out.push('\n');
    write_headers(&mut out, request.headers);
    out.push_str("\n\n");
    push_signed_headers(&mut out, request.headers);
    out.push('\n');
    if mode.s3 && mode.sign_query {
        out.push_str(UNSIGNED_PAYLOAD);
    } else if !mode.codecommit_git {
        // CodeCommit GIT signs an empty payload line.
        match request.payload_hash {
            Some(given) => out.push_str(given),
            None if request.body.is_empty() => out.push_str(EMPTY_SHA256),
            None => push_hex(&mut out, &Sha256::digest(request.body)),
        }
    }
    Ok(out)
}

/// `aws4`'s `stringToSign()` and `signature()` for `request`: `datetime` is `getDateTime()`
/// (free text: a caller's `X-Amz-Date` is used as given), the scope `date/region/service`
/// from `getDate()` and the signer's region and service; `key` derives from them (see
/// [`aws4_signing_key`]).
pub fn aws4_sign(
    request: &Aws4Request<'_>,
    mode: Aws4Mode,
    datetime: &str,
    scope: [&str; 3],
    key: &SigningKey,
) -> Result<Aws4Signature> {
    let canonical_request = aws4_canonical_request(request, mode)?;
    let [date, region, service] = scope;
    let mut string_to_sign =
        String::with_capacity(40 + datetime.len() + date.len() + region.len() + service.len() + 64);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(datetime);
    string_to_sign.push('\n');
    push_scope(&mut string_to_sign, date, Some(region), service);
    string_to_sign.push('\n');
    push_hex(
        &mut string_to_sign,
        &Sha256::digest(canonical_request.as_bytes()),
    );
    let mut hex = [0u8; 64];
    write_hex32(&key.sign(string_to_sign.as_bytes()), &mut hex);
    let signature = std::str::from_utf8(&hex).unwrap_or_default().to_owned();
    Ok(Aws4Signature {
        canonical_request,
        string_to_sign,
        signature,
    })
}

/// `aws4`'s `signedHeaders()`: the filtered header names in the order given, joined by `;`
/// (repeats kept, as in the canonical request's signed-headers line).
fn push_signed_headers(out: &mut String, headers: &[(&str, &str)]) {
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
}

/// `aws4`'s `signedHeaders()` for the filtered `headers` (see [`Aws4Request::headers`]).
pub fn aws4_signed_headers(headers: &[(&str, &str)]) -> String {
    let mut out = String::new();
    push_signed_headers(&mut out, headers);
    out
}

/// `aws4`'s `credentialString()`: the scope `date/region/service/aws4_request` (free text, the
/// scope [`aws4_sign`] signs with).
pub fn aws4_credential_scope(scope: [&str; 3]) -> String {
    let [date, region, service] = scope;
    let mut out = String::with_capacity(date.len() + region.len() + service.len() + 15);
    push_scope(&mut out, date, Some(region), service);
    out
}

/// The `X-Amz-Credential` value `aws4` puts in a presigned query:
/// `accessKeyId + '/' + credentialString()`.
pub fn aws4_credential(access_key_id: &str, scope: [&str; 3]) -> String {
    let [date, region, service] = scope;
    let mut out = String::new();
    push_credential(&mut out, access_key_id, date, Some(region), service);
    out
}

/// `aws4`'s `authHeader()`: the `Authorization` value for `signature` (from [`aws4_sign`] over
/// the same headers and scope).
pub fn aws4_authorization(
    access_key_id: &str,
    scope: [&str; 3],
    headers: &[(&str, &str)],
    signature: &str,
) -> String {
    let [date, region, service] = scope;
    let names: usize = headers.iter().map(|(n, _)| n.len() + 1).sum();
    let mut out = String::with_capacity(
        access_key_id.len() + date.len() + region.len() + service.len() + names + 140,
    );
    push_authorization(
        &mut out,
        ALGORITHM,
        |t| {
            push_credential(t, access_key_id, date, Some(region), service);
        },
        |t| push_signed_headers(t, headers),
        signature,
    );
    out
}

/// `aws4`'s signing key: `HMAC("AWS4" + secret, date)`, then region, service, `aws4_request`,
/// all free text.
pub fn aws4_signing_key(secret: &str, date: &str, region: &str, service: &str) -> SigningKey {
    SigningKey::derive(secret, date, region, service)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(path: &str, query: Option<&[(&str, &str)]>, mode: Aws4Mode) -> String {
        let req = Aws4Request {
            method: "GET",
            path,
            query,
            headers: &[("host", " a \t\u{a0} b ")],
            payload_hash: None,
            body: b"",
        };
        aws4_canonical_request(&req, mode).unwrap()
    }

    fn line(c: &str, n: usize) -> &str {
        c.split('\n').nth(n).unwrap()
    }

    // Expected values: aws4 1.13.2's RequestSigner.canonicalString() on the same input.
    #[test]
    fn non_s3_path_normalised_as_aws4_does() {
        let m = Aws4Mode::default();
        assert_eq!(line(&canonical("/a//b/./c/../d/", None, m), 1), "/a/b/d/");
        assert_eq!(line(&canonical("/X/.", None, m), 1), "/X");
        assert_eq!(line(&canonical("/X/..", None, m), 1), "/");
        assert_eq!(line(&canonical("/%2F+a", None, m), 1), "/%252F%2Ba");
        assert_eq!(line(&canonical("", None, m), 1), "/");
    }

    #[test]
    fn s3_path_decoded_plus_and_slash_as_aws4_does() {
        let m = Aws4Mode {
            s3: true,
            decode_path: true,
            ..Aws4Mode::default()
        };
        assert_eq!(
            line(&canonical("/a+b/%2F/%252F//.", None, m), 1),
            "/a%20b///%252F//."
        );
        assert!(aws4_canonical_request(
            &Aws4Request {
                method: "GET",
                path: "/%zz",
                query: None,
                headers: &[],
                payload_hash: None,
                body: b""
            },
            m
        )
        .is_err());
    }

    #[test]
    fn query_sorted_repeats_and_empty_keys_as_aws4_does() {
        let q = [
            ("b", "2"),
            ("b", "1"),
            ("", "x"),
            ("a*", "'"),
            ("__proto__", "p"),
        ];
        let m = Aws4Mode::default();
        assert_eq!(line(&canonical("/", Some(&q), m), 2), "a%2A=%27&b=1&b=2");
        let s3 = Aws4Mode {
            s3: true,
            decode_path: true,
            ..m
        };
        assert_eq!(line(&canonical("/", Some(&q), s3), 2), "a%2A=%27&b=2");
    }

    // Expected: aws4 1.13.2's credentialString(), signedHeaders() and authHeader() for
    // { host: 'example.amazonaws.com', service: 'service', region: 'us-east-1',
    //   headers: { 'X-Amz-Date': '20150830T123600Z' } } with the AWS suite's credentials.
    #[test]
    fn strings_as_aws4_writes_them() {
        let scope = ["20150830", "us-east-1", "service"];
        let headers = [
            ("host", "example.amazonaws.com"),
            ("x-amz-date", "20150830T123600Z"),
        ];
        assert_eq!(
            aws4_credential_scope(scope),
            "20150830/us-east-1/service/aws4_request"
        );
        assert_eq!(
            aws4_credential("AKIDEXAMPLE", scope),
            "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"
        );
        assert_eq!(aws4_signed_headers(&headers), "host;x-amz-date");
        assert_eq!(aws4_signed_headers(&[]), "");
        assert_eq!(
            aws4_authorization(
                "AKIDEXAMPLE",
                scope,
                &headers,
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            ),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn header_values_trimmed_with_javascript_whitespace() {
        let c = canonical("/", None, Aws4Mode::default());
        assert_eq!(line(&c, 3), "host:a b");
    }
}
