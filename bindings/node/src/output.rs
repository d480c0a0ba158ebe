//! Turning a core `SignedRequest` into a plain JS object.

use napi::sys;
use sigv4::SignedRequest;

use crate::error::failed;
use crate::js::{self, Value};

/// The headers as a plain object; a name given twice (same spelling) has its values joined by `, `.
pub fn headers_object(env: sys::napi_env, headers: &[(String, String)]) -> js::R<Value> {
    let obj = js::object(env)?;
    for (i, (name, value)) in headers.iter().enumerate() {
        if headers[..i].iter().any(|(n, _)| n == name) {
            continue;
        }
        let repeats = headers[i + 1..].iter().any(|(n, _)| n == name);
        if repeats {
            let joined: Vec<&str> = headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect();
            let v = js::string(env, &joined.join(", "))?;
            js::set_key(env, obj, name, v)?;
        } else {
            let v = js::string(env, value)?;
            js::set_key(env, obj, name, v)?;
        }
    }
    Ok(obj)
}

/// `{method, url, headers, signature, authorization, amzDate, credentialScope, signedHeaders,
/// canonicalRequest, stringToSign, payloadHash}`.
pub fn signed(env: sys::napi_env, s: &SignedRequest) -> napi::Result<Value> {
    let build = || -> js::R<Value> {
        let obj = js::object(env)?;
        js::set_str(env, obj, c"method", s.method())?;
        js::set_str(env, obj, c"url", s.url())?;
        let h = headers_object(env, s.headers())?;
        js::set(env, obj, c"headers", h)?;
        js::set_str(env, obj, c"signature", s.signature())?;
        if let Some(a) = s.authorization() {
            js::set_str(env, obj, c"authorization", a)?;
        }
        js::set_str(env, obj, c"amzDate", s.amz_date())?;
        js::set_str(env, obj, c"credentialScope", s.credential_scope())?;
        js::set_str(env, obj, c"signedHeaders", s.signed_headers())?;
        js::set_str(env, obj, c"canonicalRequest", s.canonical_request())?;
        js::set_str(env, obj, c"stringToSign", s.string_to_sign())?;
        js::set_str(env, obj, c"payloadHash", s.payload_hash())?;
        Ok(obj)
    };
    build().map_err(|_| failed(env, "result"))
}
