//! The aws-chunked decoder on arbitrary bytes, fed in arbitrary pieces, in each payload form: a
//! clear error or the decoded data, never a panic; the data handed out never exceeds the bytes fed
//! nor the declared length, and memory stays bounded by the decoder's limits (libFuzzer's
//! -rss_limit_mb / -malloc_limit_mb catch an allocation driven by a size field).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4::{ChunkedDecoder, PayloadMode, SignatureChain, SigningKey};

const DATE: &str = "20130524T000000Z";
const SCOPE: &str = "20130524/us-east-1/s3/aws4_request";
const SEED: &str = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

#[derive(Arbitrary, Debug)]
struct Case {
    mode: u8,
    declared: u16,
    trailers: Vec<String>,
    cuts: Vec<u16>,
    wire: Vec<u8>,
}

fuzz_target!(|case: Case| {
    let mode = [
        PayloadMode::StreamingSigned,
        PayloadMode::StreamingSignedTrailer,
        PayloadMode::StreamingUnsignedTrailer,
    ][usize::from(case.mode % 3)];
    let key = SigningKey::derive(
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "20130524",
        "us-east-1",
        "s3",
    );
    let chain = SignatureChain::new(key, DATE, SCOPE, SEED).expect("chain");
    let declared = u64::from(case.declared);
    let names: Vec<&str> = case.trailers.iter().map(String::as_str).collect();
    let Ok(mut decoder) = ChunkedDecoder::new(mode, Some(chain), declared, &names) else {
        return;
    };
    let mut out = Vec::new();
    let mut rest = &case.wire[..];
    let mut fed = 0usize;
    let mut cuts = case.cuts.iter();
    while !rest.is_empty() {
        let n = cuts
            .next()
            .map_or(rest.len(), |c| usize::from(*c) % rest.len() + 1);
        let (piece, tail) = rest.split_at(n);
        rest = tail;
        fed += piece.len();
        if decoder.feed(piece, &mut out).is_err() {
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
