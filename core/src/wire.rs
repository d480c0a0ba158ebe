//! The URL an HTTP client puts on the wire for an absolute URL given with raw characters.
//!
//! A URL such as `https://h/a b/é` cannot be sent as it is: requests, httpx, urllib3 and fetch
//! percent-encode the space and the UTF-8 bytes (`/a%20b/%C3%A9`) before sending, and the server
//! signs what it receives. Signing the raw text instead would sign `/a%20b` (the space encoded
//! once, then the wire form encoded again by the server) and be refused. So the signer rewrites such
//! a URL into its wire form first and returns that form as the URL to send.
//!
//! Only absolute URLs are rewritten: a bare request target (`/a b` with a `Host` header) is the
//! request line as it was received, the form of the AWS test suite, and is signed as given.

/// True for a byte no client sends raw in a path or query: controls (refused earlier anyway),
/// space, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}` and every non-ASCII byte. Everything else
/// RFC 3986 allows (`%` escapes stay as they are).
const fn needs_escape(b: u8) -> bool {
    b <= b' '
        || b >= 0x7f
        || matches!(
            b,
            b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
        )
}

/// The wire form of `url` when it is absolute and its path or query holds bytes clients encode;
/// `None` when it is sent as given (the usual case, checked in one pass).
pub(crate) fn wire_url(url: &str) -> Option<String> {
    if url.starts_with('/') {
        return None;
    }
    let target_start = url.find("://").map(|s| {
        let rest = &url[s + 3..];
        s + 3 + rest.find(['/', '?']).unwrap_or(rest.len())
    })?;
    let target = &url.as_bytes()[target_start..];
    if !target.iter().any(|&b| needs_escape(b)) {
        return None;
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(url.len() + 2 * target.len());
    out.extend_from_slice(&url.as_bytes()[..target_start]);
    for &b in target {
        if needs_escape(b) {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        } else {
            out.push(b);
        }
    }
    // Every non-ASCII byte of the target was escaped; the rest is the original text.
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::wire_url;

    #[test]
    fn encodes_what_clients_encode_in_absolute_urls_only() {
        assert_eq!(
            wire_url("https://h.example/a b/é?q=x y|z").as_deref(),
            Some("https://h.example/a%20b/%C3%A9?q=x%20y%7Cz")
        );
        assert_eq!(
            wire_url("https://h/a\"<>\\^`{|}").as_deref(),
            Some("https://h/a%22%3C%3E%5C%5E%60%7B%7C%7D")
        );
        assert_eq!(wire_url("https://h/a%20b?x=%41&y=+!$&'()*,;=:@"), None);
        assert_eq!(wire_url("/a b"), None);
        assert_eq!(wire_url("/a?u=https://x y"), None);
        assert_eq!(wire_url("https://h"), None);
        assert_eq!(wire_url("https://h?é").as_deref(), Some("https://h?%C3%A9"));
    }
}
