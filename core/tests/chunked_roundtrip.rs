//! Signer -> decoder round trips (seeded random sizes and trailers), and every kind of tampering,
//! reordering and truncation rejected.

use sigv4::{
    ChunkedDecoder, ChunkedEncoder, ChunkedPlan, ChunkedSigner, ErrorKind, PayloadMode,
    SignatureChain, SigningKey,
};

const DATE: &str = "20130524T000000Z";
const SCOPE: &str = "20130524/us-east-1/s3/aws4_request";
const SEED: &str = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn key() -> SigningKey {
    SigningKey::derive(
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "20130524",
        "us-east-1",
        "s3",
    )
}

fn chain() -> SignatureChain {
    SignatureChain::new(key(), DATE, SCOPE, SEED).unwrap()
}

fn encode(
    mode: PayloadMode,
    body: &[u8],
    chunk: usize,
    trailers: &[(&str, &str)],
) -> (Vec<u8>, u64) {
    let mut plan = ChunkedPlan::new(mode, body.len() as u64, chunk).unwrap();
    for (name, value) in trailers {
        plan = plan.with_trailer_len(name, value.len()).unwrap();
    }
    let length = plan.content_length();
    let signer = if mode == PayloadMode::StreamingUnsignedTrailer {
        ChunkedSigner::unsigned()
    } else {
        ChunkedSigner::new(mode, chain()).unwrap()
    };
    let wire = ChunkedEncoder::new(plan, signer)
        .unwrap()
        .encode_all(body, trailers)
        .unwrap();
    (wire, length)
}

fn decoder(mode: PayloadMode, len: u64, trailers: &[&str]) -> ChunkedDecoder {
    let chain = (mode != PayloadMode::StreamingUnsignedTrailer).then(chain);
    ChunkedDecoder::new(mode, chain, len, trailers).unwrap()
}

type Decoded = (Vec<u8>, Vec<(String, String)>);

/// Feeds `wire` in random pieces; returns the data handed out or the error.
fn decode(
    mode: PayloadMode,
    len: u64,
    trailers: &[&str],
    wire: &[u8],
    rng: &mut Rng,
) -> Result<Decoded, ErrorKind> {
    let mut d = decoder(mode, len, trailers);
    let mut out = Vec::new();
    let mut rest = wire;
    while !rest.is_empty() {
        let n = (1 + rng.below(9000) as usize).min(rest.len());
        d.feed(&rest[..n], &mut out).map_err(|e| e.kind())?;
        rest = &rest[n..];
    }
    let t = d.finish().map_err(|e| e.kind())?.to_vec();
    Ok((out, t))
}

const MODES: [PayloadMode; 3] = [
    PayloadMode::StreamingSigned,
    PayloadMode::StreamingSignedTrailer,
    PayloadMode::StreamingUnsignedTrailer,
];

#[test]
fn round_trips_with_random_sizes_and_trailers() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for round in 0..60 {
        let mode = MODES[round % 3];
        let len = rng.below(200_000) as usize;
        let chunk = 1 + rng.below(70_000) as usize;
        let body: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let crc = format!("{:08}", rng.below(100_000_000));
        let trailers: Vec<(&str, &str)> = if mode == PayloadMode::StreamingSigned {
            vec![]
        } else if round % 2 == 0 {
            vec![("x-amz-checksum-crc32", &crc), ("x-amz-meta-note", "hello")]
        } else {
            vec![]
        };
        let (wire, planned) = encode(mode, &body, chunk, &trailers);
        assert_eq!(
            wire.len() as u64,
            planned,
            "Content-Length plan, round {round}"
        );
        let names: Vec<&str> = trailers.iter().map(|(n, _)| *n).collect();
        let (data, got) = decode(mode, len as u64, &names, &wire, &mut rng).unwrap();
        assert_eq!(data, body, "round {round}");
        let expected: Vec<(String, String)> = trailers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(got, expected);
    }
}

#[test]
fn every_flipped_byte_of_a_signed_body_is_rejected() {
    let mut rng = Rng(42);
    let body: Vec<u8> = (0..3000).map(|_| rng.next() as u8).collect();
    let trailers = [("x-amz-checksum-crc32", "AAAAAA==")];
    for mode in [
        PayloadMode::StreamingSigned,
        PayloadMode::StreamingSignedTrailer,
    ] {
        let t: &[(&str, &str)] = if mode == PayloadMode::StreamingSigned {
            &[]
        } else {
            &trailers
        };
        let names: Vec<&str> = t.iter().map(|(n, _)| *n).collect();
        let (wire, _) = encode(mode, &body, 1000, t);
        for i in 0..wire.len() {
            let mut bad = wire.clone();
            bad[i] ^= 0x01;
            let mut d = decoder(mode, body.len() as u64, &names);
            let mut out = Vec::new();
            let fed = d.feed(&bad, &mut out);
            let accepted = fed.is_ok() && d.finish().is_ok();
            assert!(!accepted, "{mode:?}: flipping byte {i} was accepted");
            // Nothing from the altered chunk onward was handed out as verified.
            assert!(body.starts_with(&out));
        }
    }
}

#[test]
fn reordered_chunks_are_rejected() {
    let body: Vec<u8> = (0..4000u32).map(|i| i as u8).collect();
    let (wire, _) = encode(PayloadMode::StreamingSigned, &body, 1000, &[]);
    // Each 1000-byte chunk's frame has the same length; swap the second and third frames.
    let header = wire.iter().position(|&b| b == b'\n').unwrap() + 1;
    let one = header + 1000 + 2;
    let mut swapped = wire[..one].to_vec();
    swapped.extend_from_slice(&wire[2 * one..3 * one]);
    swapped.extend_from_slice(&wire[one..2 * one]);
    swapped.extend_from_slice(&wire[3 * one..]);
    assert_eq!(swapped.len(), wire.len());
    let mut d = decoder(PayloadMode::StreamingSigned, 4000, &[]);
    let mut out = Vec::new();
    let err = d.feed(&swapped, &mut out).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidChunk);
    assert_eq!(
        out,
        &body[..1000],
        "only the first (verified) chunk came out"
    );
}

#[test]
fn truncation_at_every_point_is_rejected() {
    let body = vec![7u8; 2500];
    for mode in MODES {
        let t: &[(&str, &str)] = if mode == PayloadMode::StreamingSigned {
            &[]
        } else {
            &[("x-amz-checksum-crc32", "AAAAAA==")]
        };
        let names: Vec<&str> = t.iter().map(|(n, _)| *n).collect();
        let (wire, _) = encode(mode, &body, 1000, t);
        for cut in 0..wire.len() {
            let mut d = decoder(mode, 2500, &names);
            let mut out = Vec::new();
            let ok = d.feed(&wire[..cut], &mut out).is_ok() && d.finish().is_ok();
            assert!(!ok, "{mode:?}: truncation at {cut} accepted");
        }
    }
}

#[test]
fn length_mismatches_limits_and_undeclared_trailers_are_rejected() {
    let body = vec![1u8; 100];
    let (wire, _) = encode(PayloadMode::StreamingSigned, &body, 64, &[]);
    for declared in [99u64, 101, 0] {
        let mut d = decoder(PayloadMode::StreamingSigned, declared, &[]);
        let mut out = Vec::new();
        let ok = d.feed(&wire, &mut out).is_ok() && d.finish().is_ok();
        assert!(!ok, "declared {declared} accepted");
    }
    // Undeclared trailer.
    let (wire, _) = encode(
        PayloadMode::StreamingUnsignedTrailer,
        &body,
        64,
        &[("x-amz-checksum-crc32", "AAAAAA==")],
    );
    let mut d = decoder(PayloadMode::StreamingUnsignedTrailer, 100, &[]);
    assert!(d.feed(&wire, &mut Vec::new()).is_err());
    // Declared but missing.
    let (wire, _) = encode(PayloadMode::StreamingUnsignedTrailer, &body, 64, &[]);
    let mut d = decoder(
        PayloadMode::StreamingUnsignedTrailer,
        100,
        &["x-amz-checksum-crc32"],
    );
    assert!(d.feed(&wire, &mut Vec::new()).is_err());
    // A chunk header longer than 4 KiB, and a chunk over 16 MiB.
    let mut d = decoder(PayloadMode::StreamingUnsignedTrailer, 100, &[]);
    assert!(d.feed(&vec![b'0'; 5000], &mut Vec::new()).is_err());
    let mut d = decoder(PayloadMode::StreamingUnsignedTrailer, u64::MAX, &[]);
    assert!(d.feed(b"1000001\r\n", &mut Vec::new()).is_err());
    // Bytes after the end.
    let mut extra = encode(PayloadMode::StreamingSigned, &body, 64, &[]).0;
    extra.push(b'x');
    let mut d = decoder(PayloadMode::StreamingSigned, 100, &[]);
    assert!(d.feed(&extra, &mut Vec::new()).is_err());
    // A chunk signed with another key.
    let other = SigningKey::derive("other", "20130524", "us-east-1", "s3");
    let signer = ChunkedSigner::new(
        PayloadMode::StreamingSigned,
        SignatureChain::new(other, DATE, SCOPE, SEED).unwrap(),
    )
    .unwrap();
    let plan = ChunkedPlan::new(PayloadMode::StreamingSigned, 100, 64).unwrap();
    let wire = ChunkedEncoder::new(plan, signer)
        .unwrap()
        .encode_all(&body, &[])
        .unwrap();
    let mut d = decoder(PayloadMode::StreamingSigned, 100, &[]);
    let mut out = Vec::new();
    assert!(d.feed(&wire, &mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn encoder_enforces_the_plan() {
    let plan = ChunkedPlan::new(PayloadMode::StreamingSignedTrailer, 10, 4)
        .unwrap()
        .with_trailer("x-amz-checksum-crc32")
        .unwrap();
    let mut e = ChunkedEncoder::new(
        plan.clone(),
        ChunkedSigner::new(PayloadMode::StreamingSignedTrailer, chain()).unwrap(),
    )
    .unwrap();
    assert!(e.write(&[0; 11]).is_err(), "longer than planned");
    e.write(&[0; 9]).unwrap();
    assert!(
        e.finish(&[("x-amz-checksum-crc32", "AAAAAA==")]).is_err(),
        "shorter"
    );
    e.write(&[0; 1]).unwrap();
    assert!(
        e.finish(&[("x-amz-checksum-crc32", "AAAA")]).is_err(),
        "wrong length"
    );
    assert!(e.finish(&[("x-other", "AAAAAA==")]).is_err(), "undeclared");
    assert!(e.finish(&[]).is_err(), "missing");
    e.finish(&[("x-amz-checksum-crc32", "AAAAAA==")]).unwrap();
    assert!(e.write(b"x").is_err(), "after the end");
    // The chain never prints a key.
    assert!(!format!("{:?}", chain()).contains("wJalr"));
}

#[test]
fn sigv4a_chunked_round_trip() {
    use sigv4::{EcdsaKey, SigningAlgorithm};
    use std::sync::Arc;
    let key = Arc::new(
        EcdsaKey::derive("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap(),
    );
    let scope = "20130524/s3/aws4_request";
    let seed = "3045022100f7866e35aa214de4541aa33326aa9b5e9a409b72c9185c7a2e2d246ebb5a25a80220642e809f3d016fb3674364776c2ffadf7e7f8da94c36538a4715fa9425b52ed8";
    let body = vec![3u8; 5000];
    let plan = ChunkedPlan::new(PayloadMode::StreamingSignedTrailer, 5000, 2048)
        .unwrap()
        .with_algorithm(SigningAlgorithm::Sigv4a)
        .with_trailer("x-amz-checksum-crc32")
        .unwrap();
    let planned = plan.content_length();
    let chain = SignatureChain::new_sigv4a(Arc::clone(&key), DATE, scope, seed).unwrap();
    let signer = ChunkedSigner::new(PayloadMode::StreamingSignedTrailer, chain).unwrap();
    let trailers = [("x-amz-checksum-crc32", "AAAAAA==")];
    let wire = ChunkedEncoder::new(plan, signer)
        .unwrap()
        .encode_all(&body, &trailers)
        .unwrap();
    assert_eq!(
        wire.len() as u64,
        planned,
        "signatures padded to 144 characters"
    );
    let verify =
        || SignatureChain::new_sigv4a_verifier(key.public_key(), DATE, scope, seed).unwrap();
    let mut d = ChunkedDecoder::new(
        PayloadMode::StreamingSignedTrailer,
        Some(verify()),
        5000,
        &["x-amz-checksum-crc32"],
    )
    .unwrap();
    let mut out = Vec::new();
    d.feed(&wire, &mut out).unwrap();
    d.finish().unwrap();
    assert_eq!(out, body);
    let mut bad = wire.clone();
    bad[3000] ^= 1;
    let mut d = ChunkedDecoder::new(
        PayloadMode::StreamingSignedTrailer,
        Some(verify()),
        5000,
        &["x-amz-checksum-crc32"],
    )
    .unwrap();
    assert!(d.feed(&bad, &mut Vec::new()).is_err() || d.finish().is_err());
}
