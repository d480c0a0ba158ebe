//! `Verifier.verify_many`: requests read from Python in chunks with the GIL held, verified by the
//! core's pipeline on several threads while the next chunk is read (the GIL released whenever this
//! thread verifies or waits), answered as one list in order.

use std::cell::Cell;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict, PyList, PyString};
use sigv4::{PendingRecord, Pipeline};

use crate::batch_chunk::{touch, Chunk, ChunkSizes, Spec, CHUNK_ENTRIES};
use crate::errors::verification;
use crate::identity::VerifiedIdentity;
use crate::lookup;
use crate::timestamp;

/// Up to this many requests (when the input has a length) are verified on the calling thread.
const SMALL_BATCH: usize = 32;

thread_local! {
    /// Whether this thread reads the batch (its chunks are warm in its cache already).
    static IS_CALLER: Cell<bool> = const { Cell::new(false) };
}

/// A failure of one entry: the core's, or an exception the credential callable raised.
enum Failure {
    Core(sigv4::Error),
    Python(PyErr),
}

/// A checked entry: its identity (built from the core's borrowed view on the thread that checked
/// it: no core identity is allocated, and the scope is shared as a single verification's is) and
/// its replay record, applied later in the batch's order.
type Outcome = Result<(VerifiedIdentity, PendingRecord), Failure>;

/// A chunk of entries and, once checked, their outcomes (None for an unreadable entry). Jobs are
/// reused from chunk to chunk.
#[derive(Default)]
struct Job {
    chunk: Chunk,
    outcomes: Vec<Option<Outcome>>,
    /// Whether a worker thread (not the calling thread) checked it.
    on_worker: bool,
}

/// The first chunk's size: the workers start as soon as it is read (the chunks then double up to
/// [`CHUNK_ENTRIES`]).
const FIRST_CHUNK: usize = 16;

/// The size of the chunk after one of `last` entries, `left` entries (when known) still to read:
/// doubling from [`FIRST_CHUNK`] to [`CHUNK_ENTRIES`], and a quarter of what is left near the end,
/// so that the threads run out of work at about the same time (the last chunks are the tail where
/// one thread may wait for another).
fn next_chunk(last: usize, left: Option<usize>) -> usize {
    let size = (last * 2).min(CHUNK_ENTRIES);
    left.map_or(size, |left| size.min(left / 4).max(FIRST_CHUNK))
}

/// Checks every entry of a chunk (on any thread, without the GIL).
fn check_chunk(core: &sigv4::Verifier, job: &mut Job) {
    job.on_worker = !IS_CALLER.with(Cell::get);
    if job.on_worker {
        job.chunk.warm();
    }
    let mut headers = Vec::with_capacity(16);
    let chunk = &job.chunk;
    job.outcomes.clear();
    job.outcomes.extend(chunk.specs.iter().map(|spec| {
        let r = chunk.view(spec, &mut headers)?;
        let checked = core.check_http_with(
            r.method,
            r.url,
            &headers,
            r.body,
            r.now,
            VerifiedIdentity::from_view,
        );
        // A callable's exception was kept on this thread.
        Some(match lookup::take_error() {
            Some(raised) => Err(Failure::Python(raised)),
            None => checked.map_err(Failure::Core),
        })
    }));
}

/// The error of an entry that could not be read: a `sigv4.Error` (code `InvalidOption`) in place
/// of a `TypeError`, so that every failed entry has a `.code`; `sigv4` errors (a bad timestamp, a
/// lone surrogate) as they are.
fn unreadable_entry(py: Python<'_>, raised: PyErr) -> PyErr {
    if raised.is_instance_of::<PyTypeError>(py) {
        let message = raised.value(py).to_string();
        return crate::errors::input(py, sigv4::ErrorKind::InvalidOption, "requests", message);
    }
    raised
}

/// Records a finished chunk in the replay cache (in order) and appends its results to `out`.
fn answer(
    py: Python<'_>,
    core: &sigv4::Verifier,
    job: &mut Job,
    out: &Bound<'_, PyList>,
) -> PyResult<()> {
    if job.on_worker {
        // The worker wrote them: bring them over in one stream (see `touch`).
        touch(&job.outcomes);
    }
    for (spec, outcome) in job.chunk.specs.drain(..).zip(job.outcomes.drain(..)) {
        let value: Bound<'_, PyAny> = match (spec, outcome) {
            (Spec::Unreadable(raised), _) => unreadable_entry(py, raised)
                .into_value(py)
                .into_any()
                .into_bound(py),
            (_, Some(Ok((who, pending)))) => match core.record_pending(&pending) {
                Ok(()) => untracked(Bound::new(py, who)?.into_any()),
                Err(e) => verification(py, e).into_value(py).into_bound(py).into_any(),
            },
            (_, Some(Err(Failure::Core(e)))) => {
                verification(py, e).into_value(py).into_bound(py).into_any()
            }
            (_, Some(Err(Failure::Python(raised)))) => {
                raised.into_value(py).into_bound(py).into_any()
            }
            (_, None) => unreachable!("a readable entry always has an outcome"),
        };
        out.append(value)?;
    }
    job.chunk.clear();
    Ok(())
}

/// `object` taken out of the cyclic garbage collector's lists: a `VerifiedIdentity` holds no
/// Python reference, so it can never be part of a cycle, and a batch's ten thousand results would
/// otherwise be walked by every collection while they live.
fn untracked(object: Bound<'_, PyAny>) -> Bound<'_, PyAny> {
    // SAFETY: `object` is a live object of a GC type (pyo3 classes are); untracking an object
    // that holds no references only keeps the collector from visiting it (its deallocation
    // untracks again, which is allowed).
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(object.as_ptr().cast()) };
    object
}

/// Pauses Python's cyclic garbage collector while the results are built, and restores it: the
/// batch allocates one tracked object per request that all stay alive, so every collection in the
/// meantime would walk the growing list for nothing.
struct GcPause<'py> {
    gc: Option<Bound<'py, PyAny>>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import("gc")?.into_any();
        if !gc.call_method0("isenabled")?.is_truthy()? {
            return Ok(GcPause { gc: None });
        }
        gc.call_method0("disable")?;
        Ok(GcPause { gc: Some(gc) })
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            let _ = gc.call_method0("enable");
        }
    }
}

/// Keeps a finished job's buffers for the next chunk this thread reads, unless a worker checked
/// it: a worker's cache then holds its lines, and writing the next chunk into them would fetch or
/// invalidate each line across cores (measured on this VM at 5-18 ns a line, by placement);
/// freed, its memory goes back to the allocator and the next chunk gets lines this thread owns.
fn recycle(spare: &mut Vec<Job>, sizes: &mut ChunkSizes, job: Job) {
    *sizes = job.chunk.sizes();
    if !job.on_worker {
        spare.push(job);
    }
}

/// The calling thread's part: read chunks, hand them over, answer the finished ones in order.
fn drive(
    py: Python<'_>,
    core: &sigv4::Verifier,
    requests: &Bound<'_, PyAny>,
    default_now: sigv4::SigningTime,
    pipe: &Pipeline<'_, Job, ()>,
) -> PyResult<Py<PyList>> {
    let out = PyList::empty(py);
    let mut spare: Vec<Job> = Vec::new();
    let mut job = Job::default();
    let mut sizes = ChunkSizes::default();
    let mut left = requests.len().ok();
    let mut size = FIRST_CHUNK;
    for value in requests.try_iter()? {
        job.chunk.read(py, &value?, default_now);
        if !job.chunk.is_full(size) {
            continue;
        }
        left = left.map(|n| n.saturating_sub(job.chunk.len()));
        size = next_chunk(size, left);
        // A new job's buffers are sized as the last finished one's (no growth while reading).
        let next = spare.pop().unwrap_or_else(|| Job {
            chunk: Chunk::with_sizes(sizes),
            ..Job::default()
        });
        pipe.submit(std::mem::replace(&mut job, next));
        while let Some((mut done, ())) = pipe.try_next() {
            answer(py, core, &mut done, &out)?;
            recycle(&mut spare, &mut sizes, done);
        }
        // Ahead of the workers: verify a queued chunk here (without the GIL), then go on reading.
        if pipe.is_ahead() && py.detach(|| pipe.help()) {
            while let Some((mut done, ())) = pipe.try_next() {
                answer(py, core, &mut done, &out)?;
                recycle(&mut spare, &mut sizes, done);
            }
        }
    }
    if !job.chunk.specs.is_empty() {
        pipe.submit(job);
    }
    while let Some((mut done, ())) = py.detach(|| pipe.next()) {
        answer(py, core, &mut done, &out)?;
    }
    Ok(out.unbind())
}

/// `Verifier.verify_many(requests, now=None, *, threads=None)`: one result per request, in order —
/// a `VerifiedIdentity`, or the exception `verify` would raise for it (not raised).
pub fn verify_many(
    py: Python<'_>,
    core: &sigv4::Verifier,
    requests: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
    threads: Option<usize>,
) -> PyResult<Py<PyList>> {
    if requests.is_instance_of::<PyString>() || requests.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(
            "verify_many takes a list (or any iterable) of requests, not one request",
        ));
    }
    let default_now = timestamp::parse(py, now)?;
    let _gc = GcPause::new(py)?;
    // `threads` verify: this thread (which also reads and answers, and verifies whenever it is
    // ahead of the workers) and `threads - 1` workers, so the default (one per core) keeps every
    // core busy without oversubscribing them. A batch that fits in one chunk is verified here (a
    // thread start would cost more than it saves). A credential callable takes the GIL back per
    // lookup (this thread verifies without it).
    let small = requests.len().is_ok_and(|n| n <= SMALL_BATCH);
    let workers = match threads {
        _ if small => 0,
        Some(n) if n > 0 => n - 1,
        _ => std::thread::available_parallelism().map_or(1, usize::from) - 1,
    };
    sigv4::pipeline(
        workers,
        |job: &mut Job| check_chunk(core, job),
        |pipe| {
            IS_CALLER.with(|c| c.set(true));
            let out = drive(py, core, requests, default_now, pipe);
            IS_CALLER.with(|c| c.set(false));
            out
        },
    )
}
