//! A reusable signer: credentials, scope and settings fixed, derived keys cached.

use crate::credentials::Credentials;
use crate::error::Result;
use crate::key_cache::KeyCache;
use crate::output::SignedRequest;
use crate::request::Request;
use crate::scope::validate_scope;
use crate::settings::{SigningAlgorithm, SigningSettings};
use crate::sign::{presign, sign, SigningParams};
use crate::sigv4a::EcdsaKeyCache;
use crate::time::SigningTime;

/// Signs many requests for one (credentials, region, service), reusing the derived key.
///
/// `Signer` is `Send + Sync`: share one between threads.
#[derive(Debug)]
pub struct Signer {
    credentials: Credentials,
    region: String,
    service: String,
    settings: SigningSettings,
    cache: KeyCache,
    ecdsa_cache: EcdsaKeyCache,
}

impl Signer {
    /// A signer with the service's default settings.
    pub fn new(credentials: Credentials, region: &str, service: &str) -> Result<Self> {
        let settings = SigningSettings::for_service(service);
        Self::with_settings(credentials, region, service, settings)
    }

    /// A signer with explicit settings.
    pub fn with_settings(
        credentials: Credentials,
        region: &str,
        service: &str,
        settings: SigningSettings,
    ) -> Result<Self> {
        validate_scope(region, service, settings.algorithm)?;
        Ok(Signer {
            credentials,
            region: region.to_owned(),
            service: service.to_owned(),
            settings,
            cache: KeyCache::new(8),
            ecdsa_cache: EcdsaKeyCache::new(4),
        })
    }

    fn params(&self, time: SigningTime) -> SigningParams<'_> {
        SigningParams::new(
            &self.credentials,
            &self.region,
            &self.service,
            time,
            &self.settings,
        )
        .with_cache(&self.cache)
        .scope_checked()
    }

    /// SigV4a signing with `credentials`, when the settings ask for it.
    fn sigv4a(
        &self,
        credentials: &Credentials,
        request: &Request<'_>,
        time: SigningTime,
        expires_in: Option<u64>,
    ) -> Option<Result<SignedRequest>> {
        if self.settings.algorithm != SigningAlgorithm::Sigv4a {
            return None;
        }
        Some(crate::sign_v4a::sign_cached(
            &self.ecdsa_cache,
            credentials,
            &self.region,
            &self.service,
            &self.settings,
            request,
            time,
            expires_in,
        ))
    }

    /// Signs with an `Authorization` header.
    pub fn sign(&self, request: &Request<'_>, time: SigningTime) -> Result<SignedRequest> {
        if let Some(result) = self.sigv4a(&self.credentials, request, time, None) {
            return result;
        }
        sign(request, &self.params(time))
    }

    /// Presigns for `expires_in` seconds (1..=604800).
    pub fn presign(
        &self,
        request: &Request<'_>,
        time: SigningTime,
        expires_in: u64,
    ) -> Result<SignedRequest> {
        if let Some(result) = self.sigv4a(&self.credentials, request, time, Some(expires_in)) {
            return result;
        }
        presign(request, &self.params(time), expires_in)
    }

    /// Signs with other credentials (rotated ones), still reusing this signer's cache.
    pub fn sign_with_credentials(
        &self,
        credentials: &Credentials,
        request: &Request<'_>,
        time: SigningTime,
    ) -> Result<SignedRequest> {
        if let Some(result) = self.sigv4a(credentials, request, time, None) {
            return result;
        }
        let params = SigningParams::new(
            credentials,
            &self.region,
            &self.service,
            time,
            &self.settings,
        )
        .with_cache(&self.cache)
        .scope_checked();
        sign(request, &params)
    }

    /// Presigns with other credentials, still reusing this signer's cache.
    pub fn presign_with_credentials(
        &self,
        credentials: &Credentials,
        request: &Request<'_>,
        time: SigningTime,
        expires_in: u64,
    ) -> Result<SignedRequest> {
        if let Some(result) = self.sigv4a(credentials, request, time, Some(expires_in)) {
            return result;
        }
        let params = SigningParams::new(
            credentials,
            &self.region,
            &self.service,
            time,
            &self.settings,
        )
        .with_cache(&self.cache)
        .scope_checked();
        presign(request, &params, expires_in)
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The settings.
    pub fn settings(&self) -> &SigningSettings {
        &self.settings
    }

    /// The key cache.
    pub fn key_cache(&self) -> &KeyCache {
        &self.cache
    }

    /// The SigV4a key cache (keys derived once per credentials).
    pub fn ecdsa_key_cache(&self) -> &EcdsaKeyCache {
        &self.ecdsa_cache
    }
}
