//! `TrustedProxies`: the core's rule for `X-Forwarded-Host` / `X-Forwarded-Prefix` behind a reverse
//! proxy, for the WSGI and ASGI middlewares' `trusted_proxies=` option.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyString};
use sigv4::TrustedProxies as CoreTrusted;

use crate::errors::{verification, IntoPyResult};

/// An opt-in list of trusted proxies (``["127.0.0.1", "10.0.0.0/8", "::1"]``: addresses or CIDR
/// blocks). ``resolve(peer, forwarded_host, forwarded_prefix)`` gives ``(host, prefix)``: what the
/// client signed when ``peer`` is trusted (``host`` None when there is no ``X-Forwarded-Host``;
/// ``prefix`` "" when there is no ``X-Forwarded-Prefix``), else ``(None, "")`` — the forwarded
/// headers of any other peer are ignored. Raises ``VerificationError`` (``InvalidHeaderValue``) for
/// a malformed value from a trusted proxy.
#[pyclass(module = "sigv4", name = "TrustedProxies", frozen)]
pub struct TrustedProxies {
    inner: CoreTrusted,
}

#[pymethods]
impl TrustedProxies {
    #[new]
    fn new(py: Python<'_>, proxies: &Bound<'_, PyAny>) -> PyResult<Self> {
        if proxies.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "trusted_proxies must be a list of addresses or CIDR blocks, not one str",
            ));
        }
        let mut entries = Vec::new();
        for item in proxies.try_iter()? {
            let item = item?;
            let text = item.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(
                    "trusted_proxies entries must be str (an address or CIDR block)",
                )
            })?;
            entries.push(crate::text::string_of(text)?);
        }
        let inner = CoreTrusted::parse(entries.iter().map(String::as_str)).py_err(py)?;
        Ok(TrustedProxies { inner })
    }

    /// ``(host, prefix)`` the client signed (see the class documentation).
    #[pyo3(signature = (peer, forwarded_host=None, forwarded_prefix=None))]
    fn resolve(
        &self,
        py: Python<'_>,
        peer: Option<&str>,
        forwarded_host: Option<&str>,
        forwarded_prefix: Option<&str>,
    ) -> PyResult<(Option<String>, String)> {
        let mut headers = Vec::with_capacity(2);
        if let Some(h) = forwarded_host {
            headers.push(("x-forwarded-host", h));
        }
        if let Some(p) = forwarded_prefix {
            headers.push(("x-forwarded-prefix", p));
        }
        let found = self
            .inner
            .resolve(peer, &headers)
            .map_err(|e| verification(py, e))?;
        Ok((found.host.map(str::to_owned), found.prefix.to_owned()))
    }

    /// Whether ``peer`` is a trusted proxy.
    fn trusts(&self, peer: &str) -> bool {
        self.inner.trusts(peer)
    }

    fn __repr__(&self) -> String {
        format!("TrustedProxies({:?})", self.inner)
    }
}
