//! `Verifier::verify_streaming`: the S3 documentation's chunked upload (built from the documented
//! values, not by our encoder) verifies and decodes; round trips signer -> verifier for every
//! streaming form, SigV4 and SigV4a; and the framing, payload and chunk failures with their codes.

use std::fs;
use std::path::Path;

use serde_json::Value;
use sigv4::{
    sign_streaming, Body, ChunkedPlan, Credentials, ErrorKind, PayloadMode, Request, Signer,
    SigningAlgorithm, SigningSettings, SigningTime, VerifiedStream, Verifier, VerifierSettings,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_440_938_160;
const URL: &str = "https://bucket.s3.amazonaws.com/key";

fn s3_doc() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/s3-examples.json");
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn pairs(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// The documented example as it goes on the wire: headers, and the body assembled from the
/// documented chunk sizes and signatures.
fn documented_upload(doc: &Value) -> (Vec<(String, String)>, Vec<u8>) {
    let ex = &doc["chunked_upload"];
    let mut headers: Vec<(String, String)> = vec![
        ("Host".into(), "s3.amazonaws.com".into()),
        ("x-amz-date".into(), "20130524T000000Z".into()),
        (
            "x-amz-content-sha256".into(),
            ex["x_amz_content_sha256"].as_str().unwrap().into(),
        ),
    ];
    for h in ex["headers"].as_array().unwrap() {
        headers.push((h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()));
    }
    let akid = doc["credentials"]["access_key_id"].as_str().unwrap();
    headers.push((
        "Authorization".into(),
        format!(
            "AWS4-HMAC-SHA256 Credential={akid}/20130524/us-east-1/s3/aws4_request,\
             SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;\
             x-amz-decoded-content-length;x-amz-storage-class,Signature={}",
            ex["seed_signature"].as_str().unwrap()
        ),
    ));
    let mut body = Vec::new();
    let sizes = ex["chunk_sizes"].as_array().unwrap();
    let sigs = ex["chunk_signatures"].as_array().unwrap();
    for (size, sig) in sizes.iter().zip(sigs) {
        let size = size.as_u64().unwrap() as usize;
        body.extend(format!("{size:x};chunk-signature={}\r\n", sig.as_str().unwrap()).bytes());
        if size > 0 {
            body.extend(std::iter::repeat(b'a').take(size));
            body.extend(b"\r\n");
        }
    }
    body.extend(b"\r\n");
    (headers, body)
}

fn doc_verifier(doc: &Value) -> Verifier {
    let c = &doc["credentials"];
    let creds = Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["secret_access_key"].as_str().unwrap(),
        None,
    )
    .unwrap();
    Verifier::new(
        creds,
        &["us-east-1"],
        "s3",
        VerifierSettings::for_service("s3"),
    )
    .unwrap()
}

/// Feeds `wire` in pieces of `piece` bytes; returns the data released and the first error.
fn decode(
    stream: &mut VerifiedStream,
    wire: &[u8],
    piece: usize,
) -> (Vec<u8>, Option<sigv4::Error>) {
    let mut out = Vec::new();
    for part in wire.chunks(piece.max(1)) {
        if let Err(e) = stream.decoder.feed(part, &mut out) {
            return (out, Some(e));
        }
    }
    (out, stream.decoder.finish().err())
}

#[test]
fn the_s3_documented_upload_verifies_and_decodes() {
    let doc = s3_doc();
    let (headers, body) = documented_upload(&doc);
    assert_eq!(
        body.len(),
        66824,
        "Content-Length of the documented example"
    );
    let v = doc_verifier(&doc);
    let now = SigningTime::parse("20130524T000500Z").unwrap();
    let header_pairs = pairs(&headers);
    let request = Request::new(
        "PUT",
        "https://s3.amazonaws.com/examplebucket/chunkObject.txt",
        &header_pairs,
        Body::Bytes(b""),
    )
    .unwrap();
    for piece in [1, 7, 1000, 65536, 1 << 20] {
        let mut stream = v.verify_streaming(&request, now).unwrap();
        assert_eq!(stream.payload, PayloadMode::StreamingSigned);
        assert_eq!(stream.decoded_length, 66560);
        assert_eq!(
            stream.identity.payload_hash,
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
        );
        assert!(stream.identity.payload_signed());
        let (out, err) = decode(&mut stream, &body, piece);
        assert!(err.is_none(), "piece {piece}: {err:?}");
        assert_eq!(out, vec![b'a'; 66560]);
        assert!(stream.decoder.is_done());
    }
    // The plain verify refuses it and says where to go.
    let e = v.verify(&request, now).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::XAmzContentSha256Mismatch);
    assert!(e.message().contains("verify_streaming"), "{}", e.message());
}

#[test]
fn a_tampered_documented_chunk_is_never_released() {
    let doc = s3_doc();
    let (headers, body) = documented_upload(&doc);
    let v = doc_verifier(&doc);
    let now = SigningTime::parse("20130524T000000Z").unwrap();
    let header_pairs = pairs(&headers);
    let request = Request::new(
        "PUT",
        "https://s3.amazonaws.com/examplebucket/chunkObject.txt",
        &header_pairs,
        Body::Bytes(b""),
    )
    .unwrap();
    // A byte of the first chunk's data, of the second's, a signature digit, a size digit.
    let second = body.len() - 1024 - 2 - 2 - 86 - 2;
    for (at, released) in [(200usize, 0usize), (second + 100, 65536), (90, 0), (0, 0)] {
        let mut wire = body.clone();
        wire[at] = if wire[at] == b'a' {
            b'b'
        } else if wire[at] == b'0' {
            b'1'
        } else {
            b'0'
        };
        let mut stream = v.verify_streaming(&request, now).unwrap();
        let (out, err) = decode(&mut stream, &wire, 4096);
        let err = err.unwrap_or_else(|| panic!("byte {at} changed still decodes"));
        assert_eq!(err.kind(), ErrorKind::InvalidChunk, "byte {at}");
        assert_eq!(
            out.len(),
            released,
            "byte {at}: data released before its check"
        );
    }
    // The seed signature changed: the headers fail, no decoder.
    let mut bad = headers.clone();
    let auth = &mut bad.last_mut().unwrap().1;
    *auth = auth.replace("Signature=4f23", "Signature=4f24");
    let bad_pairs = pairs(&bad);
    let request = Request::new(
        "PUT",
        "https://s3.amazonaws.com/examplebucket/chunkObject.txt",
        &bad_pairs,
        Body::Bytes(b""),
    )
    .unwrap();
    assert_eq!(
        v.verify_streaming(&request, now).unwrap_err().kind(),
        ErrorKind::SignatureDoesNotMatch
    );
}

fn signer(algorithm: SigningAlgorithm) -> Signer {
    let mut settings = SigningSettings::for_service("s3");
    settings.algorithm = algorithm;
    Signer::with_settings(
        Credentials::new(AKID, SECRET, None).unwrap(),
        "us-east-1",
        "s3",
        settings,
    )
    .unwrap()
}

fn verifier(allow_unsigned: bool) -> Verifier {
    let mut settings = VerifierSettings::for_service("s3");
    settings.allow_sigv4a = true;
    settings.allow_unsigned_payload = allow_unsigned;
    Verifier::new(
        Credentials::new(AKID, SECRET, None).unwrap(),
        &["us-east-1"],
        "s3",
        settings,
    )
    .unwrap()
}

/// Signs an upload of `data` and returns the headers to send and the wire body.
fn upload(
    algorithm: SigningAlgorithm,
    mode: PayloadMode,
    data: &[u8],
    chunk: usize,
    extra: &[(&str, &str)],
) -> (Vec<(String, String)>, Vec<u8>) {
    let mut plan = ChunkedPlan::new(mode, data.len() as u64, chunk)
        .unwrap()
        .with_algorithm(algorithm);
    let trailers: Vec<(&str, &str)> = if mode == PayloadMode::StreamingSigned {
        Vec::new()
    } else {
        plan = plan.with_trailer("x-amz-checksum-crc32").unwrap();
        vec![("x-amz-checksum-crc32", "AAAAAA==")]
    };
    let mut headers = vec![("Content-Type", "application/octet-stream")];
    headers.extend_from_slice(extra);
    let request = Request::new("PUT", URL, &headers, Body::Bytes(b"")).unwrap();
    let mut up = sign_streaming(
        &signer(algorithm),
        &request,
        SigningTime::from_unix(T0).unwrap(),
        plan,
    )
    .unwrap();
    let mut wire = up.encoder.write(data).unwrap();
    wire.extend(up.encoder.finish(&trailers).unwrap());
    (up.request.headers().to_vec(), wire)
}

fn stream(v: &Verifier, headers: &[(String, String)]) -> Result<VerifiedStream, sigv4::Error> {
    v.verify_streaming_http(
        "PUT",
        URL,
        &pairs(headers),
        SigningTime::from_unix(T0 + 5).unwrap(),
    )
}

#[test]
fn round_trips_in_every_form_and_algorithm() {
    let data: Vec<u8> = (0..70_001u32).map(|i| (i * 7 + i / 251) as u8).collect();
    let v = verifier(true);
    for algorithm in [SigningAlgorithm::Sigv4, SigningAlgorithm::Sigv4a] {
        for mode in [
            PayloadMode::StreamingSigned,
            PayloadMode::StreamingSignedTrailer,
            PayloadMode::StreamingUnsignedTrailer,
        ] {
            let (headers, wire) = upload(
                algorithm,
                mode,
                &data,
                8192,
                &[("Content-Encoding", "gzip")],
            );
            let mut s =
                stream(&v, &headers).unwrap_or_else(|e| panic!("{algorithm:?} {mode:?}: {e}"));
            assert_eq!(s.payload, mode);
            assert_eq!(s.identity.algorithm, algorithm);
            assert_eq!(s.content_encoding, "gzip");
            assert_eq!(
                s.identity.payload_signed(),
                mode != PayloadMode::StreamingUnsignedTrailer
            );
            let (out, err) = decode(&mut s, &wire, 3000);
            assert!(err.is_none(), "{algorithm:?} {mode:?}: {err:?}");
            assert_eq!(out, data, "{algorithm:?} {mode:?}");
            if mode != PayloadMode::StreamingSigned {
                assert_eq!(s.trailers, ["x-amz-checksum-crc32"]);
                assert_eq!(
                    s.decoder.finish().unwrap(),
                    [("x-amz-checksum-crc32".to_owned(), "AAAAAA==".to_owned())]
                );
            }
            // Any chunk byte changed (signed forms), two chunks swapped, or a truncation fails.
            if mode != PayloadMode::StreamingUnsignedTrailer {
                let sig_len = if algorithm == SigningAlgorithm::Sigv4 {
                    64
                } else {
                    144
                };
                let header_len = 4 + 17 + sig_len + 2;
                let first_data = header_len + 10;
                let mut tampered = wire.clone();
                tampered[first_data] ^= 1;
                let mut s = stream(&v, &headers).unwrap();
                let (out, err) = decode(&mut s, &tampered, 3000);
                assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::InvalidChunk));
                assert!(out.is_empty());
                let chunk_wire = header_len + 8192 + 2;
                let mut swapped = wire.clone();
                swapped[..chunk_wire].copy_from_slice(&wire[chunk_wire..2 * chunk_wire]);
                swapped[chunk_wire..2 * chunk_wire].copy_from_slice(&wire[..chunk_wire]);
                let mut s = stream(&v, &headers).unwrap();
                let (out, err) = decode(&mut s, &swapped, 3000);
                assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::InvalidChunk));
                assert!(out.is_empty());
            }
            let mut s = stream(&v, &headers).unwrap();
            let (_, err) = decode(&mut s, &wire[..wire.len() - 3], 3000);
            assert_eq!(
                err.map(|e| e.kind()),
                Some(ErrorKind::InvalidChunk),
                "truncated"
            );
        }
    }
}

/// Headers signed by the plain signer with a streaming payload literal, for framing headers that
/// `sign_streaming` would always add: `extra` is exactly what is sent besides Host and the auth.
fn signed_with(
    extra: &[(&str, &str)],
    mode: PayloadMode,
    content_sha: bool,
) -> Vec<(String, String)> {
    let mut settings = SigningSettings::for_service("s3");
    settings.payload = Some(mode);
    if !content_sha {
        settings.content_sha256_header = sigv4::ContentSha256Header::Omit;
    }
    let signer = Signer::with_settings(
        Credentials::new(AKID, SECRET, None).unwrap(),
        "us-east-1",
        "s3",
        settings,
    )
    .unwrap();
    let request = Request::new("PUT", URL, extra, Body::Bytes(b"")).unwrap();
    signer
        .sign(&request, SigningTime::from_unix(T0).unwrap())
        .unwrap()
        .headers()
        .to_vec()
}

fn without(headers: &[(String, String)], name: &str) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
        .cloned()
        .collect()
}

fn with(headers: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let mut out = without(headers, name);
    out.push((name.to_owned(), value.to_owned()));
    out
}

/// (name, verifier, headers, expected code).
type Case<'a> = (&'a str, &'a Verifier, Vec<(String, String)>, &'a str);

fn code(r: Result<VerifiedStream, sigv4::Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => e.code().into(),
    }
}

#[test]
fn framing_and_payload_failures_have_their_codes() {
    let v = verifier(true);
    let strict = verifier(false);
    let data = vec![7u8; 20_000];
    let (signed, _) = upload(
        SigningAlgorithm::Sigv4,
        PayloadMode::StreamingSigned,
        &data,
        8192,
        &[],
    );
    let (trailer, _) = upload(
        SigningAlgorithm::Sigv4,
        PayloadMode::StreamingSignedTrailer,
        &data,
        8192,
        &[],
    );
    let (unsigned, _) = upload(
        SigningAlgorithm::Sigv4,
        PayloadMode::StreamingUnsignedTrailer,
        &data,
        8192,
        &[],
    );
    let (v4a, _) = upload(
        SigningAlgorithm::Sigv4a,
        PayloadMode::StreamingSigned,
        &data,
        8192,
        &[],
    );
    let ce = ("Content-Encoding", "aws-chunked");
    let dl = ("x-amz-decoded-content-length", "5");
    let sv4 = PayloadMode::StreamingSigned;
    let auth = signed
        .iter()
        .find(|(n, _)| n == "Authorization")
        .unwrap()
        .1
        .clone();
    let wrong_seed = format!(
        "{}{}",
        &auth[..auth.len() - 1],
        if auth.ends_with('0') { '1' } else { '0' }
    );
    let mut length_twice = signed.clone();
    length_twice.push(("x-amz-decoded-content-length".into(), "20000".into()));
    let cases: Vec<Case> = vec![
        ("signed", &v, signed.clone(), "ok"),
        (
            "a signed Content-Encoding removed",
            &v,
            without(&signed, "content-encoding"),
            "AuthorizationHeaderMalformed",
        ),
        (
            "no Content-Encoding",
            &v,
            signed_with(&[dl], sv4, true),
            "InvalidChunk",
        ),
        (
            "Content-Encoding identity",
            &v,
            signed_with(&[("Content-Encoding", "identity"), dl], sv4, true),
            "InvalidChunk",
        ),
        (
            "Content-Encoding gzip, AWS-CHUNKED",
            &v,
            signed_with(&[("Content-Encoding", "gzip, AWS-CHUNKED"), dl], sv4, true),
            "ok",
        ),
        (
            "no x-amz-decoded-content-length",
            &v,
            signed_with(&[ce], sv4, true),
            "InvalidChunk",
        ),
        (
            "x-amz-decoded-content-length +5",
            &v,
            signed_with(&[ce, ("x-amz-decoded-content-length", "+5")], sv4, true),
            "InvalidChunk",
        ),
        (
            "x-amz-decoded-content-length 05",
            &v,
            signed_with(&[ce, ("x-amz-decoded-content-length", "05")], sv4, true),
            "InvalidChunk",
        ),
        (
            "x-amz-decoded-content-length 5.0",
            &v,
            signed_with(&[ce, ("x-amz-decoded-content-length", "5.0")], sv4, true),
            "InvalidChunk",
        ),
        (
            "x-amz-decoded-content-length twice",
            &v,
            length_twice,
            "InvalidChunk",
        ),
        (
            "a signed x-amz-decoded-content-length removed",
            &v,
            without(&signed, "x-amz-decoded-content-length"),
            "AuthorizationHeaderMalformed",
        ),
        (
            "x-amz-decoded-content-length changed",
            &v,
            with(&signed, "x-amz-decoded-content-length", "20001"),
            "SignatureDoesNotMatch",
        ),
        (
            "x-amz-trailer without a trailer form",
            &v,
            signed_with(
                &[ce, dl, ("x-amz-trailer", "x-amz-checksum-crc32")],
                sv4,
                true,
            ),
            "InvalidChunk",
        ),
        (
            "an unsigned x-amz-trailer added",
            &v,
            with(&signed, "x-amz-trailer", "x-amz-checksum-crc32"),
            "UnsignedHeader",
        ),
        (
            "x-amz-trailer declaring a name twice",
            &v,
            with(
                &trailer,
                "x-amz-trailer",
                "x-amz-checksum-crc32,X-Amz-Checksum-CRC32",
            ),
            "InvalidChunk",
        ),
        (
            "x-amz-trailer naming the trailer signature",
            &v,
            with(&trailer, "x-amz-trailer", "x-amz-trailer-signature"),
            "InvalidHeaderName",
        ),
        ("trailer form", &v, trailer.clone(), "ok"),
        ("unsigned trailer allowed", &v, unsigned.clone(), "ok"),
        (
            "unsigned trailer refused when unsigned payloads are off",
            &strict,
            unsigned.clone(),
            "XAmzContentSHA256Mismatch",
        ),
        (
            "a hex payload hash",
            &v,
            with(&signed, "x-amz-content-sha256", &"0".repeat(64)),
            "XAmzContentSHA256Mismatch",
        ),
        (
            "UNSIGNED-PAYLOAD",
            &v,
            with(&signed, "x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
            "XAmzContentSHA256Mismatch",
        ),
        (
            "no x-amz-content-sha256",
            &v,
            signed_with(&[ce, dl], sv4, false),
            "XAmzContentSHA256Mismatch",
        ),
        (
            "a signed x-amz-content-sha256 removed",
            &v,
            without(&signed, "x-amz-content-sha256"),
            "AuthorizationHeaderMalformed",
        ),
        (
            "SigV4a literal with a SigV4 signature",
            &v,
            with(
                &signed,
                "x-amz-content-sha256",
                "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
            ),
            "XAmzContentSHA256Mismatch",
        ),
        ("SigV4a upload", &v, v4a.clone(), "ok"),
        (
            "SigV4 literal with a SigV4a signature",
            &v,
            with(
                &v4a,
                "x-amz-content-sha256",
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            ),
            "XAmzContentSHA256Mismatch",
        ),
        (
            "seed signature changed",
            &v,
            with(&signed, "Authorization", &wrong_seed),
            "SignatureDoesNotMatch",
        ),
        (
            "no Authorization",
            &v,
            without(&signed, "authorization"),
            "MissingAuthenticationToken",
        ),
    ];
    let mut failures = Vec::new();
    for (name, verifier, headers, want) in &cases {
        let got = code(stream(verifier, headers));
        if got != *want {
            failures.push(format!("{name}: expected {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A presigned URL cannot stream; a body given to verify_streaming is refused.
    let q = "https://example.amazonaws.com/?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5";
    let presign_v = Verifier::new(
        Credentials::new(AKID, SECRET, None).unwrap(),
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap();
    let r = presign_v.verify_streaming_http("GET", q, &[], SigningTime::from_unix(T0).unwrap());
    assert_eq!(code(r), "AuthorizationQueryParametersError");
    let signed_pairs = pairs(&signed);
    let request = Request::new("PUT", URL, &signed_pairs, Body::Bytes(b"x")).unwrap();
    let e = v
        .verify_streaming(&request, SigningTime::from_unix(T0).unwrap())
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.argument()),
        (ErrorKind::InvalidOption, Some("body"))
    );
}

#[test]
fn replayed_streaming_headers_are_refused() {
    let mut settings = VerifierSettings::for_service("s3");
    settings.replay_cache_capacity = Some(16);
    let v = Verifier::new(
        Credentials::new(AKID, SECRET, None).unwrap(),
        &["us-east-1"],
        "s3",
        settings,
    )
    .unwrap();
    let (headers, _) = upload(
        SigningAlgorithm::Sigv4,
        PayloadMode::StreamingSigned,
        &[1, 2, 3],
        8192,
        &[],
    );
    stream(&v, &headers).unwrap();
    assert_eq!(code(stream(&v, &headers)), "RequestReplayed");
}

#[test]
fn a_short_or_long_body_is_refused_against_the_decoded_length() {
    let v = verifier(true);
    let data = vec![9u8; 10_000];
    let (headers, _) = upload(
        SigningAlgorithm::Sigv4,
        PayloadMode::StreamingSigned,
        &data,
        8192,
        &[],
    );
    // The body of another upload (9 999 or 10 001 bytes, its own chain) is refused.
    for len in [9_999usize, 10_001] {
        let (other, wire) = upload(
            SigningAlgorithm::Sigv4,
            PayloadMode::StreamingSigned,
            &vec![9u8; len],
            8192,
            &[],
        );
        assert_ne!(other, headers);
        let mut s = stream(&v, &headers).unwrap();
        let (_, err) = decode(&mut s, &wire, 1000);
        assert_eq!(
            err.map(|e| e.kind()),
            Some(ErrorKind::InvalidChunk),
            "{len}"
        );
    }
}
