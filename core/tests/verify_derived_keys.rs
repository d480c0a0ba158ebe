//! `Verifier::with_signing_keys`: a verifier that never holds the secret. The derived keys come from
//! a different implementation (the AWS SDK for Rust's `generate_signing_key`); the requests and
//! signatures from the AWS signing test suite and the S3 documentation's chunked upload.

use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use sigv4::{
    Body, DerivedKey, ErrorKind, KeyScope, Request, SigningTime, Verifier, VerifierSettings,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_440_938_160; // 2015-08-30T12:36:00Z, the suite's time

/// get-vanilla from the AWS suite: headers and the suite's signature.
const VANILLA: [(&str, &str); 3] = [
    ("Host", "example.amazonaws.com"),
    ("X-Amz-Date", "20150830T123600Z"),
    (
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
         SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    ),
];

/// The AWS SDK for Rust's derivation (not ours).
fn sdk_key(secret: &str, unix: i64, region: &str, service: &str) -> DerivedKey {
    let time = UNIX_EPOCH + Duration::from_secs(unix as u64);
    let key = aws_sigv4::sign::v4::generate_signing_key(secret, time, region, service);
    DerivedKey::from_slice(key.as_ref()).unwrap()
}

fn date_unix(date: &str) -> i64 {
    SigningTime::parse(&format!("{date}T000000Z"))
        .unwrap()
        .unix()
}

type Asked = Arc<Mutex<Vec<(String, String, String, String)>>>;

fn verifier(secret: &'static str, asked: Asked) -> Verifier {
    Verifier::with_signing_keys(
        move |akid: &str, scope: &KeyScope<'_>| {
            asked.lock().unwrap().push((
                akid.to_owned(),
                scope.date.to_owned(),
                scope.region.to_owned(),
                scope.service.to_owned(),
            ));
            (akid == AKID)
                .then(|| sdk_key(secret, date_unix(scope.date), scope.region, scope.service))
        },
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap()
}

fn now() -> SigningTime {
    SigningTime::from_unix(T0).unwrap()
}

#[test]
fn aws_documented_derivation_matches_the_sdk() {
    // The AWS documentation's derivation example (IAM, 20120215): kSigning in hex.
    let documented =
        DerivedKey::from_hex("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
            .unwrap();
    let sdk = sdk_key(SECRET, date_unix("20120215"), "us-east-1", "iam");
    assert_eq!(
        documented.signing_key().as_bytes(),
        sdk.signing_key().as_bytes()
    );
}

#[test]
fn suite_request_verifies_with_a_derived_key() {
    let asked = Asked::default();
    let v = verifier(SECRET, asked.clone());
    let request = Request::new("GET", "/", &VANILLA, Body::Bytes(b"")).unwrap();
    let who = v.verify(&request, now()).unwrap();
    assert_eq!(who.access_key_id, AKID);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        [(
            AKID.to_owned(),
            "20150830".to_owned(),
            "us-east-1".to_owned(),
            "service".to_owned()
        )]
    );
    // A key for the wrong secret: a mismatch, with the canonical request to compare.
    let wrong = verifier("another-secret", Asked::default());
    let e = wrong.verify(&request, now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SignatureDoesNotMatch);
    assert!(e.mismatch().is_some());
    // Unknown key.
    let nobody = Verifier::with_signing_keys(
        |_: &str, _: &KeyScope<'_>| None,
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap();
    assert_eq!(
        nobody.verify(&request, now()).unwrap_err().kind(),
        ErrorKind::InvalidAccessKeyId
    );
}

#[test]
fn session_token_and_expiry_of_a_derived_key() {
    let request = Request::new("GET", "/", &VANILLA, Body::Bytes(b"")).unwrap();
    let with_token = Verifier::with_signing_keys(
        |_: &str, s: &KeyScope<'_>| {
            Some(
                sdk_key(SECRET, date_unix(s.date), s.region, s.service)
                    .with_session_token("token")
                    .unwrap(),
            )
        },
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap();
    assert_eq!(
        with_token.verify(&request, now()).unwrap_err().kind(),
        ErrorKind::InvalidToken
    );
    let expired = Verifier::with_signing_keys(
        |_: &str, s: &KeyScope<'_>| {
            Some(sdk_key(SECRET, date_unix(s.date), s.region, s.service).with_expiry(T0 - 1))
        },
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap();
    assert_eq!(
        expired.verify(&request, now()).unwrap_err().kind(),
        ErrorKind::InvalidToken
    );
    let fine = Verifier::with_signing_keys(
        |_: &str, s: &KeyScope<'_>| {
            Some(sdk_key(SECRET, date_unix(s.date), s.region, s.service).with_expiry(T0 + 60))
        },
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap();
    fine.verify(&request, now()).unwrap();
}

#[test]
fn s3_documented_chunked_upload_with_a_derived_key() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/s3-examples.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let ex = &doc["chunked_upload"];
    let secret: &'static str = Box::leak(
        doc["credentials"]["secret_access_key"]
            .as_str()
            .unwrap()
            .to_owned()
            .into_boxed_str(),
    );
    let akid = doc["credentials"]["access_key_id"].as_str().unwrap();
    let mut headers: Vec<(String, String)> = vec![
        ("Host".into(), "s3.amazonaws.com".into()),
        ("x-amz-date".into(), "20130524T000000Z".into()),
        (
            "x-amz-content-sha256".into(),
            ex["x_amz_content_sha256"].as_str().unwrap().into(),
        ),
    ];
    for h in ex["headers"].as_array().unwrap() {
        headers.push((h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()));
    }
    headers.push((
        "Authorization".into(),
        format!(
            "AWS4-HMAC-SHA256 Credential={akid}/20130524/us-east-1/s3/aws4_request,\
             SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;\
             x-amz-decoded-content-length;x-amz-storage-class,Signature={}",
            ex["seed_signature"].as_str().unwrap()
        ),
    ));
    let mut body = Vec::new();
    for (size, sig) in ex["chunk_sizes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(ex["chunk_signatures"].as_array().unwrap())
    {
        let size = size.as_u64().unwrap() as usize;
        body.extend(format!("{size:x};chunk-signature={}\r\n", sig.as_str().unwrap()).bytes());
        if size > 0 {
            body.extend(std::iter::repeat_n(b'a', size));
            body.extend(b"\r\n");
        }
    }
    body.extend(b"\r\n");
    let v = Verifier::with_signing_keys(
        move |_: &str, s: &KeyScope<'_>| {
            Some(sdk_key(secret, date_unix(s.date), s.region, s.service))
        },
        &["us-east-1"],
        "s3",
        VerifierSettings::for_service("s3"),
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let t = SigningTime::parse("20130524T000100Z").unwrap();
    let stream = v
        .verify_streaming_http("PUT", "/examplebucket/chunkObject.txt", &pairs, t)
        .unwrap();
    let (_, mut decoder) = stream.into_parts();
    let mut out = Vec::new();
    decoder.feed(&body, &mut out).unwrap();
    decoder.finish().unwrap();
    assert_eq!(out.len(), 66560);
    // A tampered chunk is refused with the derived key too.
    let stream = v
        .verify_streaming_http("PUT", "/examplebucket/chunkObject.txt", &pairs, t)
        .unwrap();
    let (_, mut decoder) = stream.into_parts();
    let mut tampered = body.clone();
    tampered[200] = b'b';
    assert_eq!(
        decoder.feed(&tampered, &mut Vec::new()).unwrap_err().kind(),
        ErrorKind::InvalidChunk
    );
}
