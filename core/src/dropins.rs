//! The native halves of the JavaScript drop-ins, shared by the napi addon
//! (`bindings/node/src/sdk.rs`, `aws4.rs`) and the WebAssembly build (`wasm/src/compat.rs`):
//! `libsigv4/aws-sdk` and `libsigv4/aws4fetch` (`sdkSign`: exactly the headers given, through
//! [`crate::sign_exact`]) and `libsigv4/aws4` (`aws4Sign`: the core's aws4 mode). The bindings only
//! read their arguments and hand over the packed record (see [`crate::packed`]); what the flags
//! select, the scope checks and the key caches live here once (issue 21).

use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::aws4::{aws4_authorization, aws4_canonical_headers, aws4_sign, aws4_signing_key};
use crate::aws4::{aws4_credential, aws4_credential_scope, aws4_signed_headers};
use crate::aws4::{Aws4Mode, Aws4Request};
use crate::credentials::Credentials;
use crate::error::Result;
use crate::hash::hex;
use crate::key::SigningKey;
use crate::key_cache::KeyCache;
use crate::request::{Body, Request};
use crate::scope::{validate_region, validate_service};
use crate::settings::{PathNormalization, SigningSettings, UriEncoding};
use crate::time::SigningTime;
use crate::{exact, packed};

/// Flags of `sdkSign` (mirrored in `lib/aws-sdk.js` and `lib/aws4fetch.js`).
pub mod sdk_flags {
    /// The path exactly as given (smithy with `uriEscapePath` off).
    pub const VERBATIM_PATH: u32 = 8;
    /// Single URI encoding (S3's; aws4fetch's `singleEncode`).
    pub const SINGLE_ENCODING: u32 = 16;
    /// Path normalisation (aws4fetch outside S3).
    pub const NORMALIZE_PATH: u32 = 32;
    /// The canonical request and string to sign in the answer too.
    pub const FULL: u32 = 64;
}

/// Flags of `aws4Sign` (mirrored in `lib/aws4.js`).
pub mod aws4_flags {
    /// S3's rules ([`Aws4Mode::s3`](crate::Aws4Mode)).
    pub const S3: u32 = 1;
    /// The path is decoded before encoding ([`Aws4Mode::decode_path`](crate::Aws4Mode)).
    pub const DECODE_PATH: u32 = 2;
    /// Presigned ([`Aws4Mode::sign_query`](crate::Aws4Mode)).
    pub const SIGN_QUERY: u32 = 4;
    /// CodeCommit's git form ([`Aws4Mode::codecommit_git`](crate::Aws4Mode)).
    pub const CODECOMMIT_GIT: u32 = 8;
    /// The record is escaped as a whole ([`crate::packed::unescape`]).
    pub const ESCAPED: u32 = 16;
    /// Answer one text: the signature.
    pub const SIGNATURE: u32 = 64;
    /// Answer one text: aws4's `authHeader()` (the `Authorization` value) instead.
    pub const AUTHORIZATION: u32 = 128;
    /// Answer `[credentialString, signedHeaders, X-Amz-Credential, canonicalHeaders]`, nothing signed.
    pub const STRINGS: u32 = 256;
}

/// The signer behind one `sdkHandle`: credentials and scope (checked once), with a derived-key
/// cache. `Debug` shows neither the secret nor the keys.
pub struct SdkSigner {
    credentials: Credentials,
    region: String,
    service: String,
    cache: KeyCache,
}

impl SdkSigner {
    /// `sdkHandle(accessKeyId, secretAccessKey, region, service)`: the credentials, region and
    /// service checked as the core's signer checks them.
    pub fn new(
        access_key_id: &str,
        secret_access_key: &str,
        region: &str,
        service: &str,
    ) -> Result<Self> {
        let credentials = Credentials::new(access_key_id, secret_access_key, None)?;
        validate_region(region)?;
        validate_service(service)?;
        Ok(SdkSigner {
            credentials,
            region: region.to_owned(),
            service: service.to_owned(),
            cache: KeyCache::new(4),
        })
    }

    /// `sdkSign`: signs exactly the request in `record` (a [`packed::SDK_REQUEST_FIELDS`] record)
    /// with `payload_hash` as its payload hash, under [`sdk_flags`]; the answer is a
    /// [`packed::SDK_SIGNATURE_FIELDS`] record (all four fields with `FULL`).
    pub fn sign(&self, record: &str, payload_hash: &str, flags: u32) -> Result<String> {
        let (request, amz_date) = packed::sdk_request(record)?;
        let time = SigningTime::parse_amz_date(amz_date)?;
        let mut settings = SigningSettings::for_service(&self.service);
        // smithy normalises (uriEscapePath) in JS and encodes again, or signs the path as given.
        settings.uri_encoding = if flags & sdk_flags::VERBATIM_PATH != 0 {
            UriEncoding::Verbatim
        } else if flags & sdk_flags::SINGLE_ENCODING != 0 {
            UriEncoding::Single
        } else {
            UriEncoding::Double
        };
        settings.path_normalization = if flags & sdk_flags::NORMALIZE_PATH != 0 {
            PathNormalization::Enabled
        } else {
            PathNormalization::Disabled
        };
        let request = Request::new(
            request.method,
            request.url,
            &request.headers,
            Body::Precomputed(payload_hash),
        )?;
        let out = exact::sign_exact(
            &request,
            &self.credentials,
            &self.region,
            &self.service,
            time,
            &settings,
            Some(&self.cache),
        )?;
        Ok(packed::sdk_signature(&out, flags & sdk_flags::FULL != 0))
    }

    /// `sdkSignString`: the HMAC-SHA256 (lowercase hex) of `text` under the signing key for the
    /// day of `amz_date` — smithy's `signString` and the event-stream signatures.
    pub fn sign_string(&self, amz_date: &str, text: &[u8]) -> Result<String> {
        let time = SigningTime::parse_amz_date(amz_date)?;
        let key = self
            .cache
            .signing_key(&self.credentials, time, &self.region, &self.service);
        Ok(hex(&key.sign(text)))
    }
}

impl fmt::Debug for SdkSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkSigner")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

/// The signer behind one `aws4Handle`: a secret, region and service (free text, as aws4 takes
/// them), with the key of the last date. `Debug` shows neither the secret nor the key.
pub struct Aws4Signer {
    secret: Zeroizing<String>,
    region: String,
    service: String,
    last: Mutex<Option<(String, SigningKey)>>,
}

/// What `aws4Sign` answers.
pub enum Aws4Answer {
    /// The record's fields do not match their counts (a field holds a NUL): the JS side sends it
    /// again escaped (`ESCAPED`).
    NeedsEscaping,
    /// One text: the `Authorization` value (`AUTHORIZATION`) or the signature (`SIGNATURE`).
    One(String),
    /// Four texts: `[credentialString, signedHeaders, X-Amz-Credential, canonicalHeaders]`
    /// (`STRINGS`) or `[canonicalRequest, stringToSign, signature, canonicalHeaders]`.
    Four([String; 4]),
}

impl Aws4Signer {
    /// `aws4Handle(secret, region, service)`.
    pub fn new(secret: &str, region: &str, service: &str) -> Self {
        Aws4Signer {
            secret: Zeroizing::new(secret.to_owned()),
            region: region.to_owned(),
            service: service.to_owned(),
            last: Mutex::new(None),
        }
    }

    /// `aws4Sign`: signs the request in `record` (a [`packed::AWS4_REQUEST_FIELDS`] record) under
    /// [`aws4_flags`]; the body is hashed unless `payload_hash` is given.
    pub fn sign(
        &self,
        record: &str,
        payload_hash: Option<&str>,
        body: &[u8],
        flags: u32,
    ) -> Result<Aws4Answer> {
        let fields: Vec<Cow<'_, str>> = if flags & aws4_flags::ESCAPED != 0 {
            packed::fields(record)
                .into_iter()
                .map(packed::unescape)
                .collect()
        } else {
            packed::fields(record)
                .into_iter()
                .map(Cow::Borrowed)
                .collect()
        };
        let Some(request) = packed::aws4_request(&fields) else {
            return Ok(Aws4Answer::NeedsEscaping);
        };
        let (datetime, date, akid) = (request.datetime, request.date, request.access_key_id);
        let headers = request.headers;
        let scope = [date, self.region.as_str(), self.service.as_str()];
        if flags & aws4_flags::STRINGS != 0 {
            return Ok(Aws4Answer::Four([
                aws4_credential_scope(scope),
                aws4_signed_headers(&headers),
                aws4_credential(akid, scope),
                aws4_canonical_headers(&headers),
            ]));
        }
        let request = Aws4Request {
            method: request.method,
            path: request.path,
            query: request.query.as_deref(),
            headers: &headers,
            payload_hash,
            body: if payload_hash.is_some() { b"" } else { body },
        };
        let mode = Aws4Mode {
            s3: flags & aws4_flags::S3 != 0,
            decode_path: flags & aws4_flags::DECODE_PATH != 0,
            sign_query: flags & aws4_flags::SIGN_QUERY != 0,
            codecommit_git: flags & aws4_flags::CODECOMMIT_GIT != 0,
        };
        let out = aws4_sign(&request, mode, datetime, scope, &self.key(date))?;
        if flags & aws4_flags::AUTHORIZATION != 0 {
            let value = aws4_authorization(akid, scope, &headers, &out.signature);
            return Ok(Aws4Answer::One(value));
        }
        if flags & aws4_flags::SIGNATURE != 0 {
            return Ok(Aws4Answer::One(out.signature));
        }
        let canonical_headers = aws4_canonical_headers(&headers);
        Ok(Aws4Answer::Four([
            out.canonical_request,
            out.string_to_sign,
            out.signature,
            canonical_headers,
        ]))
    }

    /// The signing key for `date`: the last one when the date is the same (aws4 caches too).
    fn key(&self, date: &str) -> SigningKey {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        match &*last {
            Some((d, k)) if d == date => k.clone(),
            _ => {
                let k = aws4_signing_key(&self.secret, date, &self.region, &self.service);
                *last = Some((date.to_owned(), k.clone()));
                k
            }
        }
    }
}

impl fmt::Debug for Aws4Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Aws4Signer")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let sdk = SdkSigner::new("AKIDEXAMPLE", "s3cr3t-value", "us-east-1", "s3").unwrap();
        let aws4 = Aws4Signer::new("s3cr3t-value", "us-east-1", "s3");
        for shown in [format!("{sdk:?}"), format!("{aws4:?}")] {
            assert!(!shown.contains("s3cr3t"), "{shown}");
            assert!(shown.contains("us-east-1"), "{shown}");
        }
    }

    #[test]
    fn sdk_signer_checks_its_scope() {
        assert!(SdkSigner::new("AKIDEXAMPLE", "secret", "us east", "s3").is_err());
        assert!(SdkSigner::new("AKIDEXAMPLE", "secret", "us-east-1", "s 3").is_err());
        assert!(SdkSigner::new("", "secret", "us-east-1", "s3").is_err());
    }

    /// AWS's get-vanilla vector (aws-sig-v4-test-suite): the record carries the request exactly.
    #[test]
    fn sdk_sign_gives_the_suite_signature() {
        let sdk = SdkSigner::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "us-east-1",
            "service",
        )
        .unwrap();
        let record = [
            "GET",
            "https://example.amazonaws.com/",
            "20150830T123600Z",
            "host",
            "example.amazonaws.com",
            "x-amz-date",
            "20150830T123600Z",
        ]
        .join("\0");
        let out = sdk
            .sign(&record, crate::EMPTY_SHA256, sdk_flags::FULL)
            .unwrap();
        assert!(
            out.starts_with(
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\0host;x-amz-date\0"
            ),
            "{out:?}"
        );
    }
}
