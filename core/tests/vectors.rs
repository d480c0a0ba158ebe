//! The AWS SigV4 test suite (v4), both forms, byte for byte; and S3's worked examples.

use std::fs;
use std::path::{Path, PathBuf};

mod common;

use common::{parse_request, RawRequest};
use serde_json::Value;
use sigv4::{
    Body, ContentSha256Header, Credentials, PathNormalization, Request, SessionTokenMode, Signer,
    SigningSettings, SigningTime,
};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

struct Case {
    name: String,
    dir: PathBuf,
    context: Value,
}

fn cases() -> Vec<Case> {
    let root = vectors_dir().join("aws-signing-test-suite/v4");
    let mut out: Vec<Case> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|dir| Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            context: serde_json::from_str(&fs::read_to_string(dir.join("context.json")).unwrap())
                .unwrap(),
            dir,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap()
}

fn signer_for(ctx: &Value) -> Signer {
    let c = &ctx["credentials"];
    let creds = Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["secret_access_key"].as_str().unwrap(),
        c["token"].as_str().map(str::to_owned),
    )
    .unwrap();
    let service = ctx["service"].as_str().unwrap();
    let mut settings = SigningSettings::for_service(service);
    if ctx["normalize"] == Value::Bool(false) {
        settings.path_normalization = PathNormalization::Disabled;
    }
    if ctx["sign_body"] == Value::Bool(true) {
        settings.content_sha256_header = ContentSha256Header::Include;
    }
    if ctx["omit_session_token"] == Value::Bool(true) {
        settings.session_token_mode = SessionTokenMode::AppendedAfterSigning;
    }
    Signer::with_settings(creds, ctx["region"].as_str().unwrap(), service, settings).unwrap()
}

/// Renders what we send in the suite's format. Headers the caller gave are written as they were
/// given (the suite keeps folded lines verbatim); the ones the signer added are written from our output.
fn render(raw: &RawRequest, url: &str, headers: &[(String, String)]) -> String {
    let mut out = format!("{} {} HTTP/1.1\n", raw.method, url);
    for (i, (name, value)) in headers.iter().enumerate() {
        if i < raw.headers.len() {
            assert_eq!((name, value), (&raw.headers[i].0, &raw.headers[i].1));
            out.push_str(&raw.raw_header_lines[i]);
        } else {
            out.push_str(&format!("{name}:{value}"));
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&String::from_utf8(raw.body.clone()).unwrap());
    out
}

fn check_case(case: &Case, presigned: bool) -> Result<(), String> {
    let ctx = &case.context;
    let raw = parse_request(&read(&case.dir, "request.txt"));
    let signer = signer_for(ctx);
    let time = SigningTime::parse(ctx["timestamp"].as_str().unwrap()).unwrap();
    let pairs: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(&raw.method, &raw.target, &pairs, Body::Bytes(&raw.body))
        .map_err(|e| e.to_string())?;
    let prefix = if presigned { "query" } else { "header" };
    let signed = if presigned {
        let expires = ctx["expiration_in_seconds"].as_u64().unwrap();
        signer.presign(&request, time, expires)
    } else {
        signer.sign(&request, time)
    }
    .map_err(|e| e.to_string())?;
    let expect = |file: &str| read(&case.dir, &format!("{prefix}-{file}"));
    let mut problems = Vec::new();
    if signed.canonical_request() != expect("canonical-request.txt") {
        problems.push(format!(
            "canonical request\n--- expected\n{}\n--- got\n{}",
            expect("canonical-request.txt"),
            signed.canonical_request()
        ));
    }
    if signed.string_to_sign() != expect("string-to-sign.txt") {
        problems.push(format!(
            "string to sign\n--- expected\n{}\n--- got\n{}",
            expect("string-to-sign.txt"),
            signed.string_to_sign()
        ));
    }
    if signed.signature() != expect("signature.txt").trim() {
        problems.push(format!(
            "signature {} != {}",
            signed.signature(),
            expect("signature.txt").trim()
        ));
    }
    let rendered = render(&raw, signed.url(), &signed.headers().to_vec());
    if rendered != expect("signed-request.txt") {
        problems.push(format!(
            "signed request\n--- expected\n{}\n--- got\n{}",
            expect("signed-request.txt"),
            rendered
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn run_form(presigned: bool) {
    let cases = cases();
    assert_eq!(cases.len(), 38, "the v4 suite has 38 cases");
    let mut failures = Vec::new();
    for case in &cases {
        let form = if presigned { "query" } else { "header" };
        match check_case(case, presigned) {
            Ok(()) => println!("vector v4/{}/{form} ... ok", case.name),
            Err(why) => {
                println!("vector v4/{}/{form} ... FAILED", case.name);
                failures.push(format!("{} ({form}): {why}", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    println!(
        "{} v4 vectors passed in the {} form",
        cases.len(),
        if presigned { "query" } else { "header" }
    );
}

#[test]
fn v4_suite_header_form() {
    run_form(false);
}

#[test]
fn v4_suite_query_form() {
    run_form(true);
}

#[test]
fn s3_documented_examples() {
    let doc: Value =
        serde_json::from_str(&fs::read_to_string(vectors_dir().join("s3-examples.json")).unwrap())
            .unwrap();
    let c = &doc["credentials"];
    let creds = Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["secret_access_key"].as_str().unwrap(),
        None,
    )
    .unwrap();
    let signer = Signer::new(
        creds,
        doc["region"].as_str().unwrap(),
        doc["service"].as_str().unwrap(),
    )
    .unwrap();
    let time = SigningTime::parse(doc["timestamp"].as_str().unwrap()).unwrap();
    let examples = doc["header_signed"].as_array().unwrap();
    assert!(!examples.is_empty());
    for ex in examples {
        let headers: Vec<(String, String)> = ex["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    p[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let body = ex["body"].as_str().unwrap().as_bytes();
        let request = Request::new(
            ex["method"].as_str().unwrap(),
            ex["url"].as_str().unwrap(),
            &pairs,
            Body::Bytes(body),
        )
        .unwrap();
        let signed = signer.sign(&request, time).unwrap();
        assert_eq!(
            signed.signed_headers(),
            ex["signed_headers"].as_str().unwrap(),
            "{}",
            ex["name"]
        );
        assert_eq!(
            signed.signature(),
            ex["signature"].as_str().unwrap(),
            "{}",
            ex["name"]
        );
        println!("s3 example {} ... ok", ex["name"]);
    }
}
