//! The native `Verifier`: the core's verifier, one call per request (use `Verifier` from
//! `libsigv4`, which builds the identity object and the `VerificationError`).

use napi::bindgen_prelude::{Buffer, Env};
use napi::sys;
use sigv4::{packed, ChunkedDecoder, ErrorKind, VerifierSettings};

use std::sync::Arc;

use crate::error::{bad_input, failed, from_core, js_error, js_error_with};
use crate::handle::{self, Kind};
use crate::input;
use crate::js::{self, Value};
use crate::lookup::{self, Lookup};
use crate::output;
use crate::raw::Raw;

/// Replay cache capacity used for `replayCache: true`.
const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

type REnv = sys::napi_env;

fn seconds(
    env: REnv,
    obj: Value,
    name: &std::ffi::CStr,
    what: &str,
    max: u32,
) -> napi::Result<Option<u32>> {
    let Some(v) = js::get(env, obj, name).map_err(|_| failed(env, what))? else {
        return Ok(None);
    };
    let n = js::number(env, v).unwrap_or(f64::NAN);
    if !n.is_finite() || n.fract() != 0.0 || n < 0.0 || n > f64::from(max) {
        return Err(bad_input(
            env,
            ErrorKind::InvalidOption,
            what,
            &format!("{what} must be an integer number of seconds, 0..{max}"),
        ));
    }
    Ok(Some(n as u32))
}

fn names(env: REnv, v: Value, what: &str) -> napi::Result<Vec<String>> {
    let bad = || {
        bad_input(
            env,
            ErrorKind::InvalidOption,
            what,
            &format!("{what} must be an array of strings"),
        )
    };
    if !js::is_array(env, v).unwrap_or(false) {
        return Err(bad());
    }
    let n = js::array_len(env, v).map_err(|_| failed(env, what))?;
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let item = js::element(env, v, i).map_err(|_| failed(env, what))?;
        if !js::is_string(env, item).unwrap_or(false) {
            return Err(bad());
        }
        out.push(js::read_string(env, item).map_err(|_| failed(env, what))?);
    }
    Ok(out)
}

/// Reads every option but the credentials into the settings and the region list.
fn settings(env: REnv, o: Value, service: &str) -> napi::Result<(Vec<String>, VerifierSettings)> {
    let mut regions = Vec::new();
    if let Some(r) = input::opt_str(env, o, c"region", ErrorKind::InvalidRegion, "region")? {
        regions.push(r);
    }
    if let Some(list) = js::get(env, o, c"regions").map_err(|_| failed(env, "regions"))? {
        for r in names(env, list, "regions")? {
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
    }
    if regions.is_empty() {
        return Err(bad_input(
            env,
            ErrorKind::InvalidRegion,
            "region",
            "give region: 'us-east-1' or regions: [...]: the regions whose signatures are accepted",
        ));
    }
    let mut s = VerifierSettings::for_service(service);
    if let Some(v) = seconds(env, o, c"maxSkew", "maxSkew", 86_400)? {
        s.max_skew_seconds = v;
    }
    if let Some(v) = seconds(env, o, c"maxExpires", "maxExpires", 604_800)? {
        s.max_expires_seconds = v;
    }
    if let Some(list) =
        js::get(env, o, c"mustSignHeaders").map_err(|_| failed(env, "mustSignHeaders"))?
    {
        for name in names(env, list, "mustSignHeaders")? {
            let name = name.to_ascii_lowercase();
            if !s.must_sign_headers.contains(&name) {
                s.must_sign_headers.push(name);
            }
        }
    }
    if let Some(v) = input::opt_bool(env, o, c"allowUnsignedPayload", "allowUnsignedPayload")? {
        s.allow_unsigned_payload = v;
    }
    if let Some(v) = input::opt_bool(env, o, c"allowSigv4a", "allowSigv4a")? {
        s.allow_sigv4a = v;
    }
    if let Some(v) = js::get(env, o, c"replayCache").map_err(|_| failed(env, "replayCache"))? {
        s.replay_cache_capacity =
            match js::type_of(env, v).map_err(|_| failed(env, "replayCache"))? {
                sys::ValueType::napi_boolean => js::boolean(env, v)
                    .unwrap_or(false)
                    .then_some(DEFAULT_REPLAY_CAPACITY),
                sys::ValueType::napi_number => {
                    let n = js::number(env, v).unwrap_or(f64::NAN);
                    if !n.is_finite() || n.fract() != 0.0 || n < 1.0 {
                        return Err(bad_input(
                            env,
                            ErrorKind::InvalidOption,
                            "replayCache",
                            "replayCache must be false, true or a capacity >= 1",
                        ));
                    }
                    Some(n as usize)
                }
                _ => {
                    return Err(bad_input(
                        env,
                        ErrorKind::InvalidOption,
                        "replayCache",
                        "replayCache must be false, true or a capacity >= 1",
                    ))
                }
            };
    }
    if let Some(v) = input::named_option(env, o, c"uriEncoding", "uriEncoding")? {
        s.uri_encoding = v;
    }
    if let Some(v) = input::flag_option(env, o, c"normalizePath", "normalizePath")? {
        s.path_normalization = v;
    }
    if let Some(v) = input::flag_option(env, o, c"signSessionToken", "signSessionToken")? {
        s.session_token_mode = v;
    }
    Ok((regions, s))
}

/// The JS error for a failed verification: `code`, `message`, `argument`, and for
/// `SignatureDoesNotMatch` the server's `canonicalRequest` and `stringToSign`.
fn verification_error(env: REnv, e: &sigv4::Error) -> napi::Error {
    match e.mismatch() {
        Some(m) => js_error_with(
            env,
            e.code(),
            e.argument(),
            e.message(),
            &[
                (c"canonicalRequest", &m.canonical_request),
                (c"stringToSign", &m.string_to_sign),
            ],
        ),
        None => js_error(env, e.code(), e.argument(), e.message()),
    }
}

fn present(env: REnv, v: Option<Raw>) -> napi::Result<Option<Value>> {
    match v {
        None => Ok(None),
        Some(r) => match js::type_of(env, r.0).map_err(|_| failed(env, "argument"))? {
            sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
            _ => Ok(Some(r.0)),
        },
    }
}

fn lookup_fn(env: REnv, v: Option<Raw>) -> napi::Result<Option<Value>> {
    match v {
        None => Ok(None),
        Some(r) => match js::type_of(env, r.0).map_err(|_| failed(env, "credentials"))? {
            sys::ValueType::napi_function => Ok(Some(r.0)),
            _ => Ok(None),
        },
    }
}

/// The native verifier behind `Verifier`.
#[napi]
pub struct NativeVerifier {
    core: Arc<sigv4::Verifier>,
}

/// What a verifier handle holds (see [`NativeVerifier::handle`]).
pub(crate) struct VerifierHandle(pub(crate) Arc<sigv4::Verifier>);

/// The tag of verifier handles.
pub(crate) const VERIFIER: Kind =
    Kind::new(0x7369_6776_345f_7665, 0x7269_6669_6572_5f31, "verifier");

#[napi]
impl NativeVerifier {
    /// Creates a verifier from `{credentials, region | regions, service, ...options}`; a function
    /// `credentials` is not kept here (pass it to each `verify`).
    #[napi(constructor, ts_args_type = "options: VerifierOptions")]
    pub fn new(env: Env, options: Raw) -> napi::Result<Self> {
        let env = env.raw();
        let o = options.0;
        if js::type_of(env, o).map_err(|_| failed(env, "options"))? != sys::ValueType::napi_object {
            return Err(bad_input(
                env,
                ErrorKind::InvalidOption,
                "options",
                "Verifier needs an options object {credentials, region, service}",
            ));
        }
        let service = input::req_str(env, o, c"service", ErrorKind::InvalidService, "service")?;
        let (regions, settings) = settings(env, o, &service)?;
        let lookup =
            match js::get(env, o, c"credentials").map_err(|_| failed(env, "credentials"))? {
                None => Lookup::Table(Default::default()),
                Some(c) => match js::type_of(env, c).map_err(|_| failed(env, "credentials"))? {
                    sys::ValueType::napi_function => Lookup::Function,
                    sys::ValueType::napi_object if !js::is_array(env, c).unwrap_or(false) => {
                        Lookup::Table(lookup::table(env, c)?)
                    }
                    _ => return Err(bad_input(
                        env,
                        ErrorKind::InvalidCredentials,
                        "credentials",
                        "credentials must be an object {AKID: secret} or a function akid => secret",
                    )),
                },
            };
        let refs: Vec<&str> = regions.iter().map(String::as_str).collect();
        let core = if crate::key_lookup::wanted(env, o)? {
            sigv4::Verifier::with_signing_keys(
                crate::key_lookup::KeyFunction,
                &refs,
                &service,
                settings,
            )
        } else {
            sigv4::Verifier::new(lookup, &refs, &service, settings)
        }
        .map_err(|e| from_core(env, &e))?;
        Ok(NativeVerifier {
            core: Arc::new(core),
        })
    }

    /// Verifies one request; returns the identity as NUL-separated fields (see `lib/verifier.js`)
    /// or throws an `Error` with `code` (and `canonicalRequest`/`stringToSign` on a mismatch).
    /// `headers` may also be `req.rawHeaders` (a flat `[name, value, ...]` array).
    #[allow(clippy::too_many_arguments)]
    #[napi(
        ts_args_type = "method: string | undefined | null, url: string, headers: unknown, body: string | Uint8Array | undefined | null, payloadHash: string | undefined | null, now: Date | number | string | undefined | null, lookup: Function | undefined | null",
        ts_return_type = "string"
    )]
    pub fn verify(
        &self,
        env: Env,
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        body: Option<Raw>,
        payload_hash: Option<Raw>,
        now: Option<Raw>,
        lookup: Option<Raw>,
    ) -> napi::Result<Raw> {
        let env = env.raw();
        // SAFETY: the borrowed body lives only within this call, and no JS runs while it is
        // borrowed (with a lookup function, which runs JS, the body is copied first).
        let mut req =
            unsafe { input::request_args(env, method, url, headers, body, payload_hash, now)? };
        let function = lookup_fn(env, lookup)?;
        if function.is_some() {
            // The lookup runs JS while the body is in use: hold a copy, not a borrow.
            req.body = req.body.into_owned();
        }
        let pairs = req.header_refs();
        let (result, lookup_failed) = lookup::with_function(env, function, || {
            self.core.verify_http_with(
                &req.method,
                &req.url,
                &pairs,
                req.core_body(),
                req.time,
                |who| packed::identity_of_view(&who),
            )
        });
        if lookup_failed {
            return Err(failed(env, "credentials"));
        }
        match result {
            Ok(record) => output::js_string(env, &record).map(Raw),
            Err(e) => Err(verification_error(env, &e)),
        }
    }

    /// A handle on this verifier for `verifyPacked` (the middleware's per-request call), which
    /// skips the cost of a class method call.
    #[napi(ts_return_type = "object")]
    pub fn handle(&self, env: Env) -> napi::Result<Raw> {
        handle::create(env.raw(), &VERIFIER, VerifierHandle(Arc::clone(&self.core)))
    }

    /// Verifies the headers of a streaming (aws-chunked) upload; returns the decoder for its body.
    #[napi(
        ts_args_type = "method: string | undefined | null, url: string, headers: unknown, now: Date | number | string | undefined | null, lookup: Function | undefined | null"
    )]
    pub fn verify_streaming(
        &self,
        env: Env,
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        now: Option<Raw>,
        lookup: Option<Raw>,
    ) -> napi::Result<NativeStream> {
        let env = env.raw();
        // SAFETY: no body is read.
        let req = unsafe { input::request_args(env, method, url, headers, None, None, now)? };
        let function = lookup_fn(env, lookup)?;
        let pairs = req.header_refs();
        let (result, lookup_failed) = lookup::with_function(env, function, || {
            self.core
                .verify_streaming_http(&req.method, &req.url, &pairs, req.time)
        });
        if lookup_failed {
            return Err(failed(env, "credentials"));
        }
        match result {
            Ok(stream) => {
                let decoded_length = stream.decoded_length as f64;
                let (identity, decoder) = stream.into_parts();
                Ok(NativeStream {
                    identity: packed::identity(&identity),
                    decoded_length,
                    decoder,
                })
            }
            Err(e) => Err(verification_error(env, &e)),
        }
    }

    /// The accepted regions.
    #[napi(getter)]
    pub fn regions(&self) -> Vec<String> {
        self.core.regions().to_vec()
    }

    /// The accepted service.
    #[napi(getter)]
    pub fn service(&self) -> String {
        self.core.service().to_owned()
    }

    /// How many signatures the replay cache holds (0 when it is off).
    #[napi(getter)]
    pub fn replay_cache_len(&self) -> u32 {
        self.core.replay_cache_len() as u32
    }

    /// The clock skew and presign lifetime limits, and the replay cache capacity (0 = off).
    #[napi(getter)]
    pub fn limits(&self) -> Vec<u32> {
        let s = self.core.settings();
        vec![
            s.max_skew_seconds,
            s.max_expires_seconds,
            s.replay_cache_capacity.unwrap_or(0) as u32,
        ]
    }
}

/// `verify` for a request packed into one string, on a verifier handle (what the middleware
/// sends: one string read instead of one per header, and no class method call):
/// the record of `sigv4::packed::VERIFY_REQUEST_FIELDS` with `count` header pairs, the target as
/// the server received it. Returns the identity record as `verify` does.
///
/// The middleware's HTTP/1 framing questions are answered in the same call, by the core's rules:
/// a target that is not origin-form is refused (`sigv4::require_origin_form`), and with no `body`
/// (undefined or null: not read yet) a request whose headers announce one
/// (`sigv4::announced_body`) is not verified: the answer is then a number, the announced
/// `Content-Length` or -1 when the length is not known (`Transfer-Encoding`); read the body and
/// call again with it. A request announcing none is verified with an empty body.
#[napi(
    js_name = "verifyPacked",
    ts_args_type = "verifier: object, packed: string, count: number, body: string | Uint8Array | undefined | null, now: Date | number | string | undefined | null, lookup: Function | undefined | null",
    ts_return_type = "string | number"
)]
pub fn verify_packed(
    env: Env,
    verifier: Raw,
    record: Raw,
    count: u32,
    body: Option<Raw>,
    now: Option<Raw>,
    lookup: Option<Raw>,
) -> napi::Result<Raw> {
    let env = env.raw();
    // SAFETY: VERIFIER handles hold a VerifierHandle; the caller holds the handle for this call.
    let core = &unsafe { handle::get::<VerifierHandle>(env, &VERIFIER, verifier.0)? }.0;
    if !js::is_string(env, record.0).map_err(|_| failed(env, "request"))? {
        return Err(bad_input(
            env,
            ErrorKind::InvalidUrl,
            "request",
            "packed request must be a string",
        ));
    }
    let text = js::read_string(env, record.0).map_err(|_| failed(env, "request"))?;
    let fields = packed::fields(&text);
    let request =
        packed::verify_request(&fields, count as usize).map_err(|e| verification_error(env, &e))?;
    sigv4::require_origin_form(request.url).map_err(|e| verification_error(env, &e))?;
    let body = present(env, body)?;
    if body.is_none() {
        let announced = match sigv4::announced_body(request.headers.iter().copied()) {
            sigv4::AnnouncedBody::None => None,
            // Lengths past 2^53 stay above any maxBody as a double.
            sigv4::AnnouncedBody::Length(n) => Some(n as f64),
            sigv4::AnnouncedBody::Unknown => Some(-1.0),
        };
        if let Some(n) = announced {
            return js::double(env, n)
                .map(Raw)
                .map_err(|_| failed(env, "result"));
        }
    }
    let time = input::timestamp(env, present(env, now)?)?;
    let function = lookup_fn(env, lookup)?;
    // SAFETY: borrowed for this call only; copied below when JS (the lookup) runs meanwhile.
    let mut body = unsafe { input::body(env, body)? };
    if function.is_some() {
        body = body.into_owned();
    }
    let (result, lookup_failed) = lookup::with_function(env, function, || {
        core.verify_http_with(
            request.method,
            request.url,
            &request.headers,
            sigv4::Body::Bytes(body.as_bytes()),
            time,
            |who| packed::identity_of_view(&who),
        )
    });
    if lookup_failed {
        return Err(failed(env, "credentials"));
    }
    match result {
        Ok(record) => output::js_string(env, &record).map(Raw),
        Err(e) => Err(verification_error(env, &e)),
    }
}

/// A streaming upload whose headers verified: feed it the wire body.
#[napi]
pub struct NativeStream {
    identity: String,
    decoded_length: f64,
    decoder: ChunkedDecoder,
}

#[napi]
impl NativeStream {
    /// The identity (NUL-separated fields, as `verify` returns).
    #[napi(getter)]
    pub fn identity(&self) -> String {
        self.identity.clone()
    }

    /// `x-amz-decoded-content-length`.
    #[napi(getter)]
    pub fn decoded_length(&self) -> f64 {
        self.decoded_length
    }

    /// Feeds wire bytes; returns the data of every chunk whose signature checked out. Throws
    /// `InvalidChunk` (framing, signature) and keeps failing afterwards.
    #[napi(ts_args_type = "data: Uint8Array")]
    pub fn feed(&mut self, env: Env, data: Raw) -> napi::Result<Buffer> {
        let env = env.raw();
        // SAFETY: used only within this call.
        let body = unsafe { input::body(env, Some(data.0))? };
        let mut out = Vec::new();
        self.decoder
            .feed(body.as_bytes(), &mut out)
            .map_err(|e| verification_error(env, &e))?;
        Ok(out.into())
    }

    /// Ends the body; returns the verified trailers as `[name, value]` pairs, or throws
    /// `InvalidChunk` when the body is truncated.
    #[napi(ts_return_type = "Array<[string, string]>")]
    pub fn finish(&self, env: Env) -> napi::Result<Vec<Vec<String>>> {
        let env = env.raw();
        let trailers = self
            .decoder
            .finish()
            .map_err(|e| verification_error(env, &e))?;
        Ok(trailers
            .iter()
            .map(|(n, v)| vec![n.clone(), v.clone()])
            .collect())
    }
}
