//! The native `Signer`: credentials, scope and settings fixed, derived keys cached; and
//! `signWith`, its per-request path on a handle (a class method call costs napi-rs' borrow
//! tracking; see `handle.rs`).

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Env};
use napi::{sys, Task};
use sigv4::{
    Body, Credentials, ErrorKind, KeyCache, Request, SignedRequest, SigningAlgorithm,
    SigningParams, SigningSettings, SigningTime,
};

use crate::error::{bad_input, failed, from_core};
use crate::handle::{self, Kind};
use crate::input;
use crate::js;
use crate::output;
use crate::raw::Raw;

struct Scope {
    region: String,
    service: String,
    settings: SigningSettings,
    cache: KeyCache,
}

impl Scope {
    fn run(
        &self,
        credentials: &Credentials,
        core: Option<&sigv4::Signer>,
        request: &Request<'_>,
        time: SigningTime,
        expires: Option<u64>,
    ) -> sigv4::Result<SignedRequest> {
        if let Some(core) = core {
            // SigV4a goes through the core signer (its ECDSA key cache).
            return match expires {
                None => core.sign_with_credentials(credentials, request, time),
                Some(e) => core.presign_with_credentials(credentials, request, time, e),
            };
        }
        let params = SigningParams::new(
            credentials,
            &self.region,
            &self.service,
            time,
            &self.settings,
        )
        .with_cache(&self.cache);
        match expires {
            None => sigv4::sign(request, &params),
            Some(e) => sigv4::presign(request, &params, e),
        }
    }
}

/// The native signer behind `Signer` (use `Signer` from `libsigv4`: it adds credential providers,
/// `Headers` instances and redacted inspection on top of this class).
#[napi]
pub struct NativeSigner {
    scope: Arc<Scope>,
    credentials: Option<Arc<Credentials>>,
    /// The core signer for the current credentials, built only for SigV4a (ECDSA key cache) and on
    /// demand for streaming uploads.
    core: Option<Arc<sigv4::Signer>>,
}

/// The request arguments of a signing call, as JS passed them (the same six for every call).
struct RequestArgs {
    method: Option<Raw>,
    url: Raw,
    headers: Option<Raw>,
    body: Option<Raw>,
    payload_hash: Option<Raw>,
    timestamp: Option<Raw>,
}

impl RequestArgs {
    fn new(
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        body: Option<Raw>,
        payload_hash: Option<Raw>,
        timestamp: Option<Raw>,
    ) -> Self {
        RequestArgs {
            method,
            url,
            headers,
            body,
            payload_hash,
            timestamp,
        }
    }

    /// Reads the arguments (see `input::request_args`).
    ///
    /// # Safety
    /// The body may be borrowed from a JS buffer: the result must not outlive the call, and no JS
    /// may run while it is alive (or its body must be copied first).
    unsafe fn read<'a>(self, env: sys::napi_env) -> napi::Result<input::RequestIn<'a>> {
        input::request_args(
            env,
            self.method,
            self.url,
            self.headers,
            self.body,
            self.payload_hash,
            self.timestamp,
        )
    }
}

/// Signs (or presigns, with `expires`) the request in `args`; the result as a record of
/// `sigv4::packed::SIGNED_REQUEST_FIELDS`.
fn sign_args(
    env: sys::napi_env,
    scope: &Scope,
    creds: &Credentials,
    core: Option<&sigv4::Signer>,
    args: RequestArgs,
    expires: Option<u64>,
) -> napi::Result<Raw> {
    // SAFETY: the borrowed body lives only within this call; no JS runs until we return.
    let req = unsafe { args.read(env)? };
    let headers = req.header_refs();
    let request = Request::new(&req.method, &req.url, &headers, req.core_body())
        .map_err(|e| from_core(env, &e))?;
    let signed = scope
        .run(creds, core, &request, req.time, expires)
        .map_err(|e| from_core(env, &e))?;
    output::js_string(env, &sigv4::packed::signed_request(&signed)).map(Raw)
}

/// A core signer for `credentials` with the scope's settings.
fn core_signer(scope: &Scope, credentials: &Credentials) -> sigv4::Result<sigv4::Signer> {
    sigv4::Signer::with_settings(
        credentials.clone(),
        &scope.region,
        &scope.service,
        scope.settings.clone(),
    )
}

fn no_credentials(env: sys::napi_env) -> napi::Error {
    bad_input(
        env,
        ErrorKind::InvalidCredentials,
        "credentials",
        "no credentials loaded yet: with a credential provider, use signAsync/presignAsync",
    )
}

#[napi]
impl NativeSigner {
    /// Creates a signer from `{region, service, credentials?, ...options}`.
    #[napi(constructor, ts_args_type = "options: SignerOptions")]
    pub fn new(env: Env, options: Raw) -> napi::Result<Self> {
        let env = env.raw();
        let o = options.0;
        if js::type_of(env, o).map_err(|_| failed(env, "options"))? != sys::ValueType::napi_object {
            return Err(bad_input(
                env,
                ErrorKind::InvalidOption,
                "options",
                "Signer needs an options object {credentials, region, service}",
            ));
        }
        let region = input::req_str(env, o, c"region", ErrorKind::InvalidRegion, "region")?;
        let service = input::req_str(env, o, c"service", ErrorKind::InvalidService, "service")?;
        let settings = input::settings(env, o, &service)?;
        // Region (or region set), service, and the swapped-arguments trap, as the core checks them.
        sigv4::validate_scope(&region, &service, settings.algorithm)
            .map_err(|e| from_core(env, &e))?;
        let credentials =
            match js::get(env, o, c"credentials").map_err(|_| failed(env, "credentials"))? {
                Some(c) if js::type_of(env, c).ok() == Some(sys::ValueType::napi_object) => {
                    Some(Arc::new(input::credentials(env, c)?))
                }
                Some(c) if js::type_of(env, c).ok() == Some(sys::ValueType::napi_function) => None,
                Some(_) => {
                    return Err(bad_input(
                        env,
                        ErrorKind::InvalidCredentials,
                        "credentials",
                        "credentials must be an object or a provider function",
                    ))
                }
                None => None,
            };
        let scope = Scope {
            region,
            service,
            settings,
            cache: KeyCache::new(8),
        };
        let core = if scope.settings.algorithm == SigningAlgorithm::Sigv4a {
            // Validates the region set even before credentials arrive.
            sigv4::validate_service(&scope.service).map_err(|e| from_core(env, &e))?;
            let probe =
                Credentials::new("AKIDPROBE", "probe", None).map_err(|e| from_core(env, &e))?;
            core_signer(&scope, credentials.as_deref().unwrap_or(&probe))
                .map_err(|e| from_core(env, &e))?;
            match &credentials {
                Some(c) => Some(Arc::new(
                    core_signer(&scope, c).map_err(|e| from_core(env, &e))?,
                )),
                None => None,
            }
        } else {
            None
        };
        Ok(NativeSigner {
            scope: Arc::new(scope),
            credentials,
            core,
        })
    }

    /// Replaces the credentials (rotated ones); the key cache is kept.
    #[napi(ts_args_type = "credentials: Credentials")]
    pub fn set_credentials(&mut self, env: Env, credentials: Raw) -> napi::Result<()> {
        let env = env.raw();
        let creds = Arc::new(input::credentials(env, credentials.0)?);
        if self.scope.settings.algorithm == SigningAlgorithm::Sigv4a {
            self.core = Some(Arc::new(
                core_signer(&self.scope, &creds).map_err(|e| from_core(env, &e))?,
            ));
        }
        self.credentials = Some(creds);
        Ok(())
    }

    /// The signature algorithm: `sigv4` or `sigv4a`.
    #[napi(getter)]
    pub fn algorithm(&self) -> &'static str {
        match self.scope.settings.algorithm {
            SigningAlgorithm::Sigv4 => "sigv4",
            _ => "sigv4a",
        }
    }

    /// Expiry of the current credentials (epoch seconds), `null` when unknown or without credentials.
    #[napi(getter)]
    pub fn credentials_expire_at(&self) -> Option<i64> {
        self.credentials.as_ref().and_then(|c| c.expires_at())
    }

    /// Whether credentials are loaded.
    #[napi(getter)]
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    /// The access key id of the current credentials (not a secret).
    #[napi(getter)]
    pub fn access_key_id(&self) -> Option<String> {
        self.credentials
            .as_ref()
            .map(|c| c.access_key_id().to_owned())
    }

    /// The region.
    #[napi(getter)]
    pub fn region(&self) -> String {
        self.scope.region.clone()
    }

    /// The service.
    #[napi(getter)]
    pub fn service(&self) -> String {
        self.scope.service.clone()
    }

    /// The credentials signing uses now (an error before a provider has delivered any).
    fn current_credentials(&self, env: sys::napi_env) -> napi::Result<&Arc<Credentials>> {
        self.credentials.as_ref().ok_or_else(|| no_credentials(env))
    }

    fn run(
        &self,
        env: sys::napi_env,
        args: RequestArgs,
        expires: Option<u64>,
    ) -> napi::Result<Raw> {
        let creds = self.current_credentials(env)?;
        sign_args(env, &self.scope, creds, self.core.as_deref(), args, expires)
    }

    /// Signs with an `Authorization` header. Arguments are the request's fields (`url` required);
    /// returns the result as NUL-separated fields (see `lib/signer.js`, which builds the object).
    #[allow(clippy::too_many_arguments)]
    #[napi(
        ts_args_type = "method: string | undefined | null, url: string, headers: SignRequest['headers'] | undefined | null, body: SignRequest['body'] | undefined, payloadHash: string | undefined | null, timestamp: SignRequest['timestamp'] | undefined | null",
        ts_return_type = "string"
    )]
    pub fn sign(
        &self,
        env: Env,
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        body: Option<Raw>,
        payload_hash: Option<Raw>,
        timestamp: Option<Raw>,
    ) -> napi::Result<Raw> {
        let args = RequestArgs::new(method, url, headers, body, payload_hash, timestamp);
        self.run(env.raw(), args, None)
    }

    /// Presigns for `expiresIn` seconds (1..604800); same arguments and result form as `sign`.
    #[allow(clippy::too_many_arguments)]
    #[napi(
        ts_args_type = "method: string | undefined | null, url: string, headers: SignRequest['headers'] | undefined | null, body: SignRequest['body'] | undefined, payloadHash: string | undefined | null, timestamp: SignRequest['timestamp'] | undefined | null, expiresIn: PresignOptions | number | undefined | null",
        ts_return_type = "string"
    )]
    pub fn presign(
        &self,
        env: Env,
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        body: Option<Raw>,
        payload_hash: Option<Raw>,
        timestamp: Option<Raw>,
        expires_in: Option<Raw>,
    ) -> napi::Result<Raw> {
        let env = env.raw();
        let expires = input::expires_in(env, expires_in.map(|o| o.0), 3600)?;
        let args = RequestArgs::new(method, url, headers, body, payload_hash, timestamp);
        self.run(env, args, Some(expires))
    }

    /// A handle for `signWith` holding this signer's current credentials and scope (see
    /// `signWith`); take a new one after `setCredentials`.
    #[napi(ts_return_type = "object")]
    pub fn sign_handle(&self, env: Env) -> napi::Result<Raw> {
        let env = env.raw();
        let credentials = Arc::clone(self.current_credentials(env)?);
        handle::create(
            env,
            &SIGN,
            SignHandle {
                scope: Arc::clone(&self.scope),
                credentials,
                core: self.core.clone(),
            },
        )
    }

    /// Signs the request of a streaming (aws-chunked) upload and returns its encoder (see
    /// `signStreaming` in `lib/streaming.js`).
    #[allow(clippy::too_many_arguments)]
    #[napi(
        ts_args_type = "method: string | undefined | null, url: string, headers: SignRequest['headers'] | undefined | null, decodedLength: number, chunkSize: number | undefined | null, trailers: ReadonlyArray<string | readonly [string, number]> | undefined | null, timestamp: SignRequest['timestamp'] | undefined | null, payload: string | undefined | null"
    )]
    pub fn sign_streaming(
        &self,
        env: Env,
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        decoded_length: Raw,
        chunk_size: Option<Raw>,
        trailers: Option<Raw>,
        timestamp: Option<Raw>,
        payload: Option<Raw>,
    ) -> napi::Result<crate::streaming::NativeUpload> {
        let env = env.raw();
        let creds = self
            .credentials
            .as_ref()
            .ok_or_else(|| no_credentials(env))?;
        let core = match &self.core {
            Some(core) => core.clone(),
            None => Arc::new(core_signer(&self.scope, creds).map_err(|e| from_core(env, &e))?),
        };
        crate::streaming::start(
            env,
            &core,
            crate::streaming::Args {
                method,
                url,
                headers,
                decoded_length,
                chunk_size,
                trailers,
                timestamp,
                payload,
            },
        )
    }

    fn task(
        &self,
        env: sys::napi_env,
        args: RequestArgs,
        expires: Option<u64>,
    ) -> napi::Result<AsyncTask<SignTask>> {
        let creds = self
            .credentials
            .clone()
            .ok_or_else(|| no_credentials(env))?;
        // SAFETY: the body is copied below before this call returns.
        let req = unsafe { args.read(env)? };
        let body = match &req.payload_hash {
            Some(h) => OwnedBody::Precomputed(h.clone()),
            None => OwnedBody::Bytes(req.body.as_bytes().to_vec()),
        };
        Ok(AsyncTask::new(SignTask {
            scope: self.scope.clone(),
            core: self.core.clone(),
            credentials: creds,
            method: req.method,
            url: req.url,
            headers: req.headers,
            body,
            time: req.time,
            expires,
        }))
    }

    /// Like `sign` (the same arguments), hashing the body on the libuv thread pool.
    #[allow(clippy::too_many_arguments)]
    #[napi(
        ts_args_type = "method: string | undefined | null, url: string, headers: SignRequest['headers'] | undefined | null, body: SignRequest['body'] | undefined, payloadHash: string | undefined | null, timestamp: SignRequest['timestamp'] | undefined | null",
        ts_return_type = "Promise<string>"
    )]
    pub fn sign_async(
        &self,
        env: Env,
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        body: Option<Raw>,
        payload_hash: Option<Raw>,
        timestamp: Option<Raw>,
    ) -> napi::Result<AsyncTask<SignTask>> {
        let args = RequestArgs::new(method, url, headers, body, payload_hash, timestamp);
        self.task(env.raw(), args, None)
    }

    /// Like `presign` (the same arguments), off the event loop.
    #[allow(clippy::too_many_arguments)]
    #[napi(
        ts_args_type = "method: string | undefined | null, url: string, headers: SignRequest['headers'] | undefined | null, body: SignRequest['body'] | undefined, payloadHash: string | undefined | null, timestamp: SignRequest['timestamp'] | undefined | null, expiresIn: PresignOptions | number | undefined | null",
        ts_return_type = "Promise<string>"
    )]
    pub fn presign_async(
        &self,
        env: Env,
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        body: Option<Raw>,
        payload_hash: Option<Raw>,
        timestamp: Option<Raw>,
        expires_in: Option<Raw>,
    ) -> napi::Result<AsyncTask<SignTask>> {
        let env = env.raw();
        let expires = input::expires_in(env, expires_in.map(|o| o.0), 3600)?;
        let args = RequestArgs::new(method, url, headers, body, payload_hash, timestamp);
        self.task(env, args, Some(expires))
    }
}

enum OwnedBody {
    Bytes(Vec<u8>),
    Precomputed(String),
}

/// A signing run on the thread pool.
pub struct SignTask {
    scope: Arc<Scope>,
    core: Option<Arc<sigv4::Signer>>,
    credentials: Arc<Credentials>,
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: OwnedBody,
    time: SigningTime,
    expires: Option<u64>,
}

impl Task for SignTask {
    type Output = Result<SignedRequest, sigv4::Error>;
    type JsValue = Raw;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let body = match &self.body {
            OwnedBody::Bytes(b) => Body::Bytes(b),
            OwnedBody::Precomputed(h) => Body::Precomputed(h),
        };
        Ok(
            Request::new(&self.method, &self.url, &headers, body).and_then(|r| {
                self.scope.run(
                    &self.credentials,
                    self.core.as_deref(),
                    &r,
                    self.time,
                    self.expires,
                )
            }),
        )
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Raw> {
        let env = env.raw();
        match output {
            Ok(signed) => output::js_string(env, &sigv4::packed::signed_request(&signed)).map(Raw),
            Err(e) => Err(from_core(env, &e)),
        }
    }
}

/// What a signing handle holds: the signer's scope and the credentials current when it was made.
struct SignHandle {
    scope: Arc<Scope>,
    credentials: Arc<Credentials>,
    /// The SigV4a core signer (its ECDSA key), as in `NativeSigner`.
    core: Option<Arc<sigv4::Signer>>,
}

/// The tag of signing handles.
const SIGN: Kind = Kind::new(0x7369_6776_345f_7369, 0x676e_5f68_616e_646c, "signer");

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
        RequestArgs::new(method, url, headers, body, payload_hash, timestamp),
        None,
    )
}
