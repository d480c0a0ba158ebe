//! The HTTP answer to a failed verification: its status and an AWS-shaped error body.
//!
//! One home for both, so every binding's middleware answers the same request the same way
//! (they used to keep their own tables and disagreed on `InvalidChunk`).

use crate::error::{Error, ErrorKind, Mismatch};

/// Every kind, for [`ErrorKind::from_code`] (and tests that walk the whole table).
const ALL: [ErrorKind; 26] = [
    ErrorKind::InvalidCredentials,
    ErrorKind::InvalidRegion,
    ErrorKind::InvalidService,
    ErrorKind::InvalidMethod,
    ErrorKind::InvalidUrl,
    ErrorKind::InvalidHeaderName,
    ErrorKind::InvalidHeaderValue,
    ErrorKind::InvalidExpiry,
    ErrorKind::InvalidPayloadHash,
    ErrorKind::InvalidTimestamp,
    ErrorKind::InvalidOption,
    ErrorKind::InvalidUtf8,
    ErrorKind::MissingAuthenticationToken,
    ErrorKind::IncompleteSignature,
    ErrorKind::AuthorizationHeaderMalformed,
    ErrorKind::AuthorizationQueryParametersError,
    ErrorKind::InvalidAccessKeyId,
    ErrorKind::InvalidToken,
    ErrorKind::RequestTimeTooSkewed,
    ErrorKind::RequestExpired,
    ErrorKind::SignatureDoesNotMatch,
    ErrorKind::UnsignedHeader,
    ErrorKind::XAmzContentSha256Mismatch,
    ErrorKind::RequestReplayed,
    ErrorKind::ReplayStoreUnavailable,
    ErrorKind::InvalidChunk,
];

/// The body shape of an error answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorFormat {
    /// `{"__type": code, "message": ...}` as API Gateway and the JSON protocols answer.
    Json,
    /// `<Error><Code>..</Code><Message>..</Message></Error>` as S3 answers.
    Xml,
}

/// What a server sends back for a failed verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorAnswer {
    /// The HTTP status ([`ErrorKind::http_status`]).
    pub status: u16,
    /// `application/json` or `application/xml`.
    pub content_type: &'static str,
    /// The error body.
    pub body: String,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub fn all() -> &'static [ErrorKind] {
        &ALL
    }

    /// The kind whose [`code`](ErrorKind::code) is `code` (bindings get codes back from their
    /// error objects), or `None`.
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        ALL.iter().copied().find(|k| k.code() == code)
    }

    /// The HTTP status a server answers with: 400 when the request is not valid HTTP or its body
    /// is not a valid aws-chunked stream (the client must fix its framing, not its credentials),
    /// 503 when the replay store is unavailable (the request may be fine: retry later), 403 for
    /// every authentication failure.
    pub fn http_status(self) -> u16 {
        if self == ErrorKind::ReplayStoreUnavailable {
            503
        } else if self.is_malformed_request() {
            400
        } else {
            403
        }
    }

    /// True when a verification ended because the request itself is malformed (a bad URL,
    /// header, payload hash, method, text or chunk framing) rather than because of who signed it.
    pub fn is_malformed_request(self) -> bool {
        matches!(
            self,
            ErrorKind::InvalidUrl
                | ErrorKind::InvalidHeaderName
                | ErrorKind::InvalidHeaderValue
                | ErrorKind::InvalidPayloadHash
                | ErrorKind::InvalidMethod
                | ErrorKind::InvalidUtf8
                | ErrorKind::InvalidChunk
        )
    }
}

impl Error {
    /// The answer to this failed verification; with `explain` a `SignatureDoesNotMatch` answer
    /// also carries the server's canonical request and string to sign, as S3 does (nothing in
    /// them is secret: the client sent every byte).
    pub fn answer(&self, format: ErrorFormat, explain: bool) -> ErrorAnswer {
        let mismatch = if explain { self.mismatch() } else { None };
        error_answer(self.kind(), self.message(), mismatch, format)
    }
}

/// The answer for `kind` with `message` (and the server's computation when given), for
/// bindings that hold an error as its code and message.
pub fn error_answer(
    kind: ErrorKind,
    message: &str,
    mismatch: Option<&Mismatch>,
    format: ErrorFormat,
) -> ErrorAnswer {
    let code = kind.code();
    let body = match format {
        ErrorFormat::Json => {
            let mut out = format!(
                "{{\"__type\":{},\"message\":{}",
                json_string(code),
                json_string(message)
            );
            if let Some(m) = mismatch {
                out.push_str(",\"canonicalRequest\":");
                out.push_str(&json_string(&m.canonical_request));
                out.push_str(",\"stringToSign\":");
                out.push_str(&json_string(&m.string_to_sign));
            }
            out.push('}');
            out
        }
        ErrorFormat::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
            xml_element(&mut out, "Code", code);
            xml_element(&mut out, "Message", message);
            if let Some(m) = mismatch {
                xml_element(&mut out, "StringToSign", &m.string_to_sign);
                xml_element(&mut out, "CanonicalRequest", &m.canonical_request);
            }
            out.push_str("</Error>");
            out
        }
    };
    ErrorAnswer {
        status: kind.http_status(),
        content_type: match format {
            ErrorFormat::Json => "application/json",
            ErrorFormat::Xml => "application/xml",
        },
        body,
    }
}

/// `text` as a JSON string literal (RFC 8259: quote, backslash and controls escaped).
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `<name>text</name>` with XML's five special characters escaped; characters XML 1.0 cannot
/// carry at all (controls other than tab, CR, LF) become U+FFFD.
fn xml_element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}
