//! The C ABI of libsigv4 (see include/sigv4.h, generated from these doc comments by cbindgen).
//!
//! Conventions (after rustls-ffi): the Rust name is the C name; opaque handles are created by a
//! `_new` function and freed once by a NULL-safe `_free`; every function returns a `sigv4_result`
//! and writes its out-parameters only on success; byte inputs are `(const uint8_t *, size_t)`;
//! every exported body runs inside a panic boundary; marshalling only — signing is the core's.
//!
//! Verification (`sigv4_verifier`) will join these handles when the core verifier lands; its
//! result codes (200..299) are already reserved in `sigv4_result`.
#![deny(missing_docs)]
// The C names are the API (`sigv4_signer`, `SIGV4_OK`), not Rust style.
#![allow(non_camel_case_types)]
// Exported functions take raw pointers from C; each dereference goes through the checked helpers
// in `boundary`, which carry the SAFETY reasoning, as in rustls-ffi.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod boundary;
mod credentials;
mod one_call;
mod options;
mod request;
mod result;
mod signed;
mod signer;
mod time;
mod version;

pub use credentials::{sigv4_credentials, sigv4_credentials_free, sigv4_credentials_new};
pub use one_call::{sigv4_sign_v4, sigv4_sign_v4_params};
pub use options::{
    sigv4_algorithm, sigv4_payload, sigv4_signing_options,
    sigv4_signing_options_add_unsigned_header, sigv4_signing_options_free,
    sigv4_signing_options_new, sigv4_signing_options_set_algorithm,
    sigv4_signing_options_set_content_sha256_header, sigv4_signing_options_set_normalize_path,
    sigv4_signing_options_set_payload, sigv4_signing_options_set_payload_name,
    sigv4_signing_options_set_sign_session_token, sigv4_signing_options_set_uri_encoding,
    sigv4_uri_encoding,
};
pub use request::{sigv4_pair, sigv4_request};
pub use result::{sigv4_result, sigv4_result_is_invalid_input, sigv4_result_message};
pub use signed::{sigv4_field, sigv4_signed_request, sigv4_signed_request_free};
pub use signer::{
    sigv4_signer, sigv4_signer_free, sigv4_signer_new, sigv4_signer_presign,
    sigv4_signer_presign_with_credentials, sigv4_signer_sign, sigv4_signer_sign_with_credentials,
};
pub use time::sigv4_timestamp_parse;
pub use version::{sigv4_last_error_message, sigv4_version};
