//! `sigv4_sign_v4`: one call for the common case, with the parameters of KumoMTA's `aws_sign_v4`.

use sigv4::{nonce_value, OneCall, SigningTime, NONCE_BYTES, NONCE_HEADER};

use crate::boundary::{guard, handle, into_handle, opt_bytes, opt_text, out_ptr, text, write};
use crate::request::{pairs, sigv4_pair};
use crate::result::{sigv4_result, Fail};
use crate::signed::sigv4_signed_request;
use crate::time::now;

/// The parameters of `sigv4_sign_v4` (the field set of KumoMTA's `kumo.crypto.aws_sign_v4`).
///
/// Zero-initialise it and set the fields; every pointer is only read during the call, every string
/// is UTF-8 and not NUL-terminated. Required: `access_key`, `secret_key`, `region`, `service`,
/// `method`, `uri`. Optional (NULL and 0 when absent): `query_params`, `headers`, `payload`,
/// `timestamp`, `session_token`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sigv4_sign_v4_params {
    /// AWS access key id.
    pub access_key: *const u8,
    /// Length of `access_key`.
    pub access_key_len: usize,
    /// AWS secret access key.
    pub secret_key: *const u8,
    /// Length of `secret_key`.
    pub secret_key_len: usize,
    /// Region, e.g. `us-east-1`.
    pub region: *const u8,
    /// Length of `region`.
    pub region_len: usize,
    /// Service, e.g. `s3`, `sns`, `execute-api` (the S3 family gets S3's rules).
    pub service: *const u8,
    /// Length of `service`.
    pub service_len: usize,
    /// HTTP method, e.g. `GET`.
    pub method: *const u8,
    /// Length of `method`.
    pub method_len: usize,
    /// Request path as sent on the wire, e.g. `/my-bucket/object.txt` (an absolute URL also works).
    pub uri: *const u8,
    /// Length of `uri`.
    pub uri_len: usize,
    /// Query parameters as raw (unencoded) name/value pairs; encoded with the SigV4 rules and
    /// appended to `uri` in the order given.
    pub query_params: *const sigv4_pair,
    /// Number of query parameters.
    pub query_params_len: usize,
    /// Headers to sign; must include `host` unless `uri` is an absolute URL.
    pub headers: *const sigv4_pair,
    /// Number of headers.
    pub headers_len: usize,
    /// Request body (NULL for an empty body).
    pub payload: *const u8,
    /// Length of `payload`.
    pub payload_len: usize,
    /// Signing time, `YYYYMMDDTHHMMSSZ` or `YYYY-MM-DDTHH:MM:SSZ`; NULL for the current time.
    pub timestamp: *const u8,
    /// Length of `timestamp`.
    pub timestamp_len: usize,
    /// Session token of temporary credentials; NULL for none.
    pub session_token: *const u8,
    /// Length of `session_token`.
    pub session_token_len: usize,
}

/// Signs one request in one call, like KumoMTA's `aws_sign_v4`: no handles to create first.
///
/// The core's `sign_v4`: the service's default options (the S3 family also signs
/// `x-amz-content-sha256`, as botocore and aws4 do); the signing key is derived afresh (use a
/// `sigv4_signer` to sign many requests faster). On success writes a new result to `*signed_out` (free it with
/// `sigv4_signed_request_free`); read `authorization`, `amz_date` (KumoMTA's `timestamp`),
/// `signature`, `canonical_request` and `string_to_sign` from it with the
/// `sigv4_signed_request_*` accessors, and the full header list to send with
/// `sigv4_signed_request_header`.
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` (NULL `params`, `signed_out` or a required field, or
/// a NULL array with a non-zero count), `SIGV4_INVALID_UTF8`, `SIGV4_INVALID_CREDENTIALS`,
/// `SIGV4_INVALID_REGION`, `SIGV4_INVALID_SERVICE`, `SIGV4_INVALID_METHOD`, `SIGV4_INVALID_URL`
/// (e.g. no `host` header), `SIGV4_INVALID_HEADER_NAME`, `SIGV4_INVALID_HEADER_VALUE` or
/// `SIGV4_INVALID_TIMESTAMP`. Thread safety: safe to call from any number of threads at once.
#[no_mangle]
pub extern "C" fn sigv4_sign_v4(
    params: *const sigv4_sign_v4_params,
    signed_out: *mut *mut sigv4_signed_request,
) -> sigv4_result {
    guard(|| sign(params, 0, signed_out))
}

/// `sigv4_sign_v4_with_flags`: add a signed random `X-Request-Nonce` header (32 lowercase hex
/// digits, 128 bits from the operating system's random source), so two identical calls in the same
/// second are distinct requests to a verifier's replay protection. Read the value back with
/// `SIGV4_FIELD_NONCE`.
pub const SIGV4_SIGN_V4_NONCE: u32 = 1;

/// Every flag `sigv4_sign_v4_with_flags` knows.
const KNOWN_FLAGS: u32 = SIGV4_SIGN_V4_NONCE;

/// `sigv4_sign_v4` with options that the parameter struct (fixed layout: part of the ABI) has no
/// field for: `flags` is a bitwise OR of `SIGV4_SIGN_V4_*` values (0 = exactly `sigv4_sign_v4`).
///
/// `SIGV4_SIGN_V4_NONCE` adds a signed `X-Request-Nonce` header with a fresh random value to the
/// headers to sign (after the caller's; it is also in the header list the result gives to send).
/// Use it when the same request may be sent twice within one second to a verifier with replay
/// protection: without it, the second copy has the same signature and is refused with
/// `SIGV4_REQUEST_REPLAYED`. The nonce is available as `SIGV4_FIELD_NONCE` on the result.
///
/// Returns what `sigv4_sign_v4` returns, and `SIGV4_INVALID_OPTION` for a flag bit this version
/// does not know (so a program built against a newer header fails clearly on an older library),
/// or `SIGV4_UNEXPECTED_ERROR` if the operating system gives no random bytes.
/// Thread safety: safe to call from any number of threads at once.
#[no_mangle]
pub extern "C" fn sigv4_sign_v4_with_flags(
    params: *const sigv4_sign_v4_params,
    flags: u32,
    signed_out: *mut *mut sigv4_signed_request,
) -> sigv4_result {
    guard(|| sign(params, flags, signed_out))
}

fn new_nonce() -> Result<String, Fail> {
    let mut random = [0u8; NONCE_BYTES];
    getrandom::getrandom(&mut random).map_err(|e| {
        Fail::new(
            sigv4_result::SIGV4_UNEXPECTED_ERROR,
            format!("no random bytes for the nonce from the operating system: {e}"),
        )
    })?;
    Ok(nonce_value(&random))
}

fn sign(
    params: *const sigv4_sign_v4_params,
    flags: u32,
    signed_out: *mut *mut sigv4_signed_request,
) -> Result<(), Fail> {
    out_ptr(signed_out, "signed_out")?;
    if flags & !KNOWN_FLAGS != 0 {
        return Err(Fail::new(
            sigv4_result::SIGV4_INVALID_OPTION,
            format!(
                "flags {flags:#x} has bits this version does not know (known: SIGV4_SIGN_V4_NONCE = {SIGV4_SIGN_V4_NONCE})"
            ),
        ));
    }
    let p = handle(params, "params")?;
    let access_key = text(p.access_key, p.access_key_len, "access_key")?;
    let secret_key = text(p.secret_key, p.secret_key_len, "secret_key")?;
    let region = text(p.region, p.region_len, "region")?;
    let service = text(p.service, p.service_len, "service")?;
    let method = text(p.method, p.method_len, "method")?;
    let uri = text(p.uri, p.uri_len, "uri")?;
    let query = pairs(
        p.query_params,
        p.query_params_len,
        [
            "query_params",
            "query parameter name",
            "query parameter value",
        ],
    )?;
    let mut headers = pairs(
        p.headers,
        p.headers_len,
        ["headers", "header name", "header value"],
    )?;
    // Appended after the caller's headers, as the Python and Node helpers do.
    let nonce = if flags & SIGV4_SIGN_V4_NONCE != 0 {
        Some(new_nonce()?)
    } else {
        None
    };
    if let Some(nonce) = &nonce {
        headers.push((NONCE_HEADER, nonce));
    }
    let payload = opt_bytes(p.payload, p.payload_len, "payload")?.unwrap_or(&[]);
    let time = match opt_text(p.timestamp, p.timestamp_len, "timestamp")? {
        Some(t) => SigningTime::parse(t)?,
        None => now()?,
    };
    let token = opt_text(p.session_token, p.session_token_len, "session_token")?;

    let signed = sigv4::sign_v4(&OneCall {
        access_key,
        secret_key,
        session_token: token,
        region,
        service,
        method,
        uri,
        query_params: &query,
        headers: &headers,
        payload,
        time,
    })?;
    write(signed_out, into_handle(sigv4_signed_request::new(signed)));
    Ok(())
}
