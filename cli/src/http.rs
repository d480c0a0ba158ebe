//! One HTTP/1.1 client for everything the command sends (requests, credential endpoints, the
//! proxy's upstream): hyper over TCP or rustls (ring), bodies as byte frames, never buffered here.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::error::{CliError, Result};

/// A request body: bytes or a stream of frames, erroring with `io::Error`.
pub type OutBody = BoxBody<Bytes, std::io::Error>;

/// An empty body.
pub fn empty() -> OutBody {
    Empty::<Bytes>::new()
        .map_err(|never| match never {})
        .boxed()
}

/// A body of `bytes`.
pub fn full(bytes: impl Into<Bytes>) -> OutBody {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// Where a URL points: scheme, host, port, and the request target (path and query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// True for `https`.
    pub tls: bool,
    /// The host name or address (IPv6 without brackets).
    pub host: String,
    /// The port (80/443 when the URL gives none).
    pub port: u16,
    /// `/path?query` as it goes on the request line.
    pub target: String,
}

impl Endpoint {
    /// Splits an absolute `http://` or `https://` URL.
    pub fn parse(url: &str) -> Result<Self> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            CliError::input(format!(
                "URL {url:?} is not absolute: write http://HOST/... or https://HOST/..."
            ))
        })?;
        let tls = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            other => {
                return Err(CliError::input(format!(
                    "URL scheme {other:?} is not supported: use http or https"
                )))
            }
        };
        let rest = rest.split('#').next().unwrap_or(rest);
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(split);
        if authority.contains('@') {
            return Err(CliError::input("URL user info (user@host) is not supported: credentials come from the environment or a profile"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| {
                CliError::input(format!("URL host {authority:?} has an unclosed '['"))
            })?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(CliError::input(format!("URL {url:?} has no host")));
        }
        let port = match port {
            Some(p) => p.parse::<u16>().map_err(|_| {
                CliError::input(format!("URL port {p:?} is not a number from 0 to 65535"))
            })?,
            None if tls => 443,
            None => 80,
        };
        let target = if target.is_empty() {
            "/".to_owned()
        } else if target.starts_with('?') {
            format!("/{target}")
        } else {
            target.to_owned()
        };
        Ok(Endpoint {
            tls,
            host: host.to_owned(),
            port,
            target,
        })
    }
}

/// TLS settings: the roots to trust.
#[derive(Debug, Default, Clone)]
pub struct TlsOptions {
    /// An extra PEM file of CA certificates.
    pub cacert: Option<std::path::PathBuf>,
}

fn tls_config(options: &TlsOptions) -> Result<Arc<rustls::ClientConfig>> {
    static DEFAULT: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    if options.cacert.is_none() {
        if let Some(config) = DEFAULT.get() {
            return Ok(config.clone());
        }
    }
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    // The system's roots too (corporate CAs); unreadable ones are skipped like curl does.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = &options.cacert {
        add_pem(&mut roots, path)?;
    }
    // ring, not aws-lc-rs (whose C build is heavy); ring has no post-quantum key exchange, which
    // is what the deprecation is about.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| CliError::network(format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let config = Arc::new(config);
    if options.cacert.is_none() {
        let _ = DEFAULT.set(config.clone());
    }
    Ok(config)
}

fn add_pem(roots: &mut rustls::RootCertStore, path: &Path) -> Result<()> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut count = 0;
    let iter = CertificateDer::pem_file_iter(path)
        .map_err(|e| CliError::input(format!("cannot read --cacert {}: {e}", path.display())))?;
    for cert in iter {
        let cert =
            cert.map_err(|e| CliError::input(format!("--cacert {}: {e}", path.display())))?;
        roots
            .add(cert)
            .map_err(|e| CliError::input(format!("--cacert {}: {e}", path.display())))?;
        count += 1;
    }
    if count == 0 {
        return Err(CliError::input(format!(
            "--cacert {} holds no PEM certificate",
            path.display()
        )));
    }
    Ok(())
}

/// A connection ready to send one request at a time.
pub struct Connection {
    sender: hyper::client::conn::http1::SendRequest<OutBody>,
}

impl Connection {
    /// Opens a TCP (and TLS) connection to `endpoint`.
    pub async fn open(endpoint: &Endpoint, tls: &TlsOptions) -> Result<Self> {
        let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port))
            .await
            .map_err(|e| {
                CliError::network(format!(
                    "cannot connect to {}:{}: {e}",
                    endpoint.host, endpoint.port
                ))
            })?;
        let _ = tcp.set_nodelay(true);
        if endpoint.tls {
            let config = tls_config(tls)?;
            let name =
                rustls::pki_types::ServerName::try_from(endpoint.host.clone()).map_err(|e| {
                    CliError::input(format!(
                        "{:?} is not a valid TLS server name: {e}",
                        endpoint.host
                    ))
                })?;
            let stream = tokio_rustls::TlsConnector::from(config)
                .connect(name, tcp)
                .await
                .map_err(|e| {
                    CliError::network(format!("TLS handshake with {} failed: {e}", endpoint.host))
                })?;
            Self::handshake(TokioIo::new(stream)).await
        } else {
            Self::handshake(TokioIo::new(tcp)).await
        }
    }

    async fn handshake<T>(io: TokioIo<T>) -> Result<Self>
    where
        T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let (sender, conn) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| CliError::network(format!("HTTP handshake failed: {e}")))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Connection { sender })
    }

    /// True when the connection can take the next request now (the last response is read).
    pub fn is_ready(&self) -> bool {
        self.sender.is_ready()
    }

    /// True when the connection is closed.
    pub fn is_closed(&self) -> bool {
        self.sender.is_closed()
    }

    /// Sends one request (headers exactly as given; the target in origin form).
    pub async fn send(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(String, String)],
        body: OutBody,
    ) -> Result<hyper::Response<Incoming>> {
        let request = build(method, target, headers, body)?;
        self.sender
            .ready()
            .await
            .map_err(|e| CliError::network(format!("connection closed: {e}")))?;
        self.sender
            .send_request(request)
            .await
            .map_err(|e| CliError::network(format!("sending the request failed: {e}")))
    }
}

/// Builds a hyper request from text parts.
pub fn build(
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: OutBody,
) -> Result<hyper::Request<OutBody>> {
    let mut builder = hyper::Request::builder()
        .method(
            hyper::Method::from_bytes(method.as_bytes())
                .map_err(|_| CliError::input(format!("{method:?} is not a valid HTTP method")))?,
        )
        .uri(target);
    for (name, value) in headers {
        let name = hyper::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| CliError::input(format!("{name:?} is not a valid header name")))?;
        let value = hyper::header::HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
            CliError::input(format!("the value of header {name} is not valid in HTTP"))
        })?;
        builder = builder.header(name, value);
    }
    builder
        .body(body)
        .map_err(|e| CliError::input(format!("cannot build the request for {target:?}: {e}")))
}

/// A whole small response: status, headers, body (for credential endpoints).
pub struct Small {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: Bytes,
}

/// Sends one small request and reads the whole (bounded) answer, within `timeout`.
pub async fn fetch(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    timeout: Duration,
) -> Result<Small> {
    let endpoint = Endpoint::parse(url)?;
    let mut all = vec![(
        "Host".to_owned(),
        if (endpoint.tls && endpoint.port == 443) || (!endpoint.tls && endpoint.port == 80) {
            endpoint.host.clone()
        } else {
            format!("{}:{}", endpoint.host, endpoint.port)
        },
    )];
    all.extend_from_slice(headers);
    let work = async {
        let mut conn = Connection::open(&endpoint, &TlsOptions::default()).await?;
        let response = conn.send(method, &endpoint.target, &all, empty()).await?;
        let status = response.status().as_u16();
        let limited = http_body_util::Limited::new(response.into_body(), 1 << 20);
        let body = limited
            .collect()
            .await
            .map_err(|e| CliError::network(format!("reading the answer of {url} failed: {e}")))?
            .to_bytes();
        Ok(Small { status, body })
    };
    tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| CliError::network(format!("{url} did not answer within {timeout:?}")))?
}

#[cfg(test)]
mod tests {
    use super::Endpoint;

    #[test]
    fn endpoints() {
        let e = Endpoint::parse("https://h.example/a%2Fb?x=1#frag").unwrap();
        assert_eq!(
            (e.tls, e.host.as_str(), e.port, e.target.as_str()),
            (true, "h.example", 443, "/a%2Fb?x=1")
        );
        let e = Endpoint::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!((e.port, e.target.as_str()), (8080, "/"));
        let e = Endpoint::parse("http://[::1]:9?q").unwrap();
        assert_eq!(
            (e.host.as_str(), e.port, e.target.as_str()),
            ("::1", 9, "/?q")
        );
        assert!(Endpoint::parse("ftp://x/").is_err());
        assert!(Endpoint::parse("x/y").is_err());
        assert!(Endpoint::parse("http://h:99999/").is_err());
    }
}
