//! `verifier.verifyMany`: requests copied out of JS one by one (`NativeBatch.add`, on the event
//! loop), then verified by the core's batch on libuv's thread pool (an `AsyncTask`, several
//! threads), answered as one array in order.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Env};
use napi::{sys, Task};
use sigv4::{packed, SigningTime};

use crate::error::failed;
use crate::input::{self, BodyIn, RequestIn};
use crate::js;
use crate::output;
use crate::raw::Raw;
use crate::verifier::{VerifierHandle, VERIFIER};

/// One request of a batch, owned (it outlives the JS call that gave it).
enum Entry {
    /// Read field by field, as `verify` reads its arguments (any header shape).
    Read(RequestIn<'static>),
    /// A packed record (`sigv4::packed::VERIFY_REQUEST_FIELDS` then `count` header pairs), split
    /// on the worker threads: the event loop only copies one string.
    Packed {
        record: String,
        count: usize,
        body: BodyIn<'static>,
        time: SigningTime,
    },
}

/// Requests read for one `verifyMany` call.
#[napi]
pub struct NativeBatch {
    requests: Vec<Entry>,
}

#[napi]
impl NativeBatch {
    /// An empty batch.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        NativeBatch {
            requests: Vec::new(),
        }
    }

    /// Reads one request as `verify` does (throws its input error when it cannot be read; the
    /// batch is then unchanged).
    #[allow(clippy::too_many_arguments)]
    #[napi(
        ts_args_type = "method: string | undefined | null, url: string, headers: unknown, body: string | Uint8Array | undefined | null, payloadHash: string | undefined | null, now: Date | number | string | undefined | null"
    )]
    pub fn add(
        &mut self,
        env: Env,
        method: Option<Raw>,
        url: Raw,
        headers: Option<Raw>,
        body: Option<Raw>,
        payload_hash: Option<Raw>,
        now: Option<Raw>,
    ) -> napi::Result<()> {
        // SAFETY: the body is copied (into_owned) before this call returns.
        let req = unsafe {
            input::request_args(env.raw(), method, url, headers, body, payload_hash, now)?
        };
        self.requests.push(Entry::Read(RequestIn {
            body: req.body.into_owned(),
            method: req.method,
            url: req.url,
            headers: req.headers,
            payload_hash: req.payload_hash,
            time: req.time,
        }));
        Ok(())
    }

    /// Adds requests already packed by lib/verify-many.js: `records[i]` with `counts[i]` header
    /// pairs and body `bodies[i]` (a string, bytes, or undefined), each at `now`. One call for many
    /// requests, and no per-field reads: what keeps the event loop's share of a batch small.
    #[napi(
        ts_args_type = "records: string[], counts: number[], bodies: Array<string | Uint8Array | undefined | null>, now: Date | number | string | undefined | null"
    )]
    pub fn add_packed(
        &mut self,
        env: Env,
        records: Raw,
        counts: Raw,
        bodies: Raw,
        now: Option<Raw>,
    ) -> napi::Result<()> {
        let env = env.raw();
        let fail = |_| failed(env, "requests");
        let time = match now {
            Some(v) => match js::type_of(env, v.0).map_err(fail)? {
                sys::ValueType::napi_undefined | sys::ValueType::napi_null => input::now(),
                _ => input::timestamp(env, Some(v.0))?,
            },
            None => input::now(),
        };
        let n = js::array_len(env, records.0).map_err(fail)?;
        self.requests.reserve(n as usize);
        for i in 0..n {
            let record = js::read_string(env, js::element(env, records.0, i).map_err(fail)?)
                .map_err(fail)?;
            let count =
                js::number(env, js::element(env, counts.0, i).map_err(fail)?).map_err(fail)?;
            let body = js::element(env, bodies.0, i).map_err(fail)?;
            let body = match js::type_of(env, body).map_err(fail)? {
                sys::ValueType::napi_undefined | sys::ValueType::napi_null => BodyIn::Empty,
                // SAFETY: copied (into_owned) before this call returns.
                _ => unsafe { input::body(env, Some(body))? }.into_owned(),
            };
            self.requests.push(Entry::Packed {
                record,
                count: count as usize,
                body,
                time,
            });
        }
        Ok(())
    }

    /// How many requests were added.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.requests.len() as u32
    }
}

/// Starts verifying every request of `batch` (emptied) with the verifier behind `verifier` (its
/// handle) on up to `threads` threads (0: every core). Resolves to one entry per request: the
/// identity record (a string, as `verify` returns) or `[code, message, argument,
/// canonicalRequest, stringToSign]` (null where absent).
#[napi(
    js_name = "verifyBatch",
    ts_args_type = "verifier: object, batch: NativeBatch, threads: number",
    ts_return_type = "Promise<Array<string | Array<string | null>>>"
)]
pub fn verify_batch(
    env: Env,
    verifier: Raw,
    batch: &mut NativeBatch,
    threads: u32,
) -> napi::Result<AsyncTask<BatchTask>> {
    let env = env.raw();
    // SAFETY: VERIFIER handles hold a VerifierHandle; the caller holds the handle for this call.
    // A verifier whose credentials are a JS function cannot run off the event loop (the function
    // is reachable on the calling thread only): lib/verifier.js verifies those one by one.
    let core = Arc::clone(&unsafe { handle_of(env, verifier)? }.0);
    Ok(AsyncTask::new(BatchTask {
        core,
        requests: std::mem::take(&mut batch.requests),
        threads: threads as usize,
    }))
}

/// # Safety
/// As `handle::get`.
unsafe fn handle_of<'a>(env: sys::napi_env, verifier: Raw) -> napi::Result<&'a VerifierHandle> {
    crate::handle::get::<VerifierHandle>(env, &VERIFIER, verifier.0)
}

/// One `verifyMany` on the thread pool.
pub struct BatchTask {
    core: Arc<sigv4::Verifier>,
    requests: Vec<Entry>,
    threads: usize,
}

/// Checks one entry (on a worker thread): a packed record is split here.
fn check(core: &sigv4::Verifier, entry: &Entry) -> Result<sigv4::Checked, sigv4::Error> {
    match entry {
        Entry::Read(r) => {
            core.check_http(&r.method, &r.url, &r.header_refs(), r.core_body(), r.time)
        }
        Entry::Packed {
            record,
            count,
            body,
            time,
        } => {
            let fields = packed::fields(record);
            let request = packed::verify_request(&fields, *count)?;
            let body = sigv4::Body::Bytes(body.as_bytes());
            core.check_http(request.method, request.url, &request.headers, body, *time)
        }
    }
}

impl Task for BatchTask {
    /// The identity record (see `sigv4::packed::identity`) or the error, per request.
    type Output = Vec<Result<String, sigv4::Error>>;
    type JsValue = Raw;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let verified = self
            .core
            .verify_many_with(&self.requests, self.threads, check);
        // The identity records are written on the threads too: the event loop only makes strings.
        Ok(sigv4::parallel_map(&verified, self.threads, |r| {
            r.as_ref().map(packed::identity).map_err(Clone::clone)
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Raw> {
        let env = env.raw();
        let fail = |_| failed(env, "result");
        let array = js::array(env, output.len()).map_err(fail)?;
        for (i, result) in output.iter().enumerate() {
            let value = match result {
                Ok(who) => output::js_string(env, who)?,
                Err(e) => error_record(env, e).map_err(fail)?,
            };
            js::set_element(env, array, i as u32, value).map_err(fail)?;
        }
        self.requests = Vec::new();
        Ok(Raw(array))
    }
}

/// `[code, message, argument, canonicalRequest, stringToSign]`, null where absent.
fn error_record(env: sys::napi_env, e: &sigv4::Error) -> js::R<sys::napi_value> {
    let mismatch = e.mismatch();
    let fields = [
        Some(e.code()),
        Some(e.message()),
        e.argument(),
        mismatch.map(|m| m.canonical_request.as_str()),
        mismatch.map(|m| m.string_to_sign.as_str()),
    ];
    let record = js::array(env, fields.len())?;
    for (i, field) in fields.iter().enumerate() {
        let value = match field {
            Some(text) => js::string(env, text)?,
            None => js::null(env)?,
        };
        js::set_element(env, record, i as u32, value)?;
    }
    Ok(record)
}
