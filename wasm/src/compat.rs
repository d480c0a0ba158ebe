//! The native halves of the drop-ins, as the Node addon has them (bindings/node/src/sdk.rs and aws4.rs):
//! `sdkHandle`/`sdkSign`/`sdkSignString` (libsigv4/aws-sdk, libsigv4/aws4fetch) and `aws4Handle`/`aws4Sign`
//! (libsigv4/aws4). Both are the core's [`sigv4::dropins`] signers; this file only reads the call's fields.

use std::rc::Rc;

use sigv4::dropins::{Aws4Answer, Aws4Signer, SdkSigner};
use sigv4::{Error, ErrorKind};

use crate::abi::{self, Object, Reader};

fn wrong(what: &'static str) -> Error {
    Error::from_binding(
        ErrorKind::InvalidOption,
        "signer",
        abi::msg("signer must be a handle from ", what),
    )
}

fn sdk(handle: u32) -> Result<Rc<SdkSigner>, Error> {
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
    let signer = SdkSigner::new(akid, secret, region, service)?;
    Ok((Object::Sdk(Rc::new(signer)), Vec::new()))
}

/// `sdkHandle(accessKeyId, secretAccessKey, region, service)`.
#[no_mangle]
pub extern "C" fn sigv4_sdk_new(len: usize) -> i32 {
    abi::with_input(len, |buf| abi::answer_handle(new_sdk(buf)))
}

fn sdk_sign(handle: u32, buf: &[u8]) -> Result<Vec<u8>, Error> {
    let h = sdk(handle)?;
    // One text, written by one TextEncoder.encodeInto (no per-field copies): `payloadHash NUL flags NUL`
    // and the addon's sdkSign record (read by the core).
    let text = std::str::from_utf8(buf).map_err(|_| incomplete())?;
    let (hash, rest) = text.split_once('\0').ok_or_else(incomplete)?;
    let (flags, record) = rest.split_once('\0').ok_or_else(incomplete)?;
    let flags: u32 = flags.parse().unwrap_or(0);
    Ok(h.sign(record, hash, flags)?.into_bytes())
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
            let amz_date = r.str(ErrorKind::InvalidTimestamp, "amzDate")?;
            let text = r.bytes()?.unwrap_or(b"");
            Ok(h.sign_string(amz_date, text)?.into_bytes())
        })())
    })
}

/// `aws4Handle(secret, region, service)`.
#[no_mangle]
pub extern "C" fn sigv4_aws4_new(len: usize) -> i32 {
    abi::with_input(len, |buf| {
        abi::answer_handle((|| {
            let mut r = Reader::new(buf);
            let secret = r.str(ErrorKind::InvalidCredentials, "secret")?;
            let region = r.str(ErrorKind::InvalidRegion, "region")?;
            let service = r.str(ErrorKind::InvalidService, "service")?;
            let signer = Aws4Signer::new(secret, region, service);
            Ok((Object::Aws4(Rc::new(signer)), Vec::new()))
        })())
    })
}

fn aws4_sign(handle: u32, buf: &[u8]) -> Result<Aws4Answer, Error> {
    let signer = match abi::object(handle)? {
        Object::Aws4(k) => k,
        _ => return Err(wrong("aws4Handle()")),
    };
    let mut r = Reader::new(buf);
    let record = r.str(ErrorKind::InvalidUrl, "request")?;
    let given = r.opt_str("payloadHash")?;
    let flags: u32 = r.opt_str("flags")?.unwrap_or("0").parse().unwrap_or(0);
    let body = r.bytes()?.unwrap_or(b"");
    signer.sign(record, given, body, flags)
}

/// `aws4Sign(handle, packed, body, payloadHash, flags)`: `packed, payloadHash?, flags, body?`; one text
/// (`SIGNATURE`, `AUTHORIZATION`) or four framed as the input is (aws4 signs header values holding NUL),
/// see [`Aws4Answer`]; `1` (and no output) when the fields need escaping.
#[no_mangle]
pub extern "C" fn sigv4_aws4_sign(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| match aws4_sign(handle, buf) {
        Ok(Aws4Answer::NeedsEscaping) => 1,
        Ok(Aws4Answer::One(text)) => abi::answer(Ok(text.into_bytes())),
        Ok(Aws4Answer::Four(texts)) => {
            abi::answer(Ok(abi::framed(&texts.each_ref().map(String::as_str))))
        }
        Err(e) => abi::fail(&e),
    })
}
