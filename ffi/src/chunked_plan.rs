//! `sigv4_chunked_plan`: the shape of a streaming (aws-chunked) upload, known before the first byte.

use sigv4::{ChunkedPlan, PayloadMode};

use crate::boundary::{free_handle, guard, handle, handle_mut, into_handle, out_ptr, text, write};
use crate::options::{algorithm, payload_mode};
use crate::result::{sigv4_result, Fail};

/// A streaming upload's plan: payload form, decoded length, chunk size, declared trailers. From it
/// come `Content-Length` (the wire length) and the headers announcing the encoding.
///
/// Created by `sigv4_chunked_plan_new`, completed by `sigv4_chunked_plan_add_trailer*`, copied by
/// `sigv4_signer_sign_streaming`, freed by `sigv4_chunked_plan_free`. Thread safety: not
/// synchronised; do not change a plan while another thread uses it.
#[derive(Clone, Debug)]
pub struct sigv4_chunked_plan {
    pub(crate) inner: ChunkedPlan,
}

/// Creates a plan for `decoded_length` body bytes (the `x-amz-decoded-content-length`) sent in
/// chunks of `chunk_size` bytes (the last may be shorter; 1..16777216, S3 wants at least 8192 for
/// every chunk but the last; 65536 is what the AWS SDKs use).
///
/// `payload` is `SIGV4_PAYLOAD_STREAMING_SIGNED` (chunk signatures), `_STREAMING_SIGNED_TRAILER`
/// (chunk signatures and signed trailers) or `_STREAMING_UNSIGNED_TRAILER` (plain chunks, trailers).
/// On success writes the handle to `*plan_out` (free it with `sigv4_chunked_plan_free`).
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or `SIGV4_INVALID_OPTION` (a non-streaming payload or
/// a chunk size out of range). Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_chunked_plan_new(
    payload: u32,
    decoded_length: u64,
    chunk_size: usize,
    plan_out: *mut *mut sigv4_chunked_plan,
) -> sigv4_result {
    guard(|| {
        out_ptr(plan_out, "plan_out")?;
        let mode: PayloadMode = payload_mode(payload)?;
        let inner = ChunkedPlan::new(mode, decoded_length, chunk_size)?;
        write(plan_out, into_handle(sigv4_chunked_plan { inner }));
        Ok(())
    })
}

fn change(
    plan: *mut sigv4_chunked_plan,
    f: impl FnOnce(ChunkedPlan) -> Result<ChunkedPlan, Fail>,
) -> sigv4_result {
    guard(|| {
        let plan = handle_mut(plan, "plan")?;
        plan.inner = f(plan.inner.clone())?;
        Ok(())
    })
}

/// Declares a checksum trailer whose value length is known: `x-amz-checksum-crc32`, `-crc32c`,
/// `-crc64nvme`, `-sha1` or `-sha256` (any case; UTF-8, not NUL-terminated).
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER`, `SIGV4_INVALID_UTF8` or `SIGV4_INVALID_OPTION` (a
/// plan without trailers, an unknown name: use `sigv4_chunked_plan_add_trailer_len`, or a trailer
/// declared twice). On failure the plan is unchanged. Thread safety: see `sigv4_chunked_plan`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_plan_add_trailer(
    plan: *mut sigv4_chunked_plan,
    name: *const u8,
    name_len: usize,
) -> sigv4_result {
    change(plan, |p| {
        let name = text(name, name_len, "name")?;
        Ok(p.with_trailer(name)?)
    })
}

/// Declares a trailer whose value will be exactly `value_len` bytes. Same contract as
/// `sigv4_chunked_plan_add_trailer`, for any valid trailer name.
/// Thread safety: see `sigv4_chunked_plan`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_plan_add_trailer_len(
    plan: *mut sigv4_chunked_plan,
    name: *const u8,
    name_len: usize,
    value_len: usize,
) -> sigv4_result {
    change(plan, |p| {
        let name = text(name, name_len, "name")?;
        Ok(p.with_trailer_len(name, value_len)?)
    })
}

/// Sets the algorithm the plan's sizes are computed for (`SIGV4_ALGORITHM_SIGV4`, the default, or
/// `SIGV4_ALGORITHM_SIGV4A`, whose chunk signatures are longer). Only `sigv4_chunked_plan_content_length`
/// reads it: `sigv4_signer_sign_streaming` always uses its signer's algorithm.
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or `SIGV4_INVALID_OPTION`.
/// Thread safety: see `sigv4_chunked_plan`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_plan_set_algorithm(
    plan: *mut sigv4_chunked_plan,
    algorithm_value: u32,
) -> sigv4_result {
    change(plan, |p| Ok(p.with_algorithm(algorithm(algorithm_value)?)))
}

/// Writes the wire length of the encoded body (the `Content-Length` to send) to `*content_length_out`.
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_chunked_plan`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_plan_content_length(
    plan: *const sigv4_chunked_plan,
    content_length_out: *mut u64,
) -> sigv4_result {
    guard(|| {
        out_ptr(content_length_out, "content_length_out")?;
        write(
            content_length_out,
            handle(plan, "plan")?.inner.content_length(),
        );
        Ok(())
    })
}

/// Frees a plan. NULL does nothing. Encoders made with it keep their own copy.
/// Thread safety: no other thread may use `plan` during or after the call; free once.
#[no_mangle]
pub extern "C" fn sigv4_chunked_plan_free(plan: *mut sigv4_chunked_plan) {
    let _ = guard(|| {
        free_handle(plan);
        Ok(())
    });
}
