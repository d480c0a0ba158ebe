//! `sigv4_signed_request`: what a signing returns, with an accessor for every field.
//!
//! Every string is copied once into one buffer owned by the handle, each followed by a NUL, so the
//! accessors hand out borrowed `(const char *, size_t)` views usable directly with `printf("%s")`.

use std::os::raw::c_char;

use sigv4::SignedRequest;

use crate::boundary::{copy_out, free_handle, guard, handle, out_ptr, write, write_opt};
use crate::result::{sigv4_result, Fail};

/// A field of a signed request, for `sigv4_signed_request_field` and `sigv4_signed_request_copy_field`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sigv4_field {
    /// The HTTP method.
    SIGV4_FIELD_METHOD = 1,
    /// The URL to send: as given for header signing; with the `X-Amz-*` parameters when presigned.
    SIGV4_FIELD_URL = 2,
    /// The `Authorization` header value (absent for a presigned URL: `SIGV4_NOT_AVAILABLE`).
    SIGV4_FIELD_AUTHORIZATION = 3,
    /// The signature, 64 lowercase hex digits.
    SIGV4_FIELD_SIGNATURE = 4,
    /// The signing time, `YYYYMMDDTHHMMSSZ` (the `X-Amz-Date` value).
    SIGV4_FIELD_AMZ_DATE = 5,
    /// `YYYYMMDD/region/service/aws4_request`.
    SIGV4_FIELD_CREDENTIAL_SCOPE = 6,
    /// The signed header names, lowercase, `;`-separated.
    SIGV4_FIELD_SIGNED_HEADERS = 7,
    /// The canonical request that was signed.
    SIGV4_FIELD_CANONICAL_REQUEST = 8,
    /// The string to sign.
    SIGV4_FIELD_STRING_TO_SIGN = 9,
    /// The payload hash used (hex SHA-256, or a sentinel such as `UNSIGNED-PAYLOAD`).
    SIGV4_FIELD_PAYLOAD_HASH = 10,
}

const FIELDS: usize = 10;

#[derive(Clone, Copy, Default)]
struct Span {
    start: usize,
    len: usize,
}

/// The result of a signing: the URL and headers to send, and every value SigV4 computed.
///
/// Created by the signing functions, freed by `sigv4_signed_request_free`. Immutable: any number of
/// threads may read one handle at the same time. Every string an accessor returns is borrowed from
/// the handle: valid, unchanged and NUL-terminated until the handle is freed; never free it. When
/// the credentials had a session token, the handle's memory is wiped when it is freed.
pub struct sigv4_signed_request {
    arena: Vec<u8>,
    fields: [Span; FIELDS],
    has_authorization: bool,
    headers: Vec<(Span, Span)>,
    wipe: bool,
}

impl sigv4_signed_request {
    /// Copies the core's result into one NUL-separated buffer.
    pub(crate) fn from_core(s: &SignedRequest, wipe: bool) -> Self {
        let authorization = s.authorization();
        let values: [&str; FIELDS] = [
            s.method(),
            s.url(),
            authorization.unwrap_or(""),
            s.signature(),
            s.amz_date(),
            s.credential_scope(),
            s.signed_headers(),
            s.canonical_request(),
            s.string_to_sign(),
            s.payload_hash(),
        ];
        let size = values.iter().map(|v| v.len() + 1).sum::<usize>()
            + s.headers()
                .iter()
                .map(|(n, v)| n.len() + v.len() + 2)
                .sum::<usize>();
        let mut arena = Vec::with_capacity(size);
        let mut push = |text: &str| {
            let span = Span {
                start: arena.len(),
                len: text.len(),
            };
            arena.extend_from_slice(text.as_bytes());
            arena.push(0);
            span
        };
        let mut fields = [Span::default(); FIELDS];
        for (slot, value) in fields.iter_mut().zip(values) {
            *slot = push(value);
        }
        let headers = s
            .headers()
            .iter()
            .map(|(n, v)| (push(n), push(v)))
            .collect();
        sigv4_signed_request {
            arena,
            fields,
            has_authorization: authorization.is_some(),
            headers,
            wipe,
        }
    }

    fn bytes(&self, span: Span) -> &[u8] {
        &self.arena[span.start..span.start + span.len]
    }

    fn ptr(&self, span: Span) -> *const c_char {
        self.arena[span.start..].as_ptr().cast()
    }

    fn field(&self, field: u32) -> Result<Span, Fail> {
        if !(1..=FIELDS as u32).contains(&field) {
            return Err(Fail::new(
                sigv4_result::SIGV4_INVALID_OPTION,
                format!("field {field} is not one of the SIGV4_FIELD_* values"),
            ));
        }
        if field == sigv4_field::SIGV4_FIELD_AUTHORIZATION as u32 && !self.has_authorization {
            return Err(Fail::new(
                sigv4_result::SIGV4_NOT_AVAILABLE,
                "a presigned URL has no Authorization header",
            ));
        }
        Ok(self.fields[field as usize - 1])
    }

    /// The Rust view of the fields, for tests.
    #[cfg(test)]
    pub(crate) fn text(&self, field: sigv4_field) -> &str {
        std::str::from_utf8(self.bytes(self.fields[field as usize - 1])).unwrap_or("")
    }
}

impl Drop for sigv4_signed_request {
    fn drop(&mut self) {
        if self.wipe {
            // The URL, headers and canonical request may hold the session token.
            self.arena.fill(0);
            std::hint::black_box(&self.arena);
        }
    }
}

fn view(
    signed: *const sigv4_signed_request,
    field: u32,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    guard(|| {
        out_ptr(value_out, "value_out")?;
        let signed = handle(signed, "signed")?;
        let span = signed.field(field)?;
        write(value_out, signed.ptr(span));
        write_opt(value_len_out, span.len);
        Ok(())
    })
}

/// Borrows one field of a signed request (see `sigv4_field`).
///
/// On success `*value_out` points to the NUL-terminated value, valid until `signed` is freed, and
/// `*value_len_out` (if not NULL) receives its length without the NUL. Returns `SIGV4_OK`,
/// `SIGV4_NULL_PARAMETER` (NULL `signed` or `value_out`), `SIGV4_INVALID_OPTION` (unknown field) or
/// `SIGV4_NOT_AVAILABLE` (the authorization of a presigned URL). Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_field(
    signed: *const sigv4_signed_request,
    field: u32,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(signed, field, value_out, value_len_out)
}

/// Copies one field of a signed request (see `sigv4_field`) and a terminating NUL into `buf`.
///
/// `buf` must hold `buf_len` bytes (it may be NULL when `buf_len` is 0, to ask for the length).
/// `*out_len` receives the value's length without the NUL, both on success and with
/// `SIGV4_INSUFFICIENT_SIZE` (then allocate `*out_len + 1` bytes and call again); `buf` is written
/// only on success. Returns `SIGV4_OK`, `SIGV4_INSUFFICIENT_SIZE`, `SIGV4_NULL_PARAMETER`,
/// `SIGV4_INVALID_OPTION` or `SIGV4_NOT_AVAILABLE`. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_copy_field(
    signed: *const sigv4_signed_request,
    field: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> sigv4_result {
    guard(|| {
        out_ptr(out_len, "out_len")?;
        let signed = handle(signed, "signed")?;
        let span = signed.field(field)?;
        copy_out(signed.bytes(span), buf.cast(), buf_len, out_len)
    })
}

/// Borrows the HTTP method. Same contract as `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_method(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_METHOD as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the URL to send (with the `X-Amz-*` query parameters when presigned). Same contract as
/// `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_url(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_URL as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the `Authorization` header value; `SIGV4_NOT_AVAILABLE` for a presigned URL. Same
/// contract as `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_authorization(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_AUTHORIZATION as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the signature (64 lowercase hex digits). Same contract as `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_signature(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_SIGNATURE as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the signing time as `YYYYMMDDTHHMMSSZ`. Same contract as `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_amz_date(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_AMZ_DATE as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the credential scope (`YYYYMMDD/region/service/aws4_request`). Same contract as
/// `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_credential_scope(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_CREDENTIAL_SCOPE as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the signed header names (`;`-separated). Same contract as `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_signed_headers(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_SIGNED_HEADERS as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the canonical request (compare it with AWS's when a signature does not match). Same
/// contract as `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_canonical_request(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_CANONICAL_REQUEST as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the string to sign. Same contract as `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_string_to_sign(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_STRING_TO_SIGN as u32,
        value_out,
        value_len_out,
    )
}

/// Borrows the payload hash used (hex SHA-256 or a sentinel). Same contract as
/// `sigv4_signed_request_field`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_payload_hash(
    signed: *const sigv4_signed_request,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    view(
        signed,
        sigv4_field::SIGV4_FIELD_PAYLOAD_HASH as u32,
        value_out,
        value_len_out,
    )
}

/// The number of headers to send (the caller's, minus any replaced, then those SigV4 added).
///
/// Returns 0 when `signed` is NULL. Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_header_count(signed: *const sigv4_signed_request) -> usize {
    let mut count = 0;
    let _ = guard(|| {
        count = handle(signed, "signed")?.headers.len();
        Ok(())
    });
    count
}

/// Borrows header number `index` (0-based, below `sigv4_signed_request_header_count`).
///
/// On success `*name_out` and `*value_out` point to NUL-terminated strings valid until `signed` is
/// freed; the length out-parameters may be NULL. Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` (NULL
/// `signed`, `name_out` or `value_out`) or `SIGV4_INDEX_OUT_OF_RANGE`.
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_header(
    signed: *const sigv4_signed_request,
    index: usize,
    name_out: *mut *const c_char,
    name_len_out: *mut usize,
    value_out: *mut *const c_char,
    value_len_out: *mut usize,
) -> sigv4_result {
    guard(|| {
        out_ptr(name_out, "name_out")?;
        out_ptr(value_out, "value_out")?;
        let signed = handle(signed, "signed")?;
        let &(name, value) = signed.headers.get(index).ok_or_else(|| {
            Fail::new(
                sigv4_result::SIGV4_INDEX_OUT_OF_RANGE,
                format!(
                    "header index {index} is not below the count {}",
                    signed.headers.len()
                ),
            )
        })?;
        write(name_out, signed.ptr(name));
        write_opt(name_len_out, name.len);
        write(value_out, signed.ptr(value));
        write_opt(value_len_out, value.len);
        Ok(())
    })
}

/// Frees a signed request. NULL does nothing. Every string borrowed from it becomes invalid.
/// Thread safety: no other thread may use `signed` during or after the call; free once.
#[no_mangle]
pub extern "C" fn sigv4_signed_request_free(signed: *mut sigv4_signed_request) {
    let _ = guard(|| {
        free_handle(signed);
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigv4::{Body, Credentials, Request, Signer, SigningTime};

    fn signed(presign: bool) -> SignedRequest {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", Some("token".into())).unwrap();
        let signer = Signer::new(creds, "us-east-1", "service").unwrap();
        let headers = [("X-A", "1"), ("X-B", "")];
        let req =
            Request::new("GET", "https://h.example/p?q=1", &headers, Body::default()).unwrap();
        let time = SigningTime::from_unix(1_440_938_160).unwrap();
        if presign {
            signer.presign(&req, time, 60).unwrap()
        } else {
            signer.sign(&req, time).unwrap()
        }
    }

    #[test]
    fn every_field_and_header_is_copied_nul_terminated() {
        let core = signed(false);
        let ffi = sigv4_signed_request::from_core(&core, true);
        assert_eq!(ffi.text(sigv4_field::SIGV4_FIELD_URL), core.url());
        assert_eq!(
            ffi.text(sigv4_field::SIGV4_FIELD_SIGNATURE),
            core.signature()
        );
        assert_eq!(
            ffi.text(sigv4_field::SIGV4_FIELD_CANONICAL_REQUEST),
            core.canonical_request()
        );
        assert_eq!(
            Some(ffi.text(sigv4_field::SIGV4_FIELD_AUTHORIZATION)),
            core.authorization()
        );
        assert_eq!(ffi.headers.len(), core.headers().len());
        for (&(n, v), (cn, cv)) in ffi.headers.iter().zip(core.headers()) {
            assert_eq!((ffi.bytes(n), ffi.bytes(v)), (cn.as_bytes(), cv.as_bytes()));
            assert_eq!(ffi.arena[n.start + n.len], 0);
            assert_eq!(ffi.arena[v.start + v.len], 0);
        }
    }

    #[test]
    fn a_presigned_result_has_no_authorization() {
        let ffi = sigv4_signed_request::from_core(&signed(true), true);
        let err = ffi
            .field(sigv4_field::SIGV4_FIELD_AUTHORIZATION as u32)
            .err()
            .map(|f| f.code);
        assert_eq!(err, Some(sigv4_result::SIGV4_NOT_AVAILABLE));
        assert!(ffi.field(0).is_err() && ffi.field(11).is_err());
    }
}
