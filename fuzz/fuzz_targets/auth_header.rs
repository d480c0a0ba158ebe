//! The `Authorization` header parser, through the public verifier: any bytes as the header value
//! (with the AWS suite's Host and X-Amz-Date) must give a clear error or an identity, never a
//! panic, in bounded time (libFuzzer's -timeout). The first byte picks the verifier (SigV4 only,
//! or SigV4a allowed) and whether an `X-Amz-Region-Set` header comes along.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigv4::{Body, Request, SigningTime, Verifier};
use std::sync::OnceLock;

fn verifiers() -> &'static [Verifier; 2] {
    static V: OnceLock<[Verifier; 2]> = OnceLock::new();
    V.get_or_init(|| {
        [
            sigv4_fuzz::verifier("service", false),
            sigv4_fuzz::verifier("service", true),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let value = String::from_utf8_lossy(rest);
    let mut headers = vec![
        ("Host", sigv4_fuzz::HOST),
        ("X-Amz-Date", "20150830T123600Z"),
        ("Authorization", &value),
    ];
    if first & 2 != 0 {
        headers.push(("X-Amz-Region-Set", "us-east-1"));
    }
    let now = SigningTime::from_unix(sigv4_fuzz::T0).unwrap();
    let verifier = &verifiers()[usize::from(first & 1)];
    if let Ok(request) = Request::new("GET", "/", &headers, Body::Bytes(b"")) {
        match verifier.verify(&request, now) {
            // The AWS suite's own signatures (in the seed corpus) verify.
            Ok(who) => assert_eq!(who.access_key_id, sigv4_fuzz::AKID),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
