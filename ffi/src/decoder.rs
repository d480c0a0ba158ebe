//! `sigv4_chunked_decoder`: checks an aws-chunked body (servers), wire bytes in, verified data out.

use std::os::raw::c_char;

use sigv4::ChunkedDecoder;

use crate::boundary::{
    bytes_view, free_handle, guard, handle, handle_mut, opt_bytes, out_ptr, write, write_opt,
};
use crate::result::{sigv4_result, Fail};

/// Checks the aws-chunked body of a streaming upload whose headers verified: every chunk signature
/// in order (chained from the seed signature), the final chunk, the decoded length and the declared
/// trailers (with their signature in the signed-trailer form). A chunk's data is handed out only
/// after its signature has been checked (so a chunk, at most 16 MiB, is held until its end);
/// chunk-header and trailer lines are capped at 4 KiB.
///
/// Created by `sigv4_verifier_verify_streaming`, fed by `sigv4_chunked_decoder_feed`, ended by
/// `sigv4_chunked_decoder_finish`, freed by `sigv4_chunked_decoder_free`. The upload is valid only
/// when `finish` returns `SIGV4_OK`: until then treat the data as provisional. After any failure
/// every later call fails. Thread safety: not synchronised; one thread at a time (it may move
/// between threads).
pub struct sigv4_chunked_decoder {
    inner: ChunkedDecoder,
    decoded_length: u64,
    out: Vec<u8>,
    /// After a successful finish: the trailers, each name and value NUL-terminated.
    trailers: Vec<(String, String)>,
}

impl sigv4_chunked_decoder {
    pub(crate) fn new(inner: ChunkedDecoder, decoded_length: u64) -> Self {
        sigv4_chunked_decoder {
            inner,
            decoded_length,
            out: Vec::with_capacity(256),
            trailers: Vec::new(),
        }
    }
}

/// Feeds the next wire bytes (`wire_len` of them, any size; NULL with 0 is allowed).
///
/// On success `*data_out` points to the data of every chunk whose signature checked out in this
/// call (`*data_len_out` bytes, often 0), borrowed from the decoder until its next call or free.
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` (NULL `decoder`, `data_out` or `data_len_out`, or NULL
/// `wire` with a length) or `SIGV4_INVALID_CHUNK` (a malformed or oversized chunk, a wrong chunk or
/// trailer signature, an undeclared trailer, more data than declared, bytes after the end; the
/// message says which). Thread safety: see `sigv4_chunked_decoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_decoder_feed(
    decoder: *mut sigv4_chunked_decoder,
    wire: *const u8,
    wire_len: usize,
    data_out: *mut *const u8,
    data_len_out: *mut usize,
) -> sigv4_result {
    guard(|| {
        out_ptr(data_out, "data_out")?;
        out_ptr(data_len_out, "data_len_out")?;
        let decoder = handle_mut(decoder, "decoder")?;
        let wire = opt_bytes(wire, wire_len, "wire")?.unwrap_or(&[]);
        decoder.out.clear();
        let fed = decoder.inner.feed(wire, &mut decoder.out);
        if let Err(e) = fed {
            decoder.out = Vec::new();
            return Err(e.into());
        }
        write(data_out, bytes_view(&decoder.out));
        write(data_len_out, decoder.out.len());
        Ok(())
    })
}

/// Ends the body: `SIGV4_OK` only when the final chunk, the decoded length, the declared trailers
/// (and their signature) and the closing line were all received and checked; then the trailers are
/// readable with `sigv4_chunked_decoder_trailer`. Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or
/// `SIGV4_INVALID_CHUNK` (truncated or rejected body). Thread safety: see `sigv4_chunked_decoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_decoder_finish(
    decoder: *mut sigv4_chunked_decoder,
) -> sigv4_result {
    guard(|| {
        let decoder = handle_mut(decoder, "decoder")?;
        let trailers = decoder.inner.finish()?;
        decoder.trailers = trailers
            .iter()
            .map(|(n, v)| (format!("{n}\0"), format!("{v}\0")))
            .collect();
        Ok(())
    })
}

/// The declared `x-amz-decoded-content-length` (0 for NULL). Thread safety: see `sigv4_chunked_decoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_decoder_decoded_length(
    decoder: *const sigv4_chunked_decoder,
) -> u64 {
    let mut value = 0;
    let _ = guard(|| {
        value = handle(decoder, "decoder")?.decoded_length;
        Ok(())
    });
    value
}

/// Data bytes whose chunk signature verified so far (0 for NULL). This includes the data of a
/// `sigv4_chunked_decoder_feed` call that then failed (for example on a bad trailer after the last
/// chunk), which that call does not hand out. Thread safety: see `sigv4_chunked_decoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_decoder_decoded_bytes(
    decoder: *const sigv4_chunked_decoder,
) -> u64 {
    let mut value = 0;
    let _ = guard(|| {
        value = handle(decoder, "decoder")?.inner.decoded_bytes();
        Ok(())
    });
    value
}

/// The number of trailers received, after a successful `sigv4_chunked_decoder_finish` (0 before,
/// and for NULL). Thread safety: see `sigv4_chunked_decoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_decoder_trailer_count(
    decoder: *const sigv4_chunked_decoder,
) -> usize {
    let mut value = 0;
    let _ = guard(|| {
        value = handle(decoder, "decoder")?.trailers.len();
        Ok(())
    });
    value
}

/// Borrows trailer number `index` (0-based, below `sigv4_chunked_decoder_trailer_count`): the
/// lowercase name and the value, NUL-terminated, valid until the decoder is freed; the length
/// out-parameters may be NULL. Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or
/// `SIGV4_INDEX_OUT_OF_RANGE`. Thread safety: see `sigv4_chunked_decoder`.
#[no_mangle]
pub extern "C" fn sigv4_chunked_decoder_trailer(
    decoder: *const sigv4_chunked_decoder,
    index: usize,
    name_out: *mut *const c_char,
    name_len_out: *mut usize,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    guard(|| {
        out_ptr(name_out, "name_out")?;
        out_ptr(value_out, "value_out")?;
        let decoder = handle(decoder, "decoder")?;
        let (name, value) = decoder.trailers.get(index).ok_or_else(|| {
            Fail::new(
                sigv4_result::SIGV4_INDEX_OUT_OF_RANGE,
                format!(
                    "trailer index {index} is not below the count {}",
                    decoder.trailers.len()
                ),
            )
        })?;
        write(name_out, name.as_ptr().cast());
        write_opt(name_len_out, name.len() - 1);
        write(value_out, value.as_ptr().cast());
        write_opt(value_len_out, value.len() - 1);
        Ok(())
    })
}

/// Frees a decoder. NULL does nothing; data borrowed from it becomes invalid.
/// Thread safety: no other thread may use `decoder` during or after the call; free once.
#[no_mangle]
pub extern "C" fn sigv4_chunked_decoder_free(decoder: *mut sigv4_chunked_decoder) {
    let _ = guard(|| {
        free_handle(decoder);
        Ok(())
    });
}
