//! The texts SigV4 builds from the credential: the scope (`date/region/service/aws4_request`),
//! the credential (`AKID/scope`) and the `Authorization` header's value
//! (`ALGORITHM Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`). Written here once for
//! the signer, the exact signer and the aws4 mode, so their formats cannot drift apart.

use std::ops::Range;

/// Appends the credential scope `date/region/service/aws4_request` (no region for SigV4a).
pub(crate) fn push_scope(text: &mut String, date: &str, region: Option<&str>, service: &str) {
    text.push_str(date);
    text.push('/');
    if let Some(region) = region {
        text.push_str(region);
        text.push('/');
    }
    text.push_str(service);
    text.push_str("/aws4_request");
}

/// Appends the credential `AKID/date/region/service/aws4_request`, returning where the scope
/// (`date/...`) starts.
pub(crate) fn push_credential(
    text: &mut String,
    akid: &str,
    date: &str,
    region: Option<&str>,
    service: &str,
) -> usize {
    text.push_str(akid);
    text.push('/');
    let scope_start = text.len();
    push_scope(text, date, region, service);
    scope_start
}

/// Appends an `Authorization` value: `algorithm Credential=<credential>, SignedHeaders=<names>,
/// Signature=<signature>`, the credential and the names written by the callers' writers (each
/// signer holds them in its own shape). Returns where the signature went.
pub(crate) fn push_authorization(
    text: &mut String,
    algorithm: &str,
    credential: impl FnOnce(&mut String),
    signed_headers: impl FnOnce(&mut String),
    signature: &str,
) -> Range<usize> {
    text.push_str(algorithm);
    text.push_str(" Credential=");
    credential(text);
    text.push_str(", SignedHeaders=");
    signed_headers(text);
    text.push_str(", Signature=");
    let start = text.len();
    text.push_str(signature);
    start..text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected texts: the AWS SigV4 test suite's get-vanilla (Authorization) and the SigV4a
    // scope as botocore writes it.
    #[test]
    fn authorization_as_in_the_aws_suite() {
        let mut t = String::new();
        let sig = push_authorization(
            &mut t,
            "AWS4-HMAC-SHA256",
            |t| {
                push_credential(t, "AKIDEXAMPLE", "20150830", Some("us-east-1"), "service");
            },
            |t| t.push_str("host;x-amz-date"),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        );
        assert_eq!(
            t,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(&t[sig][..8], "5fa00fa3");
    }

    #[test]
    fn sigv4a_scope_has_no_region() {
        let mut t = String::new();
        assert_eq!(
            push_credential(&mut t, "AKID", "20150830", None, "service"),
            5
        );
        assert_eq!(t, "AKID/20150830/service/aws4_request");
    }
}
