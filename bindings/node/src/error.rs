//! Errors thrown to JS: an `Error` with a stable `code` (the core's `ErrorKind::code()`) and,
//! for input errors, the `argument` that was rejected.

use napi::bindgen_prelude::Unknown;
use napi::sys;
use std::ptr;

use crate::js;

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
