//! Bad arguments are errors naming the argument; secrets never show in Debug output.

use sigv4::{
    Body, Credentials, ErrorKind, KeyCache, PayloadMode, Request, Signer, SigningKey,
    SigningSettings, SigningTime,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtoken+/=";

fn time() -> SigningTime {
    SigningTime::from_unix(1_440_938_160).unwrap()
}

fn signer(service: &str) -> Signer {
    Signer::new(
        Credentials::new("AKIDEXAMPLE", SECRET, None).unwrap(),
        "us-east-1",
        service,
    )
    .unwrap()
}

fn kind_of<T: std::fmt::Debug>(r: Result<T, sigv4::Error>) -> (ErrorKind, Option<&'static str>) {
    let e = r.unwrap_err();
    assert!(!e.message().is_empty());
    (e.kind(), e.argument())
}

#[test]
fn bad_arguments_name_the_argument() {
    let creds = || Credentials::new("AKIDEXAMPLE", SECRET, None).unwrap();
    assert_eq!(
        kind_of(Signer::new(creds(), "", "s3")),
        (ErrorKind::InvalidRegion, Some("region"))
    );
    assert_eq!(
        kind_of(Signer::new(creds(), "us/east", "s3")),
        (ErrorKind::InvalidRegion, Some("region"))
    );
    assert_eq!(
        kind_of(Signer::new(creds(), "us-east-1", "")),
        (ErrorKind::InvalidService, Some("service"))
    );
    assert_eq!(
        kind_of(Signer::new(creds(), "us-east-1", "a b")),
        (ErrorKind::InvalidService, Some("service"))
    );
    assert_eq!(
        kind_of(Credentials::new("", SECRET, None)),
        (ErrorKind::InvalidCredentials, Some("access_key_id"))
    );
    assert_eq!(
        kind_of(Credentials::new("AKID", "", None)),
        (ErrorKind::InvalidCredentials, Some("secret_access_key"))
    );
    assert_eq!(
        kind_of(Credentials::new("AK/ID", SECRET, None)),
        (ErrorKind::InvalidCredentials, Some("access_key_id"))
    );

    let s = signer("service");
    let url = "https://example.amazonaws.com/";
    let sign = |method: &str, url: &str, headers: &[(&str, &str)], body: Body| {
        Request::new(method, url, headers, body).and_then(|r| s.sign(&r, time()))
    };
    assert_eq!(
        kind_of(sign("", url, &[], Body::default())),
        (ErrorKind::InvalidMethod, Some("method"))
    );
    assert_eq!(
        kind_of(sign("GE T", url, &[], Body::default())),
        (ErrorKind::InvalidMethod, Some("method"))
    );
    assert_eq!(
        kind_of(sign("GET", "example.com/x", &[], Body::default())),
        (ErrorKind::InvalidUrl, Some("url"))
    );
    assert_eq!(
        kind_of(sign("GET", "/no-host", &[], Body::default())),
        (ErrorKind::InvalidUrl, Some("url"))
    );
    assert_eq!(
        kind_of(sign("GET", "https://h/a\r\nb", &[], Body::default())),
        (ErrorKind::InvalidUrl, Some("url"))
    );
    assert_eq!(
        kind_of(sign("GET", url, &[("Bad Name", "v")], Body::default())),
        (ErrorKind::InvalidHeaderName, Some("header name"))
    );
    assert_eq!(
        kind_of(sign("GET", url, &[("", "v")], Body::default())),
        (ErrorKind::InvalidHeaderName, Some("header name"))
    );
    for bad in ["a\rb", "a\nb", "a\0b", "a\r\nX-Injected: 1"] {
        assert_eq!(
            kind_of(sign("GET", url, &[("X-Test", bad)], Body::default())),
            (ErrorKind::InvalidHeaderValue, Some("header value"))
        );
    }
    assert_eq!(
        kind_of(sign("GET", url, &[], Body::Precomputed("abc"))),
        (ErrorKind::InvalidPayloadHash, Some("payload_hash"))
    );
    assert_eq!(
        kind_of(sign("GET", url, &[], Body::Precomputed(&"g".repeat(64)))),
        (ErrorKind::InvalidPayloadHash, Some("payload_hash"))
    );

    let req = Request::new("GET", url, &[], Body::default()).unwrap();
    for bad in [0, 604_801, u64::MAX] {
        assert_eq!(
            kind_of(s.presign(&req, time(), bad)),
            (ErrorKind::InvalidExpiry, Some("expires_in"))
        );
    }
    assert!(s.presign(&req, time(), 1).is_ok());
    assert!(s.presign(&req, time(), 604_800).is_ok());

    let mut settings = SigningSettings::for_service("s3");
    settings.payload = Some(PayloadMode::Unsigned);
    let unsigned = Signer::with_settings(
        Credentials::new("AKIDEXAMPLE", SECRET, None).unwrap(),
        "us-east-1",
        "s3",
        settings,
    )
    .unwrap();
    let hash = "a".repeat(64);
    let req = Request::new("PUT", url, &[], Body::Precomputed(&hash)).unwrap();
    assert_eq!(
        kind_of(unsigned.sign(&req, time())),
        (ErrorKind::InvalidOption, Some("payload_hash"))
    );
    assert_eq!(
        kind_of(SigningTime::parse("2015-13-01T00:00:00Z")),
        (ErrorKind::InvalidTimestamp, Some("timestamp"))
    );
}

#[test]
fn debug_output_never_shows_secrets() {
    let creds = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_owned())).unwrap();
    let shown = format!("{creds:?} {creds:#?}");
    assert!(shown.contains("AKIDEXAMPLE"));
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");

    let key = SigningKey::derive(SECRET, "20150830", "us-east-1", "s3");
    let key_hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let shown = format!("{key:?}");
    assert!(!shown.contains(&key_hex) && !shown.contains(SECRET));

    let cache = KeyCache::new(4);
    cache.signing_key(&creds, time(), "us-east-1", "s3");
    let shown = format!("{cache:?}");
    assert!(!shown.contains(SECRET) && !shown.contains(&key_hex));

    let signer = Signer::new(creds, "us-east-1", "s3").unwrap();
    let shown = format!("{signer:?}");
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");

    let encoded_token = sigv4::uri_encode(TOKEN);
    let req = Request::new("GET", "https://b.s3.amazonaws.com/k", &[], Body::default()).unwrap();
    for signed in [
        signer.sign(&req, time()).unwrap(),
        signer.presign(&req, time(), 60).unwrap(),
    ] {
        // The token really is there to send...
        let sent = format!("{} {:?}", signed.url(), signed.headers().to_vec());
        assert!(sent.contains(TOKEN) || sent.contains(&encoded_token));
        // ...but never in Debug output.
        let shown = format!("{signed:?} {signed:#?}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(
            !shown.contains(TOKEN) && !shown.contains(&encoded_token),
            "{shown}"
        );
    }
}

#[test]
fn caller_supplied_auth_headers_are_replaced_not_duplicated() {
    let s = signer("service");
    let headers = [
        ("X-Amz-Date", "19990101T000000Z"),
        ("Authorization", "old"),
        ("Host", "example.amazonaws.com"),
    ];
    let req = Request::new("GET", "/", &headers, Body::default()).unwrap();
    let signed = s.sign(&req, time()).unwrap();
    let dates: Vec<_> = signed
        .headers()
        .filter(|(n, _)| n.eq_ignore_ascii_case("x-amz-date"))
        .collect();
    assert_eq!(dates.len(), 1);
    assert_eq!(dates[0].1, "20150830T123600Z");
    let auths: Vec<_> = signed
        .headers()
        .filter(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .collect();
    assert_eq!(auths.len(), 1);
    // The AWS suite's get-vanilla signature: the stale headers changed nothing.
    assert_eq!(
        signed.signature(),
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
}

#[test]
fn signer_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Signer>();
    assert_send_sync::<KeyCache>();
}
