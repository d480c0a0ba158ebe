//! The canonical request and the string to sign, shared by the signer and the verifier.

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::encode::{
    canonical_query_into, canonical_query_into_small, canonical_uri_into, verbatim_query_into,
};
use crate::error::Result;
use crate::hash::push_hex;
use crate::request::{validate_header_name, validate_header_value};
use crate::settings::{PathNormalization, QueryEncoding, UriEncoding};

/// One header as it enters the canonical request: lowercase name, trimmed value.
#[derive(Clone, Debug)]
pub(crate) struct CanonicalHeader<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) value: Cow<'a, str>,
}

/// Lowercases `name`, borrowing when it already is.
pub(crate) fn lower_name(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Trims spaces and tabs and collapses inner runs to one space, borrowing when nothing changes.
pub(crate) fn trim_value(value: &str) -> Cow<'_, str> {
    let trimmed = value.trim_matches([' ', '\t']);
    let b = trimmed.as_bytes();
    let needs_collapse = b.windows(2).any(|w| {
        (w[0] == b' ' || w[0] == b'\t') && (w[1] == b' ' || w[1] == b'\t') || w[0] == b'\t'
    }) || b.last() == Some(&b'\t');
    if !needs_collapse {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut in_space = false;
    for c in trimmed.chars() {
        if c == ' ' || c == '\t' {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    Cow::Owned(out)
}

/// Makes a header ready for the canonical request, checking name and value.
pub(crate) fn canonical_header<'a>(name: &'a str, value: &'a str) -> Result<CanonicalHeader<'a>> {
    validate_header_name(name)?;
    validate_header_value(name, value)?;
    Ok(CanonicalHeader {
        name: lower_name(name),
        value: trim_value(value),
    })
}

/// Sorts by name (stable, so repeated headers keep their order) and joins repeats with `,`.
///
/// One pass after the sort: linear in the number of headers however many share a name (removing
/// each repeat from the vector in place made 80,000 repeats take seconds).
pub(crate) fn sort_and_merge(headers: &mut Vec<CanonicalHeader<'_>>) {
    headers.sort_by(|a, b| a.name.cmp(&b.name));
    if headers.windows(2).all(|w| w[0].name != w[1].name) {
        return;
    }
    let mut merged: Vec<CanonicalHeader<'_>> = Vec::with_capacity(headers.len());
    for header in headers.drain(..) {
        match merged.last_mut() {
            Some(prev) if prev.name == header.name => {
                let value = prev.value.to_mut();
                value.push(',');
                value.push_str(&header.value);
            }
            _ => merged.push(header),
        }
    }
    *headers = merged;
}

/// The parts of a canonical request that differ between requests.
pub(crate) struct CanonicalInput<'a, 'h> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) extra_query: &'a [(&'a str, &'a str)],
    pub(crate) headers: &'a [CanonicalHeader<'h>],
    pub(crate) payload_hash: &'a str,
    pub(crate) uri_encoding: UriEncoding,
    pub(crate) path_normalization: PathNormalization,
    pub(crate) query_encoding: QueryEncoding,
}

/// Appends the `SignedHeaders` value (sorted lowercase names joined by `;`) to `out`.
pub(crate) fn write_signed_headers(out: &mut String, headers: &[CanonicalHeader<'_>]) {
    for (i, h) in headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(&h.name);
    }
}

/// Appends the canonical request text to `out` (the signed-headers line written from `input.headers`).
pub(crate) fn write_canonical_request(out: &mut String, input: &CanonicalInput<'_, '_>) {
    out.push_str(input.method);
    out.push('\n');
    canonical_uri_into(
        out,
        input.path,
        input.uri_encoding,
        input.path_normalization,
    );
    out.push('\n');
    if input.query_encoding == QueryEncoding::Verbatim {
        verbatim_query_into(out, input.query, input.extra_query);
    } else if input.extra_query.is_empty() {
        canonical_query_into_small(out, input.query);
    } else {
        canonical_query_into(out, input.query, input.extra_query);
    }
    out.push('\n');
    for h in input.headers {
        out.push_str(&h.name);
        out.push(':');
        out.push_str(&h.value);
        out.push('\n');
    }
    out.push('\n');
    write_signed_headers(out, input.headers);
    out.push('\n');
    out.push_str(input.payload_hash);
}

/// Appends the string to sign to `out`: algorithm, time, the scope
/// `date/[region/]service/aws4_request`, and the hash of the canonical request.
pub(crate) fn write_string_to_sign(
    out: &mut String,
    algorithm: &str,
    amz_date: &str,
    scope_parts: &[&str],
    canonical_request_hash: &[u8],
) {
    out.push_str(algorithm);
    out.push('\n');
    out.push_str(amz_date);
    out.push('\n');
    out.push_str(&amz_date[..8]);
    for part in scope_parts {
        out.push('/');
        out.push_str(part);
    }
    out.push_str("/aws4_request\n");
    push_hex(out, canonical_request_hash);
}

/// The string to sign for `algorithm` (`AWS4-HMAC-SHA256` or `AWS4-ECDSA-P256-SHA256`).
pub(crate) fn string_to_sign_for(
    algorithm: &str,
    amz_date: &str,
    scope: &str,
    canonical_request: &str,
) -> String {
    let mut out = String::with_capacity(algorithm.len() + 1 + 17 + scope.len() + 1 + 64);
    out.push_str(algorithm);
    out.push('\n');
    out.push_str(amz_date);
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    push_hex(&mut out, &Sha256::digest(canonical_request.as_bytes()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_collapses() {
        assert_eq!(trim_value("  a   b \t c  "), "a b c");
        assert_eq!(trim_value("\"a   b   c\""), "\"a b c\"");
        assert!(matches!(
            trim_value(" plain value "),
            Cow::Borrowed("plain value")
        ));
        assert_eq!(trim_value("a\tb"), "a b");
    }
}
