//! Header signing and presigned URLs.

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::authorization::{push_authorization, push_credential};
use crate::canonical::{
    canonical_header, lower_name, sort_and_merge, write_canonical_request, write_signed_headers,
    write_string_to_sign, CanonicalHeader, CanonicalInput,
};
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{push_hex, write_hex32, PayloadHasher, EMPTY_SHA256};
use crate::key::SigningKey;
use crate::key_cache::KeyCache;
use crate::output::{end_field, push_field, HeaderSpan, SignedRequest};
use crate::request::{Body, Request};
use crate::scope::validate_scope;
use crate::sentinel::PayloadSentinel;
use crate::settings::{
    ContentSha256Header, PayloadMode, SessionTokenMode, SigningAlgorithm, SigningSettings,
};
use crate::sigv4a::EcdsaKey;
use crate::time::SigningTime;
use crate::wire::wire_url;

/// The longest presigned URL lifetime AWS accepts: seven days.
pub const MAX_EXPIRES_IN: u64 = 604_800;

/// Everything besides the request that a signing needs.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    credentials: &'a Credentials,
    region: &'a str,
    service: &'a str,
    time: SigningTime,
    settings: &'a SigningSettings,
    cache: Option<&'a KeyCache>,
    /// Region and service already checked (a `Signer` checks them once, when it is built).
    scope_checked: bool,
}

impl<'a> SigningParams<'a> {
    /// Parameters for one signing; the key is derived afresh unless a cache is attached.
    pub fn new(
        credentials: &'a Credentials,
        region: &'a str,
        service: &'a str,
        time: SigningTime,
        settings: &'a SigningSettings,
    ) -> Self {
        SigningParams {
            credentials,
            region,
            service,
            time,
            settings,
            cache: None,
            scope_checked: false,
        }
    }

    /// Marks region and service as already validated (by the `Signer` that holds them).
    pub(crate) fn scope_checked(mut self) -> Self {
        self.scope_checked = true;
        self
    }

    /// Reuses derived keys from `cache`.
    pub fn with_cache(mut self, cache: &'a KeyCache) -> Self {
        self.cache = Some(cache);
        self
    }

    fn signing_key(&self) -> SigningKey {
        match self.cache {
            Some(cache) => {
                cache.signing_key(self.credentials, self.time, self.region, self.service)
            }
            None => SigningKey::derive(
                self.credentials.secret_access_key(),
                &self.time.date_stamp(),
                self.region,
                self.service,
            ),
        }
    }
}

/// Signs `request` with an `Authorization` header, with SigV4 or (when `settings.algorithm` says
/// so) SigV4a; for SigV4a the region is a region set and the ECDSA key is derived for this call
/// (a [`crate::Signer`] caches it).
pub fn sign(request: &Request<'_>, params: &SigningParams<'_>) -> Result<SignedRequest> {
    sign_dispatch(request, params, None)
}

/// Presigns `request`: the signature goes in the URL, valid for `expires_in` seconds (1..=604800).
/// SigV4 or SigV4a as `settings.algorithm` says (see [`sign`]).
pub fn presign(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    expires_in: u64,
) -> Result<SignedRequest> {
    sign_dispatch(request, params, Some(expires_in))
}

fn sign_dispatch(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    expires_in: Option<u64>,
) -> Result<SignedRequest> {
    match params.settings.algorithm {
        SigningAlgorithm::Sigv4 => sign_with(request, params, expires_in, SignatureKey::Hmac),
        SigningAlgorithm::Sigv4a => {
            if !params.scope_checked {
                validate_scope(params.region, params.service, SigningAlgorithm::Sigv4a)?;
            }
            let key = EcdsaKey::derive(
                params.credentials.access_key_id(),
                params.credentials.secret_access_key(),
            )?;
            sign_with(request, params, expires_in, SignatureKey::Ecdsa(&key))
        }
    }
}

/// 64 hex digits (either case): a SHA-256 given by a caller.
pub(crate) fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_sentinel(s: &str) -> bool {
    PayloadSentinel::find(s).is_some()
}

fn payload_hash(
    body: Body<'_>,
    algorithm: SigningAlgorithm,
    mode: PayloadMode,
    caller_content_sha: Option<&str>,
) -> Result<Cow<'static, str>> {
    if let Some(sentinel) = algorithm.payload_sentinel(mode) {
        if let Body::Precomputed(_) = body {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "payload_hash",
                format!("payload_hash cannot be combined with payload {sentinel}"),
            ));
        }
        return Ok(Cow::Borrowed(sentinel));
    }
    match body {
        Body::Precomputed(hash) => {
            if !is_hex64(hash) {
                return Err(Error::arg(
                    ErrorKind::InvalidPayloadHash,
                    "payload_hash",
                    "payload_hash must be 64 hex digits (a SHA-256)",
                ));
            }
            Ok(Cow::Owned(hash.to_ascii_lowercase()))
        }
        Body::Bytes(body) => match caller_content_sha {
            Some(given) if is_hex64(given) => Ok(Cow::Owned(given.to_ascii_lowercase())),
            Some(given) if is_sentinel(given) => Ok(Cow::Owned(given.to_owned())),
            Some(_) => Err(Error::arg(
                ErrorKind::InvalidPayloadHash,
                "x-amz-content-sha256",
                "x-amz-content-sha256 header must be a hex SHA-256 or a STREAMING-/UNSIGNED- sentinel",
            )),
            None if body.is_empty() => Ok(Cow::Borrowed(EMPTY_SHA256)),
            None => {
                let mut hasher = PayloadHasher::new();
                hasher.update(body);
                Ok(Cow::Owned(hasher.finish_hex()))
            }
        },
    }
}

/// The key that makes the signature: the only part in which SigV4 and SigV4a sign differently.
/// (The canonical request is shared; SigV4a also signs `X-Amz-Region-Set` and leaves the region
/// out of the scope.)
#[derive(Clone, Copy)]
pub(crate) enum SignatureKey<'a> {
    /// SigV4: the HMAC key derived for the scope (cached when the params carry a cache).
    Hmac,
    /// SigV4a: the ECDSA P-256 key derived from the credentials; `region` is the region set.
    Ecdsa(&'a EcdsaKey),
}

impl SignatureKey<'_> {
    fn algorithm(self) -> SigningAlgorithm {
        match self {
            SignatureKey::Hmac => SigningAlgorithm::Sigv4,
            SignatureKey::Ecdsa(_) => SigningAlgorithm::Sigv4a,
        }
    }
}

/// Header names (any case) SigV4 itself sets; a caller's copy is replaced.
fn replaced_by_signer(name: &str, has_token: bool, adds_content_sha: bool, v4a: bool) -> bool {
    let is = |known: &str| name.eq_ignore_ascii_case(known);
    is("x-amz-date")
        || is("authorization")
        || (has_token && is("x-amz-security-token"))
        || (adds_content_sha && is("x-amz-content-sha256"))
        || (v4a && is("x-amz-region-set"))
}

/// Signs (`expires_in` `None`) or presigns `request` with SigV4 or SigV4a, in named stages:
/// check the call, decide what signing adds, canonicalise the caller's headers, add the signer's,
/// write the credential and (presigning) the `X-Amz-*` query, the canonical request and string to
/// sign, the signature, then the URL and headers to send. Every text goes into one buffer (see
/// [`SignedRequest`]), in that order.
pub(crate) fn sign_with(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    expires_in: Option<u64>,
    key: SignatureKey<'_>,
) -> Result<SignedRequest> {
    let algorithm = key.algorithm();
    check_call(params, algorithm, expires_in)?;
    if let Some(wire) = wire_url(request.url) {
        // Bytes no HTTP client sends raw (a space, non-ASCII, `"<>\^`{|}`): sign, and return, the
        // URL with them percent-encoded, as every client puts it on the wire.
        let on_wire = Request::new(request.method, &wire, request.headers, request.body)?;
        return sign_with(&on_wire, params, expires_in, key);
    }
    let settings = params.settings;
    let adds = Additions::for_call(params, algorithm, expires_in.is_some());
    let mut amz_date_buf = [0u8; 16];
    params.time.write_amz_date(&mut amz_date_buf);
    let amz_date = std::str::from_utf8(&amz_date_buf).unwrap_or("");

    let caller = caller_headers(request, settings, &adds)?;
    let mut signed = caller.signed;
    let mode = settings.payload_for(adds.presigning);
    let payload = payload_hash(request.body, algorithm, mode, caller.content_sha.as_deref())?;
    add_signer_headers(&mut signed, &adds, amz_date, params.region, &payload);

    let akid = params.credentials.access_key_id();
    let mut text = String::with_capacity(text_capacity(
        request,
        params,
        &signed,
        &payload,
        &adds,
        caller.added_host.as_deref(),
    ));
    let region_in_scope = if adds.v4a { None } else { Some(params.region) };
    let scope_start = push_credential(
        &mut text,
        akid,
        &amz_date[..8],
        region_in_scope,
        params.service,
    );
    let credential = end_field(&mut text, 0);
    let at = text.len();
    write_signed_headers(&mut text, &signed);
    let signed_headers = end_field(&mut text, at);
    let query = PresignQuery::new(
        expires_in,
        &text[credential.clone()],
        &text[signed_headers.clone()],
        &adds,
        params.region,
    );
    let algorithm_name = algorithm.name();
    let extra_query = query.pairs(algorithm_name, amz_date, &adds);

    let canonical_start = text.len();
    write_canonical_request(
        &mut text,
        &CanonicalInput {
            method: request.method,
            path: request.path,
            query: request.query,
            extra_query: &extra_query,
            headers: &signed,
            payload_hash: &payload,
            uri_encoding: settings.uri_encoding,
            path_normalization: settings.path_normalization,
            query_encoding: settings.query_encoding,
        },
    );
    let canonical = end_field(&mut text, canonical_start);
    let canonical_hash = Sha256::digest(text[canonical.clone()].as_bytes());
    let scope_parts: &[&str] = if adds.v4a {
        &[params.service]
    } else {
        &[params.region, params.service]
    };
    let sts_start = text.len();
    write_string_to_sign(
        &mut text,
        algorithm_name,
        amz_date,
        scope_parts,
        &canonical_hash,
    );
    let sts = end_field(&mut text, sts_start);
    let signature_hex = SignatureHex::of(key, params, &text[sts.clone()]);
    let signature_text = signature_hex.as_str();

    let method = push_field(&mut text, request.method);
    let amz_date_field = push_field(&mut text, amz_date);
    let payload_field = push_field(&mut text, &payload);
    let (url, url_signature) = write_url(
        &mut text,
        request,
        &query,
        &adds,
        algorithm_name,
        amz_date,
        signature_text,
    );
    let sent = write_sent_headers(
        &mut text,
        request,
        &adds,
        caller.added_host.as_deref(),
        &Authorization {
            algorithm_name,
            akid,
            amz_date,
            region: params.region,
            region_in_scope,
            service: params.service,
            signed: &signed,
            payload: &payload,
            signature: signature_text,
        },
    );
    let signature = sent.signature.unwrap_or(url_signature);

    Ok(SignedRequest {
        text,
        method,
        url,
        headers: sent.headers,
        authorization_at: sent.authorization_at,
        added_at: sent.added_at,
        signature,
        amz_date: amz_date_field,
        credential,
        scope_start,
        signed_headers,
        canonical_request: canonical,
        string_to_sign: sts,
        payload_hash: payload_field,
        redact: adds.token.map(|t| zeroize::Zeroizing::new(t.to_owned())),
    })
}

/// Stage 1: the arguments of the call (the scope unless the `Signer` checked it, the expiry).
fn check_call(
    params: &SigningParams<'_>,
    algorithm: SigningAlgorithm,
    expires_in: Option<u64>,
) -> Result<()> {
    if !params.scope_checked {
        validate_scope(params.region, params.service, algorithm)?;
    }
    if let Some(expires) = expires_in {
        if !(1..=MAX_EXPIRES_IN).contains(&expires) {
            return Err(Error::arg(
                ErrorKind::InvalidExpiry,
                "expires_in",
                format!("expires_in must be 1..=604800 seconds (got {expires})"),
            ));
        }
    }
    Ok(())
}

/// Stage 2: what signing adds to the request besides the signature, decided once per call.
#[derive(Clone, Copy)]
struct Additions<'a> {
    presigning: bool,
    v4a: bool,
    /// The session token, if any (signed, or appended after signing).
    token: Option<&'a str>,
    token_signed: bool,
    /// Whether `x-amz-content-sha256` is added and signed (header signing only).
    adds_content_sha: bool,
}

impl<'a> Additions<'a> {
    fn for_call(params: &SigningParams<'a>, algorithm: SigningAlgorithm, presigning: bool) -> Self {
        let settings = params.settings;
        let token = params.credentials.session_token();
        // S3 signs the payload hash header always; other services when the payload is not signed
        // (botocore adds `X-Amz-Content-SHA256: UNSIGNED-PAYLOAD` then: the service must be told).
        let adds_content_sha = !presigning
            && match settings.content_sha256_header {
                ContentSha256Header::Include => true,
                ContentSha256Header::Omit => false,
                ContentSha256Header::WhenPayloadUnsigned => algorithm
                    .payload_sentinel(settings.payload_for(presigning))
                    .is_some(),
            };
        Additions {
            presigning,
            v4a: algorithm == SigningAlgorithm::Sigv4a,
            token,
            token_signed: token.is_some()
                && settings.session_token_mode == SessionTokenMode::Signed,
            adds_content_sha,
        }
    }

    /// Whether the signer sets header `name` (any case), so a caller's copy is replaced.
    fn replaces(&self, name: &str) -> bool {
        replaced_by_signer(name, self.token.is_some(), self.adds_content_sha, self.v4a)
    }
}

/// The caller's headers as they enter the canonical request.
struct CallerHeaders<'a> {
    /// Validated, lowercased and trimmed; unsigned and replaced ones left out.
    signed: Vec<CanonicalHeader<'a>>,
    /// The `Host` taken from the URL when the caller gave none (lowercased).
    added_host: Option<Cow<'a, str>>,
    /// The caller's own `x-amz-content-sha256`, which then stands for the body.
    content_sha: Option<Cow<'a, str>>,
}

/// Stage 3: the caller's headers, read once.
fn caller_headers<'a>(
    request: &Request<'a>,
    settings: &SigningSettings,
    adds: &Additions<'_>,
) -> Result<CallerHeaders<'a>> {
    let mut signed: Vec<CanonicalHeader<'a>> = Vec::with_capacity(request.headers.len() + 5);
    let mut has_host = false;
    let mut content_sha = None;
    for &(name, value) in request.headers {
        let header = canonical_header(name, value)?;
        let lower: &str = &header.name;
        if lower == "x-amz-content-sha256" {
            content_sha = Some(header.value.clone());
        }
        if adds.replaces(lower) {
            continue;
        }
        if lower == "host" {
            has_host = true;
        }
        if !settings.is_unsigned_header(lower) {
            signed.push(header);
        }
    }
    let added_host = if has_host {
        None
    } else {
        let host = request.authority.ok_or_else(|| {
            Error::arg(
                ErrorKind::InvalidUrl,
                "url",
                "no host: give an absolute URL (https://host/path) or a Host header",
            )
        })?;
        // Host names are case-insensitive and clients send them lower-cased (fetch, botocore's
        // `_host_from_url`): sign and send that form.
        let host = lower_name(host);
        signed.push(CanonicalHeader {
            name: Cow::Borrowed("host"),
            value: host.clone(),
        });
        Some(host)
    };
    Ok(CallerHeaders {
        signed,
        added_host,
        content_sha,
    })
}

/// Stage 4: the headers the signer signs (header signing only), then every header sorted and
/// repeated names merged.
fn add_signer_headers<'a>(
    signed: &mut Vec<CanonicalHeader<'a>>,
    adds: &Additions<'a>,
    amz_date: &'a str,
    region: &'a str,
    payload: &'a str,
) {
    if !adds.presigning {
        let mut add = |name: &'static str, value: &'a str| {
            signed.push(CanonicalHeader {
                name: Cow::Borrowed(name),
                value: Cow::Borrowed(value),
            });
        };
        add("x-amz-date", amz_date);
        if adds.v4a {
            add("x-amz-region-set", region);
        }
        if adds.adds_content_sha {
            add("x-amz-content-sha256", payload);
        }
        if let (true, Some(token)) = (adds.token_signed, adds.token) {
            add("x-amz-security-token", token);
        }
    }
    sort_and_merge(signed);
}

/// The size of the output buffer, so that it is allocated once.
fn text_capacity(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    signed: &[CanonicalHeader<'_>],
    payload: &str,
    adds: &Additions<'_>,
    added_host: Option<&str>,
) -> usize {
    let akid = params.credentials.access_key_id();
    let names_len: usize = signed.iter().map(|h| h.name.len() + 1).sum();
    let values_len: usize = signed.iter().map(|h| h.value.len() + 2).sum();
    let caller_len: usize = request
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + 2)
        .sum();
    let scope_len = 9 + params.region.len() + 1 + params.service.len() + 13;
    2 * (akid.len() + scope_len)
        + 3 * names_len
        + values_len
        + caller_len
        + 2 * request.method.len()
        + 3 * request.path.len()
        + 2 * request.query.len()
        + 2 * payload.len()
        + 2 * request.url.len()
        + added_host.map_or(0, |h| h.len() + 6)
        + if adds.presigning { 440 } else { 330 }
        + adds.token.map_or(0, |t| 4 * t.len())
}

/// Stage 5 (presigning): the `X-Amz-*` query parameters, encoded once, used in the canonical
/// query and in the URL.
struct PresignQuery {
    encoded: String,
    /// Credential, signed headers, token, region set within `encoded`.
    ranges: [std::ops::Range<usize>; 4],
    expires_buf: [u8; 20],
    expires_at: usize,
}

impl PresignQuery {
    fn new(
        expires_in: Option<u64>,
        credential: &str,
        signed_headers: &str,
        adds: &Additions<'_>,
        region_set: &str,
    ) -> Self {
        let mut query = PresignQuery {
            encoded: String::new(),
            ranges: [0..0, 0..0, 0..0, 0..0],
            expires_buf: [0u8; 20],
            expires_at: 20,
        };
        let Some(expires) = expires_in else {
            return query;
        };
        query.encoded.reserve(
            2 * (credential.len() + signed_headers.len())
                + adds.token.map_or(0, |t| 3 * t.len())
                + 64,
        );
        let put = |piece: &str, slot: usize, query: &mut PresignQuery| {
            let at = query.encoded.len();
            crate::encode::encode_into(&mut query.encoded, piece.as_bytes(), false);
            query.ranges[slot] = at..query.encoded.len();
        };
        put(credential, 0, &mut query);
        put(signed_headers, 1, &mut query);
        if let Some(token) = adds.token {
            put(token, 2, &mut query);
        }
        if adds.v4a {
            put(region_set, 3, &mut query);
        }
        let written = write_decimal(expires, &mut query.expires_buf).len();
        query.expires_at = 20 - written;
        query
    }

    fn part(&self, slot: usize) -> &str {
        &self.encoded[self.ranges[slot].clone()]
    }

    fn expires(&self) -> &str {
        std::str::from_utf8(&self.expires_buf[self.expires_at..]).unwrap_or("")
    }

    /// The parameters as the canonical query takes them (none when not presigning).
    fn pairs<'s>(
        &'s self,
        algorithm_name: &'s str,
        amz_date: &'s str,
        adds: &Additions<'_>,
    ) -> Vec<(&'s str, &'s str)> {
        let mut extra_query: Vec<(&str, &str)> = Vec::new();
        if adds.presigning {
            extra_query.reserve(7);
            extra_query.push(("X-Amz-Algorithm", algorithm_name));
            extra_query.push(("X-Amz-Credential", self.part(0)));
            extra_query.push(("X-Amz-Date", amz_date));
            extra_query.push(("X-Amz-Expires", self.expires()));
            if adds.token_signed {
                extra_query.push(("X-Amz-Security-Token", self.part(2)));
            }
            if adds.v4a {
                extra_query.push(("X-Amz-Region-Set", self.part(3)));
            }
            extra_query.push(("X-Amz-SignedHeaders", self.part(1)));
        }
        extra_query
    }
}

/// Stage 6: the signature of the string to sign, as lowercase hex.
enum SignatureHex {
    /// SigV4's HMAC: 64 digits, no allocation.
    Hmac([u8; 64]),
    /// SigV4a's DER-encoded ECDSA signature.
    Ecdsa(String),
}

impl SignatureHex {
    fn of(key: SignatureKey<'_>, params: &SigningParams<'_>, string_to_sign: &str) -> Self {
        match key {
            SignatureKey::Hmac => {
                let mac = params.signing_key().sign(string_to_sign.as_bytes());
                let mut hex = [0u8; 64];
                write_hex32(&mac, &mut hex);
                SignatureHex::Hmac(hex)
            }
            SignatureKey::Ecdsa(ecdsa) => {
                let mut hex = String::with_capacity(144);
                push_hex(&mut hex, &ecdsa.sign_der(string_to_sign.as_bytes()));
                SignatureHex::Ecdsa(hex)
            }
        }
    }

    fn as_str(&self) -> &str {
        match self {
            SignatureHex::Hmac(hex) => std::str::from_utf8(hex).unwrap_or(""),
            SignatureHex::Ecdsa(hex) => hex,
        }
    }
}

/// Stage 7: the URL to send (presigning: with the `X-Amz-*` parameters and the signature, which
/// is stored where it is sent). Returns the URL's range and the signature's (empty when not
/// presigning).
fn write_url(
    text: &mut String,
    request: &Request<'_>,
    query: &PresignQuery,
    adds: &Additions<'_>,
    algorithm_name: &str,
    amz_date: &str,
    signature: &str,
) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let url_start = text.len();
    text.push_str(request.url);
    if !adds.presigning {
        return (end_field(text, url_start), 0..0);
    }
    if !request.url.contains('?') {
        text.push('?');
    } else if !(request.query.is_empty() || request.query.ends_with('&')) {
        // The query, not the URL: in `/??` the second `?` is a parameter name.
        text.push('&');
    }
    text.push_str("X-Amz-Algorithm=");
    text.push_str(algorithm_name);
    text.push_str("&X-Amz-Credential=");
    text.push_str(query.part(0));
    text.push_str("&X-Amz-Date=");
    text.push_str(amz_date);
    text.push_str("&X-Amz-SignedHeaders=");
    text.push_str(query.part(1));
    text.push_str("&X-Amz-Expires=");
    text.push_str(query.expires());
    if adds.token.is_some() {
        text.push_str("&X-Amz-Security-Token=");
        text.push_str(query.part(2));
    }
    if adds.v4a {
        text.push_str("&X-Amz-Region-Set=");
        text.push_str(query.part(3));
    }
    text.push_str("&X-Amz-Signature=");
    let signature = push_field(text, signature);
    (url_start..signature.end, signature)
}

/// What the `Authorization` header is made of.
struct Authorization<'a> {
    algorithm_name: &'a str,
    akid: &'a str,
    amz_date: &'a str,
    region: &'a str,
    region_in_scope: Option<&'a str>,
    service: &'a str,
    signed: &'a [CanonicalHeader<'a>],
    payload: &'a str,
    signature: &'a str,
}

/// The headers to send, as written by [`write_sent_headers`].
struct SentHeaders {
    headers: Vec<HeaderSpan>,
    authorization_at: Option<usize>,
    /// Where the headers the signer added start.
    added_at: usize,
    /// The signature's range inside `Authorization` (header signing).
    signature: Option<std::ops::Range<usize>>,
}

/// Stage 8: every header to send: the caller's (but those the signer replaces), the `Host` taken
/// from the URL, and for header signing the signer's and `Authorization`.
fn write_sent_headers(
    text: &mut String,
    request: &Request<'_>,
    adds: &Additions<'_>,
    added_host: Option<&str>,
    auth: &Authorization<'_>,
) -> SentHeaders {
    let added_at = request
        .headers
        .iter()
        .filter(|&&(name, _)| !adds.replaces(name))
        .count();
    let mut headers: Vec<HeaderSpan> = Vec::with_capacity(request.headers.len() + 5);
    let mut header = |text: &mut String, name: &str, value: &str| {
        let name = push_field(text, name);
        let value = push_field(text, value);
        headers.push(HeaderSpan { name, value });
    };
    for &(name, value) in request.headers {
        if !adds.replaces(name) {
            header(text, name, value);
        }
    }
    if let Some(host) = added_host {
        header(text, "Host", host);
    }
    if adds.presigning {
        return SentHeaders {
            headers,
            authorization_at: None,
            added_at,
            signature: None,
        };
    }
    if let Some(token) = adds.token {
        header(text, "X-Amz-Security-Token", token);
    }
    header(text, "X-Amz-Date", auth.amz_date);
    if adds.v4a {
        header(text, "X-Amz-Region-Set", auth.region);
    }
    if adds.adds_content_sha {
        header(text, "x-amz-content-sha256", auth.payload);
    }
    let name = push_field(text, "Authorization");
    let value_start = text.len();
    let signature = push_authorization(
        text,
        auth.algorithm_name,
        |t| {
            push_credential(
                t,
                auth.akid,
                &auth.amz_date[..8],
                auth.region_in_scope,
                auth.service,
            );
        },
        |t| write_signed_headers(t, auth.signed),
        auth.signature,
    );
    end_field(text, value_start);
    let authorization_at = Some(headers.len());
    headers.push(HeaderSpan {
        name,
        value: value_start..signature.end,
    });
    SentHeaders {
        headers,
        authorization_at,
        added_at,
        signature: Some(signature),
    }
}

fn write_decimal(mut value: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("")
}
