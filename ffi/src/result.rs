//! The one result enum of the C API, its messages, and the per-thread detail of the last failure.

use std::cell::RefCell;
use std::os::raw::c_char;

use sigv4::ErrorKind;

/// What a libsigv4 function returns: `SIGV4_OK` (0) on success, otherwise why it failed.
///
/// Values are explicit and stable: a value is never reused for another meaning, new values are only
/// added. 1..99 are C-API conditions, 100..199 bad input to a signing call (one per core error kind),
/// 200..299 verification failures (AWS's error codes; returned by the verifier API), 300..399 streaming.
/// `sigv4_result_message` describes a value; `sigv4_last_error_message` gives the detail of the last
/// failure on the calling thread.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum sigv4_result {
    /// Success.
    SIGV4_OK = 0,
    /// A required pointer argument was NULL (or a NULL pointer was given with a non-zero length).
    SIGV4_NULL_PARAMETER = 1,
    /// The caller's buffer is too small; the needed length was written to `*out_len`.
    SIGV4_INSUFFICIENT_SIZE = 2,
    /// libsigv4 panicked (a bug in libsigv4; please report it). No output was written.
    SIGV4_PANIC = 3,
    /// An index (e.g. a header index) is not below the count.
    SIGV4_INDEX_OUT_OF_RANGE = 4,
    /// The value does not exist here (the authorization of a presigned URL, the region set of a
    /// SigV4 identity, the mismatch detail when the last verification did not mismatch).
    SIGV4_NOT_AVAILABLE = 5,
    /// An error this version of the C API does not know how to name (a newer core).
    SIGV4_UNEXPECTED_ERROR = 6,
    /// Access key id or secret access key empty or malformed, or session token malformed.
    SIGV4_INVALID_CREDENTIALS = 100,
    /// Region empty or containing `/`, whitespace or control characters.
    SIGV4_INVALID_REGION = 101,
    /// Service empty or containing `/`, whitespace or control characters.
    SIGV4_INVALID_SERVICE = 102,
    /// HTTP method empty or not an HTTP token.
    SIGV4_INVALID_METHOD = 103,
    /// URL malformed (no scheme or host, control characters, no `Host` header for a bare path).
    SIGV4_INVALID_URL = 104,
    /// Header name empty or not an HTTP token.
    SIGV4_INVALID_HEADER_NAME = 105,
    /// Header value containing CR, LF or NUL.
    SIGV4_INVALID_HEADER_VALUE = 106,
    /// Presign expiry outside 1..604800 seconds.
    SIGV4_INVALID_EXPIRY = 107,
    /// Precomputed payload hash (or `x-amz-content-sha256` value) not 64 hex digits or a known sentinel.
    SIGV4_INVALID_PAYLOAD_HASH = 108,
    /// Timestamp unparsable or outside the years 0000..9999.
    SIGV4_INVALID_TIMESTAMP = 109,
    /// An option value unknown, or options that contradict each other.
    SIGV4_INVALID_OPTION = 110,
    /// A text argument is not valid UTF-8.
    SIGV4_INVALID_UTF8 = 111,
    /// Verification: neither an `Authorization` header nor an `X-Amz-Algorithm` query parameter.
    SIGV4_MISSING_AUTHENTICATION_TOKEN = 200,
    /// Verification: a field of the `Authorization` header missing, empty or duplicated.
    SIGV4_INCOMPLETE_SIGNATURE = 201,
    /// Verification: the `Authorization` header or its credential scope malformed.
    SIGV4_AUTHORIZATION_HEADER_MALFORMED = 202,
    /// Verification: a presigned URL parameter missing, malformed or repeated.
    SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR = 203,
    /// Verification: the access key id is unknown.
    SIGV4_INVALID_ACCESS_KEY_ID = 204,
    /// Verification: session token missing, unexpected or different.
    SIGV4_INVALID_TOKEN = 205,
    /// Verification: the signing time is outside now +/- the allowed skew.
    SIGV4_REQUEST_TIME_TOO_SKEWED = 206,
    /// Verification: a presigned URL has expired or is dated in the future.
    SIGV4_REQUEST_EXPIRED = 207,
    /// Verification: the recomputed signature differs.
    SIGV4_SIGNATURE_DOES_NOT_MATCH = 208,
    /// Verification: a header that must be signed is present but unsigned.
    SIGV4_UNSIGNED_HEADER = 209,
    /// Verification: the body does not match the signed `x-amz-content-sha256`.
    SIGV4_X_AMZ_CONTENT_SHA256_MISMATCH = 210,
    /// Verification: the replay cache has already seen this signature.
    SIGV4_REQUEST_REPLAYED = 211,
    /// Verification: the replay store (`sigv4_verifier_options_set_replay_store`) failed or timed
    /// out, so the request cannot be proven fresh and is refused (fail closed; answer HTTP 503).
    SIGV4_REPLAY_STORE_UNAVAILABLE = 212,
    /// Streaming: an aws-chunked body malformed, truncated, or a chunk signature wrong.
    SIGV4_INVALID_CHUNK = 300,
}

use sigv4_result::*;

/// Every value, for `from_u32` and the tests.
pub(crate) const ALL: &[sigv4_result] = &[
    SIGV4_OK,
    SIGV4_NULL_PARAMETER,
    SIGV4_INSUFFICIENT_SIZE,
    SIGV4_PANIC,
    SIGV4_INDEX_OUT_OF_RANGE,
    SIGV4_NOT_AVAILABLE,
    SIGV4_UNEXPECTED_ERROR,
    SIGV4_INVALID_CREDENTIALS,
    SIGV4_INVALID_REGION,
    SIGV4_INVALID_SERVICE,
    SIGV4_INVALID_METHOD,
    SIGV4_INVALID_URL,
    SIGV4_INVALID_HEADER_NAME,
    SIGV4_INVALID_HEADER_VALUE,
    SIGV4_INVALID_EXPIRY,
    SIGV4_INVALID_PAYLOAD_HASH,
    SIGV4_INVALID_TIMESTAMP,
    SIGV4_INVALID_OPTION,
    SIGV4_INVALID_UTF8,
    SIGV4_MISSING_AUTHENTICATION_TOKEN,
    SIGV4_INCOMPLETE_SIGNATURE,
    SIGV4_AUTHORIZATION_HEADER_MALFORMED,
    SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR,
    SIGV4_INVALID_ACCESS_KEY_ID,
    SIGV4_INVALID_TOKEN,
    SIGV4_REQUEST_TIME_TOO_SKEWED,
    SIGV4_REQUEST_EXPIRED,
    SIGV4_SIGNATURE_DOES_NOT_MATCH,
    SIGV4_UNSIGNED_HEADER,
    SIGV4_X_AMZ_CONTENT_SHA256_MISMATCH,
    SIGV4_REQUEST_REPLAYED,
    SIGV4_REPLAY_STORE_UNAVAILABLE,
    SIGV4_INVALID_CHUNK,
];

impl sigv4_result {
    /// The value for a core error kind (the one place the kinds are mapped).
    pub(crate) fn from_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidCredentials => SIGV4_INVALID_CREDENTIALS,
            ErrorKind::InvalidRegion => SIGV4_INVALID_REGION,
            ErrorKind::InvalidService => SIGV4_INVALID_SERVICE,
            ErrorKind::InvalidMethod => SIGV4_INVALID_METHOD,
            ErrorKind::InvalidUrl => SIGV4_INVALID_URL,
            ErrorKind::InvalidHeaderName => SIGV4_INVALID_HEADER_NAME,
            ErrorKind::InvalidHeaderValue => SIGV4_INVALID_HEADER_VALUE,
            ErrorKind::InvalidExpiry => SIGV4_INVALID_EXPIRY,
            ErrorKind::InvalidPayloadHash => SIGV4_INVALID_PAYLOAD_HASH,
            ErrorKind::InvalidTimestamp => SIGV4_INVALID_TIMESTAMP,
            ErrorKind::InvalidOption => SIGV4_INVALID_OPTION,
            ErrorKind::InvalidUtf8 => SIGV4_INVALID_UTF8,
            ErrorKind::MissingAuthenticationToken => SIGV4_MISSING_AUTHENTICATION_TOKEN,
            ErrorKind::IncompleteSignature => SIGV4_INCOMPLETE_SIGNATURE,
            ErrorKind::AuthorizationHeaderMalformed => SIGV4_AUTHORIZATION_HEADER_MALFORMED,
            ErrorKind::AuthorizationQueryParametersError => {
                SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR
            }
            ErrorKind::InvalidAccessKeyId => SIGV4_INVALID_ACCESS_KEY_ID,
            ErrorKind::InvalidToken => SIGV4_INVALID_TOKEN,
            ErrorKind::RequestTimeTooSkewed => SIGV4_REQUEST_TIME_TOO_SKEWED,
            ErrorKind::RequestExpired => SIGV4_REQUEST_EXPIRED,
            ErrorKind::SignatureDoesNotMatch => SIGV4_SIGNATURE_DOES_NOT_MATCH,
            ErrorKind::UnsignedHeader => SIGV4_UNSIGNED_HEADER,
            ErrorKind::XAmzContentSha256Mismatch => SIGV4_X_AMZ_CONTENT_SHA256_MISMATCH,
            ErrorKind::RequestReplayed => SIGV4_REQUEST_REPLAYED,
            ErrorKind::ReplayStoreUnavailable => SIGV4_REPLAY_STORE_UNAVAILABLE,
            ErrorKind::InvalidChunk => SIGV4_INVALID_CHUNK,
            _ => SIGV4_UNEXPECTED_ERROR,
        }
    }

    /// The value with this number, if any.
    pub(crate) fn from_u32(value: u32) -> Option<Self> {
        ALL.iter().copied().find(|r| *r as u32 == value)
    }

    /// A static, NUL-terminated description.
    fn message(self) -> &'static str {
        match self {
            SIGV4_OK => "success\0",
            SIGV4_NULL_PARAMETER => "a required pointer argument was NULL\0",
            SIGV4_INSUFFICIENT_SIZE => "the buffer is too small; *out_len holds the needed length\0",
            SIGV4_PANIC => "libsigv4 panicked (a bug: please report it)\0",
            SIGV4_INDEX_OUT_OF_RANGE => "index out of range\0",
            SIGV4_NOT_AVAILABLE => "no such value here (e.g. the authorization of a presigned URL, or no signature mismatch to report)\0",
            SIGV4_UNEXPECTED_ERROR => "an error this version of the C API cannot name\0",
            SIGV4_INVALID_CREDENTIALS => "invalid credentials (access key id, secret access key or session token)\0",
            SIGV4_INVALID_REGION => "invalid region (empty, or contains '/', whitespace or control characters)\0",
            SIGV4_INVALID_SERVICE => "invalid service (empty, or contains '/', whitespace or control characters)\0",
            SIGV4_INVALID_METHOD => "invalid HTTP method (must be a non-empty token such as GET)\0",
            SIGV4_INVALID_URL => "invalid URL (https://host/path, or a /path with a Host header)\0",
            SIGV4_INVALID_HEADER_NAME => "invalid header name (must be a non-empty HTTP token)\0",
            SIGV4_INVALID_HEADER_VALUE => "invalid header value (contains CR, LF or NUL)\0",
            SIGV4_INVALID_EXPIRY => "invalid expiry (must be 1..604800 seconds)\0",
            SIGV4_INVALID_PAYLOAD_HASH => "invalid payload hash (must be 64 hex digits)\0",
            SIGV4_INVALID_TIMESTAMP => "invalid timestamp (YYYYMMDDTHHMMSSZ or YYYY-MM-DDTHH:MM:SSZ, years 0000..9999)\0",
            SIGV4_INVALID_OPTION => "invalid option value, or options that contradict each other\0",
            SIGV4_INVALID_UTF8 => "a text argument is not valid UTF-8\0",
            SIGV4_MISSING_AUTHENTICATION_TOKEN => "MissingAuthenticationToken: no Authorization header and no X-Amz-Algorithm parameter\0",
            SIGV4_INCOMPLETE_SIGNATURE => "IncompleteSignature: a field of the Authorization header is missing, empty or repeated\0",
            SIGV4_AUTHORIZATION_HEADER_MALFORMED => "AuthorizationHeaderMalformed: the Authorization header or its scope is malformed\0",
            SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR => "AuthorizationQueryParametersError: a presigned URL parameter is missing, malformed or repeated\0",
            SIGV4_INVALID_ACCESS_KEY_ID => "InvalidAccessKeyId: the access key id is unknown\0",
            SIGV4_INVALID_TOKEN => "InvalidToken: the session token is missing, unexpected or different\0",
            SIGV4_REQUEST_TIME_TOO_SKEWED => "RequestTimeTooSkewed: the signing time is outside the allowed skew\0",
            SIGV4_REQUEST_EXPIRED => "RequestExpired: the presigned URL has expired or is dated in the future\0",
            SIGV4_SIGNATURE_DOES_NOT_MATCH => "SignatureDoesNotMatch: the recomputed signature differs\0",
            SIGV4_UNSIGNED_HEADER => "UnsignedHeader: a header that must be signed is not signed\0",
            SIGV4_X_AMZ_CONTENT_SHA256_MISMATCH => "XAmzContentSHA256Mismatch: the body does not match x-amz-content-sha256\0",
            SIGV4_REQUEST_REPLAYED => "RequestReplayed: this signature has been seen before\0",
            SIGV4_REPLAY_STORE_UNAVAILABLE => "ReplayStoreUnavailable: the replay store failed or timed out; the request cannot be proven fresh\0",
            SIGV4_INVALID_CHUNK => "InvalidChunk: an aws-chunked body is malformed or a chunk signature is wrong\0",
        }
    }
}

/// A failure inside an exported function: the code to return and the detail to remember.
#[derive(Debug)]
pub(crate) struct Fail {
    pub(crate) code: sigv4_result,
    pub(crate) message: String,
}

impl Fail {
    pub(crate) fn new(code: sigv4_result, message: impl Into<String>) -> Self {
        Fail {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn null(argument: &str) -> Self {
        Fail::new(SIGV4_NULL_PARAMETER, format!("{argument} is NULL"))
    }
}

impl From<sigv4::Error> for Fail {
    fn from(e: sigv4::Error) -> Self {
        // Core messages never contain secrets (a core guarantee, tested there).
        Fail::new(sigv4_result::from_kind(e.kind()), e.to_string())
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

pub(crate) fn remember(message: &str) {
    LAST_ERROR.with(|last| {
        let mut last = last.borrow_mut();
        last.clear();
        last.push_str(message);
    });
}

pub(crate) fn last_error() -> String {
    LAST_ERROR.with(|last| last.borrow().clone())
}

/// A static, NUL-terminated English description of a result code.
///
/// Returns a pointer to a string with static lifetime (never free it); an unknown value gives
/// "unknown result code". Never returns NULL. Thread safety: safe to call from any thread.
#[no_mangle]
pub extern "C" fn sigv4_result_message(result: u32) -> *const c_char {
    let text = match sigv4_result::from_u32(result) {
        Some(r) => r.message(),
        None => "unknown result code\0",
    };
    text.as_ptr().cast()
}

/// Whether a result code means a bad argument to a signing call (100..199), as opposed to a
/// C-API condition or a failed verification. Thread safety: safe to call from any thread.
#[no_mangle]
pub extern "C" fn sigv4_result_is_invalid_input(result: u32) -> bool {
    (100..200).contains(&result) && sigv4_result::from_u32(result).is_some()
}

/// The HTTP status a verifying server answers with for a result code: the core's one error -> status
/// table (`tests/behaviour/errors.json`), e.g. 403 for `SIGV4_SIGNATURE_DOES_NOT_MATCH`, 400 for
/// `SIGV4_INVALID_CHUNK` and the malformed-request codes. `SIGV4_OK` gives 200; a C-API condition
/// (1..99: a NULL argument, a small buffer, a panic) gives 500, since it is the server's fault, not
/// the client's; an unknown value gives 0. Thread safety: safe to call from any thread.
#[no_mangle]
pub extern "C" fn sigv4_result_http_status(result: u32) -> u16 {
    match sigv4_result::from_u32(result) {
        None => 0,
        Some(sigv4_result::SIGV4_OK) => 200,
        Some(r) => ErrorKind::all()
            .iter()
            .find(|kind| sigv4_result::from_kind(**kind) == r)
            .map_or(500, |kind| kind.http_status()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    /// The C column of tests/behaviour/errors.json (the table every language's tests read): each
    /// core code maps to the named `SIGV4_*` result with that value.
    #[test]
    fn result_codes_match_the_shared_error_table() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/behaviour/errors.json"
        ))
        .expect("tests/behaviour/errors.json");
        for kind in ErrorKind::all() {
            let at = text
                .find(&format!("\"{}\": {{", kind.code()))
                .unwrap_or_else(|| panic!("{} missing from errors.json", kind.code()));
            let row = &text[at..at + text[at..].find('}').unwrap()];
            let field = |name: &str| {
                let start = row.find(&format!("\"{name}\": ")).unwrap() + name.len() + 4;
                row[start..]
                    .split([',', '\n'])
                    .next()
                    .unwrap()
                    .trim()
                    .trim_matches('"')
                    .to_string()
            };
            let result = sigv4_result::from_kind(*kind);
            assert_eq!(
                field("c_value"),
                (result as u32).to_string(),
                "{}",
                kind.code()
            );
            assert_eq!(
                field("status"),
                kind.http_status().to_string(),
                "{}",
                kind.code()
            );
        }
    }

    #[test]
    fn every_message_is_nul_terminated_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for r in ALL {
            let text = r.message();
            assert!(text.ends_with('\0') && !text[..text.len() - 1].contains('\0'));
            assert!(seen.insert(text), "{r:?}");
            assert_eq!(sigv4_result::from_u32(*r as u32), Some(*r));
        }
        // SAFETY: the pointer is to a static NUL-terminated string.
        let unknown = unsafe { CStr::from_ptr(sigv4_result_message(9999)) };
        assert_eq!(unknown.to_str(), Ok("unknown result code"));
    }

    #[test]
    fn invalid_input_kinds_map_into_the_100_range() {
        for kind in [
            ErrorKind::InvalidCredentials,
            ErrorKind::InvalidRegion,
            ErrorKind::InvalidUtf8,
            ErrorKind::InvalidOption,
        ] {
            let r = sigv4_result::from_kind(kind) as u32;
            assert!(kind.is_invalid_input());
            assert!(sigv4_result_is_invalid_input(r), "{kind:?}");
        }
        assert!(!sigv4_result_is_invalid_input(
            SIGV4_SIGNATURE_DOES_NOT_MATCH as u32
        ));
    }
}
