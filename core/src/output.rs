//! What a signing returns: what to send, and the intermediate texts for inspection.

use std::borrow::Cow;
use std::ffi::CStr;
use std::fmt;
use std::iter::FusedIterator;
use std::ops::Range;

use zeroize::{Zeroize, Zeroizing};

use crate::canonical::trim_value;

/// A signed request: the URL and headers to send, plus the values SigV4 computed.
///
/// Every text is stored once, in one buffer, followed by a NUL byte: reading an output never
/// allocates, and [`SignedRequest::as_c_str`] lends any of them to C without a copy.
/// `Debug` redacts the session token wherever it appears (headers, URL, canonical request); when
/// the credentials had a session token, the buffer is wiped when the result is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Every text output, each followed by a NUL; the ranges below say where each one is.
    pub(crate) text: String,
    pub(crate) method: Range<usize>,
    pub(crate) url: Range<usize>,
    pub(crate) headers: Vec<HeaderSpan>,
    /// Index of the `Authorization` header in `headers` (header signing only).
    pub(crate) authorization_at: Option<usize>,
    /// Index of the first header SigV4 added (the caller's come before it).
    pub(crate) added_at: usize,
    pub(crate) signature: Range<usize>,
    pub(crate) amz_date: Range<usize>,
    /// `AKID/date/region/service/aws4_request`; the scope starts at `scope_start`.
    pub(crate) credential: Range<usize>,
    pub(crate) scope_start: usize,
    pub(crate) signed_headers: Range<usize>,
    pub(crate) canonical_request: Range<usize>,
    pub(crate) string_to_sign: Range<usize>,
    pub(crate) payload_hash: Range<usize>,
    pub(crate) redact: Option<Zeroizing<String>>,
}

/// Where a header's name and value are in a [`SignedRequest`]'s buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HeaderSpan {
    pub(crate) name: Range<usize>,
    pub(crate) value: Range<usize>,
}

/// Appends `piece` and its NUL to `text`, returning where `piece` went.
pub(crate) fn push_field(text: &mut String, piece: &str) -> Range<usize> {
    let start = text.len();
    text.push_str(piece);
    let range = start..text.len();
    text.push('\0');
    range
}

/// Ends the field that started at `start` (written piece by piece) with its NUL.
pub(crate) fn end_field(text: &mut String, start: usize) -> Range<usize> {
    let range = start..text.len();
    text.push('\0');
    range
}

impl SignedRequest {
    fn at(&self, range: &Range<usize>) -> &str {
        &self.text[range.clone()]
    }

    /// The HTTP method.
    pub fn method(&self) -> &str {
        self.at(&self.method)
    }

    /// The URL to send: as given for header signing; with the `X-Amz-*` parameters for presigning.
    pub fn url(&self) -> &str {
        self.at(&self.url)
    }

    /// Every header to send, in order, as `(name, value)`: the caller's (minus any replaced), then
    /// the ones SigV4 adds.
    pub fn headers(&self) -> Headers<'_> {
        Headers {
            request: self,
            spans: self.headers.iter(),
        }
    }

    /// The headers the signing added, in order — `Host` when the URL gave it, `X-Amz-Security-Token`,
    /// `X-Amz-Date`, `X-Amz-Region-Set` (SigV4a), `x-amz-content-sha256` when signed, `Authorization`
    /// — to set on a request that already carries the caller's own headers (what the requests and
    /// httpx integrations do). Each replaces any header of the same name, in any letter case.
    pub fn added_headers(&self) -> Headers<'_> {
        Headers {
            request: self,
            spans: self.headers[self.added_at.min(self.headers.len())..].iter(),
        }
    }

    /// Every header to send, one per name, for HTTP clients that hold headers in a map (a Python
    /// dict, a JS object, requests' and fetch's header maps): a name given more than once (in any
    /// letter case; the first spelling is kept) has its values trimmed and joined with `,` — exactly
    /// the value the signature covers, so the server reads back what was signed. (Joining with
    /// `", "`, as maps usually do, would send a value the signature does not cover.)
    pub fn merged_headers(&self) -> Vec<(&str, Cow<'_, str>)> {
        let mut out: Vec<(&str, Cow<'_, str>)> = Vec::with_capacity(self.headers.len());
        // A linear search, not a map: a signed request has a handful of headers (the caller's own),
        // where comparing names beats allocating and hashing a lowercase key per header, and it
        // keeps a hash map's code out of the WebAssembly build (size limit, issue 16).
        for (name, value) in self.headers() {
            match out.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
                Some(at) => {
                    let joined = &mut out[at].1;
                    if let Cow::Borrowed(first) = *joined {
                        *joined = Cow::Owned(trim_value(first).into_owned());
                    }
                    let joined = joined.to_mut();
                    joined.push(',');
                    joined.push_str(&trim_value(value));
                }
                None => out.push((name, Cow::Borrowed(value))),
            }
        }
        out
    }

    /// Header number `index` of [`SignedRequest::headers`].
    pub fn header(&self, index: usize) -> Option<(&str, &str)> {
        self.headers
            .get(index)
            .map(|h| (self.at(&h.name), self.at(&h.value)))
    }

    /// The `Authorization` header value (`None` for a presigned URL).
    pub fn authorization(&self) -> Option<&str> {
        self.authorization_at
            .and_then(|i| self.header(i))
            .map(|(_, value)| value)
    }

    /// The signature: 64 lowercase hex digits (SigV4), or a hex DER ECDSA signature (SigV4a).
    pub fn signature(&self) -> &str {
        self.at(&self.signature)
    }

    /// The signing time as `YYYYMMDDTHHMMSSZ`.
    pub fn amz_date(&self) -> &str {
        self.at(&self.amz_date)
    }

    /// `date/region/service/aws4_request`.
    pub fn credential_scope(&self) -> &str {
        &self.text[self.scope_start..self.credential.end]
    }

    /// `AKID/date/region/service/aws4_request`, the `Credential` of the signature.
    pub fn credential(&self) -> &str {
        self.at(&self.credential)
    }

    /// The signed header names, `;`-separated.
    pub fn signed_headers(&self) -> &str {
        self.at(&self.signed_headers)
    }

    /// The canonical request that was signed (compare it with AWS's when a signature does not match).
    pub fn canonical_request(&self) -> &str {
        self.at(&self.canonical_request)
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        self.at(&self.string_to_sign)
    }

    /// The payload hash used (a hex SHA-256 or a sentinel such as `UNSIGNED-PAYLOAD`).
    pub fn payload_hash(&self) -> &str {
        self.at(&self.payload_hash)
    }

    /// `text`, which must be one of this result's outputs (a value returned by one of its methods,
    /// or a header name or value), as the C string it is stored as: its bytes and the NUL after
    /// them, borrowed, no copy. `None` for any other text.
    ///
    /// For C bindings, which hand out `const char *` that C code may print with `%s`.
    pub fn as_c_str<'a>(&'a self, text: &'a str) -> Option<&'a CStr> {
        let base = self.text.as_ptr() as usize;
        let start = (text.as_ptr() as usize).checked_sub(base)?;
        let end = start.checked_add(text.len())?;
        let with_nul = self.text.as_bytes().get(start..=end)?;
        // Only the NUL the buffer put after every output ends the C string: outputs never contain
        // one (URLs, headers and credentials with a NUL are rejected before signing).
        CStr::from_bytes_with_nul(with_nul).ok()
    }

    /// Consumes the result, returning the URL and the headers to send.
    pub fn into_parts(self) -> (String, Vec<(String, String)>) {
        (self.url().to_owned(), self.headers().to_vec())
    }

    fn redacted(&self, text: &str) -> String {
        match &self.redact {
            Some(token) if !token.is_empty() => {
                let encoded = crate::encode::encode(token);
                text.replace(token.as_str(), "** redacted **")
                    .replace(encoded.as_str(), "** redacted **")
            }
            _ => text.to_owned(),
        }
    }
}

impl Drop for SignedRequest {
    fn drop(&mut self) {
        if self.redact.is_some() {
            // The URL, headers and canonical request may hold the session token.
            self.text.zeroize();
        }
    }
}

/// The headers of a [`SignedRequest`], in order, as `(name, value)`.
#[derive(Clone)]
pub struct Headers<'a> {
    request: &'a SignedRequest,
    spans: std::slice::Iter<'a, HeaderSpan>,
}

impl Headers<'_> {
    /// The remaining headers as owned `(name, value)` pairs.
    pub fn to_vec(&self) -> Vec<(String, String)> {
        self.clone()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()
    }
}

impl<'a> Iterator for Headers<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let request = self.request;
        self.spans
            .next()
            .map(|h| (request.at(&h.name), request.at(&h.value)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.spans.size_hint()
    }
}

impl DoubleEndedIterator for Headers<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let request = self.request;
        self.spans
            .next_back()
            .map(|h| (request.at(&h.name), request.at(&h.value)))
    }
}

impl ExactSizeIterator for Headers<'_> {}

impl FusedIterator for Headers<'_> {}

impl fmt::Debug for Headers<'_> {
    /// Names only: values may hold the session token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.clone().map(|(name, _)| name))
            .finish()
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, String)> = self
            .headers()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case("x-amz-security-token") {
                    (n, "** redacted **".to_owned())
                } else {
                    (n, self.redacted(v))
                }
            })
            .collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method())
            .field("url", &self.redacted(self.url()))
            .field("headers", &headers)
            .field("signature", &self.signature())
            .field("amz_date", &self.amz_date())
            .field("credential_scope", &self.credential_scope())
            .field("signed_headers", &self.signed_headers())
            .field(
                "canonical_request",
                &self.redacted(self.canonical_request()),
            )
            .field("string_to_sign", &self.string_to_sign())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use crate::{Body, Credentials, Request, Signer, SigningTime};

    fn signed(presign: bool) -> super::SignedRequest {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", Some("token".into())).unwrap();
        let signer = Signer::new(creds, "us-east-1", "service").unwrap();
        let headers = [("X-A", "1"), ("X-B", "")];
        let req =
            Request::new("GET", "https://h.example/p?q=1", &headers, Body::default()).unwrap();
        let time = SigningTime::from_unix(1_440_938_160).unwrap();
        if presign {
            signer.presign(&req, time, 60).unwrap()
        } else {
            signer.sign(&req, time).unwrap()
        }
    }

    #[test]
    fn every_output_is_lent_as_the_c_string_of_its_own_bytes() {
        for presign in [false, true] {
            let s = signed(presign);
            let mut texts = vec![
                s.method(),
                s.url(),
                s.signature(),
                s.amz_date(),
                s.credential_scope(),
                s.credential(),
                s.signed_headers(),
                s.canonical_request(),
                s.string_to_sign(),
                s.payload_hash(),
            ];
            texts.extend(s.authorization());
            for (name, value) in s.headers() {
                texts.extend([name, value]);
            }
            for text in texts {
                let c = s.as_c_str(text).expect("an output is NUL-terminated");
                assert_eq!(c.to_bytes(), text.as_bytes());
            }
            // Not one of its outputs: a copy, or a piece that is not followed by the NUL.
            let copy = s.url().to_owned();
            assert!(s.as_c_str(&copy).is_none());
            assert!(s.as_c_str(&s.url()[..3]).is_none());
        }
    }

    #[test]
    fn headers_iterate_in_order_both_ways_and_by_index() {
        let s = signed(false);
        let names: Vec<&str> = s.headers().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "X-A",
                "X-B",
                "Host",
                "X-Amz-Security-Token",
                "X-Amz-Date",
                "Authorization"
            ]
        );
        assert_eq!(s.headers().len(), names.len());
        let backwards: Vec<&str> = s.headers().rev().map(|(n, _)| n).collect();
        assert_eq!(backwards.iter().rev().copied().collect::<Vec<_>>(), names);
        assert_eq!(s.header(2), Some(("Host", "h.example")));
        assert_eq!(s.header(names.len()), None);
        assert_eq!(s.headers().to_vec()[0], ("X-A".to_owned(), "1".to_owned()));
        assert_eq!(s.authorization(), s.header(5).map(|(_, v)| v));
        // Header values may hold the session token: Debug of the iterator shows names only.
        assert!(!format!("{:?}", s.headers()).contains("token"));
    }
}
