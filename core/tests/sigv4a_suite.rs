//! The AWS SigV4a test suite (tests/vectors/aws-signing-test-suite/v4a), header and query forms:
//! derived public key, canonical request and string to sign byte for byte, our signature and the
//! suite's own signature both verified with the suite's public key.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
mod common;

use common::{parse_request, RawRequest};
use sigv4::{
    Body, ContentSha256Header, Credentials, EcdsaKey, EcdsaPublicKey, PathNormalization, Request,
    SessionTokenMode, Signer, SigningAlgorithm, SigningSettings, SigningTime,
};

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/aws-signing-test-suite/v4a")
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn public_key(dir: &Path) -> EcdsaPublicKey {
    let v: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("public-key.json")).unwrap()).unwrap();
    let x: [u8; 32] = unhex(v["X"].as_str().unwrap()).try_into().unwrap();
    let y: [u8; 32] = unhex(v["Y"].as_str().unwrap()).try_into().unwrap();
    EcdsaPublicKey::from_coordinates(&x, &y).unwrap()
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
    settings.algorithm = SigningAlgorithm::Sigv4a;
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

fn render(raw: &RawRequest, url: &str, headers: &[(String, String)]) -> String {
    let mut out = format!("{} {} HTTP/1.1\n", raw.method, url);
    for (i, (name, value)) in headers.iter().enumerate() {
        if i < raw.headers.len() {
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

/// Checks one case in one form; returns whether the case had expected outputs.
fn check(dir: &Path, presigned: bool) -> Result<bool, String> {
    let ctx: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("context.json")).unwrap()).unwrap();
    let raw = parse_request(&fs::read_to_string(dir.join("request.txt")).unwrap());
    let signer = signer_for(&ctx);
    let time = SigningTime::parse(ctx["timestamp"].as_str().unwrap()).unwrap();
    let pairs: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(&raw.method, &raw.target, &pairs, Body::Bytes(&raw.body))
        .map_err(|e| e.to_string())?;
    let signed = if presigned {
        signer.presign(
            &request,
            time,
            ctx["expiration_in_seconds"].as_u64().unwrap(),
        )
    } else {
        signer.sign(&request, time)
    }
    .map_err(|e| e.to_string())?;

    let derived = signer
        .ecdsa_key_cache()
        .key(signer.credentials())
        .map_err(|e| e.to_string())?
        .public_key();
    let form = if presigned { "query" } else { "header" };
    if !dir.join("public-key.json").exists() {
        // Only a request: our own signature must verify with our derived key.
        if !derived.verify_der(
            signed.string_to_sign().as_bytes(),
            &unhex(signed.signature()),
        ) {
            return Err("our signature does not verify with our own key".into());
        }
        return Ok(false);
    }
    let public = public_key(dir);
    let mut problems = Vec::new();
    if derived != public {
        problems.push("derived public key differs from public-key.json".to_owned());
    }
    let read = |f: &str| fs::read_to_string(dir.join(format!("{form}-{f}"))).unwrap();
    if signed.canonical_request() != read("canonical-request.txt") {
        problems.push(format!(
            "canonical request\n--- expected\n{}\n--- got\n{}",
            read("canonical-request.txt"),
            signed.canonical_request()
        ));
    }
    if signed.string_to_sign() != read("string-to-sign.txt") {
        problems.push(format!(
            "string to sign\n--- expected\n{}\n--- got\n{}",
            read("string-to-sign.txt"),
            signed.string_to_sign()
        ));
    }
    let sts = read("string-to-sign.txt");
    if !public.verify_der(sts.as_bytes(), &unhex(signed.signature())) {
        problems.push("our signature does not verify with public-key.json".to_owned());
    }
    let theirs = read("signature.txt");
    if !public.verify_der(sts.as_bytes(), &unhex(theirs.trim())) {
        problems.push("the suite's signature does not verify (key or string to sign wrong)".into());
    }
    // What we send, with the suite's (random) signature in place of ours.
    let expected_request = read("signed-request.txt");
    let theirs_in_request = expected_request
        .split("Signature=")
        .nth(1)
        .map(|rest| rest.split([' ', '\n']).next().unwrap_or("").to_owned())
        .unwrap_or_default();
    let rendered = render(&raw, signed.url(), &signed.headers().to_vec())
        .replace(signed.signature(), &theirs_in_request);
    if rendered != expected_request {
        problems.push(format!(
            "signed request\n--- expected\n{expected_request}\n--- got\n{rendered}"
        ));
    }
    if problems.is_empty() {
        Ok(true)
    } else {
        Err(problems.join("\n"))
    }
}

fn run(presigned: bool) {
    let mut dirs: Vec<PathBuf> = fs::read_dir(suite_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 40, "the v4a suite has 40 cases");
    let form = if presigned { "query" } else { "header" };
    let (mut full, mut request_only, mut failures) = (0, 0, Vec::new());
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match check(dir, presigned) {
            Ok(true) => full += 1,
            Ok(false) => request_only += 1,
            Err(why) => failures.push(format!("{name} ({form}): {why}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!((full, request_only), (38, 2));
    println!("v4a {form} form: {full} cases with expected outputs passed, {request_only} request-only cases self-verified");
}

#[test]
fn v4a_suite_header_form() {
    run(false);
}

#[test]
fn v4a_suite_query_form() {
    run(true);
}

#[test]
fn key_debug_is_redacted_and_derivation_is_stable() {
    let a = EcdsaKey::derive("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
    let b = EcdsaKey::derive("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
    assert_eq!(a.public_key(), b.public_key());
    let debug = format!("{a:?}");
    assert!(debug.contains("redacted") && !debug.contains("wJalr"));
    let other =
        EcdsaKey::derive("AKIDEXAMPLF", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
    assert_ne!(a.public_key(), other.public_key());
}

#[test]
fn region_set_is_validated() {
    let creds = Credentials::new("AKID", "SECRET", None).unwrap();
    let mut settings = SigningSettings::for_service("s3");
    settings.algorithm = SigningAlgorithm::Sigv4a;
    for bad in ["", "us-east-1,,us-west-2", "us east"] {
        let err = Signer::with_settings(creds.clone(), bad, "s3", settings.clone()).unwrap_err();
        assert_eq!(err.argument(), Some("region"), "{bad:?}");
    }
    for good in ["*", "us-east-1,us-west-2"] {
        Signer::with_settings(creds.clone(), good, "s3", settings.clone()).unwrap();
    }
}
