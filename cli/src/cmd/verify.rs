//! `sigv4 verify`: a captured raw request checked against known keys.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use sigv4::{Body, Credentials, Request, SigningTime, Verifier, VerifierSettings};

use crate::args::VerifyArgs;
use crate::creds::{Env, Provider};
use crate::error::{exit, CliError, Result};
use crate::raw::{self, RawRequest};
use crate::signing::{self, redact};

/// Reads a file, or stdin for `-` / nothing.
pub fn read_input(path: Option<&Path>) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    match path {
        Some(p) if p != Path::new("-") => {
            buf = std::fs::read(p)
                .map_err(|e| CliError::input(format!("cannot read {}: {e}", p.display())))?
        }
        _ => {
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| CliError::input(format!("cannot read stdin: {e}")))?;
        }
    }
    Ok(buf)
}

struct Keys {
    store: HashMap<String, Credentials>,
    region: Option<String>,
    service: Option<String>,
}

fn load_keys(path: &Path) -> Result<Keys> {
    let text = std::fs::read(path)
        .map_err(|e| CliError::input(format!("cannot read --keys {}: {e}", path.display())))?;
    let doc: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| CliError::input(format!("--keys {} is not JSON: {e}", path.display())))?;
    let list = doc.get("identities").and_then(|v| v.as_array()).ok_or_else(|| {
        CliError::input(format!("--keys {}: expected {{\"identities\": [{{\"access_key_id\", \"secret_access_key\"}}]}}", path.display()))
    })?;
    let mut store = HashMap::new();
    for (i, ident) in list.iter().enumerate() {
        let field = |k: &str| ident.get(k).and_then(|v| v.as_str());
        let (Some(akid), Some(secret)) = (field("access_key_id"), field("secret_access_key"))
        else {
            return Err(CliError::input(format!(
                "--keys {}: identity {i} lacks access_key_id or secret_access_key",
                path.display()
            )));
        };
        let creds = Credentials::new(akid, secret, field("session_token").map(str::to_owned))
            .map_err(|e| {
                CliError::input(format!(
                    "--keys {}: identity {i}: {}",
                    path.display(),
                    e.message()
                ))
            })?;
        store.insert(akid.to_owned(), creds);
    }
    let text_of = |k: &str| doc.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    Ok(Keys {
        store,
        region: text_of("region"),
        service: text_of("service"),
    })
}

/// The request as the verifier takes it: URL (target + Host), headers, body.
pub fn request_url(raw: &RawRequest) -> String {
    raw.target.clone()
}

/// Runs `sigv4 verify`; returns the exit code.
pub async fn run(args: VerifyArgs) -> Result<u8> {
    let input = read_input(args.input.as_deref())?;
    let raw = raw::parse(&input)?;
    let keys = match &args.keys {
        Some(path) => load_keys(path)?,
        None => {
            let provider = Provider::new(Env::from_process(), args.profile.as_deref())?;
            let creds = provider.get(signing::now_unix()).await?;
            let mut store = HashMap::new();
            store.insert(creds.access_key_id().to_owned(), creds);
            Keys {
                store,
                region: None,
                service: None,
            }
        }
    };
    // SigV4: AKID/date/region/service/aws4_request; SigV4a: AKID/date/service/aws4_request.
    let scope = raw.credential().unwrap_or_default();
    let (scope_region, scope_service) = match scope.len() {
        5 => (Some(scope[2].clone()), Some(scope[3].clone())),
        4 => (None, Some(scope[2].clone())),
        _ => (None, None),
    };
    let regions: Vec<String> = if !args.region.is_empty() {
        args.region.clone()
    } else if let Some(r) = keys.region.clone() {
        vec![r]
    } else if let Some(r) = scope_region {
        vec![r]
    } else {
        return Err(CliError::input(
            "give --region: the request carries no credential scope to take it from",
        ));
    };
    let service = args
        .service
        .clone()
        .or(keys.service.clone())
        .or(scope_service)
        .ok_or_else(|| {
            CliError::input(
                "give --service: the request carries no credential scope to take it from",
            )
        })?;
    let now = match &args.now {
        Some(text) => SigningTime::parse(text)
            .map_err(|_| CliError::input(format!("--now {text:?} is not YYYYMMDDTHHMMSSZ")))?,
        None => SigningTime::from_unix(signing::now_unix())?,
    };
    let mut settings = VerifierSettings::for_service(&service);
    settings.allow_sigv4a = true;
    let region_refs: Vec<&str> = regions.iter().map(String::as_str).collect();
    let verifier = Verifier::new(keys.store, &region_refs, &service, settings)?;
    let pairs = raw.pairs();
    let url = request_url(&raw);
    let streaming = raw
        .header("x-amz-content-sha256")
        .is_some_and(|v| v.starts_with("STREAMING-"));
    let result = if streaming {
        let request = Request::new(&raw.method, &url, &pairs, Body::Bytes(b""))?;
        verifier.verify_streaming(&request, now).and_then(|stream| {
            let (identity, mut decoder) = stream.into_parts();
            let mut out = Vec::new();
            decoder.feed(&raw.body, &mut out)?;
            decoder.finish()?;
            Ok(identity)
        })
    } else {
        let request = Request::new(&raw.method, &url, &pairs, Body::Bytes(&raw.body))?;
        verifier.verify(&request, now)
    };
    match result {
        Ok(who) => {
            if args.json {
                let value = serde_json::json!({
                    "verified": true,
                    "access_key_id": who.access_key_id,
                    "region": who.region,
                    "service": who.service,
                    "signed_headers": who.signed_headers,
                    "amz_date": who.amz_date(),
                    "presigned": who.presigned,
                    "session_token_used": who.session_token_used,
                    "payload_hash": who.payload_hash,
                    "algorithm": who.algorithm.name(),
                });
                println!("{}", serde_json::to_string_pretty(&value).expect("JSON"));
            } else {
                println!(
                    "verified: {} ({} {}, {})",
                    who.access_key_id,
                    who.region,
                    who.service,
                    who.algorithm.name()
                );
                println!("signed headers: {}", who.signed_headers.join(";"));
                println!(
                    "signed at: {}{}",
                    who.amz_date(),
                    if who.presigned {
                        " (presigned URL)"
                    } else {
                        ""
                    }
                );
                println!("payload: {}", who.payload_hash);
            }
            Ok(exit::OK)
        }
        Err(error) if !error.kind().is_invalid_input() || error.mismatch().is_some() => {
            let mismatch = error.mismatch();
            if args.json {
                let value = serde_json::json!({
                    "verified": false,
                    "code": error.code(),
                    "message": error.message(),
                    "canonical_request": mismatch.map(|m| redact(&m.canonical_request)),
                    "string_to_sign": mismatch.map(|m| m.string_to_sign.clone()),
                });
                println!("{}", serde_json::to_string_pretty(&value).expect("JSON"));
            } else {
                println!("refused: {}: {}", error.code(), error.message());
                if let Some(m) = mismatch {
                    println!(
                        "canonical request the server computes:\n{}",
                        redact(&m.canonical_request)
                    );
                    println!("string to sign:\n{}", m.string_to_sign);
                }
            }
            Ok(exit::REFUSED)
        }
        Err(error) => Err(error.into()),
    }
}
