//! The verifier against AWS's own signed requests: every v4 vector, in both forms, verifies at its
//! timestamp (parsing `header-signed-request.txt` / `query-signed-request.txt`), and fails with one
//! byte changed anywhere in the signed parts. On a changed signature the error must carry AWS's
//! canonical request and string to sign.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
mod common;

use common::{parse_request as parse_wire, RawRequest as Wire};
use sigv4::{
    Body, Credentials, ErrorKind, PathNormalization, Request, SessionTokenMode, SigningTime,
    Verifier, VerifierSettings,
};

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/aws-signing-test-suite/v4")
}

struct Case {
    name: String,
    dir: PathBuf,
    ctx: Value,
}

fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = fs::read_dir(suite_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|dir| Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            ctx: serde_json::from_str(&fs::read_to_string(dir.join("context.json")).unwrap())
                .unwrap(),
            dir,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(out.len(), 38, "the v4 suite has 38 cases");
    out
}

fn verifier_for(ctx: &Value) -> Verifier {
    let c = &ctx["credentials"];
    let creds = Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["secret_access_key"].as_str().unwrap(),
        c["token"].as_str().map(str::to_owned),
    )
    .unwrap();
    let service = ctx["service"].as_str().unwrap();
    let mut settings = VerifierSettings::for_service(service);
    if ctx["normalize"] == Value::Bool(false) {
        settings.path_normalization = PathNormalization::Disabled;
    }
    if ctx["omit_session_token"] == Value::Bool(true) {
        settings.session_token_mode = SessionTokenMode::AppendedAfterSigning;
    }
    Verifier::new(creds, &[ctx["region"].as_str().unwrap()], service, settings).unwrap()
}

fn now_of(ctx: &Value) -> SigningTime {
    SigningTime::parse(ctx["timestamp"].as_str().unwrap()).unwrap()
}

fn verify(
    v: &Verifier,
    w: &Wire,
    now: SigningTime,
) -> Result<sigv4::VerifiedIdentity, sigv4::Error> {
    let pairs: Vec<(&str, &str)> = w
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(&w.method, &w.target, &pairs, Body::Bytes(&w.body))?;
    v.verify(&request, now)
}

/// The next character of the same class, so a change keeps the text well-formed.
fn bump(c: u8) -> u8 {
    match c {
        b'z' => b'a',
        b'Z' => b'A',
        b'9' => b'0',
        b'f' => b'0', // hex digits stay hex (signatures)
        c => c + 1,
    }
}

fn mutated(text: &str, at: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = bump(bytes[at]);
    String::from_utf8(bytes).unwrap()
}

fn alnum_positions(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_alphanumeric())
        .map(|(i, _)| i)
        .collect()
}

/// True when the path byte at `at` sits in a segment that a later `..` removes, so changing it
/// cannot change the normalised (signed) path.
fn removed_by_dot_dot(path: &str, at: usize) -> bool {
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
    !kept.iter().any(|&(s, e)| at >= s && at < e)
}

fn check_form(case: &Case, form: &str) -> Result<usize, String> {
    let verifier = verifier_for(&case.ctx);
    let now = now_of(&case.ctx);
    let mut wire = parse_wire(
        &fs::read_to_string(case.dir.join(format!("{form}-signed-request.txt"))).unwrap(),
    );
    // Issue 23: a raw target the application would read differently is refused; the normalised
    // path AWS signed still verifies.
    if let Some((code, instead)) = common::refused_vector(&case.name) {
        let e = verify(&verifier, &wire, now)
            .err()
            .ok_or("verifies, but its raw target must be refused")?;
        if e.code() != code {
            return Err(format!("refused with {e}, expected {code}"));
        }
        match instead {
            None => return Ok(0),
            Some(path) => wire.target = common::with_path(&wire.target, &path),
        }
    }
    let expected_cr =
        fs::read_to_string(case.dir.join(format!("{form}-canonical-request.txt"))).unwrap();
    let expected_sts =
        fs::read_to_string(case.dir.join(format!("{form}-string-to-sign.txt"))).unwrap();
    let who = verify(&verifier, &wire, now).map_err(|e| format!("does not verify: {e}"))?;
    if who.presigned != (form == "query") || who.access_key_id != "AKIDEXAMPLE" {
        return Err(format!("wrong identity {who:?}"));
    }
    let tampered = std::cell::Cell::new(0usize);
    let must_fail = |w: Wire, what: String| -> Result<(), String> {
        tampered.set(tampered.get() + 1);
        match verify(&verifier, &w, now) {
            Ok(_) => Err(format!("still verifies with {what}")),
            Err(_) => Ok(()),
        }
    };
    // Method.
    let mut w = wire.clone();
    w.method = mutated(&w.method, 0);
    must_fail(w, "the method changed".into())?;
    // Path and query, one byte at a time.
    let (path, query) = wire.target.split_once('?').unwrap_or((&wire.target, ""));
    let normalize = case.ctx["normalize"] != Value::Bool(false);
    for at in alnum_positions(path) {
        if normalize && removed_by_dot_dot(path, at) {
            continue;
        }
        let mut w = wire.clone();
        w.target = format!("{}{}", mutated(path, at), &wire.target[path.len()..]);
        must_fail(w, format!("path byte {at} changed"))?;
    }
    for at in alnum_positions(query) {
        let mut w = wire.clone();
        w.target = format!("{path}?{}", mutated(query, at));
        let signature_value = query.find("X-Amz-Signature=").map(|i| i + 16);
        let is_signature = signature_value.is_some_and(|s| at >= s && at < s + 64);
        let result = verify(&verifier, &w, now);
        tampered.set(tampered.get() + 1);
        match result {
            Ok(_) => return Err(format!("still verifies with query byte {at} changed")),
            Err(e) if is_signature => {
                if e.kind() != ErrorKind::SignatureDoesNotMatch {
                    return Err(format!("signature byte {at} changed gives {e}"));
                }
                let m = e.mismatch().ok_or("no mismatch detail")?;
                if m.canonical_request != expected_cr || m.string_to_sign != expected_sts {
                    return Err(format!(
                        "mismatch detail differs from AWS's\n{}\n--\n{}",
                        m.canonical_request, m.string_to_sign
                    ));
                }
            }
            Err(_) => {}
        }
    }
    // Every header value (signed ones, the Authorization header, and an unsigned session token).
    for (index, (name, value)) in wire.headers.iter().enumerate() {
        for at in alnum_positions(value) {
            let mut w = wire.clone();
            w.headers[index].1 = mutated(value, at);
            must_fail(w, format!("header {name} byte {at} changed"))?;
        }
    }
    // The body: each byte, and one byte added to an empty body.
    for at in 0..wire.body.len() {
        let mut w = wire.clone();
        w.body[at] = bump(w.body[at]);
        must_fail(w, format!("body byte {at} changed"))?;
    }
    let mut w = wire.clone();
    w.body.push(b'x');
    must_fail(w, "a byte appended to the body".into())?;
    // The header form's signature, each hex digit: the error carries AWS's canonical texts.
    if let Some(index) = wire.headers.iter().position(|(n, _)| n == "Authorization") {
        let auth = &wire.headers[index].1;
        let start = auth.find("Signature=").unwrap() + 10;
        for at in start..auth.len() {
            let mut w = wire.clone();
            w.headers[index].1 = mutated(auth, at);
            let e = verify(&verifier, &w, now)
                .err()
                .ok_or("changed signature verifies")?;
            let m = e.mismatch().ok_or_else(|| format!("{e}"))?;
            if m.canonical_request != expected_cr || m.string_to_sign != expected_sts {
                return Err(format!(
                    "mismatch detail differs from AWS's\n{}\n--\n{}",
                    m.canonical_request, m.string_to_sign
                ));
            }
        }
    }
    Ok(tampered.get())
}

fn run(form: &str) {
    let mut failures = Vec::new();
    let mut total = 0;
    for case in cases() {
        match check_form(&case, form) {
            Ok(n) => {
                total += n;
                println!(
                    "verify v4/{}/{form} ... ok ({n} one-byte changes rejected)",
                    case.name
                );
            }
            Err(why) => {
                println!("verify v4/{}/{form} ... FAILED", case.name);
                failures.push(format!("{} ({form}): {why}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    println!("38 vectors verified in the {form} form; {total} tampered requests rejected");
}

#[test]
fn every_vector_verifies_in_the_header_form_and_rejects_tampering() {
    run("header");
}

#[test]
fn every_vector_verifies_in_the_query_form_and_rejects_tampering() {
    run("query");
}

#[test]
fn vectors_fail_outside_their_time_window() {
    for case in cases() {
        let verifier = verifier_for(&case.ctx);
        let now = now_of(&case.ctx);
        let instead = match common::refused_vector(&case.name) {
            Some((_, None)) => continue,
            Some((_, Some(path))) => Some(path),
            None => None,
        };
        let read = |form: &str| {
            let mut wire = parse_wire(
                &fs::read_to_string(case.dir.join(format!("{form}-signed-request.txt"))).unwrap(),
            );
            if let Some(path) = &instead {
                wire.target = common::with_path(&wire.target, path);
            }
            wire
        };
        let header = read("header");
        let later = SigningTime::from_unix(now.unix() + 901).unwrap();
        assert_eq!(
            verify(&verifier, &header, later).unwrap_err().kind(),
            ErrorKind::RequestTimeTooSkewed,
            "{}",
            case.name
        );
        let query = read("query");
        let expires = case.ctx["expiration_in_seconds"].as_i64().unwrap();
        let at_end = SigningTime::from_unix(now.unix() + expires).unwrap();
        assert!(verify(&verifier, &query, at_end).is_ok(), "{}", case.name);
        let after = SigningTime::from_unix(now.unix() + expires + 1).unwrap();
        assert_eq!(
            verify(&verifier, &query, after).unwrap_err().kind(),
            ErrorKind::RequestExpired,
            "{}",
            case.name
        );
    }
}
