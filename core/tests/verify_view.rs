//! `Verifier::verify_http_with` and `check_http_with`, the borrowed-identity entry points the
//! Python and Node bindings use: on AWS's vectors the view carries what the vector says (key,
//! scope, signed headers, time, payload), they refuse exactly what `verify_http` refuses, they go
//! through the replay store like `verify_http` (one store, whichever entry point; a batch's record
//! deferred and applied in order), and the packed identity record is the same from either form.

use std::fs;
use std::path::Path;

mod common;

use sigv4::{Body, ErrorKind, SigningAlgorithm, SigningTime, Verifier};

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn vector(name: &str) -> common::RawRequest {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/aws-signing-test-suite/v4")
        .join(name)
        .join("header-signed-request.txt");
    common::parse_request(&fs::read_to_string(path).unwrap())
}

/// The request's headers as the `(name, value)` slices the `*_http*` entry points take.
fn header_pairs(w: &common::RawRequest) -> Vec<(&str, &str)> {
    w.headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

fn verifier(replay: bool) -> Verifier {
    common::suite_verifier(replay.then_some(16))
}

fn at() -> SigningTime {
    SigningTime::parse("2015-08-30T12:36:00Z").unwrap()
}

/// `(access key, region, service, signed headers, amz date, presigned, payload hash, payload
/// signed, algorithm)` of the view, copied out of it.
type Seen = (
    String,
    String,
    String,
    Vec<String>,
    String,
    bool,
    String,
    bool,
    SigningAlgorithm,
);

fn with(v: &Verifier, w: &common::RawRequest) -> sigv4::Result<Seen> {
    let pairs = header_pairs(w);
    v.verify_http_with(
        &w.method,
        &w.target,
        &pairs,
        Body::Bytes(&w.body),
        at(),
        |view| {
            (
                view.access_key_id.to_owned(),
                view.region.to_owned(),
                view.service.to_owned(),
                view.signed_headers
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
                view.signing_time.amz_date(),
                view.presigned,
                view.payload_hash.to_owned(),
                view.payload_signed(),
                view.algorithm,
            )
        },
    )
}

fn http(v: &Verifier, w: &common::RawRequest) -> sigv4::Result<sigv4::VerifiedIdentity> {
    let pairs = header_pairs(w);
    v.verify_http(&w.method, &w.target, &pairs, Body::Bytes(&w.body), at())
}

#[test]
fn the_view_carries_what_the_vector_signed() {
    let seen = with(&verifier(false), &vector("get-vanilla")).unwrap();
    assert_eq!(
        seen,
        (
            "AKIDEXAMPLE".to_owned(),
            "us-east-1".to_owned(),
            "service".to_owned(),
            vec!["host".to_owned(), "x-amz-date".to_owned()],
            "20150830T123600Z".to_owned(),
            false,
            EMPTY_SHA256.to_owned(),
            true,
            SigningAlgorithm::Sigv4,
        )
    );
    let form = vector("post-x-www-form-urlencoded");
    let seen = with(&verifier(false), &form).unwrap();
    assert_eq!(
        seen.3,
        [
            "content-length",
            "content-type",
            "host",
            "x-amz-content-sha256",
            "x-amz-date"
        ]
    );
    // The body's SHA-256 (of "Param1=value1"), as the vector's canonical request shows it.
    assert_eq!(
        seen.6,
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
    );
}

#[test]
fn the_view_is_the_owned_identity_borrowed() {
    let v = verifier(false);
    let w = vector("get-vanilla");
    let owned = http(&v, &w).unwrap();
    let pairs = header_pairs(&w);
    let from_view = v
        .verify_http_with(
            &w.method,
            &w.target,
            &pairs,
            Body::Bytes(&[]),
            at(),
            |view| view.to_identity(),
        )
        .unwrap();
    assert_eq!(owned, from_view);
}

#[test]
fn a_changed_request_is_refused_and_finish_is_not_called() {
    let mut w = vector("get-vanilla");
    w.target = "/other".to_owned();
    let mut called = false;
    let pairs = header_pairs(&w);
    let error = verifier(false)
        .verify_http_with(&w.method, &w.target, &pairs, Body::Bytes(&[]), at(), |_| {
            called = true;
        })
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::SignatureDoesNotMatch);
    assert!(!called);
    assert_eq!(
        http(&verifier(false), &w).unwrap_err().kind(),
        ErrorKind::SignatureDoesNotMatch
    );
}

#[test]
fn the_replay_store_sees_both_entry_points() {
    let v = verifier(true);
    let w = vector("get-vanilla");
    with(&v, &w).unwrap();
    assert_eq!(with(&v, &w).unwrap_err().kind(), ErrorKind::RequestReplayed);
    assert_eq!(http(&v, &w).unwrap_err().kind(), ErrorKind::RequestReplayed);

    let v = verifier(true);
    http(&v, &w).unwrap();
    assert_eq!(with(&v, &w).unwrap_err().kind(), ErrorKind::RequestReplayed);
    // Without a replay store the same request verifies every time.
    let v = verifier(false);
    for _ in 0..3 {
        with(&v, &w).unwrap();
    }
}

#[test]
fn the_packed_record_is_the_same_from_either_form() {
    let v = verifier(false);
    for name in [
        "get-vanilla",
        "post-x-www-form-urlencoded",
        "get-header-value-trim",
    ] {
        let w = vector(name);
        let pairs = header_pairs(&w);
        let owned = sigv4::packed::identity(&http(&v, &w).unwrap());
        let viewed = v
            .verify_http_with(
                &w.method,
                &w.target,
                &pairs,
                Body::Bytes(&w.body),
                at(),
                |view| sigv4::packed::identity_of_view(&view),
            )
            .unwrap();
        assert_eq!(owned, viewed, "{name}");
        // accessKeyId, region, service first, the replay key's 64 hex digits next to last.
        assert!(
            viewed.starts_with("AKIDEXAMPLE\0us-east-1\0service\0"),
            "{viewed:?}"
        );
        let fields: Vec<&str> = viewed.split('\0').collect();
        assert_eq!(fields.len(), sigv4::packed::IDENTITY_FIELDS.len());
        assert_eq!(fields[11].len(), 64);
    }
}

#[test]
fn check_http_with_defers_the_replay_record_like_check_http() {
    let w = vector("get-vanilla");
    let pairs = header_pairs(&w);
    let v = verifier(true);
    let check = |v: &Verifier| {
        v.check_http_with(
            &w.method,
            &w.target,
            &pairs,
            Body::Bytes(&[]),
            at(),
            |view| sigv4::packed::identity_of_view(&view),
        )
    };
    // Both copies pass the checks; recording them in order accepts the first only.
    let (first, first_pending) = check(&v).unwrap();
    let (second, second_pending) = check(&v).unwrap();
    assert_eq!(first, second);
    v.record_pending(&first_pending).unwrap();
    assert_eq!(
        v.record_pending(&second_pending).unwrap_err().kind(),
        ErrorKind::RequestReplayed
    );
    // The record and the pending claim are what check_http gives for the same request.
    let owned = verifier(false)
        .check_http(&w.method, &w.target, &pairs, Body::Bytes(&[]), at())
        .unwrap();
    let (identity, pending) = owned.into_parts();
    assert_eq!(first, sigv4::packed::identity(&identity));
    let fresh = verifier(true);
    fresh.record_pending(&pending).unwrap();
    assert_eq!(
        fresh.record_pending(&first_pending).unwrap_err().kind(),
        ErrorKind::RequestReplayed
    );
    // A failed check calls nothing and records nothing.
    let mut bad = w.clone();
    bad.target = "/other".to_owned();
    let mut called = false;
    let error = v
        .check_http_with(
            &bad.method,
            &bad.target,
            &pairs,
            Body::Bytes(&[]),
            at(),
            |_| {
                called = true;
            },
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::SignatureDoesNotMatch);
    assert!(!called);
}

#[test]
fn a_check_without_a_store_cannot_be_recorded_by_a_verifier_with_one() {
    // Without a replay store the check does not compute the replay claim; recording that check
    // with a verifier that has a store must refuse it (fail closed), never accept it unrecorded.
    let w = vector("get-vanilla");
    let pairs = header_pairs(&w);
    let check = |v: &Verifier| {
        v.check_http_with(&w.method, &w.target, &pairs, Body::Bytes(&[]), at(), |_| ())
            .unwrap()
            .1
    };
    let storeless = verifier(false);
    let pending = check(&storeless);
    storeless.record_pending(&pending).unwrap();
    let with_store = verifier(true);
    let error = with_store.record_pending(&pending).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidOption);
    assert!(
        error.to_string().contains("without a replay store"),
        "{error}"
    );
    // Its own check records, once.
    let own = check(&with_store);
    with_store.record_pending(&own).unwrap();
    assert_eq!(
        with_store.record_pending(&own).unwrap_err().kind(),
        ErrorKind::RequestReplayed
    );
}
