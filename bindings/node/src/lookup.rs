//! The `credentials` option of `Verifier`: an object map copied once, or a JS function asked per
//! request (synchronously, on the calling thread, during `verify`).

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;

use napi::sys;
use sigv4::{CredentialLookup, Credentials, ErrorKind};

use crate::error::{bad_input, failed, from_core};
use crate::js::{self, Value};

/// Where the verifier finds secrets.
pub enum Lookup {
    /// `{AKID: 'SECRET' | {secretAccessKey, sessionToken?}}`, copied at construction.
    Table(HashMap<String, Credentials>),
    /// A JS function `akid => secret | credentials | undefined`; the function itself is passed to
    /// every `verify` call and reached through [`CURRENT`].
    Function,
}

/// The function of the `verify` call running on this thread, and whether it failed.
struct Current {
    env: sys::napi_env,
    function: Value,
}

thread_local! {
    static CURRENT: Cell<Option<Current>> = const { Cell::new(None) };
    /// Set when the function threw or answered something unusable (the JS exception is pending).
    static FAILED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with `function` as the lookup of this thread; returns `f`'s result and whether the
/// lookup failed (a JS exception is then pending).
pub fn with_function<T>(
    env: sys::napi_env,
    function: Option<Value>,
    f: impl FnOnce() -> T,
) -> (T, bool) {
    CURRENT.with(|c| c.set(function.map(|function| Current { env, function })));
    FAILED.with(|c| c.set(false));
    let out = f();
    CURRENT.with(|c| c.set(None));
    (out, FAILED.with(|c| c.replace(false)))
}

/// Credentials from a table value or a function's answer: a secret string, or an object
/// `{secretAccessKey, sessionToken?}`; `None` for `undefined`/`null`.
pub fn credentials_from(
    env: sys::napi_env,
    access_key_id: &str,
    value: Value,
) -> napi::Result<Option<Credentials>> {
    let bad = || {
        bad_input(
            env,
            ErrorKind::InvalidCredentials,
            "credentials",
            "a credential lookup must give a secret string, {secretAccessKey, sessionToken?} or undefined",
        )
    };
    match js::type_of(env, value).map_err(|_| failed(env, "credentials"))? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
        sys::ValueType::napi_string => {
            let secret = js::read_string(env, value).map_err(|_| failed(env, "credentials"))?;
            Credentials::new(access_key_id, secret, None)
                .map(Some)
                .map_err(|e| from_core(env, &e))
        }
        sys::ValueType::napi_object => {
            let secret = match js::get(env, value, c"secretAccessKey")
                .map_err(|_| failed(env, "credentials"))?
            {
                Some(v) if js::is_string(env, v).unwrap_or(false) => {
                    js::read_string(env, v).map_err(|_| failed(env, "credentials"))?
                }
                _ => return Err(bad()),
            };
            let token = match js::get(env, value, c"sessionToken")
                .map_err(|_| failed(env, "credentials"))?
            {
                Some(v) if js::is_string(env, v).unwrap_or(false) => {
                    Some(js::read_string(env, v).map_err(|_| failed(env, "credentials"))?)
                }
                Some(_) => return Err(bad()),
                None => None,
            };
            let mut creds =
                Credentials::new(access_key_id, secret, token).map_err(|e| from_core(env, &e))?;
            if let Some(exp) =
                js::get(env, value, c"expiration").map_err(|_| failed(env, "credentials"))?
            {
                if let Ok(Some(ms)) = js::date_ms(env, exp) {
                    if ms.is_finite() {
                        creds = creds.with_expiry((ms / 1000.0).floor() as i64);
                    }
                }
            }
            Ok(Some(creds))
        }
        _ => Err(bad()),
    }
}

/// Reads an object map `{AKID: secret | credentials}`.
pub fn table(env: sys::napi_env, obj: Value) -> napi::Result<HashMap<String, Credentials>> {
    let keys = js::keys(env, obj).map_err(|_| failed(env, "credentials"))?;
    let n = js::array_len(env, keys).map_err(|_| failed(env, "credentials"))?;
    let mut out = HashMap::with_capacity(n as usize);
    for i in 0..n {
        let key = js::element(env, keys, i).map_err(|_| failed(env, "credentials"))?;
        let akid = js::read_string(env, key).map_err(|_| failed(env, "credentials"))?;
        let value = js::get_by(env, obj, key).map_err(|_| failed(env, "credentials"))?;
        if let Some(c) = credentials_from(env, &akid, value)? {
            out.insert(akid, c);
        }
    }
    Ok(out)
}

fn call(akid: &str) -> Option<Credentials> {
    call_current(&[akid], |env, result| credentials_from(env, akid, result)).flatten()
}

/// Calls this thread's lookup function (the one `with_function` set) with string arguments and
/// reads its answer with `read`. `None` when there is no function, or when it threw or `read`
/// failed: the JS exception is then pending and the call is marked failed.
pub fn call_current<T>(
    args: &[&str],
    read: impl FnOnce(sys::napi_env, Value) -> napi::Result<T>,
) -> Option<T> {
    let current = CURRENT.with(|c| c.take());
    let current = current?;
    let env = current.env;
    let answer = (|| -> Result<T, ()> {
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(js::string(env, arg).map_err(|_| ())?);
        }
        let mut global = std::ptr::null_mut();
        let mut result = std::ptr::null_mut();
        // SAFETY: env and the function are live for the synchronous verify call running now.
        unsafe {
            if sys::napi_get_global(env, &mut global) != sys::Status::napi_ok {
                return Err(());
            }
            if sys::napi_call_function(
                env,
                global,
                current.function,
                values.len(),
                values.as_ptr(),
                &mut result,
            ) != sys::Status::napi_ok
            {
                return Err(());
            }
        }
        match read(env, result) {
            Ok(c) => Ok(c),
            Err(e) => {
                // Leave the error pending so the binding throws it.
                // SAFETY: throwing an Error object built for this env.
                let value = napi::JsError::from(e);
                unsafe { value.throw_into(env) };
                Err(())
            }
        }
    })();
    CURRENT.with(|c| c.set(Some(current)));
    match answer {
        Ok(c) => Some(c),
        Err(()) => {
            FAILED.with(|f| f.set(true));
            None
        }
    }
}

impl CredentialLookup for Lookup {
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, Credentials>> {
        match self {
            Lookup::Table(t) => t.get(access_key_id).map(Cow::Borrowed),
            Lookup::Function => call(access_key_id).map(Cow::Owned),
        }
    }
}
