//! The canonical request and string to sign the verifier recomputes, written into a reused
//! per-thread buffer: nothing is allocated on the way to a successful verification, and the texts
//! are copied out only for a `SignatureDoesNotMatch` error.

use std::cell::Cell;

use crate::canonical::trim_value;
use crate::encode::{canonical_query_into_small, canonical_uri_into};
use crate::hash::write_hex32;
use crate::request::Request;

use super::headers::FROM_URL;
use super::settings::VerifierSettings;

/// Buffers larger than this are not kept between requests.
const KEEP_CAPACITY: usize = 16 * 1024;

thread_local! {
    static SCRATCH: Cell<String> = const { Cell::new(String::new()) };
}

/// Runs `f` with an empty buffer: this thread's reused one (taken out while `f` runs, so a
/// credential lookup that verifies another request simply gets a new one).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut String) -> R) -> R {
    let mut buffer = SCRATCH.try_with(Cell::take).unwrap_or_default();
    buffer.clear();
    let result = f(&mut buffer);
    if buffer.capacity() <= KEEP_CAPACITY {
        // Fails only while the thread is being torn down: the buffer is then dropped.
        let _ = SCRATCH.try_with(|cell| cell.set(buffer));
    }
    result
}

/// What the canonical request is made of, besides the request itself.
pub(crate) struct CanonicalParts<'a> {
    /// The query as signed (without `X-Amz-Security-Token` when it was appended after signing).
    pub(crate) query: &'a str,
    /// The names in `SignedHeaders`, sorted.
    pub(crate) signed: &'a [&'a str],
    /// Where each signed header's value comes from (see [`super::headers::match_signed`]).
    pub(crate) sources: &'a [(usize, usize)],
    /// The `SignedHeaders` text (validated: the names joined by `;`).
    pub(crate) signed_headers: &'a str,
    /// The payload line.
    pub(crate) payload: &'a str,
}

/// Appends the canonical request to `out`: the same text as `canonical::canonical_request` for the
/// headers listed in `parts.sources`, each value trimmed and collapsed, repeats joined with `,`.
pub(crate) fn write_canonical_request(
    out: &mut String,
    request: &Request<'_>,
    parts: &CanonicalParts<'_>,
    settings: &VerifierSettings,
) {
    out.push_str(request.method());
    out.push('\n');
    let path = request.path();
    if is_canonical_path(path) {
        out.push_str(path);
    } else {
        canonical_uri_into(
            out,
            path,
            settings.uri_encoding,
            settings.path_normalization,
        );
    }
    out.push('\n');
    if !parts.query.is_empty() {
        canonical_query_into_small(out, parts.query);
    }
    out.push('\n');
    let headers = request.headers();
    let mut previous = usize::MAX;
    for &(index, at) in parts.sources {
        if index == previous {
            out.push(',');
        } else {
            if previous != usize::MAX {
                out.push('\n');
            }
            out.push_str(parts.signed[index]);
            out.push(':');
            previous = index;
        }
        match headers.get(at) {
            Some((_, value)) => push_trimmed(out, value),
            None if at == FROM_URL => out.push_str(request.authority().unwrap_or("")),
            None => {}
        }
    }
    if previous != usize::MAX {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(parts.signed_headers);
    out.push('\n');
    out.push_str(parts.payload);
}

/// True when `path` is its own canonical URI under every encoding and normalisation setting:
/// it starts with '/', holds only unreserved characters and '/', and no "//" or "/." (so there is
/// nothing to encode or normalise).
fn is_canonical_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first() == Some(&b'/')
        && bytes
            .iter()
            .all(|&b| b == b'/' || crate::encode::is_unreserved(b))
        && !bytes
            .windows(2)
            .any(|w| w[0] == b'/' && (w[1] == b'/' || w[1] == b'.'))
}

/// Appends `value` as the canonical request holds it (`canonical::trim_value`: spaces and tabs
/// trimmed, inner runs collapsed to one space), copying straight from the header when nothing
/// needs collapsing.
fn push_trimmed(out: &mut String, value: &str) {
    let trimmed = super::trim_ws(value);
    if has_space_or_control(trimmed.as_bytes()) {
        let mut after_space = false;
        for &b in trimmed.as_bytes() {
            if b == b'\t' || (b == b' ' && after_space) {
                out.push_str(&trim_value(trimmed));
                return;
            }
            after_space = b == b' ';
        }
    }
    out.push_str(trimmed);
}

/// True when some byte is at most a space (so possibly a space or a tab), eight at a time.
fn has_space_or_control(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Exact for "some byte < 0x21" (the has-less-than test, valid for limits up to 128).
    let below = |x: u64| x.wrapping_sub(ONES * 0x21) & !x & HIGH != 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        if below(u64::from_le_bytes(eight)) {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b <= b' ')
}

/// Appends the SigV4 string to sign for a canonical request whose SHA-256 is `hash`.
pub(crate) fn write_string_to_sign(out: &mut String, amz_date: &str, scope: &str, hash: &[u8; 32]) {
    out.push_str("AWS4-HMAC-SHA256\n");
    out.push_str(amz_date);
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    let mut hex = [0u8; 64];
    write_hex32(hash, &mut hex);
    // Hex digits are ASCII: the fallback never happens.
    out.push_str(std::str::from_utf8(&hex).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_values_match_the_signer() {
        for value in [
            "",
            " ",
            "a",
            "  a   b \t c  ",
            "a\tb",
            "a b",
            "a  b",
            "\ta",
            "a\t",
            " \u{e9}  x ",
            "\"a   b   c\"",
            "0123456789abcdef 0123456789abcdef",
            "0123456789abcdef  0123456789abcdef",
            "0123456789abcdef\t0123456789abcdef",
            "0123456789abcde \u{a0}0123456789abcdef",
        ] {
            let mut out = String::new();
            push_trimmed(&mut out, value);
            assert_eq!(out, trim_value(value), "{value:?}");
        }
    }

    #[test]
    fn canonical_paths_are_left_as_they_are() {
        use crate::settings::{PathNormalization, UriEncoding};
        for path in [
            "/",
            "/a",
            "/a/b.c/~d_-e/",
            "//",
            "/./a",
            "/a/.",
            "/a/..",
            "/a.b/.c",
            "/a%20b",
            "/a b",
            "/\u{e9}",
            "a",
            "",
            "/a+b",
            "/a=b",
        ] {
            for encoding in [UriEncoding::Double, UriEncoding::Single] {
                for normalization in [PathNormalization::Enabled, PathNormalization::Disabled] {
                    let mut full = String::new();
                    canonical_uri_into(&mut full, path, encoding, normalization);
                    if is_canonical_path(path) {
                        assert_eq!(full, path, "{path:?} {encoding:?} {normalization:?}");
                    }
                }
            }
        }
        assert!(is_canonical_path("/"));
        assert!(is_canonical_path("/a/b.c/~d_-e/"));
    }

    #[test]
    fn string_to_sign_matches_the_signer() {
        let hash = crate::hash::sha256(b"canonical");
        let mut out = String::new();
        write_string_to_sign(
            &mut out,
            "20150830T123600Z",
            "20150830/r/s/aws4_request",
            &hash,
        );
        let hex = crate::hash::hex(&hash);
        assert_eq!(
            out,
            format!("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/r/s/aws4_request\n{hex}")
        );
    }

    #[test]
    fn scratch_is_reentrant() {
        let outer = with_scratch(|a| {
            a.push_str("outer");
            let inner = with_scratch(|b| {
                assert!(b.is_empty());
                b.push_str("inner");
                b.clone()
            });
            format!("{a}+{inner}")
        });
        assert_eq!(outer, "outer+inner");
        assert_eq!(with_scratch(|s| s.len()), 0);
    }
}
