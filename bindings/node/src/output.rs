//! JS strings for the records of `sigv4::packed` (the one format of this boundary).

use napi::sys;

use crate::error::failed;
use crate::js::{self, Value};

/// A JS string from `s`, through the cheaper Latin-1 path when `s` is ASCII (a record usually is).
pub fn js_string(env: sys::napi_env, s: &str) -> napi::Result<Value> {
    let made = if s.is_ascii() {
        let mut out = std::ptr::null_mut();
        // SAFETY: ASCII bytes are valid Latin-1 of the same length.
        let status = unsafe {
            sys::napi_create_string_latin1(env, s.as_ptr().cast(), s.len() as isize, &mut out)
        };
        if status == sys::Status::napi_ok {
            Ok(out)
        } else {
            Err(js::Fail)
        }
    } else {
        js::string(env, s)
    };
    made.map_err(|_| failed(env, "result"))
}
