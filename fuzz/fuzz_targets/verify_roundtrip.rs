//! The verifier on structure-aware requests (method, path segments, query pairs, headers, body and
//! the signing options): whatever the signer signs, the matching verifier accepts; and one changed
//! letter or digit in a signed part (method, path, query, a signed header's value, a signed body)
//! makes it refuse.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4_fuzz::{headers_with_host, sign, tamper, ArbHeader, Options, Tamper};

const METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS"];

#[derive(Arbitrary, Debug)]
struct Case {
    options: Options,
    method: Option<u8>,
    other_method: String,
    segments: Vec<String>,
    query: Vec<(String, Option<String>)>,
    headers: Vec<ArbHeader>,
    body: Vec<u8>,
    tamper: Tamper,
}

fuzz_target!(|case: Case| {
    let method = match case.method {
        Some(i) => METHODS[usize::from(i) % METHODS.len()].to_owned(),
        None => case.other_method.clone(),
    };
    let mut url = format!("/{}", case.segments.join("/"));
    for (i, (name, value)) in case.query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(name);
        if let Some(v) = value {
            url.push('=');
            url.push_str(v);
        }
    }
    let headers = headers_with_host(&case.headers);
    let Some((signed, wire)) = sign(&case.options, &method, &url, &headers, &case.body) else {
        return;
    };
    let verifier = case.options.verifier();
    let now = case.options.now();
    let who = match wire.verify(&verifier, now) {
        Ok(who) => who,
        Err(e) if sigv4_fuzz::deliberate_refusal(&wire, &headers, &e) => return,
        Err(e) => panic!(
            "signed by us, refused by us: {e}\nwire: {wire:?}\nsigner's canonical request:\n{}\nverifier's:\n{}",
            signed.canonical_request(),
            e.mismatch().map_or("-", |m| m.canonical_request.as_str()),
        ),
    };
    if let Some(changed) = tamper(&wire, case.tamper, &who.signed_headers, &case.options) {
        if let Ok(who) = changed.verify(&verifier, now) {
            panic!(
                "one changed byte still verifies: {:?}\noriginal: {wire:?}\nchanged: {changed:?}\n{who:?}",
                case.tamper
            );
        }
    }
});
