//! `sigv4_signer_sign_streaming` and `sigv4_chunked_encoder`: a streaming (aws-chunked) upload,
//! signed once, then fed the body in pieces of any size.

use sigv4::{sign_streaming, ChunkedEncoder};

use crate::boundary::{
    bytes_view, free_handle, guard, handle, handle_mut, into_handle, opt_bytes, out_ptr, write,
};
use crate::chunked_plan::sigv4_chunked_plan;
use crate::request::{pairs, sigv4_pair, sigv4_request, with_request};
use crate::result::sigv4_result;
use crate::signed::sigv4_signed_request;
use crate::signer::{sigv4_signer, time};

/// Turns the body of a signed streaming upload into its aws-chunked wire bytes: each chunk signed
/// as soon as it is full, chained from the request's seed signature. Memory stays at one chunk.
///
/// Created by `sigv4_signer_sign_streaming`, fed by `sigv4_chunked_encoder_write`, ended by
/// `sigv4_chunked_encoder_finish`, freed by `sigv4_chunked_encoder_free` (the signing key it holds
/// is wiped). The wire bytes a call returns are borrowed from the encoder: valid until the next
/// call on it (successful or not) or its free; copy or send them before calling again.
/// Thread safety: not synchronised; one thread at a time (it may move between threads).
pub struct sigv4_chunked_encoder {
    inner: ChunkedEncoder,
    out: Vec<u8>,
}

/// Signs `request` for a streaming upload laid out by `plan` and returns it with a ready encoder.
///
/// `request` as for `sigv4_signer_sign`, with no body (`body` NULL, `body_len` 0, no
/// `payload_hash`). The signed request carries every header to send: yours (a `Content-Length`,
/// `x-amz-decoded-content-length` or `x-amz-trailer` of yours is replaced; your `Content-Encoding`
/// follows `aws-chunked`), `Content-Encoding: aws-chunked`, the wire `Content-Length`,
/// `x-amz-decoded-content-length`, `x-amz-trailer` when trailers are declared,
/// `x-amz-content-sha256` with the streaming literal, `X-Amz-Date` and the `Authorization` whose
/// signature (`sigv4_signed_request_signature`) seeds the chunk signatures. The signer's algorithm
/// applies (SigV4a chunk signatures with `SIGV4_ALGORITHM_SIGV4A`). `plan` is copied.
///
/// On success writes the signed request to `*signed_out` and the encoder to `*encoder_out` (free
/// each with its `_free`); on failure neither is written. Returns the codes of
/// `sigv4_signer_sign`, plus `SIGV4_NULL_PARAMETER` for NULL `plan` or `encoder_out` and
/// `SIGV4_INVALID_OPTION` for a body. Thread safety: safe to call concurrently on one signer.
#[no_mangle]
pub extern "C" fn sigv4_signer_sign_streaming(
    signer: *const sigv4_signer,
    request: *const sigv4_request,
    timestamp: i64,
    plan: *const sigv4_chunked_plan,
    signed_out: *mut *mut sigv4_signed_request,
    encoder_out: *mut *mut sigv4_chunked_encoder,
) -> sigv4_result {
    guard(|| {
        out_ptr(signed_out, "signed_out")?;
        out_ptr(encoder_out, "encoder_out")?;
        let signer = &handle(signer, "signer")?.inner;
        let plan = handle(plan, "plan")?
            .inner
            .clone()
            .with_algorithm(signer.settings().algorithm);
        let time = time(timestamp)?;
        let upload = with_request(request, |req| Ok(sign_streaming(signer, req, time, plan)?))?;
        let capacity = upload.encoder.plan().chunk_size().min(1 << 20) + 256;
        write(
            signed_out,
            into_handle(sigv4_signed_request::new(upload.request)),
        );
        write(
            encoder_out,
            into_handle(sigv4_chunked_encoder {
                inner: upload.encoder,
                out: Vec::with_capacity(capacity),
            }),
        );
        Ok(())
    })
}

/// Feeds the next piece of the body (`data_len` bytes, any size; NULL with 0 is allowed).
///
/// On success `*wire_out` points to the wire bytes of every chunk that became full (`*wire_len_out`
/// of them, often 0), borrowed from the encoder until its next call or free. Returns `SIGV4_OK`,
/// `SIGV4_NULL_PARAMETER` (NULL `encoder`, `wire_out` or `wire_len_out`, or NULL `data` with a
/// length) or `SIGV4_INVALID_CHUNK` (more data than the plan's decoded length, or the encoder has
/// finished). Thread safety: see `sigv4_chunked_encoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_encoder_write(
    encoder: *mut sigv4_chunked_encoder,
    data: *const u8,
    data_len: usize,
    wire_out: *mut *const u8,
    wire_len_out: *mut usize,
) -> sigv4_result {
    guard(|| {
        out_ptr(wire_out, "wire_out")?;
        out_ptr(wire_len_out, "wire_len_out")?;
        let encoder = handle_mut(encoder, "encoder")?;
        let data = opt_bytes(data, data_len, "data")?.unwrap_or(&[]);
        encoder.out.clear();
        encoder.inner.write_into(data, &mut encoder.out)?;
        write(wire_out, bytes_view(&encoder.out));
        write(wire_len_out, encoder.out.len());
        Ok(())
    })
}

/// Ends the body: the last partial chunk, the final zero-length chunk, and the trailers.
///
/// `trailers`/`trailers_len`: each declared trailer exactly once, with a value of its planned length
/// (`x-amz-checksum-crc32` is 8 base64 characters); NULL and 0 when the plan declares none. On
/// success `*wire_out`/`*wire_len_out` give the last wire bytes (borrowed as for
/// `sigv4_chunked_encoder_write`). Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER`, `SIGV4_INVALID_UTF8`,
/// `SIGV4_INVALID_CHUNK` (the body is shorter than planned, or already finished) or
/// `SIGV4_INVALID_OPTION` (trailers not as declared). Thread safety: see `sigv4_chunked_encoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_encoder_finish(
    encoder: *mut sigv4_chunked_encoder,
    trailers: *const sigv4_pair,
    trailers_len: usize,
    wire_out: *mut *const u8,
    wire_len_out: *mut usize,
) -> sigv4_result {
    guard(|| {
        out_ptr(wire_out, "wire_out")?;
        out_ptr(wire_len_out, "wire_len_out")?;
        let encoder = handle_mut(encoder, "encoder")?;
        let given = pairs(
            trailers,
            trailers_len,
            ["trailers", "trailer name", "trailer value"],
        )?;
        encoder.out.clear();
        encoder.inner.finish_into(&given, &mut encoder.out)?;
        write(wire_out, bytes_view(&encoder.out));
        write(wire_len_out, encoder.out.len());
        Ok(())
    })
}

/// The wire length of the whole encoded body (the `Content-Length` sent), or 0 for NULL.
/// Thread safety: see `sigv4_chunked_encoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_encoder_content_length(
    encoder: *const sigv4_chunked_encoder,
) -> u64 {
    let mut value = 0;
    let _ = guard(|| {
        value = handle(encoder, "encoder")?.inner.plan().content_length();
        Ok(())
    });
    value
}

/// Body bytes fed so far (0 for NULL). Thread safety: see `sigv4_chunked_encoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_encoder_bytes_written(
    encoder: *const sigv4_chunked_encoder,
) -> u64 {
    let mut value = 0;
    let _ = guard(|| {
        value = handle(encoder, "encoder")?.inner.bytes_written();
        Ok(())
    });
    value
}

/// Frees an encoder (wiping its signing key). NULL does nothing; wire bytes borrowed from it become
/// invalid. Thread safety: no other thread may use `encoder` during or after the call; free once.
#[no_mangle]
pub extern "C" fn sigv4_chunked_encoder_free(encoder: *mut sigv4_chunked_encoder) {
    let _ = guard(|| {
        free_handle(encoder);
        Ok(())
    });
}
