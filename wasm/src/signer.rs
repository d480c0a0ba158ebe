//! `Signer`: credentials, scope and settings fixed; the core signer (with its derived-key and
//! ECDSA key caches) rebuilt when the credentials change.

use std::cell::RefCell;
use std::rc::Rc;

use sigv4::{
    packed, Body, Credentials, Error, ErrorKind, Request, SigningAlgorithm, SigningSettings,
    SigningTime, MAX_EXPIRES_IN,
};

use crate::abi::{self, epoch, integer, Object, Reader};
use crate::options;

/// A signer as JS holds it.
pub struct SignerState {
    region: String,
    service: String,
    settings: SigningSettings,
    /// The core signer of the current credentials (none until a provider delivered some).
    core: Option<sigv4::Signer>,
}

impl SignerState {
    /// The core signer, or the error for a signer still waiting for its credentials.
    pub fn core(&self) -> Result<&sigv4::Signer, Error> {
        self.core.as_ref().ok_or_else(|| {
            Error::from_binding(
                ErrorKind::InvalidCredentials,
                "credentials",
                "no credentials loaded yet: with a credential provider, use signAsync/presignAsync",
            )
        })
    }

    fn build(&self, credentials: Credentials) -> Result<sigv4::Signer, Error> {
        sigv4::Signer::with_settings(
            credentials,
            &self.region,
            &self.service,
            self.settings.clone(),
        )
    }
}

/// Reads `accessKeyId, secretAccessKey, sessionToken?, expiresAt?` (the first absent: none given).
fn credentials(r: &mut Reader<'_>) -> Result<Option<Credentials>, Error> {
    let Some(akid) = r.opt_str("accessKeyId")? else {
        for _ in 0..3 {
            r.bytes()?;
        }
        return Ok(None);
    };
    let secret = r.str(ErrorKind::InvalidCredentials, "secretAccessKey")?;
    let token = r.opt_str("sessionToken")?;
    let expires = r.opt_str("expiration")?;
    let mut creds = Credentials::new(akid, secret, token.map(str::to_owned))?;
    if let Some(t) = expires.and_then(epoch) {
        creds = creds.with_expiry(t);
    }
    Ok(Some(creds))
}

/// Reads a signing time: `s` + text (`YYYYMMDDTHHMMSSZ` or RFC 3339) or `n` + epoch seconds (JS
/// floors them and refuses non-finite ones).
pub fn time(r: &mut Reader<'_>) -> Result<SigningTime, Error> {
    let bad = |m: &str| Error::from_binding(ErrorKind::InvalidTimestamp, "timestamp", m.to_owned());
    let t = r
        .opt_str("timestamp")?
        .ok_or_else(|| bad("timestamp is required"))?;
    match t.split_at(t.len().min(1)) {
        ("s", text) => SigningTime::parse(text),
        ("n", n) => SigningTime::from_unix(
            epoch(n).ok_or_else(|| bad("timestamp is out of range (epoch seconds)"))?,
        ),
        _ => Err(bad(
            "timestamp must be a Date, epoch seconds or a YYYYMMDDTHHMMSSZ string",
        )),
    }
}

fn info(s: &SignerState) -> Vec<u8> {
    let creds = s.core.as_ref().map(sigv4::Signer::credentials);
    let expires = creds
        .and_then(Credentials::expires_at)
        .map(|t| t.to_string())
        .unwrap_or_default();
    abi::nul_join(&[
        match s.settings.algorithm {
            SigningAlgorithm::Sigv4 => "sigv4",
            SigningAlgorithm::Sigv4a => "sigv4a",
        },
        &s.region,
        &s.service,
        creds.map(Credentials::access_key_id).unwrap_or(""),
        &expires,
        if creds.is_some() { "1" } else { "0" },
    ])
}

fn new_signer(buf: &[u8]) -> Result<(Object, Vec<u8>), Error> {
    let mut r = Reader::new(buf);
    let region = r.str(ErrorKind::InvalidRegion, "region")?;
    let service = r.str(ErrorKind::InvalidService, "service")?;
    let creds = credentials(&mut r)?;
    let opts = options::read(&mut r)?;
    let settings = options::signing(&opts, service)?;
    // Region (or region set), service, and the swapped-arguments trap, as the core checks them.
    sigv4::validate_scope(region, service, settings.algorithm)?;
    let mut state = SignerState {
        region: region.to_owned(),
        service: service.to_owned(),
        settings,
        core: None,
    };
    match creds {
        Some(c) => state.core = Some(state.build(c)?),
        // Validates the scope (a SigV4a region set too) before credentials arrive.
        None => drop(state.build(Credentials::new("AKIDPROBE", "probe", None)?)?),
    }
    let out = info(&state);
    Ok((Object::Signer(Rc::new(RefCell::new(state))), out))
}

/// Creates a signer from `region, service, credentials (4 fields), options...`; its handle, and
/// its description (`signer_info`) in the output.
#[no_mangle]
pub extern "C" fn sigv4_signer_new(len: usize) -> i32 {
    abi::with_input(len, |buf| abi::answer_handle(new_signer(buf)))
}

fn signer(handle: u32) -> Result<Rc<RefCell<SignerState>>, Error> {
    match abi::object(handle)? {
        Object::Signer(s) => Ok(s),
        _ => Err(Error::from_binding(
            ErrorKind::InvalidOption,
            "handle",
            "not a signer",
        )),
    }
}

/// Replaces the credentials (`accessKeyId, secretAccessKey, sessionToken?, expiresAt?`); the
/// description into the output.
#[no_mangle]
pub extern "C" fn sigv4_signer_set_credentials(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| {
        abi::answer((|| {
            let s = signer(handle)?;
            let mut r = Reader::new(buf);
            let creds = credentials(&mut r)?.ok_or_else(|| {
                Error::from_binding(
                    ErrorKind::InvalidCredentials,
                    "accessKeyId",
                    "accessKeyId is required",
                )
            })?;
            let mut s = s.borrow_mut();
            s.core = Some(s.build(creds)?);
            Ok(info(&s))
        })())
    })
}

fn sign(handle: u32, buf: &[u8]) -> Result<Vec<u8>, Error> {
    let s = signer(handle)?;
    let s = s.borrow();
    let core = s.core()?;
    let mut r = Reader::new(buf);
    let method = r.opt_str("method")?.unwrap_or("GET");
    let url = r.str(ErrorKind::InvalidUrl, "url")?;
    let payload_hash = r.opt_str("payloadHash")?;
    let time = time(&mut r)?;
    let expires = match r.opt_str("expiresIn")? {
        None => None,
        Some(n) => {
            let bad = || {
                Error::from_binding(
                    ErrorKind::InvalidExpiry,
                    "expiresIn",
                    abi::msg("expiresIn must be 1..604800 seconds, got ", n),
                )
            };
            let e = integer(n, MAX_EXPIRES_IN, bad)?;
            if e < 1 {
                return Err(bad());
            }
            Some(e)
        }
    };
    let body = r.bytes()?.unwrap_or(b"");
    let headers = r.pairs()?;
    let body = match payload_hash {
        Some(h) => Body::Precomputed(h),
        None => Body::Bytes(body),
    };
    let request = Request::new(method, url, &headers, body)?;
    let signed = match expires {
        None => core.sign(&request, time)?,
        Some(e) => core.presign(&request, time, e)?,
    };
    Ok(packed::signed_request(&signed).into_bytes())
}

/// Signs (or, with `expiresIn`, presigns): `method?, url, payloadHash?, time, expiresIn?, body?,
/// then header pairs`; the signed request (`sigv4::packed::SIGNED_REQUEST_FIELDS`) into the output.
#[no_mangle]
pub extern "C" fn sigv4_signer_sign(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| abi::answer(sign(handle, buf)))
}
