//! The `Authorization` header, parsed strictly.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind, Result};
use crate::settings::SigningAlgorithm;
use crate::sigv4a::SIGV4A_ALGORITHM;

use super::form::{AuthParts, Form};
use super::headers::HeaderScan;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

fn incomplete(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::IncompleteSignature, message)
}

/// Splits `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` into its three
/// fields: each exactly once, none empty, nothing else. Fields may come in any order, separated by
/// `,` with optional spaces. `AWS4-ECDSA-P256-SHA256` (SigV4a) only when `allow_sigv4a`, and then
/// with exactly one `X-Amz-Region-Set` header.
pub(crate) fn parse<'a>(
    value: &'a str,
    scan: &HeaderScan<'a>,
    allow_sigv4a: bool,
) -> Result<AuthParts<'a>> {
    let value = super::trim_ws(value);
    if value.is_empty() {
        return Err(Form::Header.malformed("the Authorization header is empty"));
    }
    let (algorithm, rest) = split_algorithm(value);
    let algorithm = match algorithm {
        ALGORITHM => SigningAlgorithm::Sigv4,
        SIGV4A_ALGORITHM if allow_sigv4a => SigningAlgorithm::Sigv4a,
        SIGV4A_ALGORITHM => {
            return Err(Form::Header.malformed(
                "SigV4a (AWS4-ECDSA-P256-SHA256) is not accepted by this verifier (allow_sigv4a is off); sign with AWS4-HMAC-SHA256",
            ))
        }
        other => {
            let hint = if other.eq_ignore_ascii_case(ALGORITHM)
                || other.eq_ignore_ascii_case(SIGV4A_ALGORITHM)
            {
                " (the algorithm name is case-sensitive)"
            } else {
                ""
            };
            let accepted = if allow_sigv4a {
                " or AWS4-ECDSA-P256-SHA256"
            } else {
                ""
            };
            return Err(Form::Header.malformed(format!(
                "the Authorization header must start with {ALGORITHM}{accepted}{hint}"
            )));
        }
    };
    let (credential, signed_headers, signature) = match usual_layout(rest) {
        Some(fields) => fields,
        None => fields(rest)?,
    };
    let amz_date = match (scan.amz_date, scan.amz_date_count) {
        (_, 0) => {
            return Err(incomplete(
                "header signing requires an X-Amz-Date header (YYYYMMDDTHHMMSSZ)",
            ))
        }
        (Some(date), 1) => date,
        _ => return Err(Form::Header.malformed("the X-Amz-Date header appears more than once")),
    };
    let region_set = match (algorithm, scan.region_set_count) {
        (SigningAlgorithm::Sigv4, _) => None,
        (SigningAlgorithm::Sigv4a, 0) => {
            return Err(incomplete(
                "SigV4a header signing requires an X-Amz-Region-Set header (the regions the signature is valid in)",
            ))
        }
        (SigningAlgorithm::Sigv4a, 1) => scan.region_set.map(Cow::Borrowed),
        (SigningAlgorithm::Sigv4a, _) => {
            return Err(Form::Header.malformed(
                "the X-Amz-Region-Set header appears more than once",
            ))
        }
    };
    Ok(AuthParts {
        form: Form::Header,
        algorithm,
        region_set,
        credential: Cow::Borrowed(credential),
        signed_headers: Cow::Borrowed(signed_headers),
        signature: Cow::Borrowed(signature),
        amz_date: Cow::Borrowed(amz_date),
        expires: None,
        token: scan.token.map(Cow::Borrowed),
    })
}

/// The algorithm name and the fields after it: the name runs to the first space or tab (SigV4's
/// name has neither).
fn split_algorithm(value: &str) -> (&str, &str) {
    match value.strip_prefix("AWS4-HMAC-SHA256 ") {
        Some(rest) => (ALGORITHM, rest),
        None => match value.bytes().position(|b| b == b' ' || b == b'\t') {
            Some(i) => (&value[..i], &value[i + 1..]),
            None => (value, ""),
        },
    }
}

/// The `SignedHeaders` field of an `Authorization` value, found as [`parse`] finds it (any
/// algorithm name); `None` when the fields are malformed.
pub(crate) fn signed_headers_field(value: &str) -> Option<&str> {
    let (_, rest) = split_algorithm(super::trim_ws(value));
    let (_, signed_headers, _) = match usual_layout(rest) {
        Some(fields) => fields,
        None => fields(rest).ok()?,
    };
    Some(signed_headers)
}

/// The three fields in the form SDKs send them, `Credential=c, SignedHeaders=s, Signature=x`,
/// found without splitting; `None` for any other layout (the general parse then decides). On a
/// match the values are the ones [`fields`] would return, since none is empty, none has spaces
/// or tabs around it, none holds a ','.
fn usual_layout(rest: &str) -> Option<(&str, &str, &str)> {
    let rest = rest.strip_prefix("Credential=")?;
    let comma = super::find_byte(rest.as_bytes(), b',')?;
    let (credential, rest) = (&rest[..comma], &rest[comma + 1..]);
    let rest = rest.strip_prefix(" SignedHeaders=")?;
    let comma = super::find_byte(rest.as_bytes(), b',')?;
    let (signed_headers, rest) = (&rest[..comma], &rest[comma + 1..]);
    let signature = rest.strip_prefix(" Signature=")?;
    if super::find_byte(signature.as_bytes(), b',').is_some() {
        return None;
    }
    let bare = |v: &str| !v.is_empty() && super::trim_ws(v).len() == v.len();
    (bare(credential) && bare(signed_headers) && bare(signature)).then_some((
        credential,
        signed_headers,
        signature,
    ))
}

/// The three fields in any order, separated by `,` with optional spaces: each exactly once, none
/// empty, nothing else.
fn fields<'a>(rest: &'a str) -> Result<(&'a str, &'a str, &'a str)> {
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for field in super::split_byte(rest, b',') {
        let field = super::trim_ws(field);
        if field.is_empty() {
            return Err(incomplete(
                "the Authorization header has an empty field (stray comma)",
            ));
        }
        let (name, val) = super::split_once_byte(field, b'=').ok_or_else(|| {
            incomplete("each Authorization field must be Name=value (Credential, SignedHeaders, Signature)")
        })?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => {
                return Err(incomplete(format!(
                    "unknown Authorization field {:?}; only Credential, SignedHeaders and Signature are allowed",
                    truncate(name)
                )))
            }
        };
        if slot.is_some() {
            return Err(incomplete(format!(
                "the Authorization field {name} appears more than once"
            )));
        }
        if val.is_empty() {
            return Err(incomplete(format!(
                "the Authorization field {name} is empty"
            )));
        }
        *slot = Some(val);
    }
    let need = |slot: Option<&'a str>, name: &str| {
        slot.ok_or_else(|| incomplete(format!("the Authorization header requires a {name} field")))
    };
    let credential = need(credential, "Credential")?;
    let signed_headers = need(signed_headers, "SignedHeaders")?;
    let signature = need(signature, "Signature")?;
    Ok((credential, signed_headers, signature))
}

/// At most 64 characters of attacker-supplied text for a message.
pub(crate) fn truncate(text: &str) -> &str {
    match text.char_indices().nth(64) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::{fields, usual_layout};

    /// Whenever the shortcut answers, the general parse gives the same three values.
    #[test]
    fn shortcut_agrees_with_the_general_parse() {
        for rest in [
            "Credential=c, SignedHeaders=s, Signature=x",
            "Credential=c,SignedHeaders=s,Signature=x",
            "Credential=c, SignedHeaders=s, Signature=x ",
            "Credential= c, SignedHeaders=s, Signature=x",
            "Credential=c , SignedHeaders=s, Signature=x",
            "Credential=c, SignedHeaders=s, Signature=x, Signature=y",
            "Credential=c, SignedHeaders=s, Signature=",
            "Credential=, SignedHeaders=s, Signature=x",
            "Credential=a=b, SignedHeaders=s=t, Signature=x=y",
            "Credential=c, SignedHeaders=\ts, Signature=x",
            "Signature=x, Credential=c, SignedHeaders=s",
            "Credential=c, SignedHeaders=s,  Signature=x",
        ] {
            if let Some(fast) = usual_layout(rest) {
                assert_eq!(fields(rest).ok(), Some(fast), "{rest:?}");
            }
        }
        assert_eq!(
            usual_layout("Credential=c, SignedHeaders=s, Signature=x"),
            Some(("c", "s", "x"))
        );
    }
}
