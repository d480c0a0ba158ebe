//! Signing options as enums, with per-service defaults.

/// How the path is percent-encoded in the canonical request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UriEncoding {
    /// Every service but S3: the wire path is encoded again (`%` becomes `%25`).
    Double,
    /// The S3 family: the path is encoded exactly once.
    Single,
    /// The path exactly as given: neither normalised nor encoded (an empty path is still `/`).
    /// botocore's S3 signers sign the wire path this way; compatibility layers that must
    /// reproduce them (`sigv4.botocore`) use it.
    Verbatim,
}

/// How the query string enters the canonical request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum QueryEncoding {
    /// AWS's rule: `+` is a space, `%XX` decoded, every key and value re-encoded, pairs sorted,
    /// `X-Amz-Signature` left out.
    #[default]
    Canonical,
    /// botocore's rule for a query already in the URL: split on `&` and the first `=` of each
    /// piece (empty pieces included), pairs sorted as given, nothing decoded or encoded.
    Verbatim,
}

/// Whether `.`/`..` segments and repeated slashes are removed from the path before signing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathNormalization {
    /// Normalise (every service but S3).
    Enabled,
    /// Sign the path as given (S3: object keys may contain `//` and `..`).
    Disabled,
}

/// Whether an `x-amz-content-sha256` header is added and signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentSha256Header {
    /// Add it (S3 requires it).
    Include,
    /// Do not add it.
    Omit,
    /// Add it only when the payload is not signed (`UNSIGNED-PAYLOAD`, streaming sentinels), as
    /// botocore does: the service must be told the body is not hashed. The default outside S3.
    WhenPayloadUnsigned,
}

/// Where the session token goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SessionTokenMode {
    /// Part of the canonical request (the usual rule).
    Signed,
    /// Added after signing, outside the signature (some services, e.g. IoT, want this).
    AppendedAfterSigning,
}

/// What stands for the body in the canonical request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayloadMode {
    /// The SHA-256 of the body (or a precomputed hash given with the request).
    Signed,
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (aws-chunked with chunk signatures).
    StreamingSigned,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`.
    StreamingUnsignedTrailer,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`.
    StreamingSignedTrailer,
}

/// The signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum SigningAlgorithm {
    /// SigV4, `AWS4-HMAC-SHA256`: one region, HMAC signatures.
    #[default]
    Sigv4,
    /// SigV4a, `AWS4-ECDSA-P256-SHA256`: a region set (`"us-east-1,us-west-2"`, `"*"`), ECDSA P-256
    /// signatures with a key derived from the secret.
    Sigv4a,
}

impl SigningAlgorithm {
    /// The name in `Authorization` / `X-Amz-Algorithm`.
    pub fn name(self) -> &'static str {
        match self {
            SigningAlgorithm::Sigv4 => "AWS4-HMAC-SHA256",
            SigningAlgorithm::Sigv4a => "AWS4-ECDSA-P256-SHA256",
        }
    }
}

/// Headers never signed by default: botocore 1.44's `SIGNED_HEADERS_BLACKLIST` (hop-by-hop headers,
/// those proxies and tracers rewrite), plus `authorization`, which signing replaces.
pub const DEFAULT_UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// True for the services that follow S3's rules (single encoding, no normalisation, content hash header).
pub fn is_s3_family(service: &str) -> bool {
    matches!(
        service,
        "s3" | "s3-object-lambda" | "s3-outposts" | "s3express"
    )
}

/// All signing options. Start from [`SigningSettings::for_service`] and change fields.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningSettings {
    /// Path encoding.
    pub uri_encoding: UriEncoding,
    /// Path normalisation.
    pub path_normalization: PathNormalization,
    /// Query string canonicalisation.
    pub query_encoding: QueryEncoding,
    /// Whether to add and sign `x-amz-content-sha256` (header signing only).
    pub content_sha256_header: ContentSha256Header,
    /// Session token placement.
    pub session_token_mode: SessionTokenMode,
    /// The payload choice; `None` picks the service default (signed; unsigned for S3 presigning).
    pub payload: Option<PayloadMode>,
    /// Extra header names (any case) never signed, on top of [`DEFAULT_UNSIGNED_HEADERS`].
    pub unsigned_headers: Vec<String>,
    /// Whether the S3 presign default (`UNSIGNED-PAYLOAD`) applies.
    pub s3_presign_defaults: bool,
    /// SigV4 (default) or SigV4a; with SigV4a the signer's region is a region set.
    pub algorithm: SigningAlgorithm,
}

impl SigningSettings {
    /// The defaults AWS uses for `service`.
    pub fn for_service(service: &str) -> Self {
        let s3 = is_s3_family(service);
        SigningSettings {
            uri_encoding: if s3 {
                UriEncoding::Single
            } else {
                UriEncoding::Double
            },
            path_normalization: if s3 {
                PathNormalization::Disabled
            } else {
                PathNormalization::Enabled
            },
            content_sha256_header: if s3 {
                ContentSha256Header::Include
            } else {
                ContentSha256Header::WhenPayloadUnsigned
            },
            query_encoding: QueryEncoding::Canonical,
            session_token_mode: SessionTokenMode::Signed,
            payload: None,
            unsigned_headers: Vec::new(),
            s3_presign_defaults: s3,
            algorithm: SigningAlgorithm::Sigv4,
        }
    }

    /// The payload mode a signing uses: the explicit choice, else `UNSIGNED-PAYLOAD` when presigning
    /// for the S3 family, else a signed payload.
    pub fn payload_for(&self, presigning: bool) -> PayloadMode {
        match self.payload {
            Some(mode) => mode,
            None if presigning && self.s3_presign_defaults => PayloadMode::Unsigned,
            None => PayloadMode::Signed,
        }
    }

    pub(crate) fn is_unsigned_header(&self, lower_name: &str) -> bool {
        DEFAULT_UNSIGNED_HEADERS.contains(&lower_name)
            || self
                .unsigned_headers
                .iter()
                .any(|h| h.eq_ignore_ascii_case(lower_name))
    }
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self::for_service("")
    }
}
