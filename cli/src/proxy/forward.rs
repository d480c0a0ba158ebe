//! One request through the proxy: drop the client's signing fields and hop-by-hop headers, set the
//! upstream Host, sign (bodies streamed: aws-chunked, UNSIGNED-PAYLOAD, or spooled to a temporary
//! file and hashed — never held in memory), send, and relay the answer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use sigv4::{sign_streaming, Body, ChunkedPlan, PayloadMode, Signer};
use tokio::io::AsyncWriteExt;

use super::args::PayloadChoice;
use super::pool::Pool;
use super::relay::{LogLine, Relay};
use crate::body;
use crate::creds::Provider;
use crate::http::{self, OutBody};
use crate::signing;

/// The answer's body type.
pub type ProxyBody = BoxBody<Bytes, hyper::Error>;

/// Everything a request needs, shared by all of them.
pub struct Shared {
    /// Credentials (refreshed before expiry).
    pub provider: Provider,
    /// The signing scope and settings.
    pub scope: signing::Scope,
    /// Upstream connections.
    pub pool: Arc<Pool>,
    /// The Host header sent and signed.
    pub host: String,
    /// Payload handling.
    pub payload: PayloadChoice,
    /// Largest spooled body.
    pub max_spool_bytes: u64,
    /// aws-chunked chunk size.
    pub chunk_size: usize,
    /// Response-header timeout.
    pub upstream_timeout: Duration,
    /// Access log on.
    pub log: bool,
    /// Signers keyed by the credentials' access key id (keys are cached inside).
    pub signer: tokio::sync::Mutex<Option<Arc<Signer>>>,
}

/// Request headers never forwarded: hop-by-hop (RFC 9110 7.6.1), the client's own signature
/// fields, and those the proxy sets itself.
const DROPPED: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "x-amz-region-set",
    "x-amz-decoded-content-length",
    "x-amz-trailer",
    "content-length",
    "expect",
];

/// Query parameters of a presigned URL, dropped (the proxy signs with headers).
const DROPPED_QUERY: &[&str] = &[
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-signedheaders",
    "x-amz-signature",
    "x-amz-security-token",
    "x-amz-region-set",
];

fn text(status: StatusCode, message: String) -> Response<ProxyBody> {
    let body = format!("sigv4 proxy: {message}\n");
    Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .header("content-length", body.len())
        .body(
            Full::new(Bytes::from(body))
                .map_err(|never| match never {})
                .boxed(),
        )
        .expect("static response parts")
}

fn clean_query(query: &str) -> String {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("");
            !DROPPED_QUERY.iter().any(|d| key.eq_ignore_ascii_case(d))
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn signer_for(shared: &Shared) -> Result<Arc<Signer>, String> {
    let now = signing::now_unix();
    let creds = shared.provider.get(now).await.map_err(|e| e.message)?;
    let mut cached = shared.signer.lock().await;
    if let Some(s) = cached.as_ref() {
        let same = s.credentials().access_key_id() == creds.access_key_id()
            && s.credentials().session_token() == creds.session_token()
            && s.credentials().secret_access_key() == creds.secret_access_key();
        if same {
            return Ok(s.clone());
        }
    }
    let signer = Signer::with_settings(
        creds,
        &shared.scope.region,
        &shared.scope.service,
        shared.scope.settings.clone(),
    )
    .map(Arc::new)
    .map_err(|e| e.message().to_owned())?;
    *cached = Some(signer.clone());
    Ok(signer)
}

/// A body read into a temporary file while hashing; at most `limit` bytes.
async fn spool(
    mut incoming: Incoming,
    limit: u64,
) -> Result<(body::Spool, String, u64), (StatusCode, String)> {
    let path = std::env::temp_dir().join(format!(
        "sigv4-proxy-{}-{:x}",
        std::process::id(),
        rand_suffix()
    ));
    let spool = body::Spool { path };
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&spool.path)
        .await
        .map_err(|e| {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot create a spool file: {e}"),
            )
        })?;
    let mut hasher = sigv4::PayloadHasher::new();
    let mut total = 0u64;
    while let Some(frame) = incoming.frame().await {
        let frame = frame.map_err(|e| {
            (
                StatusCode::BAD_REQUEST,
                format!("reading the request body failed: {e}"),
            )
        })?;
        if let Some(data) = frame.data_ref() {
            total += data.len() as u64;
            if total > limit {
                return Err((
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the body is larger than --max-spool-bytes {limit}; send it with UNSIGNED-PAYLOAD (--payload unsigned) if the service allows"),
                ));
            }
            hasher.update(data);
            file.write_all(data).await.map_err(|e| {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("writing the spool file failed: {e}"),
                )
            })?;
        }
    }
    file.flush()
        .await
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok((spool, hasher.finish_hex(), total))
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    t ^ (N.fetch_add(1, Ordering::Relaxed) << 48)
}

/// The incoming body as outgoing frames, untouched.
fn pass_through(incoming: Incoming) -> OutBody {
    incoming.map_err(std::io::Error::other).boxed()
}

/// The incoming body encoded as aws-chunked on the fly (one chunk buffered).
fn chunked_stream(mut incoming: Incoming, mut encoder: sigv4::ChunkedEncoder) -> OutBody {
    let (mut tx, out) = http_body_util::Channel::<Bytes, std::io::Error>::new(2);
    tokio::spawn(async move {
        let to_io = |e: sigv4::Error| std::io::Error::other(e.message().to_owned());
        while let Some(frame) = incoming.frame().await {
            match frame {
                Ok(frame) => {
                    if let Some(data) = frame.data_ref() {
                        let mut wire = Vec::new();
                        if let Err(e) = encoder.write_into(data, &mut wire) {
                            tx.abort(to_io(e));
                            return;
                        }
                        if !wire.is_empty() && tx.send_data(Bytes::from(wire)).await.is_err() {
                            return;
                        }
                    }
                }
                Err(e) => {
                    tx.abort(std::io::Error::other(e));
                    return;
                }
            }
        }
        let mut wire = Vec::new();
        match encoder.finish_into(&[], &mut wire) {
            Ok(()) => {
                let _ = tx.send_data(Bytes::from(wire)).await;
            }
            Err(e) => tx.abort(to_io(e)),
        }
    });
    out.boxed()
}

/// Handles one request.
pub async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Response<ProxyBody> {
    let start = Instant::now();
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let mut log = LogLine {
        method: method.clone(),
        path: path.clone(),
        status: 0,
        start,
        enabled: shared.log,
    };
    let response = match forward(&shared, request, &mut log).await {
        Ok(response) => return response,
        Err((status, message)) => text(status, message),
    };
    log.status = response.status().as_u16();
    log.write(0, "");
    response
}

async fn forward(
    shared: &Arc<Shared>,
    request: Request<Incoming>,
    log: &mut LogLine,
) -> Result<Response<ProxyBody>, (StatusCode, String)> {
    let (parts, incoming) = request.into_parts();
    let method = parts.method.as_str().to_owned();
    // The target: the path as received (escapes kept), the query without presigning fields.
    let query = parts.uri.query().map(clean_query).unwrap_or_default();
    let mut target = parts.uri.path().to_owned();
    if !query.is_empty() {
        target.push('?');
        target.push_str(&query);
    }
    let s3 = sigv4::is_s3_family(&shared.scope.service);
    let mut url = format!(
        "{}://{}{}",
        if shared.pool.endpoint().tls {
            "https"
        } else {
            "http"
        },
        shared.host,
        target
    );
    if s3 {
        url = signing::s3_wire_url(&url);
    }
    let connection_named: Vec<String> = parts
        .headers
        .get_all("connection")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|t| t.trim().to_ascii_lowercase()))
        .collect();
    let mut headers: Vec<(String, String)> = Vec::with_capacity(parts.headers.len());
    for (name, value) in &parts.headers {
        let lower = name.as_str();
        if DROPPED.contains(&lower) || connection_named.iter().any(|c| c == lower) {
            continue;
        }
        let value = value.to_str().map_err(|_| {
            (
                StatusCode::BAD_REQUEST,
                format!("header {lower} is not visible ASCII; it cannot be signed"),
            )
        })?;
        if lower == "content-encoding" {
            let rest: Vec<&str> = value
                .split(',')
                .map(str::trim)
                .filter(|t| !t.eq_ignore_ascii_case("aws-chunked") && !t.is_empty())
                .collect();
            if !rest.is_empty() {
                headers.push(("content-encoding".to_owned(), rest.join(",")));
            }
            continue;
        }
        headers.push((lower.to_owned(), value.to_owned()));
    }
    headers.push(("host".to_owned(), shared.host.clone()));
    let length: Option<u64> = parts
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let chunked_in = parts.headers.get("transfer-encoding").is_some();
    let has_body = chunked_in || length.is_some_and(|l| l > 0);
    let signer = signer_for(shared)
        .await
        .map_err(|m| (StatusCode::BAD_GATEWAY, format!("no credentials: {m}")))?;
    let time = sigv4::SigningTime::from_unix(signing::now_unix())
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.message().to_owned()))?;
    let choice = match shared.payload {
        PayloadChoice::Auto if s3 => PayloadChoice::Chunked,
        PayloadChoice::Auto => PayloadChoice::Spool,
        other => other,
    };
    let sign_err = |e: sigv4::Error| {
        (
            StatusCode::BAD_REQUEST,
            format!("cannot sign the request: {}: {}", e.code(), e.message()),
        )
    };
    let mut _spool = None;
    let (signed, body): (sigv4::SignedRequest, OutBody) = if !has_body {
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let req = sigv4::Request::new(&method, &url, &pairs, Body::Bytes(b"")).map_err(sign_err)?;
        (signer.sign(&req, time).map_err(sign_err)?, http::empty())
    } else {
        match choice {
            PayloadChoice::Unsigned => {
                let len_text;
                let mut pairs: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                if let Some(l) = length {
                    len_text = l.to_string();
                    pairs.push(("content-length", &len_text));
                }
                let mut settings = shared.scope.settings.clone();
                settings.payload = Some(PayloadMode::Unsigned);
                let unsigned = Signer::with_settings(
                    signer.credentials().clone(),
                    &shared.scope.region,
                    &shared.scope.service,
                    settings,
                )
                .map_err(sign_err)?;
                let req = sigv4::Request::new(&method, &url, &pairs, Body::Bytes(b""))
                    .map_err(sign_err)?;
                (
                    unsigned.sign(&req, time).map_err(sign_err)?,
                    pass_through(incoming),
                )
            }
            PayloadChoice::Chunked if length.is_some() => {
                let pairs: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let req = sigv4::Request::new(&method, &url, &pairs, Body::Bytes(b""))
                    .map_err(sign_err)?;
                let plan = ChunkedPlan::new(
                    PayloadMode::StreamingSigned,
                    length.unwrap_or(0),
                    shared.chunk_size,
                )
                .map_err(sign_err)?
                .with_algorithm(shared.scope.settings.algorithm);
                let upload = sign_streaming(&signer, &req, time, plan).map_err(sign_err)?;
                (upload.request, chunked_stream(incoming, upload.encoder))
            }
            _ => {
                // Spool (and chunked without a length: S3 needs the decoded length up front).
                let (spooled, sha256, len) = spool(incoming, shared.max_spool_bytes).await?;
                let len_text = len.to_string();
                let mut pairs: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                pairs.push(("content-length", &len_text));
                let req = sigv4::Request::new(&method, &url, &pairs, Body::Precomputed(&sha256))
                    .map_err(sign_err)?;
                let signed = signer.sign(&req, time).map_err(sign_err)?;
                let file = body::file_body(&spooled.path)
                    .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.message))?;
                _spool = Some(spooled);
                (signed, file)
            }
        }
    };
    let out_headers = signed.headers().to_vec();
    let endpoint = shared.pool.endpoint();
    let upstream = format!("{}:{}", endpoint.host, endpoint.port);
    let mut conn = shared.pool.take().await.map_err(|e| {
        (
            StatusCode::BAD_GATEWAY,
            format!("upstream {upstream} unreachable: {}", e.message),
        )
    })?;
    let origin_target = crate::http::Endpoint::parse(signed.url())
        .map(|e| e.target)
        .unwrap_or(target);
    let sent = tokio::time::timeout(
        shared.upstream_timeout,
        conn.send(signed.method(), &origin_target, &out_headers, body),
    )
    .await;
    let response = match sent {
        Err(_) => {
            return Err((
                StatusCode::GATEWAY_TIMEOUT,
                format!(
                    "upstream {upstream} did not answer within {:?}",
                    shared.upstream_timeout
                ),
            ))
        }
        Ok(Err(e)) => {
            return Err((
                StatusCode::BAD_GATEWAY,
                format!("upstream {upstream} failed: {}", e.message),
            ))
        }
        Ok(Ok(r)) => r,
    };
    drop(_spool); // the file is open in the body task; unlinking now frees it when sent
    let (mut head, upstream_body) = response.into_parts();
    for name in [
        "connection",
        "keep-alive",
        "transfer-encoding",
        "upgrade",
        "proxy-connection",
        "trailer",
    ] {
        head.headers.remove(name);
    }
    log.status = head.status.as_u16();
    let relay = Relay::new(
        upstream_body,
        LogLine {
            method: log.method.clone(),
            path: log.path.clone(),
            status: log.status,
            start: log.start,
            enabled: log.enabled,
        },
        shared.pool.clone(),
        conn,
    );
    log.enabled = false;
    Ok(Response::from_parts(head, relay.boxed()))
}
