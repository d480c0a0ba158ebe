//! `signExact`: the native half of the `libsigv4/aws4` drop-in. The JS layer reproduces aws4's
//! request preparation (host and region inference, added headers, query formatting); the core
//! signs exactly the headers and query it passes.

use std::sync::OnceLock;

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::{Body, Credentials, ErrorKind, KeyCache, PathNormalization, Request, SigningSettings, SigningTime, UriEncoding};

use crate::error::{bad_input, failed, from_core};
use crate::input;
use crate::js;
use crate::raw::Raw;

fn cache() -> &'static KeyCache {
    static CACHE: OnceLock<KeyCache> = OnceLock::new();
    CACHE.get_or_init(|| KeyCache::new(64))
}

fn string_arg(env: sys::napi_env, v: Raw, kind: ErrorKind, what: &str) -> napi::Result<String> {
    if !js::is_string(env, v.0).map_err(|_| failed(env, what))? {
        return Err(bad_input(env, kind, what, &format!("{what} must be a string")));
    }
    js::read_string(env, v.0).map_err(|_| failed(env, what))
}

/// Signs exactly the given request (internal to `libsigv4/aws4`; its API may change).
///
/// `headers` is a flat array `[name1, value1, name2, value2, ...]`; `body` a string or bytes, or
/// `payloadHash` a hex hash or sentinel; `flags` bit 0 = single URI encoding, bit 1 = normalise
/// the path. Returns `[signature, canonicalRequest, stringToSign, signedHeaders]`.
#[allow(clippy::too_many_arguments)]
#[napi(
    js_name = "signExact",
    ts_args_type = "method: string, path: string, headers: string[], body: string | Uint8Array | null | undefined, payloadHash: string | null | undefined, accessKeyId: string, secretAccessKey: string, sessionToken: string | null | undefined, region: string, service: string, amzDate: string, flags: number",
    ts_return_type = "[signature: string, canonicalRequest: string, stringToSign: string, signedHeaders: string]"
)]
pub fn sign_exact(
    env: Env,
    method: Raw,
    path: Raw,
    headers: Raw,
    body: Raw,
    payload_hash: Raw,
    access_key_id: Raw,
    secret_access_key: Raw,
    session_token: Raw,
    region: Raw,
    service: Raw,
    amz_date: Raw,
    flags: u32,
) -> napi::Result<Raw> {
    let env = env.raw();
    let method = string_arg(env, method, ErrorKind::InvalidMethod, "method")?;
    let path = string_arg(env, path, ErrorKind::InvalidUrl, "path")?;
    let mut flat = Vec::new();
    if js::is_array(env, headers.0).unwrap_or(false) {
        let n = js::array_len(env, headers.0).map_err(|_| failed(env, "headers"))?;
        flat.reserve(n as usize);
        for i in 0..n {
            let v = js::element(env, headers.0, i).map_err(|_| failed(env, "headers"))?;
            flat.push(string_arg(env, Raw(v), ErrorKind::InvalidHeaderValue, "headers")?);
        }
    }
    let pairs: Vec<(&str, &str)> = flat.chunks_exact(2).map(|c| (c[0].as_str(), c[1].as_str())).collect();
    let hash = match js::type_of(env, payload_hash.0).map_err(|_| failed(env, "payloadHash"))? {
        sys::ValueType::napi_string => Some(string_arg(env, payload_hash, ErrorKind::InvalidPayloadHash, "payloadHash")?),
        _ => None,
    };
    let body_v = match js::type_of(env, body.0).map_err(|_| failed(env, "body"))? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => None,
        _ => Some(body.0),
    };
    // SAFETY: the borrowed body is used only within this call.
    let body = unsafe { input::body(env, body_v)? };
    let akid = string_arg(env, access_key_id, ErrorKind::InvalidCredentials, "accessKeyId")?;
    let secret = string_arg(env, secret_access_key, ErrorKind::InvalidCredentials, "secretAccessKey")?;
    let token = match js::type_of(env, session_token.0).map_err(|_| failed(env, "sessionToken"))? {
        sys::ValueType::napi_string => Some(string_arg(env, session_token, ErrorKind::InvalidCredentials, "sessionToken")?),
        _ => None,
    };
    let region = string_arg(env, region, ErrorKind::InvalidRegion, "region")?;
    let service = string_arg(env, service, ErrorKind::InvalidService, "service")?;
    let amz_date = string_arg(env, amz_date, ErrorKind::InvalidTimestamp, "amzDate")?;
    let time = SigningTime::parse_amz_date(&amz_date).map_err(|e| from_core(env, &e))?;
    let credentials = Credentials::new(akid, secret, token.filter(|t| !t.is_empty())).map_err(|e| from_core(env, &e))?;
    let mut settings = SigningSettings::for_service(&service);
    settings.uri_encoding = if flags & 1 != 0 { UriEncoding::Single } else { UriEncoding::Double };
    settings.path_normalization = if flags & 2 != 0 { PathNormalization::Enabled } else { PathNormalization::Disabled };
    let core_body = match &hash {
        Some(h) => Body::Precomputed(h),
        None => Body::Bytes(body.as_bytes()),
    };
    let request = Request::new(&method, &path, &pairs, core_body).map_err(|e| from_core(env, &e))?;
    let out = sigv4::sign_exact(&request, &credentials, &region, &service, time, &settings, Some(cache()))
        .map_err(|e| from_core(env, &e))?;
    let build = || -> js::R<js::Value> {
        let mut arr = std::ptr::null_mut();
        // SAFETY: env is live.
        if unsafe { sys::napi_create_array_with_length(env, 4, &mut arr) } != sys::Status::napi_ok {
            return Err(js::Fail);
        }
        for (i, s) in [&out.signature, &out.canonical_request, &out.string_to_sign, &out.signed_headers]
            .into_iter()
            .enumerate()
        {
            let v = js::string(env, s)?;
            // SAFETY: arr is an array.
            if unsafe { sys::napi_set_element(env, arr, i as u32, v) } != sys::Status::napi_ok {
                return Err(js::Fail);
            }
        }
        Ok(arr)
    };
    build().map(Raw).map_err(|_| failed(env, "result"))
}
