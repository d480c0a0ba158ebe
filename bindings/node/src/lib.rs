//! Node bindings (napi-rs) of libsigv4: the native half of the npm package `libsigv4`.
//!
//! The JS layer (`index.js`, `lib/`) adds credential providers, `Headers` support, the aws4
//! drop-in, axios and fetch helpers; everything that signs is here, calling the core once.
// napi-rs registers exported functions only outside `cfg(test)`.
#![cfg_attr(test, allow(dead_code))]

#[macro_use]
extern crate napi_derive;

mod answer;
mod aws4;
mod batch;
mod error;
mod event_headers;
mod forwarded;
mod handle;
mod input;
mod js;
mod key_lookup;
mod lookup;
mod output;
mod raw;
mod replay;
mod sdk;
mod sign_v4;
mod signer;
mod streaming;
mod verifier;

/// The version of the native addon (equal to the npm package version).
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// SHA-256 of `data` (string as UTF-8, or bytes) as lowercase hex, computed by the core.
#[napi(js_name = "sha256Hex", ts_args_type = "data: string | Uint8Array")]
pub fn sha256_hex(env: napi::bindgen_prelude::Env, data: raw::Raw) -> napi::Result<String> {
    let env = env.raw();
    // SAFETY: the borrowed bytes are used only within this call.
    let body = unsafe { input::body(env, Some(data.0))? };
    Ok(sigv4::sha256_hex(body.as_bytes()))
}

/// The header a request nonce goes in (the core's `sigv4::NONCE_HEADER`): what `lib/nonce.js`, which
/// runs without the addon in edge runtimes, checks its own copy against (test/nonce-core.test.js).
#[napi]
pub const NONCE_HEADER: &str = sigv4::NONCE_HEADER;

/// Random bytes a request nonce is made of (the core's `sigv4::NONCE_BYTES`), for the same check.
#[napi]
pub const NONCE_BYTES: u32 = sigv4::NONCE_BYTES as u32;

/// The field names of every kind of record this boundary exchanges (`sigv4::packed`), by kind: what
/// `lib/packed.js` checks its own positions against (test/packed.test.js).
#[napi(js_name = "packedLayouts")]
pub fn packed_layouts() -> std::collections::HashMap<String, Vec<String>> {
    sigv4::packed::LAYOUTS
        .iter()
        .map(|(kind, names)| {
            let names = names.iter().map(|n| (*n).to_owned()).collect();
            ((*kind).to_owned(), names)
        })
        .collect()
}
