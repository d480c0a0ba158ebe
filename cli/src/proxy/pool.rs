//! Upstream connections kept for reuse: a connection goes back to the pool when its response body
//! has been read to the end (HTTP/1.1 allows one request at a time per connection).

use std::sync::Mutex;
use std::time::Duration;

use crate::error::{CliError, Result};
use crate::http::{Connection, Endpoint, TlsOptions};

/// The upstream and its idle connections.
pub struct Pool {
    endpoint: Endpoint,
    tls: TlsOptions,
    connect_timeout: Duration,
    max_idle: usize,
    idle: Mutex<Vec<Connection>>,
}

impl Pool {
    /// A pool for `endpoint`.
    pub fn new(
        endpoint: Endpoint,
        tls: TlsOptions,
        connect_timeout: Duration,
        max_idle: usize,
    ) -> Self {
        Pool {
            endpoint,
            tls,
            connect_timeout,
            max_idle,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The upstream.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// An idle connection ready for a request, or a new one.
    pub async fn take(&self) -> Result<Connection> {
        {
            let mut idle = self.idle.lock().expect("pool lock");
            idle.retain(|c| !c.is_closed());
            // A connection given back at the end of its response turns ready a moment later (its
            // dispatcher task runs); those stay for the next taker.
            if let Some(i) = idle.iter().rposition(Connection::is_ready) {
                return Ok(idle.swap_remove(i));
            }
        }
        tokio::time::timeout(
            self.connect_timeout,
            Connection::open(&self.endpoint, &self.tls),
        )
        .await
        .map_err(|_| {
            CliError::network(format!(
                "no connection to {}:{} within {:?}",
                self.endpoint.host, self.endpoint.port, self.connect_timeout
            ))
        })?
    }

    /// Returns a connection whose response was read to the end.
    pub fn give_back(&self, conn: Connection) {
        if conn.is_closed() {
            return;
        }
        let mut idle = self.idle.lock().expect("pool lock");
        if idle.len() < self.max_idle {
            idle.push(conn);
        }
    }
}
