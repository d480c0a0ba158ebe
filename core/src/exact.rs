//! Signing a request exactly as given: the caller picks every signed header.
//!
//! [`crate::sign`] decides which headers to sign (it drops hop-by-hop ones and adds `Host`,
//! `X-Amz-Date` and friends). Compatibility layers that must reproduce another signer's choice
//! (the `aws4` drop-in of the Node package signs the headers `aws4` picks, with the `X-Amz-*`
//! query parameters `aws4` writes) need the canonical request of exactly what they pass.

use std::borrow::Cow;
use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::authorization::push_scope;
use crate::canonical::{
    canonical_header, sort_and_merge, write_canonical_request, write_signed_headers,
    write_string_to_sign, CanonicalInput,
};
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{push_hex, write_hex32, PayloadHasher, EMPTY_SHA256};
use crate::key::SigningKey;
use crate::output::end_field;
use crate::request::{Body, Request};
use crate::scope::{validate_region, validate_region_set, validate_service};
use crate::sentinel::PayloadSentinel;
use crate::settings::{SigningAlgorithm, SigningSettings};
use crate::sign::is_hex64;
use crate::sigv4a::{EcdsaKey, EcdsaKeyCache, SIGV4A_ALGORITHM};
use crate::time::SigningTime;
use crate::{Credentials, KeyCache};

/// The result of [`sign_exact`]: the signature and the texts it was computed from, all in one
/// buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactSignature {
    text: String,
    signature: Range<usize>,
    amz_date: Range<usize>,
    credential_scope: Range<usize>,
    signed_headers: Range<usize>,
    canonical_request: Range<usize>,
    string_to_sign: Range<usize>,
}

impl ExactSignature {
    /// The signature: 64 lowercase hex digits (SigV4), or the lowercase hex of the DER ECDSA
    /// signature (SigV4a).
    pub fn signature(&self) -> &str {
        &self.text[self.signature.clone()]
    }

    /// The signing time, `YYYYMMDDTHHMMSSZ`.
    pub fn amz_date(&self) -> &str {
        &self.text[self.amz_date.clone()]
    }

    /// `date/region/service/aws4_request`.
    pub fn credential_scope(&self) -> &str {
        &self.text[self.credential_scope.clone()]
    }

    /// The signed header names, `;`-separated.
    pub fn signed_headers(&self) -> &str {
        &self.text[self.signed_headers.clone()]
    }

    /// The canonical request.
    pub fn canonical_request(&self) -> &str {
        &self.text[self.canonical_request.clone()]
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.text[self.string_to_sign.clone()]
    }
}

fn is_payload_token(s: &str) -> bool {
    // The SigV4 literals only: exact signing is aws4's, which has no SigV4a.
    is_hex64(s)
        || PayloadSentinel::find(s).is_some_and(|p| p.algorithm != Some(SigningAlgorithm::Sigv4a))
}

/// The payload line: the SHA-256 of the body, or the caller's hash or sentinel.
fn exact_payload<'a>(body: Body<'a>) -> Result<Cow<'a, str>> {
    match body {
        Body::Bytes([]) => Ok(Cow::Borrowed(EMPTY_SHA256)),
        Body::Bytes(bytes) => {
            let mut hasher = PayloadHasher::new();
            hasher.update(bytes);
            Ok(Cow::Owned(hasher.finish_hex()))
        }
        Body::Precomputed(given) if is_payload_token(given) => {
            if given.starts_with(['U', 'S']) || !given.bytes().any(|b| b.is_ascii_uppercase()) {
                Ok(Cow::Borrowed(given))
            } else {
                Ok(Cow::Owned(given.to_ascii_lowercase()))
            }
        }
        Body::Precomputed(_) => Err(Error::arg(
            ErrorKind::InvalidPayloadHash,
            "payload_hash",
            "payload_hash must be 64 hex digits (a SHA-256) or a STREAMING-/UNSIGNED- sentinel",
        )),
    }
}

/// Appends one text (written by `write`) and its NUL to `text`, returning where it went.
fn field(text: &mut String, write: impl FnOnce(&mut String)) -> Range<usize> {
    let start = text.len();
    write(text);
    end_field(text, start)
}

/// Signs `request` exactly: every header of the request is signed (none dropped, none added —
/// names lowercased, values trimmed, repeats joined with `,`), the path and query are
/// canonicalised with `settings`' encoding rules (any `X-Amz-*` query parameters the caller put
/// in the URL are signed like the others; `X-Amz-Signature` never is), and the payload line is
/// the SHA-256 of a [`Body::Bytes`] body or the hex hash / sentinel (`UNSIGNED-PAYLOAD`,
/// `STREAMING-...`) given as [`Body::Precomputed`].
///
/// `settings.payload`, `content_sha256_header`, `session_token_mode` and `unsigned_headers` do
/// not apply here: the caller decides. A `Host` header must be among the headers when the URL is
/// a bare path; for an absolute URL without one, the URL's host is signed.
pub fn sign_exact(
    request: &Request<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SigningTime,
    settings: &SigningSettings,
    cache: Option<&KeyCache>,
) -> Result<ExactSignature> {
    validate_region(region)?;
    validate_service(service)?;
    exact(
        request,
        region,
        service,
        time,
        settings,
        ExactKey::Hmac(credentials, cache),
    )
}

/// [`sign_exact`] with SigV4a (`AWS4-ECDSA-P256-SHA256`): `region_set` (`"*"`,
/// `"us-east-1,us-west-2"`) is left out of the credential scope (`date/service/aws4_request`) and
/// the signature is the hex DER of the ECDSA signature of the string to sign. As in
/// [`sign_exact`] nothing is added: an `X-Amz-Region-Set` header (or query parameter) is signed
/// only when the caller passes it.
pub fn sign_exact_v4a(
    request: &Request<'_>,
    credentials: &Credentials,
    region_set: &str,
    service: &str,
    time: SigningTime,
    settings: &SigningSettings,
    cache: &EcdsaKeyCache,
) -> Result<ExactSignature> {
    validate_region_set(region_set)?;
    validate_service(service)?;
    let key = cache.key(credentials)?;
    exact(
        request,
        region_set,
        service,
        time,
        settings,
        ExactKey::Ecdsa(&key),
    )
}

/// What signs the string to sign.
enum ExactKey<'a> {
    /// SigV4: the HMAC key derived from the secret (through the cache when given).
    Hmac(&'a Credentials, Option<&'a KeyCache>),
    /// SigV4a: the ECDSA key.
    Ecdsa(&'a EcdsaKey),
}

fn exact(
    request: &Request<'_>,
    region: &str,
    service: &str,
    time: SigningTime,
    settings: &SigningSettings,
    key: ExactKey<'_>,
) -> Result<ExactSignature> {
    // SigV4a's scope has no region.
    let scope_region = match key {
        ExactKey::Hmac(..) => Some(region),
        ExactKey::Ecdsa(_) => None,
    };
    let mut headers = Vec::with_capacity(request.headers.len() + 1);
    let mut has_host = false;
    for &(name, value) in request.headers {
        let header = canonical_header(name, value)?;
        has_host |= header.name == "host";
        headers.push(header);
    }
    if !has_host {
        let host = request.authority.ok_or_else(|| {
            Error::arg(
                ErrorKind::InvalidUrl,
                "url",
                "no host: give an absolute URL (https://host/path) or a Host header",
            )
        })?;
        headers.push(canonical_header("host", host)?);
    }
    sort_and_merge(&mut headers);
    let payload = exact_payload(request.body)?;

    let mut amz_date_buf = [0u8; 16];
    time.write_amz_date(&mut amz_date_buf);
    let amz_date = std::str::from_utf8(&amz_date_buf).unwrap_or("");
    let date_stamp = &amz_date[..8];

    // One buffer, each text followed by a NUL (as in `SignedRequest`): date, scope, signed
    // headers, canonical request, string to sign, signature.
    let names_len: usize = headers.iter().map(|h| h.name.len() + 1).sum();
    let values_len: usize = headers.iter().map(|h| h.value.len() + 2).sum();
    let mut text = String::with_capacity(
        2 * (region.len() + service.len())
            + 3 * names_len
            + values_len
            + request.method.len()
            + 3 * request.path.len()
            + 2 * request.query.len()
            + payload.len()
            + 280,
    );
    let amz_date_range = field(&mut text, |t| t.push_str(amz_date));
    let credential_scope = field(&mut text, |t| {
        push_scope(t, date_stamp, scope_region, service)
    });
    let signed_headers = field(&mut text, |t| write_signed_headers(t, &headers));
    let canonical_request = field(&mut text, |t| {
        write_canonical_request(
            t,
            &CanonicalInput {
                method: request.method,
                path: request.path,
                query: request.query,
                extra_query: &[],
                headers: &headers,
                payload_hash: &payload,
                uri_encoding: settings.uri_encoding,
                path_normalization: settings.path_normalization,
                query_encoding: settings.query_encoding,
            },
        )
    });
    let canonical_hash = Sha256::digest(text[canonical_request.clone()].as_bytes());
    let (algorithm, scope_parts) = match scope_region {
        Some(region) => ("AWS4-HMAC-SHA256", [region, service]),
        None => (SIGV4A_ALGORITHM, [service, ""]),
    };
    let parts: &[&str] = if scope_region.is_some() {
        &scope_parts
    } else {
        &scope_parts[..1]
    };
    let string_to_sign = field(&mut text, |t| {
        write_string_to_sign(t, algorithm, amz_date, parts, &canonical_hash)
    });
    let signature = match key {
        ExactKey::Hmac(credentials, cache) => {
            let key = match cache {
                Some(cache) => cache.signing_key(credentials, time, region, service),
                None => {
                    SigningKey::derive(credentials.secret_access_key(), date_stamp, region, service)
                }
            };
            let mut hex = [0u8; 64];
            write_hex32(&key.sign(text[string_to_sign.clone()].as_bytes()), &mut hex);
            field(&mut text, |t| {
                t.push_str(std::str::from_utf8(&hex).unwrap_or(""))
            })
        }
        ExactKey::Ecdsa(key) => {
            let der = key.sign_der(text[string_to_sign.clone()].as_bytes());
            field(&mut text, |t| push_hex(t, &der))
        }
    };
    Ok(ExactSignature {
        text,
        signature,
        amz_date: amz_date_range,
        credential_scope,
        signed_headers,
        canonical_request,
        string_to_sign,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        )
        .unwrap()
    }

    #[test]
    fn matches_the_suite_when_given_the_same_headers() {
        // get-vanilla-query-order-key-case from the AWS suite, X-Amz-Date given by the caller.
        let headers = [
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", "20150830T123600Z"),
        ];
        let request = Request::new(
            "GET",
            "/?Param2=value2&Param1=value1",
            &headers,
            Body::Bytes(b""),
        )
        .unwrap();
        let time = SigningTime::parse("20150830T123600Z").unwrap();
        let settings = SigningSettings::for_service("service");
        let out = sign_exact(
            &request,
            &creds(),
            "us-east-1",
            "service",
            time,
            &settings,
            None,
        )
        .unwrap();
        assert_eq!(
            out.signature(),
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        );
        assert_eq!(out.signed_headers(), "host;x-amz-date");
        assert_eq!(out.amz_date(), "20150830T123600Z");
        assert_eq!(
            out.credential_scope(),
            "20150830/us-east-1/service/aws4_request"
        );
    }

    #[test]
    fn signs_every_header_given_and_adds_none() {
        let headers = [
            ("Host", "h"),
            ("Transfer-Encoding", "chunked"),
            ("user-agent", "x"),
        ];
        let request =
            Request::new("GET", "/", &headers, Body::Precomputed("UNSIGNED-PAYLOAD")).unwrap();
        let time = SigningTime::from_unix(0).unwrap();
        let out = sign_exact(
            &request,
            &creds(),
            "r",
            "s",
            time,
            &SigningSettings::default(),
            None,
        )
        .unwrap();
        assert_eq!(out.signed_headers(), "host;transfer-encoding;user-agent");
        assert!(out.canonical_request().ends_with("\nUNSIGNED-PAYLOAD"));
        let bad = Request::new("GET", "/", &headers, Body::Precomputed("nothex")).unwrap();
        let err = sign_exact(
            &bad,
            &creds(),
            "r",
            "s",
            time,
            &SigningSettings::default(),
            None,
        )
        .unwrap_err();
        assert_eq!(err.code(), "InvalidPayloadHash");
    }

    #[test]
    fn sigv4a_matches_the_aws_suite_when_given_the_same_headers() {
        // v4a/get-vanilla (header form) from the AWS suite: the caller passes X-Amz-Date and
        // X-Amz-Region-Set as the suite's signed request carries them.
        const DIR: &str = "../tests/vectors/aws-signing-test-suite/v4a/get-vanilla/";
        let headers = [
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("X-Amz-Region-Set", "us-east-1"),
        ];
        let request = Request::new("GET", "/", &headers, Body::Bytes(b"")).unwrap();
        let time = SigningTime::parse("20150830T123600Z").unwrap();
        let out = sign_exact_v4a(
            &request,
            &creds(),
            "us-east-1",
            "service",
            time,
            &SigningSettings::for_service("service"),
            &EcdsaKeyCache::new(1),
        )
        .unwrap();
        let read = |f: &str| std::fs::read_to_string(format!("{DIR}{f}")).unwrap();
        assert_eq!(
            out.canonical_request(),
            read("header-canonical-request.txt")
        );
        assert_eq!(out.string_to_sign(), read("header-string-to-sign.txt"));
        assert_eq!(out.credential_scope(), "20150830/service/aws4_request");
        // The suite's public key (not ours) accepts our signature.
        let unhex = |t: &str| -> [u8; 32] {
            let v: Vec<u8> = (0..64)
                .step_by(2)
                .map(|i| u8::from_str_radix(&t[i..i + 2], 16).unwrap())
                .collect();
            v.try_into().unwrap()
        };
        let public = crate::EcdsaPublicKey::from_coordinates(
            &unhex("b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1"),
            &unhex("865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518"),
        )
        .unwrap();
        let der: Vec<u8> = (0..out.signature().len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&out.signature()[i..i + 2], 16).unwrap())
            .collect();
        assert!(public.verify_der(out.string_to_sign().as_bytes(), &der));
        let bad = sign_exact_v4a(
            &request,
            &creds(),
            "us-east-1,",
            "service",
            time,
            &SigningSettings::default(),
            &EcdsaKeyCache::new(1),
        )
        .unwrap_err();
        assert_eq!(bad.code(), "InvalidRegion");
    }
}
