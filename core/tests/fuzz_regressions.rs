//! Minimised regressions for what `fuzz/` (cargo-fuzz) found: each test is the smallest input of a
//! finding, written before its fix. The fuzz target that found it is named on each test.

use sigv4::{
    ChunkedDecoder, ChunkedEncoder, ChunkedPlan, ChunkedSigner, PayloadMode, SignatureChain,
    SigningKey,
};

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
    SignatureChain::new(key, DATE, SCOPE, SEED).unwrap()
}

fn decode_trailers(mode: PayloadMode, wire: &[u8], name: &str) -> Vec<(String, String)> {
    let chain = (mode != PayloadMode::StreamingUnsignedTrailer).then(chain);
    let mut decoder = ChunkedDecoder::new(mode, chain, 1, &[name]).unwrap();
    let mut out = Vec::new();
    decoder.feed(wire, &mut out).unwrap();
    assert_eq!(out, b"x");
    decoder.finish().unwrap().to_vec()
}

/// fuzz/chunked_roundtrip: a trailer value with spaces or tabs around it. The trailer signature
/// covers the trimmed value (`name:trimmed-value\n`), so two wires that differ only there carry
/// the same signature; the decoder must hand out the value that was signed, not the raw bytes
/// (a checksum compared against " AAAAAA==\t" would fail, and the caller could not tell which
/// spelling was signed).
#[test]
fn trailer_values_come_out_as_signed() {
    let name = "x-amz-checksum-crc32";
    for mode in [
        PayloadMode::StreamingSignedTrailer,
        PayloadMode::StreamingUnsignedTrailer,
    ] {
        let plan = ChunkedPlan::new(mode, 1, 8192)
            .unwrap()
            .with_trailer(name)
            .unwrap();
        let signer = if mode == PayloadMode::StreamingUnsignedTrailer {
            ChunkedSigner::unsigned()
        } else {
            ChunkedSigner::new(mode, chain()).unwrap()
        };
        let wire = ChunkedEncoder::new(plan, signer)
            .unwrap()
            .encode_all(b"x", &[(name, "AAAAAA==")])
            .unwrap();
        let plain = format!("{name}:AAAAAA==\r\n");
        let text = String::from_utf8(wire.clone()).unwrap();
        assert!(text.contains(&plain), "{text:?}");
        for spaced in [" AAAAAA==", "AAAAAA==\t", "\t AAAAAA==  "] {
            let changed = text.replace(&plain, &format!("{name}:{spaced}\r\n"));
            let got = decode_trailers(mode, changed.as_bytes(), name);
            assert_eq!(
                got,
                [(name.to_owned(), "AAAAAA==".to_owned())],
                "{mode:?} {spaced:?}"
            );
        }
        let got = decode_trailers(mode, &wire, name);
        assert_eq!(got, [(name.to_owned(), "AAAAAA==".to_owned())]);
    }
}

/// fuzz/canonical_roundtrip: presigning a URL whose query ends with `?` (`/??`: one parameter
/// named `?`). The signer signed `%3F=&X-Amz-Algorithm=...` but wrote `/??X-Amz-Algorithm=...`
/// (no `&`, since the URL ended with `?`), so the URL sent carried a parameter `?X-Amz-Algorithm`
/// and no algorithm: refused by every verifier.
#[test]
fn presigning_after_a_query_ending_in_a_question_mark() {
    use sigv4::{Body, Credentials, Request, Signer, SigningTime, Verifier, VerifierSettings};
    let creds = || {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        )
    };
    let signer = Signer::new(creds().unwrap(), "us-east-1", "service").unwrap();
    let settings = VerifierSettings::for_service("service");
    let verifier = Verifier::new(creds().unwrap(), &["us-east-1"], "service", settings).unwrap();
    let time = SigningTime::from_unix(1_440_938_160).unwrap();
    let host = [("Host", "example.amazonaws.com")];
    for url in ["/??", "/?a?", "/?a=?", "/?&?"] {
        let request = Request::new("GET", url, &host, Body::Bytes(b"")).unwrap();
        let signed = signer.presign(&request, time, 60).unwrap();
        let query = signed.url().split_once('?').unwrap().1;
        assert!(
            query
                .split('&')
                .any(|p| p == "X-Amz-Algorithm=AWS4-HMAC-SHA256"),
            "{url}: {}",
            signed.url()
        );
        let sent = Request::new("GET", signed.url(), &host, Body::Bytes(b"")).unwrap();
        verifier
            .verify(&sent, time)
            .unwrap_or_else(|e| panic!("{url}: {} refused: {e}", signed.url()));
    }
}

/// fuzz/verify_roundtrip: an ordinary query parameter (header signing) whose name is at least 10
/// bytes long and percent-decodes to bytes that are not UTF-8 (`C//^s%e5599c`, or a Latin-1 name
/// such as `caf%E9-latin1`). The verifier's search for the `X-Amz-*` parameters decoded every
/// such name and refused the request (`AuthorizationQueryParametersError`, "decodes to bytes that
/// are not UTF-8") although the name cannot be an authentication parameter.
#[test]
fn query_names_that_are_not_utf8_do_not_stop_verification() {
    use sigv4::{Body, Credentials, Request, Signer, SigningTime, Verifier, VerifierSettings};
    let creds = || {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        )
    };
    let signer = Signer::new(creds().unwrap(), "us-east-1", "service").unwrap();
    let settings = VerifierSettings::for_service("service");
    let verifier = Verifier::new(creds().unwrap(), &["us-east-1"], "service", settings).unwrap();
    let time = SigningTime::from_unix(1_440_938_160).unwrap();
    for url in [
        "/?C//^s%e5599c=&",
        "/?caf%E9-latin1=1",
        "/?a=1&%FF%FE%FD%FC%FB%FA%F9%F8",
    ] {
        for presign in [false, true] {
            let host = [("Host", "example.amazonaws.com")];
            let request = Request::new("GET", url, &host, Body::Bytes(b"")).unwrap();
            let signed = if presign {
                signer.presign(&request, time, 60).unwrap()
            } else {
                signer.sign(&request, time).unwrap()
            };
            let headers = signed.headers().to_vec();
            let pairs: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let sent = Request::new("GET", signed.url(), &pairs, Body::Bytes(b"")).unwrap();
            verifier
                .verify(&sent, time)
                .unwrap_or_else(|e| panic!("{url} (presigned: {presign}) refused: {e}"));
        }
    }
}
