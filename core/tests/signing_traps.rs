//! Issue 14's signing bugs and traps, each pinned by a test that failed before its fix. Expected
//! values come from botocore's behaviour (quoted at each test), the AWS suite's rules, or the
//! verifier receiving what an HTTP client sends — never from the signer's own output alone.

use sigv4::{
    sign, Body, Credentials, EcdsaKey, ErrorKind, PayloadMode, Request, Signer, SigningAlgorithm,
    SigningParams, SigningSettings, SigningTime, Verifier, VerifierSettings,
    DEFAULT_UNSIGNED_HEADERS,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_440_938_160; // 20150830T123600Z

fn creds() -> Credentials {
    Credentials::new(AKID, SECRET, None).unwrap()
}

fn time() -> SigningTime {
    SigningTime::from_unix(T0).unwrap()
}

fn canonical_line(signed: &sigv4::SignedRequest, n: usize) -> String {
    signed
        .canonical_request()
        .split('\n')
        .nth(n)
        .unwrap()
        .to_owned()
}

/// What a server receives from a client that sends `signed` (URL and the merged header map).
fn verify_as_sent(signed: &sigv4::SignedRequest, service: &str, settings: VerifierSettings) {
    let verifier = Verifier::new(creds(), &["us-east-1"], service, settings).unwrap();
    let headers: Vec<(String, String)> = signed
        .merged_headers()
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.into_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(signed.method(), signed.url(), &pairs, Body::Bytes(b"")).unwrap();
    verifier
        .verify(&request, time())
        .unwrap_or_else(|e| panic!("{e}\n{}", signed.canonical_request()));
}

#[test]
fn trailing_dot_segment_is_dropped_like_botocore() {
    // botocore.utils.remove_dot_segments('/X/.') == '/X' (aws4, smithy, aws-c-auth agree).
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    for (path, want) in [
        ("/X/.", "/X"),
        ("/X/Y/..", "/X"),
        ("/X/./", "/X/"),
        ("/..", "/"),
    ] {
        let url = format!("https://h.example{path}");
        let req = Request::new("GET", &url, &[], Body::Bytes(b"")).unwrap();
        let signed = signer.sign(&req, time()).unwrap();
        assert_eq!(canonical_line(&signed, 1), want, "{path}");
    }
}

#[test]
fn repeated_header_names_are_sent_as_signed() {
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let headers = [
        ("X-Dup", " a "),
        ("x-dup", "b  c"),
        ("Other", "1"),
        ("X-DUP", ""),
    ];
    let req = Request::new("GET", "https://h.example/", &headers, Body::Bytes(b"")).unwrap();
    let signed = signer.sign(&req, time()).unwrap();
    assert!(signed.canonical_request().contains("\nx-dup:a,b c,\n"));
    let merged = signed.merged_headers();
    let dup: Vec<_> = merged
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("x-dup"))
        .collect();
    assert_eq!(dup.len(), 1);
    assert_eq!((dup[0].0, dup[0].1.as_ref()), ("X-Dup", "a,b c,"));
    verify_as_sent(
        &signed,
        "execute-api",
        VerifierSettings::for_service("execute-api"),
    );
}

#[test]
fn unsigned_payload_outside_s3_sends_and_signs_the_content_hash_header() {
    // botocore SigV4Auth._modify_request_before_signing: payload signing off adds
    // X-Amz-Content-SHA256: UNSIGNED-PAYLOAD to the request, which is then signed.
    let mut settings = SigningSettings::for_service("execute-api");
    settings.payload = Some(PayloadMode::Unsigned);
    let signer = Signer::with_settings(creds(), "us-east-1", "execute-api", settings).unwrap();
    let req = Request::new("POST", "https://h.example/", &[], Body::Bytes(b"body")).unwrap();
    let signed = signer.sign(&req, time()).unwrap();
    assert!(signed
        .headers()
        .any(|(n, v)| n.eq_ignore_ascii_case("x-amz-content-sha256") && v == "UNSIGNED-PAYLOAD"));
    assert!(signed.signed_headers().contains("x-amz-content-sha256"));
    assert!(signed
        .canonical_request()
        .contains("\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"));
    let mut v = VerifierSettings::for_service("execute-api");
    v.allow_unsigned_payload = true;
    verify_as_sent(&signed, "execute-api", v);
    // A signed payload outside S3 still adds nothing (botocore and the AWS suite).
    let plain = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let signed = plain.sign(&req, time()).unwrap();
    assert_eq!(signed.signed_headers(), "host;x-amz-date");
}

#[test]
fn host_from_the_url_is_lower_cased() {
    // botocore.auth._host_from_url: "urlsplit's hostname is always lowercase".
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let req = Request::new(
        "GET",
        "https://API.Example.COM:8443/",
        &[],
        Body::Bytes(b""),
    )
    .unwrap();
    let signed = signer.sign(&req, time()).unwrap();
    assert!(signed
        .canonical_request()
        .contains("\nhost:api.example.com:8443\n"));
    assert!(signed
        .headers()
        .any(|h| h == ("Host", "api.example.com:8443")));
}

#[test]
fn signing_is_linear_in_repeated_header_names() {
    // 200,000 headers of one name: the quadratic merge took ~2 s for 80,000 and would take minutes
    // here; linear, it is a fraction of a second even in a debug build.
    let values: Vec<String> = (0..200_000).map(|i| i.to_string()).collect();
    let mut headers: Vec<(&str, &str)> = values.iter().map(|v| ("x-many", v.as_str())).collect();
    headers.push(("Host", "h.example"));
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let req = Request::new("GET", "/", &headers, Body::Bytes(b"")).unwrap();
    let signed = signer.sign(&req, time()).unwrap();
    assert!(signed.canonical_request().contains("x-many:0,1,2,"));
    let merged = signed.merged_headers();
    assert_eq!(merged.len(), 4); // x-many, Host, X-Amz-Date, Authorization
}

#[test]
fn default_unsigned_headers_are_botocores() {
    // botocore 1.44 auth.SIGNED_HEADERS_BLACKLIST (authorization is replaced by signing anyway).
    let botocore = [
        "baggage",
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "traceparent",
        "tracestate",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    ];
    let ours: Vec<&str> = DEFAULT_UNSIGNED_HEADERS
        .iter()
        .copied()
        .filter(|h| *h != "authorization")
        .collect();
    assert_eq!(ours, botocore);
    let headers = [
        (
            "traceparent",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        ),
        ("tracestate", "congo=t61rcWkgMzE"),
        ("baggage", "k=v"),
    ];
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let req = Request::new("GET", "https://h.example/", &headers, Body::Bytes(b"")).unwrap();
    assert_eq!(
        signer.sign(&req, time()).unwrap().signed_headers(),
        "host;x-amz-date"
    );
}

#[test]
fn free_sign_honours_sigv4a() {
    let mut settings = SigningSettings::for_service("execute-api");
    settings.algorithm = SigningAlgorithm::Sigv4a;
    let credentials = creds();
    let params = SigningParams::new(&credentials, "*", "execute-api", time(), &settings);
    let req = Request::new("GET", "https://h.example/", &[], Body::Bytes(b"")).unwrap();
    let signed = sign(&req, &params).unwrap();
    assert!(signed
        .authorization()
        .unwrap()
        .starts_with("AWS4-ECDSA-P256-SHA256 "));
    assert!(signed.headers().any(|h| h == ("X-Amz-Region-Set", "*")));
    let key = EcdsaKey::derive(AKID, SECRET).unwrap();
    let der: Vec<u8> = (0..signed.signature().len() / 2)
        .map(|i| u8::from_str_radix(&signed.signature()[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    assert!(key
        .public_key()
        .verify_der(signed.string_to_sign().as_bytes(), &der));
    let mut v = VerifierSettings::for_service("execute-api");
    v.allow_sigv4a = true;
    verify_as_sent(&signed, "execute-api", v);
}

#[test]
fn region_star_and_swapped_scopes_are_refused() {
    let sigv4 = SigningSettings::for_service("execute-api");
    for (region, service) in [("*", "execute-api"), ("us-east-1,us-west-2", "execute-api")] {
        let err = Signer::with_settings(creds(), region, service, sigv4.clone()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRegion, "{region}");
        assert!(err.message().contains("sigv4a"), "{}", err.message());
    }
    for (region, service) in [
        ("execute-api", "us-east-1"),
        ("s3", "eu-west-2"),
        ("lambda", "ap-southeast-1"),
        ("my-region", "us-gov-west-1"),
        ("execute-api", "my-api"),
    ] {
        let err = Signer::new(creds(), region, service).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRegion, "{region} {service}");
        assert!(err.message().contains("swapped"), "{}", err.message());
        // The free functions check the same.
        let settings = SigningSettings::for_service(service);
        let credentials = creds();
        let params = SigningParams::new(&credentials, region, service, time(), &settings);
        let req = Request::new("GET", "https://h.example/", &[], Body::Bytes(b"")).unwrap();
        assert_eq!(
            sign(&req, &params).unwrap_err().kind(),
            ErrorKind::InvalidRegion
        );
    }
    // Custom regions (MinIO, Garage, LocalStack) stay accepted.
    for (region, service) in [
        ("garage", "s3"),
        ("local", "execute-api"),
        ("us-east-1", "s3"),
    ] {
        Signer::new(creds(), region, service).unwrap();
    }
    let mut v4a = SigningSettings::for_service("s3");
    v4a.algorithm = SigningAlgorithm::Sigv4a;
    Signer::with_settings(creds(), "*", "s3", v4a).unwrap();
}

#[test]
fn raw_space_and_unicode_in_an_absolute_url_are_signed_as_sent() {
    let signer = Signer::new(creds(), "us-east-1", "execute-api").unwrap();
    let req = Request::new(
        "GET",
        "https://h.example/a b/é|?q=x y",
        &[],
        Body::Bytes(b""),
    )
    .unwrap();
    let signed = signer.sign(&req, time()).unwrap();
    // Every client sends `/a%20b/%C3%A9%7C` (the URL returned); the service encodes that again.
    assert_eq!(signed.url(), "https://h.example/a%20b/%C3%A9%7C?q=x%20y");
    assert_eq!(canonical_line(&signed, 1), "/a%2520b/%25C3%25A9%257C");
    verify_as_sent(
        &signed,
        "execute-api",
        VerifierSettings::for_service("execute-api"),
    );
}
