//! The panic boundary and the argument marshalling every exported function uses.
//!
//! Each exported function is `guard(|| { ... })`: the closure returns `Ok(())` or a [`Fail`], and a
//! panic becomes `SIGV4_PANIC` instead of unwinding into C. Pointer arguments are turned into
//! references only through the helpers below, which check for NULL first.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::result::{remember, sigv4_result, Fail};

/// Runs an exported function's body: panics caught, failures remembered for `sigv4_last_error_message`.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Fail>) -> sigv4_result {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => sigv4_result::SIGV4_OK,
        Ok(Err(fail)) => {
            remember(&fail.message);
            fail.code
        }
        Err(_) => {
            remember("libsigv4 panicked (a bug: please report it)");
            sigv4_result::SIGV4_PANIC
        }
    }
}

/// A required byte input: NULL is an error whatever the length.
pub(crate) fn bytes<'a>(ptr: *const u8, len: usize, argument: &str) -> Result<&'a [u8], Fail> {
    if ptr.is_null() {
        return Err(Fail::null(argument));
    }
    // SAFETY: non-NULL, and the caller promises `ptr` points to `len` readable bytes that stay
    // valid and unmodified for the duration of the call (the documented contract of every input).
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// An optional byte input: NULL with length 0 means "absent"; NULL with a length is an error.
pub(crate) fn opt_bytes<'a>(
    ptr: *const u8,
    len: usize,
    argument: &str,
) -> Result<Option<&'a [u8]>, Fail> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(None);
        }
        return Err(Fail::null(argument));
    }
    bytes(ptr, len, argument).map(Some)
}

/// Bytes that must be text.
pub(crate) fn utf8<'a>(data: &'a [u8], argument: &str) -> Result<&'a str, Fail> {
    std::str::from_utf8(data).map_err(|_| {
        Fail::new(
            sigv4_result::SIGV4_INVALID_UTF8,
            format!("InvalidUtf8: {argument} is not valid UTF-8"),
        )
    })
}

/// A required text input.
pub(crate) fn text<'a>(ptr: *const u8, len: usize, argument: &str) -> Result<&'a str, Fail> {
    utf8(bytes(ptr, len, argument)?, argument)
}

/// An optional text input (NULL with length 0 means absent).
pub(crate) fn opt_text<'a>(
    ptr: *const u8,
    len: usize,
    argument: &str,
) -> Result<Option<&'a str>, Fail> {
    match opt_bytes(ptr, len, argument)? {
        Some(data) => utf8(data, argument).map(Some),
        None => Ok(None),
    }
}

/// An array of `count` items: NULL is allowed only when `count` is 0.
pub(crate) fn array<'a, T>(ptr: *const T, count: usize, argument: &str) -> Result<&'a [T], Fail> {
    if ptr.is_null() {
        if count == 0 {
            return Ok(&[]);
        }
        return Err(Fail::null(argument));
    }
    // SAFETY: non-NULL, and the caller promises `ptr` points to `count` initialised items that stay
    // valid for the duration of the call.
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// Borrows a handle passed as `const T *`.
pub(crate) fn handle<'a, T>(ptr: *const T, argument: &str) -> Result<&'a T, Fail> {
    // SAFETY: a non-NULL handle pointer was returned by the matching `_new` function and not yet
    // freed (the documented contract); handles are only read through shared references.
    unsafe { ptr.as_ref() }.ok_or_else(|| Fail::null(argument))
}

/// Borrows a handle passed as `T *` for modification.
pub(crate) fn handle_mut<'a, T>(ptr: *mut T, argument: &str) -> Result<&'a mut T, Fail> {
    // SAFETY: as for `handle`, and the caller promises no other thread uses this handle during the
    // call (documented on every function that takes a mutable handle).
    unsafe { ptr.as_mut() }.ok_or_else(|| Fail::null(argument))
}

/// Checks an out-parameter before any work is done, so a NULL one fails early.
pub(crate) fn out_ptr<T>(ptr: *mut T, argument: &str) -> Result<(), Fail> {
    if ptr.is_null() {
        return Err(Fail::null(argument));
    }
    Ok(())
}

/// Writes an out-parameter (already checked by `out_ptr`).
pub(crate) fn write<T>(ptr: *mut T, value: T) {
    // SAFETY: `ptr` is non-NULL (checked by `out_ptr` at the start of the call) and the caller
    // promises it points to writable storage for a `T`. `write` does not read or drop the old value.
    unsafe { ptr.write(value) }
}

/// Writes an optional out-parameter (a NULL pointer means the caller does not want it).
pub(crate) fn write_opt<T>(ptr: *mut T, value: T) {
    if !ptr.is_null() {
        write(ptr, value);
    }
}

/// Moves a value to the heap and hands its pointer to C (freed by the matching `_free`).
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back a handle given out by `into_handle` and drops it; NULL does nothing.
pub(crate) fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: a non-NULL pointer given to a `_free` function came from `into_handle` for the
        // same type and is freed only once (the documented contract).
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// A pointer to `bytes` for C: never dangling, even when empty (a pointer to a static byte then),
/// so a caller may pass it to `memcpy`/`fwrite` with length 0.
pub(crate) fn bytes_view(bytes: &[u8]) -> *const u8 {
    static EMPTY: [u8; 1] = [0];
    if bytes.is_empty() {
        EMPTY.as_ptr()
    } else {
        bytes.as_ptr()
    }
}

/// Copies `value` and a terminating NUL into a caller buffer of `buf_len` bytes.
///
/// `*out_len` receives the length of `value` (without the NUL) on success, and also when the buffer
/// is too small, so the caller can allocate `*out_len + 1` bytes and call again.
pub(crate) fn copy_out(
    value: &[u8],
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> Result<(), Fail> {
    out_ptr(out_len, "out_len")?;
    if buf.is_null() && buf_len > 0 {
        return Err(Fail::null("buf"));
    }
    if buf_len < value.len() + 1 {
        write(out_len, value.len());
        return Err(Fail::new(
            sigv4_result::SIGV4_INSUFFICIENT_SIZE,
            format!(
                "buffer of {buf_len} bytes is too small: {} needed (with the NUL)",
                value.len() + 1
            ),
        ));
    }
    // SAFETY: `buf` is non-NULL (a NULL one has length 0, which failed the size check) and the caller promises it points to `buf_len` writable bytes;
    // `value.len() + 1 <= buf_len` was checked above, and `value` (our own memory) cannot overlap it.
    unsafe {
        std::ptr::copy_nonoverlapping(value.as_ptr(), buf, value.len());
        buf.add(value.len()).write(0);
    }
    write(out_len, value.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_result_code() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r = guard(|| panic!("boom"));
        std::panic::set_hook(prev);
        assert_eq!(r, sigv4_result::SIGV4_PANIC);
        assert!(crate::result::last_error().contains("panicked"));
    }

    #[test]
    fn copy_out_reports_the_needed_length() {
        let mut len = 0usize;
        let r = guard(|| copy_out(b"abc", std::ptr::null_mut(), 0, &mut len));
        assert_eq!((r, len), (sigv4_result::SIGV4_INSUFFICIENT_SIZE, 3));
        let mut buf = [0xffu8; 4];
        let r = guard(|| copy_out(b"abc", buf.as_mut_ptr(), 4, &mut len));
        assert_eq!((r, len, &buf), (sigv4_result::SIGV4_OK, 3, b"abc\0"));
    }
}
