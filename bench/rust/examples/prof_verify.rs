//! Profiling aid: verifies W1 in a loop (warm key cache), for callgrind or perf: the header form
//! through `verify`, or with `presigned` AWS's presigned W1 through `verify_http` (URL split
//! included, as the bindings call it).
//! `cargo run --release -p sigv4-bench --example prof_verify -- 20000 [presigned]`
use sigv4::{Body, Request, SigningTime};
use sigv4_bench::{count_arg, verifier, w1_headers, T0, W1_AUTH, W1_PRESIGNED, W1_URL};

fn main() {
    let verifier = verifier("service");
    let now = SigningTime::from_unix(T0 + 60).expect("time");
    let n = count_arg(20_000);
    let presigned = std::env::args().nth(2).is_some_and(|a| a == "presigned");
    let mut ok = 0u32;
    if presigned {
        let headers = [("Host", "example.amazonaws.com")];
        for _ in 0..n {
            let url = std::hint::black_box(W1_PRESIGNED);
            let result = verifier.verify_http("GET", url, &headers, Body::Bytes(b""), now);
            ok += u32::from(result.is_ok());
        }
    } else {
        let headers = w1_headers(W1_AUTH);
        let request = Request::new("GET", W1_URL, &headers, Body::Bytes(b"")).expect("request");
        for _ in 0..n {
            ok += u32::from(verifier.verify(std::hint::black_box(&request), now).is_ok());
        }
    }
    println!("{ok}/{n}");
}
