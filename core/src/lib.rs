//! # sigv4 — AWS Signature Version 4, pure and fast
//!
//! Signs requests (headers or presigned URLs) exactly as AWS computes them, with the AWS test suite
//! and S3's rules as the reference. Pure: no clock, no environment, no files, no network — the
//! caller passes the credentials and the signing time.
//!
//! ```
//! use sigv4::{Body, Credentials, Request, Signer, SigningTime};
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)?;
//! let signer = Signer::new(creds, "us-east-1", "service")?;
//! let headers = [("Host", "example.amazonaws.com")];
//! let request = Request::new("GET", "/", &headers, Body::Bytes(b""))?;
//! let time = SigningTime::parse("20150830T123600Z")?;
//! let signed = signer.sign(&request, time)?;
//! assert_eq!(
//!     signed.signature(),
//!     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
//! );
//! # Ok::<(), sigv4::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod answer;
mod authorization;
mod aws4;
mod bytes;
mod canonical;
mod chunked;
mod credentials;
pub mod dropins;
mod encode;
mod error;
mod event_stream;
mod exact;
mod hash;
mod http;
mod key;
mod key_cache;
mod mac;
mod nonce;
mod one_call;
mod option_names;
mod output;
pub mod packed;
mod request;
mod scope;
mod sentinel;
mod settings;
mod sign;
mod sign_v4a;
mod signer;
mod sigv4a;
mod time;
mod verify;
mod wire;

pub use answer::{error_answer, ErrorAnswer, ErrorFormat};
pub use aws4::{
    aws4_authorization, aws4_canonical_headers, aws4_canonical_request, aws4_credential,
    aws4_credential_scope, aws4_sign, aws4_signed_headers, aws4_signing_key, Aws4Mode, Aws4Request,
    Aws4Signature,
};
pub use chunked::{
    checksum_value_len, sign_streaming, ChunkedDecoder, ChunkedEncoder, ChunkedPlan, ChunkedSigner,
    SignatureChain, StreamingUpload, MAX_CHUNK_LINE, MAX_CHUNK_SIZE, SIGV4A_CHUNK_SIGNATURE_LEN,
};
pub use credentials::Credentials;
pub use encode::{canonical_query, encode as uri_encode, normalize_path};
pub use error::{Error, ErrorKind, Mismatch, Result};
pub use event_stream::{
    decode_message, encode_headers, encode_message, EventStreamSigner, HeaderValue, SignedEvent,
    MAX_MESSAGE_LEN,
};
pub use exact::{sign_exact, sign_exact_v4a, ExactSignature};
pub use hash::{hex, sha256_hex, PayloadHasher, EMPTY_SHA256};
pub use http::{
    announced_body, announces_body, join_target, require_origin_form, requote_path, target_text,
    wire_text, AnnouncedBody, Forwarded, RequestTarget, TargetForm, TrustedProxies,
};
pub use key::SigningKey;
pub use key_cache::KeyCache;
pub use nonce::{nonce_value, NONCE_BYTES, NONCE_HEADER};
pub use one_call::{one_call_url, sign_v4, OneCall};
pub use option_names::{option_name, OptionFlag, OptionName};
pub use output::{Headers, SignedRequest};
pub use request::{Body, Request};
pub use scope::{validate_region, validate_scope, validate_service};
pub use sentinel::{PayloadSentinel, PAYLOAD_SENTINELS};
pub use settings::{
    is_s3_family, ContentSha256Header, PathNormalization, PayloadMode, QueryEncoding,
    SessionTokenMode, SigningAlgorithm, SigningSettings, UriEncoding, DEFAULT_UNSIGNED_HEADERS,
};
pub use sign::{presign, sign, SigningParams, MAX_EXPIRES_IN};
pub use signer::Signer;
pub use sigv4a::{EcdsaKey, EcdsaKeyCache, EcdsaPublicKey, SIGV4A_ALGORITHM};
pub use time::SigningTime;
pub use verify::{
    declared_signed_headers, parallel_map, pipeline, replay_verdict, BatchRequest, Checked,
    CredentialLookup, DerivedKey, IdentityView, KeyScope, PendingRecord, Pipeline, ReplayClaim,
    ReplayMark, ReplayOutcome, ReplayStore, ReplayVerdict, SigningKeyLookup, VerifiedIdentity,
    VerifiedStream, Verifier, VerifierLimits, VerifierSettings,
};

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
