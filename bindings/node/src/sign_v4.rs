//! `signV4(params)`: the one-call signing of KumoMTA's `aws_sign_v4`, which is the core's
//! [`sigv4::sign_v4`] (the C `sigv4_sign_v4` and Python `sign_v4` call it too): this file only reads
//! the JS parameter object, and returns the signed request as a `sigv4::packed` record
//! (`lib/sign-v4.js` builds the result object from it).

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::{ErrorKind, OneCall};

use crate::error::{bad_input, failed, from_core};
use crate::input;
use crate::js;
use crate::output;
use crate::raw::Raw;

/// Signs one request from `{accessKey, secretKey, region, service, method, uri, queryParams?, headers?,
/// payload?, timestamp?, sessionToken?}`; the result is a record of
/// `sigv4::packed::SIGNED_REQUEST_FIELDS` (every header to send after the fields).
#[napi(
    js_name = "signV4",
    ts_args_type = "params: SignV4Params",
    ts_return_type = "string"
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
    let text = |name: &std::ffi::CStr, kind: ErrorKind, what: &str| {
        input::req_str(env, p, name, kind, what)
    };
    let access_key = text(c"accessKey", ErrorKind::InvalidCredentials, "accessKey")?;
    let secret_key = text(c"secretKey", ErrorKind::InvalidCredentials, "secretKey")?;
    let session_token = input::opt_str(
        env,
        p,
        c"sessionToken",
        ErrorKind::InvalidCredentials,
        "sessionToken",
    )?;
    let region = text(c"region", ErrorKind::InvalidRegion, "region")?;
    let service = text(c"service", ErrorKind::InvalidService, "service")?;
    let method = text(c"method", ErrorKind::InvalidMethod, "method")?;
    let uri = text(c"uri", ErrorKind::InvalidUrl, "uri")?;
    // The same reader as headers: an object of name -> value, or [name, value] pairs.
    let query = js::get(env, p, c"queryParams").map_err(|_| failed(env, "queryParams"))?;
    let query = input::headers(env, query).map_err(|_| {
        bad_input(
            env,
            ErrorKind::InvalidUrl,
            "queryParams",
            "queryParams must be an object of name -> value (or [name, value] pairs)",
        )
    })?;
    let headers = js::get(env, p, c"headers").map_err(|_| failed(env, "headers"))?;
    let headers = input::headers(env, headers)?;
    let payload = js::get(env, p, c"payload").map_err(|_| failed(env, "payload"))?;
    // SAFETY: the borrowed payload is used only within this call.
    let payload = unsafe { input::body(env, payload)? };
    let time = js::get(env, p, c"timestamp").map_err(|_| failed(env, "timestamp"))?;
    let time = input::timestamp(env, time)?;

    let (query_params, header_pairs) = (borrowed(&query), borrowed(&headers));
    let call = OneCall {
        access_key: &access_key,
        secret_key: &secret_key,
        session_token: session_token.as_deref(),
        region: &region,
        service: &service,
        method: &method,
        uri: &uri,
        query_params: &query_params,
        headers: &header_pairs,
        payload: payload.as_bytes(),
        time,
    };
    let signed = sigv4::sign_v4(&call).map_err(|e| {
        // The core names the request's URL `url`; here it is the `uri` parameter.
        if e.kind() == ErrorKind::InvalidUrl && e.argument() == Some("url") {
            bad_input(env, e.kind(), "uri", e.message())
        } else {
            from_core(env, &e)
        }
    })?;
    output::js_string(env, &sigv4::packed::signed_request(&signed)).map(Raw)
}

fn borrowed(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}
