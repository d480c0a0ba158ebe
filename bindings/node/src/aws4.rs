//! The native half of `libsigv4/aws4` (the drop-in for the npm package `aws4`): `lib/aws4.js`
//! does aws4's request preparation and passes what aws4's `canonicalString` reads; the core's
//! [`sigv4::dropins::Aws4Signer`] reads the record and flags and signs in its aws4 mode (once for the
//! addon and the WebAssembly build).
//!
//! The request is one record of `sigv4::packed::AWS4_REQUEST_FIELDS`. A field may hold a NUL
//! itself (aws4 signs any string): the field count then differs from the counts, the call returns
//! `null`, and the JS side sends the record again escaped (flag `ESCAPED`, see `sigv4::packed`).

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::dropins::{Aws4Answer, Aws4Signer};
use sigv4::ErrorKind;

use crate::error::{bad_input, failed, from_core};
use crate::handle::{self, Kind};
use crate::input;
use crate::js;
use crate::raw::Raw;

const AWS4_KEY: Kind = Kind::new(0x6177_7334_5f6b_6579, 0x6c69_6273_6967_7634, "aws4 signer");

/// `aws4Handle(secret, region, service)`: a handle for `aws4Sign` (lib/aws4.js keeps one per
/// credentials, region and service, as aws4 caches its derived keys).
#[napi(
    js_name = "aws4Handle",
    ts_args_type = "secret: string, region: string, service: string",
    ts_return_type = "object"
)]
pub fn aws4_handle(env: Env, secret: String, region: String, service: String) -> napi::Result<Raw> {
    handle::create(
        env.raw(),
        &AWS4_KEY,
        Aws4Signer::new(&secret, &region, &service),
    )
}

/// `aws4Sign(handle, packed, body, payloadHash, flags)`: the signature (`SIGNATURE`), the
/// `Authorization` value (`SIGNATURE | AUTHORIZATION`), `[credentialString, signedHeaders,
/// X-Amz-Credential, canonicalHeaders]` (`STRINGS`, nothing signed), or `[canonicalString,
/// stringToSign, signature, canonicalHeaders]`; `null` when the packed fields need escaping (see
/// the module docs). The flags are `sigv4::dropins::aws4_flags`.
#[napi(
    js_name = "aws4Sign",
    ts_args_type = "signer: object, packed: string, body: string | Uint8Array | null | undefined, payloadHash: string | null | undefined, flags: number",
    ts_return_type = "string | string[] | null"
)]
pub fn aws4_sign(
    env: Env,
    signer: Raw,
    record: Raw,
    body: Raw,
    payload_hash: Raw,
    flags: u32,
) -> napi::Result<Raw> {
    let env = env.raw();
    // SAFETY: AWS4_KEY handles hold an Aws4Signer; the caller holds the handle for this call.
    let key = unsafe { handle::get::<Aws4Signer>(env, &AWS4_KEY, signer.0)? };
    if !js::is_string(env, record.0).map_err(|_| failed(env, "request"))? {
        return Err(bad_input(
            env,
            ErrorKind::InvalidUrl,
            "request",
            "request must be a string",
        ));
    }
    let record = js::read_string(env, record.0).map_err(|_| failed(env, "request"))?;
    let given = match js::type_of(env, payload_hash.0).map_err(|_| failed(env, "payloadHash"))? {
        sys::ValueType::napi_string => {
            Some(js::read_string(env, payload_hash.0).map_err(|_| failed(env, "payloadHash"))?)
        }
        _ => None,
    };
    let body_v = match js::type_of(env, body.0).map_err(|_| failed(env, "body"))? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => None,
        _ if given.is_some() => None,
        _ => Some(body.0),
    };
    // SAFETY: the borrowed body is used only within this call.
    let body = unsafe { input::body(env, body_v)? };
    match key
        .sign(&record, given.as_deref(), body.as_bytes(), flags)
        .map_err(|e| from_core(env, &e))?
    {
        Aws4Answer::NeedsEscaping => null(env),
        Aws4Answer::One(text) => crate::output::js_string(env, &text).map(Raw),
        Aws4Answer::Four(texts) => strings(env, &texts.each_ref().map(String::as_str)),
    }
}

/// A JS array of `texts`.
fn strings(env: sys::napi_env, texts: &[&str]) -> napi::Result<Raw> {
    let array = js::array(env, texts.len()).map_err(|_| failed(env, "result"))?;
    for (i, text) in texts.iter().enumerate() {
        let v = crate::output::js_string(env, text)?;
        js::set_element(env, array, i as u32, v).map_err(|_| failed(env, "result"))?;
    }
    Ok(Raw(array))
}

fn null(env: sys::napi_env) -> napi::Result<Raw> {
    js::null(env).map(Raw).map_err(|_| failed(env, "result"))
}
