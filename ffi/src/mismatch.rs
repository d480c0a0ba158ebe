//! What the server computed for the last `SignatureDoesNotMatch` on the calling thread.

use std::cell::RefCell;
use std::os::raw::c_char;

use sigv4::Mismatch;

use crate::boundary::copy_out;
use crate::result::{sigv4_result, Fail};

thread_local! {
    static LAST: RefCell<Option<Mismatch>> = const { RefCell::new(None) };
}

/// Forgets the last mismatch (each verification starts with this).
pub(crate) fn clear() {
    LAST.with(|last| last.borrow_mut().take());
}

/// Remembers the mismatch detail of `error`, if any, and turns it into a `Fail`.
pub(crate) fn keep(error: sigv4::Error) -> Fail {
    if let Some(m) = error.mismatch() {
        LAST.with(|last| *last.borrow_mut() = Some(m.clone()));
    }
    Fail::from(error)
}

fn copy(
    pick: fn(&Mismatch) -> &str,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> sigv4_result {
    let run = || {
        crate::boundary::out_ptr(out_len, "out_len")?;
        LAST.with(|last| match last.borrow().as_ref() {
            Some(m) => copy_out(pick(m).as_bytes(), buf.cast(), buf_len, out_len),
            None => Err(Fail::new(
                sigv4_result::SIGV4_NOT_AVAILABLE,
                "no SignatureDoesNotMatch on this thread since its last verification",
            )),
        })
    };
    match std::panic::catch_unwind(run) {
        Ok(Ok(())) => sigv4_result::SIGV4_OK,
        Ok(Err(fail)) => fail.code,
        Err(_) => sigv4_result::SIGV4_PANIC,
    }
}

/// Copies the canonical request the verifier computed, when the last `sigv4_verifier_verify` or
/// `sigv4_verifier_verify_streaming` on the calling thread returned `SIGV4_SIGNATURE_DOES_NOT_MATCH`,
/// and a NUL into `buf` (compare it with the client's to find the difference).
///
/// `buf` holds `buf_len` bytes (NULL when `buf_len` is 0, to ask for the length); `*out_len`
/// receives the length without the NUL on success and with `SIGV4_INSUFFICIENT_SIZE`. Returns
/// `SIGV4_OK`, `SIGV4_INSUFFICIENT_SIZE`, `SIGV4_NULL_PARAMETER` or `SIGV4_NOT_AVAILABLE` (the
/// thread's last verification did not end in a signature mismatch). The text holds the request's
/// headers as received, including a session token: treat it as sensitive in logs. This call does
/// not change `sigv4_last_error_message`. Thread safety: safe from any thread; each thread has its
/// own last mismatch.
#[no_mangle]
pub extern "C" fn sigv4_verifier_last_mismatch_canonical_request(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> sigv4_result {
    copy(|m| &m.canonical_request, buf, buf_len, out_len)
}

/// Copies the string to sign the verifier computed for the thread's last
/// `SIGV4_SIGNATURE_DOES_NOT_MATCH`. Same contract as
/// `sigv4_verifier_last_mismatch_canonical_request`. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verifier_last_mismatch_string_to_sign(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> sigv4_result {
    copy(|m| &m.string_to_sign, buf, buf_len, out_len)
}
