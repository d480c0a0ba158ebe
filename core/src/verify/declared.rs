//! The header names a request declares signed, read by the verifier's own parsers without
//! verifying anything: for a server quirk that must know whether a header was signed before the
//! request is verified (wsgiref invents `Content-Type: text/plain`; the Python WSGI middleware drops
//! it unless the client signed `content-type`).

use std::borrow::Cow;

use super::{parse_header, parse_query};

/// The names in the `SignedHeaders` field of `authorization` (the `Authorization` header's value),
/// or without one, in the query's `X-Amz-SignedHeaders` parameter (decoded), split on `;` as
/// sent. `None` when the request declares none: no signature, or its fields are malformed (the
/// verifier then refuses it). The names are not checked here (lowercase, sorted and unique is the
/// verifier's check).
pub fn declared_signed_headers<'a>(
    authorization: Option<&'a str>,
    query: &'a str,
) -> Option<Vec<Cow<'a, str>>> {
    let list = match authorization {
        Some(value) => Cow::Borrowed(parse_header::signed_headers_field(value)?),
        None => parse_query::signed_headers_param(query)?,
    };
    Some(match list {
        Cow::Borrowed(list) => list.split(';').map(Cow::Borrowed).collect(),
        Cow::Owned(list) => list.split(';').map(|n| Cow::Owned(n.to_owned())).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(authorization: Option<&str>, query: &str) -> Option<Vec<String>> {
        declared_signed_headers(authorization, query)
            .map(|names| names.into_iter().map(Cow::into_owned).collect())
    }

    // Authorization values and presigned queries as botocore writes them (the AWS suite's
    // get-vanilla and a presigned GET).
    #[test]
    fn names_from_the_header_or_the_query() {
        let auth =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                    SignedHeaders=content-type;host;x-amz-date, Signature=abc";
        assert_eq!(
            declared(Some(auth), ""),
            Some(vec![
                "content-type".into(),
                "host".into(),
                "x-amz-date".into()
            ])
        );
        // Fields in another order, spaces around them: as the verifier reads them.
        let reordered = "AWS4-HMAC-SHA256 Signature=abc ,  SignedHeaders=host,Credential=A/s";
        assert_eq!(declared(Some(reordered), ""), Some(vec!["host".into()]));
        let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=content-type%3Bhost&a=1";
        assert_eq!(
            declared(None, query),
            Some(vec!["content-type".into(), "host".into()])
        );
        assert_eq!(
            declared(None, "X-Amz-SignedHeaders=host"),
            Some(vec!["host".into()])
        );
    }

    #[test]
    fn none_when_nothing_is_declared_or_the_fields_are_malformed() {
        assert_eq!(declared(None, "a=1"), None);
        assert_eq!(declared(None, ""), None);
        assert_eq!(declared(Some("AWS4-HMAC-SHA256 Credential=A/s"), ""), None);
        assert_eq!(
            declared(
                Some(
                    "AWS4-HMAC-SHA256 SignedHeaders=a, SignedHeaders=b, Signature=x, Credential=c"
                ),
                ""
            ),
            None
        );
        // A spelling the verifier refuses is not read as the parameter.
        assert_eq!(declared(None, "x-amz-signedheaders=host"), None);
        // The header wins: the query is not read when an Authorization value is given.
        assert_eq!(declared(Some("Bearer x"), "X-Amz-SignedHeaders=host"), None);
    }
}
