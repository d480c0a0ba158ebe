//! aws-chunked signing against the S3 documentation's worked example (tests/vectors/s3-examples.json).

use std::fs;
use std::path::Path;

use serde_json::Value;
use sigv4::{
    sign_streaming, Body, ChunkedDecoder, ChunkedPlan, Credentials, PayloadMode, Request,
    SignatureChain, Signer, SigningTime,
};

fn example() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/s3-examples.json");
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn signer(doc: &Value) -> Signer {
    let c = &doc["credentials"];
    let creds = Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["secret_access_key"].as_str().unwrap(),
        None,
    )
    .unwrap();
    Signer::new(
        creds,
        doc["region"].as_str().unwrap(),
        doc["service"].as_str().unwrap(),
    )
    .unwrap()
}

/// Splits the wire body into (size, signature) per chunk header.
fn chunk_headers(wire: &[u8]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut rest = wire;
    loop {
        let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let line = std::str::from_utf8(&rest[..end]).unwrap();
        let (size, sig) = line.split_once(";chunk-signature=").unwrap();
        let size = usize::from_str_radix(size, 16).unwrap();
        out.push((size, sig.to_owned()));
        rest = &rest[end + 2..];
        if size == 0 {
            assert_eq!(rest, b"\r\n", "the body ends with an empty line");
            return out;
        }
        assert_eq!(&rest[size..size + 2], b"\r\n");
        rest = &rest[size + 2..];
    }
}

#[test]
fn s3_chunked_upload_example() {
    let doc = example();
    let ex = &doc["chunked_upload"];
    let signer = signer(&doc);
    let time = SigningTime::parse(doc["timestamp"].as_str().unwrap()).unwrap();
    let sizes: Vec<usize> = ex["chunk_sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let decoded: usize = sizes.iter().sum();
    let plan = ChunkedPlan::new(PayloadMode::StreamingSigned, decoded as u64, sizes[0]).unwrap();
    // The caller gives only its own header; the plan adds the aws-chunked ones.
    let headers = [("x-amz-storage-class", "REDUCED_REDUNDANCY")];
    let request = Request::new(
        ex["method"].as_str().unwrap(),
        ex["url"].as_str().unwrap(),
        &headers,
        Body::Bytes(b""),
    )
    .unwrap();
    let mut upload = sign_streaming(&signer, &request, time, plan).unwrap();
    assert_eq!(
        upload.seed_signature(),
        ex["seed_signature"].as_str().unwrap()
    );
    let sent: Vec<(String, String)> = upload.request.headers().to_vec();
    for pair in ex["headers"].as_array().unwrap() {
        let (name, value) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        assert!(
            sent.iter()
                .any(|(n, v)| n.eq_ignore_ascii_case(name) && v == value),
            "header {name}: {value} missing from {sent:?}"
        );
    }
    assert_eq!(
        upload.request.payload_hash(),
        ex["x_amz_content_sha256"].as_str().unwrap()
    );
    assert_eq!(upload.encoder.plan().content_length(), 66824);

    // Feed the body in odd pieces: the encoder cuts it at 64 KiB regardless.
    let body = vec![b'a'; decoded];
    let mut wire = Vec::new();
    for piece in body.chunks(10_000) {
        wire.extend(upload.encoder.write(piece).unwrap());
    }
    wire.extend(upload.encoder.finish(&[]).unwrap());
    assert_eq!(wire.len(), 66824);
    let got = chunk_headers(&wire);
    let expected: Vec<(usize, String)> = sizes
        .iter()
        .zip(ex["chunk_signatures"].as_array().unwrap())
        .map(|(s, sig)| (*s, sig.as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(got, expected);

    // The decoder, seeded like a verifier would be, accepts it and returns the body.
    let key = signer.key_cache().signing_key(
        signer.credentials(),
        time,
        signer.region(),
        signer.service(),
    );
    let chain = SignatureChain::new(
        key,
        upload.request.amz_date(),
        upload.request.credential_scope(),
        upload.seed_signature(),
    )
    .unwrap();
    let mut decoder = ChunkedDecoder::signed(chain, decoded as u64).unwrap();
    let mut out = Vec::new();
    decoder.feed(&wire, &mut out).unwrap();
    decoder.finish().unwrap();
    assert_eq!(out, body);
}
