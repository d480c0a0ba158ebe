//! libsigv4 as WebAssembly (`wasm32-unknown-unknown`): the core's signing, presigning, SigV4a,
//! verification and aws-chunked streaming behind plain C-ABI exports.
//!
//! Why plain exports and not wasm-bindgen: the JS side (`bindings/node/wasm/`) already turns JS
//! values into the few shapes the core takes (strings, byte strings, header pairs), so the only
//! thing crossing the boundary is one length-prefixed byte buffer in and one byte buffer out per
//! call. That needs no generated glue, no pinned `wasm-bindgen-cli`, no `TextDecoder` per field, and
//! keeps the module small and instantiable from a `WebAssembly.Module` (Workers) or from bytes.
//!
//! Calling convention: JS asks for an input buffer (`sigv4_input`), writes the fields of the call
//! (see [`abi::Reader`]), and calls an export with the byte length. A call answers with a status
//! (`0` done, a handle `> 0`, or `-1` failed) and leaves its result in the output buffer
//! (`sigv4_output_ptr`/`sigv4_output_len`): the result's bytes, or on failure
//! `code NUL argument NUL message [NUL canonicalRequest NUL stringToSign]`.

mod abi;
mod compat;
mod framing;
mod one_call;
mod options;
mod signer;
mod streaming;
mod verifier;

pub use abi::Reader;

/// The version of the WebAssembly build (equal to the npm package version) into the output.
#[no_mangle]
pub extern "C" fn sigv4_version() -> i32 {
    abi::answer(Ok(env!("CARGO_PKG_VERSION").as_bytes().to_vec()))
}

/// SHA-256 (lowercase hex) of the input buffer's first `len` bytes, into the output.
#[no_mangle]
pub extern "C" fn sigv4_sha256_hex(len: usize) -> i32 {
    abi::with_input(len, |data| {
        abi::answer(Ok(sigv4::sha256_hex(data).into_bytes()))
    })
}

/// The core's answer to a failed verification into the output: fields `code`, `message`,
/// `canonicalRequest`, `stringToSign` (both or neither), `xml` (`"1"` for S3's XML, else JSON);
/// output `status NUL contentType NUL body`. One table for every backend (see core/src/answer.rs).
#[no_mangle]
pub extern "C" fn sigv4_error_answer(len: usize) -> i32 {
    abi::with_input(len, |data| {
        abi::answer((|| {
            let mut r = Reader::new(data);
            let code = r.str(sigv4::ErrorKind::InvalidOption, "code")?;
            let message = r.str(sigv4::ErrorKind::InvalidOption, "message")?;
            let canonical = r.opt_str("canonicalRequest")?;
            let sts = r.opt_str("stringToSign")?;
            let xml = r.opt_str("xml")? == Some("1");
            let kind = sigv4::ErrorKind::from_code(code).ok_or_else(|| {
                sigv4::Error::from_binding(
                    sigv4::ErrorKind::InvalidOption,
                    "code",
                    abi::msg(code, ": not an error code of the core"),
                )
            })?;
            let mismatch = match (canonical, sts) {
                (Some(c), Some(s)) => Some(sigv4::Mismatch {
                    canonical_request: c.to_string(),
                    string_to_sign: s.to_string(),
                }),
                _ => None,
            };
            let format = if xml {
                sigv4::ErrorFormat::Xml
            } else {
                sigv4::ErrorFormat::Json
            };
            let a = sigv4::error_answer(kind, message, mismatch.as_ref(), format);
            let status = a.status.to_string();
            Ok(abi::nul_join(&[&status, a.content_type, &a.body]))
        })())
    })
}

/// The randomness source getrandom needs on wasm32 (see Cargo.toml): the core draws none, so any
/// request is an error rather than a silently weak value.
#[cfg(target_arch = "wasm32")]
fn no_randomness(_buf: &mut [u8]) -> Result<(), getrandom::Error> {
    Err(getrandom::Error::UNSUPPORTED)
}
#[cfg(target_arch = "wasm32")]
getrandom::register_custom_getrandom!(no_randomness);

/// The allocator (see Cargo.toml). wasm32-unknown-unknown runs this module on one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: the module is instantiated without shared memory or threads.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
