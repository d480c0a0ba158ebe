//! The core's error → HTTP status table and error bodies against tests/behaviour/errors.json,
//! the data file every binding's test runner reads too (one behaviour, every language).

use sigv4::{error_answer, ErrorFormat, ErrorKind, Mismatch};

fn table() -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/behaviour/errors.json"
    ))
    .expect("tests/behaviour/errors.json");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    doc["codes"].as_object().expect("codes object").clone()
}

#[test]
fn every_code_has_the_status_of_the_data_file() {
    let codes = table();
    assert_eq!(codes.len(), ErrorKind::all().len(), "one row per ErrorKind");
    for kind in ErrorKind::all() {
        let row = &codes[kind.code()];
        assert_eq!(
            u64::from(kind.http_status()),
            row["status"].as_u64().unwrap(),
            "{}",
            kind.code()
        );
        assert_eq!(ErrorKind::from_code(kind.code()), Some(*kind));
    }
    assert_eq!(ErrorKind::from_code("NoSuchCode"), None);
}

#[test]
fn json_body_is_api_gateway_shaped_and_escaped() {
    let a = error_answer(
        ErrorKind::SignatureDoesNotMatch,
        "bad \"sig\"\n\u{1}",
        None,
        ErrorFormat::Json,
    );
    assert_eq!(a.status, 403);
    assert_eq!(a.content_type, "application/json");
    let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!(v["__type"], "SignatureDoesNotMatch");
    assert_eq!(v["message"], "bad \"sig\"\n\u{1}");
    assert!(v.get("canonicalRequest").is_none());
}

#[test]
fn explained_bodies_carry_what_the_server_computed() {
    let m = Mismatch {
        canonical_request: "GET\n/a&b\n\nhost:x<y>\n\nhost\nUNSIGNED-PAYLOAD".into(),
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\nscope\nabc".into(),
    };
    let j = error_answer(
        ErrorKind::SignatureDoesNotMatch,
        "m",
        Some(&m),
        ErrorFormat::Json,
    );
    let v: serde_json::Value = serde_json::from_str(&j.body).unwrap();
    assert_eq!(v["canonicalRequest"], m.canonical_request.as_str());
    assert_eq!(v["stringToSign"], m.string_to_sign.as_str());

    let x = error_answer(
        ErrorKind::SignatureDoesNotMatch,
        "it's <bad>",
        Some(&m),
        ErrorFormat::Xml,
    );
    assert_eq!(x.content_type, "application/xml");
    // S3's element names and order (Code, Message, StringToSign, CanonicalRequest).
    assert_eq!(
        x.body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code>\
         <Message>it&apos;s &lt;bad&gt;</Message>\
         <StringToSign>AWS4-HMAC-SHA256\n20150830T123600Z\nscope\nabc</StringToSign>\
         <CanonicalRequest>GET\n/a&amp;b\n\nhost:x&lt;y&gt;\n\nhost\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>"
    );
}

#[test]
fn malformed_chunks_answer_400_everywhere() {
    let a = error_answer(ErrorKind::InvalidChunk, "m", None, ErrorFormat::Xml);
    assert_eq!(a.status, 400);
    assert_eq!(
        a.body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidChunk</Code><Message>m</Message></Error>"
    );
}
