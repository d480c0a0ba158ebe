//! The native half of `libsigv4/aws-sdk` (the `SignatureV4` of the AWS SDK for JavaScript v3):
//! `lib/aws-sdk.js` does @smithy/signature-v4's request preparation (which headers, the path
//! normalisation of `uriEscapePath`, the payload hash choice) and passes what is signed; the core's
//! [`sigv4::dropins::SdkSigner`] signs exactly that (the flags are read there, once for the addon and
//! the WebAssembly build).

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::dropins::SdkSigner;
use sigv4::ErrorKind;

use crate::error::{bad_input, failed, from_core};
use crate::handle::{self, Kind};
use crate::input;
use crate::js;
use crate::raw::Raw;

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
    let signer = SdkSigner::new(&access_key_id, &secret_access_key, &region, &service)
        .map_err(|e| from_core(env, &e))?;
    handle::create(env, &SDK, signer)
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
    // SAFETY: SDK handles hold an SdkSigner; the caller holds the handle for this call.
    let h = unsafe { handle::get::<SdkSigner>(env, &SDK, signer.0)? };
    let record = string_arg(env, record, ErrorKind::InvalidUrl, "request")?;
    let hash = string_arg(
        env,
        payload_hash,
        ErrorKind::InvalidPayloadHash,
        "payloadHash",
    )?;
    h.sign(&record, &hash, flags)
        .map_err(|e| from_core(env, &e))
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
    // SAFETY: SDK handles hold an SdkSigner; the caller holds the handle for this call.
    let h = unsafe { handle::get::<SdkSigner>(env, &SDK, signer.0)? };
    // SAFETY: the borrowed bytes are used only within this call.
    let text = unsafe { input::body(env, Some(text.0))? };
    h.sign_string(&amz_date, text.as_bytes())
        .map_err(|e| from_core(env, &e))
}
