//! `NativeTrustedProxies`: the core's rule for `X-Forwarded-Host` / `X-Forwarded-Prefix` behind a
//! reverse proxy, for the middleware's `trustedProxies` option (lib/forwarded.js).

use napi::bindgen_prelude::Env;
use sigv4::TrustedProxies;

use crate::error::from_core;

/// An opt-in list of trusted proxies (addresses or CIDR blocks).
#[napi]
pub struct NativeTrustedProxies {
    inner: TrustedProxies,
}

#[napi]
impl NativeTrustedProxies {
    /// Parses the list; throws `InvalidOption` naming an entry that is not an address or CIDR block.
    #[napi(constructor)]
    pub fn new(env: Env, entries: Vec<String>) -> napi::Result<Self> {
        let inner = TrustedProxies::parse(entries.iter().map(String::as_str))
            .map_err(|e| from_core(env.raw(), &e))?;
        Ok(NativeTrustedProxies { inner })
    }

    /// `[host, prefix]` the client signed when `peer` is trusted (`host` empty: keep `Host`;
    /// `prefix` empty: none), or `[]` when the forwarded headers are ignored. `forwardedHost` and
    /// `forwardedPrefix` are the header values (repeated headers joined with `,`). Throws
    /// `InvalidHeaderValue` for a malformed value from a trusted proxy. `target` is the request-target
    /// as received: one that is not origin-form is refused first (`InvalidUrl`, the core's
    /// `require_origin_form`), as the verifier would refuse it without the prefix put before it.
    #[napi]
    pub fn resolve(
        &self,
        env: Env,
        peer: Option<String>,
        forwarded_host: Option<String>,
        forwarded_prefix: Option<String>,
        target: String,
    ) -> napi::Result<Vec<String>> {
        sigv4::require_origin_form(&target).map_err(|e| from_core(env.raw(), &e))?;
        let mut headers = Vec::with_capacity(2);
        if let Some(h) = &forwarded_host {
            headers.push(("x-forwarded-host", h.as_str()));
        }
        if let Some(p) = &forwarded_prefix {
            headers.push(("x-forwarded-prefix", p.as_str()));
        }
        let found = self
            .inner
            .resolve(peer.as_deref(), &headers)
            .map_err(|e| from_core(env.raw(), &e))?;
        if found.host.is_none() && found.prefix.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![
            found.host.unwrap_or("").to_owned(),
            found.prefix.to_owned(),
        ])
    }
}
