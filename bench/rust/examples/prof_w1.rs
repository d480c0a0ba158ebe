//! Profiling aid: signs W1 in a loop (for callgrind/perf).
//! `cargo run --release -p sigv4-bench --example prof_w1 -- 20000`
use sigv4::{Body, Request};
use sigv4_bench::{count_arg, signer, t0, W1_URL};

fn main() {
    let (signer, t) = (signer("service"), t0());
    let mut total = 0;
    for _ in 0..count_arg(20_000) {
        let req = Request::new("GET", W1_URL, &[], Body::default()).unwrap();
        total += signer.sign(&req, t).unwrap().signature().len();
    }
    println!("{total}");
}
