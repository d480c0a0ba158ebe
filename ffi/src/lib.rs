//! The C ABI of libsigv4 (see include/sigv4.h, generated from these doc comments by cbindgen).
//!
//! Conventions (after rustls-ffi): the Rust name is the C name; opaque handles are created by a
//! `_new` function and freed once by a NULL-safe `_free`; every function returns a `sigv4_result`
//! and writes its out-parameters only on success; byte inputs are `(const uint8_t *, size_t)`;
//! every exported body runs inside a panic boundary; marshalling only — signing is the core's.
//!
//! Verification: `sigv4_verifier` (credentials from a `sigv4_credential_store` or a C callback,
//! checks set by `sigv4_verifier_options`) returns a `sigv4_verified_identity` or one of the
//! verification codes (200..299). Streaming uploads: `sigv4_chunked_plan`,
//! `sigv4_signer_sign_streaming` -> `sigv4_chunked_encoder` for clients,
//! `sigv4_verifier_verify_streaming` -> `sigv4_chunked_decoder` for servers.
#![deny(missing_docs)]
// The C names are the API (`sigv4_signer`, `SIGV4_OK`), not Rust style.
#![allow(non_camel_case_types)]
// Exported functions take raw pointers from C; each dereference goes through the checked helpers
// in `boundary`, which carry the SAFETY reasoning, as in rustls-ffi.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod batch;
mod boundary;
mod chunked_plan;
mod credential_store;
mod credentials;
mod decoder;
mod encoder;
mod identity;
mod key_lookup;
mod mismatch;
mod one_call;
mod options;
mod replay_store;
mod request;
mod result;
mod signed;
mod signer;
mod time;
mod verifier;
mod verifier_options;
mod version;

pub use batch::sigv4_verifier_verify_many;
pub use chunked_plan::{
    sigv4_chunked_plan, sigv4_chunked_plan_add_trailer, sigv4_chunked_plan_add_trailer_len,
    sigv4_chunked_plan_content_length, sigv4_chunked_plan_free, sigv4_chunked_plan_new,
    sigv4_chunked_plan_set_algorithm,
};
pub use credential_store::{
    sigv4_credential_store, sigv4_credential_store_add, sigv4_credential_store_free,
    sigv4_credential_store_len, sigv4_credential_store_new, sigv4_lookup_fn,
};
pub use credentials::{sigv4_credentials, sigv4_credentials_free, sigv4_credentials_new};
pub use decoder::{
    sigv4_chunked_decoder, sigv4_chunked_decoder_decoded_bytes,
    sigv4_chunked_decoder_decoded_length, sigv4_chunked_decoder_feed, sigv4_chunked_decoder_finish,
    sigv4_chunked_decoder_free, sigv4_chunked_decoder_trailer, sigv4_chunked_decoder_trailer_count,
};
pub use encoder::{
    sigv4_chunked_encoder, sigv4_chunked_encoder_bytes_written,
    sigv4_chunked_encoder_content_length, sigv4_chunked_encoder_finish, sigv4_chunked_encoder_free,
    sigv4_chunked_encoder_write, sigv4_signer_sign_streaming,
};
pub use identity::{
    sigv4_verified_identity, sigv4_verified_identity_access_key_id,
    sigv4_verified_identity_algorithm, sigv4_verified_identity_amz_date,
    sigv4_verified_identity_expires_at, sigv4_verified_identity_free,
    sigv4_verified_identity_payload_hash, sigv4_verified_identity_presigned,
    sigv4_verified_identity_region, sigv4_verified_identity_region_set,
    sigv4_verified_identity_service, sigv4_verified_identity_session_token_used,
    sigv4_verified_identity_signed_headers, sigv4_verified_identity_signing_time,
};
pub use key_lookup::{
    sigv4_derived_key, sigv4_derived_key_fn, sigv4_derived_key_free, sigv4_derived_key_new,
    sigv4_signing_key_fn, sigv4_verifier_new_with_derived_keys,
    sigv4_verifier_new_with_signing_keys,
};
pub use mismatch::{
    sigv4_verifier_last_mismatch_canonical_request, sigv4_verifier_last_mismatch_string_to_sign,
};
pub use one_call::{
    sigv4_sign_v4, sigv4_sign_v4_params, sigv4_sign_v4_with_flags, SIGV4_SIGN_V4_NONCE,
};
pub use options::{
    sigv4_algorithm, sigv4_payload, sigv4_signing_options,
    sigv4_signing_options_add_unsigned_header, sigv4_signing_options_free,
    sigv4_signing_options_new, sigv4_signing_options_set_algorithm,
    sigv4_signing_options_set_content_sha256_header, sigv4_signing_options_set_normalize_path,
    sigv4_signing_options_set_payload, sigv4_signing_options_set_payload_name,
    sigv4_signing_options_set_sign_session_token, sigv4_signing_options_set_uri_encoding,
    sigv4_uri_encoding,
};
pub use replay_store::{
    sigv4_replay_claim_fn, sigv4_verifier_options_set_replay_store, SIGV4_REPLAY_FRESH,
    SIGV4_REPLAY_SEEN,
};
pub use request::{sigv4_pair, sigv4_request};
pub use result::{
    sigv4_result, sigv4_result_http_status, sigv4_result_is_invalid_input, sigv4_result_message,
};
pub use signed::{sigv4_field, sigv4_signed_request, sigv4_signed_request_free};
pub use signer::{
    sigv4_signer, sigv4_signer_free, sigv4_signer_new, sigv4_signer_presign,
    sigv4_signer_presign_with_credentials, sigv4_signer_sign, sigv4_signer_sign_with_credentials,
};
pub use time::sigv4_timestamp_parse;
pub use verifier::{
    sigv4_verifier, sigv4_verifier_free, sigv4_verifier_new, sigv4_verifier_new_with_lookup,
    sigv4_verifier_replay_cache_len, sigv4_verifier_verify, sigv4_verifier_verify_streaming,
};
pub use verifier_options::{
    sigv4_verifier_options, sigv4_verifier_options_add_must_sign_header,
    sigv4_verifier_options_free, sigv4_verifier_options_new,
    sigv4_verifier_options_set_allow_sigv4a, sigv4_verifier_options_set_allow_unsigned_payload,
    sigv4_verifier_options_set_max_expires, sigv4_verifier_options_set_max_skew,
    sigv4_verifier_options_set_normalize_path, sigv4_verifier_options_set_replay_cache_capacity,
    sigv4_verifier_options_set_sign_session_token, sigv4_verifier_options_set_uri_encoding,
};
pub use version::{sigv4_last_error_message, sigv4_version};
