//! Profiling aid: verifies the middleware benchmark's POST (signed headers + a 17-byte JSON body,
//! seven headers as node:http receives them) in a loop, for callgrind.
//! `cargo run --release -p sigv4 --example prof_verify_post -- 20000`
use sigv4::{Body, Credentials, Request, Signer, SigningTime, Verifier, VerifierSettings};

fn main() {
    let creds = Credentials::new("AKIDBENCH", "bench-secret", None).expect("credentials");
    let now = SigningTime::from_unix(1_700_000_000).expect("time");
    let body = br#"{"task":"render"}"#;
    let signer = Signer::new(creds.clone(), "us-east-1", "execute-api").expect("signer");
    let url = "http://127.0.0.1:8080/jobs";
    let signed = signer
        .sign(
            &Request::new(
                "POST",
                url,
                &[("content-type", "application/json")],
                Body::Bytes(body),
            )
            .expect("request"),
            now,
        )
        .expect("sign");
    let mut received: Vec<(&str, &str)> = signed.headers().collect();
    received.extend([
        ("Content-Length", "17"),
        ("Connection", "keep-alive"),
        ("User-Agent", "autocannon"),
    ]);
    let verifier = Verifier::new(
        creds,
        &["us-east-1"],
        "execute-api",
        VerifierSettings::for_service("execute-api"),
    )
    .expect("verifier");
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20000);
    let mut ok = 0u32;
    for _ in 0..n {
        let r = verifier.verify_http(
            "POST",
            "/jobs",
            std::hint::black_box(&received),
            Body::Bytes(body),
            now,
        );
        ok += u32::from(r.is_ok());
    }
    println!("{ok}/{n}");
}
