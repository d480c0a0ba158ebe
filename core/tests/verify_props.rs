//! Arbitrary bytes in every field of a request never make the verifier panic, and never verify.

use proptest::prelude::*;
use sigv4::{Body, Credentials, SigningTime, Verifier, VerifierSettings};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_440_938_160;

fn verifier(service: &str) -> Verifier {
    let creds = Credentials::new(AKID, SECRET, Some("token".into())).unwrap();
    let mut settings = VerifierSettings::for_service(service);
    settings.replay_cache_capacity = Some(16);
    Verifier::new(creds, &["us-east-1"], service, settings).unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Bytes biased towards the characters SigV4 parsing cares about.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..80).prop_map(|b| text(&b)),
        "[A-Za-z0-9/;=,%+&?#. _:\\-\r\n\t\u{0}]{0,80}",
        Just(String::new()),
        Just(format!("{AKID}/20150830/us-east-1/service/aws4_request")),
        Just("host;x-amz-date".to_owned()),
        Just("20150830T123600Z".to_owned()),
        Just("a".repeat(64)),
    ]
}

fn run(v: &Verifier, method: &str, url: &str, headers: &[(String, String)], body: &[u8], now: i64) {
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let now = SigningTime::from_unix(now).unwrap();
    for body in [Body::Bytes(body), Body::Precomputed(url)] {
        let result = v.verify_http(method, url, &pairs, body, now);
        // A random request never verifies (the secret is not in the inputs).
        assert!(result.is_err(), "{method} {url} {headers:?} verified");
        let e = result.unwrap_err();
        assert!(!e.message().is_empty() && !e.code().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_anywhere(
        method in field(),
        url in field(),
        names in proptest::collection::vec(field(), 0..6),
        values in proptest::collection::vec(field(), 0..6),
        body in proptest::collection::vec(any::<u8>(), 0..64),
        now in -62_167_219_200i64..=253_402_300_799,
    ) {
        let headers: Vec<(String, String)> = names.into_iter().zip(values).collect();
        run(&verifier("service"), &method, &url, &headers, &body, now);
        run(&verifier("s3"), &method, &url, &headers, &body, now);
    }

    #[test]
    fn header_form_with_arbitrary_parts(
        credential in field(), signed in field(), signature in field(), date in field(),
        extra_name in field(), extra_value in field(), token in field(), sep in "[ ,\t]{0,3}",
        path in field(), query in field(),
    ) {
        let auth = format!("AWS4-HMAC-SHA256 Credential={credential},{sep}SignedHeaders={signed},{sep}Signature={signature}");
        let headers = vec![
            ("Host".to_owned(), "example.amazonaws.com".to_owned()),
            ("X-Amz-Date".to_owned(), date),
            ("Authorization".to_owned(), auth),
            ("X-Amz-Security-Token".to_owned(), token),
            (extra_name, extra_value),
        ];
        let url = format!("/{path}?{query}");
        run(&verifier("service"), "GET", &url, &headers, b"", T0);
    }

    #[test]
    fn query_form_with_arbitrary_parts(
        values in proptest::collection::vec(field(), 7),
        names in proptest::collection::vec(prop_oneof![
            Just("X-Amz-Algorithm"), Just("X-Amz-Credential"), Just("X-Amz-Date"),
            Just("X-Amz-Expires"), Just("X-Amz-SignedHeaders"), Just("X-Amz-Signature"),
            Just("X-Amz-Security-Token"), Just("x-amz-date"), Just("Other"),
        ], 7),
    ) {
        let query: Vec<String> = names.iter().zip(&values).map(|(n, v)| format!("{n}={v}")).collect();
        let url = format!("https://example.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256&{}", query.join("&"));
        let headers = vec![("Host".to_owned(), "example.amazonaws.com".to_owned())];
        run(&verifier("service"), "GET", &url, &headers, b"", T0);
    }
}
