//! Profiling aid: verifies the middleware benchmark's POST (signed headers + a 17-byte JSON body,
//! seven headers as node:http receives them) in a loop, for callgrind.
//! `cargo run --release -p sigv4-bench --example prof_verify_post -- 20000`
use sigv4_bench::{count_arg, MiddlewarePost};

fn main() {
    let post = MiddlewarePost::new();
    let received = post.header_refs();
    let n = count_arg(20_000);
    let mut ok = 0u32;
    for _ in 0..n {
        ok += u32::from(post.verify(std::hint::black_box(&received)));
    }
    println!("{ok}/{n}");
}
