//! The Rust core's figure for W1 (warm), measured the way bench/c/bench.c measures the C API, so
//! `make bench-c` can print both in one table: the best of 41 batches (the machine is shared; the
//! fastest batch is the least disturbed). Prints nanoseconds per signing.

use std::hint::black_box;
use std::time::Instant;

use sigv4::{Body, Request};
use sigv4_bench::{signer, t0, W1_URL};

fn main() -> Result<(), sigv4::Error> {
    let (signer, time, url) = (signer("service"), t0(), W1_URL);
    let iters = 5_000u32;
    let mut samples = Vec::new();
    for batch in 0..42 {
        let start = Instant::now();
        for _ in 0..iters {
            let request = Request::new("GET", url, &[], Body::default())?;
            black_box(signer.sign(&request, time)?);
        }
        if batch > 0 {
            samples.push(start.elapsed().as_nanos() as f64 / f64::from(iters));
        }
    }
    samples.sort_by(f64::total_cmp);
    println!("{:.0}", samples[0]);
    Ok(())
}
