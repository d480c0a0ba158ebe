//! SigV4a verification: every case of AWS's v4a suite verifies in both forms at its own timestamp
//! from AWS's own signed-request files (the two cases without outputs are signed by our signer),
//! and fails with one byte changed in each signed part; on a changed signature the error carries
//! AWS's canonical request and string to sign. Then hostile SigV4a inputs with their codes, the
//! `allow_sigv4a` switch, and the replay cache against a malleated (r, n - s) signature.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
mod common;

use common::{parse_request as parse_wire, RawRequest as Wire};
use sigv4::{
    Body, ContentSha256Header, Credentials, ErrorKind, PathNormalization, Request,
    SessionTokenMode, Signer, SigningAlgorithm, SigningSettings, SigningTime, VerifiedIdentity,
    Verifier, VerifierSettings,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_440_938_160; // 20150830T123600Z

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/aws-signing-test-suite/v4a")
}

fn credentials(ctx: &Value) -> Credentials {
    let c = &ctx["credentials"];
    Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["secret_access_key"].as_str().unwrap(),
        c["token"].as_str().map(str::to_owned),
    )
    .unwrap()
}

fn verifier_for(ctx: &Value, allow: bool) -> Verifier {
    let service = ctx["service"].as_str().unwrap();
    let mut settings = VerifierSettings::for_service(service);
    settings.allow_sigv4a = allow;
    if ctx["normalize"] == Value::Bool(false) {
        settings.path_normalization = PathNormalization::Disabled;
    }
    if ctx["omit_session_token"] == Value::Bool(true) {
        settings.session_token_mode = SessionTokenMode::AppendedAfterSigning;
    }
    Verifier::new(
        credentials(ctx),
        &[ctx["region"].as_str().unwrap()],
        service,
        settings,
    )
    .unwrap()
}

/// The request-only cases: signed by our SigV4a signer (the expected outcome is "verifies").
fn signed_by_us(dir: &Path, ctx: &Value, form: &str) -> Wire {
    let raw = parse_wire(&fs::read_to_string(dir.join("request.txt")).unwrap());
    let service = ctx["service"].as_str().unwrap();
    let mut settings = SigningSettings::for_service(service);
    settings.algorithm = SigningAlgorithm::Sigv4a;
    if ctx["sign_body"] == Value::Bool(true) {
        settings.content_sha256_header = ContentSha256Header::Include;
    }
    let signer = Signer::with_settings(
        credentials(ctx),
        ctx["region"].as_str().unwrap(),
        service,
        settings,
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(&raw.method, &raw.target, &pairs, Body::Bytes(&raw.body)).unwrap();
    let time = SigningTime::parse(ctx["timestamp"].as_str().unwrap()).unwrap();
    let signed = if form == "query" {
        signer.presign(&request, time, 3600)
    } else {
        signer.sign(&request, time)
    }
    .unwrap();
    Wire {
        method: raw.method,
        target: signed.url().to_owned(),
        headers: signed.headers().to_vec(),
        raw_header_lines: Vec::new(),
        body: raw.body,
    }
}

fn verify(v: &Verifier, w: &Wire, now: SigningTime) -> Result<VerifiedIdentity, sigv4::Error> {
    let pairs: Vec<(&str, &str)> = w
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(&w.method, &w.target, &pairs, Body::Bytes(&w.body))?;
    v.verify(&request, now)
}

fn bump(c: u8) -> u8 {
    match c {
        b'z' => b'a',
        b'Z' => b'A',
        b'9' => b'0',
        b'f' => b'0',
        c => c + 1,
    }
}

fn mutated(text: &str, at: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = bump(bytes[at]);
    String::from_utf8(bytes).unwrap()
}

/// The first and last alphanumeric byte of `text` (None when it has none).
fn ends(text: &str) -> Vec<usize> {
    let positions: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_alphanumeric())
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<usize> = positions.first().into_iter().copied().collect();
    if let Some(&last) = positions.last() {
        if Some(last) != out.first().copied() {
            out.push(last);
        }
    }
    out
}

/// The last path segment that survives normalisation (a byte there changes the signed path).
fn kept_path_byte(path: &str) -> Option<usize> {
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for segment in path.split('/') {
        match segment {
            ".." => {
                kept.pop();
            }
            "" | "." => {}
            _ => kept.push((start, start + segment.len())),
        }
        start += segment.len() + 1;
    }
    kept.iter()
        .rev()
        .flat_map(|&(s, e)| (s..e).rev())
        .find(|&i| path.as_bytes()[i].is_ascii_alphanumeric())
}

/// Checks one case in one form: verifies, and fails with a byte changed in each signed part.
fn check(dir: &Path, form: &str) -> Result<(bool, usize), String> {
    let ctx: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("context.json")).unwrap()).unwrap();
    let now = SigningTime::parse(ctx["timestamp"].as_str().unwrap()).unwrap();
    let verifier = verifier_for(&ctx, true);
    let from_aws = dir.join(format!("{form}-signed-request.txt")).exists();
    let mut wire = if from_aws {
        parse_wire(&fs::read_to_string(dir.join(format!("{form}-signed-request.txt"))).unwrap())
    } else {
        signed_by_us(dir, &ctx, form)
    };
    // Issue 23: a raw target the application would read differently is refused; the normalised
    // path AWS signed still verifies.
    let name = dir.file_name().unwrap().to_string_lossy();
    if let Some((code, instead)) = common::refused_vector(&name) {
        let e = verify(&verifier, &wire, now)
            .err()
            .ok_or("verifies, but its raw target must be refused")?;
        if e.code() != code {
            return Err(format!("refused with {e}, expected {code}"));
        }
        match instead {
            None => return Ok((from_aws, 0)),
            Some(path) => wire.target = common::with_path(&wire.target, &path),
        }
    }
    let who = verify(&verifier, &wire, now).map_err(|e| format!("does not verify: {e}"))?;
    if who.algorithm != SigningAlgorithm::Sigv4a
        || who.region_set.as_deref() != ctx["region"].as_str()
        || who.presigned != (form == "query")
        || who.access_key_id != AKID
    {
        return Err(format!("wrong identity {who:?}"));
    }
    // With SigV4a off the same request is refused before any key is derived.
    let off = verifier_for(&ctx, false);
    let code = verify(&off, &wire, now).unwrap_err().kind();
    let want = if form == "query" {
        ErrorKind::AuthorizationQueryParametersError
    } else {
        ErrorKind::AuthorizationHeaderMalformed
    };
    if code != want || !off.ecdsa_key_cache().is_empty() {
        return Err(format!("with allow_sigv4a off: {code:?}"));
    }

    let mut rejected = 0;
    let mut must_fail = |w: Wire, what: String| -> Result<(), String> {
        rejected += 1;
        match verify(&verifier, &w, now) {
            Ok(_) => Err(format!("still verifies with {what}")),
            Err(_) => Ok(()),
        }
    };
    let mut w = wire.clone();
    w.method = mutated(&w.method, 0);
    must_fail(w, "the method changed".into())?;
    let (path, query) = wire.target.split_once('?').unwrap_or((&wire.target, ""));
    let normalize = ctx["normalize"] != Value::Bool(false);
    let path_byte = if normalize {
        kept_path_byte(path)
    } else {
        ends(path).last().copied()
    };
    if let Some(at) = path_byte {
        let mut w = wire.clone();
        w.target = format!("{}{}", mutated(path, at), &wire.target[path.len()..]);
        must_fail(w, format!("path byte {at} changed"))?;
    }
    // Each query parameter: its name and its value.
    let mut offset = 0;
    for piece in query.split('&') {
        let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
        let mut spots: Vec<usize> = ends(key).into_iter().take(1).map(|i| offset + i).collect();
        spots.extend(ends(value).into_iter().map(|i| offset + key.len() + 1 + i));
        for at in spots {
            let mut w = wire.clone();
            w.target = format!("{path}?{}", mutated(query, at));
            must_fail(w, format!("query byte {at} ({piece}) changed"))?;
        }
        offset += piece.len() + 1;
    }
    // Each header value, first and last alphanumeric byte (the Authorization header included).
    for (index, (name, value)) in wire.headers.iter().enumerate() {
        for at in ends(value) {
            let mut w = wire.clone();
            w.headers[index].1 = mutated(value, at);
            must_fail(w, format!("header {name} byte {at} changed"))?;
        }
    }
    if !wire.body.is_empty() {
        let mut w = wire.clone();
        w.body[0] = bump(w.body[0]);
        must_fail(w, "the body's first byte changed".into())?;
    }
    let mut w = wire.clone();
    w.body.push(b'x');
    must_fail(w, "a byte appended to the body".into())?;

    // A byte of s changed (DER still valid): SignatureDoesNotMatch with AWS's own texts.
    if from_aws {
        let expected_cr =
            fs::read_to_string(dir.join(format!("{form}-canonical-request.txt"))).unwrap();
        let expected_sts =
            fs::read_to_string(dir.join(format!("{form}-string-to-sign.txt"))).unwrap();
        let mut w = wire.clone();
        let (text, at) = if form == "query" {
            let end = w.target.len();
            (&mut w.target, end - 3)
        } else {
            let i = w
                .headers
                .iter()
                .position(|(n, _)| n == "Authorization")
                .unwrap();
            let end = w.headers[i].1.len();
            (&mut w.headers[i].1, end - 3)
        };
        *text = mutated(text, at);
        rejected += 1;
        let e = verify(&verifier, &w, now)
            .err()
            .ok_or("changed s verifies")?;
        let m = e.mismatch().ok_or_else(|| format!("{e}"))?;
        if m.canonical_request != expected_cr || m.string_to_sign != expected_sts {
            return Err(format!(
                "mismatch detail differs from AWS's\n{}\n--\n{}",
                m.canonical_request, m.string_to_sign
            ));
        }
    }
    Ok((from_aws, rejected))
}

fn run(form: &str) {
    let mut dirs: Vec<PathBuf> = fs::read_dir(suite_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 40, "the v4a suite has 40 cases");
    let (mut aws, mut ours, mut rejected, mut failures) = (0, 0, 0, Vec::new());
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match check(dir, form) {
            Ok((from_aws, n)) => {
                if from_aws {
                    aws += 1;
                } else {
                    ours += 1;
                }
                rejected += n;
            }
            Err(why) => failures.push(format!("{name} ({form}): {why}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!((aws, ours), (38, 2));
    println!(
        "v4a {form}: 38 AWS-signed + 2 self-signed requests verified; {rejected} tampered ones rejected"
    );
}

#[test]
fn every_v4a_vector_verifies_in_the_header_form_and_rejects_tampering() {
    run("header");
}

#[test]
fn every_v4a_vector_verifies_in_the_query_form_and_rejects_tampering() {
    run("query");
}

// ---------------------------------------------------------------------------------------------
// Hostile SigV4a inputs.

fn vanilla(form: &str) -> Wire {
    parse_wire(
        &fs::read_to_string(suite_dir().join(format!("get-vanilla/{form}-signed-request.txt")))
            .unwrap(),
    )
}

fn verifier(regions: &[&str]) -> Verifier {
    let mut keys = HashMap::new();
    keys.insert(
        AKID.to_owned(),
        Credentials::new(AKID, SECRET, None).unwrap(),
    );
    let mut settings = VerifierSettings::for_service("service");
    settings.allow_sigv4a = true;
    Verifier::new(keys, regions, "service", settings).unwrap()
}

fn set_header(mut w: Wire, name: &str, value: &str) -> Wire {
    w.headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .unwrap()
        .1 = value.to_owned();
    w
}

fn header(w: &Wire, name: &str) -> String {
    w.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .unwrap()
        .1
        .clone()
}

fn with_signature(w: Wire, signature: &str) -> Wire {
    let auth = header(&w, "Authorization");
    let (head, _) = auth.split_once("Signature=").unwrap();
    set_header(w, "Authorization", &format!("{head}Signature={signature}"))
}

fn with_query_signature(mut w: Wire, signature: &str) -> Wire {
    let (head, _) = w.target.split_once("&X-Amz-Signature=").unwrap();
    w.target = format!("{head}&X-Amz-Signature={signature}");
    w
}

fn sign_v4a(region_set: &str, form: &str, at: i64) -> Wire {
    let mut settings = SigningSettings::for_service("service");
    settings.algorithm = SigningAlgorithm::Sigv4a;
    let signer = Signer::with_settings(
        Credentials::new(AKID, SECRET, None).unwrap(),
        region_set,
        "service",
        settings,
    )
    .unwrap();
    let headers = [("Host", "example.amazonaws.com")];
    let request = Request::new("GET", "/", &headers, Body::Bytes(b"")).unwrap();
    let time = SigningTime::from_unix(at).unwrap();
    let signed = if form == "query" {
        signer.presign(&request, time, 60)
    } else {
        signer.sign(&request, time)
    }
    .unwrap();
    Wire {
        method: "GET".into(),
        target: signed.url().to_owned(),
        headers: signed.headers().to_vec(),
        raw_header_lines: Vec::new(),
        body: Vec::new(),
    }
}

fn at(t: i64) -> SigningTime {
    SigningTime::from_unix(t).unwrap()
}

#[test]
fn hostile_sigv4a_inputs() {
    let h = vanilla("header");
    let q = vanilla("query");
    let sig = {
        let auth = header(&h, "Authorization");
        auth.split_once("Signature=").unwrap().1.to_owned()
    };
    let other_sig = {
        let w = vanilla("query");
        w.target
            .split_once("X-Amz-Signature=")
            .unwrap()
            .1
            .to_owned()
    };
    let us = ["us-east-1"];
    let west = ["us-west-2"];
    let mut drop_region = h.clone();
    drop_region
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("x-amz-region-set"));
    let mut two_regions = h.clone();
    two_regions
        .headers
        .push(("X-Amz-Region-Set".into(), "us-east-1".into()));
    let unsigned_region = {
        let auth = header(&h, "Authorization").replace(";x-amz-region-set", "");
        set_header(h.clone(), "Authorization", &auth)
    };
    let mut q_no_region = q.clone();
    q_no_region.target = q_no_region
        .target
        .replace("&X-Amz-Region-Set=us-east-1", "");
    let mut q_empty_region = q.clone();
    q_empty_region.target = q_empty_region
        .target
        .replace("X-Amz-Region-Set=us-east-1", "X-Amz-Region-Set=");
    let mut q_two_regions = q.clone();
    q_two_regions.target = q_two_regions.target.replace(
        "&X-Amz-Signature",
        "&x-amz-region-set=us-east-1&X-Amz-Signature",
    );
    let five_part = {
        let auth = header(&h, "Authorization").replace("/20150830/", "/20150830/us-east-1/");
        set_header(h.clone(), "Authorization", &auth)
    };
    let wrong_service = {
        let auth = header(&h, "Authorization").replace("/service/", "/s3/");
        set_header(h.clone(), "Authorization", &auth)
    };
    let unknown_key = {
        let auth = header(&h, "Authorization").replace("AKIDEXAMPLE", "AKIDUNKNOWN");
        set_header(h.clone(), "Authorization", &auth)
    };
    let mut trailing_byte = sig.clone();
    trailing_byte.push_str("00");
    let long_form = format!("3081{}", &sig[2..]);
    let cases: Vec<(&str, Wire, &[&str], i64, &str)> = vec![
        ("AWS's vanilla request", h.clone(), &us, T0, "ok"),
        ("AWS's vanilla URL", q.clone(), &us, T0, "ok"),
        (
            "region set missing",
            drop_region,
            &us,
            T0,
            "IncompleteSignature",
        ),
        (
            "region set repeated",
            two_regions,
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "region set not signed",
            unsigned_region,
            &us,
            T0,
            "UnsignedHeader",
        ),
        (
            "region set changed to *",
            set_header(h.clone(), "X-Amz-Region-Set", "*"),
            &us,
            T0,
            "SignatureDoesNotMatch",
        ),
        (
            "region set covers no expected region",
            h.clone(),
            &west,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "region set with an empty entry",
            set_header(h.clone(), "X-Amz-Region-Set", "us-east-1,"),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "query: region set missing",
            q_no_region,
            &us,
            T0,
            "AuthorizationQueryParametersError",
        ),
        (
            "query: region set empty",
            q_empty_region,
            &us,
            T0,
            "AuthorizationQueryParametersError",
        ),
        (
            "query: region set repeated in another case",
            q_two_regions,
            &us,
            T0,
            "AuthorizationQueryParametersError",
        ),
        (
            "query: region set covers no expected region",
            q.clone(),
            &west,
            T0,
            "AuthorizationQueryParametersError",
        ),
        (
            "signed for * accepted anywhere",
            sign_v4a("*", "header", T0),
            &west,
            T0,
            "ok",
        ),
        (
            "signed for us-* accepted in us-west-2",
            sign_v4a("us-*", "header", T0),
            &west,
            T0,
            "ok",
        ),
        (
            "signed for eu-* refused in us-west-2",
            sign_v4a("eu-*", "header", T0),
            &west,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "query: signed for two regions",
            sign_v4a("eu-west-1,us-west-2", "query", T0),
            &west,
            T0,
            "ok",
        ),
        (
            "5-part credential",
            five_part,
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "wrong service",
            wrong_service,
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        ("unknown key", unknown_key, &us, T0, "InvalidAccessKeyId"),
        ("skew +900 s accepted", h.clone(), &us, T0 + 900, "ok"),
        (
            "skew +901 s rejected",
            h.clone(),
            &us,
            T0 + 901,
            "RequestTimeTooSkewed",
        ),
        (
            "signature odd length",
            with_signature(h.clone(), &sig[1..]),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature upper-case",
            with_signature(h.clone(), &sig.to_ascii_uppercase()),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature non-hex",
            with_signature(h.clone(), &sig.replacen('3', "g", 1)),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature 14 digits",
            with_signature(h.clone(), "30060201010201"),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature 146 digits",
            with_signature(h.clone(), &"0".repeat(146)),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature a SigV4 HMAC",
            with_signature(h.clone(), &"ab".repeat(32)),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature DER plus a trailing byte",
            with_signature(h.clone(), &trailing_byte),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature DER long-form length",
            with_signature(h.clone(), &long_form),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature r = 0",
            with_signature(h.clone(), "3006020100020101"),
            &us,
            T0,
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature of another request",
            with_signature(h.clone(), &other_sig),
            &us,
            T0,
            "SignatureDoesNotMatch",
        ),
        (
            "query: signature odd length",
            with_query_signature(q.clone(), &other_sig[1..]),
            &us,
            T0,
            "AuthorizationQueryParametersError",
        ),
        (
            "query: signature not DER",
            with_query_signature(q.clone(), &"ab".repeat(32)),
            &us,
            T0,
            "AuthorizationQueryParametersError",
        ),
        (
            "query: signature of another request",
            with_query_signature(q.clone(), &sig),
            &us,
            T0,
            "SignatureDoesNotMatch",
        ),
    ];
    let mut failures = Vec::new();
    for (name, wire, regions, now, want) in &cases {
        let v = verifier(regions);
        let got = match verify(&v, wire, at(*now)) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code().to_owned(),
        };
        if got != *want {
            failures.push(format!("{name}: expected {want}, got {got}"));
        }
        if *want == "InvalidAccessKeyId" && !v.ecdsa_key_cache().is_empty() {
            failures.push(format!(
                "{name}: a key was derived for an unknown access key"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!(
        "{} hostile SigV4a inputs answered with their codes",
        cases.len()
    );
}

#[test]
fn session_token_vector_needs_its_token() {
    let dir = suite_dir().join("get-vanilla-with-session-token");
    let ctx: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("context.json")).unwrap()).unwrap();
    let v = verifier_for(&ctx, true);
    let w = parse_wire(&fs::read_to_string(dir.join("header-signed-request.txt")).unwrap());
    assert!(verify(&v, &w, at(T0)).unwrap().session_token_used);
    let mut dropped = w.clone();
    dropped
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("x-amz-security-token"));
    assert_eq!(
        verify(&v, &dropped, at(T0)).unwrap_err().kind(),
        ErrorKind::InvalidToken
    );
    // Same key without a token: a token sent is refused.
    let plain = verifier(&["us-east-1"]);
    assert_eq!(
        verify(&plain, &w, at(T0)).unwrap_err().kind(),
        ErrorKind::InvalidToken
    );
}

// ---------------------------------------------------------------------------------------------
// Replay: an ECDSA signature (r, s) has a twin (r, n - s) that verifies too; the replay cache is
// keyed by the string to sign, so the twin is a replay.

const N: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn der_int(v: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
    if v.first().is_some_and(|&b| b & 0x80 != 0) {
        v.insert(0, 0);
    }
    let mut out = vec![2, v.len() as u8];
    out.extend(v);
    out
}

/// (r, s) -> (r, n - s), DER in lowercase hex.
fn malleate(signature_hex: &str) -> String {
    let der = unhex(signature_hex);
    assert_eq!(der[0], 0x30);
    let r_len = der[3] as usize;
    let r = &der[4..4 + r_len];
    let s = &der[6 + r_len..];
    let mut s32 = [0u8; 32];
    let s = &s[s.len().saturating_sub(32)..];
    s32[32 - s.len()..].copy_from_slice(s);
    let mut diff = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(N[i]) - i16::from(s32[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        diff[i] = d as u8;
    }
    let mut body = der_int(r);
    body.extend(der_int(&diff));
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn replay_cache_catches_the_malleated_twin() {
    let h = vanilla("header");
    let sig = header(&h, "Authorization")
        .split_once("Signature=")
        .unwrap()
        .1
        .to_owned();
    let twin = with_signature(h.clone(), &malleate(&sig));
    // Without a replay cache both verify: the twin is a valid signature of the same request.
    let plain = verifier(&["us-east-1"]);
    verify(&plain, &h, at(T0)).unwrap();
    verify(&plain, &twin, at(T0)).unwrap();
    let mut settings = VerifierSettings::for_service("service");
    settings.allow_sigv4a = true;
    settings.replay_cache_capacity = Some(10);
    let v = Verifier::new(
        Credentials::new(AKID, SECRET, None).unwrap(),
        &["us-east-1"],
        "service",
        settings,
    )
    .unwrap();
    verify(&v, &h, at(T0)).unwrap();
    assert_eq!(
        verify(&v, &h, at(T0)).unwrap_err().code(),
        "RequestReplayed"
    );
    assert_eq!(
        verify(&v, &twin, at(T0)).unwrap_err().code(),
        "RequestReplayed"
    );
}

#[test]
fn sigv4a_is_off_by_default_and_debug_has_no_secret() {
    let settings = VerifierSettings::for_service("s3");
    assert!(!settings.allow_sigv4a);
    let v = verifier(&["us-east-1"]);
    verify(&v, &vanilla("header"), at(T0)).unwrap();
    assert_eq!(v.ecdsa_key_cache().len(), 1);
    let debug = format!("{v:?} {:?}", v.ecdsa_key_cache());
    assert!(!debug.contains("wJalr"), "{debug}");
}
