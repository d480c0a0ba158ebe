//! Experiment aid: the middleware benchmark's POST verified warm, and with the caches flushed
//! (8 MiB touched) before each call, as inside a loaded server.
use std::hint::black_box;
use std::time::Instant;

use sigv4_bench::MiddlewarePost;

fn main() {
    let post = MiddlewarePost::new();
    let received = post.header_refs();
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
            let ok = post.verify(black_box(&received));
            total += t.elapsed().as_nanos();
            assert!(ok);
        }
        println!(
            "{} {:.2} µs",
            if flush { "flushed" } else { "warm" },
            total as f64 / f64::from(n) / 1000.0
        );
    }
}
