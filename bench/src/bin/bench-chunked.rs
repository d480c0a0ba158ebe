//! Streaming-upload benchmark: aws-chunked signing of 64 MiB in 64 KiB chunks next to plain SHA-256
//! of the same 64 MiB, measured in the same run (target: signing >= 0.95 x SHA-256 throughput).
//! Run with `cargo run --release -p sigv4-bench --bin bench-chunked`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use sigv4::{
    ChunkedDecoder, ChunkedEncoder, ChunkedPlan, ChunkedSigner, PayloadMode, SignatureChain,
    SigningKey,
};

const TOTAL: usize = 64 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;
const DATE: &str = "20130524T000000Z";
const SCOPE: &str = "20130524/us-east-1/s3/aws4_request";
const SEED: &str = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

fn chain() -> SignatureChain {
    let key = SigningKey::derive(
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "20130524",
        "us-east-1",
        "s3",
    );
    SignatureChain::new(key, DATE, SCOPE, SEED).expect("chain")
}

/// Runs every operation once per round, interleaved (the machine is shared, so load shifts hit
/// all of them alike), and returns the median time of each.
fn interleaved(runs: usize, ops: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    for op in ops.iter_mut() {
        op();
    }
    let mut times = vec![Vec::with_capacity(runs); ops.len()];
    for _ in 0..runs {
        for (i, op) in ops.iter_mut().enumerate() {
            let start = Instant::now();
            op();
            times[i].push(start.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t[t.len() / 2]
        })
        .collect()
}

fn mib_s(d: Duration) -> f64 {
    TOTAL as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
}

fn main() {
    let body: Vec<u8> = (0..TOTAL).map(|i| (i * 31 + 7) as u8).collect();
    let runs = 9;

    let mut sha = || {
        let mut h = Sha256::new();
        for piece in body.chunks(CHUNK) {
            h.update(piece);
        }
        black_box(h.finalize());
    };

    // Full encoder: wire bytes out (data copied into the output buffer), fed 64 KiB at a time.
    let mut wire_len = 0usize;
    let mut encode = || {
        let plan =
            ChunkedPlan::new(PayloadMode::StreamingSigned, TOTAL as u64, CHUNK).expect("plan");
        let signer = ChunkedSigner::new(PayloadMode::StreamingSigned, chain()).expect("signer");
        let mut enc = ChunkedEncoder::new(plan, signer).expect("encoder");
        let mut out = Vec::with_capacity(CHUNK + 256);
        let mut n = 0;
        for piece in body.chunks(CHUNK) {
            enc.write_into(piece, &mut out).expect("write");
            n += out.len();
            black_box(&out);
            out.clear();
        }
        enc.finish_into(&[], &mut out).expect("finish");
        n += out.len();
        wire_len = n;
    };

    // Headers only: the signing work, with the data written by the caller (writev / sendfile).
    let mut headers_only = || {
        let mut signer = ChunkedSigner::new(PayloadMode::StreamingSigned, chain()).expect("signer");
        let mut out = Vec::with_capacity(256);
        for piece in body.chunks(CHUNK) {
            signer.write_chunk_header(piece, &mut out).expect("header");
            black_box(&out);
            out.clear();
        }
        signer.write_finish(&[], &mut out).expect("finish");
    };

    // Decoder (server side): verify and hand out the data.
    let wire = {
        let plan =
            ChunkedPlan::new(PayloadMode::StreamingSigned, TOTAL as u64, CHUNK).expect("plan");
        let signer = ChunkedSigner::new(PayloadMode::StreamingSigned, chain()).expect("signer");
        ChunkedEncoder::new(plan, signer)
            .expect("encoder")
            .encode_all(&body, &[])
            .expect("encode")
    };
    let mut decode = || {
        let mut d = ChunkedDecoder::signed(chain(), TOTAL as u64).expect("decoder");
        let mut out = Vec::with_capacity(CHUNK);
        for piece in wire.chunks(CHUNK) {
            d.feed(piece, &mut out).expect("feed");
            black_box(&out);
            out.clear();
        }
        d.finish().expect("finish");
    };

    let times = interleaved(
        runs,
        &mut [&mut sha, &mut encode, &mut headers_only, &mut decode],
    );
    let (sha, encode, headers_only, decode) = (times[0], times[1], times[2], times[3]);
    assert_eq!(wire.len(), wire_len);
    println!("aws-chunked, 64 MiB body in 64 KiB chunks (median of {runs} runs)");
    println!();
    println!("| operation | time | MiB/s | x SHA-256 |");
    println!("|---|---:|---:|---:|");
    let row = |name: &str, d: Duration| {
        println!(
            "| {name} | {:.1} ms | {:.0} | {:.3} |",
            d.as_secs_f64() * 1000.0,
            mib_s(d),
            sha.as_secs_f64() / d.as_secs_f64()
        );
    };
    row("SHA-256 of the body (sha2, reference)", sha);
    row("ChunkedEncoder: wire bytes out (data copied)", encode);
    row(
        "ChunkedSigner: chunk headers only (zero-copy)",
        headers_only,
    );
    row("ChunkedDecoder: verify and hand out data", decode);
    println!();
    println!("target: chunked signing >= 0.95 x SHA-256 throughput");
}
