//! Profiling aid: verifies W1 in a loop (warm key cache), for callgrind or perf: the header form
//! through `verify`, or with `presigned` AWS's presigned W1 through `verify_http` (URL split
//! included, as the bindings call it).
//! `cargo run --release -p sigv4 --example prof_verify -- 20000 [presigned]`
use sigv4::{Body, Credentials, Request, SigningTime, Verifier, VerifierSettings};

const W1_AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";
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
    let args: Vec<String> = std::env::args().collect();
    let n: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20000);
    let presigned = args.get(2).is_some_and(|a| a == "presigned");
    let mut ok = 0u32;
    if presigned {
        let headers = [("Host", "example.amazonaws.com")];
        for _ in 0..n {
            let url = std::hint::black_box(W1_PRESIGNED);
            let result = verifier.verify_http("GET", url, &headers, Body::Bytes(b""), now);
            ok += u32::from(result.is_ok());
        }
    } else {
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
        for _ in 0..n {
            ok += u32::from(verifier.verify(std::hint::black_box(&request), now).is_ok());
        }
    }
    println!("{ok}/{n}");
}
