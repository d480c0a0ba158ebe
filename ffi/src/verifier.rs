//! `sigv4_verifier`: checks the SigV4 / SigV4a signature of incoming requests (the core's verifier).

use std::os::raw::c_void;

use sigv4::{CredentialLookup, SigningTime, Verifier};

use crate::boundary::{free_handle, guard, handle, into_handle, out_ptr, text, write};
use crate::credential_store::{sigv4_credential_store, sigv4_lookup_fn, CallbackLookup};
use crate::decoder::sigv4_chunked_decoder;
use crate::identity::sigv4_verified_identity;
use crate::mismatch;
use crate::request::{sigv4_request, with_request};
use crate::result::{sigv4_result, Fail};
use crate::verifier_options::sigv4_verifier_options;

/// Verifies requests signed for one service and a set of regions, with secrets from a credential
/// store or a lookup callback. Derived keys are cached (bounded); the optional replay cache is
/// internally synchronised.
///
/// Created by `sigv4_verifier_new` or `sigv4_verifier_new_with_lookup`, freed by
/// `sigv4_verifier_free`. Thread safety: a verifier may be used by any number of threads at the
/// same time (build one at startup and share it); with a lookup callback, see `sigv4_lookup_fn`.
pub struct sigv4_verifier {
    pub(crate) inner: Verifier,
}

fn build(
    lookup: impl CredentialLookup + 'static,
    regions: *const u8,
    regions_len: usize,
    service: *const u8,
    service_len: usize,
    options: *const sigv4_verifier_options,
    verifier_out: *mut *mut sigv4_verifier,
) -> Result<(), Fail> {
    build_with(
        |list, service, settings| Verifier::new(lookup, list, service, settings),
        regions,
        regions_len,
        service,
        service_len,
        options,
        verifier_out,
    )
}

/// `build` with the core constructor given (secrets or derived signing keys).
pub(crate) fn build_with(
    make: impl FnOnce(&[&str], &str, sigv4::VerifierSettings) -> sigv4::Result<Verifier>,
    regions: *const u8,
    regions_len: usize,
    service: *const u8,
    service_len: usize,
    options: *const sigv4_verifier_options,
    verifier_out: *mut *mut sigv4_verifier,
) -> Result<(), Fail> {
    let regions = text(regions, regions_len, "regions")?;
    let service = text(service, service_len, "service")?;
    let (settings, store) = if options.is_null() {
        (
            sigv4_verifier_options::default().settings_for(service),
            None,
        )
    } else {
        let options = handle(options, "options")?;
        (options.settings_for(service), options.replay_store)
    };
    let list: Vec<&str> = regions.split(',').map(str::trim).collect();
    let mut inner = make(&list, service, settings)?;
    if let Some(s) = store {
        inner = inner.with_replay_store(s.store, s.fail_open);
    }
    write(verifier_out, into_handle(sigv4_verifier { inner }));
    Ok(())
}

/// Creates a verifier whose credentials come from `store` (copied: free or change the store
/// whenever you like).
///
/// `regions`: the accepted region, or several separated by commas (`us-east-1,eu-west-1`); a
/// SigV4a region set must cover one of them. `service`: the accepted service (`execute-api`, `s3`,
/// ...). UTF-8, not NUL-terminated. `options` may be NULL for the service's defaults (copied).
/// On success writes the handle to `*verifier_out` (free it with `sigv4_verifier_free`).
///
/// Returns `SIGV4_OK`; `SIGV4_NULL_PARAMETER` (NULL `store`, `regions`, `service` or
/// `verifier_out`); `SIGV4_INVALID_UTF8`; `SIGV4_INVALID_REGION` (an empty or malformed region);
/// `SIGV4_INVALID_SERVICE`; `SIGV4_INVALID_OPTION` (skew above 86400 s, maximum lifetime outside
/// 1..604800). Thread safety: safe from any thread, provided no thread changes `store` or `options`
/// during the call.
#[no_mangle]
pub extern "C" fn sigv4_verifier_new(
    store: *const sigv4_credential_store,
    regions: *const u8,
    regions_len: usize,
    service: *const u8,
    service_len: usize,
    options: *const sigv4_verifier_options,
    verifier_out: *mut *mut sigv4_verifier,
) -> sigv4_result {
    guard(|| {
        out_ptr(verifier_out, "verifier_out")?;
        let map = handle(store, "store")?.map.clone();
        build(
            map,
            regions,
            regions_len,
            service,
            service_len,
            options,
            verifier_out,
        )
    })
}

/// Creates a verifier whose credentials come from `lookup(userdata, access_key_id, len)` (see
/// `sigv4_lookup_fn` for ownership and thread safety). Otherwise as `sigv4_verifier_new`;
/// `SIGV4_NULL_PARAMETER` for a NULL `lookup` (`userdata` may be NULL).
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verifier_new_with_lookup(
    lookup: sigv4_lookup_fn,
    userdata: *mut c_void,
    regions: *const u8,
    regions_len: usize,
    service: *const u8,
    service_len: usize,
    options: *const sigv4_verifier_options,
    verifier_out: *mut *mut sigv4_verifier,
) -> sigv4_result {
    guard(|| {
        out_ptr(verifier_out, "verifier_out")?;
        let callback = lookup.ok_or_else(|| Fail::null("lookup"))?;
        build(
            CallbackLookup { callback, userdata },
            regions,
            regions_len,
            service,
            service_len,
            options,
            verifier_out,
        )
    })
}

/// Frees a verifier (its key caches are wiped). NULL does nothing. Identities and decoders it
/// produced stay valid. Thread safety: no other thread may use `verifier` during or after the call.
#[no_mangle]
pub extern "C" fn sigv4_verifier_free(verifier: *mut sigv4_verifier) {
    let _ = guard(|| {
        free_handle(verifier);
        Ok(())
    });
}

fn now_of(unix_seconds: i64) -> Result<SigningTime, Fail> {
    Ok(SigningTime::from_unix(unix_seconds)?)
}

/// Verifies one request at `now` (seconds since the Unix epoch, UTC: the server's clock, e.g.
/// `time(NULL)`).
///
/// `request` describes the request as received: `url` is the request target exactly as on the
/// wire (`/path?query` with a `Host` header, or an absolute URL), `headers` every header in order
/// (repeated names as separate pairs), `body` the body bytes; or, for a body too large to buffer,
/// `payload_hash` its hex SHA-256 (compared with the signed `x-amz-content-sha256`). Everything is
/// only read during the call.
///
/// On success writes who signed to `*identity_out` (free it with `sigv4_verified_identity_free`).
/// Returns `SIGV4_OK`; a verification code (the AWS error code to answer with, status 403):
/// `SIGV4_MISSING_AUTHENTICATION_TOKEN`, `SIGV4_INCOMPLETE_SIGNATURE`,
/// `SIGV4_AUTHORIZATION_HEADER_MALFORMED`, `SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR`,
/// `SIGV4_INVALID_ACCESS_KEY_ID`, `SIGV4_INVALID_TOKEN`, `SIGV4_REQUEST_TIME_TOO_SKEWED`,
/// `SIGV4_REQUEST_EXPIRED`, `SIGV4_SIGNATURE_DOES_NOT_MATCH` (then
/// `sigv4_verifier_last_mismatch_canonical_request` / `_string_to_sign` give what the server
/// computed), `SIGV4_UNSIGNED_HEADER`, `SIGV4_X_AMZ_CONTENT_SHA256_MISMATCH`,
/// `SIGV4_REQUEST_REPLAYED`; or an input code for a request that is not valid HTTP (status 400):
/// `SIGV4_INVALID_URL`, `SIGV4_INVALID_HEADER_NAME`, `SIGV4_INVALID_HEADER_VALUE`,
/// `SIGV4_INVALID_METHOD`, `SIGV4_INVALID_PAYLOAD_HASH`, `SIGV4_INVALID_UTF8`; and
/// `SIGV4_NULL_PARAMETER`, `SIGV4_INVALID_TIMESTAMP` (`now` outside the years 0..9999).
/// `sigv4_last_error_message` says what to fix (never a secret).
///
/// Thread safety: safe to call concurrently on the same verifier from any number of threads.
#[no_mangle]
pub extern "C" fn sigv4_verifier_verify(
    verifier: *const sigv4_verifier,
    request: *const sigv4_request,
    now: i64,
    identity_out: *mut *mut sigv4_verified_identity,
) -> sigv4_result {
    guard(|| {
        mismatch::clear();
        out_ptr(identity_out, "identity_out")?;
        let verifier = &handle(verifier, "verifier")?.inner;
        let now = now_of(now)?;
        let identity = with_request(request, |req| {
            verifier.verify(req, now).map_err(mismatch::keep)
        })?;
        write(
            identity_out,
            into_handle(sigv4_verified_identity::new(identity)),
        );
        Ok(())
    })
}

/// Verifies the headers of a streaming (aws-chunked) upload and returns the decoder for its body.
///
/// `request` as for `sigv4_verifier_verify`, with no body (`body` NULL, `body_len` 0, no
/// `payload_hash`): the wire body goes through `sigv4_chunked_decoder_feed`. Runs every check of
/// `sigv4_verifier_verify` on the headers, plus: an `Authorization` header (a presigned URL cannot
/// stream), `x-amz-content-sha256` one of the `STREAMING-*` forms (the unsigned-trailer form only
/// when unsigned payloads are allowed), `Content-Encoding` including `aws-chunked`, one plain
/// integer `x-amz-decoded-content-length`, `x-amz-trailer` only with a `-TRAILER` form.
///
/// On success writes the identity to `*identity_out` and the decoder, chained from the request's
/// seed signature, to `*decoder_out` (free each with its `_free`); on failure neither is written.
/// Returns the codes of `sigv4_verifier_verify`, plus `SIGV4_INVALID_CHUNK` (framing headers) and
/// `SIGV4_INVALID_OPTION` (a body was given). Thread safety: as `sigv4_verifier_verify`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_verify_streaming(
    verifier: *const sigv4_verifier,
    request: *const sigv4_request,
    now: i64,
    identity_out: *mut *mut sigv4_verified_identity,
    decoder_out: *mut *mut sigv4_chunked_decoder,
) -> sigv4_result {
    guard(|| {
        mismatch::clear();
        out_ptr(identity_out, "identity_out")?;
        out_ptr(decoder_out, "decoder_out")?;
        let verifier = &handle(verifier, "verifier")?.inner;
        let now = now_of(now)?;
        let stream = with_request(request, |req| {
            verifier.verify_streaming(req, now).map_err(mismatch::keep)
        })?;
        let decoded_length = stream.decoded_length;
        let (identity, decoder) = stream.into_parts();
        write(
            identity_out,
            into_handle(sigv4_verified_identity::new(identity)),
        );
        write(
            decoder_out,
            into_handle(sigv4_chunked_decoder::new(decoder, decoded_length)),
        );
        Ok(())
    })
}

/// How many signatures the replay cache holds (0 when it is off, or for NULL).
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verifier_replay_cache_len(verifier: *const sigv4_verifier) -> usize {
    let mut len = 0;
    let _ = guard(|| {
        len = handle(verifier, "verifier")?.inner.replay_cache_len();
        Ok(())
    });
    len
}
