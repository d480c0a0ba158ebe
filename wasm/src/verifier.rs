//! `Verifier`: the core's verifier; secrets from JS, asked during the call through an import
//! (`env.sigv4_lookup`): the caller's function, or the backend's lookup in the table it copied once
//! (no hash table here: the module stays smaller).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use sigv4::{packed, Body, CredentialLookup, Credentials, Error, ErrorKind, Request};

use crate::abi::{self, epoch, Object, Reader};
use crate::options;
use crate::signer::time;

/// A verifier as JS holds it.
pub struct VerifierState {
    core: sigv4::Verifier,
}

/// Where the verifier finds secrets: JS, through the import.
struct Lookup;

thread_local! {
    /// Set when the JS lookup threw or answered something unusable during the current call.
    static LOOKUP_FAILED: Cell<bool> = const { Cell::new(false) };
}

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "env")]
extern "C" {
    /// Asks JS for the credentials of the access key id at `ptr..ptr+len`: the length of the
    /// answer written to the lookup buffer (`secret, sessionToken?, expiration?` fields), `-1`
    /// for an unknown key, `-2` when the function threw or answered badly (JS keeps the error).
    fn sigv4_lookup(ptr: *const u8, len: usize) -> i32;
}

#[cfg(target_arch = "wasm32")]
fn ask_js(akid: &str) -> i32 {
    // SAFETY: JS reads the bytes during the call only.
    unsafe { sigv4_lookup(akid.as_ptr(), akid.len()) }
}

#[cfg(not(target_arch = "wasm32"))]
fn ask_js(_akid: &str) -> i32 {
    -1
}

fn call(akid: &str) -> Option<Credentials> {
    let n = ask_js(akid);
    if n == -2 {
        LOOKUP_FAILED.with(|f| f.set(true));
    }
    if n < 0 {
        return None;
    }
    abi::with_lookup(n as usize, |buf| {
        let mut r = Reader::new(buf);
        let secret = r.opt_str("credentials").ok().flatten()?;
        let token = r.opt_str("credentials").ok().flatten();
        let expires = r.opt_str("credentials").ok().flatten();
        let mut c = Credentials::new(akid, secret, token.map(str::to_owned)).ok()?;
        if let Some(t) = expires.and_then(epoch) {
            c = c.with_expiry(t);
        }
        Some(c)
    })
}

impl CredentialLookup for Lookup {
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, Credentials>> {
        call(access_key_id).map(Cow::Owned)
    }
}

fn new_verifier(buf: &[u8]) -> Result<(Object, Vec<u8>), Error> {
    let mut r = Reader::new(buf);
    let service = r.str(ErrorKind::InvalidService, "service")?;
    let opts = options::read(&mut r)?;
    let (regions, settings) = options::verifying(&opts, service)?;
    let refs: Vec<&str> = regions.iter().map(String::as_str).collect();
    let core = sigv4::Verifier::new(Lookup, &refs, service, settings)?;
    let state = VerifierState { core };
    let out = info(&state);
    Ok((Object::Verifier(Rc::new(state)), out))
}

/// `maxSkew NUL maxExpires NUL replayCapacity NUL replayLength NUL service [NUL region]...`.
fn info(v: &VerifierState) -> Vec<u8> {
    let s = v.core.settings();
    let numbers = [
        s.max_skew_seconds.to_string(),
        s.max_expires_seconds.to_string(),
        s.replay_cache_capacity.unwrap_or(0).to_string(),
        v.core.replay_cache_len().to_string(),
    ];
    let mut parts: Vec<&str> = numbers.iter().map(String::as_str).collect();
    parts.push(v.core.service());
    parts.extend(v.core.regions().iter().map(String::as_str));
    abi::nul_join(&parts)
}

/// Creates a verifier from `service, options...`; its handle, and its description (`verifier_info`)
/// in the output.
#[no_mangle]
pub extern "C" fn sigv4_verifier_new(len: usize) -> i32 {
    abi::with_input(len, |buf| abi::answer_handle(new_verifier(buf)))
}

fn verifier(handle: u32) -> Result<Rc<VerifierState>, Error> {
    match abi::object(handle)? {
        Object::Verifier(v) => Ok(v),
        _ => Err(Error::from_binding(
            ErrorKind::InvalidOption,
            "handle",
            "not a verifier",
        )),
    }
}

/// The verifier's description (see [`info`]) into the output.
#[no_mangle]
pub extern "C" fn sigv4_verifier_info(handle: u32) -> i32 {
    abi::answer(verifier(handle).map(|v| info(&v)))
}

/// Runs a verification; a failed JS lookup wins over the verification's own answer (`-2`).
fn guarded(f: impl FnOnce() -> i32) -> i32 {
    LOOKUP_FAILED.with(|c| c.set(false));
    let status = f();
    if LOOKUP_FAILED.with(|c| c.replace(false)) {
        return -2;
    }
    status
}

fn verify(handle: u32, buf: &[u8]) -> Result<Vec<u8>, Error> {
    let v = verifier(handle)?;
    let mut r = Reader::new(buf);
    let method = r.opt_str("method")?.unwrap_or("GET");
    let url = r.str(ErrorKind::InvalidUrl, "url")?;
    let payload_hash = r.opt_str("payloadHash")?;
    let now = time(&mut r)?;
    let body = r.bytes()?.unwrap_or(b"");
    let headers = r.pairs()?;
    let body = match payload_hash {
        Some(h) => Body::Precomputed(h),
        None => Body::Bytes(body),
    };
    let who = v.core.verify_http(method, url, &headers, body, now)?;
    Ok(packed::identity(&who).into_bytes())
}

/// Verifies `method?, url, payloadHash?, now, body?, header pairs`; the identity into the output,
/// or the error (`-1`; `-2` when the JS lookup failed: JS rethrows its error).
#[no_mangle]
pub extern "C" fn sigv4_verifier_verify(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| guarded(|| abi::answer(verify(handle, buf))))
}

fn verify_streaming(handle: u32, buf: &[u8]) -> Result<(Object, Vec<u8>), Error> {
    let v = verifier(handle)?;
    let mut r = Reader::new(buf);
    let method = r.opt_str("method")?.unwrap_or("GET");
    let url = r.str(ErrorKind::InvalidUrl, "url")?;
    let now = time(&mut r)?;
    let headers = r.pairs()?;
    let request = Request::new(method, url, &headers, Body::Bytes(b""))?;
    let stream = v.core.verify_streaming(&request, now)?;
    let decoded_length = stream.decoded_length;
    let (identity, decoder) = stream.into_parts();
    let mut out = packed::identity(&identity).into_bytes();
    out.push(0);
    out.extend_from_slice(decoded_length.to_string().as_bytes());
    Ok((Object::Stream(Rc::new(RefCell::new(decoder))), out))
}

/// Verifies the headers of a streaming upload (`method?, url, now, header pairs`); the decoder's
/// handle, and the identity followed by `NUL decodedLength` in the output.
#[no_mangle]
pub extern "C" fn sigv4_verifier_streaming(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| {
        guarded(|| abi::answer_handle(verify_streaming(handle, buf)))
    })
}

fn decoder(handle: u32) -> Result<Rc<RefCell<sigv4::ChunkedDecoder>>, Error> {
    match abi::object(handle)? {
        Object::Stream(d) => Ok(d),
        _ => Err(Error::from_binding(
            ErrorKind::InvalidOption,
            "handle",
            "not a verified stream",
        )),
    }
}

/// Feeds `len` wire bytes (the raw input buffer); the verified data into the output.
#[no_mangle]
pub extern "C" fn sigv4_stream_feed(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |data| {
        abi::answer((|| {
            let d = decoder(handle)?;
            let mut out = Vec::with_capacity(data.len());
            d.borrow_mut().feed(data, &mut out)?;
            Ok(out)
        })())
    })
}

/// Ends the body; the verified trailers as `name NUL value` pairs (NUL-joined) into the output.
#[no_mangle]
pub extern "C" fn sigv4_stream_finish(handle: u32) -> i32 {
    abi::answer((|| {
        let d = decoder(handle)?;
        let d = d.borrow();
        let trailers = d.finish()?;
        let parts: Vec<&str> = trailers
            .iter()
            .flat_map(|(n, v)| [n.as_str(), v.as_str()])
            .collect();
        Ok(abi::nul_join(&parts))
    })())
}
