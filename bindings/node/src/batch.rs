//! `verifier.verifyMany`: lib/verify-many.js cuts the requests into chunks; each chunk is copied
//! out of JS (`NativeBatch.addPacked` / `add`, on the event loop), checked on libuv's thread pool
//! (`checkBatch`, an `AsyncTask`) while the event loop copies the next chunks, then finished in
//! order on the event loop (`NativeBatch.finish`: the replay cache, in the batch's order, and the
//! results). The chunks in flight at once are the threads used.

use std::sync::{Arc, Mutex};

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

/// What checking one entry gave.
// Mostly `Checked`: boxing it would add an allocation per request to make the rare failures smaller.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    /// Signature and every check but the replay cache passed: the identity record (written on
    /// the pool thread) and what the replay cache needs.
    Checked(sigv4::Checked, String),
    /// A check failed.
    Failed(sigv4::Error),
    /// A packed record whose fields do not match its header count (a NUL inside a field): JS
    /// verifies that request on its own, which reports the NUL as `verify` does.
    Single,
}

/// One chunk of a `verifyMany` call: its requests, then (once `checkBatch` ran) their outcomes.
#[napi]
pub struct NativeBatch {
    requests: Vec<Entry>,
    /// Written by the pool thread, taken by `finish`.
    outcomes: Arc<Mutex<Option<Vec<Outcome>>>>,
}

#[napi]
impl NativeBatch {
    /// An empty batch.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        NativeBatch {
            requests: Vec::new(),
            outcomes: Arc::default(),
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

    /// Finishes a checked chunk on the event loop, chunks in the batch's order: records the
    /// requests that passed in the replay cache of the verifier behind `verifier` (its handle) and
    /// answers one entry per request: the identity record (a string, as `verify` returns),
    /// `[code, message, argument, canonicalRequest, stringToSign]` (null where absent), or null
    /// for a request JS must verify on its own (a NUL inside a packed field).
    #[napi(
        ts_args_type = "verifier: object",
        ts_return_type = "Array<string | Array<string | null> | null>"
    )]
    pub fn finish(&mut self, env: Env, verifier: Raw) -> napi::Result<Raw> {
        let env = env.raw();
        // SAFETY: as in `check_batch`.
        let core = &unsafe { handle_of(env, verifier)? }.0;
        let fail = |_| failed(env, "result");
        let outcomes = lock(&self.outcomes).take().ok_or_else(|| {
            napi::Error::new(
                napi::Status::GenericFailure,
                "finish: the batch was not checked (await checkBatch first)",
            )
        })?;
        let array = js::array(env, outcomes.len()).map_err(fail)?;
        for (i, outcome) in outcomes.into_iter().enumerate() {
            let value = match outcome {
                Outcome::Checked(checked, record) => match core.record(checked) {
                    Ok(_) => output::js_string(env, &record)?,
                    Err(e) => error_record(env, &e).map_err(fail)?,
                },
                Outcome::Failed(e) => error_record(env, &e).map_err(fail)?,
                Outcome::Single => js::null(env).map_err(fail)?,
            };
            js::set_element(env, array, i as u32, value).map_err(fail)?;
        }
        Ok(Raw(array))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts checking the requests of `batch` (emptied) with the verifier behind `verifier` (its
/// handle) on libuv's thread pool: every check but the replay cache. Resolves (to the number of
/// requests) when `batch.finish` can answer.
#[napi(
    js_name = "checkBatch",
    ts_args_type = "verifier: object, batch: NativeBatch",
    ts_return_type = "Promise<number>"
)]
pub fn check_batch(
    env: Env,
    verifier: Raw,
    batch: &mut NativeBatch,
) -> napi::Result<AsyncTask<CheckTask>> {
    let env = env.raw();
    // SAFETY: VERIFIER handles hold a VerifierHandle; the caller holds the handle for this call.
    // A verifier whose credentials are a JS function cannot run off the event loop (the function
    // is reachable on the calling thread only): lib/verifier.js verifies those one by one.
    let core = Arc::clone(&unsafe { handle_of(env, verifier)? }.0);
    Ok(AsyncTask::new(CheckTask {
        core,
        requests: std::mem::take(&mut batch.requests),
        outcomes: Arc::clone(&batch.outcomes),
    }))
}

/// # Safety
/// As `handle::get`.
unsafe fn handle_of<'a>(env: sys::napi_env, verifier: Raw) -> napi::Result<&'a VerifierHandle> {
    crate::handle::get::<VerifierHandle>(env, &VERIFIER, verifier.0)
}

/// One chunk's checks on the thread pool.
pub struct CheckTask {
    core: Arc<sigv4::Verifier>,
    requests: Vec<Entry>,
    outcomes: Arc<Mutex<Option<Vec<Outcome>>>>,
}

/// Checks one entry (on a pool thread): a packed record is split here.
fn check(core: &sigv4::Verifier, entry: &Entry) -> Outcome {
    let checked = match entry {
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
            // Method, URL, then the pairs (no headers: the URL may be followed by an empty field).
            let fits = fields.len() == 2 + 2 * count
                || (*count == 0 && fields.len() == 3 && fields[2].is_empty());
            if !fits {
                return Outcome::Single;
            }
            match packed::verify_request(&fields, *count) {
                Ok(request) => {
                    let body = sigv4::Body::Bytes(body.as_bytes());
                    core.check_http(request.method, request.url, &request.headers, body, *time)
                }
                Err(e) => Err(e),
            }
        }
    };
    match checked {
        // The identity record is written here, off the event loop.
        Ok(c) => {
            let record = packed::identity(c.identity());
            Outcome::Checked(c, record)
        }
        Err(e) => Outcome::Failed(e),
    }
}

impl Task for CheckTask {
    type Output = usize;
    type JsValue = u32;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let outcomes: Vec<Outcome> = self.requests.iter().map(|e| check(&self.core, e)).collect();
        let n = outcomes.len();
        self.requests = Vec::new();
        *lock(&self.outcomes) = Some(outcomes);
        Ok(n)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<u32> {
        Ok(output as u32)
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
