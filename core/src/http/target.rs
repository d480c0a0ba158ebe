//! The request-target as a server receives it (RFC 9112 section 3.2), checked and split into the
//! path and query the application behind the server will see.
//!
//! This is the one place that decides which raw targets the verifier accepts. A target is refused
//! (`InvalidUrl`, answered with 400) whenever the application could read it differently from what
//! the verifier checked — the signature would then cover another request than the one served.

use crate::error::{Error, ErrorKind, Result};
use crate::settings::PathNormalization;

/// Which of the request-target forms of RFC 9112 section 3.2 a target was sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetForm {
    /// `/path?query` (section 3.2.1), what clients send to an origin server.
    Origin,
    /// `http://host[:port]/path?query` (section 3.2.2), what clients send to a proxy.
    Absolute,
}

/// A request-target accepted by [`RequestTarget::parse`]: the origin-form path and query the
/// application receives, and for the absolute form the authority it named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestTarget<'a> {
    form: TargetForm,
    authority: Option<&'a str>,
    path: &'a str,
    query: &'a str,
}

pub(crate) const CONTROL: u8 = 1;
const SPACE: u8 = 2;
pub(crate) const HASH: u8 = 3;
const BACKSLASH: u8 = 4;
const PERCENT: u8 = 5;
pub(crate) const QUESTION: u8 = 6;

/// Byte classes for the one pass over a target; 0 is an ordinary byte. The signer's URL scan
/// ([`Request::new`](crate::Request::new)) reads the same table for what both refuse or split on:
/// controls, `#` and the first `?`.
///
/// Refused anywhere (RFC 3986 section 3 allows none of them in a path or query, and each one is
/// read differently by some server, client or URL parser):
/// - controls (0x00..=0x1f, 0x7f; bare CR and LF included): request smuggling and header
///   injection, and servers disagree on whether they end the request line;
/// - space: it ends the target in the request line; a server that accepts it guesses;
/// - `#`: a fragment is never sent (RFC 9112 section 3.2: the target has no fragment, RFC 9110
///   section 7.1), so a raw `#` is malformed; servers differ on whether it starts a fragment
///   (the verifier used to cut there while uvicorn handed what followed to the application as
///   the query — issue 23), so nothing after it could be trusted to be what was signed.
///
/// Also checked: `%` must start an escape of two hex digits (RFC 3986 section 2.1), since a stray
/// `%` is decoded differently by different servers.
///
/// Accepted though RFC 3986 lists them as invalid: bytes from 0x80 up (UTF-8 paths, which the AWS
/// test suite signs raw and every server passes through as the same bytes), and `"` `<` `>` `[`
/// `]` `^` `` ` `` `{` `|` `}`, which WHATWG URL clients (browsers, `fetch`) send unescaped in
/// queries and some paths, and which no server or parser reads as a delimiter.
pub(crate) const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = CONTROL;
        i += 1;
    }
    table[0x7f] = CONTROL;
    table[b' ' as usize] = SPACE;
    table[b'#' as usize] = HASH;
    table[b'\\' as usize] = BACKSLASH;
    table[b'%' as usize] = PERCENT;
    table[b'?' as usize] = QUESTION;
    table
};

/// Whether any of the eight bytes of `word` is not of class 0 in [`CLASS`]: below 0x21 (controls
/// and space), 0x7f, `#`, `%`, `?` or `\\`. Exact, by the classic word tests: "some byte is zero"
/// of the word XOR each byte broadcast, and "some byte is below n" (valid for n up to 128).
fn may_be_special(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let equal = |c: u8| zero_byte(word ^ (ONES * u64::from(c)));
    let below_0x21 = word.wrapping_sub(ONES * 0x21) & !word & HIGH;
    (below_0x21 | equal(0x7f) | equal(b'#') | equal(b'%') | equal(b'?') | equal(b'\\')) != 0
}

/// `target.split_once("://")`, by looking for `:` (a one-byte search): the substring search that
/// `split_once` runs for a three-byte pattern set up on every absolute-form target cost ~300
/// instructions, a tenth of what the rest of a verification's target parse costs.
fn split_scheme(target: &str) -> Option<(&str, &str)> {
    target
        .match_indices(':')
        .find(|&(at, _)| target[at + 1..].starts_with("//"))
        .map(|(at, _)| (&target[..at], &target[at + 3..]))
}

fn refused(message: impl Into<String>) -> Error {
    Error::from_binding(ErrorKind::InvalidUrl, "url", message)
}

fn hex_digit(b: Option<&u8>) -> bool {
    b.is_some_and(u8::is_ascii_hexdigit)
}

impl<'a> RequestTarget<'a> {
    /// Checks a request-target exactly as the server received it and splits it.
    ///
    /// `target` is origin-form (`/path?query`) or absolute-form (`http[s]://authority/path?query`);
    /// `host` is the request's `Host` header value, if it has one. Refused with `InvalidUrl`:
    /// - a raw `#`, space, control byte (CR, LF, NUL, ...) or malformed `%` escape anywhere;
    /// - in the path: a backslash (WHATWG URL parsers, as in `new URL(req.url, base)`, read it as
    ///   `/`), and `%00` (a decoded NUL truncates the path in code that treats it as a terminator);
    /// - the asterisk and authority forms (`OPTIONS *`, `CONNECT host:443`), which name no path;
    /// - in the absolute form: a scheme other than `http`/`https`, user information, an empty or
    ///   malformed authority, or an authority that disagrees with `Host` (RFC 9112 section 3.2.2:
    ///   a server uses the target's authority, the signature covers `Host`; they must be the same
    ///   host, letter case and the scheme's default port aside).
    ///
    /// An absolute-form target with an empty path has the path `/` (RFC 9112 section 3.2.1).
    pub fn parse(target: &'a str, host: Option<&str>) -> Result<Self> {
        let bytes = target.as_bytes();
        let mut question = None;
        let mut i = 0;
        while i < bytes.len() {
            // Eight ordinary bytes at once (most of a target is letters, digits and '/').
            if let Some(word) = bytes.get(i..i + 8) {
                let mut eight = [0u8; 8];
                eight.copy_from_slice(word);
                if !may_be_special(u64::from_le_bytes(eight)) {
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            match CLASS[usize::from(b)] {
                0 => {}
                CONTROL => {
                    return Err(refused(format!(
                        "the request-target holds the control byte 0x{b:02x} (CR, LF, NUL, tab, ...); encode it as %{b:02X}"
                    )))
                }
                SPACE => {
                    return Err(refused(
                        "the request-target holds a raw space; encode it as %20",
                    ))
                }
                HASH => {
                    return Err(refused(
                        "the request-target holds a raw '#': a fragment is never sent in a request, and what follows it would not be what was signed; encode '#' as %23 (clients drop the fragment before sending)",
                    ))
                }
                BACKSLASH if question.is_none() => {
                    return Err(refused(
                        "the path holds a raw '\\', which URL parsers read as '/'; encode it as %5C",
                    ))
                }
                PERCENT => {
                    if !(hex_digit(bytes.get(i + 1)) && hex_digit(bytes.get(i + 2))) {
                        return Err(refused(
                            "the request-target has a '%' not followed by two hex digits; encode '%' as %25",
                        ));
                    }
                    if question.is_none() && bytes[i + 1] == b'0' && bytes[i + 2] == b'0' {
                        return Err(refused(
                            "the path holds %00 (NUL), which code reading the decoded path may take as its end",
                        ));
                    }
                    i += 2;
                }
                QUESTION if question.is_none() => question = Some(i),
                _ => {}
            }
            i += 1;
        }
        let (before, query) = split_query(target, question);
        if before.starts_with('/') {
            return Ok(Self::new(TargetForm::Origin, None, before, query));
        }
        if before == "*" {
            return Err(refused(
                "the asterisk-form request-target (OPTIONS *) names no path to sign; send /path",
            ));
        }
        let Some((scheme, rest)) = split_scheme(before) else {
            return Err(refused(
                "the request-target must be a path starting with '/' (origin-form) or an absolute http(s) URL (absolute-form)",
            ));
        };
        let Some(default_port) = default_port(scheme) else {
            return Err(refused(
                "an absolute-form request-target must use the http or https scheme",
            ));
        };
        let (authority, path) = rest.find('/').map_or((rest, ""), |s| rest.split_at(s));
        check_authority(authority)?;
        let authority = strip_port(authority, default_port);
        if let Some(host) = host {
            let host = strip_port(crate::bytes::trim_ws(host), default_port);
            if !host.eq_ignore_ascii_case(authority) {
                return Err(refused(format!(
                    "the request-target names the host {:?} but the Host header is {:?}; they must agree (RFC 9112 3.2.2)",
                    shown(authority),
                    shown(host)
                )));
            }
        }
        let path = if path.is_empty() { "/" } else { path };
        Ok(Self::new(
            TargetForm::Absolute,
            Some(authority),
            path,
            query,
        ))
    }

    // A leading `//` (`//key` for an S3 key starting with '/') is accepted: the S3 services sign
    // and serve it as it is, and elsewhere `require_normalized` refuses it. An application that
    // reads the target with a WHATWG URL parser relative to a base (`new URL(req.url, base)`)
    // would see `//host/path` as another host; it should read the path as a path.
    fn new(form: TargetForm, authority: Option<&'a str>, path: &'a str, query: &'a str) -> Self {
        RequestTarget {
            form,
            authority,
            path,
            query,
        }
    }

    /// Refuses a path that path normalisation would change (`.` or `..` segments, repeated `/`):
    /// a verifier whose clients normalise (every service but the S3 family) checks the signature
    /// of the normalised path, while the application receives the raw one — and a router or an
    /// authorisation rule keyed on path prefixes may read the two differently (`/public/../admin`).
    /// Refusing is simpler and safer than rewriting every raw form a server hands over.
    pub fn require_normalized(&self, normalization: PathNormalization) -> Result<()> {
        let path = self.path.as_bytes();
        let suspicious = path
            .windows(2)
            .any(|w| w[0] == b'/' && (w[1] == b'/' || w[1] == b'.'));
        if normalization == PathNormalization::Disabled
            || !suspicious
            || crate::encode::normalize_path(self.path) == self.path
        {
            return Ok(());
        }
        Err(refused(format!(
            "the path {:?} holds '.' or '..' segments or repeated '/': the signature covers the normalised path {:?} but the application would receive the raw one; send the normalised path",
            shown(self.path),
            shown(&crate::encode::normalize_path(self.path))
        )))
    }

    /// Which form the target was sent in.
    pub fn form(&self) -> TargetForm {
        self.form
    }

    /// The authority of an absolute-form target (without the scheme's default port).
    pub fn authority(&self) -> Option<&'a str> {
        self.authority
    }

    /// The path, starting with `/`, as received (still percent-encoded).
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The query after the first `?` (possibly empty), as received.
    pub fn query(&self) -> &'a str {
        self.query
    }

    /// The origin-form target the application sees: `path` or `path?query`.
    pub fn origin_form(&self) -> String {
        if self.query.is_empty() {
            self.path.to_owned()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// The bytes an authority may hold: a host (name, IPv4, or `[IPv6]`, RFC 3986 reg-name and
/// IP-literal characters) and an optional `:port`.
const HOST_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'%'
                    | b'['
                    | b']'
            );
        b += 1;
    }
    table
};

/// The authority: a host (name, IPv4, or `[IPv6]`) and an optional port, nothing else.
fn check_authority(authority: &str) -> Result<()> {
    if authority.is_empty() {
        return Err(refused("the absolute-form request-target has no host"));
    }
    // One table lookup per byte, without an early exit (one branch per authority); `@` is not a
    // host byte, so user information fails here and gets its own message.
    let valid = authority
        .bytes()
        .fold(true, |ok, b| ok & HOST_BYTE[usize::from(b)]);
    if valid {
        return Ok(());
    }
    if authority.contains('@') {
        return Err(refused(
            "the absolute-form request-target holds user information (user@host); send no credentials in the URL",
        ));
    }
    Err(refused(format!(
        "the absolute-form request-target's host {:?} holds characters a host never has",
        shown(authority)
    )))
}

/// `authority` without the scheme's default port (`:80` for http, `:443` for https).
/// `authority` without `default_port` (`host:443` and `host` name the same origin for https).
pub(crate) fn strip_port<'s>(authority: &'s str, default_port: &str) -> &'s str {
    authority.strip_suffix(default_port).unwrap_or(authority)
}

/// The port an `http` or `https` URL implies (scheme letter case ignored); `None` for others.
pub(crate) fn default_port(scheme: &str) -> Option<&'static str> {
    if scheme.eq_ignore_ascii_case("https") {
        Some(":443")
    } else if scheme.eq_ignore_ascii_case("http") {
        Some(":80")
    } else {
        None
    }
}

/// `text` split at the first `?` (at `question`, found by the caller's scan): before it, and the
/// query after it (empty without one).
pub(crate) fn split_query(text: &str, question: Option<usize>) -> (&str, &str) {
    match question {
        Some(q) => (&text[..q], &text[q + 1..]),
        None => (text, ""),
    }
}

/// At most 64 characters of `text`, for messages.
fn shown(text: &str) -> &str {
    match text.char_indices().nth(64) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(
        target: &'a str,
        host: Option<&str>,
    ) -> Option<(Option<&'a str>, &'a str, &'a str)> {
        RequestTarget::parse(target, host)
            .ok()
            .map(|t| (t.authority(), t.path(), t.query()))
    }

    #[test]
    fn the_word_test_flags_exactly_the_bytes_of_a_class() {
        // Every byte value at every position of a word of ordinary bytes, and pairs of values.
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut eight = *b"abcdefgh";
                eight[at] = b;
                let word = u64::from_le_bytes(eight);
                assert_eq!(
                    super::may_be_special(word),
                    CLASS[usize::from(b)] != 0,
                    "{b:#04x} at {at}"
                );
            }
            for c in 0..=255u8 {
                let word = u64::from_le_bytes([b, c, b'/', 0x80, b'z', c, b, 0xff]);
                let want = [b, c].iter().any(|&x| CLASS[usize::from(x)] != 0);
                assert_eq!(super::may_be_special(word), want, "{b:#04x} {c:#04x}");
            }
        }
    }

    #[test]
    fn the_word_skip_refuses_and_splits_as_the_byte_loop() {
        // Each class byte (and a UTF-8 letter) at every offset of targets longer than a word: the
        // same error message or the same split as a byte-by-byte reading of the class table.
        fn by_bytes(target: &str) -> std::result::Result<usize, u8> {
            let bytes = target.as_bytes();
            let mut question = None;
            let mut i = 0;
            while i < bytes.len() {
                match CLASS[usize::from(bytes[i])] {
                    0 => {}
                    QUESTION if question.is_none() => question = Some(i),
                    QUESTION => {}
                    BACKSLASH if question.is_some() => {}
                    PERCENT
                        if bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
                            && (question.is_some() || bytes[i + 1..i + 3] != *b"00") =>
                    {
                        i += 2
                    }
                    class => return Err(class),
                }
                i += 1;
            }
            Ok(question.unwrap_or(bytes.len()))
        }
        let base = "/abcdefghijklmnopqrstuvwxyz/0123456789?q=abcdefghijklmnop";
        let inserts = [
            "\0", "\t", "\r", "\n", " ", "#", "\\", "%", "%2", "%2F", "%00", "%zz", "?", "\u{7f}",
            "é", "~",
        ];
        for insert in inserts {
            for at in 1..base.len() {
                let target = format!("{}{insert}{}", &base[..at], &base[at..]);
                let got = RequestTarget::parse(&target, None);
                match by_bytes(&target) {
                    Ok(question) => {
                        let t = got.unwrap_or_else(|e| panic!("{target:?}: {e}"));
                        assert_eq!(t.path().len(), question, "{target:?}");
                    }
                    Err(_) => assert!(got.is_err(), "{target:?} accepted"),
                }
            }
        }
    }

    #[test]
    fn an_authority_holds_only_host_bytes_and_user_information_is_named() {
        // RFC 3986: unreserved, sub-delims, ':' (port), '%' (pct-encoded), '[' ']' (IP-literal).
        let host_bytes =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:%[]";
        for b in 0..=127u8 {
            let authority = format!("h{}x", b as char);
            let got = super::check_authority(&authority);
            assert_eq!(got.is_ok(), host_bytes.contains(b as char), "{b:#04x}");
            if let Err(e) = got {
                let user = b == b'@';
                assert_eq!(
                    e.message().contains("user information"),
                    user,
                    "{b:#04x}: {e}"
                );
                assert_eq!(e.message().contains("never has"), !user, "{b:#04x}: {e}");
            }
        }
        assert!(super::check_authority("h\u{e9}").is_err());
        assert!(super::check_authority("u@h^")
            .unwrap_err()
            .message()
            .contains("user information"));
        assert!(super::check_authority("")
            .unwrap_err()
            .message()
            .contains("no host"));
    }

    #[test]
    fn split_scheme_is_split_once_on_the_scheme_separator() {
        for text in [
            "https://h/a",
            "http://h",
            "a:b://c",
            ":///",
            "://",
            "x:/y://z",
            "no-scheme",
            "a:",
            "a:/",
            "a://",
            "ht:tp://h://x",
            "",
            ":",
            "::",
            ":://",
            "é://h",
        ] {
            assert_eq!(
                super::split_scheme(text),
                text.split_once("://"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn origin_and_absolute_forms_split() {
        assert_eq!(parts("/a?x=1", None), Some((None, "/a", "x=1")));
        assert_eq!(parts("/a?x=1?y#", None), None);
        assert_eq!(parts("/a?x=?y", None), Some((None, "/a", "x=?y")));
        assert_eq!(parts("/", None), Some((None, "/", "")));
        assert_eq!(parts("//k", None), Some((None, "//k", "")));
        assert_eq!(parts("/a?", None), Some((None, "/a", "")));
        assert_eq!(parts("/\u{1234}", None), Some((None, "/\u{1234}", "")));
        assert_eq!(parts("/a?x=\\", None), Some((None, "/a", "x=\\")));
        assert_eq!(parts("/a?x=%00", None), Some((None, "/a", "x=%00")));
        assert_eq!(
            parts("https://h.example/a?b", Some("h.example")),
            Some((Some("h.example"), "/a", "b"))
        );
        assert_eq!(
            parts("HTTP://H.example:80?b", Some("h.EXAMPLE")),
            Some((Some("H.example"), "/", "b"))
        );
        assert_eq!(
            parts("http://h:8080/a", Some("h:8080")),
            Some((Some("h:8080"), "/a", ""))
        );
        assert_eq!(
            parts("https://h/a", Some("h:443")),
            Some((Some("h"), "/a", ""))
        );
        assert_eq!(parts("http://h/a", None), Some((Some("h"), "/a", "")));
        assert_eq!(
            parts("http://[::1]:80/", Some("[::1]")),
            Some((Some("[::1]"), "/", ""))
        );
    }

    #[test]
    fn refuses_what_could_be_read_two_ways() {
        for (target, host) in [
            ("", None),
            ("/a#x?evil=1", None),
            ("/a?x=1#y", None),
            ("/a b", None),
            ("/a\tb", None),
            ("/a\rb", None),
            ("/a\nb", None),
            ("/a\0", None),
            ("/a?\x7f", None),
            ("/a\\b", None),
            ("/a%00b", None),
            ("/a%0", None),
            ("/a?x=%zz", None),
            ("*", None),
            ("h.example:443", None),
            ("a/b", None),
            ("ftp://h/a", Some("h")),
            ("http://evil.example/a", Some("h.example")),
            ("http://h.example./a", Some("h.example")),
            ("http://h.example:8080/a", Some("h.example")),
            ("https://h.example:80/a", Some("h.example")),
            ("http://u@h.example/a", Some("h.example")),
            ("http:///a", Some("h.example")),
            ("http://h<x/a", None),
        ] {
            assert!(
                RequestTarget::parse(target, host).is_err(),
                "{target:?} {host:?}"
            );
        }
    }

    #[test]
    fn normalisation_changes_are_refused_only_when_on() {
        for path in ["/./a", "/b/../a", "/a/.", "/a/..", "/a//b", "/a/"] {
            let t = RequestTarget::parse(path, None).unwrap();
            assert!(t.require_normalized(PathNormalization::Disabled).is_ok());
            let on = t.require_normalized(PathNormalization::Enabled);
            assert_eq!(on.is_ok(), path == "/a/", "{path}");
        }
        for path in ["/a/.b", "/a..", "/.well-known/x", "/a/b/"] {
            let t = RequestTarget::parse(path, None).unwrap();
            assert!(t.require_normalized(PathNormalization::Enabled).is_ok());
        }
    }
}
