//! `sigv4 sign`: the headers to add, a curl command, or every output of the signing as JSON.

use std::io::Write;

use sigv4::{Body, PayloadMode, Request, SignedRequest, Signer, SigningTime};

use crate::args::SignArgs;
use crate::body;
use crate::error::{CliError, Result};
use crate::signing::{self, BodySource, Prepared, Scope};

/// What stands for the body when signing without streaming: bytes, or a file's hash.
pub enum Hashed {
    /// The bytes themselves.
    Bytes(Vec<u8>),
    /// A file and its hash (or `None` when the payload is unsigned and no hash is needed).
    File {
        /// The file.
        path: std::path::PathBuf,
        /// Its SHA-256.
        sha256: Option<String>,
        /// Its length.
        len: u64,
    },
}

/// Prepares the body for a one-shot signature (files are hashed in pieces, never held whole).
pub fn hash_body(
    source: &BodySource,
    unsigned: bool,
    spool: &mut Option<body::Spool>,
) -> Result<Hashed> {
    let path = match source {
        BodySource::Empty => return Ok(Hashed::Bytes(Vec::new())),
        BodySource::Bytes(b) => return Ok(Hashed::Bytes(b.clone())),
        BodySource::File(path) => path.clone(),
        BodySource::Stdin => {
            let s = body::spool_stdin()?;
            let path = s.path.clone();
            *spool = Some(s);
            path
        }
    };
    if unsigned {
        let len = body::file_len(&path)?;
        return Ok(Hashed::File {
            path,
            sha256: None,
            len,
        });
    }
    let (sha256, len) = body::sha256_file(&path)?;
    Ok(Hashed::File {
        path,
        sha256: Some(sha256),
        len,
    })
}

/// Signs (or presigns, with `expires`) the prepared request.
pub fn sign_prepared(
    signer: &Signer,
    prepared: &Prepared,
    hashed: &Hashed,
    time: SigningTime,
    expires: Option<u64>,
) -> Result<SignedRequest> {
    let mut headers: Vec<(&str, &str)> = prepared
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let len_text;
    let body = match hashed {
        Hashed::Bytes(b) => Body::Bytes(b),
        Hashed::File { sha256, len, .. } => {
            // The length goes in the headers so the sent request matches the signed one.
            if !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            {
                len_text = len.to_string();
                headers.push(("Content-Length", &len_text));
            }
            match sha256 {
                Some(h) => Body::Precomputed(h),
                None => Body::Bytes(b""),
            }
        }
    };
    let request = Request::new(&prepared.method, &prepared.url, &headers, body)?;
    Ok(match expires {
        Some(seconds) => signer.presign(&request, time, seconds)?,
        None => signer.sign(&request, time)?,
    })
}

/// Every output of a signing as a JSON value.
pub fn to_json(signed: &SignedRequest, scope: &Scope) -> serde_json::Value {
    let headers: Vec<serde_json::Value> = signed
        .headers()
        .map(|(n, v)| serde_json::json!([n, v]))
        .collect();
    serde_json::json!({
        "method": signed.method(),
        "url": signed.url(),
        "headers": headers,
        "service": scope.service,
        "region": scope.region,
        "algorithm": scope.settings.algorithm.name(),
        "amz_date": signed.amz_date(),
        "credential_scope": signed.credential_scope(),
        "signed_headers": signed.signed_headers(),
        "payload_hash": signed.payload_hash(),
        "canonical_request": signed.canonical_request(),
        "string_to_sign": signed.string_to_sign(),
        "signature": signed.signature(),
    })
}

fn quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b))
    {
        return text.to_owned();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The curl command that sends exactly the signed request.
pub fn curl_command(signed: &SignedRequest, source: &BodySource) -> Result<String> {
    let mut parts = vec!["curl".to_owned(), "-X".to_owned(), quote(signed.method())];
    for (name, value) in signed.headers() {
        if name.eq_ignore_ascii_case("content-length") {
            continue; // curl sets it from the body
        }
        parts.push("-H".to_owned());
        parts.push(quote(&format!("{name}: {value}")));
    }
    match source {
        BodySource::Empty => {}
        BodySource::Bytes(b) => {
            let text = std::str::from_utf8(b).map_err(|_| {
                CliError::input("--curl: the body is not UTF-8 text; give it as --data-binary @FILE")
            })?;
            parts.push("--data-binary".to_owned());
            parts.push(quote(text));
        }
        BodySource::File(path) => {
            parts.push("--data-binary".to_owned());
            parts.push(quote(&format!("@{}", path.display())));
        }
        BodySource::Stdin => {
            return Err(CliError::input(
                "--curl: stdin is read to sign it, so curl could not read it again; give the body as @FILE",
            ))
        }
    }
    parts.push(quote(signed.url()));
    Ok(parts.join(" "))
}

/// Runs `sigv4 sign`.
pub async fn run(args: SignArgs) -> Result<()> {
    let mut prepared = Prepared::from_args(&args.http)?;
    let time = signing::time(args.signing.timestamp.as_deref())?;
    let (signer, scope) = signing::signer(&args.signing, &prepared.url, time).await?;
    if sigv4::is_s3_family(&scope.service) {
        prepared.url = signing::s3_wire_url(&prepared.url);
    }
    let unsigned = scope.settings.payload == Some(PayloadMode::Unsigned);
    let mut spool = None;
    let hashed = hash_body(&prepared.body, unsigned, &mut spool)?;
    let signed = sign_prepared(&signer, &prepared, &hashed, time, None)?;
    let mut out = std::io::stdout().lock();
    let text = if args.json {
        serde_json::to_string_pretty(&to_json(&signed, &scope)).expect("JSON of strings") + "\n"
    } else if args.curl {
        curl_command(&signed, &prepared.body)? + "\n"
    } else {
        let given: Vec<String> = prepared
            .headers
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect();
        let mut text = String::new();
        for (name, value) in signed.headers() {
            if !given.contains(&name.to_ascii_lowercase()) {
                text.push_str(&format!("{name}: {value}\n"));
            }
        }
        text
    };
    out.write_all(text.as_bytes())
        .map_err(|e| CliError::input(format!("cannot write to stdout: {e}")))?;
    Ok(())
}
