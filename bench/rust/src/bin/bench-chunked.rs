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
/// all of them alike), and returns every operation's times, round by round.
fn interleaved(runs: usize, ops: &mut [&mut dyn FnMut()]) -> Vec<Vec<Duration>> {
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
}

fn median<T: PartialOrd + Copy>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

fn mib_s(d: Duration) -> f64 {
    TOTAL as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
}

fn main() {
    let body: Vec<u8> = (0..TOTAL).map(|i| (i * 31 + 7) as u8).collect();
    let runs = 15;

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

    // Full encoder, vectored: chunk headers from the encoder, the data as slices of the body
    // (what a sender with writev or a list of buffers does): hashed, never copied.
    let mut vectored_len = 0usize;
    let mut encode_vectored = || {
        let plan =
            ChunkedPlan::new(PayloadMode::StreamingSigned, TOTAL as u64, CHUNK).expect("plan");
        let signer = ChunkedSigner::new(PayloadMode::StreamingSigned, chain()).expect("signer");
        let mut enc = ChunkedEncoder::new(plan, signer).expect("encoder");
        let mut n = 0;
        for piece in body.chunks(CHUNK) {
            enc.write_each(piece, |bytes| {
                n += bytes.len();
                black_box(bytes);
            })
            .expect("write");
        }
        let mut out = Vec::with_capacity(256);
        enc.finish_into(&[], &mut out).expect("finish");
        n += out.len();
        vectored_len = n;
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

    // For comparison, the former ChunkedSigner::write_chunk: hash the whole chunk, then copy it.
    let mut hash_then_copy = || {
        let mut signer = ChunkedSigner::new(PayloadMode::StreamingSigned, chain()).expect("signer");
        let mut out = Vec::with_capacity(CHUNK + 256);
        for piece in body.chunks(CHUNK) {
            signer.write_chunk_header(piece, &mut out).expect("header");
            out.extend_from_slice(piece);
            out.extend_from_slice(b"\r\n");
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
        &mut [
            &mut sha,
            &mut encode,
            &mut encode_vectored,
            &mut headers_only,
            &mut hash_then_copy,
            &mut decode,
        ],
    );
    // Throughput relative to SHA-256: the median of the per-round ratios (each round's SHA-256
    // run next to the others, so a load change between rounds cancels out).
    let ratios: Vec<f64> = times
        .iter()
        .map(|op| {
            median(
                op.iter()
                    .zip(&times[0])
                    .map(|(t, sha)| sha.as_secs_f64() / t.as_secs_f64())
                    .collect(),
            )
        })
        .collect();
    let medians: Vec<Duration> = times.iter().map(|t| median(t.clone())).collect();
    assert_eq!(wire.len(), wire_len);
    assert_eq!(wire.len(), vectored_len);
    println!("aws-chunked, 64 MiB body in 64 KiB chunks (median of {runs} interleaved rounds; x SHA-256 = median of the per-round ratios)");
    println!();
    println!("| operation | time | MiB/s | x SHA-256 | target >= 0.95 |");
    println!("|---|---:|---:|---:|---|");
    let row = |name: &str, i: usize, target: bool| {
        let (d, ratio) = (medians[i], ratios[i]);
        let met = match (target, ratio >= 0.95) {
            (false, _) => "",
            (true, true) => "yes",
            (true, false) => "NO",
        };
        println!(
            "| {name} | {:.1} ms | {:.0} | {ratio:.3} | {met} |",
            d.as_secs_f64() * 1000.0,
            mib_s(d),
        );
    };
    row("SHA-256 of the body (sha2, reference)", 0, false);
    row(
        "ChunkedEncoder::write_into: wire bytes out (data copied, hashed while copying)",
        1,
        true,
    );
    row(
        "ChunkedEncoder::write_each: vectored (headers + data slices, no copy)",
        2,
        true,
    );
    row(
        "ChunkedSigner::write_chunk_header: chunk headers only",
        3,
        false,
    );
    row(
        "for comparison: whole chunk hashed, then copied (the former write_chunk)",
        4,
        false,
    );
    row("ChunkedDecoder: verify and hand out data", 5, false);
    println!();
    println!("target: chunked signing >= 0.95 x SHA-256 throughput (measured in the same run)");
}
