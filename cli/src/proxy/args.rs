//! `sigv4 proxy` options; each also readable from a `SIGV4_PROXY_*` environment variable (containers).

use std::net::SocketAddr;

use clap::{Args, ValueEnum};

/// How a request body is covered by the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PayloadChoice {
    /// aws-chunked with chunk signatures for S3; spooled and hashed for every other service.
    Auto,
    /// `UNSIGNED-PAYLOAD`, the body streamed through untouched (services that accept it).
    Unsigned,
    /// Spool the body to a temporary file, hash it, then send it (services that require a signed hash).
    Spool,
    /// aws-chunked with chunk signatures (S3 and S3-compatible services).
    Chunked,
}

/// `sigv4 proxy`.
#[derive(Args, Debug, Clone)]
pub struct ProxyArgs {
    /// Where to accept requests (`ADDR:PORT`).
    #[arg(long, env = "SIGV4_PROXY_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The upstream base URL (`https://HOST[:PORT]`); requests keep their path and query.
    #[arg(long, env = "SIGV4_PROXY_UPSTREAM")]
    pub upstream: String,
    /// The signing service (default: inferred from the upstream host).
    #[arg(long, env = "SIGV4_PROXY_SERVICE")]
    pub service: Option<String>,
    /// The region (default: inferred from the upstream host, else AWS_REGION / the profile's).
    #[arg(long, env = "SIGV4_PROXY_REGION")]
    pub region: Option<String>,
    /// The credentials profile.
    #[arg(long, env = "SIGV4_PROXY_PROFILE")]
    pub profile: Option<String>,
    /// Sign with SigV4a.
    #[arg(long, env = "SIGV4_PROXY_SIGV4A")]
    pub sigv4a: bool,
    /// The SigV4a region set (default `*`).
    #[arg(long, env = "SIGV4_PROXY_REGION_SET", requires = "sigv4a")]
    pub region_set: Option<String>,
    /// The Host to sign and send instead of the upstream's (virtual-hosted S3 behind another name).
    #[arg(long, env = "SIGV4_PROXY_SIGN_HOST")]
    pub sign_host: Option<String>,
    /// How bodies are signed.
    #[arg(long, env = "SIGV4_PROXY_PAYLOAD", value_enum, default_value_t = PayloadChoice::Auto)]
    pub payload: PayloadChoice,
    /// Largest body spooled to a temporary file for hashing (bytes); larger ones get 413.
    #[arg(long, env = "SIGV4_PROXY_MAX_SPOOL_BYTES", default_value_t = 1 << 30)]
    pub max_spool_bytes: u64,
    /// aws-chunked chunk size (bytes).
    #[arg(long, env = "SIGV4_PROXY_CHUNK_SIZE", default_value_t = 64 * 1024)]
    pub chunk_size: usize,
    /// Seconds to wait for a connection to the upstream.
    #[arg(long, env = "SIGV4_PROXY_CONNECT_TIMEOUT", default_value_t = 5.0)]
    pub connect_timeout: f64,
    /// Seconds to wait for the upstream's response headers (504 after).
    #[arg(long, env = "SIGV4_PROXY_UPSTREAM_TIMEOUT", default_value_t = 60.0)]
    pub upstream_timeout: f64,
    /// Most requests handled at once; more wait for a free slot.
    #[arg(long, env = "SIGV4_PROXY_MAX_CONCURRENT", default_value_t = 1024)]
    pub max_concurrent: usize,
    /// Idle upstream connections kept for reuse.
    #[arg(long, env = "SIGV4_PROXY_MAX_IDLE", default_value_t = 64)]
    pub max_idle: usize,
    /// Where to answer `GET /healthz` (a separate port).
    #[arg(long, env = "SIGV4_PROXY_HEALTH_LISTEN")]
    pub health_listen: Option<SocketAddr>,
    /// Seconds in-flight requests get to finish after SIGTERM / SIGINT.
    #[arg(long, env = "SIGV4_PROXY_SHUTDOWN_TIMEOUT", default_value_t = 30.0)]
    pub shutdown_timeout: f64,
    /// Trust this PEM file's certificates for the upstream (in addition to the system and bundled roots).
    #[arg(long, env = "SIGV4_PROXY_CACERT")]
    pub cacert: Option<std::path::PathBuf>,
    /// Worker threads (default: the number of CPUs).
    #[arg(long, env = "SIGV4_PROXY_THREADS")]
    pub threads: Option<usize>,
    /// No access log.
    #[arg(long, env = "SIGV4_PROXY_QUIET")]
    pub quiet: bool,
}
