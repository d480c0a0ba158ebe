//! Header signing and presigned URLs.

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::canonical::{
    canonical_header, lower_name, sort_and_merge, write_canonical_request, write_signed_headers,
    write_string_to_sign, CanonicalHeader, CanonicalInput,
};
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{push_hex, write_hex32, PayloadHasher, EMPTY_SHA256};
use crate::key::{KeyCache, SigningKey};
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

/// Signs (`expires_in` `None`) or presigns `request` with SigV4 or SigV4a.
pub(crate) fn sign_with(
    request: &Request<'_>,
    params: &SigningParams<'_>,
    expires_in: Option<u64>,
    key: SignatureKey<'_>,
) -> Result<SignedRequest> {
    let algorithm = key.algorithm();
    let v4a = algorithm == SigningAlgorithm::Sigv4a;
    if !params.scope_checked {
        validate_scope(params.region, params.service, algorithm)?;
    }
    if let Some(wire) = wire_url(request.url) {
        // Bytes no HTTP client sends raw (a space, non-ASCII, `"<>\^`{|}`): sign, and return, the
        // URL with them percent-encoded, as every client puts it on the wire.
        let on_wire = Request::new(request.method, &wire, request.headers, request.body)?;
        return sign_with(&on_wire, params, expires_in, key);
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
    let algorithm_name = algorithm.name();
    let settings = params.settings;
    let presigning = expires_in.is_some();
    let token = params.credentials.session_token();
    let token_signed = token.is_some() && settings.session_token_mode == SessionTokenMode::Signed;
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
    let replaced = |name: &str| replaced_by_signer(name, token.is_some(), adds_content_sha, v4a);

    let mut amz_date_buf = [0u8; 16];
    params.time.write_amz_date(&mut amz_date_buf);
    let amz_date = std::str::from_utf8(&amz_date_buf).unwrap_or("");

    // The caller's headers, validated, lowercased and trimmed once.
    let mut signed: Vec<CanonicalHeader<'_>> = Vec::with_capacity(request.headers.len() + 5);
    let mut has_host = false;
    let mut caller_content_sha = None;
    for &(name, value) in request.headers {
        let header = canonical_header(name, value)?;
        let lower: &str = &header.name;
        if lower == "x-amz-content-sha256" {
            caller_content_sha = Some(header.value.clone());
        }
        if replaced(lower) {
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

    let mode = settings.payload_for(presigning);
    let payload = payload_hash(request.body, algorithm, mode, caller_content_sha.as_deref())?;
    if !presigning {
        signed.push(CanonicalHeader {
            name: Cow::Borrowed("x-amz-date"),
            value: Cow::Borrowed(amz_date),
        });
        if v4a {
            signed.push(CanonicalHeader {
                name: Cow::Borrowed("x-amz-region-set"),
                value: Cow::Borrowed(params.region),
            });
        }
        if adds_content_sha {
            signed.push(CanonicalHeader {
                name: Cow::Borrowed("x-amz-content-sha256"),
                value: Cow::Borrowed(&payload),
            });
        }
        if let (true, Some(token)) = (token_signed, token) {
            signed.push(CanonicalHeader {
                name: Cow::Borrowed("x-amz-security-token"),
                value: Cow::Borrowed(token),
            });
        }
    }
    sort_and_merge(&mut signed);

    // Every text output goes into one buffer, each followed by a NUL (see `SignedRequest`):
    // credential, signed headers, canonical request, string to sign, method, date, payload hash,
    // URL, then the headers. Parts are written (never copied out of the buffer while it grows).
    let akid = params.credentials.access_key_id();
    let names_len: usize = signed.iter().map(|h| h.name.len() + 1).sum();
    let values_len: usize = signed.iter().map(|h| h.value.len() + 2).sum();
    let caller_len: usize = request
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + 2)
        .sum();
    let scope_len = 9 + params.region.len() + 1 + params.service.len() + 13;
    let mut text = String::with_capacity(
        2 * (akid.len() + scope_len)
            + 3 * names_len
            + values_len
            + caller_len
            + 2 * request.method.len()
            + 3 * request.path.len()
            + 2 * request.query.len()
            + 2 * payload.len()
            + 2 * request.url.len()
            + added_host.as_ref().map_or(0, |h| h.len() + 6)
            + if presigning { 440 } else { 330 }
            + token.map_or(0, |t| 4 * t.len()),
    );
    let region_in_scope = if v4a { None } else { Some(params.region) };
    let scope_start = write_credential(&mut text, akid, amz_date, region_in_scope, params.service);
    let credential = end_field(&mut text, 0);
    let at = text.len();
    write_signed_headers(&mut text, &signed);
    let signed_headers = end_field(&mut text, at);

    // Presigning: the X-Amz-* parameters, encoded once, used in the canonical query and the URL.
    let mut expires_buf = [0u8; 20];
    let mut encoded = String::new();
    let mut ranges = [0..0, 0..0, 0..0, 0..0];
    let expires_text = match expires_in {
        Some(expires) => {
            encoded.reserve(2 * text.len() + token.map_or(0, |t| 3 * t.len()) + 64);
            let mut put = |piece: &str, slot: usize, encoded: &mut String| {
                let at = encoded.len();
                crate::encode::encode_into(encoded, piece.as_bytes(), false);
                ranges[slot] = at..encoded.len();
            };
            put(&text[credential.clone()], 0, &mut encoded);
            put(&text[signed_headers.clone()], 1, &mut encoded);
            if let Some(token) = token {
                put(token, 2, &mut encoded);
            }
            if v4a {
                put(params.region, 3, &mut encoded);
            }
            write_decimal(expires, &mut expires_buf)
        }
        None => "",
    };
    let [enc_credential, enc_signed_headers, enc_token, enc_region_set] =
        ranges.map(|r| &encoded[r]);
    let mut extra_query: Vec<(&str, &str)> = Vec::new();
    if presigning {
        extra_query.reserve(7);
        extra_query.push(("X-Amz-Algorithm", algorithm_name));
        extra_query.push(("X-Amz-Credential", enc_credential));
        extra_query.push(("X-Amz-Date", amz_date));
        extra_query.push(("X-Amz-Expires", expires_text));
        if token_signed {
            extra_query.push(("X-Amz-Security-Token", enc_token));
        }
        if v4a {
            extra_query.push(("X-Amz-Region-Set", enc_region_set));
        }
        extra_query.push(("X-Amz-SignedHeaders", enc_signed_headers));
    }

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
    let scope_parts: &[&str] = if v4a {
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

    let mut hmac_hex = [0u8; 64];
    let long_signature = match key {
        SignatureKey::Hmac => {
            let mac = params.signing_key().sign(text[sts.clone()].as_bytes());
            write_hex32(&mac, &mut hmac_hex);
            None
        }
        SignatureKey::Ecdsa(ecdsa) => {
            let mut hex = String::with_capacity(144);
            push_hex(&mut hex, &ecdsa.sign_der(text[sts.clone()].as_bytes()));
            Some(hex)
        }
    };
    let signature_text = match &long_signature {
        Some(long) => long.as_str(),
        None => std::str::from_utf8(&hmac_hex).unwrap_or(""),
    };

    let method = push_field(&mut text, request.method);
    let amz_date_field = push_field(&mut text, amz_date);
    let payload_field = push_field(&mut text, &payload);

    // The signature is stored where it is sent: at the end of the URL or of `Authorization`.
    let mut signature = 0..0;
    let url_start = text.len();
    text.push_str(request.url);
    if presigning {
        if !request.url.contains('?') {
            text.push('?');
        } else if !(request.query.is_empty() || request.query.ends_with('&')) {
            // The query, not the URL: in `/??` the second `?` is a parameter name.
            text.push('&');
        }
        text.push_str("X-Amz-Algorithm=");
        text.push_str(algorithm_name);
        text.push_str("&X-Amz-Credential=");
        text.push_str(enc_credential);
        text.push_str("&X-Amz-Date=");
        text.push_str(amz_date);
        text.push_str("&X-Amz-SignedHeaders=");
        text.push_str(enc_signed_headers);
        text.push_str("&X-Amz-Expires=");
        text.push_str(expires_text);
        if token.is_some() {
            text.push_str("&X-Amz-Security-Token=");
            text.push_str(enc_token);
        }
        if v4a {
            text.push_str("&X-Amz-Region-Set=");
            text.push_str(enc_region_set);
        }
        text.push_str("&X-Amz-Signature=");
        signature = push_field(&mut text, signature_text);
    }
    let url = if presigning {
        url_start..signature.end
    } else {
        end_field(&mut text, url_start)
    };

    let added_at = request
        .headers
        .iter()
        .filter(|&&(name, _)| !replaced(name))
        .count();
    let mut headers: Vec<HeaderSpan> = Vec::with_capacity(request.headers.len() + 5);
    let mut header = |text: &mut String, name: &str, value: &str| {
        let name = push_field(text, name);
        let value = push_field(text, value);
        headers.push(HeaderSpan { name, value });
    };
    for &(name, value) in request.headers {
        if !replaced(name) {
            header(&mut text, name, value);
        }
    }
    if let Some(host) = &added_host {
        header(&mut text, "Host", host);
    }
    let mut authorization_at = None;
    if !presigning {
        if let Some(token) = token {
            header(&mut text, "X-Amz-Security-Token", token);
        }
        header(&mut text, "X-Amz-Date", amz_date);
        if v4a {
            header(&mut text, "X-Amz-Region-Set", params.region);
        }
        if adds_content_sha {
            header(&mut text, "x-amz-content-sha256", &payload);
        }
        let name = push_field(&mut text, "Authorization");
        let value_start = text.len();
        text.push_str(algorithm_name);
        text.push_str(" Credential=");
        write_credential(&mut text, akid, amz_date, region_in_scope, params.service);
        text.push_str(", SignedHeaders=");
        write_signed_headers(&mut text, &signed);
        text.push_str(", Signature=");
        signature = push_field(&mut text, signature_text);
        authorization_at = Some(headers.len());
        headers.push(HeaderSpan {
            name,
            value: value_start..signature.end,
        });
    }

    Ok(SignedRequest {
        text,
        method,
        url,
        headers,
        authorization_at,
        added_at,
        signature,
        amz_date: amz_date_field,
        credential,
        scope_start,
        signed_headers,
        canonical_request: canonical,
        string_to_sign: sts,
        payload_hash: payload_field,
        redact: token.map(|t| zeroize::Zeroizing::new(t.to_owned())),
    })
}

/// Appends `AKID/date/region/service/aws4_request` (no region for SigV4a), returning where the
/// scope (`date/...`) starts.
fn write_credential(
    text: &mut String,
    akid: &str,
    amz_date: &str,
    region: Option<&str>,
    service: &str,
) -> usize {
    text.push_str(akid);
    text.push('/');
    let scope_start = text.len();
    text.push_str(&amz_date[..8]);
    text.push('/');
    if let Some(region) = region {
        text.push_str(region);
        text.push('/');
    }
    text.push_str(service);
    text.push_str("/aws4_request");
    scope_start
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
