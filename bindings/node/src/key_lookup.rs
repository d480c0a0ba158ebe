//! The `signingKeys` option of `Verifier`: a JS function `(accessKeyId, date, region, service) =>
//! key | {signingKey, sessionToken?} | undefined` giving the derived signing key (kSigning: a 32-byte
//! Buffer/Uint8Array or 64 hex digits) for the request's scope, so the verifier never holds a
//! secret. Asked synchronously during `verify`, through the same per-call function slot as a
//! `credentials` function.

use napi::sys;
use sigv4::{DerivedKey, ErrorKind, KeyScope, SigningKeyLookup};

use crate::error::{bad_input, failed, from_core};
use crate::js::{self, Value};
use crate::lookup;

/// The core's view of a `signingKeys` function (the function itself is passed to each call).
pub struct KeyFunction;

fn key_of(env: sys::napi_env, value: Value) -> napi::Result<DerivedKey> {
    if js::is_string(env, value).map_err(|_| failed(env, "signingKeys"))? {
        let hex = js::read_string(env, value).map_err(|_| failed(env, "signingKeys"))?;
        return DerivedKey::from_hex(&hex).map_err(|e| from_core(env, &e));
    }
    // SAFETY: the bytes are copied into the key before this returns.
    match unsafe { js::bytes(env, value) }.map_err(|_| failed(env, "signingKeys"))? {
        Some(bytes) => DerivedKey::from_slice(bytes).map_err(|e| from_core(env, &e)),
        None => Err(bad_input(
            env,
            ErrorKind::InvalidCredentials,
            "signingKeys",
            "a signingKeys function must give the 32-byte derived key (Buffer, Uint8Array or 64 hex digits), {signingKey, sessionToken?} or undefined",
        )),
    }
}

fn answer(env: sys::napi_env, value: Value) -> napi::Result<Option<DerivedKey>> {
    match js::type_of(env, value).map_err(|_| failed(env, "signingKeys"))? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
        sys::ValueType::napi_object
            if unsafe { js::bytes(env, value) }
                .map_err(|_| failed(env, "signingKeys"))?
                .is_none() =>
        {
            let key = js::get(env, value, c"signingKey")
                .map_err(|_| failed(env, "signingKeys"))?
                .ok_or_else(|| {
                    bad_input(
                        env,
                        ErrorKind::InvalidCredentials,
                        "signingKeys",
                        "{signingKey, sessionToken?} needs signingKey",
                    )
                })?;
            let mut key = key_of(env, key)?;
            if let Some(token) =
                js::get(env, value, c"sessionToken").map_err(|_| failed(env, "signingKeys"))?
            {
                if !js::is_string(env, token).unwrap_or(false) {
                    return Err(bad_input(
                        env,
                        ErrorKind::InvalidCredentials,
                        "signingKeys",
                        "sessionToken must be a string",
                    ));
                }
                let token = js::read_string(env, token).map_err(|_| failed(env, "signingKeys"))?;
                key = key
                    .with_session_token(token)
                    .map_err(|e| from_core(env, &e))?;
            }
            Ok(Some(key))
        }
        _ => key_of(env, value).map(Some),
    }
}

impl SigningKeyLookup for KeyFunction {
    fn signing_key(&self, access_key_id: &str, scope: &KeyScope<'_>) -> Option<DerivedKey> {
        lookup::call_current(
            &[access_key_id, scope.date, scope.region, scope.service],
            answer,
        )
        .flatten()
    }
}

/// Whether the options name a `signingKeys` function (refusing one given with `credentials`, or
/// one that is not a function).
pub fn wanted(env: sys::napi_env, options: Value) -> napi::Result<bool> {
    let Some(keys) =
        js::get(env, options, c"signingKeys").map_err(|_| failed(env, "signingKeys"))?
    else {
        return Ok(false);
    };
    if js::type_of(env, keys).map_err(|_| failed(env, "signingKeys"))?
        != sys::ValueType::napi_function
    {
        return Err(bad_input(
            env,
            ErrorKind::InvalidOption,
            "signingKeys",
            "signingKeys must be a function (accessKeyId, date, region, service) => key | undefined",
        ));
    }
    if js::get(env, options, c"credentials")
        .map_err(|_| failed(env, "credentials"))?
        .is_some()
    {
        return Err(bad_input(
            env,
            ErrorKind::InvalidOption,
            "signingKeys",
            "give credentials or signingKeys, not both: with signingKeys the verifier holds no secret",
        ));
    }
    Ok(true)
}
