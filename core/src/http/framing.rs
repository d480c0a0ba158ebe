//! HTTP/1 framing questions a verifying middleware asks before it calls the verifier, answered
//! once for every binding (Python's ASGI and WSGI middlewares and Node's each had their copies).

use std::borrow::Cow;

use crate::error::{Error, ErrorKind, Result};

/// Whether a request with these headers announces a body (RFC 9112 section 6.3): a
/// `Transfer-Encoding`, or a `Content-Length` other than zero. Without either an HTTP/1 request
/// has no body, and a middleware can verify it at once with an empty one. (HTTP/2 and /3 bodies
/// need neither header: ask this only of HTTP/1.x requests.)
///
/// A `Content-Length` that is not a number announces a body: the verifier then sees whatever
/// the server reads, rather than a guess of "empty".
pub fn announces_body<'a, I>(headers: I) -> bool
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    announced_body(headers) != AnnouncedBody::None
}

/// What a request's framing headers say about its body (RFC 9112 section 6.3), for a middleware
/// that must decide whether to read one before verifying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnouncedBody {
    /// No `Transfer-Encoding` and no `Content-Length` other than zero: the request has no body.
    None,
    /// A `Content-Length` of this many bytes (more than zero), no `Transfer-Encoding`.
    Length(u64),
    /// A body of a length not known in advance: a `Transfer-Encoding` (which overrides any
    /// `Content-Length`), or a `Content-Length` that is not a number (the server reads what it
    /// reads, and the verifier then sees that rather than a guess).
    Unknown,
}

/// What the headers of an HTTP/1 request announce about its body (see [`AnnouncedBody`]); the
/// length lets a middleware refuse an oversized body before reading it. [`announces_body`] is
/// `announced_body(..) != AnnouncedBody::None`.
pub fn announced_body<'a, I>(headers: I) -> AnnouncedBody
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut body = AnnouncedBody::None;
    for (name, value) in headers {
        if name.len() == 17 && name.eq_ignore_ascii_case("transfer-encoding") {
            return AnnouncedBody::Unknown;
        }
        if name.len() == 14 && name.eq_ignore_ascii_case("content-length") && !is_zero_length(value)
        {
            let digits = value.trim_matches([' ', '\t']);
            let this = match digits.parse::<u64>() {
                Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => AnnouncedBody::Length(n),
                _ => AnnouncedBody::Unknown,
            };
            // Two different lengths: which one frames the body is the server's guess.
            body = if body == AnnouncedBody::None || body == this {
                this
            } else {
                AnnouncedBody::Unknown
            };
        }
    }
    body
}

/// `0`, `00`, ... with optional surrounding whitespace (RFC 9110 section 8.6: `1*DIGIT`).
fn is_zero_length(value: &str) -> bool {
    let digits = value.trim_matches([' ', '\t']);
    !digits.is_empty() && digits.bytes().all(|b| b == b'0')
}

/// The text of raw header (or path) bytes as a server received them: UTF-8 when they are UTF-8
/// (what clients that sign non-ASCII values send), else each byte as one latin-1 character, so
/// that every byte stays visible (and a signature over other text fails rather than errors).
pub fn wire_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// The text of a raw request-target (ASGI `raw_path` and `query_string`): the bytes as UTF-8, or
/// `InvalidUrl` (400) when they are not UTF-8.
///
/// Not [`wire_text`]'s latin-1 fallback: a signer signs text and clients send it as UTF-8 or
/// percent-escaped, so no signature is over latin-1 bytes — but the fallback would read the byte
/// `E9` as `é`, the same text as the UTF-8 `C3 A9`, and a signature for one path would verify a
/// request for other bytes, which the application (ASGI `path` is the UTF-8 reading) sees
/// differently.
pub fn target_text(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|_| {
        Error::from_binding(
            ErrorKind::InvalidUrl,
            "url",
            "the request-target holds bytes that are not UTF-8: percent-encode them (%XX) as HTTP \
             clients do",
        )
    })
}

/// Characters HTTP clients (requests, httpx, browsers, curl) leave unescaped in a path: RFC
/// 3986's `pchar` and `/`.
fn path_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"/!$&'()*+,;=:@~-._".contains(&b)
}

/// The wire path for a path a server has already percent-decoded (ASGI `path` without
/// `raw_path`: its UTF-8 bytes; WSGI `PATH_INFO`: its latin-1 characters as bytes): every byte
/// outside RFC 3986's `pchar` and `/` as `%XX` (upper-case hex).
///
/// Exact for the S3 family (single encoding signs `$` and `%24` alike) and for clients that escape
/// only what RFC 3986 requires; a client that escaped more (`%24` for `$`) or sent `%2F` cannot be
/// reproduced from a decoded path: servers that pass the raw target should be preferred.
pub fn requote_path(decoded: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(decoded.len());
    for &b in decoded {
        if path_safe(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// Refuses a request-target that is not in origin form (`/path?query`) with `InvalidUrl` (400).
///
/// A server hands the target to the application as it came (ASGI `raw_path`, WSGI
/// `REQUEST_URI`, Node's `req.url`): an absolute-form one (`http://host/a`, meant for proxies)
/// reaches the application as a URL, not as the path that was signed (issue 23). The middlewares
/// ask this before [`RequestTarget::parse`](crate::RequestTarget::parse) reads the rest.
pub fn require_origin_form(target: &str) -> Result<()> {
    if target.starts_with('/') {
        return Ok(());
    }
    Err(Error::from_binding(
        ErrorKind::InvalidUrl,
        "url",
        "the request-target is not a path (/path?query): the application would not receive the \
         path that was signed; send the origin-form target",
    ))
}

/// `path?query` (just `path` when the query is empty; `/` when the path is empty): the target a
/// middleware rebuilds from a server's separate path and query.
pub fn join_target(path: &str, query: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let mut url = String::with_capacity(path.len() + 1 + query.len());
    url.push_str(path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_announced_by_transfer_encoding_or_a_nonzero_length() {
        assert!(!announces_body([]));
        assert!(!announces_body([("Host", "a")]));
        assert!(!announces_body([("Content-Length", "0")]));
        assert!(!announces_body([("content-length", " 00 ")]));
        assert!(announces_body([("Content-Length", "5")]));
        assert!(announces_body([("Content-Length", "")]));
        assert!(announces_body([("Content-Length", "zero")]));
        assert!(announces_body([("Transfer-Encoding", "chunked")]));
        assert!(announces_body([("TRANSFER-ENCODING", "")]));
    }

    #[test]
    fn the_announced_body_has_a_length_or_none() {
        use AnnouncedBody::{Length, Unknown};
        assert_eq!(announced_body([]), AnnouncedBody::None);
        assert_eq!(announced_body([("Host", "a")]), AnnouncedBody::None);
        assert_eq!(
            announced_body([("Content-Length", "0")]),
            AnnouncedBody::None
        );
        assert_eq!(
            announced_body([("content-length", " 00 ")]),
            AnnouncedBody::None
        );
        assert_eq!(announced_body([("Content-Length", "17")]), Length(17));
        assert_eq!(announced_body([("CONTENT-LENGTH", " 5\t")]), Length(5));
        assert_eq!(announced_body([("Content-Length", "")]), Unknown);
        assert_eq!(announced_body([("Content-Length", "+5")]), Unknown);
        assert_eq!(announced_body([("Content-Length", "5, 5")]), Unknown);
        assert_eq!(
            announced_body([("Content-Length", "99999999999999999999999")]),
            Unknown
        );
        // RFC 9112 6.3: Transfer-Encoding overrides Content-Length, in either order.
        assert_eq!(
            announced_body([("Content-Length", "5"), ("Transfer-Encoding", "chunked")]),
            Unknown
        );
        assert_eq!(
            announced_body([("transfer-encoding", "chunked"), ("Content-Length", "5")]),
            Unknown
        );
        assert_eq!(
            announced_body([("Content-Length", "5"), ("Content-Length", "5")]),
            Length(5)
        );
        assert_eq!(
            announced_body([("Content-Length", "5"), ("Content-Length", "6")]),
            Unknown
        );
        assert_eq!(
            announced_body([("Content-Length", "5"), ("Content-Length", "0")]),
            Length(5)
        );
        for headers in [
            vec![],
            vec![("Content-Length", "0")],
            vec![("Content-Length", "3")],
            vec![("Content-Length", "x")],
            vec![("Transfer-Encoding", "")],
        ] {
            let pairs = headers.iter().copied();
            assert_eq!(
                announces_body(pairs.clone()),
                announced_body(pairs) != AnnouncedBody::None
            );
        }
    }

    #[test]
    fn wire_text_is_utf8_else_latin1() {
        assert_eq!(wire_text(b"caf\xc3\xa9"), "caf\u{e9}");
        assert!(matches!(wire_text(b"abc"), Cow::Borrowed("abc")));
        assert_eq!(wire_text(b"caf\xe9"), "caf\u{e9}");
        assert_eq!(wire_text(b"\xff\xfe"), "\u{ff}\u{fe}");
    }

    #[test]
    fn target_bytes_must_be_utf8() {
        assert_eq!(target_text("/caf\u{e9}".as_bytes()).unwrap(), "/caf\u{e9}");
        let err = target_text(b"/caf\xe9").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidUrl);
    }

    #[test]
    fn requote_keeps_pchar_and_escapes_the_rest() {
        // Python's urllib.parse.quote(path, safe="/!$&'()*+,;=:@~-._") on the same bytes.
        assert_eq!(requote_path(b"/a b/c%d"), "/a%20b/c%25d");
        assert_eq!(requote_path(b"/!$&'()*+,;=:@~-._"), "/!$&'()*+,;=:@~-._");
        assert_eq!(requote_path("/caf\u{e9}".as_bytes()), "/caf%C3%A9");
        assert_eq!(requote_path(b"/?#[]\x00\x7f"), "/%3F%23%5B%5D%00%7F");
    }

    #[test]
    fn only_origin_form_targets_pass() {
        assert!(require_origin_form("/a?b").is_ok());
        let err = require_origin_form("http://h/a").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidUrl);
        assert_eq!(err.kind().http_status(), 400);
        assert!(require_origin_form("*").is_err());
        assert!(require_origin_form("").is_err());
    }

    #[test]
    fn targets_join_path_and_query() {
        assert_eq!(join_target("", ""), "/");
        assert_eq!(join_target("/a", ""), "/a");
        assert_eq!(join_target("/a", "b=1"), "/a?b=1");
    }
}
