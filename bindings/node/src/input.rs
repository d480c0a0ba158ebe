//! Reading JS arguments: requests, headers, bodies, timestamps, credentials and options.

use std::time::{SystemTime, UNIX_EPOCH};

use napi::sys;
use sigv4::{Credentials, ErrorKind, OptionFlag, OptionName, SigningSettings, SigningTime};

use crate::error::{bad_input, failed, from_core};
use crate::js::{self, Value};

type Env = sys::napi_env;

/// A body read from JS: nothing, a string (copied, UTF-8), or bytes borrowed for this call.
pub enum BodyIn<'a> {
    /// No body.
    Empty,
    /// A string body.
    Text(String),
    /// A `Buffer`/`Uint8Array`/`ArrayBuffer` body, borrowed.
    Bytes(&'a [u8]),
    /// A copied body.
    Owned(Vec<u8>),
}

impl BodyIn<'_> {
    /// The bytes of the body.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            BodyIn::Empty => &[],
            BodyIn::Text(s) => s.as_bytes(),
            BodyIn::Bytes(b) => b,
            BodyIn::Owned(b) => b,
        }
    }

    /// The same body, no longer borrowing JS memory.
    pub fn into_owned(self) -> BodyIn<'static> {
        match self {
            BodyIn::Empty => BodyIn::Empty,
            BodyIn::Text(s) => BodyIn::Text(s),
            BodyIn::Bytes(b) => BodyIn::Owned(b.to_vec()),
            BodyIn::Owned(b) => BodyIn::Owned(b),
        }
    }
}

/// A request read from JS.
pub struct RequestIn<'a> {
    /// HTTP method (default `GET`).
    pub method: String,
    /// The URL.
    pub url: String,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: BodyIn<'a>,
    /// A precomputed payload hash.
    pub payload_hash: Option<String>,
    /// The signing time.
    pub time: SigningTime,
}

impl RequestIn<'_> {
    /// The header list as borrowed pairs for the core.
    pub fn header_refs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    /// The core body.
    pub fn core_body(&self) -> sigv4::Body<'_> {
        match &self.payload_hash {
            Some(h) => sigv4::Body::Precomputed(h),
            None => sigv4::Body::Bytes(self.body.as_bytes()),
        }
    }
}

fn read_str(env: Env, v: Value, kind: ErrorKind, what: &str) -> napi::Result<String> {
    if !js::is_string(env, v).map_err(|_| failed(env, what))? {
        return Err(bad_input(
            env,
            kind,
            what,
            &format!("{what} must be a string"),
        ));
    }
    js::read_string(env, v).map_err(|_| failed(env, what))
}

/// Reads an optional string property.
pub fn opt_str(
    env: Env,
    obj: Value,
    name: &std::ffi::CStr,
    kind: ErrorKind,
    what: &str,
) -> napi::Result<Option<String>> {
    match js::get(env, obj, name).map_err(|_| failed(env, what))? {
        None => Ok(None),
        Some(v) => read_str(env, v, kind, what).map(Some),
    }
}

/// Reads a required string property.
pub fn req_str(
    env: Env,
    obj: Value,
    name: &std::ffi::CStr,
    kind: ErrorKind,
    what: &str,
) -> napi::Result<String> {
    opt_str(env, obj, name, kind, what)?
        .ok_or_else(|| bad_input(env, kind, what, &format!("{what} is required")))
}

/// Reads an optional boolean property.
pub fn opt_bool(
    env: Env,
    obj: Value,
    name: &std::ffi::CStr,
    what: &str,
) -> napi::Result<Option<bool>> {
    match js::get(env, obj, name).map_err(|_| failed(env, what))? {
        None => Ok(None),
        Some(v) => js::boolean(env, v).map(Some).map_err(|_| {
            bad_input(
                env,
                ErrorKind::InvalidOption,
                what,
                &format!("{what} must be a boolean"),
            )
        }),
    }
}

/// Reads headers as the JS layer passes them: a flat `[name, value, name, value, ...]` list of
/// strings (`lib/headers.js` turns every shape the API accepts into it, for both backends).
pub fn headers(env: Env, v: Option<Value>) -> napi::Result<Vec<(String, String)>> {
    let Some(v) = v else {
        return Ok(Vec::new());
    };
    if !js::is_array(env, v).map_err(|_| failed(env, "headers"))? {
        return Err(bad_input(
            env,
            ErrorKind::InvalidHeaderName,
            "headers",
            "headers must be a flat [name, value, ...] list (lib/headers.js)",
        ));
    }
    let n = js::array_len(env, v).map_err(|_| failed(env, "headers"))?;
    if n & 1 != 0 {
        return Err(bad_input(
            env,
            ErrorKind::InvalidHeaderName,
            "headers",
            "a flat header list (rawHeaders) must hold name, value pairs",
        ));
    }
    let mut out = Vec::with_capacity(n as usize / 2);
    for i in (0..n).step_by(2) {
        let name = js::element(env, v, i).map_err(|_| failed(env, "headers"))?;
        let value = js::element(env, v, i + 1).map_err(|_| failed(env, "headers"))?;
        let name = read_str(env, name, ErrorKind::InvalidHeaderName, "header name")?;
        let value = read_str(env, value, ErrorKind::InvalidHeaderValue, "header value")?;
        out.push((name, value));
    }
    Ok(out)
}

/// Reads a body: string, Buffer, Uint8Array (any typed array), ArrayBuffer or DataView.
///
/// # Safety
/// Borrowed bytes must not outlive the current call.
pub unsafe fn body<'a>(env: Env, v: Option<Value>) -> napi::Result<BodyIn<'a>> {
    let Some(v) = v else { return Ok(BodyIn::Empty) };
    if js::is_string(env, v).map_err(|_| failed(env, "body"))? {
        return Ok(BodyIn::Text(
            js::read_string(env, v).map_err(|_| failed(env, "body"))?,
        ));
    }
    // SAFETY: forwarded to the caller.
    match unsafe { js::bytes(env, v) }.map_err(|_| failed(env, "body"))? {
        Some(b) => Ok(BodyIn::Bytes(b)),
        None => Err(bad_input(
            env,
            ErrorKind::InvalidOption,
            "body",
            "body must be a string, Buffer, Uint8Array or ArrayBuffer",
        )),
    }
}

/// The current time (bindings default to now; the core never reads a clock).
pub fn now() -> SigningTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    SigningTime::from_unix(secs)
        .unwrap_or_else(|_| SigningTime::from_unix(0).expect("epoch is valid"))
}

/// Reads a timestamp: `Date`, epoch seconds, or a `YYYYMMDDTHHMMSSZ` / RFC 3339 string; now when absent.
pub fn timestamp(env: Env, v: Option<Value>) -> napi::Result<SigningTime> {
    let Some(v) = v else { return Ok(now()) };
    let invalid = |msg: &str| bad_input(env, ErrorKind::InvalidTimestamp, "timestamp", msg);
    let t = js::type_of(env, v).map_err(|_| failed(env, "timestamp"))?;
    let seconds = match t {
        sys::ValueType::napi_number => js::number(env, v).map_err(|_| failed(env, "timestamp"))?,
        sys::ValueType::napi_string => {
            let text = js::read_string(env, v).map_err(|_| failed(env, "timestamp"))?;
            return SigningTime::parse(&text).map_err(|e| from_core(env, &e));
        }
        sys::ValueType::napi_object => {
            match js::date_ms(env, v).map_err(|_| failed(env, "timestamp"))? {
                Some(ms) => ms / 1000.0,
                None => {
                    return Err(invalid(
                        "timestamp must be a Date, epoch seconds or a YYYYMMDDTHHMMSSZ string",
                    ))
                }
            }
        }
        _ => {
            return Err(invalid(
                "timestamp must be a Date, epoch seconds or a YYYYMMDDTHHMMSSZ string",
            ))
        }
    };
    if !seconds.is_finite() {
        return Err(invalid("timestamp is not a finite time (an Invalid Date?)"));
    }
    SigningTime::from_unix(seconds.floor() as i64).map_err(|e| from_core(env, &e))
}

/// Reads a request given as separate arguments (JS passes the request object's fields: no property
/// lookups here).
///
/// # Safety
/// The borrowed body must not outlive the current call.
pub unsafe fn request_args<'a>(
    env: Env,
    method: Option<crate::raw::Raw>,
    url: crate::raw::Raw,
    headers_v: Option<crate::raw::Raw>,
    body_v: Option<crate::raw::Raw>,
    payload_hash: Option<crate::raw::Raw>,
    timestamp_v: Option<crate::raw::Raw>,
) -> napi::Result<RequestIn<'a>> {
    let present = |v: Option<crate::raw::Raw>| -> napi::Result<Option<Value>> {
        match v {
            None => Ok(None),
            Some(r) => match js::type_of(env, r.0).map_err(|_| failed(env, "request"))? {
                sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
                _ => Ok(Some(r.0)),
            },
        }
    };
    let method = match present(method)? {
        Some(v) => read_str(env, v, ErrorKind::InvalidMethod, "method")?,
        None => "GET".to_owned(),
    };
    let url = match present(Some(url))? {
        Some(v) => read_str(env, v, ErrorKind::InvalidUrl, "url")?,
        None => {
            return Err(bad_input(
                env,
                ErrorKind::InvalidUrl,
                "url",
                "url is required",
            ))
        }
    };
    let headers = headers(env, present(headers_v)?)?;
    // SAFETY: forwarded to the caller.
    let body = unsafe { body(env, present(body_v)?)? };
    let payload_hash = match present(payload_hash)? {
        Some(v) => Some(read_str(
            env,
            v,
            ErrorKind::InvalidPayloadHash,
            "payloadHash",
        )?),
        None => None,
    };
    let time = timestamp(env, present(timestamp_v)?)?;
    Ok(RequestIn {
        method,
        url,
        headers,
        body,
        payload_hash,
        time,
    })
}

/// Reads `{accessKeyId, secretAccessKey, sessionToken?, expiration?}`.
pub fn credentials(env: Env, v: Value) -> napi::Result<Credentials> {
    if js::type_of(env, v).map_err(|_| failed(env, "credentials"))? != sys::ValueType::napi_object {
        return Err(bad_input(
            env,
            ErrorKind::InvalidCredentials,
            "credentials",
            "credentials must be {accessKeyId, secretAccessKey, sessionToken?}",
        ));
    }
    let akid = req_str(
        env,
        v,
        c"accessKeyId",
        ErrorKind::InvalidCredentials,
        "accessKeyId",
    )?;
    let secret = req_str(
        env,
        v,
        c"secretAccessKey",
        ErrorKind::InvalidCredentials,
        "secretAccessKey",
    )?;
    let token = opt_str(
        env,
        v,
        c"sessionToken",
        ErrorKind::InvalidCredentials,
        "sessionToken",
    )?;
    let mut creds = Credentials::new(akid, secret, token).map_err(|e| from_core(env, &e))?;
    if let Some(exp) = js::get(env, v, c"expiration").map_err(|_| failed(env, "expiration"))? {
        if let Ok(Some(ms)) = js::date_ms(env, exp) {
            if ms.is_finite() {
                creds = creds.with_expiry((ms / 1000.0).floor() as i64);
            }
        }
    }
    Ok(creds)
}

/// Reads the option `js_name` (Node's camelCase spelling) whose value is one of its names, with the
/// core's parser of those names; its error names the option as Node spells it.
pub fn named_option<T: OptionName>(
    env: Env,
    obj: Value,
    name: &std::ffi::CStr,
    js_name: &str,
) -> napi::Result<Option<T>> {
    let Some(text) = opt_str(env, obj, name, ErrorKind::InvalidOption, js_name)? else {
        return Ok(None);
    };
    T::parse_name(&text).map(Some).map_err(|e| {
        let message = e.message().replace(T::OPTION, js_name);
        bad_input(env, e.kind(), js_name, &message)
    })
}

/// Reads the boolean option `js_name` into the setting the core says the flag selects.
pub fn flag_option<T: OptionFlag>(
    env: Env,
    obj: Value,
    name: &std::ffi::CStr,
    js_name: &str,
) -> napi::Result<Option<T>> {
    Ok(opt_bool(env, obj, name, js_name)?.map(T::from_flag))
}

/// Reads the signing options of a `Signer` from `obj` into settings for `service`.
pub fn settings(env: Env, obj: Value, service: &str) -> napi::Result<SigningSettings> {
    let mut s = SigningSettings::for_service(service);
    s.payload = named_option(env, obj, c"payload", "payload")?.or(s.payload);
    if let Some(v) = flag_option(env, obj, c"contentSha256Header", "contentSha256Header")? {
        s.content_sha256_header = v;
    }
    if let Some(v) = named_option(env, obj, c"uriEncoding", "uriEncoding")? {
        s.uri_encoding = v;
    }
    if let Some(v) = flag_option(env, obj, c"normalizePath", "normalizePath")? {
        s.path_normalization = v;
    }
    if let Some(v) = flag_option(env, obj, c"signSessionToken", "signSessionToken")? {
        s.session_token_mode = v;
    }
    if let Some(v) = named_option(env, obj, c"algorithm", "algorithm")? {
        s.algorithm = v;
    }
    if let Some(list) =
        js::get(env, obj, c"unsignedHeaders").map_err(|_| failed(env, "unsignedHeaders"))?
    {
        if !js::is_array(env, list).unwrap_or(false) {
            return Err(bad_input(
                env,
                ErrorKind::InvalidOption,
                "unsignedHeaders",
                "unsignedHeaders must be an array of header names",
            ));
        }
        let n = js::array_len(env, list).map_err(|_| failed(env, "unsignedHeaders"))?;
        for i in 0..n {
            let item = js::element(env, list, i).map_err(|_| failed(env, "unsignedHeaders"))?;
            s.unsigned_headers.push(read_str(
                env,
                item,
                ErrorKind::InvalidOption,
                "unsignedHeaders",
            )?);
        }
    }
    Ok(s)
}

/// Reads `expiresIn` (seconds) from an options object, or the default.
pub fn expires_in(env: Env, v: Option<Value>, default: u64) -> napi::Result<u64> {
    let Some(obj) = v else { return Ok(default) };
    let bad = || {
        bad_input(
            env,
            ErrorKind::InvalidExpiry,
            "expiresIn",
            "expiresIn must be an integer number of seconds, 1..604800",
        )
    };
    let value = match js::type_of(env, obj).map_err(|_| failed(env, "expiresIn"))? {
        sys::ValueType::napi_object => {
            js::get(env, obj, c"expiresIn").map_err(|_| failed(env, "expiresIn"))?
        }
        sys::ValueType::napi_number => Some(obj),
        _ => return Err(bad()),
    };
    let Some(value) = value else {
        return Ok(default);
    };
    let n = js::number(env, value).map_err(|_| bad())?;
    if !n.is_finite() || n.fract() != 0.0 || !(1.0..=604_800.0).contains(&n) {
        return Err(bad_input(
            env,
            ErrorKind::InvalidExpiry,
            "expiresIn",
            &format!("expiresIn must be 1..604800 seconds (got {n})"),
        ));
    }
    Ok(n as u64)
}
