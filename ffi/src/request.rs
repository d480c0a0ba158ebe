//! `sigv4_request` and `sigv4_pair`: the borrowed request description C passes in.

use sigv4::{Body, Request};

use crate::boundary::{array, handle, opt_bytes, opt_text, text};
use crate::result::Fail;

/// A name and a value (a header, or a query parameter for `sigv4_sign_v4`), UTF-8, not
/// NUL-terminated. Both pointers are required (a zero length is allowed); the bytes are only read
/// during the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sigv4_pair {
    /// The name.
    pub name: *const u8,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// The value.
    pub value: *const u8,
    /// Length of `value` in bytes.
    pub value_len: usize,
}

/// A request to sign. Every pointer is borrowed for the duration of the signing call only.
///
/// Zero-initialise it (`sigv4_request req = {0};`) and set what you need:
/// - `method` (required): the HTTP method, e.g. `GET`.
/// - `url` (required): as it will go on the wire, `https://host[:port]/path?query`, or a bare
///   `/path?query` when `headers` contains `Host`.
/// - `headers`/`headers_len`: the headers in order (names may repeat); NULL when there are none.
///   `Host` is added from the URL when missing.
/// - `body`/`body_len`: the body bytes, hashed for a signed payload; NULL for an empty body.
/// - `payload_hash`/`payload_hash_len` (the `payload_hash` option): a precomputed hex SHA-256 of the
///   body used instead of hashing `body`; NULL to hash `body`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sigv4_request {
    /// The HTTP method (UTF-8).
    pub method: *const u8,
    /// Length of `method` in bytes.
    pub method_len: usize,
    /// The URL (UTF-8).
    pub url: *const u8,
    /// Length of `url` in bytes.
    pub url_len: usize,
    /// The headers, `headers_len` of them (NULL when 0).
    pub headers: *const sigv4_pair,
    /// Number of headers.
    pub headers_len: usize,
    /// The body bytes (NULL for none).
    pub body: *const u8,
    /// Length of `body` in bytes.
    pub body_len: usize,
    /// A precomputed hex SHA-256 of the body, or NULL to hash `body`.
    pub payload_hash: *const u8,
    /// Length of `payload_hash` in bytes (64 for a valid hash).
    pub payload_hash_len: usize,
}

/// Text views of an array of pairs, checked for NULL and UTF-8.
pub(crate) fn pairs<'a>(
    ptr: *const sigv4_pair,
    count: usize,
    names: [&'static str; 3],
) -> Result<Vec<(&'a str, &'a str)>, Fail> {
    let [what, name_arg, value_arg] = names;
    let items = array(ptr, count, what)?;
    let mut out = Vec::with_capacity(items.len());
    for p in items {
        let name = text(p.name, p.name_len, name_arg)?;
        let value = text(p.value, p.value_len, value_arg)?;
        out.push((name, value));
    }
    Ok(out)
}

/// Builds the core's borrowed request from `request` and hands it to `f`.
pub(crate) fn with_request<T>(
    request: *const sigv4_request,
    f: impl FnOnce(&Request<'_>) -> Result<T, Fail>,
) -> Result<T, Fail> {
    let r = handle(request, "request")?;
    let method = text(r.method, r.method_len, "method")?;
    let url = text(r.url, r.url_len, "url")?;
    let headers = pairs(
        r.headers,
        r.headers_len,
        ["headers", "header name", "header value"],
    )?;
    let body = match opt_text(r.payload_hash, r.payload_hash_len, "payload_hash")? {
        Some(hash) => {
            // The body may still be given (it is not hashed); reject a dangling one all the same.
            opt_bytes(r.body, r.body_len, "body")?;
            Body::Precomputed(hash)
        }
        None => Body::Bytes(opt_bytes(r.body, r.body_len, "body")?.unwrap_or(&[])),
    };
    let request = Request::new(method, url, &headers, body)?;
    f(&request)
}
