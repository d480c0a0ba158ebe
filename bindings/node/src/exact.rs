//! `signExact`: the native half of the `libsigv4/aws4` drop-in. The JS layer reproduces aws4's
//! request preparation (host and region inference, added headers, query formatting); the core
//! signs exactly the headers and query it passes.

use napi::sys;
use sigv4::{
    Body, Credentials, ErrorKind, KeyCache, PathNormalization, Request, SigningSettings,
    SigningTime, UriEncoding,
};

use crate::error::{bad_input, failed, from_core};
use crate::input;
use crate::js;
use crate::raw::Raw;

fn string_arg(env: sys::napi_env, v: Raw, kind: ErrorKind, what: &str) -> napi::Result<String> {
    if !js::is_string(env, v.0).map_err(|_| failed(env, what))? {
        return Err(bad_input(
            env,
            kind,
            what,
            &format!("{what} must be a string"),
        ));
    }
    js::read_string(env, v.0).map_err(|_| failed(env, what))
}

/// `NativeSigner.signExact`: the same as [`sign_exact`] with the signer's credentials, scope and
/// key cache (the aws4 drop-in keeps one signer per credentials, region and service).
#[allow(clippy::too_many_arguments)]
pub fn sign_exact_with(
    env: sys::napi_env,
    credentials: &Credentials,
    region: &str,
    service: &str,
    key_cache: &KeyCache,
    method: Raw,
    path: Raw,
    headers: Raw,
    body: Raw,
    payload_hash: Raw,
    amz_date: Raw,
    flags: u32,
) -> napi::Result<Raw> {
    let method = string_arg(env, method, ErrorKind::InvalidMethod, "method")?;
    let path = string_arg(env, path, ErrorKind::InvalidUrl, "path")?;
    let mut flat = Vec::new();
    if js::is_array(env, headers.0).unwrap_or(false) {
        let n = js::array_len(env, headers.0).map_err(|_| failed(env, "headers"))?;
        flat.reserve(n as usize);
        for i in 0..n {
            let v = js::element(env, headers.0, i).map_err(|_| failed(env, "headers"))?;
            flat.push(string_arg(
                env,
                Raw(v),
                ErrorKind::InvalidHeaderValue,
                "headers",
            )?);
        }
    }
    let pairs: Vec<(&str, &str)> = flat
        .chunks_exact(2)
        .map(|c| (c[0].as_str(), c[1].as_str()))
        .collect();
    let hash = match js::type_of(env, payload_hash.0).map_err(|_| failed(env, "payloadHash"))? {
        sys::ValueType::napi_string => Some(string_arg(
            env,
            payload_hash,
            ErrorKind::InvalidPayloadHash,
            "payloadHash",
        )?),
        _ => None,
    };
    let body_v = match js::type_of(env, body.0).map_err(|_| failed(env, "body"))? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => None,
        _ => Some(body.0),
    };
    // SAFETY: the borrowed body is used only within this call.
    let body = unsafe { input::body(env, body_v)? };
    let amz_date = string_arg(env, amz_date, ErrorKind::InvalidTimestamp, "amzDate")?;
    let time = SigningTime::parse_amz_date(&amz_date).map_err(|e| from_core(env, &e))?;
    let mut settings = SigningSettings::for_service(service);
    settings.uri_encoding = if flags & 1 != 0 {
        UriEncoding::Single
    } else {
        UriEncoding::Double
    };
    settings.path_normalization = if flags & 2 != 0 {
        PathNormalization::Enabled
    } else {
        PathNormalization::Disabled
    };
    let core_body = match &hash {
        Some(h) => Body::Precomputed(h),
        None => Body::Bytes(body.as_bytes()),
    };
    let request =
        Request::new(&method, &path, &pairs, core_body).map_err(|e| from_core(env, &e))?;
    let out = sigv4::sign_exact(
        &request,
        credentials,
        region,
        service,
        time,
        &settings,
        Some(key_cache),
    )
    .map_err(|e| from_core(env, &e))?;
    let mut text = String::with_capacity(
        out.signature.len()
            + out.canonical_request.len()
            + out.string_to_sign.len()
            + out.signed_headers.len()
            + 3,
    );
    for (i, part) in [
        &out.signature,
        &out.canonical_request,
        &out.string_to_sign,
        &out.signed_headers,
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            text.push(crate::output::SEP);
        }
        text.push_str(part);
    }
    crate::output::js_string(env, &text).map(Raw)
}
