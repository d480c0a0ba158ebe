//! Experiment aid: the middleware benchmark's POST verified warm, and with the caches flushed
//! (8 MiB touched) before each call, as inside a loaded server.
use std::hint::black_box;
use std::time::Instant;

use sigv4::{Body, Credentials, Request, Signer, SigningTime, Verifier, VerifierSettings};

fn main() {
    let creds = Credentials::new("AKIDBENCH", "bench-secret", None).expect("credentials");
    let now = SigningTime::from_unix(1_700_000_000).expect("time");
    let body = br#"{"task":"render"}"#;
    let signer = Signer::new(creds.clone(), "us-east-1", "execute-api").expect("signer");
    let signed = signer
        .sign(
            &Request::new(
                "POST",
                "http://127.0.0.1:8080/jobs",
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
    let mut junk = vec![0u8; 8 << 20];
    for round in 0..4 {
        let flush = round % 2 == 1;
        let n = 20_000u32;
        let mut total = 0u128;
        for _ in 0..n {
            if flush {
                for i in (0..junk.len()).step_by(64) {
                    junk[i] = junk[i].wrapping_add(1);
                }
                black_box(&junk);
            }
            let t = Instant::now();
            let r = verifier.verify_http(
                "POST",
                "/jobs",
                black_box(&received),
                Body::Bytes(body),
                now,
            );
            total += t.elapsed().as_nanos();
            assert!(r.is_ok());
        }
        println!(
            "{} {:.2} µs",
            if flush { "flushed" } else { "warm" },
            total as f64 / f64::from(n) / 1000.0
        );
    }
}
