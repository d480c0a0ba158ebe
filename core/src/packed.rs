//! Packed records: the one text format between the JavaScript bindings' native halves (the napi
//! addon in `bindings/node/src` and the WebAssembly build in `wasm/src`) and their JS layer
//! (`bindings/node/lib/packed.js` reads and writes the same records).
//!
//! # Format
//!
//! A record is a string of fields joined by NUL (U+0000). Each kind of record has fixed leading
//! fields, named in order by its `*_FIELDS` list below (the JS side checks its own list against
//! these: `bindings/node/test/packed.test.js`); a kind that carries name/value pairs ends with
//! `name NUL value` pairs up to the end of the record. Booleans are `1`/`0`, absent values empty
//! fields, integers decimal, lists inside one field `;`-separated (header names hold no `;`).
//!
//! A field never holds a NUL: outputs carry only what the core accepted (it refuses NUL in URLs,
//! header names and values), and an input whose fields may hold one (aws4 signs any string) is sent
//! escaped as a whole — U+0001 then `0` for NUL, U+0001 then `1` for U+0001 — under the call's
//! `ESCAPED` flag; [`unescape`] reverses that. An input whose field count does not match its counts
//! (an unescaped NUL in a field) is refused, never split differently.
//!
//! # Why text rather than JS objects
//!
//! One string crosses the N-API boundary (or WebAssembly memory) instead of one property write or
//! read per field: building the signed request's object natively measured slower than this record
//! plus JS reading the fields lazily (a request whose handler never reads a field pays nothing).

use std::borrow::Cow;

use crate::{
    Error, ErrorKind, ExactSignature, IdentityView, ReplayClaim, SignedRequest, SigningAlgorithm,
    SigningTime, VerifiedIdentity,
};

/// Field separator.
pub const SEP: char = '\0';

/// A signed request (`sign`, `presign`, their async twins, the streaming upload's request):
/// these fields, then every header to send as name/value pairs (one per name: repeats merged as
/// signed, see [`SignedRequest::merged_headers`]). `authorization` is empty when presigned.
pub const SIGNED_REQUEST_FIELDS: [&str; 10] = [
    "method",
    "url",
    "signature",
    "authorization",
    "amzDate",
    "credentialScope",
    "signedHeaders",
    "canonicalRequest",
    "stringToSign",
    "payloadHash",
];

/// A verified identity (`verify`, `verifyPacked`, a verified streaming upload): `signedHeaders`
/// `;`-separated, `presigned` and `sessionTokenUsed` `1`/`0`, `expiresAt` epoch seconds or empty,
/// `regionSet` empty unless SigV4a; `replayKey` and `replayExpiresAtMs` (epoch milliseconds) for a
/// shared replay store (lib/replay-store.js).
pub const IDENTITY_FIELDS: [&str; 13] = [
    "accessKeyId",
    "region",
    "service",
    "signedHeaders",
    "amzDate",
    "presigned",
    "expiresAt",
    "sessionTokenUsed",
    "payloadHash",
    "algorithm",
    "regionSet",
    "replayKey",
    "replayExpiresAtMs",
];

/// A request to verify (`verifyPacked`): these fields, then the headers as received (name/value
/// pairs, their count passed next to the record).
pub const VERIFY_REQUEST_FIELDS: [&str; 2] = ["method", "url"];

/// A request of `libsigv4/aws-sdk` and `libsigv4/aws4fetch` (`sdkSign`), signed exactly as given:
/// these fields, then every header to sign as name/value pairs.
pub const SDK_REQUEST_FIELDS: [&str; 3] = ["method", "url", "amzDate"];

/// The answer of `sdkSign`: `canonicalRequest` and `stringToSign` only when asked for.
pub const SDK_SIGNATURE_FIELDS: [&str; 4] = [
    "signature",
    "signedHeaders",
    "canonicalRequest",
    "stringToSign",
];

/// A request of `libsigv4/aws4` (`aws4Sign`, what aws4's `canonicalString` reads): these fields,
/// then `nQuery` query pairs and `nHeaders` header pairs. `nQuery` is `-` when the path has no
/// query, or `=` when one field follows `nHeaders` instead of the query pairs: a query of
/// `name=value` pairs joined by `&` that needs no decoding (split natively).
pub const AWS4_REQUEST_FIELDS: [&str; 7] = [
    "method",
    "path",
    "datetime",
    "date",
    "accessKeyId",
    "nQuery",
    "nHeaders",
];

/// Every kind of record by name, for the JS side's layout check.
pub const LAYOUTS: [(&str, &[&str]); 6] = [
    ("signedRequest", &SIGNED_REQUEST_FIELDS),
    ("identity", &IDENTITY_FIELDS),
    ("verifyRequest", &VERIFY_REQUEST_FIELDS),
    ("sdkRequest", &SDK_REQUEST_FIELDS),
    ("sdkSignature", &SDK_SIGNATURE_FIELDS),
    ("aws4Request", &AWS4_REQUEST_FIELDS),
];

/// Appends `field`, preceded by the separator unless `out` is empty and `first`.
fn push(out: &mut String, field: &str, first: bool) {
    if !first {
        out.push(SEP);
    }
    out.push_str(field);
}

/// The signed request as a record (see [`SIGNED_REQUEST_FIELDS`]).
pub fn signed_request(s: &SignedRequest) -> String {
    let fields = [
        s.method(),
        s.url(),
        s.signature(),
        s.authorization().unwrap_or(""),
        s.amz_date(),
        s.credential_scope(),
        s.signed_headers(),
        s.canonical_request(),
        s.string_to_sign(),
        s.payload_hash(),
    ];
    let len: usize = fields.iter().map(|f| f.len() + 1).sum::<usize>()
        + s.headers()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum::<usize>();
    let mut out = String::with_capacity(len);
    for (i, f) in fields.iter().enumerate() {
        push(&mut out, f, i == 0);
    }
    if has_repeated_name(s) {
        // One entry per name, values joined as signed (the core's rule): what a JS object, and
        // fetch's or axios' header maps, send is then what the signature covers.
        for (n, v) in s.merged_headers() {
            push(&mut out, n, false);
            push(&mut out, &v, false);
        }
    } else {
        for (n, v) in s.headers() {
            push(&mut out, n, false);
            push(&mut out, v, false);
        }
    }
    out
}

/// Whether a header name occurs twice (in any letter case): a few headers, compared pairwise
/// without allocating (the usual request has none, and keeps the cheaper path).
fn has_repeated_name(s: &SignedRequest) -> bool {
    s.headers().enumerate().any(|(i, (a, _))| {
        s.headers()
            .skip(i + 1)
            .any(|(b, _)| a.eq_ignore_ascii_case(b))
    })
}

/// Appends `n` in decimal (without the formatting machinery: this runs on every verified request).
fn push_integer(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

fn flag(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

/// The verified identity as a record (see [`IDENTITY_FIELDS`]).
pub fn identity(who: &VerifiedIdentity) -> String {
    let mut out = String::new();
    write_identity(
        &mut out,
        IdentityParts {
            access_key_id: &who.access_key_id,
            region: &who.region,
            service: &who.service,
            signed_headers: who.signed_headers.iter().map(String::as_str),
            signing_time: who.signing_time,
            presigned: who.presigned,
            expires_at: who.expires_at,
            session_token_used: who.session_token_used,
            payload_hash: &who.payload_hash,
            algorithm: who.algorithm,
            region_set: who.region_set.as_deref(),
            claim: &who.replay_claim,
        },
    );
    out
}

/// [`identity`] from the borrowed view of
/// [`Verifier::verify_http_with`](crate::Verifier::verify_http_with): the same record, without
/// the owned identity's string copies.
pub fn identity_of_view(who: &IdentityView<'_>) -> String {
    let mut out = String::new();
    identity_of_view_into(&mut out, who);
    out
}

/// [`identity_of_view`] appended to `out` (a batch writes its records into one string).
pub fn identity_of_view_into(out: &mut String, who: &IdentityView<'_>) {
    write_identity(
        out,
        IdentityParts {
            access_key_id: who.access_key_id,
            region: who.region,
            service: who.service,
            signed_headers: who.signed_headers.iter().copied(),
            signing_time: who.signing_time,
            presigned: who.presigned,
            expires_at: who.expires_at,
            session_token_used: who.session_token_used,
            payload_hash: who.payload_hash,
            algorithm: who.algorithm,
            region_set: who.region_set,
            claim: &who.replay_claim(),
        },
    );
}

/// What an identity record is written from, borrowed from either form of the identity.
struct IdentityParts<'a, N> {
    access_key_id: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: N,
    signing_time: SigningTime,
    presigned: bool,
    expires_at: Option<SigningTime>,
    session_token_used: bool,
    payload_hash: &'a str,
    algorithm: SigningAlgorithm,
    region_set: Option<&'a str>,
    claim: &'a ReplayClaim,
}

fn write_identity<'a, N: ExactSizeIterator<Item = &'a str>>(
    out: &mut String,
    who: IdentityParts<'a, N>,
) {
    // Room for the whole record (a 64-digit payload hash and replay key among the fields), so it
    // is written without growing.
    out.reserve(256 + 8 * who.signed_headers.len());
    out.push_str(who.access_key_id);
    push(out, who.region, false);
    push(out, who.service, false);
    out.push(SEP);
    for (i, name) in who.signed_headers.enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    push(out, &who.signing_time.amz_date(), false);
    push(out, flag(who.presigned), false);
    out.push(SEP);
    if let Some(t) = who.expires_at {
        push_integer(out, t.unix());
    }
    push(out, flag(who.session_token_used), false);
    push(out, who.payload_hash, false);
    push(out, who.algorithm.name(), false);
    push(out, who.region_set.unwrap_or(""), false);
    out.push(SEP);
    who.claim.push_key(out);
    out.push(SEP);
    push_integer(out, who.claim.expires_at_millis());
}

/// The answer of `sdkSign` (see [`SDK_SIGNATURE_FIELDS`]); `full` adds the canonical request and
/// the string to sign.
pub fn sdk_signature(s: &ExactSignature, full: bool) -> String {
    let mut out = String::with_capacity(66 + s.signed_headers().len());
    out.push_str(s.signature());
    push(&mut out, s.signed_headers(), false);
    if full {
        push(&mut out, s.canonical_request(), false);
        push(&mut out, s.string_to_sign(), false);
    }
    out
}

/// The fields of `record`, in one pass over its bytes (a `split` pays a searcher set-up per
/// field, and a request has a dozen short ones).
pub fn fields(record: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(32);
    let mut start = 0;
    for (i, &b) in record.as_bytes().iter().enumerate() {
        if b == 0 {
            out.push(&record[start..i]);
            start = i + 1;
        }
    }
    out.push(&record[start..]);
    out
}

/// A field of an escaped record with its escapes resolved (see the module docs).
pub fn unescape(field: &str) -> Cow<'_, str> {
    if !field.contains('\u{1}') {
        return Cow::Borrowed(field);
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1}' {
            out.push(if chars.next() == Some('0') {
                '\0'
            } else {
                '\u{1}'
            });
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `fields` taken two by two.
fn pairs<S: AsRef<str>>(fields: &[S]) -> Vec<(&str, &str)> {
    fields
        .chunks_exact(2)
        .map(|p| (p[0].as_ref(), p[1].as_ref()))
        .collect()
}

fn incomplete() -> Error {
    Error::from_binding(
        ErrorKind::InvalidUrl,
        "request",
        "packed request is incomplete",
    )
}

/// A request read from a record: method, URL (or path and query) and header pairs in order.
#[derive(Debug, PartialEq, Eq)]
pub struct HttpRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The URL, or the path and query.
    pub url: &'a str,
    /// Header pairs as given.
    pub headers: Vec<(&'a str, &'a str)>,
}

/// A request to verify, read from its record (see [`VERIFY_REQUEST_FIELDS`]) with `count` header
/// pairs. A NUL inside a field changes the number of fields and is refused
/// (`InvalidHeaderValue`, as HTTP does not allow it).
pub fn verify_request<'a>(fields: &[&'a str], count: usize) -> Result<HttpRequest<'a>, Error> {
    let [method, url, ..] = fields[..] else {
        return Err(incomplete());
    };
    // No headers: the record may end with the NUL after the URL (an empty third field).
    let rest: &[&str] = match &fields[2..] {
        [""] if count == 0 => &[],
        rest => rest,
    };
    if rest.len() != 2 * count {
        return Err(Error::from_binding(
            ErrorKind::InvalidHeaderValue,
            "headers",
            "a NUL byte in the URL or a header is not valid HTTP",
        ));
    }
    let headers = rest.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    Ok(HttpRequest {
        method,
        url,
        headers,
    })
}

/// Reads an `sdkSign` record (see [`SDK_REQUEST_FIELDS`]) into the request and its `amzDate`; a
/// lone trailing header name gets an empty value.
pub fn sdk_request(record: &str) -> Result<(HttpRequest<'_>, &str), Error> {
    let f = fields(record);
    let [method, url, amz_date, ..] = f[..] else {
        return Err(incomplete());
    };
    let mut headers = Vec::with_capacity(8);
    let mut rest = f[3..].iter();
    while let Some(name) = rest.next() {
        headers.push((*name, rest.next().copied().unwrap_or("")));
    }
    Ok((
        HttpRequest {
            method,
            url,
            headers,
        },
        amz_date,
    ))
}

/// An `aws4Sign` request read from its record (see [`AWS4_REQUEST_FIELDS`]).
pub struct Aws4Fields<'a> {
    /// The method.
    pub method: &'a str,
    /// The path, without its query.
    pub path: &'a str,
    /// `X-Amz-Date`'s value (aws4's `getDateTime()`).
    pub datetime: &'a str,
    /// The scope's date.
    pub date: &'a str,
    /// The access key id (for the `Authorization` value and the credential; may be empty when
    /// only the signature is asked for).
    pub access_key_id: &'a str,
    /// Query pairs, `None` when the path has none.
    pub query: Option<Vec<(&'a str, &'a str)>>,
    /// Header pairs.
    pub headers: Vec<(&'a str, &'a str)>,
}

fn count(field: &str) -> Option<Option<usize>> {
    match field {
        "-" => Some(None),
        n => n.parse().ok().map(Some),
    }
}

/// Reads an `aws4Sign` record from its fields (unescaped by the caller when escaped); `None` when
/// the fields do not match their counts (the JS side then sends the record escaped).
pub fn aws4_request<S: AsRef<str>>(fields: &[S]) -> Option<Aws4Fields<'_>> {
    let field = |i: usize| fields.get(i).map(AsRef::as_ref);
    let fixed = AWS4_REQUEST_FIELDS.len();
    let raw_query = field(fixed - 2)? == "=";
    let nq = if raw_query {
        None
    } else {
        count(field(fixed - 2)?)?
    };
    let nh = count(field(fixed - 1)?)??;
    let first = fixed + usize::from(raw_query);
    let nq_pairs = nq.unwrap_or(0);
    if fields.len() != first + 2 * (nq_pairs + nh) {
        return None;
    }
    let (query_fields, header_fields) = fields[first..].split_at(2 * nq_pairs);
    let query = if raw_query {
        Some(
            field(fixed)?
                .split('&')
                .map(|p| p.split_once('=').unwrap_or((p, "")))
                .collect(),
        )
    } else {
        nq.map(|_| pairs(query_fields))
    };
    Some(Aws4Fields {
        method: field(0)?,
        path: field(1)?,
        datetime: field(2)?,
        date: field(3)?,
        access_key_id: field(4)?,
        query,
        headers: pairs(header_fields),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_on_every_nul() {
        assert_eq!(fields("a\x00\x00b\x00"), ["a", "", "b", ""]);
        assert_eq!(fields(""), [""]);
    }

    #[test]
    fn unescape_reverses_the_js_escape() {
        assert_eq!(unescape("a\u{1}0b\u{1}1c"), "a\x00b\u{1}c");
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn verify_request_counts_pairs() {
        let f = fields("GET\x00/\x00host\x00h");
        let r = verify_request(&f, 1).ok();
        let want = HttpRequest {
            method: "GET",
            url: "/",
            headers: vec![("host", "h")],
        };
        assert_eq!(r, Some(want));
        let f = fields("GET\x00/\x00");
        assert_eq!(verify_request(&f, 0).map(|r| r.headers.len()).ok(), Some(0));
        // A NUL inside a value adds a field: refused, not re-paired.
        let f = fields("GET\x00/\x00host\x00h\x00x");
        let e = verify_request(&f, 1).err().map(|e| e.kind());
        assert_eq!(e, Some(ErrorKind::InvalidHeaderValue));
        assert!(verify_request(&fields("GET"), 0).is_err());
    }

    #[test]
    fn sdk_request_reads_pairs() {
        let r = sdk_request("GET\x00/p?q=1\x0020150830T123600Z\x00host\x00h\x00x-a").ok();
        let want = HttpRequest {
            method: "GET",
            url: "/p?q=1",
            headers: vec![("host", "h"), ("x-a", "")],
        };
        assert_eq!(r, Some((want, "20150830T123600Z")));
        assert!(sdk_request("GET\x00/").is_err());
    }

    #[test]
    fn aws4_request_counts_query_and_headers() {
        let f = fields("GET\x00/p\x00D T\x00D\x00AKID\x001\x001\x00a\x00b\x00host\x00h");
        let r = aws4_request(&f).map(|r| (r.query, r.headers));
        assert_eq!(r, Some((Some(vec![("a", "b")]), vec![("host", "h")])));
        let f = fields("GET\x00/p\x00DT\x00D\x00AKID\x00-\x000");
        let r = aws4_request(&f).map(|r| (r.query, r.headers.len()));
        assert_eq!(r, Some((None, 0)));
        let f = fields("GET\x00/p\x00DT\x00D\x00AKID\x00=\x000\x00a=1&b");
        let r = aws4_request(&f).and_then(|r| r.query);
        assert_eq!(r, Some(vec![("a", "1"), ("b", "")]));
        // A NUL inside a field: the counts do not match.
        assert!(aws4_request(&fields(
            "GET\x00/p\x00DT\x00D\x00AKID\x00-\x001\x00host\x00h\x00x"
        ))
        .is_none());
        assert!(aws4_request(&fields("GET\x00/p")).is_none());
    }

    #[test]
    fn integers_in_decimal() {
        for n in [0, 7, 10, 1_440_941_760, -1, -86_400, i64::MAX, i64::MIN] {
            let mut out = String::from("x");
            push_integer(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn layouts_name_every_field_once() {
        for (kind, names) in LAYOUTS {
            let mut seen: Vec<&str> = names.to_vec();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), names.len(), "{kind}");
        }
    }
}
