//! Turning a core `SignedRequest` into a plain JS object.

use napi::sys;
use sigv4::SignedRequest;

use crate::error::failed;
use crate::js::{self, Value};

/// Field separator of [`flat`]: NUL never occurs in a signed request (the core rejects it in URLs
/// and header values), so the JS layer splits on it.
pub const SEP: char = '\0';

/// The signed request as one string, fields separated by NUL: method, url, signature,
/// authorization (empty for presigned), amzDate, credentialScope, signedHeaders,
/// canonicalRequest, stringToSign, payloadHash, then header name/value pairs (one per name, see
/// `SignedRequest::merged_headers`). One string crosses
/// the boundary instead of a dozen property writes; `lib/signer.js` builds the object.
pub fn flat(s: &SignedRequest) -> String {
    let fields = [
        s.method(),
        s.url(),
        s.signature(),
        s.authorization().unwrap_or(""),
        s.amz_date(),
        s.credential_scope(),
        s.signed_headers(),
        s.canonical_request(),
        s.string_to_sign(),
        s.payload_hash(),
    ];
    let len: usize = fields.iter().map(|f| f.len() + 1).sum::<usize>()
        + s.headers()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum::<usize>();
    let mut out = String::with_capacity(len);
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.push_str(f);
    }
    if has_repeated_name(s) {
        // One entry per name, values joined as signed (the core's rule): what a JS object, and
        // fetch's or axios' header maps, send is then what the signature covers.
        for (n, v) in s.merged_headers() {
            push_pair(&mut out, n, &v);
        }
    } else {
        for (n, v) in s.headers() {
            push_pair(&mut out, n, v);
        }
    }
    out
}

fn push_pair(out: &mut String, name: &str, value: &str) {
    out.push(SEP);
    out.push_str(name);
    out.push(SEP);
    out.push_str(value);
}

/// Whether a header name occurs twice (in any letter case): a few headers, compared pairwise
/// without allocating (the usual request has none, and keeps the cheaper path).
fn has_repeated_name(s: &SignedRequest) -> bool {
    s.headers().enumerate().any(|(i, (a, _))| {
        s.headers()
            .skip(i + 1)
            .any(|(b, _)| a.eq_ignore_ascii_case(b))
    })
}

/// A JS string from `s`, through the cheaper Latin-1 path when `s` is ASCII.
pub fn js_string(env: sys::napi_env, s: &str) -> napi::Result<Value> {
    let made = if s.is_ascii() {
        let mut out = std::ptr::null_mut();
        // SAFETY: ASCII bytes are valid Latin-1 of the same length.
        let status = unsafe {
            sys::napi_create_string_latin1(env, s.as_ptr().cast(), s.len() as isize, &mut out)
        };
        if status == sys::Status::napi_ok {
            Ok(out)
        } else {
            Err(js::Fail)
        }
    } else {
        js::string(env, s)
    };
    made.map_err(|_| failed(env, "result"))
}
