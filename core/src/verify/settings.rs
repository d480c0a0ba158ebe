//! Verifier options as plain fields, with per-service defaults.

use crate::settings::SigningSettings;
use crate::settings::{is_s3_family, PathNormalization, SessionTokenMode, UriEncoding};

/// Size limits checked before any parsing or cryptography, so a hostile request costs little.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierLimits {
    /// Longest accepted `Authorization` header value, in bytes (default 8192).
    pub max_authorization_bytes: usize,
    /// Most headers accepted (default 200).
    pub max_headers: usize,
    /// Most bytes of header names and values together (default 65536).
    pub max_header_bytes: usize,
    /// Most query parameters accepted (default 1000).
    pub max_query_params: usize,
    /// Longest raw query string, in bytes (default 32768).
    pub max_query_bytes: usize,
    /// Longest raw path, in bytes (default 16384).
    pub max_path_bytes: usize,
}

impl Default for VerifierLimits {
    fn default() -> Self {
        VerifierLimits {
            max_authorization_bytes: 8192,
            max_headers: 200,
            max_header_bytes: 65_536,
            max_query_params: 1000,
            max_query_bytes: 32_768,
            max_path_bytes: 16_384,
        }
    }
}

/// Everything a [`Verifier`](crate::Verifier) checks besides the credentials and the scope.
///
/// Start from [`VerifierSettings::for_service`] (or `Default`, the non-S3 rules) and change fields.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierSettings {
    /// Allowed clock difference in seconds, both directions (default 900). Header signing must be
    /// within now ± this; a presigned URL may be dated at most this far in the future.
    pub max_skew_seconds: u32,
    /// Longest presigned URL lifetime accepted, in seconds (default and maximum 604800).
    pub max_expires_seconds: u32,
    /// Lowercase header names that must be signed whenever present, on top of every `x-amz-*`
    /// header (default `content-md5` and `content-type`; S3 family: `content-md5` only, since
    /// browsers add an unsigned `Content-Type` to presigned uploads).
    pub must_sign_headers: Vec<String>,
    /// Whether `UNSIGNED-PAYLOAD` is accepted (default on for the S3 family, off otherwise). When on,
    /// a presigned URL without a signed `x-amz-content-sha256` header is checked as `UNSIGNED-PAYLOAD`
    /// (as S3 presigns) and, when that does not match, as the SHA-256 of the body (as other
    /// services presign); when off, only as the SHA-256 of the body.
    pub allow_unsigned_payload: bool,
    /// Path encoding the clients used (from [`SigningSettings::for_service`]).
    pub uri_encoding: UriEncoding,
    /// Path normalisation the clients used (from [`SigningSettings::for_service`]).
    pub path_normalization: PathNormalization,
    /// How clients attach a session token: signed (default), or appended after signing (then an
    /// unsigned `X-Amz-Security-Token` header is allowed and the query parameter is not part of the
    /// canonical query). The token itself is checked either way.
    pub session_token_mode: SessionTokenMode,
    /// Capacity of the replay cache; `None` (default) turns it off.
    pub replay_cache_capacity: Option<usize>,
    /// Whether SigV4a (`AWS4-ECDSA-P256-SHA256`, multi-region) signatures are accepted, in both
    /// forms (default off: an ECDSA verification costs about a hundred times an HMAC, so a server
    /// opts in when its clients use SigV4a). When on, the signed `X-Amz-Region-Set` must cover at
    /// least one of the verifier's regions (`*` covers every region, `us-*` every region starting
    /// with `us-`).
    pub allow_sigv4a: bool,
    /// Input size limits.
    pub limits: VerifierLimits,
}

impl VerifierSettings {
    /// The defaults for `service`.
    pub fn for_service(service: &str) -> Self {
        let signing = SigningSettings::for_service(service);
        let s3 = is_s3_family(service);
        let mut must_sign = vec!["content-md5".to_owned()];
        if !s3 {
            must_sign.push("content-type".to_owned());
        }
        VerifierSettings {
            max_skew_seconds: 900,
            max_expires_seconds: crate::sign::MAX_EXPIRES_IN as u32,
            must_sign_headers: must_sign,
            allow_unsigned_payload: s3,
            uri_encoding: signing.uri_encoding,
            path_normalization: signing.path_normalization,
            session_token_mode: SessionTokenMode::Signed,
            replay_cache_capacity: None,
            allow_sigv4a: false,
            limits: VerifierLimits::default(),
        }
    }

    /// True when the header `name` (any letter case) must be signed whenever present.
    pub(crate) fn must_sign(&self, name: &str) -> bool {
        if name
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("x-amz-"))
        {
            return !(name.eq_ignore_ascii_case("x-amz-security-token")
                && self.session_token_mode == SessionTokenMode::AppendedAfterSigning);
        }
        self.must_sign_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name))
    }
}

impl Default for VerifierSettings {
    fn default() -> Self {
        Self::for_service("")
    }
}
