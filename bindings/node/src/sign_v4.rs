//! `signV4(params)`: the one-call signing of KumoMTA's `aws_sign_v4` (and the C `sigv4_sign_v4`).

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::{Body, ContentSha256Header, Credentials, ErrorKind, Request, SigningParams};

use crate::error::{bad_input, failed, from_core};
use crate::input;
use crate::js;
use crate::raw::Raw;

fn query_string(env: sys::napi_env, v: Option<js::Value>) -> napi::Result<String> {
    let mut out = String::new();
    let Some(v) = v else { return Ok(out) };
    let pairs = input::headers(env, Some(v)).map_err(|_| {
        bad_input(
            env,
            ErrorKind::InvalidUrl,
            "queryParams",
            "queryParams must be an object of name -> value (or [name, value] pairs)",
        )
    })?;
    for (k, val) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&sigv4::uri_encode(&k));
        out.push('=');
        out.push_str(&sigv4::uri_encode(&val));
    }
    Ok(out)
}

/// Signs one request from KumoMTA-style parameters: `{accessKey, secretKey, region, service, method,
/// uri, queryParams?, headers?, payload?, timestamp?, sessionToken?}` -> `{authorization, timestamp,
/// signature, canonicalRequest, stringToSign}`. The headers must include `host`; the caller sends
/// `Authorization`, `X-Amz-Date` (= `timestamp`) and, with a session token, `X-Amz-Security-Token`,
/// next to the headers it passed. No `x-amz-content-sha256` header is added (send it yourself, and
/// pass it in `headers`, where a service such as S3 requires it).
#[napi(
    js_name = "signV4",
    ts_args_type = "params: SignV4Params",
    ts_return_type = "SignV4Result"
)]
pub fn sign_v4(env: Env, params: Raw) -> napi::Result<Raw> {
    let env = env.raw();
    let p = params.0;
    if js::type_of(env, p).map_err(|_| failed(env, "params"))? != sys::ValueType::napi_object {
        return Err(bad_input(
            env,
            ErrorKind::InvalidOption,
            "params",
            "signV4 needs a parameter object",
        ));
    }
    let access_key = input::req_str(
        env,
        p,
        c"accessKey",
        ErrorKind::InvalidCredentials,
        "accessKey",
    )?;
    let secret_key = input::req_str(
        env,
        p,
        c"secretKey",
        ErrorKind::InvalidCredentials,
        "secretKey",
    )?;
    let token = input::opt_str(
        env,
        p,
        c"sessionToken",
        ErrorKind::InvalidCredentials,
        "sessionToken",
    )?;
    let region = input::req_str(env, p, c"region", ErrorKind::InvalidRegion, "region")?;
    let service = input::req_str(env, p, c"service", ErrorKind::InvalidService, "service")?;
    let method = input::req_str(env, p, c"method", ErrorKind::InvalidMethod, "method")?;
    let uri = input::req_str(env, p, c"uri", ErrorKind::InvalidUrl, "uri")?;
    if !uri.starts_with('/') {
        return Err(bad_input(
            env,
            ErrorKind::InvalidUrl,
            "uri",
            "uri must be a path starting with '/'",
        ));
    }
    let query = query_string(
        env,
        js::get(env, p, c"queryParams").map_err(|_| failed(env, "queryParams"))?,
    )?;
    let headers = input::headers(
        env,
        js::get(env, p, c"headers").map_err(|_| failed(env, "headers"))?,
    )?;
    // SAFETY: the borrowed payload is used only within this call.
    let payload = unsafe {
        input::body(
            env,
            js::get(env, p, c"payload").map_err(|_| failed(env, "payload"))?,
        )?
    };
    let time = input::timestamp(
        env,
        js::get(env, p, c"timestamp").map_err(|_| failed(env, "timestamp"))?,
    )?;

    let credentials =
        Credentials::new(access_key, secret_key, token).map_err(|e| from_core(env, &e))?;
    let mut settings = sigv4::SigningSettings::for_service(&service);
    settings.content_sha256_header = ContentSha256Header::Omit;
    let url = if query.is_empty() {
        uri
    } else {
        format!("{uri}?{query}")
    };
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(&method, &url, &header_refs, Body::Bytes(payload.as_bytes()))
        .map_err(|e| from_core(env, &e))?;
    let params = SigningParams::new(&credentials, &region, &service, time, &settings);
    let signed = sigv4::sign(&request, &params).map_err(|e| from_core(env, &e))?;
    let build = || -> js::R<js::Value> {
        let o = js::object(env)?;
        js::set_str(
            env,
            o,
            c"authorization",
            signed.authorization().unwrap_or(""),
        )?;
        js::set_str(env, o, c"timestamp", signed.amz_date())?;
        js::set_str(env, o, c"signature", signed.signature())?;
        js::set_str(env, o, c"canonicalRequest", signed.canonical_request())?;
        js::set_str(env, o, c"stringToSign", signed.string_to_sign())?;
        Ok(o)
    };
    build().map(Raw).map_err(|_| failed(env, "result"))
}
