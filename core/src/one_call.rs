//! The one-call signing: every parameter in one struct, no signer to build first.
//!
//! The C `sigv4_sign_v4`, Python `sigv4.sign_v4` and Node `signV4` all take KumoMTA's
//! `aws_sign_v4` parameter set; they used to build the URL and pick the options each on its own,
//! and one of them signed S3 requests differently. They now translate their values into
//! [`OneCall`] and call [`sign_v4`].
//!
//! The service's defaults apply, as a `Signer::new` would pick them: for the S3 family the path is
//! encoded once, not normalised, and `x-amz-content-sha256` is added and signed (botocore's
//! `S3SigV4Auth` and aws4's `service: 's3'` both add it; the caller sends every header of
//! [`SignedRequest::headers`]).

use crate::credentials::Credentials;
use crate::encode::encode;
use crate::error::Result;
use crate::output::SignedRequest;
use crate::request::{Body, Request};
use crate::settings::SigningSettings;
use crate::sign::{sign, SigningParams};
use crate::time::SigningTime;

/// The parameters of [`sign_v4`] (KumoMTA's `aws_sign_v4` field set; the time is given, the core
/// reads no clock).
#[derive(Clone, Copy, Debug)]
pub struct OneCall<'a> {
    /// AWS access key id.
    pub access_key: &'a str,
    /// AWS secret access key.
    pub secret_key: &'a str,
    /// Session token of temporary credentials.
    pub session_token: Option<&'a str>,
    /// Region, e.g. `us-east-1`.
    pub region: &'a str,
    /// Service, e.g. `s3`, `sns`, `execute-api` (the S3 family gets S3's rules).
    pub service: &'a str,
    /// HTTP method.
    pub method: &'a str,
    /// The path as sent on the wire (`/bucket/key`), possibly with a query; an absolute URL works
    /// too (then no `host` header is needed).
    pub uri: &'a str,
    /// Query parameters as raw (unencoded) name/value pairs: encoded with SigV4's rules and
    /// appended to `uri` in the order given (after a `&` when `uri` already has a query).
    pub query_params: &'a [(&'a str, &'a str)],
    /// The headers to sign; must include `host` unless `uri` is an absolute URL.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub payload: &'a [u8],
    /// The signing time.
    pub time: SigningTime,
}

/// `uri` with `query_params` encoded and appended: the URL [`sign_v4`] signs.
pub fn one_call_url(uri: &str, query_params: &[(&str, &str)]) -> String {
    let mut url = String::with_capacity(uri.len() + 32 * query_params.len());
    url.push_str(uri);
    let mut separator = if uri.contains('?') { '&' } else { '?' };
    for (name, value) in query_params {
        url.push(separator);
        separator = '&';
        url.push_str(&encode(name));
        url.push('=');
        url.push_str(&encode(value));
    }
    url
}

/// Signs one request with an `Authorization` header and the service's default options, deriving
/// the signing key afresh (a [`Signer`](crate::Signer) caches it for many requests).
///
/// The result carries `authorization`, the `X-Amz-Date` value (KumoMTA's `timestamp`), the
/// signature, canonical request, string to sign, the URL signed and every header to send.
/// Errors: the kinds of [`Credentials::new`], [`Request::new`] and [`sign`].
pub fn sign_v4(call: &OneCall<'_>) -> Result<SignedRequest> {
    let credentials = Credentials::new(
        call.access_key,
        call.secret_key,
        call.session_token.map(str::to_owned),
    )?;
    let settings = SigningSettings::for_service(call.service);
    let url = one_call_url(call.uri, call.query_params);
    let request = Request::new(call.method, &url, call.headers, Body::Bytes(call.payload))?;
    let params = SigningParams::new(
        &credentials,
        call.region,
        call.service,
        call.time,
        &settings,
    );
    sign(&request, &params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_are_encoded_and_appended() {
        assert_eq!(one_call_url("/a", &[]), "/a");
        assert_eq!(
            one_call_url("/a", &[("b c", "d/e"), ("f", "")]),
            "/a?b%20c=d%2Fe&f="
        );
        assert_eq!(one_call_url("/a?x=1", &[("y", "2")]), "/a?x=1&y=2");
    }
}
