//! The native halves of the drop-ins, as the Node addon has them (bindings/node/src/sdk.rs and aws4.rs):
//! `sdkHandle`/`sdkSign`/`sdkSignString` (libsigv4/aws-sdk, libsigv4/aws4fetch: exactly the headers given,
//! [`sigv4::sign_exact`]) and `aws4Handle`/`aws4Sign` (libsigv4/aws4: the core's aws4 mode). Same packed
//! forms and flags as the addon's; the JS side is shared.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use sigv4::{
    packed, Aws4Mode, Aws4Request, Body, Credentials, Error, ErrorKind, KeyCache,
    PathNormalization, Request, SigningKey, SigningSettings, SigningTime, UriEncoding,
};

use crate::abi::{self, Object, Reader};

/// `sdkSign` flags (bindings/node/src/sdk.rs).
const VERBATIM_PATH: u32 = 8;
const SINGLE_ENCODING: u32 = 16;
const NORMALIZE_PATH: u32 = 32;
const FULL: u32 = 64;

/// `aws4Sign` flags (bindings/node/src/aws4.rs).
const AWS4_S3: u32 = 1;
const AWS4_DECODE_PATH: u32 = 2;
const AWS4_SIGN_QUERY: u32 = 4;
const AWS4_CODECOMMIT_GIT: u32 = 8;
const AWS4_ESCAPED: u32 = 16;
const AWS4_SIGNATURE: u32 = 64;
const AWS4_AUTHORIZATION: u32 = 128;
const AWS4_STRINGS: u32 = 256;

/// One `sdkHandle`: credentials and scope, with a derived-key cache.
pub struct SdkState {
    credentials: Credentials,
    region: String,
    service: String,
    cache: KeyCache,
}

/// One `aws4Handle`: a secret, region and service (free text, as aws4 takes them), and the key of the
/// last date.
pub struct Aws4State {
    secret: String,
    region: String,
    service: String,
    last: RefCell<Option<(String, SigningKey)>>,
}

fn wrong(what: &'static str) -> Error {
    Error::from_binding(
        ErrorKind::InvalidOption,
        "signer",
        abi::msg("signer must be a handle from ", what),
    )
}

fn sdk(handle: u32) -> Result<Rc<SdkState>, Error> {
    match abi::object(handle)? {
        Object::Sdk(s) => Ok(s),
        _ => Err(wrong("sdkHandle()")),
    }
}

fn incomplete() -> Error {
    Error::from_binding(
        ErrorKind::InvalidUrl,
        "request",
        "packed request is incomplete",
    )
}

fn new_sdk(buf: &[u8]) -> Result<(Object, Vec<u8>), Error> {
    let mut r = Reader::new(buf);
    let akid = r.str(ErrorKind::InvalidCredentials, "accessKeyId")?;
    let secret = r.str(ErrorKind::InvalidCredentials, "secretAccessKey")?;
    let region = r.str(ErrorKind::InvalidRegion, "region")?;
    let service = r.str(ErrorKind::InvalidService, "service")?;
    let credentials = Credentials::new(akid, secret, None)?;
    sigv4::validate_region(region)?;
    sigv4::validate_service(service)?;
    let state = SdkState {
        credentials,
        region: region.to_owned(),
        service: service.to_owned(),
        cache: KeyCache::new(4),
    };
    Ok((Object::Sdk(Rc::new(state)), Vec::new()))
}

/// `sdkHandle(accessKeyId, secretAccessKey, region, service)`.
#[no_mangle]
pub extern "C" fn sigv4_sdk_new(len: usize) -> i32 {
    abi::with_input(len, |buf| abi::answer_handle(new_sdk(buf)))
}

fn sdk_sign(handle: u32, buf: &[u8]) -> Result<Vec<u8>, Error> {
    let h = sdk(handle)?;
    // One text, written by one TextEncoder.encodeInto (no per-field copies): `payloadHash NUL flags NUL`
    // and the addon's sdkSign record (read by the core's `packed::sdk_request`).
    let text = std::str::from_utf8(buf).map_err(|_| incomplete())?;
    let (hash, rest) = text.split_once('\0').ok_or_else(incomplete)?;
    let (flags, record) = rest.split_once('\0').ok_or_else(incomplete)?;
    let flags: u32 = flags.parse().unwrap_or(0);
    let (request, amz_date) = packed::sdk_request(record)?;
    let time = SigningTime::parse_amz_date(amz_date)?;
    let mut settings = SigningSettings::for_service(&h.service);
    settings.uri_encoding = if flags & VERBATIM_PATH != 0 {
        UriEncoding::Verbatim
    } else if flags & SINGLE_ENCODING != 0 {
        UriEncoding::Single
    } else {
        UriEncoding::Double
    };
    settings.path_normalization = if flags & NORMALIZE_PATH != 0 {
        PathNormalization::Enabled
    } else {
        PathNormalization::Disabled
    };
    let request = Request::new(
        request.method,
        request.url,
        &request.headers,
        Body::Precomputed(hash),
    )?;
    let out = sigv4::sign_exact(
        &request,
        &h.credentials,
        &h.region,
        &h.service,
        time,
        &settings,
        Some(&h.cache),
    )?;
    Ok(packed::sdk_signature(&out, flags & FULL != 0).into_bytes())
}

/// `sdkSign(handle, packed, payloadHash, flags)`: the input is `payloadHash NUL flags NUL packed` as one
/// UTF-8 text; the signature NUL signed headers (with `FULL`: NUL canonical request NUL string to sign).
#[no_mangle]
pub extern "C" fn sigv4_sdk_sign(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| abi::answer(sdk_sign(handle, buf)))
}

/// `sdkSignString(handle, amzDate, text)`: `amzDate, text`; the HMAC-SHA256 (hex) of the text under
/// the handle's signing key for that day.
#[no_mangle]
pub extern "C" fn sigv4_sdk_sign_string(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| {
        abi::answer((|| {
            let h = sdk(handle)?;
            let mut r = Reader::new(buf);
            let time = SigningTime::parse_amz_date(r.str(ErrorKind::InvalidTimestamp, "amzDate")?)?;
            let text = r.bytes()?.unwrap_or(b"");
            let key = h
                .cache
                .signing_key(&h.credentials, time, &h.region, &h.service);
            Ok(sigv4::hex(&key.sign(text)).into_bytes())
        })())
    })
}

/// `aws4Handle(secret, region, service)`.
#[no_mangle]
pub extern "C" fn sigv4_aws4_new(len: usize) -> i32 {
    abi::with_input(len, |buf| {
        abi::answer_handle((|| {
            let mut r = Reader::new(buf);
            let state = Aws4State {
                secret: r.str(ErrorKind::InvalidCredentials, "secret")?.to_owned(),
                region: r.str(ErrorKind::InvalidRegion, "region")?.to_owned(),
                service: r.str(ErrorKind::InvalidService, "service")?.to_owned(),
                last: RefCell::new(None),
            };
            Ok((Object::Aws4(Rc::new(state)), Vec::new()))
        })())
    })
}

/// `Ok(None)`: the packed fields do not match their counts (JS packs again, escaped).
fn aws4_sign(handle: u32, buf: &[u8]) -> Result<Option<Vec<u8>>, Error> {
    let key = match abi::object(handle)? {
        Object::Aws4(k) => k,
        _ => return Err(wrong("aws4Handle()")),
    };
    let mut r = Reader::new(buf);
    let record = r.str(ErrorKind::InvalidUrl, "request")?;
    let given = r.opt_str("payloadHash")?;
    let flags: u32 = r.opt_str("flags")?.unwrap_or("0").parse().unwrap_or(0);
    let body = r.bytes()?.unwrap_or(b"");
    let fields: Vec<Cow<'_, str>> = if flags & AWS4_ESCAPED != 0 {
        packed::fields(record)
            .into_iter()
            .map(packed::unescape)
            .collect()
    } else {
        packed::fields(record)
            .into_iter()
            .map(Cow::Borrowed)
            .collect()
    };
    let Some(request) = packed::aws4_request(&fields) else {
        return Ok(None);
    };
    let (datetime, date, akid) = (request.datetime, request.date, request.access_key_id);
    let headers = request.headers;
    let scope = [date, key.region.as_str(), key.service.as_str()];
    if flags & AWS4_STRINGS != 0 {
        return Ok(Some(abi::framed(&[
            &sigv4::aws4_credential_scope(scope),
            &sigv4::aws4_signed_headers(&headers),
            &sigv4::aws4_credential(akid, scope),
            &sigv4::aws4_canonical_headers(&headers),
        ])));
    }
    let request = Aws4Request {
        method: request.method,
        path: request.path,
        query: request.query.as_deref(),
        headers: &headers,
        payload_hash: given,
        body: if given.is_some() { b"" } else { body },
    };
    let mode = Aws4Mode {
        s3: flags & AWS4_S3 != 0,
        decode_path: flags & AWS4_DECODE_PATH != 0,
        sign_query: flags & AWS4_SIGN_QUERY != 0,
        codecommit_git: flags & AWS4_CODECOMMIT_GIT != 0,
    };
    let signing_key = {
        let mut last = key.last.borrow_mut();
        match &*last {
            Some((d, k)) if d == date => k.clone(),
            _ => {
                let k = sigv4::aws4_signing_key(&key.secret, date, &key.region, &key.service);
                *last = Some((date.to_owned(), k.clone()));
                k
            }
        }
    };
    let out = sigv4::aws4_sign(&request, mode, datetime, scope, &signing_key)?;
    if flags & AWS4_AUTHORIZATION != 0 {
        let value = sigv4::aws4_authorization(akid, scope, &headers, &out.signature);
        return Ok(Some(value.into_bytes()));
    }
    if flags & AWS4_SIGNATURE != 0 {
        return Ok(Some(out.signature.into_bytes()));
    }
    let canonical_headers = sigv4::aws4_canonical_headers(&headers);
    // Framed, not NUL-joined: aws4 signs header values holding NUL.
    Ok(Some(abi::framed(&[
        &out.canonical_request,
        &out.string_to_sign,
        &out.signature,
        &canonical_headers,
    ])))
}

/// `aws4Sign(handle, packed, body, payloadHash, flags)`: `packed, payloadHash?, flags, body?`; the
/// signature (`SIGNATURE`) or canonical request, string to sign, signature and canonical headers (framed
/// as the input is);
/// `1` (and no output) when the fields need escaping.
#[no_mangle]
pub extern "C" fn sigv4_aws4_sign(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| match aws4_sign(handle, buf) {
        Ok(None) => 1,
        Ok(Some(out)) => abi::answer(Ok(out)),
        Err(e) => abi::fail(&e),
    })
}
