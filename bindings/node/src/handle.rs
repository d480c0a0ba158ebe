//! Handles: a Rust value behind a type-tagged JS `External`, passed to plain exported functions.
//!
//! A napi-rs class method pays for napi-rs' borrow tracking on every call (a global registry
//! lookup and scope bookkeeping: about 0.5 µs, more than the rest of a call's N-API work). The
//! per-request paths (`verifyPacked`, `signWith`, `aws4Sign`) are plain functions taking a handle
//! instead: one `napi_check_object_type_tag` and one `napi_get_value_external`.

use std::ffi::c_void;
use std::ptr;

use napi::sys;

use crate::error::{bad_input, failed};
use crate::js::{self, Value};
use crate::raw::Raw;
use sigv4::ErrorKind;

/// A kind of handle: the tag its `External` carries, and what a wrong value is called in errors.
pub struct Kind {
    tag: sys::napi_type_tag,
    what: &'static str,
}

impl Kind {
    /// A kind with a fixed, unique tag.
    pub const fn new(lower: u64, upper: u64, what: &'static str) -> Self {
        Kind {
            tag: sys::napi_type_tag { lower, upper },
            what,
        }
    }
}

unsafe extern "C" fn finalize<T>(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the `Box<T>` leaked by `create` for this External, finalized once.
    drop(unsafe { Box::from_raw(data.cast::<T>()) });
}

/// Wraps `value` in a new `External` tagged with `kind`; the value is dropped when the External is
/// garbage collected.
pub fn create<T: 'static>(env: sys::napi_env, kind: &Kind, value: T) -> napi::Result<Raw> {
    let data = Box::into_raw(Box::new(value));
    let mut out = ptr::null_mut();
    // SAFETY: `data` is a live Box handed over to the External, freed by `finalize::<T>`.
    let status = unsafe {
        sys::napi_create_external(
            env,
            data.cast(),
            Some(finalize::<T>),
            ptr::null_mut(),
            &mut out,
        )
    };
    if status != sys::Status::napi_ok {
        // SAFETY: the External was not created, so the Box is still ours.
        drop(unsafe { Box::from_raw(data) });
        return Err(failed(env, kind.what));
    }
    // SAFETY: `out` is a fresh External (not tagged yet); the tag outlives the call.
    let status = unsafe { sys::napi_type_tag_object(env, out, &kind.tag) };
    if status != sys::Status::napi_ok {
        return Err(failed(env, kind.what));
    }
    Ok(Raw(out))
}

/// The value behind a handle of `kind`, or an `InvalidOption` error naming it for anything else
/// (another kind of handle, an External of another addon, any other value).
///
/// # Safety
/// `T` must be the type `create` was called with for `kind` (each kind has one type). The
/// reference is valid while the handle is alive: within the current call, as the caller holds it.
pub unsafe fn get<'a, T: 'static>(
    env: sys::napi_env,
    kind: &Kind,
    value: Value,
) -> napi::Result<&'a T> {
    // Only objects carry tags (the check would throw converting `undefined` to an object).
    let mut tagged = false;
    if js::type_of(env, value).ok() == Some(sys::ValueType::napi_external) {
        // SAFETY: handles of the current call; the check only reads.
        let status = unsafe { sys::napi_check_object_type_tag(env, value, &kind.tag, &mut tagged) };
        tagged &= status == sys::Status::napi_ok;
    }
    if !tagged {
        return Err(bad_input(
            env,
            ErrorKind::InvalidOption,
            kind.what,
            &format!("{} is not a handle made by this addon", kind.what),
        ));
    }
    let mut data = ptr::null_mut();
    // SAFETY: only `create` tags values with `kind.tag`, and it tags Externals.
    let status = unsafe { sys::napi_get_value_external(env, value, &mut data) };
    if status != sys::Status::napi_ok || data.is_null() {
        return Err(failed(env, kind.what));
    }
    // SAFETY: the External holds a live `Box<T>` (see `create`), freed only after collection.
    Ok(unsafe { &*data.cast::<T>() })
}
