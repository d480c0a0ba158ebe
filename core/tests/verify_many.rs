//! Batch verification on AWS's own signed requests (the v4 suite's header and presigned forms):
//! every vector verifies in a batch as on its own, a changed signature fails only its own entry,
//! malformed entries give per-entry errors, and with the replay cache a repeat later in the batch is
//! `RequestReplayed` while its first copy is accepted — on one thread and on several.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
mod common;

use common::{parse_request, RawRequest};
use sigv4::{BatchRequest, Body, ErrorKind, SigningTime, Verifier};

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/aws-signing-test-suite/v4")
}

/// The suite's cases a default verifier for `service` in us-east-1 with AWS's example key accepts
/// (no session token, no per-case option, not refused by the raw-target rule), both forms.
fn vectors() -> (Vec<RawRequest>, SigningTime) {
    let mut names: Vec<PathBuf> = fs::read_dir(suite_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    let mut out = Vec::new();
    let mut now = None;
    for dir in names {
        let ctx: Value =
            serde_json::from_str(&fs::read_to_string(dir.join("context.json")).unwrap()).unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if ctx["credentials"]["token"].is_string()
            || ctx["normalize"] == Value::Bool(false)
            || ctx["omit_session_token"] == Value::Bool(true)
            || ctx["service"] != "service"
            || ctx["region"] != "us-east-1"
            || common::refused_vector(&name).is_some()
        {
            continue;
        }
        now = Some(SigningTime::parse(ctx["timestamp"].as_str().unwrap()).unwrap());
        for form in ["header", "query"] {
            let path = dir.join(format!("{form}-signed-request.txt"));
            out.push(parse_request(&fs::read_to_string(path).unwrap()));
        }
    }
    assert!(out.len() >= 40, "only {} vectors", out.len());
    (out, now.unwrap())
}

fn verifier(replay: bool) -> Verifier {
    common::suite_verifier(replay.then_some(10_000))
}

/// Owned parts of one batch entry.
struct Entry {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Entry {
    fn of(w: &RawRequest) -> Self {
        Entry {
            method: w.method.clone(),
            target: w.target.clone(),
            headers: w.headers.clone(),
            body: w.body.clone(),
        }
    }
}

fn run(
    v: &Verifier,
    entries: &[Entry],
    now: SigningTime,
    threads: usize,
) -> Vec<Result<String, ErrorKind>> {
    let pairs: Vec<Vec<(&str, &str)>> = entries
        .iter()
        .map(|e| {
            e.headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect()
        })
        .collect();
    let batch: Vec<BatchRequest<'_>> = entries
        .iter()
        .zip(&pairs)
        .map(|(e, p)| BatchRequest {
            method: &e.method,
            url: &e.target,
            headers: p,
            body: Body::Bytes(&e.body),
            now,
        })
        .collect();
    v.verify_many(&batch, threads)
        .into_iter()
        .map(|r| r.map(|who| who.access_key_id).map_err(|e| e.kind()))
        .collect()
}

/// The hex signature a request carries (Authorization header or presigned URL).
fn signature_of(w: &RawRequest) -> String {
    let auth = w
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map_or(w.target.as_str(), |(_, v)| v.as_str());
    let at = auth.rfind("Signature=").expect("signed");
    auth[at + "Signature=".len()..].to_owned()
}

/// Asserts equal results, naming the first entry that differs.
fn same(got: &[Result<String, ErrorKind>], want: &[Result<String, ErrorKind>], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    if let Some(i) = (0..got.len()).find(|&i| got[i] != want[i]) {
        panic!("{what}: entry {i}: got {:?}, want {:?}", got[i], want[i]);
    }
}

/// Each vector, then a copy with its signature's last digit changed, then an entry that is not
/// valid HTTP (a NUL in the method), repeated `rounds` times.
fn mixed(vectors: &[RawRequest], rounds: usize) -> (Vec<Entry>, Vec<Result<String, ErrorKind>>) {
    let mut entries = Vec::new();
    let mut want = Vec::new();
    // With the replay cache, only a signature's first appearance is new: later rounds repeat every
    // request, and some suite cases are the same signed request (paths that normalise alike).
    let mut seen = std::collections::HashSet::new();
    for _ in 0..rounds {
        for w in vectors {
            entries.push(Entry::of(w));
            want.push(if seen.insert(signature_of(w)) {
                Ok("AKIDEXAMPLE".to_owned())
            } else {
                Err(ErrorKind::RequestReplayed)
            });
            let mut bad = Entry::of(w);
            let flip = |s: &mut String| {
                let last = s.pop().unwrap();
                s.push(if last == '0' { '1' } else { '0' });
            };
            match bad
                .headers
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            {
                Some((_, value)) => flip(value),
                None => flip(&mut bad.target), // presigned: X-Amz-Signature is last
            }
            entries.push(bad);
            want.push(Err(ErrorKind::SignatureDoesNotMatch));
            let mut broken = Entry::of(w);
            broken.method = "G\0T".to_owned();
            entries.push(broken);
            want.push(Err(ErrorKind::InvalidMethod));
        }
    }
    (entries, want)
}

#[test]
fn a_batch_gives_each_request_its_own_result_in_order() {
    let (vectors, now) = vectors();
    let (entries, want) = mixed(&vectors, 3);
    let without_replay: Vec<_> = want
        .iter()
        .map(|w| match w {
            Err(ErrorKind::RequestReplayed) => Ok("AKIDEXAMPLE".to_owned()),
            other => other.clone(),
        })
        .collect();
    for threads in [1, 2, 4, 0] {
        let what = format!("threads {threads}");
        same(
            &run(&verifier(false), &entries, now, threads),
            &without_replay,
            &what,
        );
        same(
            &run(&verifier(true), &entries, now, threads),
            &want,
            &format!("{what}, replay"),
        );
    }
}

#[test]
fn a_batch_agrees_with_single_calls() {
    let (vectors, now) = vectors();
    let (entries, _) = mixed(&vectors, 2);
    let single = verifier(true);
    let one_by_one: Vec<_> = entries
        .iter()
        .map(|e| {
            let pairs: Vec<(&str, &str)> = e
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            single
                .verify_http(&e.method, &e.target, &pairs, Body::Bytes(&e.body), now)
                .map(|who| who.access_key_id)
                .map_err(|e| e.kind())
        })
        .collect();
    same(
        &run(&verifier(true), &entries, now, 2),
        &one_by_one,
        "batch vs single",
    );
}

#[test]
fn an_empty_batch_is_empty_and_a_late_clock_fails_each() {
    let (vectors, now) = vectors();
    assert!(run(&verifier(true), &[], now, 2).is_empty());
    let late = SigningTime::from_unix(now.unix() + 2 * 3600).unwrap();
    let entries: Vec<Entry> = vectors.iter().map(Entry::of).collect();
    for result in run(&verifier(true), &entries, late, 2) {
        let kind = result.unwrap_err();
        assert!(
            matches!(
                kind,
                ErrorKind::RequestTimeTooSkewed | ErrorKind::RequestExpired
            ),
            "{kind:?}"
        );
    }
}
