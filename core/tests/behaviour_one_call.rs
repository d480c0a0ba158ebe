//! tests/behaviour/one_call.json (expected values from botocore): the core's one-call signing.

use serde_json::Value;
use sigv4::{sign_v4, OneCall, SigningTime};

fn text(v: &Value) -> &str {
    v.as_str().expect("a string")
}

fn pairs(v: &Value) -> Vec<(&str, &str)> {
    v.as_array()
        .expect("pairs")
        .iter()
        .map(|p| (text(&p[0]), text(&p[1])))
        .collect()
}

#[test]
fn one_call_signs_as_botocore_for_every_service() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/behaviour/one_call.json"
    ))
    .expect("tests/behaviour/one_call.json");
    let table: Value = serde_json::from_str(&json).expect("valid JSON");
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() >= 5);
    for case in cases {
        let name = text(&case["name"]);
        let p = &case["params"];
        let want = &case["expected"];
        let query = pairs(&p["query_params"]);
        let headers = pairs(&p["headers"]);
        let signed = sign_v4(&OneCall {
            access_key: text(&p["access_key"]),
            secret_key: text(&p["secret_key"]),
            session_token: p.get("session_token").map(text),
            region: text(&p["region"]),
            service: text(&p["service"]),
            method: text(&p["method"]),
            uri: text(&p["uri"]),
            query_params: &query,
            headers: &headers,
            payload: text(&p["payload"]).as_bytes(),
            time: SigningTime::parse(text(&p["timestamp"])).unwrap(),
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            signed.canonical_request(),
            text(&want["canonical_request"]),
            "{name}"
        );
        assert_eq!(
            signed.string_to_sign(),
            text(&want["string_to_sign"]),
            "{name}"
        );
        assert_eq!(signed.signature(), text(&want["signature"]), "{name}");
        assert_eq!(signed.amz_date(), text(&want["timestamp"]), "{name}");
        assert_eq!(
            signed.authorization(),
            Some(text(&want["authorization"])),
            "{name}"
        );
        let sent = signed.headers().to_vec();
        for (header, value) in want["added_headers"].as_object().expect("added_headers") {
            let got = sent
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(header))
                .map(|(_, v)| v.as_str());
            assert_eq!(got, Some(text(value)), "{name}: header {header}");
        }
    }
}
