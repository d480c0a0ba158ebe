//! Verifiers that never hold a secret: the lookup hands over the derived signing key (`kSigning`)
//! for the request's (date, region, service) instead of the secret access key.
//!
//! A key service (or a table precomputed elsewhere) derives `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" +
//! secret, date), region), service), "aws4_request")` and gives the verifier only that: a leaked
//! verifier exposes keys valid for one day, one region and one service, never the secret.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};
use crate::key::SigningKey;

/// The scope a signing key is asked for: the request's credential scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyScope<'a> {
    /// The scope date, `YYYYMMDD` (the date of `X-Amz-Date`).
    pub date: &'a str,
    /// The region of the credential scope (one of the verifier's regions).
    pub region: &'a str,
    /// The verifier's service.
    pub service: &'a str,
}

/// A derived signing key for one (access key id, date, region, service), with what the verifier
/// checks besides the signature: the session token the requests must carry, and an expiry.
///
/// `Debug` never shows the key or the token; the key is zeroised when dropped.
#[derive(Clone)]
pub struct DerivedKey {
    key: SigningKey,
    session_token: Option<Zeroizing<String>>,
    expires_at: Option<i64>,
}

impl DerivedKey {
    /// A derived key from its 32 bytes.
    pub fn new(key: [u8; 32]) -> Self {
        DerivedKey {
            key: SigningKey::from_bytes(key),
            session_token: None,
            expires_at: None,
        }
    }

    /// A derived key from 64 hex digits (either case), as key services often store them.
    ///
    /// Errors with `InvalidCredentials` naming the problem (never echoing the text).
    pub fn from_hex(hex: &str) -> Result<Self> {
        let bytes = hex.as_bytes();
        if bytes.len() != 64 || !bytes.iter().all(u8::is_ascii_hexdigit) {
            return Err(Error::arg(
                ErrorKind::InvalidCredentials,
                "signing_key",
                format!(
                    "a derived signing key must be 32 bytes or 64 hex digits (got {} characters)",
                    hex.len()
                ),
            ));
        }
        let mut key = Zeroizing::new([0u8; 32]);
        for (i, pair) in bytes.chunks(2).enumerate() {
            let digit = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            key[i] = digit(pair[0]) << 4 | digit(pair[1]);
        }
        Ok(Self::new(*key))
    }

    /// From a slice that must be exactly 32 bytes (`InvalidCredentials` otherwise).
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::arg(
                ErrorKind::InvalidCredentials,
                "signing_key",
                format!(
                    "a derived signing key must be 32 bytes (got {})",
                    bytes.len()
                ),
            )
        })?;
        Ok(Self::new(key))
    }

    /// The same key with the session token requests must carry (temporary credentials).
    ///
    /// Errors with `InvalidCredentials` for an empty token or one with control characters.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Result<Self> {
        let token = Zeroizing::new(token.into());
        if token.is_empty() || token.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(Error::arg(
                ErrorKind::InvalidCredentials,
                "session_token",
                "session token is empty or contains control characters",
            ));
        }
        self.session_token = Some(token);
        Ok(self)
    }

    /// The same key with an expiry (seconds since the Unix epoch): later requests are refused.
    pub fn with_expiry(mut self, expires_at: i64) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The signing key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The session token requests must carry, if any.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref().map(String::as_str)
    }

    /// The expiry (seconds since the Unix epoch), if any.
    pub fn expires_at(&self) -> Option<i64> {
        self.expires_at
    }
}

impl fmt::Debug for DerivedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DerivedKey")
            .field("key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Maps an access key id and a scope to the derived signing key, or `None` when the key is unknown
/// (answered `InvalidAccessKeyId`).
///
/// Used by [`Verifier::with_signing_keys`](crate::Verifier::with_signing_keys). Implemented for
/// closures `Fn(&str, &KeyScope) -> Option<DerivedKey> + Send + Sync` (bindings wrap a Python
/// callable, a JS function or a C callback this way) and for `Arc<L>`. Called once per request that
/// passed the cheap checks (the verifier does not cache the answers: cache in the lookup if asking
/// is costly). SigV4a requests cannot be checked with a derived key (their key pair comes from the
/// secret) and are refused with `SignatureDoesNotMatch` explaining so.
pub trait SigningKeyLookup: Send + Sync {
    /// The derived key for `access_key_id` at `scope`, or `None` if the key is unknown.
    fn signing_key(&self, access_key_id: &str, scope: &KeyScope<'_>) -> Option<DerivedKey>;
}

impl<F> SigningKeyLookup for F
where
    F: Fn(&str, &KeyScope<'_>) -> Option<DerivedKey> + Send + Sync,
{
    fn signing_key(&self, access_key_id: &str, scope: &KeyScope<'_>) -> Option<DerivedKey> {
        self(access_key_id, scope)
    }
}

impl<L: SigningKeyLookup + ?Sized> SigningKeyLookup for Arc<L> {
    fn signing_key(&self, access_key_id: &str, scope: &KeyScope<'_>) -> Option<DerivedKey> {
        (**self).signing_key(access_key_id, scope)
    }
}

#[cfg(test)]
mod tests {
    use super::DerivedKey;

    #[test]
    fn hex_and_slices() {
        let hex = "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9";
        let key = DerivedKey::from_hex(hex).unwrap();
        assert_eq!(key.signing_key().as_bytes()[0], 0xc4);
        assert_eq!(key.signing_key().as_bytes()[31], 0xb9);
        assert_eq!(
            DerivedKey::from_hex(&hex.to_uppercase())
                .unwrap()
                .signing_key()
                .as_bytes(),
            key.signing_key().as_bytes()
        );
        for bad in ["", "c4", &hex[1..], &format!("{}g", &hex[1..])] {
            let e = DerivedKey::from_hex(bad).unwrap_err();
            assert!(!e.to_string().contains("c4afb1"), "{e}");
        }
        assert!(DerivedKey::from_slice(&[0; 31]).is_err());
        assert!(format!("{:?}", key.with_session_token("tok").unwrap()).contains("redacted"));
    }
}
