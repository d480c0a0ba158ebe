//! A reusable signer: credentials, scope and settings fixed, derived keys cached.

use crate::credentials::Credentials;
use crate::error::Result;
use crate::key::KeyCache;
use crate::output::SignedRequest;
use crate::request::Request;
use crate::settings::SigningSettings;
use crate::sign::{presign, sign, validate_region, validate_service, SigningParams};
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
        validate_region(region)?;
        validate_service(service)?;
        Ok(Signer {
            credentials,
            region: region.to_owned(),
            service: service.to_owned(),
            settings,
            cache: KeyCache::new(8),
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
    }

    /// Signs with an `Authorization` header.
    pub fn sign(&self, request: &Request<'_>, time: SigningTime) -> Result<SignedRequest> {
        sign(request, &self.params(time))
    }

    /// Presigns for `expires_in` seconds (1..=604800).
    pub fn presign(
        &self,
        request: &Request<'_>,
        time: SigningTime,
        expires_in: u64,
    ) -> Result<SignedRequest> {
        presign(request, &self.params(time), expires_in)
    }

    /// Signs with other credentials (rotated ones), still reusing this signer's cache.
    pub fn sign_with_credentials(
        &self,
        credentials: &Credentials,
        request: &Request<'_>,
        time: SigningTime,
    ) -> Result<SignedRequest> {
        let params = SigningParams::new(
            credentials,
            &self.region,
            &self.service,
            time,
            &self.settings,
        )
        .with_cache(&self.cache);
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
        let params = SigningParams::new(
            credentials,
            &self.region,
            &self.service,
            time,
            &self.settings,
        )
        .with_cache(&self.cache);
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
}
