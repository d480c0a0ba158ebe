//! Differential test: the core against the `aws-sigv4` crate (the AWS SDK for Rust's signer) on
//! generated hostile requests — header and presigned forms, S3 and non-S3, `COUNT` per pair (2,000;
//! `SIGV4_DIFF_COUNT` changes it, `make fuzz-diff` runs 100,000), seed printed (`SIGV4_DIFF_SEED`
//! replays one).
//!
//! Inputs are wire URLs (aws-sigv4 takes nothing else): every printable ASCII character in path
//! segments, query keys and values (raw where a URL allows it, else escaped in either letter case),
//! escaped unreserved characters, UTF-8 escapes, dot segments and `//`, `+`, repeated and empty keys
//! and values, keys without `=`; header values with runs of spaces and tabs, the same name in
//! different letter case; upper-case hosts; session tokens; signed, unsigned and precomputed
//! payloads. Both sides get botocore's unsigned-header list.
//!
//! Where aws-sigv4 departs from AWS's documented rules (or from botocore, aws4, smithy and aws-c-auth
//! where the SDKs disagree), the case is in a class of tests/differential/allowlist.json for peer
//! `aws-sigv4` (asserted) and aws-sigv4 is given the documented equivalent: the S3 path encoded once,
//! trailing dot segments removed, the host lower-cased, tabs in header values as spaces,
//! `X-Amz-Content-SHA256` for unsigned payloads. Query escapes of bytes that are not UTF-8 have no
//! equivalent aws-sigv4 can sign: those cases are counted, not compared.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

use sigv4::{
    Body, Credentials, PayloadMode, Request, Signer, SigningSettings, SigningTime,
    DEFAULT_UNSIGNED_HEADERS,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLE+tok/en==";
const T0: u64 = 1_709_251_199; // 20240229T235959Z
const ALLOWLIST: &str = include_str!("../../tests/differential/allowlist.json");

/// splitmix64: small, seedable, good enough to pick inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
struct Case {
    s3: bool,
    presign: bool,
    method: &'static str,
    host: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    token: bool,
    payload: &'static str, // signed | unsigned | precomputed
}

const UNICODE: &[&str] = &["é", "日本", "😀", "ß"];

fn escape(rng: &mut Rng, byte: u8) -> String {
    if rng.chance(50) {
        format!("%{byte:02X}")
    } else {
        format!("%{byte:02x}")
    }
}

/// One decoded character put in a URL component: raw where the component allows it, else escaped.
fn wire_char(rng: &mut Rng, c: char, raw_ok: &str, out: &mut String) {
    let unreserved = c.is_ascii_alphanumeric() || "-._~".contains(c);
    let raw = if unreserved {
        !rng.chance(5)
    } else {
        c.is_ascii() && raw_ok.contains(c) && rng.chance(60)
    };
    if raw {
        out.push(c);
    } else {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            out.push_str(&escape(rng, b));
        }
    }
}

fn component(rng: &mut Rng, max: usize, raw_ok: &str) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(max + 1) {
        if rng.chance(12) {
            for c in rng.pick(UNICODE).chars() {
                wire_char(rng, c, raw_ok, &mut out);
            }
        } else {
            let c = char::from(0x20 + rng.below(0x5f) as u8);
            wire_char(rng, c, raw_ok, &mut out);
        }
    }
    out
}

fn gen_case(rng: &mut Rng, s3: bool, presign: bool) -> Case {
    let mut path = String::new();
    for _ in 0..rng.below(6) {
        path.push('/');
        match rng.below(10) {
            0 => path.push('.'),
            1 => path.push_str(".."),
            2 => {}
            _ => path.push_str(&component(rng, 5, "!$&'()*+,;=:@")),
        }
    }
    if path.is_empty() || rng.chance(15) {
        path.push('/');
    }
    let mut query = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for _ in 0..rng.below(5) {
        let key = if !keys.is_empty() && rng.chance(20) {
            keys[rng.below(keys.len())].clone()
        } else {
            component(rng, 3, "!$'()*,;:@/?")
        };
        keys.push(key.clone());
        let mut value = component(rng, 4, "!$'()*,;:@/?=");
        if rng.chance(15) {
            value.push('+');
        }
        if rng.chance(5) {
            value.push_str("%FF"); // not UTF-8 once decoded
        }
        if value.is_empty() && rng.chance(30) {
            query.push(key);
        } else {
            query.push(format!("{key}={value}"));
        }
    }
    const NAMES: &[&str] = &[
        "X-Custom",
        "x-custom",
        "X-CUSTOM",
        "X-Amz-Meta-Foo",
        "Content-Type",
        "My-Header",
        "x-a!#$%&'*+.^_`|~",
        "traceparent",
        "User-Agent",
        "Accept",
    ];
    const ATOMS: &[&str] = &[
        "a",
        "B c",
        "  d  ",
        "e   f",
        "\tg\t",
        "h \t i",
        "j,k",
        "=",
        ":",
        "\"q\"",
        "",
        " ",
        "text/plain; charset=utf-8",
    ];
    let mut headers = Vec::new();
    for _ in 0..rng.below(5) {
        let mut value = String::new();
        for _ in 0..rng.below(4) {
            value.push_str(rng.pick(ATOMS));
        }
        headers.push((rng.pick(NAMES).to_owned(), value));
    }
    let host = rng
        .pick(&[
            "api.example.com",
            "API.Example.COM",
            "h.example:8443",
            "127.0.0.1:9000",
        ])
        .to_owned();
    let body: Vec<u8> = if presign {
        Vec::new()
    } else {
        match rng.below(3) {
            0 => Vec::new(),
            1 => b"hello".to_vec(),
            _ => (0..=255u8).collect(),
        }
    };
    Case {
        s3,
        presign,
        method: rng.pick(&["GET", "PUT", "POST", "DELETE", "HEAD"]),
        host,
        path,
        query: query.join("&"),
        headers,
        body,
        token: rng.chance(40),
        payload: if presign {
            "signed"
        } else {
            rng.pick(&["signed", "signed", "unsigned", "precomputed"])
        },
    }
}

fn url(host: &str, path: &str, query: &str) -> String {
    if query.is_empty() {
        format!("https://{host}{path}")
    } else {
        format!("https://{host}{path}?{query}")
    }
}

fn sha256_hex(data: &[u8]) -> String {
    sigv4::sha256_hex(data)
}

fn ours(case: &Case) -> Option<(String, String)> {
    let token = case.token.then(|| TOKEN.to_owned());
    let service = if case.s3 { "s3" } else { "execute-api" };
    let mut settings = SigningSettings::for_service(service);
    if case.payload == "unsigned" {
        settings.payload = Some(PayloadMode::Unsigned);
    }
    let signer = Signer::with_settings(
        Credentials::new(AKID, SECRET, token).ok()?,
        "us-east-1",
        service,
        settings,
    )
    .ok()?;
    let pairs: Vec<(&str, &str)> = case
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let digest = sha256_hex(&case.body);
    let body = match case.payload {
        "precomputed" => Body::Precomputed(&digest),
        _ => Body::Bytes(&case.body),
    };
    let u = url(&case.host, &case.path, &case.query);
    let request = Request::new(case.method, &u, &pairs, body).ok()?;
    let time = SigningTime::from_unix(T0 as i64).ok()?;
    let signed = if case.presign {
        signer.presign(&request, time, 900)
    } else {
        signer.sign(&request, time)
    }
    .ok()?;
    Some((
        signed.signature().to_owned(),
        signed.canonical_request().to_owned(),
    ))
}

/// What aws-sigv4 is given: the case, rewritten into the documented equivalent for each
/// allowlisted class that applies (each recorded in `classes`).
fn theirs(case: &Case, classes: &mut Vec<&'static str>) -> Option<String> {
    use aws_sigv4::http_request::{
        sign, PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest,
        SignatureLocation, SigningSettings, UriPathNormalizationMode,
    };
    use aws_sigv4::sign::v4;
    let token = case.token.then(|| TOKEN.to_owned());
    let identity = aws_credential_types::Credentials::new(AKID, SECRET, token, None, "diff").into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(
        DEFAULT_UNSIGNED_HEADERS
            .iter()
            .map(|h| Cow::Borrowed(*h))
            .collect(),
    );
    let mut path = case.path.clone();
    if case.s3 {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        let documented = s3_documented_path(&path);
        if documented != path {
            classes.push("single-encoding-path-as-given");
            path = documented;
        }
    } else {
        let normalized = botocore_normalized(&path);
        if normalized.ends_with('/') != rfc3986_keeps_slash(&path) && !normalized.ends_with('/') {
            classes.push("dot-segment-trailing-slash");
            path = normalized;
        }
    }
    let host = case.host.to_ascii_lowercase();
    if host != case.host {
        classes.push("host-letter-case");
    }
    let headers: Vec<(String, String)> = case
        .headers
        .iter()
        .map(|(n, v)| (n.clone(), v.replace('\t', " ")))
        .collect();
    if headers != case.headers {
        classes.push("header-value-tab-kept");
    }
    let digest = sha256_hex(&case.body);
    let mut body = match case.payload {
        "unsigned" => {
            if !case.s3 {
                classes.push("unsigned-payload-header");
                settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
            }
            SignableBody::UnsignedPayload
        }
        "precomputed" => SignableBody::Precomputed(digest),
        _ => SignableBody::Bytes(&case.body),
    };
    if case.presign {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(900));
        settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
        if case.s3 {
            body = SignableBody::UnsignedPayload;
        }
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(if case.s3 { "s3" } else { "execute-api" })
        .time(UNIX_EPOCH + Duration::from_secs(T0))
        .settings(settings)
        .build()
        .ok()?
        .into();
    let u = url(&host, &path, &case.query);
    let request = SignableRequest::new(
        case.method,
        u.as_str(),
        headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        body,
    )
    .ok()?;
    let (_, signature) = sign(request, &params).ok()?.into_parts();
    Some(signature)
}

/// S3's canonical path, computed here independently: each byte outside the unreserved set and `/`
/// encoded once with upper-case hex, valid escapes decoded first.
fn s3_documented_path(path: &str) -> String {
    let b = path.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
        let (byte, step) = match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => ((h * 16 + l) as u8, 3),
            (c, _, _) => (c, 1),
        };
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || (byte == b'/' && step == 1) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
        i += step;
    }
    out
}

/// botocore.utils.remove_dot_segments, transcribed.
fn botocore_normalized(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for x in path.split('/') {
        if !x.is_empty() && x != "." {
            if x == ".." {
                out.pop();
            } else {
                out.push(x);
            }
        }
    }
    let last = if path.ends_with('/') && !out.is_empty() {
        "/"
    } else {
        ""
    };
    format!("/{}{last}", out.join("/"))
}

/// Whether RFC 3986's remove_dot_segments (aws-sigv4's rule) leaves a trailing slash.
fn rfc3986_keeps_slash(path: &str) -> bool {
    path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")
}

fn query_has_non_utf8_escape(query: &str) -> bool {
    let mut bytes = Vec::new();
    let b = query.as_bytes();
    let mut i = 0;
    let mut bad = false;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                bytes.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'&' | b'=', _, _) => {
                bad |= std::str::from_utf8(&bytes).is_err();
                bytes.clear();
            }
            (c, _, _) => bytes.push(c),
        }
        i += 1;
    }
    bad || std::str::from_utf8(&bytes).is_err()
}

fn allowlisted(class: &str) -> bool {
    let list: serde_json::Value = serde_json::from_str(ALLOWLIST).expect("allowlist.json parses");
    list.as_array()
        .expect("an array")
        .iter()
        .any(|e| e["class"].as_str() == Some(class) && e["peer"].as_str() == Some("aws-sigv4"))
}

#[test]
fn core_matches_aws_sigv4_on_generated_requests() {
    let seed: u64 = std::env::var("SIGV4_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let count: usize = std::env::var("SIGV4_DIFF_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    println!("differential core vs aws-sigv4: seed {seed} (SIGV4_DIFF_SEED={seed} replays it), {count} per pair");
    for (s3, presign) in [(false, false), (true, false), (false, true), (true, true)] {
        let pair = format!(
            "{} {}",
            if s3 { "s3" } else { "execute-api" },
            if presign { "presigned" } else { "header" }
        );
        let mut rng =
            Rng(seed ^ (u64::from(s3) << 1 | u64::from(presign)).wrapping_mul(0x1234_5678_9abc));
        let mut stats: BTreeMap<String, usize> = BTreeMap::new();
        for _ in 0..count {
            let case = gen_case(&mut rng, s3, presign);
            if query_has_non_utf8_escape(&case.query) {
                assert!(allowlisted("query-escape-not-utf8"));
                *stats
                    .entry("class query-escape-not-utf8 (not compared)".into())
                    .or_default() += 1;
                continue;
            }
            let mut classes = Vec::new();
            let Some(peer) = theirs(&case, &mut classes) else {
                *stats.entry("aws-sigv4 refused".into()).or_default() += 1;
                continue;
            };
            let (signature, canonical) = ours(&case).unwrap_or_else(|| {
                panic!("we refused what aws-sigv4 signs (seed {seed}): {case:?}")
            });
            assert_eq!(
                signature, peer,
                "signatures differ (seed {seed}, classes applied {classes:?})\n{case:?}\nour canonical request:\n{canonical}"
            );
            for class in classes {
                assert!(allowlisted(class), "class {class} is not in allowlist.json");
                *stats.entry(format!("class {class}")).or_default() += 1;
            }
            *stats.entry("compared".into()).or_default() += 1;
        }
        println!("differential core vs aws-sigv4, {pair}: {stats:?}");
        assert!(
            stats.get("compared").copied().unwrap_or(0) >= count * 6 / 10,
            "{pair}: {stats:?}"
        );
    }
}
