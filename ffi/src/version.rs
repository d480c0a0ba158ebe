//! The library version and the detail of the last failure.

use std::os::raw::c_char;

use crate::boundary::copy_out;
use crate::result::{last_error, sigv4_result};

/// The library version, e.g. `0.1.0`: a static NUL-terminated string (never free it).
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Copies the message of the last failed libsigv4 call on the calling thread (which argument was
/// wrong and why; never a secret) and a NUL into `buf`; an empty string if no call failed yet.
///
/// `buf` holds `buf_len` bytes (NULL when `buf_len` is 0, to ask for the length). `*out_len`
/// receives the message length without the NUL, on success and with `SIGV4_INSUFFICIENT_SIZE`.
/// Returns `SIGV4_OK`, `SIGV4_INSUFFICIENT_SIZE` or `SIGV4_NULL_PARAMETER` (NULL `out_len`, or NULL
/// `buf` with a non-zero `buf_len`); this call never changes the remembered message.
/// Thread safety: safe from any thread; each thread has its own last message.
#[no_mangle]
pub extern "C" fn sigv4_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> sigv4_result {
    let message = last_error();
    match std::panic::catch_unwind(|| copy_out(message.as_bytes(), buf.cast(), buf_len, out_len)) {
        Ok(Ok(())) => sigv4_result::SIGV4_OK,
        Ok(Err(fail)) => fail.code,
        Err(_) => sigv4_result::SIGV4_PANIC,
    }
}
