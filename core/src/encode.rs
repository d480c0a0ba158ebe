//! SigV4's percent-encoding rules: the canonical URI (path) and the canonical query string.

use std::borrow::Cow;

use crate::settings::{PathNormalization, UriEncoding};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 unreserved characters: the only bytes SigV4 leaves unencoded (besides `/` in paths).
#[inline]
pub(crate) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

#[inline]
fn push_escaped(out: &mut String, b: u8) {
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// Appends `bytes` encoded with the SigV4 rules: unreserved kept, everything else `%XX` (upper-case hex).
pub fn encode_into(out: &mut String, bytes: &[u8], keep_slash: bool) {
    // Encoded text is ASCII: it is assembled in a stack buffer and validated once per flush,
    // instead of one push (and one UTF-8 check) per run of unreserved bytes.
    let mut buf = [0u8; 256];
    let mut n = 0;
    for &b in bytes {
        if n + 3 > buf.len() {
            push_str_bytes(out, &buf[..n]);
            n = 0;
        }
        if UNRESERVED[usize::from(b)] || (keep_slash && b == b'/') {
            buf[n] = b;
            n += 1;
        } else {
            buf[n] = b'%';
            buf[n + 1] = HEX[usize::from(b >> 4)];
            buf[n + 2] = HEX[usize::from(b & 15)];
            n += 3;
        }
    }
    push_str_bytes(out, &buf[..n]);
}

/// `bytes` is a run of unreserved ASCII (or `/`), so it is valid UTF-8 and the fallback never happens.
#[inline]
fn push_str_bytes(out: &mut String, bytes: &[u8]) {
    out.push_str(std::str::from_utf8(bytes).unwrap_or_default());
}

/// The SigV4 encoding of `text` as a new string (for query keys and values, scope parts).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    encode_into(&mut out, text.as_bytes(), false);
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes a query component as AWS services and `aws4` read it: `+` is a space, `%XX` is a
/// byte; an invalid escape is kept literally (its `%` is then encoded as `%25`).
pub(crate) fn decode_query_component(text: &str, out: &mut Vec<u8>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).and_then(|&b| hex_value(b)),
                bytes.get(i + 2).and_then(|&b| hex_value(b)),
            ) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
}

/// The canonical encoding of one query component (key or value) given as it appears on the wire.
fn canonical_query_component<'a>(wire: &'a str, scratch: &mut Vec<u8>) -> Cow<'a, str> {
    // Already canonical (unreserved only): no decode/encode round trip, no allocation.
    if wire.bytes().all(is_unreserved) {
        return Cow::Borrowed(wire);
    }
    decode_query_component(wire, scratch);
    let mut out = String::with_capacity(scratch.len() + 8);
    encode_into(&mut out, scratch, false);
    Cow::Owned(out)
}

/// The canonical query string of `query` (the part after `?`, without `#fragment`), with
/// `extra` pairs (already canonical) merged in, and `X-Amz-Signature` left out.
pub fn canonical_query(query: &str, extra: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(query.len() + 16);
    canonical_query_into(&mut out, query, extra);
    out
}

/// Appends the canonical query string (see [`canonical_query`]) to `out`.
pub(crate) fn canonical_query_into(out: &mut String, query: &str, extra: &[(&str, &str)]) {
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::with_capacity(8 + extra.len());
    let mut scratch = Vec::new();
    for piece in crate::bytes::split_byte(query, b'&') {
        if piece.is_empty() {
            continue;
        }
        let (k, v) = crate::bytes::split_once_byte(piece, b'=').unwrap_or((piece, ""));
        let key = canonical_query_component(k, &mut scratch);
        if key == "X-Amz-Signature" {
            continue;
        }
        let value = canonical_query_component(v, &mut scratch);
        pairs.push((key, value));
    }
    for &(k, v) in extra {
        pairs.push((Cow::Borrowed(k), Cow::Borrowed(v)));
    }
    pairs.sort_unstable();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// Appends `query` under [`crate::QueryEncoding::Verbatim`]: pieces split on `&` (empty ones
/// kept) and on the first `=`, sorted by key then value as given, joined back; `extra` pairs are
/// merged in as they are. Nothing is decoded or encoded, and `X-Amz-Signature` is not special.
pub(crate) fn verbatim_query_into(out: &mut String, query: &str, extra: &[(&str, &str)]) {
    let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(8 + extra.len());
    if !query.is_empty() {
        for piece in crate::bytes::split_byte(query, b'&') {
            pairs.push(crate::bytes::split_once_byte(piece, b'=').unwrap_or((piece, "")));
        }
    }
    pairs.extend_from_slice(extra);
    pairs.sort_unstable();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// Appends the canonical query string of `query` (no extra pairs) to `out`, as
/// [`canonical_query_into`] does, without any allocation when the query has at most 16 parameters
/// whose names and values are already canonical, the common case: unreserved characters, and
/// `%XX` escapes written as SigV4 writes them (upper-case hex, of a byte that is not unreserved —
/// presigned URLs carry `%2F` in `X-Amz-Credential`).
pub(crate) fn canonical_query_into_small(out: &mut String, query: &str) {
    // Each pair as offsets into `query` (name start, name end, value start, value end). Zeroes
    // fill the array with a few wide stores, where 16 `(&str, &str)` (non-null dangling pointers)
    // were written out one by one on every call (issue 17 item 7: code fetched per verification).
    let mut pairs = [[0u32; 4]; 16];
    let mut len = 0;
    let bytes = query.as_bytes();
    if u32::try_from(bytes.len()).is_err() {
        return canonical_query_into(out, query, &[]);
    }
    // One look at each byte: where pieces end, where their first '=' is, whether all is canonical.
    let (mut start, mut eq) = (0, None);
    let mut end = 0;
    while end <= bytes.len() {
        let b = bytes.get(end).copied().unwrap_or(b'&');
        if UNRESERVED[usize::from(b)] {
            end += 1;
            continue;
        }
        match b {
            b'%' if is_canonical_escape(bytes, end) => {
                end += 3;
                continue;
            }
            b'=' if eq.is_none() => {
                eq = Some(end);
                end += 1;
                continue;
            }
            b'&' => {}
            // A byte to encode (or a second '=', which is one): the general path.
            _ => return canonical_query_into(out, query, &[]),
        }
        if end > start {
            let (name_end, value_start) = match eq {
                Some(eq) => (eq, eq + 1),
                None => (end, end),
            };
            if &bytes[start..name_end] != b"X-Amz-Signature" {
                if len == pairs.len() {
                    return canonical_query_into(out, query, &[]);
                }
                // In range: the length fits a u32 (checked above).
                pairs[len] = [start, name_end, value_start, end].map(|at| at as u32);
                len += 1;
            }
        }
        (start, eq) = (end + 1, None);
        end += 1;
    }
    // Every offset is at an ASCII byte (or the end), so each piece is a `str` slice.
    let piece = |from: u32, to: u32| &query[from as usize..to as usize];
    let key = |p: &[u32; 4]| (piece(p[0], p[1]), piece(p[2], p[3]));
    let pairs = &mut pairs[..len];
    // Insertion sort: a handful of pairs.
    for i in 1..pairs.len() {
        let mut j = i;
        while j > 0 && key(&pairs[j - 1]) > key(&pairs[j]) {
            pairs.swap(j - 1, j);
            j -= 1;
        }
    }
    for (i, p) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        let (k, v) = key(p);
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// True when `bytes[at..]` starts with `%XX` exactly as SigV4 encodes a byte: upper-case hex
/// digits, and a byte that is not unreserved (an escaped letter would be decoded and written bare).
#[inline]
fn is_canonical_escape(bytes: &[u8], at: usize) -> bool {
    let upper_hex = |i: usize| {
        bytes
            .get(i)
            .filter(|b| !b.is_ascii_lowercase())
            .and_then(|&b| hex_value(b))
    };
    match (upper_hex(at + 1), upper_hex(at + 2)) {
        (Some(hi), Some(lo)) => !UNRESERVED[usize::from(hi << 4 | lo)],
        _ => false,
    }
}

/// [`is_unreserved`] as a table.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        i += 1;
    }
    table
};

/// Removes dot segments and collapses repeated slashes as botocore, aws4, `@smithy/signature-v4`
/// and aws-c-auth do: a trailing slash is kept only when the path ends with `/` and something is
/// left (`/a/.` and `/a/b/..` give `/a`, `/a/` stays `/a/`, `/..` gives `/`).
pub fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    if out.is_empty() || path.ends_with('/') {
        out.push('/');
    }
    out
}

fn needs_normalizing(path: &str) -> bool {
    let b = path.as_bytes();
    b.first() != Some(&b'/')
        || b.windows(2)
            .any(|w| w[0] == b'/' && (w[1] == b'/' || w[1] == b'.'))
}

/// Appends the canonical URI of `path` (as it appears on the wire) under the given rules.
pub fn canonical_uri_into(
    out: &mut String,
    path: &str,
    encoding: UriEncoding,
    normalization: PathNormalization,
) {
    if path.is_empty() {
        out.push('/');
        return;
    }
    match encoding {
        UriEncoding::Verbatim => out.push_str(path),
        UriEncoding::Double => {
            if normalization == PathNormalization::Enabled && needs_normalizing(path) {
                let normalized = normalize_path(path);
                encode_into(out, normalized.as_bytes(), true);
            } else {
                encode_into(out, path.as_bytes(), true);
            }
        }
        UriEncoding::Single => {
            let owned;
            let path = if normalization == PathNormalization::Enabled && needs_normalizing(path) {
                owned = normalize_path(path);
                owned.as_str()
            } else {
                path
            };
            encode_once(out, path.as_bytes());
        }
    }
}

/// S3's single encoding: existing valid `%XX` escapes stay (upper-cased, or decoded when they
/// encode an unreserved character); every other byte outside unreserved and `/` is encoded.
fn encode_once(out: &mut String, bytes: &[u8]) {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_unreserved(b) || b == b'/' {
            out.push(b as char);
        } else if b == b'%' {
            if let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&c| hex_value(c)),
                bytes.get(i + 2).and_then(|&c| hex_value(c)),
            ) {
                let decoded = hi << 4 | lo;
                if is_unreserved(decoded) {
                    out.push(decoded as char);
                } else {
                    push_escaped(out, decoded);
                }
                i += 3;
                continue;
            }
            push_escaped(out, b);
        } else {
            push_escaped(out, b);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(path: &str, enc: UriEncoding, norm: PathNormalization) -> String {
        let mut s = String::new();
        canonical_uri_into(&mut s, path, enc, norm);
        s
    }

    #[test]
    fn s3_single_encoding_follows_the_documented_rules() {
        let s3 = |p| uri(p, UriEncoding::Single, PathNormalization::Disabled);
        assert_eq!(s3("/test$file.text"), "/test%24file.text");
        assert_eq!(s3("/test%24file.text"), "/test%24file.text");
        assert_eq!(s3("/a%2Fb"), "/a%2Fb");
        assert_eq!(s3("/a%2fb"), "/a%2Fb");
        assert_eq!(s3("/%41%7e"), "/A~");
        assert_eq!(s3("/100%"), "/100%25");
        assert_eq!(s3("//a/../b"), "//a/../b");
    }

    #[test]
    fn double_encoding_encodes_percent_again() {
        let d = |p| uri(p, UriEncoding::Double, PathNormalization::Enabled);
        assert_eq!(d("/a%20b"), "/a%2520b");
        assert_eq!(d("/example space/"), "/example%20space/");
        assert_eq!(d("//example//"), "/example/");
        assert_eq!(d("/a/b/../c/./d/.."), "/a/c");
        // Dot segments at the end: no trailing slash (botocore, aws4, smithy, aws-c-auth).
        assert_eq!(d("/X/."), "/X");
        assert_eq!(d("/X/.."), "/");
        assert_eq!(d("/X/Y/.."), "/X");
        assert_eq!(d("/X/./"), "/X/");
        assert_eq!(d("/./"), "/");
        assert_eq!(d("/."), "/");
        assert_eq!(d(""), "/");
    }

    #[test]
    fn verbatim_path_is_signed_as_given() {
        let v = |p| uri(p, UriEncoding::Verbatim, PathNormalization::Enabled);
        assert_eq!(v("/test$file.text"), "/test$file.text");
        assert_eq!(v("/a%2fb//../%41 c"), "/a%2fb//../%41 c");
        assert_eq!(v(""), "/");
    }

    #[test]
    fn verbatim_query_sorts_pieces_as_given() {
        let v = |q, extra: &[(&str, &str)]| {
            let mut s = String::new();
            verbatim_query_into(&mut s, q, extra);
            s
        };
        // botocore's _canonical_query_string_url: split on '&', partition on '=', sort, join.
        assert_eq!(v("b=2&a=x+y&a=%2b&&k", &[]), "=&a=%2b&a=x+y&b=2&k=");
        assert_eq!(v("X-Amz-Signature=1&a=b=c", &[]), "X-Amz-Signature=1&a=b=c");
        assert_eq!(v("", &[]), "");
        assert_eq!(v("z=1", &[("X-Amz-Date", "d")]), "X-Amz-Date=d&z=1");
    }

    #[test]
    fn query_rules() {
        assert_eq!(canonical_query("b=2&a=1", &[]), "a=1&b=2");
        assert_eq!(canonical_query("a=x+y&a=%2b", &[]), "a=%2B&a=x%20y");
        assert_eq!(canonical_query("&&k&=v&X-Amz-Signature=1", &[]), "=v&k=");
        assert_eq!(canonical_query("p=%zz", &[]), "p=%25zz");
    }

    #[test]
    fn small_query_path_matches_the_general_one() {
        let many = (0..20)
            .map(|i| format!("k{i}=v"))
            .collect::<Vec<_>>()
            .join("&");
        for query in [
            "",
            "b=2&a=1",
            "Param2=value2&Param1=value1",
            "a=x+y&a=%2b",
            "&&k&=v&X-Amz-Signature=1",
            "X-Amz-Signature=%2F&b",
            "p=%zz",
            "a=2&a=1&a=1&A=0&a",
            "a=b=c&~=.&-_=",
            "=&==&=x&x=",
            "k=v&&&k2=v2&",
            "X-Amz-Signature=abc&X-Amz-Signaturf=1&X-Amz-Signatur=2",
            "b=2&a=1&c=3&a=0&b=1&a",
            // Escapes: canonical as sent (upper-case hex of a reserved byte) or to be rewritten.
            "X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&a=%3D%26",
            "a=%2f&b=%2F",
            "a=%41&b=%7E&c=%2D",
            "a=%4&b=%",
            "a=%ZZ&b=%G0",
            "a%2Fb=1&a=2&a%2F=0",
            "%2F=%2F&%2F",
            "a=%C3%A9&b=%c3%a9",
            "a=%00&b=%FF",
            "a=%25&b=%2525",
            "a=1%2",
            "X-Amz-Signature%3D=1&X-Amz-Signature=2",
            many.as_str(),
        ] {
            let mut small = String::from("x");
            canonical_query_into_small(&mut small, query);
            assert_eq!(
                small,
                format!("x{}", canonical_query(query, &[])),
                "{query:?}"
            );
        }
        for b in 0..=255u8 {
            assert_eq!(UNRESERVED[usize::from(b)], is_unreserved(b), "{b}");
        }
    }
}
