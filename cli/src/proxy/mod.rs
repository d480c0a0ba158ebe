//! `sigv4 proxy`: a streaming signing reverse proxy. Requests in; signed requests to the upstream
//! over reused connections; responses streamed back. Bodies are never held in memory.

pub mod args;
mod forward;
mod pool;
mod relay;

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

pub use args::ProxyArgs;
use forward::Shared;

use crate::args::SigningArgs;
use crate::creds::{Env, Provider};
use crate::error::{exit, CliError, Result};
use crate::http::{Endpoint, TlsOptions};
use crate::signing;

fn seconds(value: f64, name: &str) -> Result<Duration> {
    if !(value.is_finite() && value > 0.0) {
        return Err(CliError::input(format!(
            "--{name} must be a positive number of seconds"
        )));
    }
    Ok(Duration::from_secs_f64(value))
}

/// Builds the shared state from the options.
async fn shared(args: &ProxyArgs) -> Result<Shared> {
    let upstream = Endpoint::parse(&args.upstream)?;
    if upstream.target != "/" {
        return Err(CliError::input(format!(
            "--upstream {} has a path: give only scheme://host[:port]; request paths are kept as they come",
            args.upstream
        )));
    }
    let default_port = if upstream.tls { 443 } else { 80 };
    let authority = if upstream.port == default_port {
        upstream.host.clone()
    } else {
        format!("{}:{}", upstream.host, upstream.port)
    };
    let host = args.sign_host.clone().unwrap_or(authority);
    let env = Env::from_process();
    let provider = Provider::new(env.clone(), args.profile.as_deref())?;
    let signing_args = SigningArgs {
        service: args.service.clone(),
        region: args.region.clone(),
        profile: args.profile.clone(),
        sigv4a: args.sigv4a,
        region_set: args.region_set.clone(),
        unsigned_payload: false,
        timestamp: None,
    };
    let scheme = if upstream.tls { "https" } else { "http" };
    let mut scope = signing::scope(
        &signing_args,
        &format!("{scheme}://{host}/"),
        &env,
        Some(&provider),
    )?;
    scope.credentials_from = provider.source().describe();
    // Fail at start-up, not on the first request, when there are no credentials.
    provider.get(signing::now_unix()).await?;
    if args.chunk_size == 0 || args.chunk_size > sigv4::MAX_CHUNK_SIZE {
        return Err(CliError::input(format!(
            "--chunk-size must be 1..={}",
            sigv4::MAX_CHUNK_SIZE
        )));
    }
    let pool = pool::Pool::new(
        upstream,
        TlsOptions {
            cacert: args.cacert.clone(),
        },
        seconds(args.connect_timeout, "connect-timeout")?,
        args.max_idle,
    );
    Ok(Shared {
        provider,
        scope,
        pool: Arc::new(pool),
        host,
        payload: args.payload,
        max_spool_bytes: args.max_spool_bytes,
        chunk_size: args.chunk_size,
        upstream_timeout: seconds(args.upstream_timeout, "upstream-timeout")?,
        log: !args.quiet,
        signer: tokio::sync::Mutex::new(None),
    })
}

async fn health(listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            let service = service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
                let (status, body) = if req.uri().path() == "/healthz" {
                    (200, "ok\n")
                } else {
                    (404, "not found: GET /healthz\n")
                };
                Ok::<_, Infallible>(
                    hyper::Response::builder()
                        .status(status)
                        .header("content-type", "text/plain")
                        .body(http_body_util::Full::new(bytes::Bytes::from_static(
                            body.as_bytes(),
                        )))
                        .expect("static response"),
                )
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn shutdown_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// Runs the proxy until SIGTERM or SIGINT, then lets in-flight requests finish.
pub async fn run(args: ProxyArgs) -> Result<u8> {
    let shared = Arc::new(shared(&args).await?);
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|e| CliError::network(format!("cannot listen on {}: {e}", args.listen)))?;
    if let Some(addr) = args.health_listen {
        let health_listener = TcpListener::bind(addr).await.map_err(|e| {
            CliError::network(format!("cannot listen on {addr} (--health-listen): {e}"))
        })?;
        eprintln!(
            "sigv4 proxy: health on http://{}/healthz",
            health_listener
                .local_addr()
                .map(|a| a.to_string())
                .unwrap_or_default()
        );
        tokio::spawn(health(health_listener));
    }
    eprintln!(
        "sigv4 proxy: listening on http://{} -> {} (signing {} in {}, host {}, credentials from {})",
        listener.local_addr().map(|a| a.to_string()).unwrap_or_default(),
        args.upstream,
        shared.scope.service,
        shared.scope.region,
        shared.host,
        shared.scope.credentials_from
    );
    let (stop_tx, stop_rx) = watch::channel(false);
    let active = Arc::new(AtomicUsize::new(0));
    let slots = Arc::new(Semaphore::new(args.max_concurrent.max(1)));
    let signal = shutdown_signal();
    tokio::pin!(signal);
    loop {
        let accepted = tokio::select! {
            _ = &mut signal => break,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let mut stop = stop_rx.clone();
        let active = active.clone();
        let slots = slots.clone();
        active.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let shared = shared.clone();
                let slots = slots.clone();
                async move {
                    let _permit = slots.acquire_owned().await;
                    Ok::<_, Infallible>(forward::handle(shared, req).await)
                }
            });
            let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            let stopping = async move {
                let _ = stop.wait_for(|s| *s).await;
            };
            let finished = tokio::select! {
                _ = conn.as_mut() => true,
                _ = stopping => false,
            };
            if !finished {
                // Finish the request in flight (if any), then close.
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let deadline =
        tokio::time::Instant::now() + seconds(args.shutdown_timeout, "shutdown-timeout")?;
    eprintln!(
        "sigv4 proxy: shutting down; {} connection(s) finishing",
        active.load(Ordering::SeqCst)
    );
    while active.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let left = active.load(Ordering::SeqCst);
    if left > 0 {
        eprintln!("sigv4 proxy: {left} connection(s) cut at the shutdown timeout");
    }
    Ok(exit::OK)
}
