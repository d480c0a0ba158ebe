//! The response body on its way back: counted for the access log, and its upstream connection
//! returned to the pool once the body has been read to the end.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;

use super::pool::Pool;
use crate::http::Connection;

/// What the access log line needs.
pub struct LogLine {
    /// The method.
    pub method: String,
    /// The path (never the query: it may hold presigned signatures or tokens).
    pub path: String,
    /// The status sent.
    pub status: u16,
    /// When the request arrived.
    pub start: Instant,
    /// False with `--quiet`.
    pub enabled: bool,
}

impl LogLine {
    /// Writes the line (one per request).
    pub fn write(&self, bytes: u64, note: &str) {
        if self.enabled {
            eprintln!(
                "{} {} {} {} {}ms{}",
                self.method,
                self.path,
                self.status,
                bytes,
                self.start.elapsed().as_millis(),
                note
            );
        }
    }
}

/// The upstream's body, counted, logged when it ends or is dropped.
pub struct Relay {
    inner: Incoming,
    bytes: u64,
    log: Option<LogLine>,
    conn: Option<(Arc<Pool>, Connection)>,
}

impl Relay {
    /// Wraps `inner`; `conn` goes back to `pool` at the end of the body.
    pub fn new(inner: Incoming, log: LogLine, pool: Arc<Pool>, conn: Connection) -> Self {
        Relay {
            inner,
            bytes: 0,
            log: Some(log),
            conn: Some((pool, conn)),
        }
    }

    fn finish(&mut self, note: &str) {
        if let Some(log) = self.log.take() {
            log.write(self.bytes, note);
        }
    }
}

impl Body for Relay {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.bytes += data.len() as u64;
                }
                if this.inner.is_end_stream() {
                    this.end();
                }
            }
            Poll::Ready(None) => this.end(),
            Poll::Ready(Some(Err(_))) => {
                this.conn = None;
                this.finish(" (upstream body broken)");
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Relay {
    fn end(&mut self) {
        if let Some((pool, conn)) = self.conn.take() {
            pool.give_back(conn);
        }
        self.finish("");
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        // An empty body is never polled: it ended. Otherwise the client went away mid-response,
        // and the upstream connection closes with it.
        if self.inner.is_end_stream() {
            self.end();
        } else if self.log.is_some() {
            self.conn = None;
            self.finish(" (client closed early)");
        }
    }
}
