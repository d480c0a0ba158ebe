//! Batch verification: many requests checked on several threads, the replay cache applied
//! afterwards one request at a time in the batch's order.
//!
//! Verification splits in two: [`Verifier::check`] (everything but the replay cache: parsing,
//! time window, lookup, signature, body — pure and independent per request, so it runs in
//! parallel) and [`Verifier::record`] (the replay cache, order-dependent: of two equal requests in
//! one batch the earlier is accepted and the later is `RequestReplayed`, as if they had arrived one
//! after the other).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{replay_verdict, ReplayClaim, VerifiedIdentity, Verifier};
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Body, Request};
use crate::time::SigningTime;

/// Below this many requests per extra thread, spawning it costs more than it saves (a thread
/// start is tens of microseconds; a verification a few).
const MIN_PER_THREAD: usize = 32;

/// How many requests a thread takes at once: small enough to balance uneven requests, large
/// enough that the shared counter is not contended.
const BLOCK: usize = 16;

/// A request whose signature checked out and that the replay cache has not seen yet: pass it to
/// [`Verifier::record`] to finish the verification.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Who signed, with the request's replay claim (its key and expiry).
    pub(super) identity: VerifiedIdentity,
    /// The verification instant (the replay store's clock).
    pub(super) now: SigningTime,
}

impl Checked {
    /// Who signed the request (not yet checked against the replay cache).
    pub fn identity(&self) -> &VerifiedIdentity {
        &self.identity
    }

    /// The identity, and what [`Verifier::record_pending`] needs to finish the verification: a
    /// binding can convert (and free) the identity on the thread that checked it and record the
    /// request later, in order, on another thread (freeing memory on another thread than the one
    /// that allocated it is what makes a batch's results slow to build).
    pub fn into_parts(self) -> (VerifiedIdentity, PendingRecord) {
        let pending = PendingRecord {
            claim: Some(self.identity.replay_claim.clone()),
            now: self.now,
        };
        (self.identity, pending)
    }
}

impl PendingRecord {
    /// What [`Verifier::check_http_with`] hands back: the claim only when the verifier has a
    /// replay store (its SHA-256 is a tenth of a verification's hashing, for nothing otherwise).
    pub(super) fn new(claim: Option<ReplayClaim>, now: SigningTime) -> Self {
        PendingRecord { claim, now }
    }
}

/// The replay part of a [`Checked`] request (see [`Checked::into_parts`]): its claim and the
/// verification instant.
#[derive(Debug, Clone)]
pub struct PendingRecord {
    /// None when the verifier that checked the request has no replay store.
    claim: Option<ReplayClaim>,
    now: SigningTime,
}

/// One request of a batch, as the bindings hold it: the parts [`Request::new`] takes and the
/// instant to verify it at.
#[derive(Debug, Clone)]
pub struct BatchRequest<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The URL as the client sent it (absolute, or the request target with a `Host` header).
    pub url: &'a str,
    /// The headers as received.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body, or its precomputed hash.
    pub body: Body<'a>,
    /// The verification instant.
    pub now: SigningTime,
}

impl Verifier {
    /// Runs every check of [`verify`](Self::verify) except the replay cache.
    pub fn check(&self, request: &Request<'_>, now: SigningTime) -> Result<Checked> {
        self.authenticate(request, now, false, |view| view.to_identity())
            .map(|(identity, _)| Checked { identity, now })
    }

    /// Builds the request view and calls [`check`](Self::check).
    pub fn check_http(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
        now: SigningTime,
    ) -> Result<Checked> {
        let request = Request::for_verifier(method, url, headers, body)?;
        self.check(&request, now)
    }

    /// Finishes a verification: records the request in the replay cache (when it is on) and
    /// returns the identity, or `RequestReplayed` when the same signed request was accepted
    /// before.
    pub fn record(&self, checked: Checked) -> Result<VerifiedIdentity> {
        let (identity, pending) = checked.into_parts();
        self.record_pending(&pending)?;
        Ok(identity)
    }

    /// [`record`](Self::record) for a request split by [`Checked::into_parts`]: Ok when the
    /// request is accepted (its identity is then the verification's result).
    pub fn record_pending(&self, pending: &PendingRecord) -> Result<()> {
        let Some(store) = &self.replay else {
            return Ok(());
        };
        // Checked by a verifier without a store, recorded with one that has a store: the claim
        // was never computed, and accepting the request unrecorded would let it be replayed.
        let Some(claim) = &pending.claim else {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "pending",
                "this request was checked by a verifier without a replay store: record it with \
                 the verifier that checked it",
            ));
        };
        // A fail-open acceptance is reported by the store itself (it saw the failure).
        replay_verdict(store.claim(claim, pending.now)?, self.replay_fail_open)?;
        Ok(())
    }

    /// Verifies every request of `requests`, spread over up to `threads` threads (0: the
    /// machine's available parallelism). One result per request, in order: a failure fails only
    /// its own request. The replay cache is applied in the batch's order, after the checks, so a
    /// signed request repeated later in the batch is `RequestReplayed`.
    pub fn verify_many(
        &self,
        requests: &[BatchRequest<'_>],
        threads: usize,
    ) -> Vec<Result<VerifiedIdentity>> {
        self.verify_many_with(requests, threads, |verifier, r| {
            verifier.check_http(r.method, r.url, r.headers, r.body, r.now)
        })
    }

    /// [`verify_many`](Self::verify_many) over the bindings' own items: `check` turns one item
    /// into a [`Checked`] (or an error of the binding's type, e.g. an exception its credential
    /// callback raised) on a worker thread; the replay cache then records the checked ones in
    /// order.
    pub fn verify_many_with<T, E, F>(
        &self,
        items: &[T],
        threads: usize,
        check: F,
    ) -> Vec<std::result::Result<VerifiedIdentity, E>>
    where
        T: Sync,
        E: Send + From<Error>,
        F: Fn(&Self, &T) -> std::result::Result<Checked, E> + Sync,
    {
        parallel_map(items, threads, |item| check(self, item))
            .into_iter()
            .map(|result| result.and_then(|checked| self.record(checked).map_err(E::from)))
            .collect()
    }
}

/// `f` over `items` on up to `threads` scoped threads (0: the machine's available parallelism;
/// the calling thread is one of them), results in the order of `items`. Small inputs run on the
/// calling thread alone. A panic in `f` propagates to the caller once every thread has stopped.
pub fn parallel_map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let lanes = threads.min(items.len() / MIN_PER_THREAD).max(1);
    if lanes == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Vec<R>)>> = Mutex::new(Vec::new());
    let lane = || {
        let mut mine = Vec::new();
        loop {
            let start = next.fetch_add(BLOCK, Ordering::Relaxed);
            if start >= items.len() {
                break;
            }
            let end = (start + BLOCK).min(items.len());
            mine.push((start, items[start..end].iter().map(&f).collect::<Vec<R>>()));
        }
        done.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
    };
    std::thread::scope(|scope| {
        for _ in 1..lanes {
            scope.spawn(lane);
        }
        lane();
    });
    let mut blocks = done.into_inner().unwrap_or_else(|e| e.into_inner());
    blocks.sort_unstable_by_key(|(start, _)| *start);
    blocks.into_iter().flat_map(|(_, block)| block).collect()
}

#[cfg(test)]
mod tests {
    use super::parallel_map;

    #[test]
    fn keeps_the_order_on_every_thread_count() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [0, 1, 2, 3, 8] {
            let out = parallel_map(&items, threads, |n| n * 2);
            assert_eq!(out, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        }
        assert!(parallel_map(&[] as &[u32], 4, |n| *n).is_empty());
    }
}
