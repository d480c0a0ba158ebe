//! The one error type of the crate: an opaque [`Error`] with a stable [`ErrorKind`].

use std::fmt;

/// What went wrong, as a stable, matchable value.
///
/// Signing errors name a bad argument; verification errors carry the AWS error code a
/// service answers with. Each binding maps these once (C result codes, Python exception
/// classes, JS `err.code`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Access key id or secret access key empty or malformed.
    InvalidCredentials,
    /// Region empty or containing characters a region never has (`/`, whitespace, controls).
    InvalidRegion,
    /// Service empty or containing characters a service never has.
    InvalidService,
    /// HTTP method empty or not an HTTP token.
    InvalidMethod,
    /// URL malformed (no scheme or host, control characters, no `Host` header for a bare path).
    InvalidUrl,
    /// Header name empty or not an HTTP token.
    InvalidHeaderName,
    /// Header value containing CR, LF or NUL.
    InvalidHeaderValue,
    /// Presign expiry outside 1..=604800 seconds.
    InvalidExpiry,
    /// Precomputed payload hash not 64 hex digits (or a known sentinel).
    InvalidPayloadHash,
    /// Timestamp unparsable or out of range.
    InvalidTimestamp,
    /// Options that contradict each other.
    InvalidOption,
    /// Input bytes that are not UTF-8 (raised by bindings that receive raw bytes).
    InvalidUtf8,
    /// Verification: neither an `Authorization` header nor an `X-Amz-Algorithm` query parameter.
    MissingAuthenticationToken,
    /// Verification: a field of the `Authorization` header missing, empty or duplicated.
    IncompleteSignature,
    /// Verification: the `Authorization` header or its credential scope malformed.
    AuthorizationHeaderMalformed,
    /// Verification: a presigned URL parameter missing, malformed or repeated.
    AuthorizationQueryParametersError,
    /// Verification: the access key id is unknown.
    InvalidAccessKeyId,
    /// Verification: session token missing, unexpected or different.
    InvalidToken,
    /// Verification: the signing time is outside now ± the allowed skew.
    RequestTimeTooSkewed,
    /// Verification: a presigned URL has expired or is dated in the future.
    RequestExpired,
    /// Verification: the recomputed signature differs.
    SignatureDoesNotMatch,
    /// Verification: a header that must be signed is present but unsigned.
    UnsignedHeader,
    /// Verification: the body does not match the signed `x-amz-content-sha256`.
    XAmzContentSha256Mismatch,
    /// Verification: the replay cache has already seen this signature.
    RequestReplayed,
    /// Verification: the shared replay store failed or timed out, so the request cannot be
    /// proven fresh and is refused (fail closed; HTTP 503, the client may retry).
    ReplayStoreUnavailable,
    /// Streaming: an aws-chunked body malformed, truncated, or a chunk signature wrong.
    InvalidChunk,
}

impl ErrorKind {
    /// The stable string code every binding exposes (AWS's own code for verification errors).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidCredentials => "InvalidCredentials",
            ErrorKind::InvalidRegion => "InvalidRegion",
            ErrorKind::InvalidService => "InvalidService",
            ErrorKind::InvalidMethod => "InvalidMethod",
            ErrorKind::InvalidUrl => "InvalidUrl",
            ErrorKind::InvalidHeaderName => "InvalidHeaderName",
            ErrorKind::InvalidHeaderValue => "InvalidHeaderValue",
            ErrorKind::InvalidExpiry => "InvalidExpiry",
            ErrorKind::InvalidPayloadHash => "InvalidPayloadHash",
            ErrorKind::InvalidTimestamp => "InvalidTimestamp",
            ErrorKind::InvalidOption => "InvalidOption",
            ErrorKind::InvalidUtf8 => "InvalidUtf8",
            ErrorKind::MissingAuthenticationToken => "MissingAuthenticationToken",
            ErrorKind::IncompleteSignature => "IncompleteSignature",
            ErrorKind::AuthorizationHeaderMalformed => "AuthorizationHeaderMalformed",
            ErrorKind::AuthorizationQueryParametersError => "AuthorizationQueryParametersError",
            ErrorKind::InvalidAccessKeyId => "InvalidAccessKeyId",
            ErrorKind::InvalidToken => "InvalidToken",
            ErrorKind::RequestTimeTooSkewed => "RequestTimeTooSkewed",
            ErrorKind::RequestExpired => "RequestExpired",
            ErrorKind::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            ErrorKind::UnsignedHeader => "UnsignedHeader",
            ErrorKind::XAmzContentSha256Mismatch => "XAmzContentSHA256Mismatch",
            ErrorKind::RequestReplayed => "RequestReplayed",
            ErrorKind::ReplayStoreUnavailable => "ReplayStoreUnavailable",
            ErrorKind::InvalidChunk => "InvalidChunk",
        }
    }

    /// True for errors caused by a bad argument to a signing call (as opposed to a failed verification).
    pub fn is_invalid_input(self) -> bool {
        matches!(
            self,
            ErrorKind::InvalidCredentials
                | ErrorKind::InvalidRegion
                | ErrorKind::InvalidService
                | ErrorKind::InvalidMethod
                | ErrorKind::InvalidUrl
                | ErrorKind::InvalidHeaderName
                | ErrorKind::InvalidHeaderValue
                | ErrorKind::InvalidExpiry
                | ErrorKind::InvalidPayloadHash
                | ErrorKind::InvalidTimestamp
                | ErrorKind::InvalidOption
                | ErrorKind::InvalidUtf8
        )
    }
}

/// The error of every fallible function in this crate.
///
/// Messages never contain secret keys, session tokens or derived keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

/// What an [`Error`] holds, behind one pointer: a `Result` of this crate is then a word or two
/// wide, so the success path (every check of a verification returns one) moves no error-sized
/// value and its code stays compact.
#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    argument: Option<&'static str>,
    message: String,
    detail: Option<Mismatch>,
}

/// What the server computed when a signature did not match: the two texts a caller
/// compares with its own to find the difference. `Debug` hides a session token in them.
#[derive(Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The canonical request the verifier built.
    pub canonical_request: String,
    /// The string to sign the verifier built.
    pub string_to_sign: String,
}

/// `text` with the value of every `x-amz-security-token` header line and query parameter hidden.
fn redact_token(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        let found = ["x-amz-security-token:", "x-amz-security-token="]
            .iter()
            .filter_map(|marker| lower.find(marker).map(|at| at + marker.len()))
            .min();
        let Some(start) = found else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..start]);
        out.push_str("** redacted **");
        let end = rest[start..]
            .find(['\n', '&'])
            .map_or(rest.len(), |e| start + e);
        rest = &rest[end..];
    }
}

impl fmt::Debug for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mismatch")
            .field("canonical_request", &redact_token(&self.canonical_request))
            .field("string_to_sign", &self.string_to_sign)
            .finish()
    }
}

impl Error {
    /// An error for the named argument.
    // Cold (as every constructor here): the branches that build an error are then laid out away
    // from the checks that pass, so a verification fetches fewer lines of code (issue 17 item 7).
    #[cold]
    pub(crate) fn arg(kind: ErrorKind, argument: &'static str, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            argument: Some(argument),
            message: message.into(),
            detail: None,
        }))
    }

    /// An error not tied to one argument (verification failures).
    #[cold]
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            argument: None,
            message: message.into(),
            detail: None,
        }))
    }

    /// Builds an error of `kind` from outside the core (bindings: invalid UTF-8 and similar).
    #[cold]
    pub fn from_binding(
        kind: ErrorKind,
        argument: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::arg(kind, argument, message)
    }

    pub(crate) fn with_mismatch(
        mut self,
        canonical_request: String,
        string_to_sign: String,
    ) -> Self {
        self.0.detail = Some(Mismatch {
            canonical_request,
            string_to_sign,
        });
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The stable string code (see [`ErrorKind::code`]).
    pub fn code(&self) -> &'static str {
        self.0.kind.code()
    }

    /// The argument that was rejected, for input errors (`"region"`, `"header value"`, ...).
    pub fn argument(&self) -> Option<&'static str> {
        self.0.argument
    }

    /// A human message saying what to fix.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// For [`ErrorKind::SignatureDoesNotMatch`]: what the verifier computed.
    pub fn mismatch(&self) -> Option<&Mismatch> {
        self.0.detail.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.kind.code(), self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.0.kind.code())
            .field("argument", &self.0.argument)
            .field("message", &self.0.message)
            .finish()
    }
}

impl std::error::Error for Error {}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatch_debug_hides_the_session_token() {
        let m = Mismatch {
            canonical_request: "GET\n/\nX-Amz-Date=1&X-Amz-Security-Token=SECRET%2Ftoken&a=b\nhost:h\nx-amz-security-token:SECRET/token\n".into(),
            string_to_sign: "AWS4-HMAC-SHA256".into(),
        };
        let shown = format!("{m:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("a=b") && shown.contains("host:h"));
    }
}
