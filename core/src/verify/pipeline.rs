//! A pipeline for batches whose items are read on one thread (a binding's calling thread, which
//! owns the interpreter lock or the event loop): that thread reads chunk k+1 while worker threads
//! work on chunk k, then takes the finished chunks back in order; whenever it is ahead of the
//! workers it works on a queued chunk itself instead of waiting (so `n - 1` workers and the
//! calling thread keep `n` cores busy).
//!
//! Why not [`parallel_map`](super::parallel_map) over the whole batch: reading every request
//! first and building every result afterwards leaves the other threads idle during both serial
//! parts, and keeps the whole batch's entries and results alive at once (cache misses). Here the
//! serial parts overlap the parallel part, and a chunk's data is dropped as soon as its results
//! are taken.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How many chunks may wait for a thread before the calling thread stops reading and verifies
/// one itself (it is then ahead of the workers).
const AHEAD: usize = 3;

/// How long a thread with nothing to do polls before it sleeps on the condition variable: the
/// next chunk usually comes within a chunk's read time, and waking a sleeping thread (a futex
/// wake, on a VM an inter-processor interrupt) costs tens of microseconds of idle core.
const SPIN: Duration = Duration::from_micros(50);

/// The chunks in flight, shared by the calling thread and the worker threads.
struct State<C, O> {
    /// Submitted chunks no thread took yet, with their sequence numbers.
    queued: VecDeque<(usize, C)>,
    /// Finished chunks not taken back yet, by sequence number.
    done: BTreeMap<usize, (C, O)>,
    /// Sequence number of the next chunk submitted.
    submitted: usize,
    /// Sequence number of the next chunk [`Pipeline::next`] hands back.
    taken: usize,
    /// Workers asleep on `work_ready` (a submit wakes one only then: no syscall otherwise).
    sleeping_workers: usize,
    /// Whether the calling thread sleeps on `chunk_done`.
    caller_sleeps: bool,
    /// No more chunks will come (or a thread panicked): workers stop when the queue is empty.
    closed: bool,
    /// A thread panicked while working on a chunk (its result will never come).
    poisoned: bool,
}

/// The calling thread's handle on a running pipeline (see [`pipeline`]).
pub struct Pipeline<'w, C, O> {
    work: &'w (dyn Fn(&mut C) -> O + Sync),
    state: Mutex<State<C, O>>,
    /// Signalled when a chunk is queued or the pipeline closes (workers wait on it).
    work_ready: Condvar,
    /// Signalled when a chunk is finished or a thread panicked (the calling thread waits on it).
    chunk_done: Condvar,
    /// `queued.len()`, readable without the lock (polled by idle threads).
    queued_len: AtomicUsize,
    /// Chunks finished so far, readable without the lock (polled by the waiting calling thread).
    finished: AtomicUsize,
}

/// Polls `ready` for up to [`SPIN`]; whether it became true.
fn spin_until(ready: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    loop {
        for _ in 0..64 {
            if ready() {
                return true;
            }
            std::hint::spin_loop();
        }
        if start.elapsed() >= SPIN {
            return ready();
        }
    }
}

impl<C, O> Pipeline<'_, C, O> {
    fn lock(&self) -> MutexGuard<'_, State<C, O>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `chunk` for a thread. Chunks come back from [`next`](Self::next) in the order they
    /// were submitted.
    pub fn submit(&self, chunk: C) {
        let mut state = self.lock();
        let seq = state.submitted;
        state.submitted += 1;
        state.queued.push_back((seq, chunk));
        self.queued_len.store(state.queued.len(), Ordering::Release);
        let wake = state.sleeping_workers > 0;
        drop(state);
        if wake {
            self.work_ready.notify_one();
        }
    }

    /// Whether enough chunks wait for a thread that the calling thread should stop reading and
    /// verify one itself ([`help`](Self::help)): the workers are behind.
    pub fn is_ahead(&self) -> bool {
        self.queued_len.load(Ordering::Acquire) >= AHEAD
    }

    /// The next chunk in submission order with its output, if it is finished (never waits).
    pub fn try_next(&self) -> Option<(C, O)> {
        let mut state = self.lock();
        let taken = state.taken;
        let out = state.done.remove(&taken)?;
        state.taken += 1;
        Some(out)
    }

    /// Works on the oldest queued chunk on this thread, if there is one (the calling thread
    /// helping the workers instead of waiting for them); whether it did.
    pub fn help(&self) -> bool {
        let mut state = self.lock();
        let Some((seq, chunk)) = state.queued.pop_front() else {
            return false;
        };
        self.queued_len.store(state.queued.len(), Ordering::Release);
        drop(state);
        self.run(seq, chunk);
        true
    }

    /// The next chunk in submission order with its output: works on queued chunks on this thread
    /// while it is not finished, then waits for the thread working on it. None when every
    /// submitted chunk was taken.
    ///
    /// # Panics
    /// When a worker panicked on a chunk (its output will never come).
    pub fn next(&self) -> Option<(C, O)> {
        loop {
            let mut state = self.lock();
            if state.taken == state.submitted {
                return None;
            }
            let taken = state.taken;
            if let Some(out) = state.done.remove(&taken) {
                state.taken += 1;
                return Some(out);
            }
            assert!(!state.poisoned, "a pipeline thread panicked");
            if let Some((seq, chunk)) = state.queued.pop_front() {
                self.queued_len.store(state.queued.len(), Ordering::Release);
                drop(state);
                self.run(seq, chunk);
                continue;
            }
            // The chunk is on a worker: poll for a while, then sleep until a chunk finishes.
            let finished = self.finished.load(Ordering::Acquire);
            drop(state);
            if spin_until(|| self.finished.load(Ordering::Acquire) != finished) {
                continue;
            }
            let mut state = self.lock();
            if self.finished.load(Ordering::Acquire) == finished && !state.poisoned {
                state.caller_sleeps = true;
                state = self
                    .chunk_done
                    .wait(state)
                    .unwrap_or_else(|e| e.into_inner());
                state.caller_sleeps = false;
            }
        }
    }

    fn run(&self, seq: usize, mut chunk: C) {
        // Marks the pipeline poisoned if `work` panics, so that nobody waits for this chunk.
        struct Poison<'p, 'w, C, O>(&'p Pipeline<'w, C, O>);
        impl<C, O> Drop for Poison<'_, '_, C, O> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    let mut state = self.0.lock();
                    state.poisoned = true;
                    state.closed = true;
                    drop(state);
                    self.0.work_ready.notify_all();
                    self.0.chunk_done.notify_all();
                }
            }
        }
        let guard = Poison(self);
        let out = (self.work)(&mut chunk);
        std::mem::forget(guard);
        let mut state = self.lock();
        state.done.insert(seq, (chunk, out));
        self.finished.fetch_add(1, Ordering::Release);
        let wake = state.caller_sleeps;
        drop(state);
        if wake {
            self.chunk_done.notify_one();
        }
    }

    /// A worker thread: takes queued chunks until the pipeline closes.
    fn worker(&self) {
        loop {
            let mut state = self.lock();
            let (seq, chunk) = loop {
                if let Some(next) = state.queued.pop_front() {
                    self.queued_len.store(state.queued.len(), Ordering::Release);
                    break next;
                }
                if state.closed {
                    return;
                }
                drop(state);
                // Poll first: the calling thread is usually about to submit.
                let polled = spin_until(|| self.queued_len.load(Ordering::Acquire) > 0);
                state = self.lock();
                if polled || !state.queued.is_empty() || state.closed {
                    continue;
                }
                state.sleeping_workers += 1;
                state = self
                    .work_ready
                    .wait(state)
                    .unwrap_or_else(|e| e.into_inner());
                state.sleeping_workers -= 1;
            };
            drop(state);
            self.run(seq, chunk);
        }
    }

    fn close(&self) {
        self.lock().closed = true;
        self.work_ready.notify_all();
    }
}

/// Runs `drive` on the calling thread with a [`Pipeline`] whose chunks `work` turns into outputs
/// (it may also write into the chunk: buffers reused from chunk to chunk avoid an allocation each)
/// on the calling thread and `workers` scoped threads. `drive` submits chunks and takes them back
/// with their outputs, in order. The calling thread verifies too whenever it is ahead of the
/// workers ([`help`](Pipeline::help)) or waits for a chunk ([`next`](Pipeline::next) works on
/// queued chunks before it sleeps): on `n` cores, `n - 1` workers and the calling thread keep every
/// core busy without more threads than cores. With no workers every chunk runs on the calling
/// thread. The workers stop when `drive` returns (or panics); chunks it did not take back are
/// dropped.
///
/// A typical `drive`: read a chunk, `submit` it, take back what [`try_next`](Pipeline::try_next)
/// has, and while [`is_ahead`](Pipeline::is_ahead), [`help`](Pipeline::help); at the end, `next`
/// until None.
pub fn pipeline<C, O, W, D, T>(workers: usize, work: W, drive: D) -> T
where
    C: Send,
    O: Send,
    W: Fn(&mut C) -> O + Sync,
    D: FnOnce(&Pipeline<'_, C, O>) -> T,
{
    let pipe = Pipeline {
        work: &work,
        state: Mutex::new(State {
            queued: VecDeque::new(),
            done: BTreeMap::new(),
            submitted: 0,
            taken: 0,
            sleeping_workers: 0,
            caller_sleeps: false,
            closed: false,
            poisoned: false,
        }),
        work_ready: Condvar::new(),
        chunk_done: Condvar::new(),
        queued_len: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
    };
    if workers == 0 {
        return drive(&pipe);
    }
    // Closes the pipeline when `drive` returns or unwinds, so that the workers stop and the
    // scope can join them.
    struct Close<'p, 'w, C, O>(&'p Pipeline<'w, C, O>);
    impl<C, O> Drop for Close<'_, '_, C, O> {
        fn drop(&mut self) {
            self.0.close();
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..workers {
            // Named so that profilers and `top -H` tell the workers apart from the caller.
            let worker = std::thread::Builder::new().name("sigv4-pipeline".into());
            if worker.spawn_scoped(scope, || pipe.worker()).is_err() {
                // No thread to be had: the calling thread does the work itself.
                break;
            }
        }
        let _close = Close(&pipe);
        drive(&pipe)
    })
}

#[cfg(test)]
mod tests {
    use super::pipeline;

    /// Reads chunks of `items` the way a binding does and returns the outputs in order.
    fn doubled(items: &[u32], chunk: usize, workers: usize) -> Vec<u32> {
        let work = |c: &mut Vec<u32>| c.iter().map(|n| n * 2).collect::<Vec<_>>();
        pipeline(workers, work, |pipe| {
            let mut out = Vec::new();
            for c in items.chunks(chunk) {
                pipe.submit(c.to_vec());
                while let Some((_, o)) = pipe.try_next() {
                    out.extend(o);
                }
                while pipe.is_ahead() && pipe.help() {}
            }
            while let Some((_, o)) = pipe.next() {
                out.extend(o);
            }
            out
        })
    }

    #[test]
    fn keeps_the_order_on_every_thread_count() {
        let items: Vec<u32> = (0..5000).collect();
        let want: Vec<u32> = items.iter().map(|n| n * 2).collect();
        for workers in [0, 1, 2, 3, 8] {
            for chunk in [1, 7, 256, 10_000] {
                assert_eq!(doubled(&items, chunk, workers), want, "{workers} {chunk}");
            }
        }
        assert!(doubled(&[], 16, 2).is_empty());
    }

    #[test]
    fn the_calling_thread_works_when_it_is_ahead() {
        let caller = std::thread::current().id();
        let slow = |_: &mut u32| {
            std::thread::sleep(std::time::Duration::from_millis(2));
            std::thread::current().id() == caller
        };
        let (helped, here) = pipeline(1, slow, |pipe| {
            for c in 0..8 {
                pipe.submit(c);
            }
            // Eight queued, one worker taking 2 ms each: some are left for this thread.
            let helped = pipe.help();
            let mut here = 0;
            while let Some((_, on_caller)) = pipe.next() {
                here += usize::from(on_caller);
            }
            (helped, here)
        });
        assert!(helped);
        assert!((1..8).contains(&here), "{here}");
    }

    #[test]
    fn a_panicking_chunk_does_not_hang() {
        let result = std::panic::catch_unwind(|| {
            pipeline(
                2,
                |c: &mut u32| assert!(*c != 3, "boom"),
                |pipe| {
                    for c in 0..8 {
                        pipe.submit(c);
                    }
                    while pipe.next().is_some() {}
                },
            )
        });
        assert!(result.is_err());
    }
}
