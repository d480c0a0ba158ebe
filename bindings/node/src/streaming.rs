//! Streaming (aws-chunked) uploads: the signed request and the encoder that turns body pieces
//! into signed wire bytes (`signStreaming` in `lib/streaming.js` wraps this in a Transform stream
//! and an async iterable).

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::{AsyncTask, Buffer, Env};
use napi::{sys, Task};
use sigv4::{sign_streaming, Body, ChunkedEncoder, ChunkedPlan, ErrorKind, PayloadMode, Request};

use crate::error::{bad_input, failed, from_core};
use crate::input;
use crate::js;
use crate::raw::Raw;

/// The chunk size when none is given: 64 KiB, as the AWS SDKs use.
const DEFAULT_CHUNK_SIZE: usize = 65_536;

/// The arguments of `signStreaming`.
pub struct Args {
    /// HTTP method.
    pub method: Option<Raw>,
    /// URL as sent.
    pub url: Raw,
    /// Caller headers.
    pub headers: Option<Raw>,
    /// Body length before encoding.
    pub decoded_length: Raw,
    /// Chunk size (default 64 KiB).
    pub chunk_size: Option<Raw>,
    /// Declared trailers: names, or `[name, valueLength]` pairs.
    pub trailers: Option<Raw>,
    /// Signing time.
    pub timestamp: Option<Raw>,
    /// Payload form name.
    pub payload: Option<Raw>,
}

fn count(env: sys::napi_env, v: Raw, what: &str, max: f64) -> napi::Result<u64> {
    let bad = || {
        bad_input(
            env,
            ErrorKind::InvalidOption,
            what,
            &format!("{what} must be a non-negative integer number of bytes"),
        )
    };
    let n = js::number(env, v.0).map_err(|_| bad())?;
    if !n.is_finite() || n.fract() != 0.0 || n < 0.0 || n > max {
        return Err(bad());
    }
    Ok(n as u64)
}

fn present(env: sys::napi_env, v: Option<Raw>) -> napi::Result<Option<Raw>> {
    match v {
        None => Ok(None),
        Some(r) => match js::type_of(env, r.0).map_err(|_| failed(env, "argument"))? {
            sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
            _ => Ok(Some(r)),
        },
    }
}

fn declare(env: sys::napi_env, mut plan: ChunkedPlan, list: Raw) -> napi::Result<ChunkedPlan> {
    let bad = || {
        bad_input(
            env,
            ErrorKind::InvalidOption,
            "trailers",
            "trailers must be an array of names (or [name, valueLength] pairs)",
        )
    };
    if !js::is_array(env, list.0).unwrap_or(false) {
        return Err(bad());
    }
    let n = js::array_len(env, list.0).map_err(|_| failed(env, "trailers"))?;
    for i in 0..n {
        let item = js::element(env, list.0, i).map_err(|_| failed(env, "trailers"))?;
        plan = if js::is_string(env, item).unwrap_or(false) {
            let name = js::read_string(env, item).map_err(|_| failed(env, "trailers"))?;
            plan.with_trailer(&name).map_err(|e| from_core(env, &e))?
        } else if js::is_array(env, item).unwrap_or(false)
            && js::array_len(env, item).unwrap_or(0) == 2
        {
            let name = js::element(env, item, 0).map_err(|_| failed(env, "trailers"))?;
            if !js::is_string(env, name).unwrap_or(false) {
                return Err(bad());
            }
            let name = js::read_string(env, name).map_err(|_| failed(env, "trailers"))?;
            let len = js::element(env, item, 1).map_err(|_| failed(env, "trailers"))?;
            let len = count(env, Raw(len), "trailers", 4096.0)? as usize;
            plan.with_trailer_len(&name, len)
                .map_err(|e| from_core(env, &e))?
        } else {
            return Err(bad());
        };
    }
    Ok(plan)
}

/// Signs the request of a streaming upload with `core` and returns the upload.
pub fn start(env: sys::napi_env, core: &sigv4::Signer, args: Args) -> napi::Result<NativeUpload> {
    let decoded_length = count(env, args.decoded_length, "decodedLength", 9.007e15)?;
    let chunk_size = match present(env, args.chunk_size)? {
        Some(v) => count(env, v, "chunkSize", 1e12)? as usize,
        None => DEFAULT_CHUNK_SIZE,
    };
    let mode = match present(env, args.payload)? {
        None => PayloadMode::StreamingSigned,
        Some(v) => {
            let name = if js::is_string(env, v.0).unwrap_or(false) {
                js::read_string(env, v.0).map_err(|_| failed(env, "payload"))?
            } else {
                String::new()
            };
            PayloadMode::parse_streaming_name(&name).map_err(|e| from_core(env, &e))?
        }
    };
    let mut plan = ChunkedPlan::new(mode, decoded_length, chunk_size)
        .map_err(|e| from_core(env, &e))?
        .with_algorithm(core.settings().algorithm);
    if let Some(list) = present(env, args.trailers)? {
        plan = declare(env, plan, list)?;
    }
    // SAFETY: no body is read (the request's body is empty; the data goes through the encoder).
    let req = unsafe {
        input::request_args(
            env,
            args.method,
            args.url,
            args.headers,
            None,
            None,
            args.timestamp,
        )?
    };
    let pairs = req.header_refs();
    let request = Request::new(&req.method, &req.url, &pairs, Body::Bytes(b""))
        .map_err(|e| from_core(env, &e))?;
    let upload = sign_streaming(core, &request, req.time, plan).map_err(|e| from_core(env, &e))?;
    Ok(NativeUpload {
        request: sigv4::packed::signed_request(&upload.request),
        encoder: Arc::new(Mutex::new(upload.encoder)),
    })
}

/// A signed streaming upload (use `signer.signStreaming` from `libsigv4`, which wraps this).
#[napi]
pub struct NativeUpload {
    request: String,
    encoder: Arc<Mutex<ChunkedEncoder>>,
}

fn poisoned(env: sys::napi_env) -> napi::Error {
    bad_input(
        env,
        ErrorKind::InvalidChunk,
        "data",
        "the encoder failed earlier; start a new upload",
    )
}

#[napi]
impl NativeUpload {
    /// The signed request as NUL-separated fields (the same form as `NativeSigner.sign`).
    #[napi(getter)]
    pub fn request(&self) -> String {
        self.request.clone()
    }

    /// Body bytes passed to the encoder so far.
    #[napi(getter)]
    pub fn bytes_written(&self) -> i64 {
        self.encoder
            .lock()
            .map(|e| e.bytes_written() as i64)
            .unwrap_or(-1)
    }

    /// Feeds body bytes; returns the wire bytes of every chunk completed (maybe empty).
    #[napi(ts_args_type = "data: string | Uint8Array")]
    pub fn write(&self, env: Env, data: Raw) -> napi::Result<Buffer> {
        let env = env.raw();
        // SAFETY: the borrowed bytes are used only within this call.
        let body = unsafe { input::body(env, Some(data.0))? };
        let mut encoder = self.encoder.lock().map_err(|_| poisoned(env))?;
        let mut out = Vec::new();
        encoder
            .write_into(body.as_bytes(), &mut out)
            .map_err(|e| from_core(env, &e))?;
        Ok(out.into())
    }

    /// Like `write`, signing on the libuv thread pool (the data is copied first).
    #[napi(ts_args_type = "data: Uint8Array", ts_return_type = "Promise<Buffer>")]
    pub fn write_async(&self, env: Env, data: Raw) -> napi::Result<AsyncTask<WriteTask>> {
        let env = env.raw();
        // SAFETY: copied before this call returns.
        let body = unsafe { input::body(env, Some(data.0))? };
        Ok(AsyncTask::new(WriteTask {
            encoder: self.encoder.clone(),
            data: body.as_bytes().to_vec(),
        }))
    }

    /// Ends the body: the last partial chunk, the final chunk and the trailers (an object or
    /// `[name, value]` pairs, exactly the declared ones).
    #[napi(
        ts_args_type = "trailers?: Record<string, string> | ReadonlyArray<readonly [string, string]> | null"
    )]
    pub fn finish(&self, env: Env, trailers: Option<Raw>) -> napi::Result<Buffer> {
        let env = env.raw();
        let list = input::headers(env, present(env, trailers)?.map(|r| r.0))?;
        let pairs: Vec<(&str, &str)> = list.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let mut encoder = self.encoder.lock().map_err(|_| poisoned(env))?;
        let mut out = Vec::new();
        encoder
            .finish_into(&pairs, &mut out)
            .map_err(|e| from_core(env, &e))?;
        Ok(out.into())
    }
}

/// One `writeAsync` on the thread pool.
pub struct WriteTask {
    encoder: Arc<Mutex<ChunkedEncoder>>,
    data: Vec<u8>,
}

impl Task for WriteTask {
    type Output = Result<Vec<u8>, sigv4::Error>;
    type JsValue = Buffer;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let mut out = Vec::new();
        let result = match self.encoder.lock() {
            Ok(mut encoder) => encoder.write_into(&self.data, &mut out).map(|()| out),
            Err(_) => Err(sigv4::Error::from_binding(
                ErrorKind::InvalidChunk,
                "data",
                "the encoder failed earlier; start a new upload",
            )),
        };
        Ok(result)
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Buffer> {
        output
            .map(Buffer::from)
            .map_err(|e| from_core(env.raw(), &e))
    }
}
