//! The replay store interface: two verifiers sharing one store accept a request once; the claim's
//! key and expiry follow the documented window (header form: X-Amz-Date + skew; presigned: its
//! expiry); a failing store refuses with `ReplayStoreUnavailable` (503) unless fail-open; a failed
//! verification never reaches the store. Requests are AWS's own signed vectors.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex};

use sigv4::{
    Body, Credentials, ErrorKind, ReplayClaim, ReplayOutcome, ReplayStore, Request, SigningTime,
    Verifier, VerifierSettings,
};

const T0: i64 = 1_440_938_160; // 20150830T123600Z, the vectors' signing time

#[derive(Default)]
struct Table {
    keys: Mutex<HashMap<String, u64>>,
    down: Mutex<bool>,
    calls: Mutex<usize>,
}

impl ReplayStore for Table {
    fn claim(&self, claim: &ReplayClaim, now: SigningTime) -> sigv4::Result<ReplayOutcome> {
        *self.calls.lock().unwrap() += 1;
        if *self.down.lock().unwrap() {
            return Ok(ReplayOutcome::Unavailable("connection refused".into()));
        }
        let mut keys = self.keys.lock().unwrap();
        if keys.contains_key(&claim.key()) {
            return Ok(ReplayOutcome::Seen);
        }
        keys.insert(claim.key(), claim.ttl_millis_at(now));
        Ok(ReplayOutcome::Fresh)
    }
}

fn verifier(store: Arc<Table>, fail_open: bool) -> Verifier {
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .unwrap();
    Verifier::new(
        creds,
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap()
    .with_replay_store(store, fail_open)
}

fn run(v: &Verifier, form: &str, now: i64, tamper: bool) -> sigv4::Result<sigv4::VerifiedIdentity> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/aws-signing-test-suite/v4/get-vanilla")
        .join(format!("{form}-signed-request.txt"));
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let target = lines.next().unwrap().split(' ').nth(1).unwrap().to_owned();
    let target = if tamper {
        format!("/x{target}")
    } else {
        target
    };
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.to_owned(), v.to_owned())
        })
        .collect();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new("GET", &target, &pairs, Body::Bytes(b"")).unwrap();
    v.verify(&request, SigningTime::from_unix(now).unwrap())
}

#[test]
fn two_verifiers_share_one_store() {
    let store = Arc::new(Table::default());
    let (a, b) = (
        verifier(store.clone(), false),
        verifier(store.clone(), false),
    );
    assert_eq!(
        run(&a, "header", T0, true).unwrap_err().kind(),
        ErrorKind::SignatureDoesNotMatch
    );
    assert_eq!(
        *store.calls.lock().unwrap(),
        0,
        "a failed verification never reaches the store"
    );
    let who = run(&a, "header", T0 + 100, false).unwrap();
    assert_eq!(
        who.replay_claim.valid_until(),
        T0 + 900,
        "X-Amz-Date + the 900 s skew"
    );
    assert_eq!(who.replay_claim.expires_at_millis(), (T0 + 901) * 1000);
    assert_eq!(store.keys.lock().unwrap()[&who.replay_claim.key()], 801_000);
    let e = run(&b, "header", T0 + 101, false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RequestReplayed);
    assert_eq!(e.kind().http_status(), 403);
    // The presigned form is another signature, kept until X-Amz-Date + X-Amz-Expires (3600).
    let q = run(&b, "query", T0 + 10, false).unwrap();
    assert_eq!(q.replay_claim.valid_until(), T0 + 3600);
    assert_ne!(q.replay_claim.key(), who.replay_claim.key());
    assert_eq!(
        run(&a, "query", T0 + 11, false).unwrap_err().kind(),
        ErrorKind::RequestReplayed
    );
    assert_eq!(a.replay_cache_len(), 0);
}

#[test]
fn a_failing_store_fails_closed_unless_open() {
    let store = Arc::new(Table::default());
    *store.down.lock().unwrap() = true;
    let closed = verifier(store.clone(), false);
    let e = run(&closed, "header", T0, false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReplayStoreUnavailable);
    assert_eq!(e.code(), "ReplayStoreUnavailable");
    assert_eq!(e.kind().http_status(), 503);
    assert!(
        e.message().contains("connection refused"),
        "{}",
        e.message()
    );
    assert!(run(&verifier(store.clone(), true), "header", T0, false).is_ok());
    *store.down.lock().unwrap() = false;
    // Recovers without a new verifier; the refused request was never stored.
    assert!(run(&closed, "header", T0, false).is_ok());
    assert_eq!(
        run(&closed, "header", T0, false).unwrap_err().kind(),
        ErrorKind::RequestReplayed
    );
}
