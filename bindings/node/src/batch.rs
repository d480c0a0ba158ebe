//! `verifier.verifyMany`: lib/verify-many.js cuts the requests into chunks; each chunk is copied
//! out of JS (`NativeBatch.addPacked` / `add`, on the event loop) and queued
//! (`NativeBatchQueue.push`); lanes on libuv's thread pool (`checkQueue`, an `AsyncTask` each)
//! check queued chunks oldest first, and the event loop checks one itself (`help`) when the lanes
//! fall behind; chunks are then finished in order on the event loop (`NativeBatch.finish`: the
//! replay cache, in the batch's order, and the results).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

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
    /// Requests packed by lib/verify-many.js, many per native call (see [`Packed`]).
    Packed(Packed),
}

/// Requests packed by lib/verify-many.js (`NativeBatch.addPacked`): one text for all of them,
/// copied out of JS as UTF-16 (a plain copy on the event loop; the UTF-8 conversion and the
/// splitting happen on the pool thread), and three numbers per request.
struct Packed {
    /// The requests' fields, each request `method NUL url [NUL name NUL value]... [NUL body]`,
    /// requests joined by NUL.
    text: Vec<u16>,
    /// Per request: its length in `text` (UTF-16 units, one separator included), its header
    /// pair count, and its body: the length of a body inlined at the record's end (>= 0),
    /// [`NO_BODY`] or [`BODY_APART`] (the next of `bodies`).
    meta: Vec<i32>,
    /// The bodies sent apart (bytes, or long strings), in request order.
    bodies: Vec<BodyIn<'static>>,
    /// The instant the requests are verified at.
    time: SigningTime,
}

/// `meta` body value: the request has no body.
const NO_BODY: i32 = -1;
/// `meta` body value: the request's body is the next one of `bodies`.
const BODY_APART: i32 = -2;

/// What checking one entry gave.
// Mostly `Checked`: boxing it would add an allocation per request to make the rare failures smaller.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    /// Signature and every check but the replay cache passed: what the replay cache needs, and
    /// where the identity record (written on the checking thread, where the identity is also
    /// freed) ends in [`CheckedChunk::records`] (it starts where the previous one ends).
    Checked(sigv4::PendingRecord, usize),
    /// A check failed.
    Failed(sigv4::Error),
    /// A packed record whose fields do not match its header count (a NUL inside a field): JS
    /// verifies that request on its own, which reports the NUL as `verify` does.
    Single,
}

/// One chunk of a `verifyMany` call: its requests, then (once a thread checked them) their outcomes.
#[napi]
pub struct NativeBatch {
    /// Taken by `NativeBatchQueue.push` (through a shared borrow, as `checked` reads the batch).
    requests: RefCell<Vec<Entry>>,
    /// How many requests `requests` holds.
    count: Cell<usize>,
    /// Written by the pool thread, taken by `finish`.
    outcomes: Arc<Mutex<Option<CheckedChunk>>>,
}

#[napi]
impl NativeBatch {
    /// An empty batch.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        NativeBatch {
            requests: RefCell::default(),
            count: Cell::new(0),
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
        self.requests.get_mut().push(Entry::Read(RequestIn {
            body: req.body.into_owned(),
            method: req.method,
            url: req.url,
            headers: req.headers,
            payload_hash: req.payload_hash,
            time: req.time,
        }));
        *self.count.get_mut() += 1;
        Ok(())
    }

    /// Adds requests packed by lib/verify-many.js: `text` holds them all (each `method NUL url
    /// [NUL name NUL value]... [NUL body]`, joined by NUL); `meta` (an Int32Array) has three
    /// numbers per request: its length in `text` in UTF-16 units plus one (its separator), its
    /// header pair count, and its body (the length of a string body at the record's end, -1 for
    /// none, -2 for the next of `bodies`: bytes or a long string). All verified at `now`. One
    /// call and one copy for many requests: what keeps the event loop's share of a batch small.
    #[napi(
        ts_args_type = "text: string, meta: Int32Array, bodies: Array<string | Uint8Array>, now: Date | number | string | undefined | null"
    )]
    pub fn add_packed(
        &mut self,
        env: Env,
        text: Raw,
        meta: Raw,
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
        let text = read_utf16(env, text.0).map_err(fail)?;
        let meta = read_i32s(env, meta.0).map_err(fail)?;
        let n = js::array_len(env, bodies.0).map_err(fail)?;
        let mut apart = Vec::with_capacity(n as usize);
        for i in 0..n {
            let body = js::element(env, bodies.0, i).map_err(fail)?;
            // SAFETY: copied (into_owned) before this call returns.
            apart.push(unsafe { input::body(env, Some(body))? }.into_owned());
        }
        let requests = meta.len() / 3;
        let spans: usize = meta.chunks_exact(3).map(|m| m[0].max(0) as usize).sum();
        let wanted = meta.chunks_exact(3).filter(|m| m[2] == BODY_APART).count();
        let sane = meta
            .chunks_exact(3)
            .all(|m| m[0] >= 1 && (0..=1 << 20).contains(&m[1]) && m[2] >= BODY_APART);
        // lib/verify-many.js writes these; a mismatch is a bug there, refused rather than read
        // out of bounds.
        if meta.len() % 3 != 0
            || !sane
            || spans != text.len() + usize::from(requests > 0)
            || wanted != apart.len()
        {
            return Err(napi::Error::new(
                napi::Status::InvalidArg,
                "addPacked: the lengths do not match the text",
            ));
        }
        *self.count.get_mut() += requests;
        self.requests.get_mut().push(Entry::Packed(Packed {
            text,
            meta,
            bodies: apart,
            time,
        }));
        Ok(())
    }

    /// Whether this batch's requests are checked (`finish` can answer).
    #[napi(getter)]
    pub fn checked(&self) -> bool {
        lock(&self.outcomes).is_some()
    }

    /// How many requests were added.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.count.get() as u32
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
        // SAFETY: as in `check_queue`.
        let core = &unsafe { handle_of(env, verifier)? }.0;
        let fail = |_| failed(env, "result");
        let chunk = lock(&self.outcomes).take().ok_or_else(|| {
            napi::Error::new(
                napi::Status::GenericFailure,
                "finish: the batch is not checked yet (see `checked`)",
            )
        })?;
        let array = js::array(env, chunk.outcomes.len()).map_err(fail)?;
        let mut start = 0;
        for (i, outcome) in chunk.outcomes.iter().enumerate() {
            let value = match outcome {
                Outcome::Checked(pending, end) => {
                    let record = &chunk.records[start..*end];
                    start = *end;
                    match core.record_pending(pending) {
                        Ok(()) => output::js_string(env, record)?,
                        Err(e) => error_record(env, &e).map_err(fail)?,
                    }
                }
                Outcome::Failed(e) => error_record(env, e).map_err(fail)?,
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

/// How many threads `verifyMany` uses by default: the cores this process may use.
#[napi(js_name = "batchThreads")]
pub fn batch_threads() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}

/// A checked chunk, as the event loop finishes it. Memory crosses threads in few blocks: the
/// identity records of the chunk are one string, and the requests (copied on the event loop)
/// come back to be freed there (a block freed on another thread than the one that allocated it
/// costs glibc an arena lock, which the two threads then contend for).
struct CheckedChunk {
    outcomes: Vec<Outcome>,
    records: String,
    /// Held only to be freed with the chunk, on the event loop that copied them.
    #[allow(dead_code)]
    requests: Vec<Entry>,
}

/// A chunk waiting in a [`NativeBatchQueue`]: a batch's requests, and where its outcomes go.
struct Job {
    requests: Vec<Entry>,
    count: usize,
    outcomes: Arc<Mutex<Option<CheckedChunk>>>,
}

impl Job {
    /// Checks the chunk (every check but the replay cache) on the calling thread, which also
    /// frees its copies.
    fn run(self, core: &sigv4::Verifier) {
        let mut out = Answers {
            outcomes: Vec::with_capacity(self.count),
            records: String::with_capacity(self.count * 280),
        };
        let mut scratch = Scratch::default();
        for entry in &self.requests {
            match entry {
                Entry::Read(r) => {
                    let checked = core.check_http_with(
                        &r.method,
                        &r.url,
                        &r.header_refs(),
                        r.core_body(),
                        r.time,
                        |who| packed::identity_of_view_into(&mut out.records, &who),
                    );
                    out.push(checked);
                }
                Entry::Packed(p) => check_packed(core, p, &mut scratch, &mut out),
            }
        }
        *lock(&self.outcomes) = Some(CheckedChunk {
            outcomes: out.outcomes,
            records: out.records,
            requests: self.requests,
        });
    }
}

/// The chunks of one `verifyMany` call waiting for a thread, oldest first, and how many pool
/// lanes (`checkQueue` tasks) take from it.
#[derive(Default)]
struct Queue {
    state: Mutex<QueueState>,
    /// Signalled when a chunk is queued or the queue closed.
    more: Condvar,
    /// Lanes started and not yet ended (a lane ends, under the `state` lock, when the queue is
    /// closed and empty, or has stayed empty for [`LANE_IDLE`]).
    lanes: AtomicUsize,
}

#[derive(Default)]
struct QueueState {
    jobs: VecDeque<Job>,
    /// No more chunks will come (the event loop has queued the last one).
    closed: bool,
}

/// How long a lane waits for the next chunk before it ends: longer than the event loop takes
/// to copy a chunk, so the lane is there when it comes (no new task, no wake-up of a pool
/// thread per chunk), short enough that a call abandoned half-way (an exception in JS) frees
/// its pool threads at once.
const LANE_IDLE: Duration = Duration::from_millis(2);

impl Queue {
    fn pop(&self) -> Option<Job> {
        lock(&self.state).jobs.pop_front()
    }
}

/// The chunks of a `verifyMany` call waiting to be checked. Pool lanes (`checkQueue`) take them
/// oldest first until none is left; the event loop may take one too (`help`) when the lanes
/// fall behind: work-stealing, so the threads run out of work together.
#[napi]
pub struct NativeBatchQueue {
    inner: Arc<Queue>,
}

#[napi]
impl NativeBatchQueue {
    /// An empty queue.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        NativeBatchQueue {
            inner: Arc::default(),
        }
    }

    /// Moves the requests of `batch` (emptied) to the end of the queue; `batch.checked` turns
    /// true once a thread has checked them.
    #[napi(ts_args_type = "batch: NativeBatch")]
    pub fn push(&self, batch: &NativeBatch) {
        lock(&self.inner.state).jobs.push_back(Job {
            requests: batch.requests.take(),
            count: batch.count.take(),
            outcomes: Arc::clone(&batch.outcomes),
        });
        self.inner.more.notify_one();
    }

    /// No more chunks will be pushed: lanes end once the queue is empty.
    #[napi]
    pub fn close(&self) {
        lock(&self.inner.state).closed = true;
        self.inner.more.notify_all();
    }

    /// Checks the oldest waiting chunk here, on the calling thread (the event loop), with the
    /// verifier behind `verifier` (its handle); false when none was waiting.
    #[napi(ts_args_type = "verifier: object")]
    pub fn help(&self, env: Env, verifier: Raw) -> napi::Result<bool> {
        // SAFETY: as in `check_queue`.
        let core = &unsafe { handle_of(env.raw(), verifier)? }.0;
        Ok(match self.inner.pop() {
            Some(job) => {
                job.run(core);
                true
            }
            None => false,
        })
    }

    /// Chunks waiting for a thread.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        lock(&self.inner.state).jobs.len() as u32
    }

    /// Pool lanes started and not yet ended.
    #[napi(getter)]
    pub fn lanes(&self) -> u32 {
        self.inner.lanes.load(Ordering::SeqCst) as u32
    }
}

/// Starts a lane on libuv's thread pool (an `AsyncTask`): it checks the chunks of `queue`, oldest
/// first, with the verifier behind `verifier` (its handle) until the queue is closed and empty
/// (or empty for [`LANE_IDLE`]). Resolves to the number of chunks it checked.
#[napi(
    js_name = "checkQueue",
    ts_args_type = "verifier: object, queue: NativeBatchQueue",
    ts_return_type = "Promise<number>"
)]
pub fn check_queue(
    env: Env,
    verifier: Raw,
    queue: &NativeBatchQueue,
) -> napi::Result<AsyncTask<LaneTask>> {
    let env = env.raw();
    // SAFETY: VERIFIER handles hold a VerifierHandle; the caller holds the handle for this call.
    // A verifier whose credentials are a JS function cannot run off the event loop (the function
    // is reachable on the calling thread only): lib/verifier.js verifies those one by one.
    let core = Arc::clone(&unsafe { handle_of(env, verifier)? }.0);
    queue.inner.lanes.fetch_add(1, Ordering::SeqCst);
    Ok(AsyncTask::new(LaneTask {
        core,
        queue: Arc::clone(&queue.inner),
    }))
}

/// # Safety
/// As `handle::get`.
unsafe fn handle_of<'a>(env: sys::napi_env, verifier: Raw) -> napi::Result<&'a VerifierHandle> {
    crate::handle::get::<VerifierHandle>(env, &VERIFIER, verifier.0)
}

/// A pool lane of a `verifyMany` call.
pub struct LaneTask {
    core: Arc<sigv4::Verifier>,
    queue: Arc<Queue>,
}

/// A chunk's outcomes as they are checked.
struct Answers {
    outcomes: Vec<Outcome>,
    records: String,
}

impl Answers {
    /// The outcome of a check: on success its identity record was just appended to `records`
    /// (on the checking thread, from the borrowed identity; a failed check writes none).
    fn push(&mut self, checked: sigv4::Result<((), sigv4::PendingRecord)>) {
        let outcome = match checked {
            Ok(((), pending)) => Outcome::Checked(pending, self.records.len()),
            Err(e) => Outcome::Failed(e),
        };
        self.outcomes.push(outcome);
    }
}

/// Buffers a pool thread reuses from request to request.
#[derive(Default)]
struct Scratch {
    head: String,
    body: String,
}

/// Checks the packed requests of `p` (on a pool thread), appending their outcomes.
fn check_packed(core: &sigv4::Verifier, p: &Packed, scratch: &mut Scratch, out: &mut Answers) {
    let mut at = 0usize;
    let mut apart = p.bodies.iter();
    for m in p.meta.chunks_exact(3) {
        let (units, count, body) = (m[0] as usize, m[1] as usize, m[2]);
        // add_packed checked that the spans add up to the text.
        let span = &p.text[at..at + units - 1];
        at += units;
        // Taken first: a request answered early must not shift the later ones' bodies.
        let body_apart = if body == BODY_APART {
            apart.next()
        } else {
            None
        };
        let (head, inline) = match usize::try_from(body) {
            Ok(b) if b < span.len() => (&span[..span.len() - b - 1], Some(&span[span.len() - b..])),
            Ok(_) => {
                out.outcomes.push(Outcome::Single);
                continue;
            }
            Err(_) => {
                debug_assert!(body == NO_BODY || body == BODY_APART);
                (span, None)
            }
        };
        utf8_into(head, &mut scratch.head);
        // `str::split` on one byte finds it a word at a time (packed::fields goes byte by byte:
        // 16% of a pool thread's time here, where fields are long).
        let mut fields = Vec::with_capacity(2 + 2 * count);
        fields.extend(scratch.head.split('\0'));
        if fields.len() != 2 + 2 * count {
            out.outcomes.push(Outcome::Single);
            continue;
        }
        let request = match packed::verify_request(&fields, count) {
            Ok(r) => r,
            Err(e) => {
                out.outcomes.push(Outcome::Failed(e));
                continue;
            }
        };
        let body = match (inline, body_apart) {
            (Some(units), _) => {
                utf8_into(units, &mut scratch.body);
                scratch.body.as_bytes()
            }
            (None, Some(b)) => b.as_bytes(),
            // NO_BODY (or an apart body missing: add_packed counted them, so it is not).
            (None, None) => &[],
        };
        let checked = core.check_http_with(
            request.method,
            request.url,
            &request.headers,
            sigv4::Body::Bytes(body),
            p.time,
            |who| packed::identity_of_view_into(&mut out.records, &who),
        );
        out.push(checked);
    }
}

/// `units` (UTF-16) as UTF-8 in `out`, a lone surrogate as U+FFFD: what N-API's UTF-8 read of
/// the same JS string gives.
fn utf8_into(units: &[u16], out: &mut String) {
    out.clear();
    // ASCII (the usual case) in one narrowing pass the compiler vectorises.
    if units.iter().fold(0u16, |a, &u| a | u) < 0x80 {
        let mut bytes = std::mem::take(out).into_bytes();
        bytes.extend(units.iter().map(|&u| u as u8));
        // SAFETY: every byte is ASCII.
        *out = unsafe { String::from_utf8_unchecked(bytes) };
        return;
    }
    out.extend(
        char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)),
    );
}

/// The UTF-16 units of the JS string `value` (one copy).
fn read_utf16(env: sys::napi_env, value: js::Value) -> js::R<Vec<u16>> {
    let mut len = 0usize;
    // SAFETY: a NULL buffer asks for the length only.
    let status =
        unsafe { sys::napi_get_value_string_utf16(env, value, std::ptr::null_mut(), 0, &mut len) };
    if status != sys::Status::napi_ok {
        return Err(js::Fail);
    }
    let mut units: Vec<u16> = Vec::with_capacity(len + 1);
    let mut written = 0usize;
    // SAFETY: the buffer has room for the string and the terminating NUL N-API writes.
    let status = unsafe {
        sys::napi_get_value_string_utf16(env, value, units.as_mut_ptr(), len + 1, &mut written)
    };
    if status != sys::Status::napi_ok {
        return Err(js::Fail);
    }
    // SAFETY: N-API wrote `written` units.
    unsafe { units.set_len(written) };
    Ok(units)
}

/// The numbers of an `Int32Array` (copied).
fn read_i32s(env: sys::napi_env, value: js::Value) -> js::R<Vec<i32>> {
    let (kind, count, data) = js::typedarray_info(env, value)?;
    if kind != sys::TypedarrayType::int32_array {
        return Err(js::Fail);
    }
    if count == 0 || data.is_null() {
        return Ok(Vec::new());
    }
    // SAFETY: an Int32Array of `count` elements at `data`, read before any JS runs.
    Ok(unsafe { std::slice::from_raw_parts(data as *const i32, count) }.to_vec())
}

impl Task for LaneTask {
    type Output = u32;
    type JsValue = u32;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let mut checked = 0;
        let mut state = lock(&self.queue.state);
        loop {
            if let Some(job) = state.jobs.pop_front() {
                drop(state);
                job.run(&self.core);
                checked += 1;
                state = lock(&self.queue.state);
                continue;
            }
            if state.closed {
                break;
            }
            let (next, waited) = self
                .queue
                .more
                .wait_timeout(state, LANE_IDLE)
                .unwrap_or_else(|e| e.into_inner());
            state = next;
            if waited.timed_out() && state.jobs.is_empty() {
                break;
            }
        }
        // Under the lock: a chunk pushed after this sees the lane gone and starts another.
        self.queue.lanes.fetch_sub(1, Ordering::SeqCst);
        drop(state);
        Ok(checked)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<u32> {
        Ok(output)
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
