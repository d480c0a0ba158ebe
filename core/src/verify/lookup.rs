//! Where the verifier finds the secret for an access key id.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::credentials::Credentials;

/// Maps an access key id to its credentials, or `None` when the key is unknown.
///
/// The answer is a `Cow` so that in-memory tables lend their credentials without copying secrets.
///
/// Implemented for `HashMap<String, Credentials>`, for one [`Credentials`] value (a single key),
/// for `Arc<L>`, and for closures `Fn(&str) -> Option<Credentials> + Send + Sync` (bindings wrap a
/// Python callable or a JS function this way). When the returned credentials carry a session token,
/// requests must send that exact token; when they carry an expiry in the past, requests are refused.
pub trait CredentialLookup: Send + Sync {
    /// The credentials for `access_key_id`, or `None` if it is unknown.
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, Credentials>>;
}

impl CredentialLookup for HashMap<String, Credentials> {
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, Credentials>> {
        self.get(access_key_id).map(Cow::Borrowed)
    }
}

impl CredentialLookup for Credentials {
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, Credentials>> {
        (self.access_key_id() == access_key_id).then_some(Cow::Borrowed(self))
    }
}

impl<L: CredentialLookup + ?Sized> CredentialLookup for Arc<L> {
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, Credentials>> {
        (**self).lookup(access_key_id)
    }
}

impl<F> CredentialLookup for F
where
    F: Fn(&str) -> Option<Credentials> + Send + Sync,
{
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, Credentials>> {
        self(access_key_id).map(Cow::Owned)
    }
}
