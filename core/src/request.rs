//! The borrowed view of an HTTP request that signing and verification read.

use crate::error::{Error, ErrorKind, Result};
use crate::http::{default_port, split_query, strip_port, CONTROL, HASH, QUESTION, URL_CLASS};

/// The body, or what stands for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body<'a> {
    /// The body bytes (hashed when the payload is signed).
    Bytes(&'a [u8]),
    /// A precomputed lowercase or upper-case hex SHA-256 of the body (64 digits).
    Precomputed(&'a str),
}

impl Default for Body<'_> {
    fn default() -> Self {
        Body::Bytes(&[])
    }
}

/// A request to sign: method, URL as it will go on the wire, headers in order, body.
///
/// The URL is either absolute (`https://host[:port]/path?query`) or a bare `/path?query`, in which
/// case a `Host` header must be among the headers.
///
/// Signing drops a `#fragment` (with everything after it, a `?` included) before signing, as HTTP
/// clients drop it before sending (the WHATWG URL parser and urllib3 both do): `/a#b?c=d` signs
/// and sends `/a`. Verification never drops anything: it checks the URL as received with
/// [`RequestTarget::parse`](crate::RequestTarget::parse), which refuses a raw `#`.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub(crate) method: &'a str,
    /// The URL as given, fragment included (what the verifier checks).
    pub(crate) given: &'a str,
    /// The URL without its fragment (what the signer signs and sends).
    pub(crate) url: &'a str,
    pub(crate) authority: Option<&'a str>,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) body: Body<'a>,
}

impl<'a> Request<'a> {
    /// Checks the method and splits the URL. Headers are checked when the request is signed.
    pub fn new(
        method: &'a str,
        url: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: Body<'a>,
    ) -> Result<Self> {
        let request = Self::for_verifier(method, url, headers, body)?;
        // One pass with a class table: the fragment, the query, and control characters (never
        // allowed in a URL) in a single look at each byte.
        let mut end = url.len();
        let mut question = None;
        for (i, &b) in url.as_bytes().iter().enumerate() {
            match URL_CLASS[usize::from(b)] {
                0 => {}
                CONTROL => {
                    return Err(Error::arg(
                        ErrorKind::InvalidUrl,
                        "url",
                        "URL contains control characters (CR, LF, NUL, ...)",
                    ))
                }
                HASH => {
                    end = i;
                    break;
                }
                QUESTION if question.is_none() => question = Some(i),
                // The verifier's other classes (space, '\\', '%'): a caller's URL may hold them.
                _ => {}
            }
        }
        let url = &url[..end];
        let (before_query, query) = split_query(url, question);
        let (authority, path) = split_url(before_query)?;
        Ok(Request {
            url,
            authority,
            path,
            query,
            ..request
        })
    }

    /// The request as the verifier takes it: the method checked, the URL kept as given and not
    /// split, since the verifier reads it once, strictly, with
    /// [`RequestTarget::parse`](crate::RequestTarget::parse) and takes path, query and authority
    /// from there ([`with_target`](Self::with_target)). Saves a second pass over the URL per
    /// verification; [`Request::new`] starts from it and splits the URL for the signer.
    pub(crate) fn for_verifier(
        method: &'a str,
        url: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: Body<'a>,
    ) -> Result<Self> {
        validate_method(method)?;
        Ok(Request {
            method,
            given: url,
            url,
            authority: None,
            path: "",
            query: "",
            headers,
            body,
        })
    }

    /// This request with the path, query and authority of `target` (the verifier's strict reading
    /// of the URL as given).
    pub(crate) fn with_target(&self, target: &crate::http::RequestTarget<'a>) -> Self {
        Request {
            authority: target.authority(),
            path: target.path(),
            query: target.query(),
            ..*self
        }
    }

    /// The URL as given to [`Request::new`], fragment included.
    pub fn given_url(&self) -> &'a str {
        self.given
    }

    /// The method.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The path as given (before any encoding).
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The raw query string (after `?`), possibly empty.
    pub fn query(&self) -> &'a str {
        self.query
    }

    /// The headers as given.
    pub fn headers(&self) -> &'a [(&'a str, &'a str)] {
        self.headers
    }

    /// The host (and non-default port) of an absolute URL.
    pub fn authority(&self) -> Option<&'a str> {
        self.authority
    }

    /// The body.
    pub fn body(&self) -> Body<'a> {
        self.body
    }
}

const HOST_END: u8 = 1;
const HOST_BAD: u8 = 2;
const HOST_AT: u8 = 3;

/// Byte classes for the authority scan: 0 ordinary, HOST_END (`/`), HOST_BAD, HOST_AT (`@`, the worst).
const HOST_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i <= 0x20 {
        table[i] = HOST_BAD;
        i += 1;
    }
    let bad = [b'"', b'<', b'>', b'\\', b'^', b'`', b'{', b'|', b'}', 0x7f];
    let mut j = 0;
    while j < bad.len() {
        table[bad[j] as usize] = HOST_BAD;
        j += 1;
    }
    table[b'@' as usize] = HOST_AT;
    table[b'/' as usize] = HOST_END;
    table
};

/// Splits an absolute URL (without query) into (authority without default port, path), or takes a bare path.
fn split_url(url: &str) -> Result<(Option<&str>, &str)> {
    if url.starts_with('/') {
        return Ok((None, url));
    }
    let bad = |why: &str| Error::arg(ErrorKind::InvalidUrl, "url", why.to_owned());
    let colon = url
        .bytes()
        .position(|b| b == b':')
        .filter(|&c| url[c..].starts_with("://"));
    let (scheme, rest) = colon.map(|c| (&url[..c], &url[c + 3..])).ok_or_else(|| {
        bad("URL must be absolute (https://host/path) or a path starting with '/'")
    })?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return Err(bad("URL scheme is malformed"));
    }
    // One pass over the authority: where it ends, and whether it holds a byte no host has
    // ('@' is refused separately: credentials never belong in the URL).
    let mut end = rest.len();
    let mut worst = 0u8;
    for (i, &b) in rest.as_bytes().iter().enumerate() {
        let class = HOST_CLASS[usize::from(b)];
        if class == HOST_END {
            end = i;
            break;
        }
        worst = worst.max(class);
    }
    let (authority, target) = rest.split_at(end);
    if worst == HOST_AT {
        return Err(bad(
            "URL must not contain user:password@ (credentials go in Credentials)",
        ));
    }
    if authority.is_empty() {
        return Err(bad("URL has no host"));
    }
    if worst == HOST_BAD {
        return Err(bad("URL host contains characters a host never has"));
    }
    let authority = match default_port(scheme) {
        Some(port) => strip_port(authority, port),
        None => authority,
    };
    Ok((Some(authority), target))
}

/// HTTP token bytes (RFC 9110 `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``), one load per
/// byte: the signer's checks of methods and header names and the verifier's scans read this table.
pub(crate) const TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        i += 1;
    }
    table
};

/// Whether `b` is an HTTP token byte ([`TOKEN`]).
pub(crate) fn is_token_byte(b: u8) -> bool {
    TOKEN[usize::from(b)]
}

fn validate_method(method: &str) -> Result<()> {
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(Error::arg(
            ErrorKind::InvalidMethod,
            "method",
            "HTTP method must be a non-empty token such as GET or POST",
        ));
    }
    Ok(())
}

/// Checks one header name.
pub(crate) fn validate_header_name(name: &str) -> Result<()> {
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(Error::arg(
            ErrorKind::InvalidHeaderName,
            "header name",
            format!("header name {name:?} is not a valid HTTP token"),
        ));
    }
    Ok(())
}

/// Checks one header value: CR, LF and NUL would let a caller smuggle a second header.
pub(crate) fn validate_header_value(name: &str, value: &str) -> Result<()> {
    if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        return Err(Error::arg(
            ErrorKind::InvalidHeaderValue,
            "header value",
            format!("value of header {name:?} contains CR, LF or NUL"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls() {
        let r = Request::new(
            "GET",
            "https://h.example:443/a b?x=1#frag",
            &[],
            Body::default(),
        )
        .unwrap();
        assert_eq!(
            (r.authority, r.path, r.query),
            (Some("h.example"), "/a b", "x=1")
        );
        let r = Request::new("GET", "http://h:8080?x", &[], Body::default()).unwrap();
        assert_eq!((r.authority, r.path, r.query), (Some("h:8080"), "", "x"));
        let r = Request::new("GET", "//a//", &[], Body::default()).unwrap();
        assert_eq!((r.authority, r.path), (None, "//a//"));
        for bad in [
            "",
            "h.example/x",
            "https://",
            "https://u:p@h/",
            "https://h/\r\nX: y",
            "ht tp://h/",
        ] {
            assert!(
                Request::new("GET", bad, &[], Body::default()).is_err(),
                "{bad:?}"
            );
        }
        assert!(Request::new("GE T", "/", &[], Body::default()).is_err());
    }
}
