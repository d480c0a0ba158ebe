//! A verifying upstream for the proxy's tests: every request is checked with the core's `Verifier`
//! (aws-chunked bodies decoded and their chunk signatures checked as they stream, never held), then
//! answered with JSON: `{"access_key_id", "bytes", "sha256"}` or `{"code", "message"}` with 403.
//!
//!     verify_sink AKID SECRET REGION SERVICE [DELAY_MS]
//!
//! Prints `listening on http://127.0.0.1:PORT`. DELAY_MS holds each answer back (slow-upstream tests).
//! The service's defaults apply (UNSIGNED-PAYLOAD and presigned URLs without a body hash for S3 only).
//! AKID `-` answers every request with 200 unverified, reading the body (the benchmark's floor).
//! Every answer names its connection (`"connection": N`), so tests can see connections reused.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use sigv4::{Body, Credentials, PayloadHasher, SigningTime, Verifier, VerifierSettings};

fn reply(status: u16, value: serde_json::Value) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(value.to_string())))
        .expect("response")
}

fn now() -> SigningTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    SigningTime::from_unix(secs).expect("clock")
}

async fn handle(
    verifier: Option<Arc<Verifier>>,
    delay: Duration,
    connection: u64,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let (parts, mut incoming) = request.into_parts();
    let Some(verifier) = verifier else {
        let mut total = 0u64;
        while let Some(Ok(frame)) = incoming.frame().await {
            total += frame.data_ref().map_or(0, |d| d.len() as u64);
        }
        return reply(
            200,
            serde_json::json!({"bytes": total, "connection": connection}),
        );
    };
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let content_sha = parts
        .headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let refuse = |e: sigv4::Error| {
        reply(
            403,
            serde_json::json!({"code": e.code(), "message": e.message()}),
        )
    };
    let mut hasher = PayloadHasher::new();
    let mut total = 0u64;
    let who;
    if content_sha.starts_with("STREAMING-") {
        let request =
            match sigv4::Request::new(parts.method.as_str(), &target, &pairs, Body::Bytes(b"")) {
                Ok(r) => r,
                Err(e) => return refuse(e),
            };
        let stream = match verifier.verify_streaming(&request, now()) {
            Ok(s) => s,
            Err(e) => return refuse(e),
        };
        let (identity, mut decoder) = stream.into_parts();
        let mut out = Vec::new();
        while let Some(frame) = incoming.frame().await {
            let Ok(frame) = frame else {
                return reply(400, serde_json::json!({"code": "BrokenBody"}));
            };
            if let Some(data) = frame.data_ref() {
                out.clear();
                if let Err(e) = decoder.feed(data, &mut out) {
                    return refuse(e);
                }
                total += out.len() as u64;
                hasher.update(&out);
            }
        }
        if let Err(e) = decoder.finish() {
            return refuse(e);
        }
        who = identity;
    } else if content_sha == "UNSIGNED-PAYLOAD" {
        let request =
            match sigv4::Request::new(parts.method.as_str(), &target, &pairs, Body::Bytes(b"")) {
                Ok(r) => r,
                Err(e) => return refuse(e),
            };
        who = match verifier.verify(&request, now()) {
            Ok(w) => w,
            Err(e) => return refuse(e),
        };
        while let Some(Ok(frame)) = incoming.frame().await {
            if let Some(data) = frame.data_ref() {
                total += data.len() as u64;
                hasher.update(data);
            }
        }
    } else {
        let body = match incoming.collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => return reply(400, serde_json::json!({"code": "BrokenBody"})),
        };
        let request =
            match sigv4::Request::new(parts.method.as_str(), &target, &pairs, Body::Bytes(&body)) {
                Ok(r) => r,
                Err(e) => return refuse(e),
            };
        who = match verifier.verify(&request, now()) {
            Ok(w) => w,
            Err(e) => return refuse(e),
        };
        total = body.len() as u64;
        hasher.update(&body);
    }
    reply(
        200,
        serde_json::json!({
            "access_key_id": who.access_key_id,
            "payload": who.payload_hash,
            "path": parts.uri.path(),
            "bytes": total,
            "sha256": hasher.finish_hex(),
            "connection": connection,
        }),
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: verify_sink AKID SECRET REGION SERVICE [DELAY_MS]");
        std::process::exit(2);
    }
    let verifier = (args[1] != "-").then(|| {
        let creds =
            Credentials::new(args[1].as_str(), args[2].as_str(), None).expect("credentials");
        let mut settings = VerifierSettings::for_service(&args[4]);
        settings.allow_sigv4a = true;
        Arc::new(Verifier::new(creds, &[args[3].as_str()], &args[4], settings).expect("verifier"))
    });
    let delay = Duration::from_millis(args.get(5).and_then(|d| d.parse().ok()).unwrap_or(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    println!(
        "listening on http://{}",
        listener.local_addr().expect("addr")
    );
    use std::io::Write;
    std::io::stdout().flush().ok();
    let mut connections = 0u64;
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        connections += 1;
        let connection = connections;
        let verifier = verifier.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let verifier = verifier.clone();
                async move { Ok::<_, Infallible>(handle(verifier, delay, connection, req).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
