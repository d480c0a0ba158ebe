//! Replay stores written in Python (`Verifier(replay_store=...)`) behind the core's `ReplayStore`
//! interface, and the core's verdict for the ASGI middleware, which claims asynchronously.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyAny, PyBool, PyString};
use sigv4::{replay_verdict, ReplayClaim, ReplayOutcome, ReplayStore, SigningTime};

use crate::errors::verification;

/// `sigv4.replay._claim`, imported once: calls the store, logs a failure, answers True / False /
/// the failure's description.
static CLAIM: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A Python object with `claim(key, ttl_ms) -> bool` (e.g. `sigv4.replay.RedisReplayStore`).
pub struct PyReplayStore {
    store: Py<PyAny>,
}

impl PyReplayStore {
    /// Checks the object is a synchronous store (an `async def claim` belongs on the ASGI
    /// middleware, which can await it) and returns it with its `fail_open` flag.
    pub fn from_object(store: &Bound<'_, PyAny>) -> PyResult<(Self, bool)> {
        let py = store.py();
        let claim = store.getattr("claim").map_err(|_| {
            PyTypeError::new_err("replay_store must have a claim(key, ttl_ms) -> bool method (e.g. sigv4.replay.RedisReplayStore)")
        })?;
        let is_async: bool = py
            .import("inspect")?
            .getattr("iscoroutinefunction")?
            .call1((claim,))?
            .is_truthy()?;
        if is_async {
            return Err(PyTypeError::new_err(
                "this replay store is asynchronous: give it to the ASGI middleware (sigv4.asgi.SigV4Middleware(app, verifier, replay_store=...)); Verifier(replay_store=...) takes a synchronous store such as sigv4.replay.RedisReplayStore",
            ));
        }
        let fail_open = match store.getattr("fail_open") {
            Ok(flag) => flag.is_truthy()?,
            Err(_) => false,
        };
        Ok((
            PyReplayStore {
                store: store.clone().unbind(),
            },
            fail_open,
        ))
    }
}

/// The outcome `sigv4.replay._claim` reported: True, False, or a description of the failure.
fn outcome_of(answer: &Bound<'_, PyAny>) -> ReplayOutcome {
    if let Ok(flag) = answer.cast::<PyBool>() {
        return if flag.is_true() {
            ReplayOutcome::Fresh
        } else {
            ReplayOutcome::Seen
        };
    }
    let why = answer
        .cast::<PyString>()
        .ok()
        .and_then(|s| s.extract::<String>().ok())
        .unwrap_or_else(|| "the store answered neither True nor False".to_owned());
    ReplayOutcome::Unavailable(why)
}

impl ReplayStore for PyReplayStore {
    fn claim(&self, claim: &ReplayClaim, now: SigningTime) -> sigv4::Result<ReplayOutcome> {
        Python::attach(|py| {
            let called = CLAIM
                .get_or_try_init(py, || {
                    py.import("sigv4.replay")
                        .and_then(|m| m.getattr("_claim"))
                        .map(Bound::unbind)
                })
                .and_then(|f| {
                    f.bind(py)
                        .call1((self.store.bind(py), claim.key(), claim.ttl_millis_at(now)))
                });
            Ok(match called {
                Ok(answer) => outcome_of(&answer),
                // `_claim` catches the store's errors; this is the helper itself failing.
                Err(e) => ReplayOutcome::Unavailable(
                    e.get_type(py)
                        .name()
                        .map_or_else(|_| "error".into(), |n| n.to_string()),
                ),
            })
        })
    }
}

/// The core's verdict on an asynchronous store's answer (the ASGI middleware): returns None to
/// accept, raises ``VerificationError`` (``RequestReplayed``, or ``ReplayStoreUnavailable`` unless
/// ``fail_open``) to refuse. ``outcome``: True (stored), False (already there) or a str (why the
/// store failed).
#[pyfunction]
pub fn replay_verdict_of(
    py: Python<'_>,
    outcome: &Bound<'_, PyAny>,
    fail_open: bool,
) -> PyResult<()> {
    replay_verdict(outcome_of(outcome), fail_open)
        .map(|_| ())
        .map_err(|e| verification(py, e))
}
