//! Canonicalisation, sign → verify: arbitrary raw paths, queries and headers (any characters,
//! escapes, dot segments, repeated keys, empty values), in both URI-encoding modes, with and
//! without normalisation, in both forms (Authorization header, presigned URL). Whatever the signer
//! signs, the verifier configured the same way must accept: both sides build the canonical request
//! from the wire request, each with its own code path (signer: core/src/canonical.rs and
//! encode.rs; verifier: core/src/verify/canonical.rs).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4_fuzz::{sign, Options};

#[derive(Arbitrary, Debug)]
struct Case {
    options: Options,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
}

fuzz_target!(|case: Case| {
    let mut url = if case.path.starts_with('/') {
        case.path.clone()
    } else {
        format!("/{}", case.path)
    };
    if let Some(q) = &case.query {
        url.push('?');
        url.push_str(q);
    }
    let mut headers = vec![("Host".to_owned(), sigv4_fuzz::HOST.to_owned())];
    headers.extend(case.headers.iter().cloned());
    let Some((signed, wire)) = sign(&case.options, "GET", &url, &headers, b"") else {
        return;
    };
    let verifier = case.options.verifier();
    if let Err(e) = wire.verify(&verifier, case.options.now()) {
        if sigv4_fuzz::deliberate_refusal(&wire, &headers, &e) {
            return;
        }
        panic!(
            "signed by us, refused by us: {e}\nwire: {wire:?}\nsigner's canonical request:\n{}\nverifier's:\n{}",
            signed.canonical_request(),
            e.mismatch().map_or("-", |m| m.canonical_request.as_str()),
        );
    }
});
