//! Signing a request exactly as given: the caller picks every signed header.
//!
//! [`crate::sign`] decides which headers to sign (it drops hop-by-hop ones and adds `Host`,
//! `X-Amz-Date` and friends). Compatibility layers that must reproduce another signer's choice
//! (the `aws4` drop-in of the Node package signs the headers `aws4` picks, with the `X-Amz-*`
//! query parameters `aws4` writes) need the canonical request of exactly what they pass.

use crate::canonical::{
    canonical_header, canonical_request, push_hex, signed_headers_list, sort_and_merge,
    string_to_sign, CanonicalInput, PayloadHasher,
};
use crate::error::{Error, ErrorKind, Result};
use crate::key::SigningKey;
use crate::request::{Body, Request};
use crate::settings::SigningSettings;
use crate::sign::{validate_region, validate_service};
use crate::time::SigningTime;
use crate::{Credentials, KeyCache};

/// The result of [`sign_exact`]: the signature and the texts it was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactSignature {
    /// The signature, 64 lowercase hex digits.
    pub signature: String,
    /// `YYYYMMDDTHHMMSSZ`.
    pub amz_date: String,
    /// `date/region/service/aws4_request`.
    pub credential_scope: String,
    /// The signed header names, `;`-separated.
    pub signed_headers: String,
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

fn is_payload_token(s: &str) -> bool {
    (s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        || matches!(
            s,
            "UNSIGNED-PAYLOAD"
                | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
                | "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
                | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
        )
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
    let signed_headers = signed_headers_list(&headers);

    let payload =
        match request.body {
            Body::Bytes(bytes) => {
                let mut hasher = PayloadHasher::new();
                hasher.update(bytes);
                hasher.finish_hex()
            }
            Body::Precomputed(given) if is_payload_token(given) => {
                if given.starts_with(['U', 'S']) {
                    given.to_owned()
                } else {
                    given.to_ascii_lowercase()
                }
            }
            Body::Precomputed(_) => return Err(Error::arg(
                ErrorKind::InvalidPayloadHash,
                "payload_hash",
                "payload_hash must be 64 hex digits (a SHA-256) or a STREAMING-/UNSIGNED- sentinel",
            )),
        };

    let amz_date = time.amz_date();
    let date_stamp = &amz_date[..8];
    let credential_scope = format!("{date_stamp}/{region}/{service}/aws4_request");
    let canonical = canonical_request(
        &CanonicalInput {
            method: request.method,
            path: request.path,
            query: request.query,
            extra_query: &[],
            headers: &headers,
            payload_hash: &payload,
            uri_encoding: settings.uri_encoding,
            path_normalization: settings.path_normalization,
        },
        &signed_headers,
    );
    let sts = string_to_sign(&amz_date, &credential_scope, &canonical);
    let key = match cache {
        Some(cache) => cache.signing_key(credentials, time, region, service),
        None => SigningKey::derive(credentials.secret_access_key(), date_stamp, region, service),
    };
    let mut signature = String::with_capacity(64);
    push_hex(&mut signature, &key.sign(sts.as_bytes()));
    Ok(ExactSignature {
        signature,
        amz_date,
        credential_scope,
        signed_headers,
        canonical_request: canonical,
        string_to_sign: sts,
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
            out.signature,
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        );
        assert_eq!(out.signed_headers, "host;x-amz-date");
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
        assert_eq!(out.signed_headers, "host;transfer-encoding;user-agent");
        assert!(out.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
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
}
