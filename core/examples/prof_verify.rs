//! Profiling aid: verifies W1 (header form, warm key cache) in a loop, for callgrind or perf.
//! `cargo run --release -p sigv4 --example prof_verify -- 20000`
use sigv4::{Body, Credentials, Request, SigningTime, Verifier, VerifierSettings};

const W1_AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

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
    let headers = [
        ("Host", "example.amazonaws.com"),
        ("X-Amz-Date", "20150830T123600Z"),
        ("Authorization", W1_AUTH),
    ];
    let request = Request::new(
        "GET",
        "https://example.amazonaws.com/?Param2=value2&Param1=value1",
        &headers,
        Body::Bytes(b""),
    )
    .expect("request");
    let mut ok = 0u32;
    for _ in 0..n {
        ok += u32::from(verifier.verify(std::hint::black_box(&request), now).is_ok());
    }
    println!("{ok}/{n}");
}
