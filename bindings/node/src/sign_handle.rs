//! `signWith`: `NativeSigner.sign` as a plain function on a handle, the per-request path of
//! `Signer.sign` (a class method call costs napi-rs' borrow tracking; see `handle.rs`).

use std::sync::Arc;

use napi::bindgen_prelude::Env;
use napi::sys;
use sigv4::Credentials;

use crate::handle::{self, Kind};
use crate::raw::Raw;
use crate::signer::{sign_args, RequestArgs, Scope};

/// What a signing handle holds: the signer's scope and the credentials current when it was made.
struct SignHandle {
    scope: Arc<Scope>,
    credentials: Arc<Credentials>,
    /// The SigV4a core signer (its ECDSA key), as in `NativeSigner`.
    core: Option<Arc<sigv4::Signer>>,
}

/// The tag of signing handles.
const SIGN: Kind = Kind::new(0x7369_6776_345f_7369, 0x676e_5f68_616e_646c, "signer");

/// A new signing handle.
pub(crate) fn create(
    env: sys::napi_env,
    scope: Arc<Scope>,
    credentials: Arc<Credentials>,
    core: Option<Arc<sigv4::Signer>>,
) -> napi::Result<Raw> {
    handle::create(
        env,
        &SIGN,
        SignHandle {
            scope,
            credentials,
            core,
        },
    )
}

/// `NativeSigner.sign` on a handle from `signHandle()`: the same arguments and result.
#[napi(
    js_name = "signWith",
    ts_args_type = "signer: object, method: string | undefined | null, url: string, headers: SignRequest['headers'] | undefined | null, body: SignRequest['body'] | undefined, payloadHash: string | undefined | null, timestamp: SignRequest['timestamp'] | undefined | null",
    ts_return_type = "string"
)]
#[allow(clippy::too_many_arguments)]
pub fn sign_with_handle(
    env: Env,
    signer: Raw,
    method: Option<Raw>,
    url: Raw,
    headers: Option<Raw>,
    body: Option<Raw>,
    payload_hash: Option<Raw>,
    timestamp: Option<Raw>,
) -> napi::Result<Raw> {
    let env = env.raw();
    // SAFETY: SIGN handles hold a SignHandle; the caller holds the handle for this call.
    let h = unsafe { handle::get::<SignHandle>(env, &SIGN, signer.0)? };
    sign_args(
        env,
        &h.scope,
        &h.credentials,
        h.core.as_deref(),
        RequestArgs {
            method,
            url,
            headers,
            body,
            payload_hash,
            timestamp,
        },
        None,
    )
}
