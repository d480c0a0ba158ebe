//! A pipeline for batches whose items are read on one thread (a binding's calling thread, which
//! owns the interpreter lock or the event loop): that thread reads chunk k+1 while worker threads
//! work on chunk k, then takes the finished chunks back in order.
//!
//! Why not [`parallel_map`](super::parallel_map) over the whole batch: reading every request
//! first and building every result afterwards leaves the other threads idle during both serial
//! parts, and keeps the whole batch's entries and results alive at once (cache misses). Here the
//! serial parts overlap the parallel part, and a chunk's data is dropped as soon as its results
//! are taken.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};

/// How many chunks may wait for a thread before the calling thread stops reading and waits for
/// the oldest (it is then ahead of the workers).
const AHEAD: usize = 4;

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
    /// No more chunks will come (or a thread panicked): workers stop when the queue is empty.
    closed: bool,
    /// A thread panicked while working on a chunk (its result will never come).
    poisoned: bool,
}

/// The calling thread's handle on a running pipeline (see [`pipeline`]).
pub struct Pipeline<'w, C, O> {
    work: &'w (dyn Fn(&mut C) -> O + Sync),
    state: Mutex<State<C, O>>,
    /// Signalled when a chunk is queued, finished, or the pipeline closes.
    changed: Condvar,
    /// Whether worker threads take the chunks (else [`next`](Self::next) runs them).
    has_workers: bool,
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
        drop(state);
        self.changed.notify_one();
    }

    /// Whether enough chunks wait for a thread that the calling thread should stop reading and
    /// take back [`next`](Self::next)'s (bounds the memory a batch holds at once).
    pub fn is_ahead(&self) -> bool {
        self.lock().queued.len() >= AHEAD
    }

    /// The next chunk in submission order with its output, if it is finished (never waits).
    pub fn try_next(&self) -> Option<(C, O)> {
        let mut state = self.lock();
        let taken = state.taken;
        let out = state.done.remove(&taken)?;
        state.taken += 1;
        Some(out)
    }

    /// The next chunk in submission order with its output: waits for the workers (or, without
    /// workers, runs the queued chunks on this thread). None when every submitted chunk was taken.
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
            if !self.has_workers {
                if let Some((seq, chunk)) = state.queued.pop_front() {
                    drop(state);
                    self.run(seq, chunk);
                    continue;
                }
            }
            // The chunk is on a worker: wait for it.
            drop(self.changed.wait(state).unwrap_or_else(|e| e.into_inner()));
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
                    self.0.changed.notify_all();
                }
            }
        }
        let guard = Poison(self);
        let out = (self.work)(&mut chunk);
        std::mem::forget(guard);
        self.lock().done.insert(seq, (chunk, out));
        self.changed.notify_all();
    }

    /// A worker thread: takes queued chunks until the pipeline closes.
    fn worker(&self) {
        loop {
            let mut state = self.lock();
            let (seq, chunk) = loop {
                if let Some(next) = state.queued.pop_front() {
                    break next;
                }
                if state.closed {
                    return;
                }
                state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
            };
            drop(state);
            self.run(seq, chunk);
        }
    }

    fn close(&self) {
        self.lock().closed = true;
        self.changed.notify_all();
    }
}

/// Runs `drive` on the calling thread with a [`Pipeline`] whose chunks `work` turns into outputs
/// (it may also write into the chunk: buffers reused from chunk to chunk avoid an allocation each)
/// on `workers` scoped threads. `drive` submits chunks and takes them back with their outputs, in
/// order, waiting in [`next`](Pipeline::next) when it is ahead; with no workers (a batch too small
/// for a thread start to pay) `next` runs the chunks on the calling thread. The workers stop when
/// `drive` returns (or panics); chunks it did not take back are dropped.
///
/// The calling thread does not verify while there are workers: it is the only one that can read
/// the bindings' inputs and build their results (interpreter lock, event loop), so it keeps doing
/// that, and the time it spends on it stays measurable apart from the work.
///
/// A typical `drive`: read a chunk, `submit` it, take back what [`try_next`](Pipeline::try_next)
/// has, and while [`is_ahead`](Pipeline::is_ahead), answer [`next`](Pipeline::next)'s chunk; at
/// the end, `next` until None.
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
            closed: false,
            poisoned: false,
        }),
        changed: Condvar::new(),
        has_workers: workers > 0,
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
            scope.spawn(|| pipe.worker());
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
                if pipe.is_ahead() {
                    let (_, o) = pipe.next().unwrap();
                    out.extend(o);
                }
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
