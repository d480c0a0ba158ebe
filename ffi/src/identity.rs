//! `sigv4_verified_identity`: who signed a request that verified, with an accessor per field.

use std::os::raw::c_char;

use sigv4::{SigningAlgorithm, VerifiedIdentity};

use crate::boundary::{free_handle, guard, handle, out_ptr, write, write_opt};
use crate::options::sigv4_algorithm;
use crate::result::{sigv4_result, Fail};

/// Who signed a request that verified, and what the signature covered. Holds no secret.
///
/// Created by `sigv4_verifier_verify` / `sigv4_verifier_verify_streaming`, freed by
/// `sigv4_verified_identity_free`. Immutable: any number of threads may read one handle at once.
/// Strings from the accessors are NUL-terminated and borrowed from the handle until it is freed.
pub struct sigv4_verified_identity {
    /// access key id, region, service, signed headers, amz date, payload hash, region set:
    /// each NUL-terminated.
    texts: [String; 7],
    has_region_set: bool,
    core: VerifiedIdentity,
}

const ACCESS_KEY_ID: usize = 0;
const REGION: usize = 1;
const SERVICE: usize = 2;
const SIGNED_HEADERS: usize = 3;
const AMZ_DATE: usize = 4;
const PAYLOAD_HASH: usize = 5;
const REGION_SET: usize = 6;

fn nul(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 1);
    s.push_str(text);
    s.push('\0');
    s
}

impl sigv4_verified_identity {
    pub(crate) fn new(core: VerifiedIdentity) -> Self {
        let texts = [
            nul(&core.access_key_id),
            nul(&core.region),
            nul(&core.service),
            nul(&core.signed_headers.join(";")),
            nul(&core.amz_date()),
            nul(&core.payload_hash),
            nul(core.region_set.as_deref().unwrap_or("")),
        ];
        sigv4_verified_identity {
            texts,
            has_region_set: core.region_set.is_some(),
            core,
        }
    }
}

fn view(
    identity: *const sigv4_verified_identity,
    which: usize,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    guard(|| {
        out_ptr(value_out, "value_out")?;
        let identity = handle(identity, "identity")?;
        if which == REGION_SET && !identity.has_region_set {
            return Err(Fail::new(
                sigv4_result::SIGV4_NOT_AVAILABLE,
                "a SigV4 request has no region set (only SigV4a has one)",
            ));
        }
        let text = &identity.texts[which];
        write(value_out, text.as_ptr().cast());
        write_opt(value_len_out, text.len() - 1);
        Ok(())
    })
}

/// Borrows the access key id that signed. On success `*value_out` points to a NUL-terminated
/// string valid until `identity` is freed, and `*value_len_out` (if not NULL) receives its length.
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER` (NULL `identity` or `value_out`).
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_access_key_id(
    identity: *const sigv4_verified_identity,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(identity, ACCESS_KEY_ID, value_out, value_len_out)
}

/// Borrows the region of the credential scope (one of the verifier's regions; for SigV4a the first
/// of them the region set covers). Same contract as `sigv4_verified_identity_access_key_id`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_region(
    identity: *const sigv4_verified_identity,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(identity, REGION, value_out, value_len_out)
}

/// Borrows the service of the credential scope. Same contract as
/// `sigv4_verified_identity_access_key_id`. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_service(
    identity: *const sigv4_verified_identity,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(identity, SERVICE, value_out, value_len_out)
}

/// Borrows the signed header names, lowercase, sorted, `;`-separated (`host;x-amz-date`). Same
/// contract as `sigv4_verified_identity_access_key_id`. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_signed_headers(
    identity: *const sigv4_verified_identity,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(identity, SIGNED_HEADERS, value_out, value_len_out)
}

/// Borrows the signing time as `YYYYMMDDTHHMMSSZ` (the request's `X-Amz-Date`). Same contract as
/// `sigv4_verified_identity_access_key_id`. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_amz_date(
    identity: *const sigv4_verified_identity,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(identity, AMZ_DATE, value_out, value_len_out)
}

/// Borrows the payload line that was signed: a lowercase hex SHA-256 the body matched,
/// `UNSIGNED-PAYLOAD` (the body is not covered), or for a streaming upload the `STREAMING-*`
/// literal (the chunks are checked by the decoder). Same contract as
/// `sigv4_verified_identity_access_key_id`. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_payload_hash(
    identity: *const sigv4_verified_identity,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(identity, PAYLOAD_HASH, value_out, value_len_out)
}

/// Borrows the signed SigV4a region set (`X-Amz-Region-Set`, e.g. `*` or `us-east-1,us-west-2`).
/// Same contract as `sigv4_verified_identity_access_key_id`, plus `SIGV4_NOT_AVAILABLE` for a SigV4
/// request. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_region_set(
    identity: *const sigv4_verified_identity,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(identity, REGION_SET, value_out, value_len_out)
}

/// Writes the signing time (seconds since the Unix epoch, UTC) to `*unix_seconds_out`.
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_signing_time(
    identity: *const sigv4_verified_identity,
    unix_seconds_out: *mut i64,
) -> sigv4_result {
    guard(|| {
        out_ptr(unix_seconds_out, "unix_seconds_out")?;
        let identity = handle(identity, "identity")?;
        write(unix_seconds_out, identity.core.signing_time.unix());
        Ok(())
    })
}

/// For a presigned URL, writes the last instant it is valid (`X-Amz-Date + X-Amz-Expires`, seconds
/// since the epoch) to `*unix_seconds_out`. Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or
/// `SIGV4_NOT_AVAILABLE` (header form). Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_expires_at(
    identity: *const sigv4_verified_identity,
    unix_seconds_out: *mut i64,
) -> sigv4_result {
    guard(|| {
        out_ptr(unix_seconds_out, "unix_seconds_out")?;
        let identity = handle(identity, "identity")?;
        let at = identity.core.expires_at.ok_or_else(|| {
            Fail::new(
                sigv4_result::SIGV4_NOT_AVAILABLE,
                "a request signed with an Authorization header has no expiry",
            )
        })?;
        write(unix_seconds_out, at.unix());
        Ok(())
    })
}

/// True for a presigned URL (query parameters), false for an `Authorization` header (and for NULL).
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_presigned(
    identity: *const sigv4_verified_identity,
) -> bool {
    flag(identity, |i| i.core.presigned)
}

/// True when the request carried the session token of the looked-up credentials (false for NULL).
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_session_token_used(
    identity: *const sigv4_verified_identity,
) -> bool {
    flag(identity, |i| i.core.session_token_used)
}

/// The algorithm that signed: a `sigv4_algorithm` value (`SIGV4_ALGORITHM_SIGV4` or
/// `SIGV4_ALGORITHM_SIGV4A`), or 0 for NULL. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_algorithm(
    identity: *const sigv4_verified_identity,
) -> u32 {
    let mut value = 0;
    let _ = guard(|| {
        value = match handle(identity, "identity")?.core.algorithm {
            SigningAlgorithm::Sigv4a => sigv4_algorithm::SIGV4_ALGORITHM_SIGV4A as u32,
            _ => sigv4_algorithm::SIGV4_ALGORITHM_SIGV4 as u32,
        };
        Ok(())
    });
    value
}

fn flag(
    identity: *const sigv4_verified_identity,
    f: impl FnOnce(&sigv4_verified_identity) -> bool,
) -> bool {
    let mut value = false;
    let _ = guard(|| {
        value = f(handle(identity, "identity")?);
        Ok(())
    });
    value
}

/// Frees an identity. NULL does nothing. Every string borrowed from it becomes invalid.
/// Thread safety: no other thread may use `identity` during or after the call; free once.
#[no_mangle]
pub extern "C" fn sigv4_verified_identity_free(identity: *mut sigv4_verified_identity) {
    let _ = guard(|| {
        free_handle(identity);
        Ok(())
    });
}
