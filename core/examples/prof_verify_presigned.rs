//! Profiling aid: verifies AWS's presigned W1 (query form, warm key cache) through `verify_http`
//! (URL split included, as the bindings call it) in a loop, for callgrind or perf.
//! `cargo run --release -p sigv4 --example prof_verify_presigned -- 20000`
use sigv4::{Body, Credentials, SigningTime, Verifier, VerifierSettings};

const W1_PRESIGNED: &str = "https://example.amazonaws.com/?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5";

fn main() {
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .expect("credentials");
    let verifier = Verifier::new(
        creds,
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .expect("verifier");
    let now = SigningTime::from_unix(1_440_938_220).expect("time");
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20000);
    let headers = [("Host", "example.amazonaws.com")];
    let mut ok = 0u32;
    for _ in 0..n {
        let url = std::hint::black_box(W1_PRESIGNED);
        ok += u32::from(
            verifier
                .verify_http("GET", url, &headers, Body::Bytes(b""), now)
                .is_ok(),
        );
    }
    println!("{ok}/{n}");
}
