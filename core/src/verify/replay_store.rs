//! The replay store interface: the core decides what a replay is (the key and how long it must
//! be remembered); a store only remembers keys. Stores that do I/O (Redis, a C callback) live in
//! the bindings; the core never touches the network.

use crate::error::{Error, ErrorKind, Result};
use sha2::{Digest, Sha256};

use crate::hash::{hex, push_hex};
use crate::time::SigningTime;

/// What a replay store must remember about one verified request so that a second copy of the
/// same signed bytes is refused anywhere in a fleet.
///
/// The key is the lowercase hex SHA-256 of the access key id and the signature's replay mark (the
/// MAC for SigV4; for SigV4a the hash of the string to sign, since an ECDSA signature can be
/// altered into another valid one): two copies of one signed request share it, two different
/// signed requests never do, and the access key id is not readable from it. It is the same in
/// every binding and process, so processes written in different languages can share one store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayClaim {
    digest: [u8; 32],
    valid_until: i64,
}

/// What a [`ReplayClaim`] is computed from, before it is: a binding that may never need the
/// claim (no replay store, no one asking for the key) keeps this and hashes only on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayMark {
    mark: [u8; 32],
    valid_until: i64,
}

impl ReplayMark {
    pub(crate) fn new(mark: [u8; 32], valid_until: i64) -> Self {
        ReplayMark { mark, valid_until }
    }

    /// The claim of the request signed by `access_key_id` (the identity's) with this mark.
    pub fn claim(&self, access_key_id: &str) -> ReplayClaim {
        ReplayClaim::new(access_key_id, &self.mark, self.valid_until)
    }
}

impl ReplayClaim {
    pub(crate) fn new(access_key_id: &str, mark: &[u8; 32], valid_until: i64) -> Self {
        // Hashed in pieces: every verification computes it, and a joined copy would be one more
        // allocation per request. A separator no access key id contains keeps (id, mark) pairs
        // from colliding.
        let digest = Sha256::new()
            .chain_update(access_key_id.as_bytes())
            .chain_update([0u8])
            .chain_update(mark)
            .finalize()
            .into();
        ReplayClaim {
            digest,
            valid_until,
        }
    }

    /// Appends [`key`](Self::key) to `out` (no string of its own).
    pub(crate) fn push_key(&self, out: &mut String) {
        push_hex(out, &self.digest);
    }

    /// The store key without prefix: 64 lowercase hex digits.
    pub fn key(&self) -> String {
        hex(&self.digest)
    }

    /// The raw 32 bytes the key is the hex of (for in-memory stores).
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The last second (unix, inclusive) at which the request is still valid: its signing time
    /// plus the allowed skew for a header-signed request, its expiry for a presigned URL. After
    /// it the request is refused as too old anyway, so the key may be forgotten.
    pub fn valid_until(&self) -> i64 {
        self.valid_until
    }

    /// The unix time in milliseconds from which the key may be forgotten (the end of the
    /// validity window).
    pub fn expires_at_millis(&self) -> i64 {
        self.valid_until.saturating_add(1).saturating_mul(1000)
    }

    /// Milliseconds the key must still be kept at `now_millis` (unix): at least 1, so a store
    /// never gets a zero or negative expiry (`SET .. PX 0` is an error in Redis).
    pub fn ttl_millis(&self, now_millis: i64) -> u64 {
        let left = self.expires_at_millis().saturating_sub(now_millis);
        u64::try_from(left).unwrap_or(0).max(1)
    }

    /// [`ttl_millis`](Self::ttl_millis) at a whole-second instant. The verifier's clock has
    /// one-second resolution, so this is up to one second longer than needed, never shorter.
    pub fn ttl_millis_at(&self, now: SigningTime) -> u64 {
        self.ttl_millis(now.unix().saturating_mul(1000))
    }
}

/// A store's answer to one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayOutcome {
    /// The key was not there and is now stored (the request is fresh).
    Fresh,
    /// The key was already there: this is a replay.
    Seen,
    /// The store failed or timed out; the text says why (never a secret: it reaches logs).
    Unavailable(String),
}

/// A place that remembers [`ReplayClaim`]s, shared by every verification of a
/// [`Verifier`](crate::Verifier) (and, for a networked store, by a whole fleet).
///
/// `claim` must be atomic: store the key with its expiry only when absent, and say whether it
/// was (Redis: `SET <prefix><key> 1 NX PX <ttl>`), so that of two concurrent copies exactly one
/// is [`Fresh`](ReplayOutcome::Fresh).
pub trait ReplayStore: Send + Sync {
    /// Stores `claim` unless present. `now` is the verification's instant.
    ///
    /// An `Err` refuses the request with that error as is (the in-memory store refuses when full).
    fn claim(&self, claim: &ReplayClaim, now: SigningTime) -> Result<ReplayOutcome>;

    /// How many claims the store holds in this process (0 for an external store).
    fn len(&self) -> usize {
        0
    }

    /// True when [`len`](Self::len) is 0.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One store shared by several verifiers (for example one per service in a process).
impl<T: ReplayStore + ?Sized> ReplayStore for std::sync::Arc<T> {
    fn claim(&self, claim: &ReplayClaim, now: SigningTime) -> Result<ReplayOutcome> {
        (**self).claim(claim, now)
    }

    fn len(&self) -> usize {
        (**self).len()
    }
}

/// What to do after a store answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayVerdict {
    /// The store stored the key: accept.
    Accepted,
    /// The store failed and the verifier is configured to fail open: accept, and log the text
    /// (the request could not be proven fresh).
    AcceptedUnproven(String),
}

/// The one decision for every binding: `Fresh` accepts; `Seen` refuses with `RequestReplayed`;
/// `Unavailable` refuses with `ReplayStoreUnavailable` (HTTP 503, fail closed: nothing is ever
/// accepted twice) unless `fail_open`, which accepts and reports why for the log.
pub fn replay_verdict(outcome: ReplayOutcome, fail_open: bool) -> Result<ReplayVerdict> {
    match outcome {
        ReplayOutcome::Fresh => Ok(ReplayVerdict::Accepted),
        ReplayOutcome::Seen => Err(replayed()),
        ReplayOutcome::Unavailable(why) if fail_open => Ok(ReplayVerdict::AcceptedUnproven(
            format!("the replay store is unavailable ({why}); accepted without a replay check because the verifier is configured to fail open"),
        )),
        ReplayOutcome::Unavailable(why) => Err(Error::new(
            ErrorKind::ReplayStoreUnavailable,
            format!(
                "the replay store is unavailable ({why}), so this request cannot be proven fresh and is refused; retry shortly"
            ),
        )),
    }
}

/// The `RequestReplayed` error, one message for every store.
pub(crate) fn replayed() -> Error {
    Error::new(
        ErrorKind::RequestReplayed,
        "the same signed request (same access key and signature) was already accepted once, so this copy is \
         refused as a replay: sign each request afresh; SigV4 dates have one-second resolution, so identical \
         requests sent within one second are equal unless they differ, e.g. by a signed X-Request-Nonce header \
         (nonce=True / nonce: true on libsigv4's client helpers)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_fixed_length_hex_and_depends_on_both_parts() {
        let a = ReplayClaim::new("AKID", &[1; 32], 100);
        assert_eq!(a.key().len(), 64);
        assert!(a
            .key()
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(a.key(), ReplayClaim::new("AKID", &[1; 32], 200).key());
        assert_ne!(a.key(), ReplayClaim::new("AKIE", &[1; 32], 100).key());
        assert_ne!(a.key(), ReplayClaim::new("AKID", &[2; 32], 100).key());
    }

    #[test]
    fn key_is_the_sha256_of_the_id_a_nul_and_the_mark() {
        let mut joined = b"AKID\0".to_vec();
        joined.extend_from_slice(&[7; 32]);
        let claim = ReplayClaim::new("AKID", &[7; 32], 1);
        assert_eq!(claim.key(), crate::hash::sha256_hex(&joined));
        let mut out = String::from("x");
        claim.push_key(&mut out);
        assert_eq!(out, format!("x{}", claim.key()));
    }

    #[test]
    fn ttl_covers_the_whole_last_second_and_is_never_zero() {
        let c = ReplayClaim::new("A", &[0; 32], 100);
        assert_eq!(c.expires_at_millis(), 101_000);
        assert_eq!(c.ttl_millis(100_000), 1000);
        assert_eq!(c.ttl_millis(100_999), 1);
        assert_eq!(c.ttl_millis(101_000), 1);
        assert_eq!(c.ttl_millis(500_000), 1);
        assert_eq!(c.ttl_millis_at(SigningTime::from_unix(40).unwrap()), 61_000);
    }

    #[test]
    fn verdicts() {
        assert_eq!(
            replay_verdict(ReplayOutcome::Fresh, false).unwrap(),
            ReplayVerdict::Accepted
        );
        assert_eq!(
            replay_verdict(ReplayOutcome::Seen, true)
                .unwrap_err()
                .kind(),
            ErrorKind::RequestReplayed
        );
        let down = ReplayOutcome::Unavailable("timeout".into());
        let e = replay_verdict(down.clone(), false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ReplayStoreUnavailable);
        assert!(e.message().contains("timeout"));
        assert!(matches!(
            replay_verdict(down, true).unwrap(),
            ReplayVerdict::AcceptedUnproven(m) if m.contains("timeout")
        ));
    }
}
