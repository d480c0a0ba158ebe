//! `sigv4_signed_request`: what a signing returns, with an accessor for every field.
//!
//! The handle owns the core's result, which stores every text followed by a NUL: accessors lend
//! `(const char *, size_t)` views into it, usable directly with `printf("%s")`, with no copy.

use std::os::raw::c_char;

use sigv4::{SignedRequest, NONCE_HEADER};

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
    /// The value of the signed `X-Request-Nonce` header (32 lowercase hex digits when added by
    /// `sigv4_sign_v4_with_flags` with `SIGV4_SIGN_V4_NONCE`; the last one if given twice);
    /// `SIGV4_NOT_AVAILABLE` when the request has none.
    SIGV4_FIELD_NONCE = 11,
}

/// The result of a signing: the URL and headers to send, and every value SigV4 computed.
///
/// Created by the signing functions, freed by `sigv4_signed_request_free`. Immutable: any number of
/// threads may read one handle at the same time. Every string an accessor returns is borrowed from
/// the handle: valid, unchanged and NUL-terminated until the handle is freed; never free it. When
/// the credentials had a session token, the handle's memory is wiped when it is freed.
pub struct sigv4_signed_request {
    inner: SignedRequest,
}

impl sigv4_signed_request {
    /// Takes ownership of the core's result (no copy: accessors point into it).
    pub(crate) fn new(inner: SignedRequest) -> Self {
        sigv4_signed_request { inner }
    }

    fn field(&self, field: u32) -> Result<&str, Fail> {
        let s = &self.inner;
        let value = match field {
            1 => s.method(),
            2 => s.url(),
            3 => s.authorization().ok_or_else(|| {
                Fail::new(
                    sigv4_result::SIGV4_NOT_AVAILABLE,
                    "a presigned URL has no Authorization header",
                )
            })?,
            4 => s.signature(),
            5 => s.amz_date(),
            6 => s.credential_scope(),
            7 => s.signed_headers(),
            8 => s.canonical_request(),
            9 => s.string_to_sign(),
            10 => s.payload_hash(),
            11 => s
                .headers()
                .rfind(|(name, _)| name.eq_ignore_ascii_case(NONCE_HEADER))
                .map(|(_, value)| value)
                .ok_or_else(|| {
                    Fail::new(
                        sigv4_result::SIGV4_NOT_AVAILABLE,
                        "the request has no X-Request-Nonce header (sign with SIGV4_SIGN_V4_NONCE)",
                    )
                })?,
            _ => {
                return Err(Fail::new(
                    sigv4_result::SIGV4_INVALID_OPTION,
                    format!("field {field} is not one of the SIGV4_FIELD_* values"),
                ))
            }
        };
        Ok(value)
    }

    /// A C view of `text`, one of the result's outputs.
    fn c_view(&self, text: &str) -> Result<*const c_char, Fail> {
        self.inner
            .as_c_str(text)
            .map(|c| c.as_ptr())
            .ok_or_else(|| Fail::new(sigv4_result::SIGV4_PANIC, "an output is not NUL-terminated"))
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
        let value = signed.field(field)?;
        write(value_out, signed.c_view(value)?);
        write_opt(value_len_out, value.len());
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
        let value = signed.field(field)?;
        copy_out(value.as_bytes(), buf.cast(), buf_len, out_len)
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
        count = handle(signed, "signed")?.inner.headers().len();
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
        let (name, value) = signed.inner.header(index).ok_or_else(|| {
            Fail::new(
                sigv4_result::SIGV4_INDEX_OUT_OF_RANGE,
                format!(
                    "header index {index} is not below the count {}",
                    signed.inner.headers().len()
                ),
            )
        })?;
        let (name_ptr, value_ptr) = (signed.c_view(name)?, signed.c_view(value)?);
        write(name_out, name_ptr);
        write_opt(name_len_out, name.len());
        write(value_out, value_ptr);
        write_opt(value_len_out, value.len());
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
    use std::ffi::CStr;

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

    /// What C reads through a view: the bytes up to the first NUL.
    fn read_c(ptr: *const c_char) -> &'static str {
        // SAFETY: test-only; `ptr` comes from `c_view` of a result leaked for the test's duration.
        unsafe { CStr::from_ptr(ptr) }.to_str().unwrap()
    }

    #[test]
    fn every_field_and_header_is_lent_nul_terminated() {
        for presign in [false, true] {
            let core = signed(presign);
            let expected = core.clone();
            let ffi: &'static sigv4_signed_request =
                Box::leak(Box::new(sigv4_signed_request::new(core)));
            for field in 1..=10u32 {
                let Ok(value) = ffi.field(field) else {
                    assert!(presign && field == 3);
                    continue;
                };
                assert_eq!(read_c(ffi.c_view(value).unwrap()), value);
            }
            assert_eq!(ffi.field(2).unwrap(), expected.url());
            assert_eq!(ffi.field(8).unwrap(), expected.canonical_request());
            assert_eq!(ffi.field(4).unwrap(), expected.signature());
            for (i, (name, value)) in expected.headers().enumerate() {
                let (n, v) = ffi.inner.header(i).unwrap();
                assert_eq!(read_c(ffi.c_view(n).unwrap()), name);
                assert_eq!(read_c(ffi.c_view(v).unwrap()), value);
            }
        }
    }

    #[test]
    fn a_presigned_result_has_no_authorization() {
        let ffi = sigv4_signed_request::new(signed(true));
        let err = ffi.field(3).err().map(|f| f.code);
        assert_eq!(err, Some(sigv4_result::SIGV4_NOT_AVAILABLE));
        assert!(ffi.field(0).is_err() && ffi.field(11).is_err());
    }
}
