//! `sigv4 request URL`: sign and send, curl-like; S3 uploads from a file or stdin stream with
//! aws-chunked in constant memory.

use std::io::Write;
use std::time::Duration;

use http_body_util::BodyExt;
use sigv4::{is_s3_family, sign_streaming, Body, ChunkedPlan, PayloadMode, Request, SignedRequest};

use super::sign::{hash_body, sign_prepared, Hashed};
use crate::args::RequestArgs;
use crate::body;
use crate::error::{exit, CliError, Result};
use crate::http::{self, Connection, Endpoint, OutBody, TlsOptions};
use crate::signing::{self, redact, redact_token, BodySource, Prepared};

/// How much of an error answer `-v` keeps for `sigv4 explain --last`.
const KEEP_BODY: usize = 256 * 1024;

/// Where `-v` keeps the last exchange: $SIGV4_LAST, else $XDG_CACHE_HOME/sigv4/last.json, else
/// ~/.cache/sigv4/last.json.
pub fn last_path() -> Option<std::path::PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(p) = env("SIGV4_LAST") {
        return Some(p.into());
    }
    let base = env("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| env("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")))?;
    Some(base.join("sigv4").join("last.json"))
}

struct Outgoing {
    signed: SignedRequest,
    body: OutBody,
    streamed: bool,
    _spool: Option<body::Spool>,
}

fn prepare(
    args: &RequestArgs,
    prepared: &Prepared,
    signer: &sigv4::Signer,
    time: sigv4::SigningTime,
) -> Result<Outgoing> {
    let settings = signer.settings();
    let unsigned = settings.payload == Some(PayloadMode::Unsigned);
    let mut spool = None;
    // S3 uploads of a file or stdin: aws-chunked with chunk signatures, constant memory.
    let streamable = matches!(prepared.body, BodySource::File(_) | BodySource::Stdin)
        && is_s3_family(signer.service())
        && !unsigned
        && !args.presign;
    if streamable {
        let path = match &prepared.body {
            BodySource::File(p) => p.clone(),
            _ => {
                let s = body::spool_stdin()?;
                let p = s.path.clone();
                spool = Some(s);
                p
            }
        };
        let len = body::file_len(&path)?;
        let plan = ChunkedPlan::new(PayloadMode::StreamingSigned, len, args.chunk_size)?
            .with_algorithm(settings.algorithm);
        let headers: Vec<(&str, &str)> = prepared
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let request = Request::new(&prepared.method, &prepared.url, &headers, Body::Bytes(b""))?;
        let upload = sign_streaming(signer, &request, time, plan)?;
        let body = body::chunked_file_body(&path, upload.encoder)?;
        return Ok(Outgoing {
            signed: upload.request,
            body,
            streamed: true,
            _spool: spool,
        });
    }
    let hashed = hash_body(&prepared.body, unsigned, &mut spool)?;
    let expires = args.presign.then_some(args.expires);
    let signed = sign_prepared(signer, prepared, &hashed, time, expires)?;
    let body = match hashed {
        Hashed::Bytes(b) if b.is_empty() => http::empty(),
        Hashed::Bytes(b) => http::full(b),
        Hashed::File { path, .. } => body::file_body(&path)?,
    };
    Ok(Outgoing {
        signed,
        body,
        streamed: false,
        _spool: spool,
    })
}

fn with_length(signed: &SignedRequest, prepared: &Prepared) -> Vec<(String, String)> {
    let mut headers = signed.headers().to_vec();
    let has_length = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
    if !has_length {
        if let BodySource::Bytes(b) = &prepared.body {
            if !b.is_empty()
                || !matches!(
                    prepared.method.as_str(),
                    "GET" | "HEAD" | "DELETE" | "OPTIONS"
                )
            {
                headers.push(("Content-Length".to_owned(), b.len().to_string()));
            }
        }
    }
    headers
}

/// Runs `sigv4 request`.
pub async fn run(args: RequestArgs) -> Result<u8> {
    let mut prepared = Prepared::from_args(&args.http)?;
    let time = signing::time(args.signing.timestamp.as_deref())?;
    let (signer, scope) = signing::signer(&args.signing, &prepared.url, time).await?;
    if is_s3_family(signer.service()) {
        prepared.url = signing::s3_wire_url(&prepared.url);
    }
    let outgoing = prepare(&args, &prepared, &signer, time)?;
    let signed = &outgoing.signed;
    let endpoint = Endpoint::parse(signed.url())?;
    let headers = with_length(signed, &prepared);
    let mut err = std::io::stderr().lock();
    if args.verbose {
        let _ = writeln!(
            err,
            "* signing for {} in {} with credentials from {}",
            scope.service, scope.region, scope.credentials_from
        );
        let _ = writeln!(
            err,
            "* canonical request:\n{}\n* string to sign:\n{}\n*",
            redact(signed.canonical_request()),
            signed.string_to_sign()
        );
        let _ = writeln!(
            err,
            "> {} {} HTTP/1.1",
            signed.method(),
            redact(&endpoint.target)
        );
        for (name, value) in &headers {
            let shown = if name.eq_ignore_ascii_case("x-amz-security-token") {
                "** redacted **".to_owned()
            } else {
                value.clone()
            };
            let _ = writeln!(err, "> {name}: {shown}");
        }
        if outgoing.streamed {
            let _ = writeln!(
                err,
                "* body: aws-chunked, {} byte chunks, each signed",
                args.chunk_size
            );
        }
        let _ = writeln!(err, ">");
    }
    drop(err);
    let tls = TlsOptions {
        cacert: args.cacert.clone(),
    };
    let work = async {
        let mut conn = Connection::open(&endpoint, &tls).await?;
        let response = conn
            .send(signed.method(), &endpoint.target, &headers, outgoing.body)
            .await?;
        let status = response.status();
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        );
        for (name, value) in response.headers() {
            head.push_str(&format!(
                "{}: {}\r\n",
                name,
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        head.push_str("\r\n");
        if args.verbose {
            let mut err = std::io::stderr().lock();
            for line in head.trim_end().split("\r\n") {
                let _ = writeln!(err, "< {line}");
            }
            let _ = writeln!(err, "<");
        }
        let mut sink: Box<dyn Write> =
            match &args.output {
                Some(path) => Box::new(std::fs::File::create(path).map_err(|e| {
                    CliError::input(format!("cannot create {}: {e}", path.display()))
                })?),
                None => Box::new(std::io::stdout().lock()),
            };
        if args.include {
            sink.write_all(head.as_bytes())
                .map_err(|e| CliError::input(format!("cannot write the output: {e}")))?;
        }
        let mut kept = Vec::new();
        let mut body = response.into_body();
        while let Some(frame) = body.frame().await {
            let frame = frame
                .map_err(|e| CliError::network(format!("reading the response failed: {e}")))?;
            if let Some(data) = frame.data_ref() {
                if kept.len() < KEEP_BODY {
                    kept.extend_from_slice(&data[..data.len().min(KEEP_BODY - kept.len())]);
                }
                sink.write_all(data)
                    .map_err(|e| CliError::input(format!("cannot write the output: {e}")))?;
            }
        }
        sink.flush()
            .map_err(|e| CliError::input(format!("cannot write the output: {e}")))?;
        Ok::<_, CliError>((status.as_u16(), kept))
    };
    let (status, kept) = match args.max_time {
        Some(seconds) if seconds > 0.0 => {
            tokio::time::timeout(Duration::from_secs_f64(seconds), work)
                .await
                .map_err(|_| {
                    CliError::network(format!("no complete answer within --max-time {seconds} s"))
                })??
        }
        _ => work.await?,
    };
    if args.verbose {
        save_last(signed, status, &kept, signer.credentials().session_token());
    }
    if args.fail && status >= 400 {
        return Ok(exit::HTTP_STATUS);
    }
    Ok(exit::OK)
}

/// Keeps the exchange for `explain --last`, the session token hidden everywhere (the server's
/// answer may echo it inside its canonical request).
fn save_last(signed: &SignedRequest, status: u16, body: &[u8], token: Option<&str>) {
    let Some(path) = last_path() else { return };
    let hide = |text: &str| redact(&redact_token(text, token));
    let value = serde_json::json!({
        "method": signed.method(),
        "url": hide(signed.url()),
        "canonical_request": hide(signed.canonical_request()),
        "string_to_sign": signed.string_to_sign(),
        "status": status,
        "response": hide(&String::from_utf8_lossy(body)),
    });
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(&path, serde_json::to_vec_pretty(&value).unwrap_or_default()) {
        eprintln!(
            "sigv4: could not keep the exchange in {}: {e}",
            path.display()
        );
    }
}
