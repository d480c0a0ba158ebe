//! `signExact`: the native half of the `libsigv4/aws4` drop-in. The JS layer reproduces aws4's
//! request preparation (host and region inference, added headers, query formatting); the core
//! signs exactly the headers and query it passes.

use std::sync::Arc;

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::{
    Body, Credentials, ErrorKind, KeyCache, PathNormalization, Request, SigningSettings,
    SigningTime, UriEncoding,
};

use crate::error::{bad_input, failed, from_core};
use crate::handle::{self, Kind};
use crate::input;
use crate::js;
use crate::raw::Raw;
use crate::signer::Scope;

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

/// `NativeSigner.signExact`: the same as [`sigv4::sign_exact`] with the signer's credentials,
/// scope and key cache (the aws4 drop-in keeps one signer per credentials, region and service).
///
/// `packed` is `method NUL path NUL amzDate [NUL name NUL value]...` (one string read instead of
/// one per field).
#[allow(clippy::too_many_arguments)]
pub fn sign_exact_with(
    env: sys::napi_env,
    credentials: &Credentials,
    region: &str,
    service: &str,
    key_cache: &KeyCache,
    packed: Raw,
    body: Raw,
    payload_hash: Raw,
    flags: u32,
) -> napi::Result<Raw> {
    let packed = string_arg(env, packed, ErrorKind::InvalidUrl, "request")?;
    let mut parts = packed.split('\0');
    let (Some(method), Some(path), Some(amz_date)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad_input(
            env,
            ErrorKind::InvalidUrl,
            "request",
            "packed request is incomplete",
        ));
    };
    let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(8);
    while let Some(name) = parts.next() {
        pairs.push((name, parts.next().unwrap_or("")));
    }
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
    let time = SigningTime::parse_amz_date(amz_date).map_err(|e| from_core(env, &e))?;
    let mut settings = SigningSettings::for_service(service);
    // flags bit 3: the path exactly as given (@smithy/signature-v4 with uriEscapePath: false).
    settings.uri_encoding = if flags & 8 != 0 {
        UriEncoding::Verbatim
    } else if flags & 1 != 0 {
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
    let request = Request::new(method, path, &pairs, core_body).map_err(|e| from_core(env, &e))?;
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
    // flags bit 2: only the signature and the signed headers (what sign() needs).
    let parts: &[&str] = if flags & 4 != 0 {
        &[out.signature(), out.signed_headers()]
    } else {
        &[
            out.signature(),
            out.canonical_request(),
            out.string_to_sign(),
            out.signed_headers(),
        ]
    };
    let mut text = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            text.push(crate::output::SEP);
        }
        text.push_str(part);
    }
    crate::output::js_string(env, &text).map(Raw)
}

/// What an exact-signing handle holds: one signer's credentials and scope (with its key cache).
struct ExactHandle {
    credentials: Arc<Credentials>,
    scope: Arc<Scope>,
}

/// The tag of exact-signing handles.
const EXACT: Kind = Kind::new(0x7369_6776_345f_6578, 0x6163_745f_7369_676e, "signer");

/// A new exact-signing handle (see `NativeSigner.exactHandle`).
pub(crate) fn handle(
    env: sys::napi_env,
    credentials: Arc<Credentials>,
    scope: Arc<Scope>,
) -> napi::Result<Raw> {
    handle::create(env, &EXACT, ExactHandle { credentials, scope })
}

/// `NativeSigner.signExact` on a handle from `exactHandle()`: the same arguments and result, as a
/// plain function (what `libsigv4/aws4` calls for every request).
#[napi(
    js_name = "signExactWith",
    ts_args_type = "signer: object, packed: string, body: string | Uint8Array | null | undefined, payloadHash: string | null | undefined, flags: number",
    ts_return_type = "string"
)]
pub fn sign_exact_with_handle(
    env: Env,
    signer: Raw,
    packed: Raw,
    body: Raw,
    payload_hash: Raw,
    flags: u32,
) -> napi::Result<Raw> {
    let env = env.raw();
    // SAFETY: EXACT handles hold an ExactHandle; the caller holds the handle for this call.
    let h = unsafe { handle::get::<ExactHandle>(env, &EXACT, signer.0)? };
    sign_exact_with(
        env,
        &h.credentials,
        &h.scope.region,
        &h.scope.service,
        &h.scope.cache,
        packed,
        body,
        payload_hash,
        flags,
    )
}

/// `signStringWith(handle, amzDate, text)`: the HMAC-SHA256 (lowercase hex) of `text` under the
/// handle's signing key for the day of `amzDate` — `signString` and the event-stream signatures of
/// `libsigv4/aws-sdk`'s `SignatureV4`.
#[napi(
    js_name = "signStringWith",
    ts_args_type = "signer: object, amzDate: string, text: string | Uint8Array",
    ts_return_type = "string"
)]
pub fn sign_string_with_handle(
    env: Env,
    signer: Raw,
    amz_date: String,
    text: Raw,
) -> napi::Result<String> {
    let env = env.raw();
    // SAFETY: EXACT handles hold an ExactHandle; the caller holds the handle for this call.
    let h = unsafe { handle::get::<ExactHandle>(env, &EXACT, signer.0)? };
    let time = SigningTime::parse_amz_date(&amz_date).map_err(|e| from_core(env, &e))?;
    // SAFETY: the borrowed bytes are used only within this call.
    let text = unsafe { input::body(env, Some(text.0))? };
    let key = h
        .scope
        .cache
        .signing_key(&h.credentials, time, &h.scope.region, &h.scope.service);
    Ok(sigv4::hex(&key.sign(text.as_bytes())))
}
