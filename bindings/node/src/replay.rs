//! `replayVerdict`: the core's decision after a shared replay store answered (lib/replay-store.js
//! claims asynchronously, after the native verification), so Node refuses and fails closed with
//! the same codes and messages as Python and C.

use sigv4::{replay_verdict, ReplayOutcome, ReplayVerdict as Verdict};

/// What to do with a verified request once the replay store answered.
#[napi(object)]
pub struct ReplayVerdict {
    /// True: accept the request.
    pub accept: bool,
    /// When refused: `RequestReplayed` or `ReplayStoreUnavailable`.
    pub code: Option<String>,
    /// When refused, the error message; when accepted unproven (fail open), the text to log.
    pub message: Option<String>,
}

/// The verdict for a store's answer: `stored` true (the key was absent and is now set), false
/// (already there: a replay), or undefined with `failure` (why the store failed or timed out).
/// `failOpen` accepts on failure (the message then says why, for the log).
#[napi(js_name = "replayVerdict")]
pub fn replay_verdict_js(
    stored: Option<bool>,
    failure: Option<String>,
    fail_open: bool,
) -> ReplayVerdict {
    let outcome = match stored {
        Some(true) => ReplayOutcome::Fresh,
        Some(false) => ReplayOutcome::Seen,
        None => ReplayOutcome::Unavailable(failure.unwrap_or_else(|| "no answer".to_owned())),
    };
    match replay_verdict(outcome, fail_open) {
        Ok(Verdict::Accepted) => ReplayVerdict {
            accept: true,
            code: None,
            message: None,
        },
        Ok(Verdict::AcceptedUnproven(why)) => ReplayVerdict {
            accept: true,
            code: None,
            message: Some(why),
        },
        Err(e) => ReplayVerdict {
            accept: false,
            code: Some(e.code().to_owned()),
            message: Some(e.message().to_owned()),
        },
    }
}
