//! The native half of `libsigv4/aws-sdk` (the `SignatureV4` of the AWS SDK for JavaScript v3):
//! `lib/aws-sdk.js` does @smithy/signature-v4's request preparation (which headers, the path
//! normalisation of `uriEscapePath`, the payload hash choice) and passes what is signed; the core
//! signs exactly that ([`sigv4::sign_exact`]), with the path verbatim when `uriEscapePath` is off.

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::{
    packed, Body, Credentials, ErrorKind, KeyCache, PathNormalization, Request, SigningSettings,
    SigningTime, UriEncoding,
};

use crate::error::{bad_input, failed, from_core};
use crate::handle::{self, Kind};
use crate::input;
use crate::js;
use crate::raw::Raw;

/// Flags of `sdkSign` (mirrored in lib/aws-sdk.js): the path exactly as given.
const VERBATIM_PATH: u32 = 8;
/// Flags of `sdkSign` for lib/aws4fetch.js: single URI encoding (S3's), path normalisation, and the
/// canonical request and string to sign in the result.
const SINGLE_ENCODING: u32 = 16;
const NORMALIZE_PATH: u32 = 32;
const FULL: u32 = 64;

/// One signer's credentials and scope, with its derived-key cache.
struct SdkHandle {
    credentials: Credentials,
    region: String,
    service: String,
    cache: KeyCache,
}

const SDK: Kind = Kind::new(
    0x7369_6776_345f_7364,
    0x6b5f_7369_676e_6572,
    "aws-sdk signer",
);

/// `sdkHandle(accessKeyId, secretAccessKey, region, service)`: a handle for `sdkSign` and
/// `sdkSignString` (lib/aws-sdk.js keeps one per credentials, region and service).
#[napi(
    js_name = "sdkHandle",
    ts_args_type = "accessKeyId: string, secretAccessKey: string, region: string, service: string",
    ts_return_type = "object"
)]
pub fn sdk_handle(
    env: Env,
    access_key_id: String,
    secret_access_key: String,
    region: String,
    service: String,
) -> napi::Result<Raw> {
    let env = env.raw();
    let credentials = Credentials::new(&access_key_id, &secret_access_key, None)
        .map_err(|e| from_core(env, &e))?;
    sigv4::validate_region(&region).map_err(|e| from_core(env, &e))?;
    sigv4::validate_service(&service).map_err(|e| from_core(env, &e))?;
    handle::create(
        env,
        &SDK,
        SdkHandle {
            credentials,
            region,
            service,
            cache: KeyCache::new(4),
        },
    )
}

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

/// `sdkSign(handle, packed, payloadHash, flags)`: a record of `sigv4::packed::SDK_SIGNATURE_FIELDS`
/// (with `FULL`: all four fields) for exactly the request in `packed`, a record of
/// `sigv4::packed::SDK_REQUEST_FIELDS` (every header given is signed).
#[napi(
    js_name = "sdkSign",
    ts_args_type = "signer: object, packed: string, payloadHash: string, flags: number",
    ts_return_type = "string"
)]
pub fn sdk_sign(
    env: Env,
    signer: Raw,
    record: Raw,
    payload_hash: Raw,
    flags: u32,
) -> napi::Result<String> {
    let env = env.raw();
    // SAFETY: SDK handles hold an SdkHandle; the caller holds the handle for this call.
    let h = unsafe { handle::get::<SdkHandle>(env, &SDK, signer.0)? };
    let record = string_arg(env, record, ErrorKind::InvalidUrl, "request")?;
    let hash = string_arg(
        env,
        payload_hash,
        ErrorKind::InvalidPayloadHash,
        "payloadHash",
    )?;
    let (request, amz_date) = packed::sdk_request(&record).map_err(|e| from_core(env, &e))?;
    let time = SigningTime::parse_amz_date(amz_date).map_err(|e| from_core(env, &e))?;
    let mut settings = SigningSettings::for_service(&h.service);
    // smithy normalises (uriEscapePath) in JS and encodes again, or signs the path as given.
    settings.uri_encoding = if flags & VERBATIM_PATH != 0 {
        UriEncoding::Verbatim
    } else if flags & SINGLE_ENCODING != 0 {
        UriEncoding::Single
    } else {
        UriEncoding::Double
    };
    settings.path_normalization = if flags & NORMALIZE_PATH != 0 {
        PathNormalization::Enabled
    } else {
        PathNormalization::Disabled
    };
    let request = Request::new(
        request.method,
        request.url,
        &request.headers,
        Body::Precomputed(&hash),
    )
    .map_err(|e| from_core(env, &e))?;
    let out = sigv4::sign_exact(
        &request,
        &h.credentials,
        &h.region,
        &h.service,
        time,
        &settings,
        Some(&h.cache),
    )
    .map_err(|e| from_core(env, &e))?;
    Ok(packed::sdk_signature(&out, flags & FULL != 0))
}

/// `sdkSignString(handle, amzDate, text)`: the HMAC-SHA256 (lowercase hex) of `text` under the
/// handle's signing key for the day of `amzDate` — `signString` and the event-stream signatures.
#[napi(
    js_name = "sdkSignString",
    ts_args_type = "signer: object, amzDate: string, text: string | Uint8Array",
    ts_return_type = "string"
)]
pub fn sdk_sign_string(env: Env, signer: Raw, amz_date: String, text: Raw) -> napi::Result<String> {
    let env = env.raw();
    // SAFETY: SDK handles hold an SdkHandle; the caller holds the handle for this call.
    let h = unsafe { handle::get::<SdkHandle>(env, &SDK, signer.0)? };
    let time = SigningTime::parse_amz_date(&amz_date).map_err(|e| from_core(env, &e))?;
    // SAFETY: the borrowed bytes are used only within this call.
    let text = unsafe { input::body(env, Some(text.0))? };
    let key = h
        .cache
        .signing_key(&h.credentials, time, &h.region, &h.service);
    Ok(sigv4::hex(&key.sign(text.as_bytes())))
}
