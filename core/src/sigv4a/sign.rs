//! SigV4a header signing and presigning.
//!
//! The same canonical request as SigV4 with three differences: `X-Amz-Region-Set` is signed (a
//! header, or a query parameter when presigning), the credential scope leaves the region out, and
//! the string to sign starts with `AWS4-ECDSA-P256-SHA256` and is signed with ECDSA P-256.

use std::borrow::Cow;

use crate::canonical::{
    canonical_header, canonical_request, push_hex, signed_headers_list, sort_and_merge,
    CanonicalHeader, CanonicalInput, PayloadHasher, EMPTY_SHA256,
};
use crate::credentials::Credentials;
use crate::encode::encode;
use crate::error::{Error, ErrorKind, Result};
use crate::output::SignedRequest;
use crate::request::{Body, Request};
use crate::settings::{ContentSha256Header, SessionTokenMode, SigningAlgorithm, SigningSettings};
use crate::sigv4a::key::{EcdsaKey, SIGV4A_ALGORITHM};
use crate::time::SigningTime;

/// What a SigV4a signing needs besides the request.
pub(crate) struct Sigv4aParams<'a> {
    pub(crate) credentials: &'a Credentials,
    pub(crate) region_set: &'a str,
    pub(crate) service: &'a str,
    pub(crate) time: SigningTime,
    pub(crate) settings: &'a SigningSettings,
    pub(crate) key: &'a EcdsaKey,
}

/// Checks a region set: comma-separated regions (wildcards such as `*` or `us-*` allowed).
pub(crate) fn validate_region_set(region_set: &str) -> Result<()> {
    crate::sign::validate_region(region_set)?;
    if region_set.split(',').any(|r| r.is_empty()) {
        return Err(Error::arg(
            ErrorKind::InvalidRegion,
            "region",
            format!("region set {region_set:?} has an empty entry"),
        ));
    }
    Ok(())
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn payload_hash(
    body: Body<'_>,
    settings: &SigningSettings,
    presigning: bool,
    caller_content_sha: Option<&str>,
) -> Result<String> {
    let mode = settings.payload_for(presigning);
    if let Some(sentinel) = SigningAlgorithm::Sigv4a.payload_sentinel(mode) {
        if let Body::Precomputed(_) = body {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "payload_hash",
                format!("payload_hash cannot be combined with payload {sentinel}"),
            ));
        }
        return Ok(sentinel.to_owned());
    }
    match body {
        Body::Precomputed(hash) if is_hex64(hash) => Ok(hash.to_ascii_lowercase()),
        Body::Precomputed(_) => Err(Error::arg(
            ErrorKind::InvalidPayloadHash,
            "payload_hash",
            "payload_hash must be 64 hex digits (a SHA-256)",
        )),
        Body::Bytes(_) if caller_content_sha.is_some_and(is_hex64) => {
            Ok(caller_content_sha.unwrap_or_default().to_ascii_lowercase())
        }
        Body::Bytes([]) => Ok(EMPTY_SHA256.to_owned()),
        Body::Bytes(b) => {
            let mut hasher = PayloadHasher::new();
            hasher.update(b);
            Ok(hasher.finish_hex())
        }
    }
}

/// Signs (`expires_in` `None`) or presigns `request` with SigV4a.
pub(crate) fn sign_v4a(
    request: &Request<'_>,
    params: &Sigv4aParams<'_>,
    expires_in: Option<u64>,
) -> Result<SignedRequest> {
    validate_region_set(params.region_set)?;
    crate::sign::validate_service(params.service)?;
    if let Some(expires) = expires_in {
        if !(1..=crate::sign::MAX_EXPIRES_IN).contains(&expires) {
            return Err(Error::arg(
                ErrorKind::InvalidExpiry,
                "expires_in",
                format!("expires_in must be 1..=604800 seconds (got {expires})"),
            ));
        }
    }
    let settings = params.settings;
    let presigning = expires_in.is_some();
    let token = params.credentials.session_token();
    let token_signed = token.is_some() && settings.session_token_mode == SessionTokenMode::Signed;
    let adds_content_sha =
        !presigning && settings.content_sha256_header == ContentSha256Header::Include;
    let amz_date = params.time.amz_date();

    let replaced = |lower: &str| match lower {
        "x-amz-date" | "authorization" | "x-amz-region-set" => true,
        "x-amz-security-token" => token.is_some(),
        "x-amz-content-sha256" => adds_content_sha,
        _ => false,
    };
    let mut signed: Vec<CanonicalHeader<'_>> = Vec::with_capacity(request.headers.len() + 5);
    let mut keep: Vec<(String, String)> = Vec::with_capacity(request.headers.len() + 6);
    let mut has_host = false;
    let mut caller_content_sha = None;
    for &(name, value) in request.headers {
        let header = canonical_header(name, value)?;
        let lower: &str = &header.name;
        if lower == "x-amz-content-sha256" {
            caller_content_sha = Some(header.value.clone().into_owned());
        }
        if replaced(lower) {
            continue;
        }
        keep.push((name.to_owned(), value.to_owned()));
        if lower == "host" {
            has_host = true;
        }
        if !settings.is_unsigned_header(lower) {
            signed.push(header);
        }
    }
    if !has_host {
        let host = request.authority.ok_or_else(|| {
            Error::arg(
                ErrorKind::InvalidUrl,
                "url",
                "no host: give an absolute URL (https://host/path) or a Host header",
            )
        })?;
        signed.push(CanonicalHeader {
            name: Cow::Borrowed("host"),
            value: Cow::Borrowed(host),
        });
        keep.push(("Host".to_owned(), host.to_owned()));
    }
    let payload = payload_hash(
        request.body,
        settings,
        presigning,
        caller_content_sha.as_deref(),
    )?;
    if !presigning {
        signed.push(CanonicalHeader {
            name: Cow::Borrowed("x-amz-date"),
            value: Cow::Borrowed(&amz_date),
        });
        signed.push(CanonicalHeader {
            name: Cow::Borrowed("x-amz-region-set"),
            value: Cow::Borrowed(params.region_set),
        });
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
    let signed_headers = signed_headers_list(&signed);

    let akid = params.credentials.access_key_id();
    let scope = format!("{}/{}/aws4_request", &amz_date[..8], params.service);
    let credential = format!("{akid}/{scope}");

    let expires_text = expires_in.map(|e| e.to_string()).unwrap_or_default();
    let encoded_credential = encode(&credential);
    let encoded_signed_headers = encode(&signed_headers);
    let encoded_token = token.map(encode);
    let encoded_region_set = encode(params.region_set);
    let mut extra_query: Vec<(&str, &str)> = Vec::new();
    if presigning {
        extra_query.push(("X-Amz-Algorithm", SIGV4A_ALGORITHM));
        extra_query.push(("X-Amz-Credential", &encoded_credential));
        extra_query.push(("X-Amz-Date", &amz_date));
        extra_query.push(("X-Amz-Expires", &expires_text));
        if let (true, Some(t)) = (token_signed, &encoded_token) {
            extra_query.push(("X-Amz-Security-Token", t));
        }
        extra_query.push(("X-Amz-Region-Set", &encoded_region_set));
        extra_query.push(("X-Amz-SignedHeaders", &encoded_signed_headers));
    }

    let canonical = canonical_request(
        &CanonicalInput {
            method: request.method,
            path: request.path,
            query: request.query,
            extra_query: &extra_query,
            headers: &signed,
            payload_hash: &payload,
            uri_encoding: settings.uri_encoding,
            path_normalization: settings.path_normalization,
        },
        &signed_headers,
    );
    let sts = string_to_sign(&amz_date, &scope, &canonical);
    let mut signature = String::with_capacity(144);
    push_hex(&mut signature, &params.key.sign_der(sts.as_bytes()));

    let mut headers = keep;
    let mut authorization_at = None;
    let url = if presigning {
        let mut url = String::with_capacity(request.url.len() + 400);
        url.push_str(request.url);
        if !request.url.contains('?') {
            url.push('?');
        } else if !(request.url.ends_with('?') || request.url.ends_with('&')) {
            url.push('&');
        }
        url.push_str("X-Amz-Algorithm=");
        url.push_str(SIGV4A_ALGORITHM);
        url.push_str("&X-Amz-Credential=");
        url.push_str(&encoded_credential);
        url.push_str("&X-Amz-Date=");
        url.push_str(&amz_date);
        url.push_str("&X-Amz-SignedHeaders=");
        url.push_str(&encoded_signed_headers);
        url.push_str("&X-Amz-Expires=");
        url.push_str(&expires_text);
        if let Some(t) = &encoded_token {
            url.push_str("&X-Amz-Security-Token=");
            url.push_str(t);
        }
        url.push_str("&X-Amz-Region-Set=");
        url.push_str(&encoded_region_set);
        url.push_str("&X-Amz-Signature=");
        url.push_str(&signature);
        url
    } else {
        if let Some(token) = token {
            headers.push(("X-Amz-Security-Token".to_owned(), token.to_owned()));
        }
        headers.push(("X-Amz-Date".to_owned(), amz_date.clone()));
        headers.push(("X-Amz-Region-Set".to_owned(), params.region_set.to_owned()));
        if adds_content_sha {
            headers.push(("x-amz-content-sha256".to_owned(), payload.clone()));
        }
        let authorization = format!(
            "{SIGV4A_ALGORITHM} Credential={credential}, SignedHeaders={signed_headers}, Signature={signature}"
        );
        authorization_at = Some(headers.len());
        headers.push(("Authorization".to_owned(), authorization));
        request.url.to_owned()
    };

    Ok(SignedRequest::from_sigv4a(
        request.method,
        url,
        headers,
        authorization_at,
        signature,
        &amz_date,
        credential,
        akid.len() + 1,
        signed_headers,
        canonical,
        sts,
        payload,
        token,
    ))
}

/// `AWS4-ECDSA-P256-SHA256\n<amz-date>\n<scope>\n<hex sha256(canonical request)>`.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    let mut out = String::with_capacity(24 + 17 + scope.len() + 65);
    out.push_str(SIGV4A_ALGORITHM);
    out.push('\n');
    out.push_str(amz_date);
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    out.push_str(&crate::canonical::sha256_hex(canonical_request.as_bytes()));
    out
}
