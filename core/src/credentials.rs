//! AWS credentials: secrets held in zeroising storage, never printed.

use std::fmt;
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};

/// An access key id, its secret, and an optional session token.
///
/// The secret and the token are wiped from memory when the value is dropped, and
/// `Debug` prints a placeholder in their place.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
    expires_at: Option<i64>,
}

impl Credentials {
    /// Credentials from their parts. The session token is optional (temporary credentials from STS have one).
    ///
    /// Errors with [`ErrorKind::InvalidCredentials`] when the access key id or the secret is empty, or
    /// the access key id contains `/`, whitespace or control characters (it becomes part of the scope).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Result<Self> {
        let access_key_id = access_key_id.into();
        let secret_access_key = Zeroizing::new(secret_access_key.into());
        let session_token = session_token.map(Zeroizing::new);
        validate_access_key_id(&access_key_id)?;
        if secret_access_key.is_empty() {
            return Err(Error::arg(
                ErrorKind::InvalidCredentials,
                "secret_access_key",
                "secret access key is empty",
            ));
        }
        if let Some(token) = &session_token {
            if token.is_empty() {
                return Err(Error::arg(
                    ErrorKind::InvalidCredentials,
                    "session_token",
                    "session token is empty; pass no token instead",
                ));
            }
            if token.bytes().any(|b| b < 0x20 || b == 0x7f) {
                return Err(Error::arg(
                    ErrorKind::InvalidCredentials,
                    "session_token",
                    "session token contains control characters",
                ));
            }
        }
        Ok(Credentials {
            access_key_id,
            secret_access_key,
            session_token,
            expires_at: None,
        })
    }

    /// The same credentials with an expiry (seconds since the Unix epoch), for providers that refresh.
    pub fn with_expiry(mut self, expires_at: i64) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The access key id (not a secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key. Handle with care: never log it.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, if any. Handle with care: never log it.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_ref().map(|t| t.as_str())
    }

    /// When these credentials expire (seconds since the Unix epoch), if known.
    pub fn expires_at(&self) -> Option<i64> {
        self.expires_at
    }
}

pub(crate) fn validate_access_key_id(access_key_id: &str) -> Result<()> {
    if access_key_id.is_empty() {
        return Err(Error::arg(
            ErrorKind::InvalidCredentials,
            "access_key_id",
            "access key id is empty",
        ));
    }
    if access_key_id
        .bytes()
        .any(|b| b == b'/' || b <= b' ' || b == 0x7f)
    {
        return Err(Error::arg(
            ErrorKind::InvalidCredentials,
            "access_key_id",
            "access key id must not contain '/', whitespace or control characters",
        ));
    }
    Ok(())
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}
