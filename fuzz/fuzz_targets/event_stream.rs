//! Event-stream signing inputs: arbitrary bytes to the message decoder (a clear error, or headers
//! and a payload that encode back to the same bytes); arbitrary headers and payloads encoded then
//! decoded unchanged; and the signer over a sequence of arbitrary payloads and times (each envelope
//! decodes to `:date` and a 32-byte `:chunk-signature` carrying the returned signature, the chain
//! is deterministic, and a different payload gives a different signature).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4::{
    decode_message, encode_message, Credentials, EventStreamSigner, HeaderValue, SigningTime,
};

#[derive(Arbitrary, Debug)]
enum Value {
    Bool(bool),
    Byte(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Bytes(Vec<u8>),
    String(String),
    Timestamp(i64),
    Uuid([u8; 16]),
}

impl Value {
    fn into_header(self) -> HeaderValue {
        match self {
            Value::Bool(b) => HeaderValue::Bool(b),
            Value::Byte(b) => HeaderValue::Byte(b),
            Value::Int16(v) => HeaderValue::Int16(v),
            Value::Int32(v) => HeaderValue::Int32(v),
            Value::Int64(v) => HeaderValue::Int64(v),
            Value::Bytes(v) => HeaderValue::Bytes(v),
            Value::String(v) => HeaderValue::String(v),
            Value::Timestamp(v) => HeaderValue::Timestamp(v),
            Value::Uuid(v) => HeaderValue::Uuid(v),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Case {
    raw: Vec<u8>,
    headers: Vec<(String, Value)>,
    payload: Vec<u8>,
    seed: [u8; 32],
    events: Vec<(Vec<u8>, u32)>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fuzz_target!(|case: Case| {
    // The decoder on arbitrary bytes.
    if let Ok((headers, payload)) = decode_message(&case.raw) {
        let pairs: Vec<(&str, HeaderValue)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.clone()))
            .collect();
        let again = encode_message(&pairs, &payload).expect("a decoded message encodes");
        assert_eq!(again, case.raw, "decode → encode changed the message");
    }

    // Encode → decode.
    let headers: Vec<(String, HeaderValue)> = case
        .headers
        .into_iter()
        .map(|(n, v)| (n, v.into_header()))
        .collect();
    let pairs: Vec<(&str, HeaderValue)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.clone()))
        .collect();
    if let Ok(message) = encode_message(&pairs, &case.payload) {
        let (got, payload) = decode_message(&message).expect("an encoded message decodes");
        assert_eq!(got, headers);
        assert_eq!(payload, case.payload);
    }

    // The signer chain.
    let creds = || {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        )
        .unwrap()
    };
    let t0 = SigningTime::from_unix(sigv4_fuzz::T0).unwrap();
    let seed = hex(&case.seed);
    let mut a =
        EventStreamSigner::new(creds(), "us-east-1", "transcribe", t0, &seed).expect("signer");
    let mut b =
        EventStreamSigner::new(creds(), "us-east-1", "transcribe", t0, &seed).expect("signer");
    let mut first = None;
    for (payload, offset) in case.events.iter().take(8) {
        let Ok(time) = SigningTime::from_unix(sigv4_fuzz::T0 + i64::from(*offset)) else {
            return;
        };
        let one = a.sign(payload, time).expect("sign");
        let two = b.sign(payload, time).expect("sign");
        assert_eq!(one, two, "the same inputs signed twice differ");
        assert_eq!(one.signature.len(), 64);
        let (got, body) = decode_message(&one.message).expect("the envelope decodes");
        assert_eq!(body, *payload);
        let raw: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&one.signature[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        assert!(got.contains(&(":chunk-signature".to_owned(), HeaderValue::Bytes(raw))));
        let date = HeaderValue::Timestamp(time.unix() * 1000);
        assert!(got.contains(&(":date".to_owned(), date)));
        first.get_or_insert((payload.clone(), time, one.signature));
    }
    // The first message again from a fresh chain, with one more payload byte: another signature.
    if let Some((mut payload, time, signature)) = first {
        payload.push(0);
        let mut c = EventStreamSigner::new(creds(), "us-east-1", "transcribe", t0, &seed).unwrap();
        assert_ne!(c.sign(&payload, time).expect("sign").signature, signature);
    }
});
