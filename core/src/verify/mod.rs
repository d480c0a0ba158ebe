//! Verification of incoming SigV4 and SigV4a requests, in the header and the presigned-URL forms,
//! and of streaming (aws-chunked) uploads.
//!
//! [`Verifier::verify`] runs the checks in this order, stopping at the first failure: size limits
//! and URL escapes; exactly one mechanism; the strict parse of the `Authorization` header or the
//! `X-Amz-*` query parameters; the credential scope (SigV4a: the region set); `X-Amz-Date`; the
//! signature's format; `SignedHeaders` and the headers that must be signed; the time window; the
//! payload choice — all without secrets — then the credential lookup, the session token, the
//! recomputed signature (constant-time comparison; SigV4a: the ECDSA signature checked with the
//! public key derived from the secret), the body against `x-amz-content-sha256`, and last the
//! replay cache. [`Verifier::verify_streaming`] runs the same checks on the headers of an
//! aws-chunked upload and returns the decoder for its body.

mod batch;
mod canonical;
mod checks;
mod declared;
mod derived;
mod form;
mod headers;
mod identity;
mod lookup;
mod parse_header;
mod parse_query;
mod payload;
mod pipeline;
mod region_set;
mod replay;
mod replay_store;
mod scope;
mod settings;
mod small;
mod streaming;

use std::borrow::Cow;
use std::fmt;

use crate::chunked::{ChunkedDecoder, SignatureChain};
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::sha256;
use crate::http::RequestTarget;
use crate::key_cache::KeyCache;
use crate::request::{Body, Request};
use crate::scope::{validate_region, validate_service};
use crate::settings::{PayloadMode, SessionTokenMode, SigningAlgorithm};
use crate::sigv4a::EcdsaKeyCache;
// The byte helpers the submodules call as `super::...` (they live in `crate::bytes`).
pub(crate) use crate::bytes::{find_byte, split_byte, split_once_byte, trim_ws};
use crate::time::SigningTime;

pub use batch::{parallel_map, BatchRequest, Checked, PendingRecord};
pub use declared::declared_signed_headers;
pub use derived::{DerivedKey, KeyScope, SigningKeyLookup};
pub use identity::{IdentityView, VerifiedIdentity};
pub use lookup::CredentialLookup;
pub use pipeline::{pipeline, Pipeline};
pub use replay_store::{
    replay_verdict, ReplayClaim, ReplayMark, ReplayOutcome, ReplayStore, ReplayVerdict,
};
pub use settings::{VerifierLimits, VerifierSettings};
pub use streaming::VerifiedStream;

use form::{AuthParts, Form};

/// Checks SigV4 (and, when allowed, SigV4a) signatures of incoming requests for one service and a
/// set of regions.
///
/// `Verifier` is `Send + Sync`: build one at startup and share it. Derived keys are cached
/// (bounded), so a warm verification costs two SHA-256 passes and one HMAC. SigV4a public keys
/// (derived from the secret with a scalar multiplication) are cached per credentials too.
///
/// ```
/// use sigv4::{Body, Credentials, Request, SigningTime, Verifier, VerifierSettings};
///
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)?;
/// let verifier = Verifier::new(creds, &["us-east-1"], "service", VerifierSettings::for_service("service"))?;
/// let headers = [
///     ("Host", "example.amazonaws.com"),
///     ("X-Amz-Date", "20150830T123600Z"),
///     ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
///       SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
/// ];
/// let request = Request::new("GET", "/", &headers, Body::Bytes(b""))?;
/// let who = verifier.verify(&request, SigningTime::parse("20150830T123900Z")?)?;
/// assert_eq!(who.access_key_id, "AKIDEXAMPLE");
/// assert_eq!(who.signed_headers, ["host", "x-amz-date"]);
/// # Ok::<(), sigv4::Error>(())
/// ```
pub struct Verifier {
    lookup: Source,
    regions: Vec<String>,
    service: String,
    settings: VerifierSettings,
    keys: KeyCache,
    ecdsa_keys: EcdsaKeyCache,
    replay: Option<Box<dyn ReplayStore>>,
    replay_fail_open: bool,
}

/// Where the verifier gets what it checks signatures with.
enum Source {
    /// Secrets (the usual lookup).
    Secrets(Box<dyn CredentialLookup>),
    /// Derived signing keys per scope: the verifier never holds a secret.
    Keys(Box<dyn SigningKeyLookup>),
}

/// What the lookup found for one request.
enum Found<'l> {
    Secret(Cow<'l, Credentials>),
    Key(DerivedKey),
}

impl Found<'_> {
    fn session_token(&self) -> Option<&str> {
        match self {
            Found::Secret(c) => c.session_token(),
            Found::Key(k) => k.session_token(),
        }
    }

    fn expires_at(&self) -> Option<i64> {
        match self {
            Found::Secret(c) => c.expires_at(),
            Found::Key(k) => k.expires_at(),
        }
    }
}

/// The signature sent, decoded: SigV4's MAC or SigV4a's ECDSA signature.
enum Signature {
    Mac([u8; 32]),
    Ecdsa(crate::sigv4a::StrictSignature),
}

/// What the signature check leaves for a streaming upload: the chain's starting point.
struct Seed<'a> {
    mode: PayloadMode,
    framing: streaming::Framing<'a>,
    chain: Option<SignatureChain>,
}

impl Verifier {
    /// A verifier accepting signatures scoped to one of `regions` and to `service`, with the
    /// secrets from `lookup`.
    ///
    /// Errors with `InvalidRegion` (no region, or a malformed one), `InvalidService`, or
    /// `InvalidOption` (a skew over one day, a maximum lifetime outside 1..=604800, or a replay
    /// cache capacity of 0).
    pub fn new<L: CredentialLookup + 'static>(
        lookup: L,
        regions: &[&str],
        service: &str,
        settings: VerifierSettings,
    ) -> Result<Self> {
        Self::build(
            Source::Secrets(Box::new(lookup)),
            regions,
            service,
            settings,
        )
    }

    /// A verifier that never holds a secret: `keys` gives the derived signing key for each
    /// request's access key id and scope (date, region, service). Otherwise as [`new`](Self::new);
    /// SigV4a requests are refused (their key pair is derived from the secret).
    pub fn with_signing_keys<K: SigningKeyLookup + 'static>(
        keys: K,
        regions: &[&str],
        service: &str,
        settings: VerifierSettings,
    ) -> Result<Self> {
        Self::build(Source::Keys(Box::new(keys)), regions, service, settings)
    }

    fn build(
        lookup: Source,
        regions: &[&str],
        service: &str,
        settings: VerifierSettings,
    ) -> Result<Self> {
        if regions.is_empty() {
            return Err(Error::from_binding(
                ErrorKind::InvalidRegion,
                "region",
                "give at least one region to accept",
            ));
        }
        for region in regions {
            validate_region(region)?;
        }
        validate_service(service)?;
        let option = |message: &str| {
            Error::from_binding(ErrorKind::InvalidOption, "settings", message.to_owned())
        };
        if settings.max_skew_seconds > 86_400 {
            return Err(option("max_skew_seconds must be at most 86400"));
        }
        if !(1..=604_800).contains(&settings.max_expires_seconds) {
            return Err(option("max_expires_seconds must be 1..=604800"));
        }
        if settings.replay_cache_capacity == Some(0) {
            return Err(option(
                "replay_cache_capacity must be at least 1 (or None for off)",
            ));
        }
        Ok(Verifier {
            lookup,
            regions: regions.iter().map(|r| (*r).to_owned()).collect(),
            service: service.to_owned(),
            replay: settings
                .replay_cache_capacity
                .map(|n| Box::new(replay::ReplayCache::new(n)) as Box<dyn ReplayStore>),
            replay_fail_open: false,
            settings,
            keys: KeyCache::new(64),
            ecdsa_keys: EcdsaKeyCache::new(64),
        })
    }

    /// Verifies `request` at the instant `now` (the caller's clock; the core never reads one).
    ///
    /// Returns who signed it, or an error whose [`Error::kind`] is the AWS code to answer with; a
    /// [`ErrorKind::SignatureDoesNotMatch`] carries the canonical request and string to sign the
    /// verifier computed ([`Error::mismatch`]). Input errors (`kind().is_invalid_input()`: a bad
    /// header, URL or payload hash, or a size limit) mean the request is not valid HTTP (answer 400).
    pub fn verify(&self, request: &Request<'_>, now: SigningTime) -> Result<VerifiedIdentity> {
        self.check(request, now)
            .and_then(|checked| self.record(checked))
    }

    /// Verifies the headers of a streaming upload (`x-amz-content-sha256` one of
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`, or the SigV4a `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD`
    /// forms) and returns the decoder for its aws-chunked body, chained from the seed signature.
    ///
    /// The request's body must be empty (`Body::Bytes(b"")`): the body goes through the decoder.
    /// Runs every check of [`verify`](Self::verify) on the headers, plus: the Authorization header
    /// form (a presigned URL cannot stream), `Content-Encoding` including `aws-chunked`, one plain
    /// integer `x-amz-decoded-content-length`, `x-amz-trailer` only with a `-TRAILER` form, and
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER` only when unsigned payloads are allowed. Framing errors
    /// are `InvalidChunk`; a wrong payload literal is `XAmzContentSHA256Mismatch`.
    pub fn verify_streaming(
        &self,
        request: &Request<'_>,
        now: SigningTime,
    ) -> Result<VerifiedStream> {
        match request.body() {
            Body::Bytes([]) => {}
            _ => {
                return Err(Error::from_binding(
                    ErrorKind::InvalidOption,
                    "body",
                    "verify_streaming checks the headers: give an empty body and feed the wire body to the returned decoder",
                ))
            }
        }
        let (identity, seed) = self.authenticate(request, now, true, |view| view.to_identity())?;
        let identity = self.record(Checked { identity, now })?;
        let Some(seed) = seed else {
            return Err(Error::new(
                ErrorKind::XAmzContentSha256Mismatch,
                "not a streaming upload",
            ));
        };
        let decoder = ChunkedDecoder::new(
            seed.mode,
            seed.chain,
            seed.framing.decoded_length,
            &seed.framing.trailers,
        )?;
        Ok(VerifiedStream {
            identity,
            decoder,
            payload: seed.mode,
            decoded_length: seed.framing.decoded_length,
            trailers: seed
                .framing
                .trailers
                .iter()
                .map(|t| t.to_ascii_lowercase())
                .collect(),
            content_encoding: seed.framing.content_encoding,
        })
    }

    /// Builds the request view and calls [`verify_streaming`](Self::verify_streaming) (what the
    /// bindings use).
    pub fn verify_streaming_http(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        now: SigningTime,
    ) -> Result<VerifiedStream> {
        let request = Request::new(method, url, headers, Body::Bytes(b""))?;
        self.verify_streaming(&request, now)
    }

    /// Every check but the replay store's; `finish` makes the result from the identity, which
    /// borrows from the request and the verifier (see [`IdentityView`]).
    fn authenticate<'r, R>(
        &self,
        request: &Request<'r>,
        now: SigningTime,
        streaming: bool,
        finish: impl FnOnce(IdentityView<'_>) -> R,
    ) -> Result<(R, Option<Box<Seed<'r>>>)> {
        let limits = &self.settings.limits;
        let allow_sigv4a = self.settings.allow_sigv4a;
        // The target exactly as received, read strictly: what the signature is checked against is
        // what the application behind the server will see (issue 23), whatever the caller built
        // the request from.
        let target = RequestTarget::parse(request.given, first_host(request.headers()))?;
        target.require_normalized(self.settings.path_normalization)?;
        let request = &request.with_target(&target);
        checks::bounds(request, limits)?;
        payload::check_precomputed(request.body())?;
        let scan = headers::scan(request.headers(), limits)?;
        let query = parse_query::scan(request.query())?;
        let auth = match (scan.authorization_count, query.has_algorithm()) {
            (0, false) => {
                return Err(Error::new(
                    ErrorKind::MissingAuthenticationToken,
                    "the request is not signed: send an Authorization header or X-Amz-* query parameters (SigV4)",
                ))
            }
            (0, true) => parse_query::auth_parts(
                query,
                &scan,
                self.settings.max_expires_seconds,
                allow_sigv4a,
            )?,
            (1, _) if query.any() => {
                return Err(Error::new(
                    ErrorKind::AuthorizationQueryParametersError,
                    "the request carries both an Authorization header and X-Amz-* query authentication; send exactly one",
                ))
            }
            (1, _) => parse_header::parse(
                scan.authorization.unwrap_or_default(),
                &scan,
                allow_sigv4a,
            )?,
            _ => {
                return Err(Form::Header.malformed(
                    "the request has more than one Authorization header",
                ))
            }
        };
        self.verify_parts(request, &scan, auth, now, streaming, finish)
    }

    /// Builds the request view and verifies it in one call (what the bindings use).
    pub fn verify_http(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
        now: SigningTime,
    ) -> Result<VerifiedIdentity> {
        let request = Request::for_verifier(method, url, headers, body)?;
        self.verify(&request, now)
    }

    /// [`check_http`](Self::check_http) for a binding that builds its own result from the
    /// borrowed identity (see [`verify_http_with`](Self::verify_http_with)): `finish`'s result and
    /// what [`record_pending`](Self::record_pending) needs to finish the verification (a batch
    /// records its requests later, in order).
    pub fn check_http_with<R>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
        now: SigningTime,
        finish: impl FnOnce(IdentityView<'_>) -> R,
    ) -> Result<(R, PendingRecord)> {
        // The claim's hash only when a store will be asked.
        let keep_claim = self.replay.is_some();
        let (result, claim) = self.authenticate_http(method, url, headers, body, now, |view| {
            let claim = keep_claim.then(|| view.replay_claim());
            (finish(view), claim)
        })?;
        Ok((result, PendingRecord::new(claim, now)))
    }

    /// [`verify_http`](Self::verify_http) for a binding that builds its own result: `finish`
    /// gets the identity borrowed from the request and the verifier (no string copied) and its
    /// result is returned once the replay store, when there is one, has accepted the request.
    pub fn verify_http_with<R>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
        now: SigningTime,
        finish: impl FnOnce(IdentityView<'_>) -> R,
    ) -> Result<R> {
        let (result, pending) = self.check_http_with(method, url, headers, body, now, finish)?;
        self.record_pending(&pending)?;
        Ok(result)
    }

    /// The request view of the `*_http_with` entry points, authenticated (no replay store).
    fn authenticate_http<R>(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
        now: SigningTime,
        finish: impl FnOnce(IdentityView<'_>) -> R,
    ) -> Result<R> {
        let request = Request::for_verifier(method, url, headers, body)?;
        self.authenticate(&request, now, false, finish)
            .map(|(result, _)| result)
    }

    fn verify_parts<'r, R>(
        &self,
        request: &Request<'r>,
        scan: &headers::HeaderScan<'r>,
        auth: AuthParts<'r>,
        now: SigningTime,
        streaming: bool,
        finish: impl FnOnce(IdentityView<'_>) -> R,
    ) -> Result<(R, Option<Box<Seed<'r>>>)> {
        let form = auth.form;
        let algorithm = auth.algorithm;
        let time = checks::amz_date(form, &auth.amz_date)?;
        let scope = scope::parse(
            form,
            algorithm,
            &auth.credential,
            &auth.amz_date,
            &self.regions,
            &self.service,
        )?;
        let region = match &auth.region_set {
            Some(set) => region_set::covered_region(form, set, &self.regions)?,
            None => scope.region,
        };
        let signature = match algorithm {
            SigningAlgorithm::Sigv4 => {
                Signature::Mac(checks::signature_format(form, &auth.signature)?)
            }
            SigningAlgorithm::Sigv4a => {
                Signature::Ecdsa(checks::sigv4a_signature(form, &auth.signature)?)
            }
        };
        let mut signed = checks::SignedNames::new();
        checks::signed_headers(form, &auth.signed_headers, &mut signed)?;
        let mut sources = headers::SignedSources::new();
        headers::match_signed(request, &signed, form, &self.settings, &mut sources)?;
        let skew = self.settings.max_skew_seconds;
        let valid_until = match auth.expires {
            Some(expires) => checks::presigned_time(time, expires, now, skew)?,
            None => {
                checks::header_time(time, now, skew)?;
                time.unix() + i64::from(skew)
            }
        };
        let (payload, stream) = if streaming {
            if form == Form::Query {
                return Err(form.malformed(
                    "a streaming (aws-chunked) upload must be signed with an Authorization header, not a presigned URL",
                ));
            }
            let (mode, line) = payload::decide_streaming(
                form,
                scan.content_sha256,
                scan.content_sha256_count,
                algorithm,
                self.settings.allow_unsigned_payload,
            )?;
            let framing = streaming::framing(request, mode)?;
            let payload = payload::Payload {
                line: Cow::Borrowed(line),
                check_body: false,
                or_body_hash: false,
            };
            (Some(payload), Some((mode, framing)))
        } else {
            let payload = payload::decide(
                form,
                scan.content_sha256,
                scan.content_sha256_count,
                self.settings.allow_unsigned_payload,
            )?;
            (payload, None)
        };

        let found = match &self.lookup {
            Source::Secrets(lookup) => lookup.lookup(scope.access_key_id).map(Found::Secret),
            Source::Keys(keys) => {
                let key_scope = KeyScope {
                    date: &auth.amz_date[..8],
                    region,
                    service: &self.service,
                };
                keys.signing_key(scope.access_key_id, &key_scope)
                    .map(Found::Key)
            }
        };
        let credentials = found.ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidAccessKeyId,
                format!(
                    "the access key id {:?} is not known here",
                    parse_header::truncate(scope.access_key_id)
                ),
            )
        })?;
        let token_used = check_token(
            credentials.session_token(),
            credentials.expires_at(),
            auth.token.as_deref(),
            now,
        )?;

        let payload_line = match &payload {
            Some(p) => Cow::Borrowed(p.line.as_ref()),
            None => payload::body_hash(request.body()),
        };
        let filtered;
        let query = if form == Form::Query
            && auth.token.is_some()
            && self.settings.session_token_mode == SessionTokenMode::AppendedAfterSigning
        {
            filtered = parse_query::without_token(request.query());
            filtered.as_str()
        } else {
            request.query()
        };
        let mismatch = |canonical: &str, sts: &str| {
            Error::new(
                ErrorKind::SignatureDoesNotMatch,
                "the signature does not match: compare your canonical request and string to sign with the ones in this error",
            )
            .with_mismatch(canonical.to_owned(), sts.to_owned())
        };
        // Checks the signature over the canonical request with `payload_line`. Returns the replay
        // key (the MAC for SigV4; for SigV4a the hash of the string to sign, since an ECDSA
        // signature can be altered into another valid one) and the seed of a chunk chain.
        let check = |payload_line: &str| -> Result<([u8; 32], Option<SignatureChain>)> {
            let parts = canonical::CanonicalParts {
                query,
                signed: &signed,
                sources: &sources,
                signed_headers: &auth.signed_headers,
                payload: payload_line,
            };
            match &signature {
                Signature::Mac(given) => {
                    let key = match &credentials {
                        Found::Secret(secret) => {
                            self.keys.signing_key(secret, time, region, &self.service)
                        }
                        Found::Key(derived) => derived.signing_key().clone(),
                    };
                    // The canonical request and the string to sign share one reused buffer.
                    let expected = canonical::with_scratch(|text| {
                        canonical::write_canonical_request(text, request, &parts, &self.settings);
                        let canonical_len = text.len();
                        let hash = sha256(text.as_bytes());
                        canonical::write_string_to_sign(text, &auth.amz_date, scope.scope, &hash);
                        let expected = key.sign(&text.as_bytes()[canonical_len..]);
                        if checks::same_signature(&expected, given) {
                            Ok(expected)
                        } else {
                            let (canonical, sts) = text.split_at(canonical_len);
                            Err(mismatch(canonical, sts))
                        }
                    })?;
                    let chain = match &stream {
                        Some((mode, _)) if *mode != PayloadMode::StreamingUnsignedTrailer => Some(
                            SignatureChain::new(key, &auth.amz_date, scope.scope, &auth.signature)?,
                        ),
                        _ => None,
                    };
                    Ok((expected, chain))
                }
                Signature::Ecdsa(signature) => {
                    let canonical = canonical::with_scratch(|text| {
                        canonical::write_canonical_request(text, request, &parts, &self.settings);
                        text.clone()
                    });
                    let sts =
                        crate::sigv4a::string_to_sign(&auth.amz_date, scope.scope, &canonical);
                    let Found::Secret(secret) = &credentials else {
                        return Err(Error::new(
                            ErrorKind::SignatureDoesNotMatch,
                            "this verifier holds derived SigV4 signing keys, not secrets: a SigV4a signature cannot be checked with them (sign with SigV4)",
                        ));
                    };
                    let public_key = self.ecdsa_keys.key(secret)?.public_key();
                    if !public_key.verify_strict(sts.as_bytes(), signature) {
                        return Err(mismatch(&canonical, &sts));
                    }
                    let chain = match &stream {
                        Some((mode, _)) if *mode != PayloadMode::StreamingUnsignedTrailer => {
                            Some(SignatureChain::new_sigv4a_verifier(
                                public_key,
                                &auth.amz_date,
                                scope.scope,
                                &auth.signature,
                            )?)
                        }
                        _ => None,
                    };
                    Ok((sha256(sts.as_bytes()), chain))
                }
            }
        };
        // With unsigned payloads allowed, a presigned URL without x-amz-content-sha256 may have
        // been signed either way: UNSIGNED-PAYLOAD (as S3 presigns) or the body's hash (as every
        // other service presigns, and as a verifier without the option checks it). The option
        // adds the first reading; it never removes the second (issue 23).
        let (payload_line, (replay_key, chain)) = match check(&payload_line) {
            Ok(found) => (payload_line, found),
            Err(first) => match payload.as_ref().filter(|p| p.or_body_hash) {
                Some(_) if first.kind() == ErrorKind::SignatureDoesNotMatch => {
                    let body_line = payload::body_hash(request.body());
                    match check(&body_line) {
                        Ok(found) => (body_line, found),
                        Err(_) => return Err(first),
                    }
                }
                _ => return Err(first),
            },
        };
        if let Some(p) = &payload {
            if p.check_body {
                payload::check_body(&p.line, request.body())?;
            }
        }
        let result = finish(IdentityView {
            access_key_id: scope.access_key_id,
            region,
            service: &self.service,
            signed_headers: signed.as_slice(),
            signing_time: time,
            presigned: form == Form::Query,
            expires_at: auth
                .expires
                .and_then(|_| SigningTime::from_unix(valid_until).ok()),
            session_token_used: token_used,
            payload_hash: &payload_line,
            algorithm,
            region_set: auth.region_set.as_deref(),
            replay_mark: ReplayMark::new(replay_key, valid_until),
        });
        // Boxed: a plain verification then moves a small result, not the chain and framing.
        let seed = stream.map(|(mode, framing)| {
            Box::new(Seed {
                mode,
                framing,
                chain,
            })
        });
        // The replay store is asked by `record`, after the checks (a batch records in its order).
        Ok((result, seed))
    }

    /// The regions accepted.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// The service accepted.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The settings.
    pub fn settings(&self) -> &VerifierSettings {
        &self.settings
    }

    /// The cache of derived signing keys.
    pub fn key_cache(&self) -> &KeyCache {
        &self.keys
    }

    /// The cache of derived SigV4a keys (filled only when SigV4a requests arrive).
    pub fn ecdsa_key_cache(&self) -> &EcdsaKeyCache {
        &self.ecdsa_keys
    }

    /// How many signatures the replay store holds in this process (0 when it is off or external).
    pub fn replay_cache_len(&self) -> usize {
        self.replay.as_ref().map_or(0, |store| store.len())
    }

    /// This verifier with `store` as its replay store, in place of the in-memory cache of
    /// [`VerifierSettings::replay_cache_capacity`]: every successful verification then claims
    /// its [`ReplayClaim`] in `store` (one call). When the store answers
    /// [`ReplayOutcome::Unavailable`] the request is refused with `ReplayStoreUnavailable`
    /// (fail closed) unless `fail_open`, which accepts it unproven (the store should log that).
    pub fn with_replay_store<S: ReplayStore + 'static>(
        mut self,
        store: S,
        fail_open: bool,
    ) -> Self {
        self.replay = Some(Box::new(store));
        self.replay_fail_open = fail_open;
        self
    }

    /// [`with_replay_store`](Self::with_replay_store) for a boxed store.
    pub fn with_boxed_replay_store(mut self, store: Box<dyn ReplayStore>, fail_open: bool) -> Self {
        self.replay = Some(store);
        self.replay_fail_open = fail_open;
        self
    }
}

/// The value of the first `Host` header (a second one is refused by the header scan).
fn first_host<'a>(headers: &[(&'a str, &'a str)]) -> Option<&'a str> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
        .map(|&(_, value)| value)
}

/// The session token: required and equal when the credentials have one, refused when they have
/// none; credentials past their expiry are refused. Returns whether a token was used.
fn check_token(
    token: Option<&str>,
    expires_at: Option<i64>,
    sent: Option<&str>,
    now: SigningTime,
) -> Result<bool> {
    let invalid = |message: &str| Error::new(ErrorKind::InvalidToken, message.to_owned());
    if expires_at.is_some_and(|at| at < now.unix()) {
        return Err(invalid(
            "the credentials for this access key have expired; get new ones",
        ));
    }
    match (token, sent) {
        (None, None) => Ok(false),
        (None, Some(_)) => Err(invalid(
            "a session token was sent but this access key has none; do not send X-Amz-Security-Token",
        )),
        (Some(_), None) => Err(invalid(
            "this access key requires its session token (X-Amz-Security-Token)",
        )),
        (Some(expected), Some(sent)) => {
            if checks::same(expected.as_bytes(), sent.as_bytes()) {
                Ok(true)
            } else {
                Err(invalid(
                    "the session token does not belong to this access key",
                ))
            }
        }
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("regions", &self.regions)
            .field("service", &self.service)
            .field("settings", &self.settings)
            .field("replay_cache_len", &self.replay_cache_len())
            .finish_non_exhaustive()
    }
}
