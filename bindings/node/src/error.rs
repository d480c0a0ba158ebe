//! Errors thrown to JS: an `Error` with a stable `code` (the core's `ErrorKind::code()`) and,
//! for input errors, the `argument` that was rejected.

use napi::bindgen_prelude::Unknown;
use napi::sys;
use std::ptr;

use crate::js;
use crate::raw::Raw;

thread_local! {
    /// The JS class native errors are made with (`SigV4Error` from lib/errors.js, registered by
    /// lib/native.js); one per thread, as each worker thread loads the package anew.
    static ERROR_CLASS: std::cell::Cell<Option<sys::napi_ref>> = const { std::cell::Cell::new(None) };
}

/// `setErrorClass(SigV4Error)`: native errors are created as `new SigV4Error(code, message,
/// argument)` from now on, so every error the package throws is a `SigV4Error` with `code`.
#[napi(js_name = "setErrorClass", ts_args_type = "ctor: Function")]
pub fn set_error_class(env: napi::bindgen_prelude::Env, ctor: Raw) -> napi::Result<()> {
    let env = env.raw();
    let mut reference = ptr::null_mut();
    // SAFETY: env and ctor are live; the reference keeps the class alive for the thread.
    let status = unsafe { sys::napi_create_reference(env, ctor.0, 1, &mut reference) };
    if status != sys::Status::napi_ok {
        return Err(failed(env, "ctor"));
    }
    ERROR_CLASS.with(|c| c.set(Some(reference)));
    Ok(())
}

/// `new SigV4Error(code, message, argument)` with the registered class, when there is one.
fn new_registered(
    env: sys::napi_env,
    code: sys::napi_value,
    message: sys::napi_value,
    argument: Option<&str>,
) -> Option<sys::napi_value> {
    let reference = ERROR_CLASS.with(|c| c.get())?;
    let mut ctor = ptr::null_mut();
    // SAFETY: the reference was created in this thread's env and is never deleted.
    if unsafe { sys::napi_get_reference_value(env, reference, &mut ctor) } != sys::Status::napi_ok
        || ctor.is_null()
    {
        return None;
    }
    let mut arg = ptr::null_mut();
    match argument {
        Some(a) => arg = js::string(env, a).ok()?,
        // SAFETY: env is live.
        None => unsafe {
            sys::napi_get_undefined(env, &mut arg);
        },
    }
    let args = [code, message, arg];
    let mut out = ptr::null_mut();
    // SAFETY: ctor is a constructor taking (code, message, argument).
    let status = unsafe { sys::napi_new_instance(env, ctor, args.len(), args.as_ptr(), &mut out) };
    if status == sys::Status::napi_ok {
        return Some(out);
    }
    if js::exception_pending(env) {
        let mut exc = ptr::null_mut();
        // SAFETY: clears the constructor's exception; the plain Error below is thrown instead.
        unsafe { sys::napi_get_and_clear_last_exception(env, &mut exc) };
    }
    None
}

/// Builds a JS `Error` with `code`, `message` and optional `argument`, as a napi error that
/// throws exactly that object.
pub fn js_error(
    env: sys::napi_env,
    code: &str,
    argument: Option<&str>,
    message: &str,
) -> napi::Error {
    js_error_with(env, code, argument, message, &[])
}

/// Like [`js_error`], with extra string properties set on the error object.
pub fn js_error_with(
    env: sys::napi_env,
    code: &str,
    argument: Option<&str>,
    message: &str,
    extra: &[(&std::ffi::CStr, &str)],
) -> napi::Error {
    let build = || -> js::R<sys::napi_value> {
        let code_v = js::string(env, code)?;
        let msg_v = js::string(env, message)?;
        if let Some(err) = new_registered(env, code_v, msg_v, argument) {
            for (name, value) in extra {
                js::set_str(env, err, name, value)?;
            }
            return Ok(err);
        }
        let mut err = ptr::null_mut();
        // SAFETY: env is live; code and message are strings.
        let status = unsafe { sys::napi_create_error(env, code_v, msg_v, &mut err) };
        if status != sys::Status::napi_ok {
            return Err(js::Fail);
        }
        if let Some(arg) = argument {
            js::set_str(env, err, c"argument", arg)?;
        }
        for (name, value) in extra {
            js::set_str(env, err, name, value)?;
        }
        Ok(err)
    };
    match build() {
        // SAFETY: value is a live Error object created above.
        Ok(value) => napi::Error::from(unsafe { Unknown::from_raw_unchecked(env, value) }),
        Err(_) => napi::Error::from_reason(format!("{code}: {message}")),
    }
}

/// The JS error for a core error.
pub fn from_core(env: sys::napi_env, err: &sigv4::Error) -> napi::Error {
    js_error(env, err.code(), err.argument(), err.message())
}

/// An input error of the given core kind, for values of the wrong JS type.
pub fn bad_input(
    env: sys::napi_env,
    kind: sigv4::ErrorKind,
    argument: &str,
    message: &str,
) -> napi::Error {
    js_error(env, kind.code(), Some(argument), message)
}

/// The error for a failed raw call: the pending exception if there is one.
pub fn failed(env: sys::napi_env, what: &str) -> napi::Error {
    if js::exception_pending(env) {
        let mut exc = ptr::null_mut();
        // SAFETY: an exception is pending; taking it clears it so napi-rs can rethrow it.
        if unsafe { sys::napi_get_and_clear_last_exception(env, &mut exc) } == sys::Status::napi_ok
        {
            // SAFETY: exc is the live exception value.
            return napi::Error::from(unsafe { Unknown::from_raw_unchecked(env, exc) });
        }
    }
    js_error(
        env,
        "InvalidOption",
        Some(what),
        &format!("could not read {what}"),
    )
}
