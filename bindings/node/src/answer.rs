//! `errorAnswer`: the core's HTTP status and AWS-shaped error body for a failed verification, so
//! the Node middleware answers exactly as the Python and C servers do.

use sigv4::{ErrorFormat, ErrorKind, Mismatch};

/// What a server sends back for a failed verification.
#[napi(object)]
pub struct ErrorAnswer {
    /// The HTTP status.
    pub status: u32,
    /// `application/json` or `application/xml`.
    pub content_type: String,
    /// The error body.
    pub body: String,
}

/// `{status, contentType, body}` for the error `code` with `message`: JSON as API Gateway answers,
/// or XML as S3 answers when `xml`; the server's canonical request and string to sign are added
/// when both are given. Throws for a code the core does not know.
#[napi(js_name = "errorAnswer")]
pub fn error_answer(
    code: String,
    message: String,
    canonical_request: Option<String>,
    string_to_sign: Option<String>,
    xml: Option<bool>,
) -> napi::Result<ErrorAnswer> {
    let kind = ErrorKind::from_code(&code).ok_or_else(|| {
        napi::Error::from_reason(format!(
            "errorAnswer: {code:?} is not an error code of the core"
        ))
    })?;
    let format = if xml.unwrap_or(false) {
        ErrorFormat::Xml
    } else {
        ErrorFormat::Json
    };
    let mismatch = match (canonical_request, string_to_sign) {
        (Some(canonical_request), Some(string_to_sign)) => Some(Mismatch {
            canonical_request,
            string_to_sign,
        }),
        _ => None,
    };
    let answer = sigv4::error_answer(kind, &message, mismatch.as_ref(), format);
    Ok(ErrorAnswer {
        status: u32::from(answer.status),
        content_type: answer.content_type.to_string(),
        body: answer.body,
    })
}
