//! The signer and the verifier write the canonical request and the string to sign each from its
//! own reading of a request (the signer from the caller's URL and headers, the verifier from the
//! bytes a server received). This pins that the two agree: for generated requests, signed
//! (headers or presigned URL) and then verified with another secret, the verifier's computation
//! (the `SignatureDoesNotMatch` error carries it) equals the signer's, text for text.

use proptest::prelude::*;
use sigv4::{
    Body, Credentials, ErrorKind, Request, Signer, SigningTime, Verifier, VerifierSettings,
};

const AKID: &str = "AKIDEXAMPLE";
const T0: i64 = 1_440_938_160;

/// Path segments with the characters canonicalisation treats specially (escapes, sub-delims,
/// unreserved, UTF-8), never raw dot segments (the verifier refuses those outright).
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9._~-]{1,8}".prop_filter("a dot segment", |s| s != "." && s != ".."),
        "[A-Za-z0-9!$&'()*+,;=:@]{1,8}",
        Just("%20".to_owned()),
        Just("%2F".to_owned()),
        Just("%7e".to_owned()),
        Just("caf\u{e9}".to_owned()),
        Just("a%25b".to_owned()),
    ]
}

fn query_part() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9._~-]{0,6}",
        Just("a+b".to_owned()),
        Just("%2B".to_owned()),
        Just("x%20y".to_owned()),
        Just("\u{263a}".to_owned()),
        Just("=".to_owned()),
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 ./:;,=-]{0,16}",
        Just("  a   b  ".to_owned()),
        Just("\tx\t".to_owned()),
        Just("caf\u{e9}".to_owned()),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    service: &'static str,
    method: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    presign: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec!["execute-api", "s3", "sns"]),
        prop::sample::select(vec!["GET", "PUT", "POST", "DELETE"]),
        prop::collection::vec(segment(), 0..4),
        prop::collection::vec((query_part(), query_part()), 0..4),
        prop::collection::vec(("x-[a-z]{1,6}", header_value()), 0..4),
        prop::collection::vec(any::<u8>(), 0..32),
        any::<bool>(),
    )
        .prop_map(
            |(service, method, segments, query, headers, body, presign)| Case {
                service,
                method,
                path: format!("/{}", segments.join("/")),
                query,
                headers,
                body,
                presign,
            },
        )
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let mut url = format!("https://example.amazonaws.com{}", case.path);
    for (i, (k, v)) in case.query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(k);
        url.push('=');
        url.push_str(v);
    }
    let headers: Vec<(&str, &str)> = case
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let time = SigningTime::from_unix(T0).unwrap();
    let signer_creds = Credentials::new(AKID, "signer-secret", None).unwrap();
    let signer = Signer::new(signer_creds, "us-east-1", case.service).unwrap();
    let request = Request::new(case.method, &url, &headers, Body::Bytes(&case.body)).unwrap();
    let signed = if case.presign {
        signer.presign(&request, time, 300)
    } else {
        signer.sign(&request, time)
    }
    .map_err(|e| TestCaseError::fail(format!("signing: {e}")))?;

    // What a server receives: the URL as sent (origin form) and every header to send.
    let sent_url = signed.url().to_owned();
    let origin = sent_url
        .strip_prefix("https://example.amazonaws.com")
        .unwrap_or(&sent_url);
    let origin = if origin.is_empty() { "/" } else { origin };
    let mut sent: Vec<(String, String)> = signed.headers().to_vec();
    if !sent.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        sent.push(("host".into(), "example.amazonaws.com".into()));
    }
    let sent_refs: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let received = Request::new(case.method, origin, &sent_refs, Body::Bytes(&case.body)).unwrap();

    let mut settings = VerifierSettings::for_service(case.service);
    // S3 presigned URLs sign UNSIGNED-PAYLOAD; elsewhere the signer signs the body's hash, and a
    // verifier that also allowed unsigned payloads would report its first reading (unsigned).
    settings.allow_unsigned_payload = case.service == "s3";
    let other = Credentials::new(AKID, "verifier-secret", None).unwrap();
    let verifier = Verifier::new(other, &["us-east-1"], case.service, settings).unwrap();
    let err = verifier
        .verify(&received, time)
        .expect_err("another secret never verifies");
    prop_assert_eq!(err.kind(), ErrorKind::SignatureDoesNotMatch, "{}", err);
    let theirs = err.mismatch().expect("a mismatch carries the computation");
    prop_assert_eq!(&theirs.canonical_request, signed.canonical_request());
    prop_assert_eq!(&theirs.string_to_sign, signed.string_to_sign());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn signer_and_verifier_write_the_same_canonical_request(case in case()) {
        check(&case)?;
    }
}
