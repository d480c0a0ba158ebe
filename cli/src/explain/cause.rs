//! Naming why two canonical requests (or strings to sign) differ.

use std::collections::BTreeMap;

/// A named cause with the detail that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// A stable identifier (`header-changed`, `path-double-encoding`, ...).
    pub id: &'static str,
    /// What it means and what to do.
    pub message: String,
}

fn cause(id: &'static str, message: String) -> Cause {
    Cause { id, message }
}

/// A canonical request cut into its parts.
#[derive(Debug, Default)]
struct Canonical<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    signed_headers: &'a str,
    payload: &'a str,
}

fn split(text: &str) -> Option<Canonical<'_>> {
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.len() < 6 {
        return None;
    }
    let n = lines.len();
    let headers = lines[3..n - 3]
        .iter()
        .map(|l| l.split_once(':').unwrap_or((l, "")))
        .collect();
    Some(Canonical {
        method: lines[0],
        path: lines[1],
        query: lines[2],
        headers,
        signed_headers: lines[n - 2],
        payload: lines[n - 1],
    })
}

fn percent_decode(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    out
}

fn query_pairs(query: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

fn path_causes(ours: &str, theirs: &str, out: &mut Vec<Cause>) {
    if theirs.replace("%25", "%") == ours {
        out.push(cause("path-double-encoding", format!(
            "single vs double path encoding: the server encodes the path once more than the signer did (ours {ours:?}, the server's {theirs:?}). Every service but S3 signs the path percent-encoded twice; sign with that service's name (--service) so its rule applies"
        )));
    } else if ours.replace("%25", "%") == theirs {
        out.push(cause("path-double-encoding", format!(
            "single vs double path encoding: the signer encoded the path once more than the server (ours {ours:?}, the server's {theirs:?}). S3 signs the path encoded once; sign with --service s3"
        )));
    } else if percent_decode(ours) == percent_decode(theirs) {
        out.push(cause("path-encoding", format!(
            "path encoding: the same path encoded differently (ours {ours:?}, the server's {theirs:?}); a client or proxy re-encoded it after signing, or characters the signer left alone must be percent-encoded"
        )));
    } else {
        out.push(cause("path", format!(
            "path: the server saw a different path (ours {ours:?}, the server's {theirs:?}); a proxy or base path/stage rewrote it after signing"
        )));
    }
}

fn header_causes(ours: &Canonical<'_>, theirs: &Canonical<'_>, out: &mut Vec<Cause>) {
    let ours_map: BTreeMap<&str, &str> = ours.headers.iter().copied().collect();
    let theirs_map: BTreeMap<&str, &str> = theirs.headers.iter().copied().collect();
    for (name, value) in &theirs_map {
        match ours_map.get(name) {
            None => out.push(cause("header-added", format!(
                "header {name} was added after signing (the server signs it with value {value:?}; our signature did not cover it) — sign the request as it is finally sent, or stop the proxy or library from adding it"
            ))),
            Some(mine) if mine != value => {
                let hint = match *name {
                    "host" => " (a different host or port than signed: a proxy, a custom domain, or a non-default port left out)",
                    "content-type" => " (HTTP libraries often append '; charset=...' after signing)",
                    "x-amz-date" => " (the date header was set again after signing)",
                    "content-length" => " (the body changed size after signing)",
                    _ => "",
                };
                out.push(cause("header-changed", format!(
                    "header {name} changed after signing: signed {mine:?}, the server got {value:?}{hint}"
                )));
            }
            Some(_) => {}
        }
    }
    for name in ours_map.keys() {
        if !theirs_map.contains_key(name) {
            out.push(cause("header-removed", format!(
                "header {name} was signed but the server did not see it among the signed headers (removed or renamed on the way)"
            )));
        }
    }
}

/// Compares two canonical requests.
pub fn canonical(ours: &str, theirs: &str) -> Vec<Cause> {
    let mut out = Vec::new();
    if ours == theirs {
        return out;
    }
    let (Some(a), Some(b)) = (split(ours), split(theirs)) else {
        out.push(cause("canonical-request", "the canonical requests differ (one of them is not in the canonical form; see the diff)".to_owned()));
        return out;
    };
    if a.method != b.method {
        out.push(cause(
            "method",
            format!(
                "method: signed {:?}, the server got {:?}",
                a.method, b.method
            ),
        ));
    }
    if a.path != b.path {
        path_causes(a.path, b.path, &mut out);
    }
    if a.query != b.query {
        if query_pairs(a.query) == query_pairs(b.query) {
            out.push(cause("query-encoding", format!(
                "query encoding: the same parameters encoded differently (ours {:?}, the server's {:?}); encode spaces as %20 not +, encode every character but A-Z a-z 0-9 - _ . ~, and sort by name",
                a.query, b.query
            )));
        } else {
            out.push(cause("query", format!(
                "query parameters differ (ours {:?}, the server's {:?}); they were changed after signing",
                a.query, b.query
            )));
        }
    }
    header_causes(&a, &b, &mut out);
    if a.payload != b.payload {
        out.push(cause("payload-hash", format!(
            "payload hash: the body that arrived is not the body that was signed (ours {}, the server's {}); the body was changed or re-encoded after signing, or x-amz-content-sha256 does not match it",
            a.payload, b.payload
        )));
    }
    if out.is_empty() && a.signed_headers != b.signed_headers {
        out.push(cause(
            "signed-headers",
            format!(
                "signed headers differ: ours {:?}, the server's {:?}",
                a.signed_headers, b.signed_headers
            ),
        ));
    }
    if out.is_empty() {
        out.push(cause(
            "canonical-request",
            "the canonical requests differ in layout (see the diff)".to_owned(),
        ));
    }
    out
}

/// Compares two strings to sign; `canonical_known` says whether the canonical requests were compared.
pub fn string_to_sign(ours: &str, theirs: &str, canonical_known: bool) -> Vec<Cause> {
    let mut out = Vec::new();
    if ours == theirs {
        return out;
    }
    let a: Vec<&str> = ours.split('\n').collect();
    let b: Vec<&str> = theirs.split('\n').collect();
    if a.len() != 4 || b.len() != 4 {
        out.push(cause(
            "string-to-sign",
            "the strings to sign differ (see the diff)".to_owned(),
        ));
        return out;
    }
    if a[0] != b[0] {
        out.push(cause(
            "algorithm",
            format!(
                "algorithm: signed with {}, the server expects {}",
                a[0], b[0]
            ),
        ));
    }
    if a[1] != b[1] {
        out.push(cause("date", format!(
            "date: X-Amz-Date {} was signed, the server used {}; set the date header once, before signing, in UTC",
            a[1], b[1]
        )));
    }
    if a[2] != b[2] {
        let sa: Vec<&str> = a[2].split('/').collect();
        let sb: Vec<&str> = b[2].split('/').collect();
        if sa.len() == 4 && sb.len() == 4 {
            if sa[0] != sb[0] {
                out.push(cause("scope-date", format!(
                    "scope date: the credential scope says {}, the server expects {} (the scope date must be X-Amz-Date's day)",
                    sa[0], sb[0]
                )));
            }
            if sa[1] != sb[1] {
                out.push(cause(
                    "region",
                    format!(
                        "region: signed for {}, the server expects {} (give --region {})",
                        sa[1], sb[1], sb[1]
                    ),
                ));
            }
            if sa[2] != sb[2] {
                out.push(cause(
                    "service",
                    format!(
                        "service: signed for {}, the server expects {} (give --service {})",
                        sa[2], sb[2], sb[2]
                    ),
                ));
            }
        } else {
            out.push(cause(
                "scope",
                format!("credential scope: ours {}, the server's {}", a[2], b[2]),
            ));
        }
    }
    if a[3] != b[3] && !canonical_known {
        out.push(cause("canonical-request", format!(
            "the canonical request differs (the server did not return it; its hash {} is not ours {}): run with the full answer, or compare with `sigv4 sign --json`",
            b[3], a[3]
        )));
    }
    out
}

/// The cause when everything the server computed matches ours.
pub fn keys() -> Cause {
    cause("secret-or-token", "canonical request and string to sign match: the secret key or the session token is wrong (or belongs to another access key id); check which credentials signed the request".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "GET\n/a%20b\nx=1&y=2\nhost:h\nx-amz-date:20200101T000000Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn ids(c: &[Cause]) -> Vec<&'static str> {
        c.iter().map(|c| c.id).collect()
    }

    #[test]
    fn names() {
        assert!(canonical(BASE, BASE).is_empty());
        assert_eq!(
            ids(&canonical(BASE, &BASE.replace("/a%20b", "/a%2520b"))),
            ["path-double-encoding"]
        );
        assert_eq!(
            ids(&canonical(BASE, &BASE.replace("/a%20b", "/a b"))),
            ["path-encoding"]
        );
        assert_eq!(
            ids(&canonical(BASE, &BASE.replace("/a%20b", "/c"))),
            ["path"]
        );
        assert_eq!(
            ids(&canonical(BASE, &BASE.replace("x=1&y=2", "x=1&y=%32"))),
            ["query-encoding"]
        );
        assert_eq!(
            ids(&canonical(BASE, &BASE.replace("x=1&y=2", "x=1"))),
            ["query"]
        );
        assert_eq!(
            ids(&canonical(BASE, &BASE.replace("host:h", "host:h:8080"))),
            ["header-changed"]
        );
        assert_eq!(
            ids(&canonical(BASE, &BASE.replace("e3b0", "0000"))),
            ["payload-hash"]
        );
        assert_eq!(
            ids(&canonical(BASE, &BASE.replace("GET", "PUT"))),
            ["method"]
        );
        let sts = "AWS4-HMAC-SHA256\n20200101T000000Z\n20200101/us-east-1/s3/aws4_request\nabc";
        assert_eq!(
            ids(&string_to_sign(
                sts,
                &sts.replace("us-east-1", "eu-west-1"),
                true
            )),
            ["region"]
        );
        assert_eq!(
            ids(&string_to_sign(
                sts,
                &sts.replace("/s3/", "/execute-api/"),
                true
            )),
            ["service"]
        );
        assert_eq!(
            ids(&string_to_sign(
                sts,
                &sts.replace("T000000Z", "T000001Z"),
                true
            )),
            ["date"]
        );
        assert_eq!(
            ids(&string_to_sign(sts, &sts.replace("abc", "def"), false)),
            ["canonical-request"]
        );
    }
}
