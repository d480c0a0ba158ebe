//! `sigv4_verifier_verify_many`: many requests verified by the core's batch (several threads),
//! one result code (and identity) per request.

use sigv4::{Body, Request};

use crate::boundary::{array, guard, handle, into_handle, opt_bytes, opt_text, text};
use crate::identity::sigv4_verified_identity;
use crate::request::{pairs, sigv4_request};
use crate::result::{sigv4_result, Fail};
use crate::verifier::sigv4_verifier;

/// One request's parts, read on the calling thread (NULL pointers and UTF-8 checked there).
struct Parts<'a> {
    method: &'a str,
    url: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    body: Body<'a>,
}

fn parts<'a>(r: &'a sigv4_request) -> Result<Parts<'a>, Fail> {
    let method = text(r.method, r.method_len, "method")?;
    let url = text(r.url, r.url_len, "url")?;
    let headers = pairs(
        r.headers,
        r.headers_len,
        ["headers", "header name", "header value"],
    )?;
    let body = match opt_text(r.payload_hash, r.payload_hash_len, "payload_hash")? {
        Some(hash) => {
            opt_bytes(r.body, r.body_len, "body")?;
            Body::Precomputed(hash)
        }
        None => Body::Bytes(opt_bytes(r.body, r.body_len, "body")?.unwrap_or(&[])),
    };
    Ok(Parts {
        method,
        url,
        headers,
        body,
    })
}

/// Verifies `count` requests at `now` (seconds since the Unix epoch, UTC), spread over up to
/// `threads` threads (0: the machine's available cores; the calling thread is one of them).
///
/// `requests` points to `count` requests described as for `sigv4_verifier_verify` (only read
/// during the call). For each request `i`, `results_out[i]` receives its outcome: `SIGV4_OK`, or
/// the code `sigv4_verifier_verify` would return for it alone (a verification code, an input
/// code, or `SIGV4_NULL_PARAMETER` / `SIGV4_INVALID_UTF8` for an entry with a NULL pointer or
/// invalid text) — one failure never fails the others. When `identities_out` is not NULL,
/// `identities_out[i]` receives the identity of each verified request (free each with
/// `sigv4_verified_identity_free`) and NULL for the others. With the replay cache on, requests
/// are recorded in array order: a signed request repeated later in the array is
/// `SIGV4_REQUEST_REPLAYED`. Per-request messages and mismatch detail are not kept (verify that
/// request alone with `sigv4_verifier_verify` to see them). `count` 0 is allowed (`requests` may
/// then be NULL).
///
/// Returns `SIGV4_OK` when every request has its result; `SIGV4_NULL_PARAMETER` (NULL `verifier`,
/// or NULL `requests` / `results_out` with a non-zero `count`) or `SIGV4_INVALID_TIMESTAMP` (`now`
/// outside the years 0..9999), with nothing written.
///
/// Thread safety: as `sigv4_verifier_verify`. A lookup callback (`sigv4_lookup_fn`) is called
/// from the calling thread and from the worker threads, concurrently.
#[no_mangle]
pub extern "C" fn sigv4_verifier_verify_many(
    verifier: *const sigv4_verifier,
    requests: *const sigv4_request,
    count: usize,
    now: i64,
    threads: usize,
    results_out: *mut sigv4_result,
    identities_out: *mut *mut sigv4_verified_identity,
) -> sigv4_result {
    guard(|| {
        let verifier = &handle(verifier, "verifier")?.inner;
        let now = sigv4::SigningTime::from_unix(now)?;
        if count > 0 && results_out.is_null() {
            return Err(Fail::null("results_out"));
        }
        let requests: &[sigv4_request] = if count == 0 {
            &[]
        } else {
            array(requests, count, "requests")?
        };
        let read: Vec<Result<Parts<'_>, Fail>> = requests.iter().map(parts).collect();
        let outcomes = verifier.verify_many_with(&read, threads, |core, item| {
            let p = item
                .as_ref()
                .map_err(|fail| Fail::new(fail.code, fail.message.clone()))?;
            let request = Request::new(p.method, p.url, &p.headers, p.body)?;
            core.check(&request, now).map_err(Fail::from)
        });
        for (i, outcome) in outcomes.into_iter().enumerate() {
            let (code, identity) = match outcome {
                Ok(who) if !identities_out.is_null() => (
                    sigv4_result::SIGV4_OK,
                    into_handle(sigv4_verified_identity::new(who)),
                ),
                Ok(_) => (sigv4_result::SIGV4_OK, std::ptr::null_mut()),
                Err(fail) => (fail.code, std::ptr::null_mut()),
            };
            // SAFETY: the caller gives `count` writable entries in each non-NULL out array.
            unsafe {
                results_out.add(i).write(code);
                if !identities_out.is_null() {
                    identities_out.add(i).write(identity);
                }
            }
        }
        Ok(())
    })
}
