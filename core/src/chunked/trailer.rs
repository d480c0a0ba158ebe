//! Trailing headers of an aws-chunked body: names, planned value lengths, canonical form.

use sha2::{Digest, Sha256};

use crate::canonical::{lower_name, trim_value};
use crate::error::{Error, ErrorKind, Result};
use crate::request::{validate_header_name, validate_header_value};

/// The length of the base64 value of a known checksum trailer (`x-amz-checksum-crc32` and kin).
pub fn checksum_value_len(name: &str) -> Option<usize> {
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "x-amz-checksum-crc32" | "x-amz-checksum-crc32c" => 8,
        "x-amz-checksum-crc64nvme" => 12,
        "x-amz-checksum-sha1" => 28,
        "x-amz-checksum-sha256" => 44,
        _ => return None,
    })
}

/// Checks a trailer name: an HTTP token, and not the trailer signature itself.
pub(crate) fn validate_trailer_name(name: &str) -> Result<String> {
    validate_header_name(name).map_err(|_| {
        Error::arg(
            ErrorKind::InvalidHeaderName,
            "trailers",
            format!("trailer name {name:?} is not a valid HTTP token"),
        )
    })?;
    let lower = name.to_ascii_lowercase();
    if lower == "x-amz-trailer-signature" {
        return Err(Error::arg(
            ErrorKind::InvalidHeaderName,
            "trailers",
            "x-amz-trailer-signature is added by the signer, not declared",
        ));
    }
    Ok(lower)
}

/// Checks a trailer value: no CR, LF or NUL.
pub(crate) fn validate_trailer_value(name: &str, value: &str) -> Result<()> {
    validate_header_value(name, value).map_err(|_| {
        Error::arg(
            ErrorKind::InvalidHeaderValue,
            "trailers",
            format!("value of trailer {name:?} contains CR, LF or NUL"),
        )
    })
}

/// SHA-256 of the canonical trailer block: `lowercase-name:trimmed-value\n` per trailer, sorted by
/// name (what the trailer signature covers).
pub(crate) fn canonical_trailer_hash(trailers: &[(&str, &str)]) -> [u8; 32] {
    let mut lines: Vec<(String, String)> = trailers
        .iter()
        .map(|(n, v)| (lower_name(n).into_owned(), trim_value(v).into_owned()))
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = Sha256::new();
    for (name, value) in &lines {
        hasher.update(name.as_bytes());
        hasher.update(b":");
        hasher.update(value.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().into()
}
