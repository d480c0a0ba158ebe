//! Thin, allocation-aware helpers over raw N-API calls for the signing hot path.
//!
//! napi-rs' typed objects read every declared field through a generic path; signing reads a
//! handful of optional properties per call, so these helpers go straight to `napi_*` functions.

use std::ffi::CStr;
use std::ptr;

use napi::sys;

/// A raw value handle.
pub type Value = sys::napi_value;

/// A failed N-API call (an exception is usually already pending).
pub struct Fail;

/// Result of a raw call.
pub type R<T> = std::result::Result<T, Fail>;

fn ok(status: sys::napi_status) -> R<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Fail)
    }
}

/// The JS type of `value`.
pub fn type_of(env: sys::napi_env, value: Value) -> R<sys::napi_valuetype> {
    let mut t = 0;
    // SAFETY: env and value are live handles of the current call.
    ok(unsafe { sys::napi_typeof(env, value, &mut t) })?;
    Ok(t)
}

/// Reads `obj[name]`; `None` for `undefined` and `null`.
pub fn get(env: sys::napi_env, obj: Value, name: &CStr) -> R<Option<Value>> {
    let mut out = ptr::null_mut();
    // SAFETY: obj is an object handle, name is NUL-terminated.
    ok(unsafe { sys::napi_get_named_property(env, obj, name.as_ptr(), &mut out) })?;
    match type_of(env, out)? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
        _ => Ok(Some(out)),
    }
}

/// True when `value` is a JS string.
pub fn is_string(env: sys::napi_env, value: Value) -> R<bool> {
    Ok(type_of(env, value)? == sys::ValueType::napi_string)
}

/// Strings up to this many UTF-16 units are read with one N-API call into a buffer of the
/// largest possible UTF-8 size (3 bytes per unit); longer ones ask for their UTF-8 length first.
const ONE_CALL_UNITS: usize = 4096;

/// Copies a JS string into `out` (cleared first). Errors when `value` is not a string.
pub fn read_string_into(env: sys::napi_env, value: Value, out: &mut String) -> R<()> {
    // The UTF-16 length costs nothing (no buffer: N-API returns the string's length); a unit
    // takes at most 3 UTF-8 bytes (a surrogate pair, 2 units, takes 4), so for short strings a
    // buffer of 3 x units + 1 always fits and one write suffices.
    let mut units = 0usize;
    // SAFETY: a NULL buffer asks for the length only.
    ok(unsafe { sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut units) })?;
    let room = if units <= ONE_CALL_UNITS {
        units * 3 + 1
    } else {
        let mut len = 0usize;
        // SAFETY: a NULL buffer asks for the UTF-8 length only.
        ok(unsafe { sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut len) })?;
        len + 1
    };
    let mut bytes = std::mem::take(out).into_bytes();
    bytes.clear();
    bytes.reserve(room);
    let mut written = 0usize;
    // SAFETY: the buffer has `room` bytes: the whole string plus the NUL N-API writes.
    ok(unsafe {
        sys::napi_get_value_string_utf8(env, value, bytes.as_mut_ptr().cast(), room, &mut written)
    })?;
    // SAFETY: N-API wrote `written` bytes of valid UTF-8 (it encodes lone surrogates as U+FFFD),
    // whole characters only: no second pass to validate them.
    unsafe { bytes.set_len(written) };
    debug_assert!(std::str::from_utf8(&bytes).is_ok());
    // SAFETY: see above.
    *out = unsafe { String::from_utf8_unchecked(bytes) };
    Ok(())
}

/// Copies a JS string into a new Rust string.
pub fn read_string(env: sys::napi_env, value: Value) -> R<String> {
    let mut s = String::new();
    read_string_into(env, value, &mut s)?;
    Ok(s)
}

/// A JS string from UTF-8.
pub fn string(env: sys::napi_env, s: &str) -> R<Value> {
    let mut out = ptr::null_mut();
    // SAFETY: s is valid UTF-8 of the given length.
    ok(unsafe {
        sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out)
    })?;
    Ok(out)
}

/// A JS number.
pub fn double(env: sys::napi_env, value: f64) -> R<Value> {
    let mut out = ptr::null_mut();
    // SAFETY: env is live.
    ok(unsafe { sys::napi_create_double(env, value, &mut out) })?;
    Ok(out)
}

/// A new array of `len` holes.
pub fn array(env: sys::napi_env, len: usize) -> R<Value> {
    let mut out = ptr::null_mut();
    // SAFETY: env is live.
    ok(unsafe { sys::napi_create_array_with_length(env, len, &mut out) })?;
    Ok(out)
}

/// `array[i] = value`.
pub fn set_element(env: sys::napi_env, array: Value, i: u32, value: Value) -> R<()> {
    // SAFETY: handles are live.
    ok(unsafe { sys::napi_set_element(env, array, i, value) })
}

/// `null`.
pub fn null(env: sys::napi_env) -> R<Value> {
    let mut out = ptr::null_mut();
    // SAFETY: env is live.
    ok(unsafe { sys::napi_get_null(env, &mut out) })?;
    Ok(out)
}

/// `obj[name] = value`.
pub fn set(env: sys::napi_env, obj: Value, name: &CStr, value: Value) -> R<()> {
    // SAFETY: handles are live; name is NUL-terminated.
    ok(unsafe { sys::napi_set_named_property(env, obj, name.as_ptr(), value) })
}

/// `obj[name] = string`.
pub fn set_str(env: sys::napi_env, obj: Value, name: &CStr, value: &str) -> R<()> {
    let v = string(env, value)?;
    set(env, obj, name, v)
}

/// True for arrays.
pub fn is_array(env: sys::napi_env, value: Value) -> R<bool> {
    let mut out = false;
    // SAFETY: handles are live.
    ok(unsafe { sys::napi_is_array(env, value, &mut out) })?;
    Ok(out)
}

/// Array length.
pub fn array_len(env: sys::napi_env, value: Value) -> R<u32> {
    let mut out = 0u32;
    // SAFETY: value is an array.
    ok(unsafe { sys::napi_get_array_length(env, value, &mut out) })?;
    Ok(out)
}

/// `array[i]`.
pub fn element(env: sys::napi_env, value: Value, i: u32) -> R<Value> {
    let mut out = ptr::null_mut();
    // SAFETY: value is an object.
    ok(unsafe { sys::napi_get_element(env, value, i, &mut out) })?;
    Ok(out)
}

/// Own enumerable string keys of an object, as an array.
pub fn keys(env: sys::napi_env, value: Value) -> R<Value> {
    let mut out = ptr::null_mut();
    // SAFETY: value is an object.
    ok(unsafe { sys::napi_get_property_names(env, value, &mut out) })?;
    Ok(out)
}

/// `obj[key]` for a key handle.
pub fn get_by(env: sys::napi_env, obj: Value, key: Value) -> R<Value> {
    let mut out = ptr::null_mut();
    // SAFETY: handles are live.
    ok(unsafe { sys::napi_get_property(env, obj, key, &mut out) })?;
    Ok(out)
}

/// A number as f64.
pub fn number(env: sys::napi_env, value: Value) -> R<f64> {
    let mut out = 0f64;
    // SAFETY: handles are live; errors for non-numbers.
    ok(unsafe { sys::napi_get_value_double(env, value, &mut out) })?;
    Ok(out)
}

/// A boolean.
pub fn boolean(env: sys::napi_env, value: Value) -> R<bool> {
    let mut out = false;
    // SAFETY: handles are live; errors for non-booleans.
    ok(unsafe { sys::napi_get_value_bool(env, value, &mut out) })?;
    Ok(out)
}

/// For a `Date`: its time value in milliseconds.
pub fn date_ms(env: sys::napi_env, value: Value) -> R<Option<f64>> {
    let mut is_date = false;
    // SAFETY: handles are live.
    ok(unsafe { sys::napi_is_date(env, value, &mut is_date) })?;
    if !is_date {
        return Ok(None);
    }
    let mut out = 0f64;
    // SAFETY: value is a Date.
    ok(unsafe { sys::napi_get_date_value(env, value, &mut out) })?;
    Ok(Some(out))
}

/// A typed array's element type, element count and data pointer (`napi_get_typedarray_info`);
/// fails for a value that is not a typed array.
pub fn typedarray_info(
    env: sys::napi_env,
    value: Value,
) -> R<(sys::napi_typedarray_type, usize, *mut std::ffi::c_void)> {
    let mut kind = 0;
    let mut count = 0usize;
    let mut data: *mut std::ffi::c_void = ptr::null_mut();
    let mut buffer = ptr::null_mut();
    let mut offset = 0usize;
    // SAFETY: handles are live; the query only reads, and a non-typed-array makes it fail.
    ok(unsafe {
        sys::napi_get_typedarray_info(
            env,
            value,
            &mut kind,
            &mut count,
            &mut data,
            &mut buffer,
            &mut offset,
        )
    })?;
    Ok((kind, count, data))
}

/// The bytes of a `Uint8Array`/`Buffer` (or any typed array / DataView / ArrayBuffer), borrowed
/// for the duration of the current call.
///
/// # Safety
/// The returned slice must not outlive the current N-API call, and the JS code must not run in
/// between (nothing can detach the buffer while native code runs synchronously).
pub unsafe fn bytes<'a>(env: sys::napi_env, value: Value) -> R<Option<&'a [u8]>> {
    let mut is = false;
    let mut data: *mut std::ffi::c_void = ptr::null_mut();
    let mut len = 0usize;
    // SAFETY: handles are live; each query only reads.
    unsafe {
        ok(sys::napi_is_typedarray(env, value, &mut is))?;
        if is {
            let (kind, count, start) = typedarray_info(env, value)?;
            data = start;
            let width = match kind {
                sys::TypedarrayType::int8_array
                | sys::TypedarrayType::uint8_array
                | sys::TypedarrayType::uint8_clamped_array => 1,
                sys::TypedarrayType::int16_array | sys::TypedarrayType::uint16_array => 2,
                sys::TypedarrayType::float64_array
                | sys::TypedarrayType::bigint64_array
                | sys::TypedarrayType::biguint64_array => 8,
                _ => 4,
            };
            len = count * width;
        } else {
            ok(sys::napi_is_arraybuffer(env, value, &mut is))?;
            if is {
                ok(sys::napi_get_arraybuffer_info(
                    env, value, &mut data, &mut len,
                ))?;
            } else {
                ok(sys::napi_is_dataview(env, value, &mut is))?;
                if !is {
                    return Ok(None);
                }
                let mut buffer = ptr::null_mut();
                let mut offset = 0usize;
                ok(sys::napi_get_dataview_info(
                    env,
                    value,
                    &mut len,
                    &mut data,
                    &mut buffer,
                    &mut offset,
                ))?;
            }
        }
        if len == 0 || data.is_null() {
            return Ok(Some(&[]));
        }
        Ok(Some(std::slice::from_raw_parts(data as *const u8, len)))
    }
}

/// Whether an exception is pending.
pub fn exception_pending(env: sys::napi_env) -> bool {
    let mut out = false;
    // SAFETY: env is live.
    unsafe { sys::napi_is_exception_pending(env, &mut out) };
    out
}
