//! The aws-chunked decoder on arbitrary bytes, fed in arbitrary pieces, in each payload form: a
//! clear error or the decoded data, never a panic; the data handed out never exceeds the bytes fed
//! nor the declared length, and memory stays bounded by the decoder's limits (libFuzzer's
//! -rss_limit_mb / -malloc_limit_mb catch an allocation driven by a size field).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigv4::{ChunkedDecoder, PayloadMode, SignatureChain, SigningKey};

const DATE: &str = "20130524T000000Z";
const SCOPE: &str = "20130524/us-east-1/s3/aws4_request";
const SEED: &str = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
/// The trailer the two trailer forms declare (`x-amz-trailer`).
const TRAILER: &str = "x-amz-checksum-crc32";

// Input: one byte (payload form = b % 3; piece size = b / 3, 0 for all at once), the declared
// decoded length (u32, little-endian), then the wire bytes. Raw bytes, so the seeds
// (fuzz/seeds.py) are real wires: the S3 documentation's example chain and its tamperings.
fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let mode = [
        PayloadMode::StreamingSigned,
        PayloadMode::StreamingSignedTrailer,
        PayloadMode::StreamingUnsignedTrailer,
    ][usize::from(data[0] % 3)];
    let piece = usize::from(data[0] / 3);
    let declared = u64::from(u32::from_le_bytes(data[1..5].try_into().unwrap()));
    let wire = &data[5..];
    let key = SigningKey::derive(
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "20130524",
        "us-east-1",
        "s3",
    );
    let chain = SignatureChain::new(key, DATE, SCOPE, SEED).expect("chain");
    let trailers: &[&str] = if mode == PayloadMode::StreamingSigned {
        &[]
    } else {
        &[TRAILER]
    };
    let mut decoder = ChunkedDecoder::new(mode, Some(chain), declared, trailers).expect("decoder");
    let mut out = Vec::new();
    let mut fed = 0usize;
    let size = if piece == 0 { wire.len().max(1) } else { piece };
    for chunk in wire.chunks(size) {
        fed += chunk.len();
        if decoder.feed(chunk, &mut out).is_err() {
            // A failed decoder stays failed.
            assert!(decoder.feed(b"0\r\n\r\n", &mut out).is_err());
            assert!(decoder.finish().is_err());
            return;
        }
        assert!(out.len() <= fed, "more data out than wire bytes in");
        assert!(out.len() as u64 <= declared, "more data than declared");
        assert_eq!(decoder.decoded_bytes(), out.len() as u64);
    }
    if decoder.finish().is_ok() {
        assert_eq!(
            out.len() as u64,
            declared,
            "finished short of the declared length"
        );
    }
});
