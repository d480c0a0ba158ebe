//! Profiling aid: presigns W3 (S3 GET, 86400 s) in a loop (for callgrind/perf).
//! `cargo run --release -p sigv4-bench --example prof_w3 -- 20000`
use sigv4::{Body, Request};
use sigv4_bench::{count_arg, signer, t0};

const W3_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt";

fn main() {
    let (signer, t) = (signer("s3"), t0());
    let mut total = 0;
    for _ in 0..count_arg(20_000) {
        let req = Request::new("GET", W3_URL, &[], Body::default()).unwrap();
        total += signer.presign(&req, t, 86_400).unwrap().url().len();
    }
    println!("{total}");
}
