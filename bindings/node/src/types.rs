//! Type declarations for the generated `.d.ts`: the shapes the native functions read and return.
//! (The functions parse these by hand for speed; these structs only carry the types and docs.)
#![allow(dead_code)]

use std::collections::HashMap;

/// AWS credentials, as `@aws-sdk/credential-providers` returns them.
#[napi(object)]
pub struct Credentials {
    /// Access key id (not a secret).
    pub access_key_id: String,
    /// Secret access key. Never printed.
    pub secret_access_key: String,
    /// Session token of temporary credentials. Never printed.
    pub session_token: Option<String>,
    /// When temporary credentials expire; a provider is asked again shortly before.
    #[napi(ts_type = "Date")]
    pub expiration: Option<i64>,
}

/// Options of a `Signer`. Everything but `region` and `service` is optional; the service picks the
/// defaults (the S3 family: single URI encoding, no path normalisation, `x-amz-content-sha256`).
#[napi(object)]
pub struct SignerOptions {
    /// Credentials, or an async provider `() => Promise<Credentials>` (refreshed before `expiration`).
    #[napi(ts_type = "Credentials | (() => Promise<Credentials>)")]
    pub credentials: Option<Credentials>,
    /// Region, e.g. `us-east-1`.
    pub region: String,
    /// Service, e.g. `execute-api`, `lambda`, `s3`.
    pub service: String,
    /// What stands for the body (default `signed`; `unsigned` for S3 presigned URLs).
    #[napi(
        ts_type = "'signed' | 'unsigned' | 'streaming-signed' | 'streaming-unsigned-trailer' | 'streaming-signed-trailer'"
    )]
    pub payload: Option<String>,
    /// Add and sign `x-amz-content-sha256` (default: on for the S3 family).
    pub content_sha256_header: Option<bool>,
    /// Path encoding (default `single` for the S3 family, `double` otherwise).
    #[napi(ts_type = "'double' | 'single'")]
    pub uri_encoding: Option<String>,
    /// Remove dot segments and repeated slashes before signing (default: off for S3).
    pub normalize_path: Option<bool>,
    /// Sign the session token (default `true`; `false` appends it after signing, as IoT wants).
    pub sign_session_token: Option<bool>,
    /// Extra header names never signed, besides the hop-by-hop ones.
    pub unsigned_headers: Option<Vec<String>>,
    /// `sigv4` (default, `AWS4-HMAC-SHA256`) or `sigv4a` (`AWS4-ECDSA-P256-SHA256`; `region` is then
    /// a region set such as `us-east-1,us-west-2` or `*`).
    #[napi(ts_type = "'sigv4' | 'sigv4a'")]
    pub algorithm: Option<String>,
}

/// Options of a `Verifier`.
#[napi(object)]
pub struct VerifierOptions {
    /// Access key id -> secret: an object `{AKID: 'SECRET' | {secretAccessKey, sessionToken?}}`
    /// (copied once), or a synchronous function returning a secret, credentials or `undefined`
    /// (unknown key). When credentials carry a session token, requests must carry that token.
    #[napi(
        ts_type = "Record<string, string | { secretAccessKey: string; sessionToken?: string }> | ((accessKeyId: string) => string | { secretAccessKey: string; sessionToken?: string } | undefined | null)"
    )]
    pub credentials: Option<HashMap<String, String>>,
    /// The accepted region (or use `regions`).
    pub region: Option<String>,
    /// Several accepted regions.
    pub regions: Option<Vec<String>>,
    /// The accepted service, e.g. `execute-api`.
    pub service: String,
    /// Allowed clock difference in seconds, both directions (default 900, at most 86400).
    pub max_skew: Option<u32>,
    /// Longest presigned URL lifetime accepted, in seconds (default and maximum 604800).
    pub max_expires: Option<u32>,
    /// Header names that must be signed whenever present, on top of every `x-amz-*` header and the
    /// service defaults (`content-md5`, and `content-type` outside S3).
    pub must_sign_headers: Option<Vec<String>>,
    /// Accept `UNSIGNED-PAYLOAD` (default: true for S3, false otherwise).
    pub allow_unsigned_payload: Option<bool>,
    /// Accept SigV4a signatures whose region set covers one of the regions (default false).
    #[napi(js_name = "allowSigv4a")]
    pub allow_sigv4a: Option<bool>,
    /// Refuse a signature seen before: `true` (100 000 entries) or a capacity; default off.
    #[napi(ts_type = "boolean | number")]
    pub replay_cache: Option<bool>,
    /// How clients encode the path (service default).
    #[napi(ts_type = "'double' | 'single'")]
    pub uri_encoding: Option<String>,
    /// Whether clients normalise the path (service default).
    pub normalize_path: Option<bool>,
    /// Whether clients sign the session token (default true).
    pub sign_session_token: Option<bool>,
}

/// A request to sign. The URL and path are taken as they will appear on the wire.
#[napi(object)]
pub struct SignRequest {
    /// HTTP method (default `GET`).
    pub method: Option<String>,
    /// Absolute URL (`https://host/path?query`), or a path with a `Host` header.
    pub url: String,
    /// Headers: an object, an array of `[name, value]` pairs, or a `Headers` instance.
    #[napi(
        ts_type = "Record<string, string | number | ReadonlyArray<string>> | ReadonlyArray<readonly [string, string]> | Headers"
    )]
    pub headers: Option<HashMap<String, String>>,
    /// Body: string (UTF-8), Buffer, Uint8Array or ArrayBuffer.
    #[napi(ts_type = "string | Uint8Array | ArrayBuffer | null")]
    pub body: Option<String>,
    /// A precomputed hex SHA-256 of the body (instead of `body`).
    pub payload_hash: Option<String>,
    /// Signing time: a `Date`, epoch seconds, or `YYYYMMDDTHHMMSSZ` (default: now).
    #[napi(ts_type = "Date | number | string")]
    pub timestamp: Option<String>,
}

/// Options of `presign`.
#[napi(object)]
pub struct PresignOptions {
    /// Lifetime of the URL in seconds, 1..604800 (default 3600).
    pub expires_in: Option<u32>,
}

/// A signed request: what to send, and the values SigV4 computed.
#[napi(object)]
pub struct SignedRequest {
    /// HTTP method.
    pub method: String,
    /// URL to send (with the `X-Amz-*` parameters when presigned).
    pub url: String,
    /// Every header to send (the caller's plus `Host`, `X-Amz-Date`, `Authorization`, ...).
    pub headers: HashMap<String, String>,
    /// 64 lowercase hex digits.
    pub signature: String,
    /// The `Authorization` header value (absent for presigned URLs).
    pub authorization: Option<String>,
    /// Signing time, `YYYYMMDDTHHMMSSZ`.
    pub amz_date: String,
    /// `date/region/service/aws4_request`.
    pub credential_scope: String,
    /// Signed header names, `;`-separated.
    pub signed_headers: String,
    /// The canonical request (compare with AWS's when a signature does not match).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The payload hash used (hex SHA-256 or a sentinel such as `UNSIGNED-PAYLOAD`).
    pub payload_hash: String,
}

/// Parameters of `signV4` (KumoMTA's `aws_sign_v4`).
#[napi(object)]
pub struct SignV4Params {
    /// Access key id.
    pub access_key: String,
    /// Secret access key.
    pub secret_key: String,
    /// Region.
    pub region: String,
    /// Service.
    pub service: String,
    /// HTTP method.
    pub method: String,
    /// Request path, e.g. `/my-bucket/object` (as on the wire).
    pub uri: String,
    /// Query parameters, unencoded.
    pub query_params: Option<HashMap<String, String>>,
    /// Headers to sign; must include `host`.
    pub headers: Option<HashMap<String, String>>,
    /// Body (default empty).
    #[napi(ts_type = "string | Uint8Array")]
    pub payload: Option<String>,
    /// Signing time (default now).
    #[napi(ts_type = "Date | number | string")]
    pub timestamp: Option<String>,
    /// Session token of temporary credentials (send it as `X-Amz-Security-Token`).
    pub session_token: Option<String>,
}

/// Result of `signV4`.
#[napi(object)]
pub struct SignV4Result {
    /// `Authorization` header value.
    pub authorization: String,
    /// `X-Amz-Date` header value, `YYYYMMDDTHHMMSSZ`.
    pub timestamp: String,
    /// Hex signature.
    pub signature: String,
    /// Canonical request.
    pub canonical_request: String,
    /// String to sign.
    pub string_to_sign: String,
}
