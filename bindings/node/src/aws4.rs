//! The native half of `libsigv4/aws4` (the drop-in for the npm package `aws4`): `lib/aws4.js`
//! does aws4's request preparation and passes what aws4's `canonicalString` reads; the core's
//! aws4 mode ([`sigv4::aws4_sign`]) builds the canonical request and signs it.
//!
//! The request is one record of `sigv4::packed::AWS4_REQUEST_FIELDS`. A field may hold a NUL
//! itself (aws4 signs any string): the field count then differs from the counts, the call returns
//! `null`, and the JS side sends the record again escaped (flag `ESCAPED`, see `sigv4::packed`).

use std::borrow::Cow;
use std::sync::Mutex;

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::{packed, Aws4Mode, Aws4Request, ErrorKind, SigningKey};

use crate::error::{bad_input, failed, from_core};
use crate::handle::{self, Kind};
use crate::input;
use crate::js;
use crate::raw::Raw;

/// Flags of `aws4Sign` (mirrored in lib/aws4.js).
const S3: u32 = 1;
const DECODE_PATH: u32 = 2;
const SIGN_QUERY: u32 = 4;
const CODECOMMIT_GIT: u32 = 8;
const ESCAPED: u32 = 16;
/// Return one string: the signature.
const SIGNATURE: u32 = 64;
/// With `SIGNATURE`: the string is `authHeader()` (the `Authorization` value) instead.
const AUTHORIZATION: u32 = 128;
/// Return `[credentialString, signedHeaders, X-Amz-Credential, canonicalHeaders]` without signing.
const STRINGS: u32 = 256;

/// A secret, region and service (free text, as aws4 takes them), with the key of the last date.
struct Aws4Key {
    secret: String,
    region: String,
    service: String,
    last: Mutex<Option<(String, SigningKey)>>,
}

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
        Aws4Key {
            secret,
            region,
            service,
            last: Mutex::new(None),
        },
    )
}

/// `aws4Sign(handle, packed, body, payloadHash, flags)`: the signature (`SIGNATURE`), the
/// `Authorization` value (`SIGNATURE | AUTHORIZATION`), `[credentialString, signedHeaders,
/// X-Amz-Credential, canonicalHeaders]` (`STRINGS`, nothing signed), or `[canonicalString, stringToSign, signature,
/// canonicalHeaders]`; `null` when the packed fields need escaping (see the module docs).
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
    // SAFETY: AWS4_KEY handles hold an Aws4Key; the caller holds the handle for this call.
    let key = unsafe { handle::get::<Aws4Key>(env, &AWS4_KEY, signer.0)? };
    if !js::is_string(env, record.0).map_err(|_| failed(env, "request"))? {
        return Err(bad_input(
            env,
            ErrorKind::InvalidUrl,
            "request",
            "request must be a string",
        ));
    }
    let record = js::read_string(env, record.0).map_err(|_| failed(env, "request"))?;
    let fields: Vec<Cow<'_, str>> = if flags & ESCAPED != 0 {
        packed::fields(&record)
            .into_iter()
            .map(packed::unescape)
            .collect()
    } else {
        packed::fields(&record)
            .into_iter()
            .map(Cow::Borrowed)
            .collect()
    };
    let Some(request) = packed::aws4_request(&fields) else {
        return null(env);
    };
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
    let (datetime, date, akid) = (request.datetime, request.date, request.access_key_id);
    let headers = request.headers;
    let scope = [date, key.region.as_str(), key.service.as_str()];
    if flags & STRINGS != 0 {
        let texts = [
            sigv4::aws4_credential_scope(scope),
            sigv4::aws4_signed_headers(&headers),
            sigv4::aws4_credential(akid, scope),
            sigv4::aws4_canonical_headers(&headers),
        ];
        return strings(env, &texts.each_ref().map(String::as_str));
    }
    let request = Aws4Request {
        method: request.method,
        path: request.path,
        query: request.query.as_deref(),
        headers: &headers,
        payload_hash: given.as_deref(),
        body: body.as_bytes(),
    };
    let mode = Aws4Mode {
        s3: flags & S3 != 0,
        decode_path: flags & DECODE_PATH != 0,
        sign_query: flags & SIGN_QUERY != 0,
        codecommit_git: flags & CODECOMMIT_GIT != 0,
    };
    let signing_key = {
        let mut last = key.last.lock().unwrap_or_else(|e| e.into_inner());
        match &*last {
            Some((d, k)) if d == date => k.clone(),
            _ => {
                let k = sigv4::aws4_signing_key(&key.secret, date, &key.region, &key.service);
                *last = Some((date.to_owned(), k.clone()));
                k
            }
        }
    };
    let out = sigv4::aws4_sign(&request, mode, datetime, scope, &signing_key)
        .map_err(|e| from_core(env, &e))?;
    if flags & AUTHORIZATION != 0 {
        let value = sigv4::aws4_authorization(akid, scope, &headers, &out.signature);
        return crate::output::js_string(env, &value).map(Raw);
    }
    if flags & SIGNATURE != 0 {
        return crate::output::js_string(env, &out.signature).map(Raw);
    }
    let canonical_headers = sigv4::aws4_canonical_headers(&headers);
    strings(
        env,
        &[
            &out.canonical_request,
            &out.string_to_sign,
            &out.signature,
            &canonical_headers,
        ],
    )
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
