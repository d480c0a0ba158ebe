//! Event-stream framing and signing.
//!
//! Expected values: the string to sign from smithy-rs `aws-sigv4` (`event_stream.rs`, test
//! `string_to_sign`): message `test payload` with header `some-header: "value"`, region us-east-1,
//! service testservice, time 123456789 s, previous signature sha256("last message sts"). Its last
//! two lines are the SHA-256 of the encoded `:date` header and of the encoded message, so they pin
//! our framing (prelude, CRC32s, header encoding) to an independent implementation.

use sigv4::{
    decode_message, encode_message, sha256_hex, Credentials, EventStreamSigner, HeaderValue,
    SigningKey, SigningTime,
};

const SMITHY_STS: &str = "AWS4-HMAC-SHA256-PAYLOAD\n\
19731129T213309Z\n\
19731129/us-east-1/testservice/aws4_request\n\
be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n\
0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n\
f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6";

fn signer(seed: &str) -> EventStreamSigner {
    let creds = Credentials::new("ANOTREAL", "notrealrnrELgWzOk3IfjzDKtFBhDby", None).unwrap();
    let time = SigningTime::from_unix(123_456_789).unwrap();
    EventStreamSigner::new(creds, "us-east-1", "testservice", time, seed).unwrap()
}

#[test]
fn string_to_sign_matches_smithy_rs() {
    let message = encode_message(
        &[("some-header", HeaderValue::String("value".into()))],
        b"test payload",
    )
    .unwrap();
    let seed = sha256_hex(b"last message sts");
    let mut s = signer(&seed);
    let time = SigningTime::from_unix(123_456_789).unwrap();
    let signed = s.sign(&message, time).unwrap();
    assert_eq!(signed.string_to_sign, SMITHY_STS);

    // The signature is HMAC(kSigning, string to sign), chained into the next message.
    let key = SigningKey::derive(
        "notrealrnrELgWzOk3IfjzDKtFBhDby",
        "19731129",
        "us-east-1",
        "testservice",
    );
    assert_eq!(
        signed.signature,
        sigv4::hex(&key.sign(SMITHY_STS.as_bytes()))
    );
    assert_eq!(s.previous_signature(), signed.signature);

    // The envelope: :chunk-signature (32 raw bytes) and :date (ms), the message as payload.
    let (headers, payload) = decode_message(&signed.message).unwrap();
    assert_eq!(payload, message);
    assert_eq!(headers[0].0, ":chunk-signature");
    assert_eq!(
        headers[0].1,
        HeaderValue::Bytes(
            (0..32)
                .map(|i| u8::from_str_radix(&signed.signature[2 * i..2 * i + 2], 16).unwrap())
                .collect()
        )
    );
    assert_eq!(
        headers[1],
        (":date".to_owned(), HeaderValue::Timestamp(123_456_789_000))
    );

    // The next message (and the empty end frame) chain on this signature.
    let end = s.sign(b"", time).unwrap();
    assert!(end
        .string_to_sign
        .contains(&format!("\n{}\n", signed.signature)));
    assert!(end.string_to_sign.ends_with(sigv4::EMPTY_SHA256));
}

#[test]
fn framing_round_trips_and_crcs_are_checked() {
    let headers = [
        (":message-type", HeaderValue::String("event".into())),
        ("flag", HeaderValue::Bool(true)),
        ("off", HeaderValue::Bool(false)),
        ("b", HeaderValue::Byte(-3)),
        ("s", HeaderValue::Int16(-300)),
        ("i", HeaderValue::Int32(70_000)),
        ("l", HeaderValue::Int64(-5_000_000_000)),
        ("bytes", HeaderValue::Bytes(vec![0, 1, 2])),
        ("t", HeaderValue::Timestamp(1_700_000_000_123)),
        ("u", HeaderValue::Uuid([9; 16])),
    ];
    let msg = encode_message(&headers, b"{\"a\":1}").unwrap();
    let (got, payload) = decode_message(&msg).unwrap();
    assert_eq!(payload, b"{\"a\":1}");
    let expected: Vec<(String, HeaderValue)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.clone()))
        .collect();
    assert_eq!(got, expected);
    for i in 0..msg.len() {
        let mut bad = msg.clone();
        bad[i] ^= 0x10;
        assert!(decode_message(&bad).is_err(), "flip at {i} accepted");
    }
    // The smallest message: no headers, no payload (the `empty_message` frame of the event-stream
    // encoding test data in aws-c-event-stream / the SDKs).
    let empty = encode_message(&[], b"").unwrap();
    assert_eq!(sigv4::hex(&empty), "000000100000000005c248eb7d98c8ff");
}

#[test]
fn bad_seed_is_an_error_and_debug_hides_the_secret() {
    let creds = Credentials::new("AKID", "SECRETSECRET", None).unwrap();
    let time = SigningTime::from_unix(0).unwrap();
    let err = EventStreamSigner::new(creds.clone(), "us-east-1", "transcribe", time, "nothex")
        .unwrap_err();
    assert_eq!(err.argument(), Some("seed_signature"));
    let s =
        EventStreamSigner::new(creds, "us-east-1", "transcribe", time, &"0".repeat(64)).unwrap();
    assert!(!format!("{s:?}").contains("SECRETSECRET"));
}
