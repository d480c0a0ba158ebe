//! What a signing returns: what to send, and the intermediate texts for inspection.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use zeroize::Zeroizing;

/// A signed request: the URL and headers to send, plus the values SigV4 computed.
///
/// `Debug` redacts the session token wherever it appears (headers, URL, canonical request).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub(crate) method: Cow<'static, str>,
    /// Every text output in one allocation; the ranges below say where each one is.
    pub(crate) text: String,
    pub(crate) url: Range<usize>,
    pub(crate) headers: Vec<(String, String)>,
    /// Index of the `Authorization` header in `headers` (header signing only).
    pub(crate) authorization_at: Option<usize>,
    pub(crate) signature: [u8; 64],
    /// A SigV4a signature (DER, hex; longer than 64 digits), in place of `signature`.
    pub(crate) long_signature: Option<String>,
    pub(crate) amz_date: [u8; 16],
    /// `AKID/date/region/service/aws4_request`; the scope starts at `scope_start`.
    pub(crate) credential: Range<usize>,
    pub(crate) scope_start: usize,
    pub(crate) signed_headers: Range<usize>,
    pub(crate) canonical_request: Range<usize>,
    pub(crate) string_to_sign: Range<usize>,
    pub(crate) payload_hash: Cow<'static, str>,
    pub(crate) redact: Option<Zeroizing<String>>,
}

fn ascii(bytes: &[u8]) -> &str {
    // Always hex digits or the amz-date alphabet, so never the empty fallback.
    std::str::from_utf8(bytes).unwrap_or("")
}

impl SignedRequest {
    /// The HTTP method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The URL to send: as given for header signing; with the `X-Amz-*` parameters for presigning.
    pub fn url(&self) -> &str {
        &self.text[self.url.clone()]
    }

    /// Every header to send, in order: the caller's (minus any replaced) then the ones SigV4 adds.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The `Authorization` header value (`None` for a presigned URL).
    pub fn authorization(&self) -> Option<&str> {
        self.authorization_at
            .and_then(|i| self.headers.get(i))
            .map(|(_, v)| v.as_str())
    }

    /// The signature: 64 lowercase hex digits (SigV4), or a hex DER ECDSA signature (SigV4a).
    pub fn signature(&self) -> &str {
        match &self.long_signature {
            Some(long) => long,
            None => ascii(&self.signature),
        }
    }

    /// The signing time as `YYYYMMDDTHHMMSSZ`.
    pub fn amz_date(&self) -> &str {
        ascii(&self.amz_date)
    }

    /// `date/region/service/aws4_request`.
    pub fn credential_scope(&self) -> &str {
        &self.text[self.scope_start..self.credential.end]
    }

    /// `AKID/date/region/service/aws4_request`, the `Credential` of the signature.
    pub fn credential(&self) -> &str {
        &self.text[self.credential.clone()]
    }

    /// The signed header names, `;`-separated.
    pub fn signed_headers(&self) -> &str {
        &self.text[self.signed_headers.clone()]
    }

    /// The canonical request that was signed (compare it with AWS's when a signature does not match).
    pub fn canonical_request(&self) -> &str {
        &self.text[self.canonical_request.clone()]
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.text[self.string_to_sign.clone()]
    }

    /// The payload hash used (a hex SHA-256 or a sentinel such as `UNSIGNED-PAYLOAD`).
    pub fn payload_hash(&self) -> &str {
        &self.payload_hash
    }

    /// Consumes the result, returning the URL and the headers to send.
    pub fn into_parts(self) -> (String, Vec<(String, String)>) {
        (self.text[self.url].to_owned(), self.headers)
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

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case("x-amz-security-token") {
                    (n.clone(), "** redacted **".to_owned())
                } else {
                    (n.clone(), self.redacted(v))
                }
            })
            .collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
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
