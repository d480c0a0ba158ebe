//! A replay store written in C (`sigv4_replay_claim_fn`): a verifier shared by a fleet claims each
//! verified request in a store the caller owns (Redis, memcached, a database), through a callback.

use std::os::raw::c_void;

use sigv4::{ReplayClaim, ReplayOutcome, ReplayStore, Result, SigningTime};

use crate::boundary::{guard, handle_mut};
use crate::result::{sigv4_result, Fail};
use crate::verifier_options::sigv4_verifier_options;

/// The callback answer: the key was absent and is now stored (the request is fresh).
pub const SIGV4_REPLAY_FRESH: i32 = 1;
/// The callback answer: the key was already stored (the request is a replay).
pub const SIGV4_REPLAY_SEEN: i32 = 0;

/// A replay store written in C, for `sigv4_verifier_options_set_replay_store`.
///
/// Called once per successful verification, last (after the signature and body checks), with the
/// options' `userdata`, the request's replay key (64 lowercase hex digits, not NUL-terminated,
/// borrowed for the call only; the same key in every language, so C, Python and Node verifiers
/// can share one store) and how long the key must be kept, in milliseconds (at least 1: until
/// the end of the request's validity window, the skew or the presigned expiry). Add your own key
/// prefix. The store must set the key only when it is absent, atomically (Redis:
/// `SET <prefix><key> 1 NX PX <ttl_ms>`), and return `SIGV4_REPLAY_FRESH` (1) when it stored it,
/// `SIGV4_REPLAY_SEEN` (0) when it was already there (the verification then fails with
/// `SIGV4_REQUEST_REPLAYED`), or any other value when the store failed or timed out (the
/// verification then fails with `SIGV4_REPLAY_STORE_UNAVAILABLE`, or succeeds when the store was
/// set with `fail_open`). Enforce your own timeout inside the callback.
///
/// Thread safety: runs on the verifying thread, concurrently when several threads verify with the
/// same verifier; it must be thread-safe, must not unwind into libsigv4, and `userdata` must stay
/// valid until every verifier created with these options is freed.
pub type sigv4_replay_claim_fn = Option<
    extern "C" fn(userdata: *mut c_void, key: *const u8, key_len: usize, ttl_ms: u64) -> i32,
>;

/// The callback and its userdata as a core `ReplayStore`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallbackStore {
    callback: extern "C" fn(*mut c_void, *const u8, usize, u64) -> i32,
    userdata: *mut c_void,
}

// SAFETY: the callback contract (documented on `sigv4_replay_claim_fn`) makes the callback and
// its userdata safe to call from any thread, concurrently; libsigv4 never dereferences `userdata`.
unsafe impl Send for CallbackStore {}
// SAFETY: as above: `claim` only passes the pointer back to the thread-safe callback.
unsafe impl Sync for CallbackStore {}

impl ReplayStore for CallbackStore {
    fn claim(&self, claim: &ReplayClaim, now: SigningTime) -> Result<ReplayOutcome> {
        let key = claim.key();
        let answer = (self.callback)(
            self.userdata,
            key.as_ptr(),
            key.len(),
            claim.ttl_millis_at(now),
        );
        Ok(match answer {
            SIGV4_REPLAY_FRESH => ReplayOutcome::Fresh,
            SIGV4_REPLAY_SEEN => ReplayOutcome::Seen,
            other => ReplayOutcome::Unavailable(format!("the replay callback returned {other}")),
        })
    }
}

/// The store set on options, with its failure policy.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReplayStoreOption {
    pub(crate) store: CallbackStore,
    pub(crate) fail_open: bool,
}

/// Sets a replay store written in C (see `sigv4_replay_claim_fn`), in place of the in-memory replay
/// cache: verifiers created with these options claim every verified request in it, so a request
/// is accepted once across every process sharing the store. When the store fails the request is
/// refused with `SIGV4_REPLAY_STORE_UNAVAILABLE` (fail closed; answer HTTP 503) unless
/// `fail_open` is true (then it is accepted unproven: log it in your callback). A NULL `claim`
/// removes the store.
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER` (NULL `options`). Thread safety: see
/// `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_replay_store(
    options: *mut sigv4_verifier_options,
    claim: sigv4_replay_claim_fn,
    userdata: *mut c_void,
    fail_open: bool,
) -> sigv4_result {
    guard(|| -> std::result::Result<(), Fail> {
        let o = handle_mut(options, "options")?;
        o.replay_store = claim.map(|callback| ReplayStoreOption {
            store: CallbackStore { callback, userdata },
            fail_open,
        });
        Ok(())
    })
}
