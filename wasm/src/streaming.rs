//! Streaming (aws-chunked) uploads: the signed request and the encoder that signs the body chunk
//! after chunk, chained from the request's signature.

use std::cell::RefCell;
use std::rc::Rc;

use sigv4::{sign_streaming, Body, ChunkedPlan, Error, ErrorKind, PayloadMode, Request};

use crate::abi::{self, integer, Object, Reader};
use crate::signer::time;

/// The chunk size when none is given: 64 KiB, as the AWS SDKs use.
const DEFAULT_CHUNK_SIZE: usize = 65_536;

fn bytes_count(text: &str, what: &'static str, max: u64) -> Result<u64, Error> {
    integer(text, max, || {
        Error::from_binding(
            ErrorKind::InvalidOption,
            what,
            abi::msg(what, " must be a non-negative integer number of bytes"),
        )
    })
}

fn payload(name: Option<&str>) -> Result<PayloadMode, Error> {
    let Some(name) = name else {
        return Ok(PayloadMode::StreamingSigned);
    };
    PayloadMode::parse_streaming_name(name)
}

fn start(handle: u32, buf: &[u8]) -> Result<(Object, Vec<u8>), Error> {
    let s = match abi::object(handle)? {
        Object::Signer(s) => s,
        _ => {
            return Err(Error::from_binding(
                ErrorKind::InvalidOption,
                "handle",
                "not a signer",
            ))
        }
    };
    let s = s.borrow();
    let core = s.core()?;
    let mut r = Reader::new(buf);
    let method = r.opt_str("method")?.unwrap_or("GET");
    let url = r.str(ErrorKind::InvalidUrl, "url")?;
    let decoded_length = bytes_count(
        r.str(ErrorKind::InvalidOption, "decodedLength")?,
        "decodedLength",
        9_007_199_254_740_991,
    )?;
    let chunk_size = match r.opt_str("chunkSize")? {
        Some(n) => bytes_count(n, "chunkSize", 1_000_000_000_000)? as usize,
        None => DEFAULT_CHUNK_SIZE,
    };
    let mode = payload(r.opt_str("payload")?)?;
    let time = time(&mut r)?;
    let mut plan = ChunkedPlan::new(mode, decoded_length, chunk_size)?
        .with_algorithm(core.settings().algorithm);
    let count = bytes_count(
        r.str(ErrorKind::InvalidOption, "trailers")?,
        "trailers",
        1_000_000,
    )?;
    for _ in 0..count {
        let name = r.str(ErrorKind::InvalidOption, "trailers")?;
        plan = match r.opt_str("trailers")? {
            None => plan.with_trailer(name)?,
            Some(len) => {
                plan.with_trailer_len(name, bytes_count(len, "trailers", 4096)? as usize)?
            }
        };
    }
    let headers = r.pairs()?;
    let request = Request::new(method, url, &headers, Body::Bytes(b""))?;
    let upload = sign_streaming(core, &request, time, plan)?;
    Ok((
        Object::Upload(Rc::new(RefCell::new(upload.encoder))),
        sigv4::packed::signed_request(&upload.request).into_bytes(),
    ))
}

/// Signs a streaming upload: `method?, url, decodedLength, chunkSize?, payload?, time,
/// trailerCount, (name, valueLength?)..., header pairs`; the encoder's handle, the signed request
/// in the output.
#[no_mangle]
pub extern "C" fn sigv4_signer_streaming(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| abi::answer_handle(start(handle, buf)))
}

fn encoder(handle: u32) -> Result<Rc<RefCell<sigv4::ChunkedEncoder>>, Error> {
    match abi::object(handle)? {
        Object::Upload(e) => Ok(e),
        _ => Err(Error::from_binding(
            ErrorKind::InvalidOption,
            "handle",
            "not an upload",
        )),
    }
}

/// Feeds `len` body bytes (the raw input buffer, not fields); the wire bytes of every chunk
/// completed into the output.
#[no_mangle]
pub extern "C" fn sigv4_upload_write(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |data| {
        abi::answer((|| {
            let e = encoder(handle)?;
            let mut out = Vec::with_capacity(data.len() + 256);
            e.borrow_mut().write_into(data, &mut out)?;
            Ok(out)
        })())
    })
}

/// Ends the body with the trailer pairs in the input; the last bytes into the output.
#[no_mangle]
pub extern "C" fn sigv4_upload_finish(handle: u32, len: usize) -> i32 {
    abi::with_input(len, |buf| {
        abi::answer((|| {
            let e = encoder(handle)?;
            let trailers = Reader::new(buf).pairs()?;
            let mut out = Vec::new();
            e.borrow_mut().finish_into(&trailers, &mut out)?;
            Ok(out)
        })())
    })
}

/// Body bytes passed to the encoder so far (`-1` for a bad handle).
#[no_mangle]
pub extern "C" fn sigv4_upload_bytes_written(handle: u32) -> f64 {
    encoder(handle)
        .map(|e| e.borrow().bytes_written() as f64)
        .unwrap_or(-1.0)
}
