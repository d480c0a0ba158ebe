//! aws-chunked encoder → decoder round trip: arbitrary body, chunk size, payload form and
//! trailers (checksum names and arbitrary ones), wire fed to the decoder in arbitrary pieces: the
//! decoder gives back exactly the body and the trailers. Then one changed wire byte: in the signed
//! forms the decoder must refuse, or give back the same data and trailers (a change without
//! meaning, like the letter case of a hex chunk size); the unsigned form only must not panic.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4::{
    ChunkedDecoder, ChunkedEncoder, ChunkedPlan, ChunkedSigner, PayloadMode, SignatureChain,
    SigningKey,
};

const DATE: &str = "20130524T000000Z";
const SCOPE: &str = "20130524/us-east-1/s3/aws4_request";
const SEED: &str = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
const CHECKSUMS: &[&str] = &[
    "x-amz-checksum-crc32",
    "x-amz-checksum-crc32c",
    "x-amz-checksum-sha1",
    "x-amz-checksum-sha256",
    "x-amz-checksum-crc64nvme",
    "x-amz-meta-trailer",
];

#[derive(Arbitrary, Debug)]
struct Case {
    mode: u8,
    chunk: u16,
    body: Vec<u8>,
    trailers: Vec<(Option<u8>, String, String)>,
    cuts: Vec<u16>,
    flip: Option<(u16, u8)>,
}

fn chain() -> SignatureChain {
    let key = SigningKey::derive(
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "20130524",
        "us-east-1",
        "s3",
    );
    SignatureChain::new(key, DATE, SCOPE, SEED).expect("chain")
}

fn decode(
    mode: PayloadMode,
    len: u64,
    names: &[&str],
    wire: &[u8],
    cuts: &[u16],
) -> Result<(Vec<u8>, Vec<(String, String)>), sigv4::Error> {
    let chain = (mode != PayloadMode::StreamingUnsignedTrailer).then(chain);
    let mut decoder = ChunkedDecoder::new(mode, chain, len, names)?;
    let mut out = Vec::new();
    let mut rest = wire;
    let mut cuts = cuts.iter();
    while !rest.is_empty() {
        let n = cuts
            .next()
            .map_or(rest.len(), |c| usize::from(*c) % rest.len() + 1);
        let (piece, tail) = rest.split_at(n);
        decoder.feed(piece, &mut out)?;
        rest = tail;
    }
    let trailers = decoder.finish()?.to_vec();
    Ok((out, trailers))
}

/// AWS's Trimall: spaces and tabs around dropped, runs inside turned into one space (what the
/// trailer signature covers, and so what the decoder hands out).
fn trimall(v: &str) -> String {
    v.split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fuzz_target!(|case: Case| {
    let mode = [
        PayloadMode::StreamingSigned,
        PayloadMode::StreamingSignedTrailer,
        PayloadMode::StreamingUnsignedTrailer,
    ][usize::from(case.mode % 3)];
    let trailers: Vec<(String, String)> = if mode == PayloadMode::StreamingSigned {
        Vec::new()
    } else {
        case.trailers
            .iter()
            .take(4)
            .map(|(k, other, v)| match k {
                Some(i) => (
                    CHECKSUMS[usize::from(*i) % CHECKSUMS.len()].to_owned(),
                    v.clone(),
                ),
                None => (other.clone(), v.clone()),
            })
            .collect()
    };
    let chunk = usize::from(case.chunk) + 1;
    let Ok(mut plan) = ChunkedPlan::new(mode, case.body.len() as u64, chunk) else {
        return;
    };
    for (name, value) in &trailers {
        plan = match plan.with_trailer_len(name, value.len()) {
            Ok(p) => p,
            Err(_) => return,
        };
    }
    let length = plan.content_length();
    let signer = if mode == PayloadMode::StreamingUnsignedTrailer {
        ChunkedSigner::unsigned()
    } else {
        ChunkedSigner::new(mode, chain()).expect("signer")
    };
    let pairs: Vec<(&str, &str)> = trailers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let encoder = ChunkedEncoder::new(plan, signer).expect("encoder");
    let Ok(wire) = encoder.encode_all(&case.body, &pairs) else {
        return; // a trailer value the encoder refuses (e.g. a CR or LF), with a clear error
    };
    assert_eq!(
        wire.len() as u64,
        length,
        "the plan's Content-Length differs from the wire"
    );
    let names: Vec<&str> = trailers.iter().map(|(n, _)| n.as_str()).collect();
    let (data, got) = decode(mode, case.body.len() as u64, &names, &wire, &case.cuts)
        .unwrap_or_else(|e| {
            panic!(
                "our own wire refused: {e}\n{:?}",
                String::from_utf8_lossy(&wire)
            )
        });
    assert_eq!(data, case.body);
    assert_eq!(got.len(), trailers.len());
    for ((gn, gv), (n, v)) in got.iter().zip(&trailers) {
        assert!(gn.eq_ignore_ascii_case(n.trim()), "{gn:?} vs {n:?}");
        assert_eq!(*gv, trimall(v), "trailer {n:?}");
    }
    if let Some((at, x)) = case.flip {
        if x == 0 || wire.is_empty() {
            return;
        }
        let mut bad = wire.clone();
        bad[usize::from(at) % wire.len()] ^= x;
        if let Ok((changed, changed_trailers)) =
            decode(mode, case.body.len() as u64, &names, &bad, &case.cuts)
        {
            // A changed byte that leaves the meaning alone (e.g. the letter case of a hex chunk
            // size) may pass; different data or trailers under a signature may not.
            if mode != PayloadMode::StreamingUnsignedTrailer {
                assert_eq!(changed, data, "a changed signed chunked body was accepted");
                assert_eq!(
                    changed_trailers, got,
                    "changed signed trailers were accepted"
                );
            }
        }
    }
});
