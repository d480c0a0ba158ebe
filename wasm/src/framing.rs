//! The HTTP/1 framing questions of the node:http middleware (lib/middleware.js through
//! `verifyPacked` in bindings/node/wasm/backend.js), answered by the core's rules as the addon
//! answers them (bindings/node/src/verifier.rs `verify_packed`).

use sigv4::{AnnouncedBody, ErrorKind};

use crate::abi::{self, Reader};

/// Fields `url`, then the header pairs. Fails with `InvalidUrl` for a target that is not
/// origin-form (`sigv4::require_origin_form`); else the output is empty when the headers announce
/// no body, the announced `Content-Length` in decimal, or `-1` when its length is not known
/// (`sigv4::announced_body`).
#[no_mangle]
pub extern "C" fn sigv4_http_framing(len: usize) -> i32 {
    abi::with_input(len, |buf| {
        abi::answer((|| {
            let mut r = Reader::new(buf);
            let url = r.str(ErrorKind::InvalidUrl, "url")?;
            sigv4::require_origin_form(url)?;
            let headers = r.pairs()?;
            Ok(match sigv4::announced_body(headers.iter().copied()) {
                AnnouncedBody::None => Vec::new(),
                AnnouncedBody::Length(n) => n.to_string().into_bytes(),
                AnnouncedBody::Unknown => b"-1".to_vec(),
            })
        })())
    })
}
