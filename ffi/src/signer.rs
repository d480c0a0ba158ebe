//! `sigv4_signer`: credentials, region, service and options fixed, derived keys cached.

use sigv4::{Signer, SigningTime};

use crate::boundary::{free_handle, guard, handle, into_handle, out_ptr, text, write};
use crate::credentials::sigv4_credentials;
use crate::options::sigv4_signing_options;
use crate::request::{sigv4_request, with_request};
use crate::result::{sigv4_result, Fail};
use crate::signed::sigv4_signed_request;

/// Signs many requests for one (credentials, region, service, options), reusing the derived signing
/// key (a small cache keyed by date and scope, wiped when the signer is freed).
///
/// Created by `sigv4_signer_new`, freed by `sigv4_signer_free`. Thread safety: a signer is
/// immutable apart from its internally synchronised key cache, so one handle may be used by any
/// number of threads at the same time for signing and presigning.
pub struct sigv4_signer {
    pub(crate) inner: Signer,
}

/// Creates a signer.
///
/// `credentials` is copied (free it whenever you like). `region` and `service` are UTF-8, not
/// NUL-terminated; with the SigV4a algorithm option, `region` is a region set (`us-east-1,us-west-2`
/// or `*`). `options` may be NULL for the service's defaults; it is copied, so later changes
/// to it do not affect this signer. On success writes the handle to `*signer_out` (free it with
/// `sigv4_signer_free`).
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` (NULL `credentials`, `region`, `service` or
/// `signer_out`), `SIGV4_INVALID_UTF8`, `SIGV4_INVALID_REGION` or `SIGV4_INVALID_SERVICE` (empty, or
/// containing `/`, whitespace or control characters). Thread safety: safe from any thread, provided
/// no thread changes `options` during the call.
#[no_mangle]
pub extern "C" fn sigv4_signer_new(
    credentials: *const sigv4_credentials,
    region: *const u8,
    region_len: usize,
    service: *const u8,
    service_len: usize,
    options: *const sigv4_signing_options,
    signer_out: *mut *mut sigv4_signer,
) -> sigv4_result {
    guard(|| {
        out_ptr(signer_out, "signer_out")?;
        let credentials = handle(credentials, "credentials")?;
        let region = text(region, region_len, "region")?;
        let service = text(service, service_len, "service")?;
        let settings = if options.is_null() {
            sigv4_signing_options::default().settings_for(service)
        } else {
            handle(options, "options")?.settings_for(service)
        };
        let inner = Signer::with_settings(credentials.inner.clone(), region, service, settings)?;
        write(signer_out, into_handle(sigv4_signer { inner }));
        Ok(())
    })
}

/// Frees a signer and its key cache (wiping the keys and the secret). NULL does nothing.
/// Signed requests it produced stay valid. Thread safety: no other thread may use `signer` during
/// or after the call; free once.
#[no_mangle]
pub extern "C" fn sigv4_signer_free(signer: *mut sigv4_signer) {
    let _ = guard(|| {
        free_handle(signer);
        Ok(())
    });
}

pub(crate) fn time(unix_seconds: i64) -> Result<SigningTime, Fail> {
    Ok(SigningTime::from_unix(unix_seconds)?)
}

/// Signs or presigns `request` with the signer's credentials or `credentials`.
fn run(
    signer: *const sigv4_signer,
    credentials: Option<*const sigv4_credentials>,
    request: *const sigv4_request,
    timestamp: i64,
    expires_in: Option<u64>,
    signed_out: *mut *mut sigv4_signed_request,
) -> sigv4_result {
    guard(|| {
        out_ptr(signed_out, "signed_out")?;
        let signer = &handle(signer, "signer")?.inner;
        let creds = match credentials {
            Some(c) => &handle(c, "credentials")?.inner,
            None => signer.credentials(),
        };
        let time = time(timestamp)?;
        let signed = with_request(request, |req| {
            let result = match (credentials.is_some(), expires_in) {
                (false, None) => signer.sign(req, time),
                (false, Some(e)) => signer.presign(req, time, e),
                (true, None) => signer.sign_with_credentials(creds, req, time),
                (true, Some(e)) => signer.presign_with_credentials(creds, req, time, e),
            };
            Ok(result?)
        })?;
        write(signed_out, into_handle(sigv4_signed_request::new(signed)));
        Ok(())
    })
}

/// Signs `request` with an `Authorization` header.
///
/// `timestamp` is the signing time in seconds since the Unix epoch, UTC (e.g. `time(NULL)`; see
/// `sigv4_timestamp_parse` for text forms). `request` and everything it points to are only read
/// during the call. On success writes a new result to `*signed_out` (free it with
/// `sigv4_signed_request_free`); on failure nothing is written.
///
/// Returns `SIGV4_OK`; `SIGV4_NULL_PARAMETER` (NULL `signer`, `request`, `signed_out`, method, url,
/// a header name or value, or a NULL array/body with a non-zero length); `SIGV4_INVALID_UTF8`;
/// `SIGV4_INVALID_TIMESTAMP`; `SIGV4_INVALID_METHOD`; `SIGV4_INVALID_URL`;
/// `SIGV4_INVALID_HEADER_NAME`; `SIGV4_INVALID_HEADER_VALUE` (CR, LF or NUL);
/// `SIGV4_INVALID_PAYLOAD_HASH`; `SIGV4_INVALID_OPTION` (a payload hash with a non-signed payload).
/// `sigv4_last_error_message` says which argument was wrong.
///
/// Thread safety: safe to call concurrently on the same signer from any number of threads.
#[no_mangle]
pub extern "C" fn sigv4_signer_sign(
    signer: *const sigv4_signer,
    request: *const sigv4_request,
    timestamp: i64,
    signed_out: *mut *mut sigv4_signed_request,
) -> sigv4_result {
    run(signer, None, request, timestamp, None, signed_out)
}

/// Presigns `request`: the signature goes into the URL (`sigv4_signed_request_url`), valid for
/// `expires_in` seconds (1..604800) from `timestamp`.
///
/// Same contract as `sigv4_signer_sign`, plus `SIGV4_INVALID_EXPIRY` for `expires_in` 0 or above
/// 604800. The S3 family presigns with `UNSIGNED-PAYLOAD` unless the payload option says otherwise.
/// Thread safety: safe to call concurrently on the same signer from any number of threads.
#[no_mangle]
pub extern "C" fn sigv4_signer_presign(
    signer: *const sigv4_signer,
    request: *const sigv4_request,
    timestamp: i64,
    expires_in: u64,
    signed_out: *mut *mut sigv4_signed_request,
) -> sigv4_result {
    run(
        signer,
        None,
        request,
        timestamp,
        Some(expires_in),
        signed_out,
    )
}

/// Signs `request` with other (rotated) credentials, keeping the signer's region, service, options
/// and key cache. Same contract as `sigv4_signer_sign`, plus `SIGV4_NULL_PARAMETER` for NULL
/// `credentials`. Thread safety: safe to call concurrently on the same signer and credentials.
#[no_mangle]
pub extern "C" fn sigv4_signer_sign_with_credentials(
    signer: *const sigv4_signer,
    credentials: *const sigv4_credentials,
    request: *const sigv4_request,
    timestamp: i64,
    signed_out: *mut *mut sigv4_signed_request,
) -> sigv4_result {
    run(
        signer,
        Some(credentials),
        request,
        timestamp,
        None,
        signed_out,
    )
}

/// Presigns `request` with other (rotated) credentials. Same contract as `sigv4_signer_presign`,
/// plus `SIGV4_NULL_PARAMETER` for NULL `credentials`. Thread safety: as `sigv4_signer_presign`.
#[no_mangle]
pub extern "C" fn sigv4_signer_presign_with_credentials(
    signer: *const sigv4_signer,
    credentials: *const sigv4_credentials,
    request: *const sigv4_request,
    timestamp: i64,
    expires_in: u64,
    signed_out: *mut *mut sigv4_signed_request,
) -> sigv4_result {
    run(
        signer,
        Some(credentials),
        request,
        timestamp,
        Some(expires_in),
        signed_out,
    )
}
