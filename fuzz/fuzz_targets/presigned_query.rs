//! The presigned-URL query parser, through the public verifier: any bytes as the query string
//! (control characters dropped, as `Request::new` refuses them) must give a clear error, never a
//! panic, in bounded time. The first byte picks the verifier (generic or S3, SigV4a allowed or
//! not); the AWS suite's Host header comes along.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigv4::{Body, Request, SigningTime, Verifier};
use std::sync::OnceLock;

fn verifiers() -> &'static [Verifier; 4] {
    static V: OnceLock<[Verifier; 4]> = OnceLock::new();
    V.get_or_init(|| {
        [
            sigv4_fuzz::verifier("service", false),
            sigv4_fuzz::verifier("service", true),
            sigv4_fuzz::verifier("s3", false),
            sigv4_fuzz::verifier("s3", true),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let query: String = String::from_utf8_lossy(rest)
        .chars()
        .filter(|c| !c.is_control() && *c != '#')
        .collect();
    let url = format!("/?{query}");
    let headers = [("Host", sigv4_fuzz::HOST)];
    let now = SigningTime::from_unix(sigv4_fuzz::T0).unwrap();
    let verifier = &verifiers()[usize::from(first & 3)];
    let request = Request::new("GET", &url, &headers, Body::Bytes(b""));
    let request = request.expect("a URL without control characters is accepted");
    match verifier.verify(&request, now) {
        // The AWS suite's own signatures (in the seed corpus) verify.
        Ok(who) => assert_eq!(who.access_key_id, sigv4_fuzz::AKID),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
