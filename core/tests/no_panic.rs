//! Arbitrary bytes in every argument give a result or an error, never a panic.

use proptest::prelude::*;
use sigv4::{Body, Credentials, PayloadMode, Request, Signer, SigningSettings, SigningTime};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_requests_never_panic(
        method in proptest::collection::vec(any::<u8>(), 0..12),
        path in proptest::collection::vec(any::<u8>(), 0..64),
        query in proptest::collection::vec(any::<u8>(), 0..64),
        headers in proptest::collection::vec(
            (proptest::collection::vec(any::<u8>(), 0..16), proptest::collection::vec(any::<u8>(), 0..32)),
            0..6,
        ),
        body in proptest::collection::vec(any::<u8>(), 0..64),
        region in proptest::collection::vec(any::<u8>(), 0..16),
        service in proptest::collection::vec(any::<u8>(), 0..16),
        expires in any::<u64>(),
        seconds in any::<i64>(),
        s3 in any::<bool>(),
        payload in 0u8..6,
    ) {
        let method = text(&method);
        let url = format!("https://example.amazonaws.com{}?{}", text(&path), text(&query));
        let bare = format!("{}?{}", text(&path), text(&query));
        let headers: Vec<(String, String)> = headers.iter().map(|(n, v)| (text(n), text(v))).collect();
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let service_name = if s3 { "s3".to_owned() } else { text(&service) };
        let mut settings = SigningSettings::for_service(&service_name);
        settings.payload = match payload {
            0 => None,
            1 => Some(PayloadMode::Unsigned),
            2 => Some(PayloadMode::StreamingSigned),
            3 => Some(PayloadMode::StreamingSignedTrailer),
            4 => Some(PayloadMode::StreamingUnsignedTrailer),
            _ => Some(PayloadMode::Signed),
        };
        let creds = Credentials::new("AKIDEXAMPLE", "secret", Some("token".into())).unwrap();
        let time = SigningTime::from_unix(seconds).unwrap_or_else(|_| SigningTime::from_unix(0).unwrap());
        if let Ok(signer) = Signer::with_settings(creds, &text(&region), &service_name, settings) {
            for target in [&url, &bare] {
                for body in [Body::Bytes(&body), Body::Precomputed(&text(&body))] {
                    if let Ok(req) = Request::new(&method, target, &pairs, body) {
                        if let Ok(signed) = signer.sign(&req, time) {
                            prop_assert_eq!(signed.signature().len(), 64);
                        }
                        let _ = signer.presign(&req, time, expires);
                    }
                }
            }
        }
        let _ = SigningTime::parse(&text(&query));
    }
}
