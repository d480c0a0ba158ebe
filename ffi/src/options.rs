//! `sigv4_signing_options`: the signing options a signer is created with.

use sigv4::{
    ContentSha256Header, OptionFlag, OptionName, PathNormalization, PayloadMode, SessionTokenMode,
    SigningAlgorithm, SigningSettings, UriEncoding,
};

use crate::boundary::{free_handle, guard, handle_mut, into_handle, out_ptr, text, write};
use crate::result::{sigv4_result, Fail};

/// What stands for the body in the canonical request (the `payload` option).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sigv4_payload {
    /// The SHA-256 of the body (or the request's precomputed `payload_hash`). The default, except
    /// for S3 presigned URLs.
    SIGV4_PAYLOAD_SIGNED = 1,
    /// `UNSIGNED-PAYLOAD` (the default for S3 presigned URLs).
    SIGV4_PAYLOAD_UNSIGNED = 2,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (aws-chunked with chunk signatures).
    SIGV4_PAYLOAD_STREAMING_SIGNED = 3,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`.
    SIGV4_PAYLOAD_STREAMING_UNSIGNED_TRAILER = 4,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`.
    SIGV4_PAYLOAD_STREAMING_SIGNED_TRAILER = 5,
}

/// How the path is percent-encoded in the canonical request (the `uri_encoding` option).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sigv4_uri_encoding {
    /// Encode the wire path again, so `%` becomes `%25` (every service but the S3 family).
    SIGV4_URI_ENCODING_DOUBLE = 1,
    /// Encode the path exactly once (`s3`, `s3-object-lambda`, `s3-outposts`, `s3express`).
    SIGV4_URI_ENCODING_SINGLE = 2,
}

/// The signature algorithm (the `algorithm` option).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sigv4_algorithm {
    /// SigV4, `AWS4-HMAC-SHA256` (the default): one region.
    SIGV4_ALGORITHM_SIGV4 = 1,
    /// SigV4a, `AWS4-ECDSA-P256-SHA256`: the signer's region is a region set (`us-east-1,us-west-2`
    /// or `*`), signatures are ECDSA P-256 with a key derived from the secret.
    SIGV4_ALGORITHM_SIGV4A = 2,
}

/// Signing options. Every option left unset takes the service's default when the signer is created.
///
/// Created by `sigv4_signing_options_new`, changed by the `sigv4_signing_options_set_*` functions,
/// read (copied) by `sigv4_signer_new`, freed by `sigv4_signing_options_free`.
/// Thread safety: not synchronised; a handle may move between threads, but the caller must not
/// change it while another thread reads or changes it.
#[derive(Clone, Debug, Default)]
pub struct sigv4_signing_options {
    payload: Option<PayloadMode>,
    content_sha256_header: Option<bool>,
    uri_encoding: Option<UriEncoding>,
    normalize_path: Option<bool>,
    sign_session_token: Option<bool>,
    unsigned_headers: Vec<String>,
    algorithm: Option<SigningAlgorithm>,
}

impl sigv4_signing_options {
    /// The core settings for `service`: its defaults, with every option that was set applied.
    pub(crate) fn settings_for(&self, service: &str) -> SigningSettings {
        let mut s = SigningSettings::for_service(service);
        if let Some(mode) = self.payload {
            s.payload = Some(mode);
        }
        if let Some(on) = self.content_sha256_header {
            s.content_sha256_header = ContentSha256Header::from_flag(on);
        }
        if let Some(encoding) = self.uri_encoding {
            s.uri_encoding = encoding;
        }
        if let Some(on) = self.normalize_path {
            s.path_normalization = PathNormalization::from_flag(on);
        }
        if let Some(on) = self.sign_session_token {
            s.session_token_mode = SessionTokenMode::from_flag(on);
        }
        s.unsigned_headers
            .extend(self.unsigned_headers.iter().cloned());
        if let Some(algorithm) = self.algorithm {
            s.algorithm = algorithm;
        }
        s
    }
}

/// The core payload mode for a `sigv4_payload` value.
pub(crate) fn payload_mode(payload: u32) -> Result<PayloadMode, Fail> {
    Ok(match payload {
        1 => PayloadMode::Signed,
        2 => PayloadMode::Unsigned,
        3 => PayloadMode::StreamingSigned,
        4 => PayloadMode::StreamingUnsignedTrailer,
        5 => PayloadMode::StreamingSignedTrailer,
        other => {
            return Err(invalid_option(format!(
                "payload {other} is not one of the SIGV4_PAYLOAD_* values"
            )))
        }
    })
}

/// The core algorithm for a `sigv4_algorithm` value.
pub(crate) fn algorithm(algorithm: u32) -> Result<SigningAlgorithm, Fail> {
    Ok(match algorithm {
        1 => SigningAlgorithm::Sigv4,
        2 => SigningAlgorithm::Sigv4a,
        other => {
            return Err(invalid_option(format!(
                "algorithm {other} is not one of the SIGV4_ALGORITHM_* values"
            )))
        }
    })
}

fn invalid_option(message: String) -> Fail {
    Fail::new(sigv4_result::SIGV4_INVALID_OPTION, message)
}

/// Creates an options handle with nothing set (every option takes the service default).
///
/// On success writes the handle to `*options_out` (free it with `sigv4_signing_options_free`).
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: safe to call from any thread.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_new(
    options_out: *mut *mut sigv4_signing_options,
) -> sigv4_result {
    guard(|| {
        out_ptr(options_out, "options_out")?;
        write(options_out, into_handle(sigv4_signing_options::default()));
        Ok(())
    })
}

/// Frees an options handle. NULL does nothing. Signers created with it keep their own copy.
/// Thread safety: no other thread may use `options` during or after the call; free once.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_free(options: *mut sigv4_signing_options) {
    let _ = guard(|| {
        free_handle(options);
        Ok(())
    });
}

/// Sets the `payload` option: one of the `SIGV4_PAYLOAD_*` values.
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or `SIGV4_INVALID_OPTION` (unknown value).
/// Thread safety: see `sigv4_signing_options`.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_set_payload(
    options: *mut sigv4_signing_options,
    payload: u32,
) -> sigv4_result {
    guard(|| {
        let options = handle_mut(options, "options")?;
        options.payload = Some(payload_mode(payload)?);
        Ok(())
    })
}

/// Sets the `payload` option by its API name: `signed`, `unsigned`, `streaming-signed`,
/// `streaming-unsigned-trailer` or `streaming-signed-trailer` (UTF-8, not NUL-terminated).
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER`, `SIGV4_INVALID_UTF8` or `SIGV4_INVALID_OPTION`.
/// Thread safety: see `sigv4_signing_options`.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_set_payload_name(
    options: *mut sigv4_signing_options,
    name: *const u8,
    name_len: usize,
) -> sigv4_result {
    guard(|| {
        let options = handle_mut(options, "options")?;
        let name = text(name, name_len, "name")?;
        options.payload = Some(PayloadMode::parse_name(name)?);
        Ok(())
    })
}

/// Sets the `content_sha256_header` option: whether header signing adds and signs an
/// `x-amz-content-sha256` header (default: on for the S3 family, off otherwise).
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_signing_options`.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_set_content_sha256_header(
    options: *mut sigv4_signing_options,
    enabled: bool,
) -> sigv4_result {
    guard(|| {
        handle_mut(options, "options")?.content_sha256_header = Some(enabled);
        Ok(())
    })
}

/// Sets the `uri_encoding` option: one of the `SIGV4_URI_ENCODING_*` values.
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or `SIGV4_INVALID_OPTION` (unknown value).
/// Thread safety: see `sigv4_signing_options`.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_set_uri_encoding(
    options: *mut sigv4_signing_options,
    uri_encoding: u32,
) -> sigv4_result {
    guard(|| {
        let options = handle_mut(options, "options")?;
        options.uri_encoding = Some(match uri_encoding {
            1 => UriEncoding::Double,
            2 => UriEncoding::Single,
            other => {
                return Err(invalid_option(format!(
                    "uri_encoding {other} is not one of the SIGV4_URI_ENCODING_* values"
                )))
            }
        });
        Ok(())
    })
}

/// Sets the `normalize_path` option: whether `.`/`..` segments and repeated slashes are removed
/// before signing (default: off for the S3 family, on otherwise).
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_signing_options`.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_set_normalize_path(
    options: *mut sigv4_signing_options,
    enabled: bool,
) -> sigv4_result {
    guard(|| {
        handle_mut(options, "options")?.normalize_path = Some(enabled);
        Ok(())
    })
}

/// Sets the `sign_session_token` option: true (default) signs the session token as part of the
/// canonical request; false appends `X-Amz-Security-Token` after signing (some services want this).
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_signing_options`.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_set_sign_session_token(
    options: *mut sigv4_signing_options,
    enabled: bool,
) -> sigv4_result {
    guard(|| {
        handle_mut(options, "options")?.sign_session_token = Some(enabled);
        Ok(())
    })
}

/// Adds a header name (any case; UTF-8, not NUL-terminated) to the `unsigned_headers` option: a
/// header sent but never signed, on top of the default hop-by-hop list (`user-agent`, ...).
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER`, `SIGV4_INVALID_UTF8` or `SIGV4_INVALID_HEADER_NAME`
/// (empty). Thread safety: see `sigv4_signing_options`.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_add_unsigned_header(
    options: *mut sigv4_signing_options,
    name: *const u8,
    name_len: usize,
) -> sigv4_result {
    guard(|| {
        let options = handle_mut(options, "options")?;
        let name = text(name, name_len, "name")?;
        if name.is_empty() {
            return Err(Fail::new(
                sigv4_result::SIGV4_INVALID_HEADER_NAME,
                "InvalidHeaderName: unsigned header name is empty",
            ));
        }
        options.unsigned_headers.push(name.to_ascii_lowercase());
        Ok(())
    })
}

/// Sets the `algorithm` option: one of the `SIGV4_ALGORITHM_*` values. With
/// `SIGV4_ALGORITHM_SIGV4A` the `region` given to `sigv4_signer_new` is a region set.
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or `SIGV4_INVALID_OPTION` (unknown value).
/// Thread safety: see `sigv4_signing_options`.
#[no_mangle]
pub extern "C" fn sigv4_signing_options_set_algorithm(
    options: *mut sigv4_signing_options,
    algorithm: u32,
) -> sigv4_result {
    guard(|| {
        let options = handle_mut(options, "options")?;
        options.algorithm = Some(self::algorithm(algorithm)?);
        Ok(())
    })
}
