//! What the benchmark programs (`src/bin/`) and profiling aids (`examples/`) share: the AWS test
//! suite's credentials and W1 request (with AWS's signatures of it), the middleware benchmark's
//! POST as a server receives it, and the loop count a profiling aid takes from its command line.

use sigv4::{Body, Credentials, Request, Signer, SigningTime, Verifier, VerifierSettings};

/// The AWS SigV4 test suite's access key id.
pub const AKID: &str = "AKIDEXAMPLE";
/// The AWS SigV4 test suite's secret key.
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The suite's signing time (2015-08-30T12:36:00Z) in Unix seconds.
pub const T0: i64 = 1_440_938_160;
/// W1: the suite's `get-vanilla-query-order-key-case`.
pub const W1_URL: &str = "https://example.amazonaws.com/?Param2=value2&Param1=value1";
/// AWS's signature of W1 (header form) from the test suite.
pub const W1_AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";
/// AWS's presigned W1 (query form) from the test suite.
pub const W1_PRESIGNED: &str = "https://example.amazonaws.com/?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5";

/// The suite's credentials.
pub fn creds() -> Credentials {
    Credentials::new(AKID, SECRET, None).expect("valid credentials")
}

/// A signer for `service` in us-east-1 with the suite's credentials.
pub fn signer(service: &str) -> Signer {
    Signer::new(creds(), "us-east-1", service).expect("signer")
}

/// A verifier of the suite's key for `service` in us-east-1, with the service's settings.
pub fn verifier(service: &str) -> Verifier {
    Verifier::new(
        creds(),
        &["us-east-1"],
        service,
        VerifierSettings::for_service(service),
    )
    .expect("verifier")
}

/// The suite's signing time.
pub fn t0() -> SigningTime {
    SigningTime::from_unix(T0).expect("time")
}

/// W1's headers as a server receives them, with `authorization` as the `Authorization` value.
pub fn w1_headers(authorization: &str) -> [(&str, &str); 3] {
    [
        ("Host", "example.amazonaws.com"),
        ("X-Amz-Date", "20150830T123600Z"),
        ("Authorization", authorization),
    ]
}

/// The loop count a profiling aid takes as its first argument (`default` without one).
pub fn count_arg(default: u32) -> u32 {
    std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// The middleware benchmark's request: `POST /jobs` with a 17-byte JSON body, signed for
/// execute-api, and the verifier that checks it.
pub struct MiddlewarePost {
    /// The body.
    pub body: &'static [u8],
    /// The headers as node:http receives them (the signed ones plus what the load generator adds).
    pub received: Vec<(String, String)>,
    /// The time it was signed at (verify at the same time).
    pub now: SigningTime,
    /// A verifier of its key.
    pub verifier: Verifier,
}

impl MiddlewarePost {
    /// Signs the request.
    pub fn new() -> Self {
        let creds = Credentials::new("AKIDBENCH", "bench-secret", None).expect("credentials");
        let now = SigningTime::from_unix(1_700_000_000).expect("time");
        let body: &'static [u8] = br#"{"task":"render"}"#;
        let signer = Signer::new(creds.clone(), "us-east-1", "execute-api").expect("signer");
        let headers = [("content-type", "application/json")];
        let request = Request::new(
            "POST",
            "http://127.0.0.1:8080/jobs",
            &headers,
            Body::Bytes(body),
        )
        .expect("request");
        let signed = signer.sign(&request, now).expect("sign");
        let mut received = signed.headers().to_vec();
        for (name, value) in [
            ("Content-Length", "17"),
            ("Connection", "keep-alive"),
            ("User-Agent", "autocannon"),
        ] {
            received.push((name.to_owned(), value.to_owned()));
        }
        let verifier = Verifier::new(
            creds,
            &["us-east-1"],
            "execute-api",
            VerifierSettings::for_service("execute-api"),
        )
        .expect("verifier");
        MiddlewarePost {
            body,
            received,
            now,
            verifier,
        }
    }

    /// The received headers as pairs of `&str`.
    pub fn header_refs(&self) -> Vec<(&str, &str)> {
        self.received
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    /// Verifies it once (what the loops time); true when accepted.
    pub fn verify(&self, headers: &[(&str, &str)]) -> bool {
        self.verifier
            .verify_http("POST", "/jobs", headers, Body::Bytes(self.body), self.now)
            .is_ok()
    }
}

impl Default for MiddlewarePost {
    fn default() -> Self {
        Self::new()
    }
}
