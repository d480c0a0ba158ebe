//! `sigv4_verifier_options`: the checks a verifier is created with (skew, lifetimes, headers, ...).

use sigv4::{OptionFlag, PathNormalization, SessionTokenMode, UriEncoding, VerifierSettings};

use crate::boundary::{free_handle, guard, handle_mut, into_handle, out_ptr, text, write};
use crate::result::{sigv4_result, Fail};

/// Verification options. Every option left unset takes the service's default when the verifier is
/// created (`sigv4_verifier_new`): skew 900 s, presign lifetime up to 604800 s, `content-md5` (and
/// outside the S3 family `content-type`) must be signed, `UNSIGNED-PAYLOAD` accepted only for the S3
/// family, no replay cache, SigV4a refused.
///
/// Created by `sigv4_verifier_options_new`, changed by the `sigv4_verifier_options_*` setters, read
/// (copied) by `sigv4_verifier_new`, freed by `sigv4_verifier_options_free`.
/// Thread safety: not synchronised; a handle may move between threads, but the caller must not
/// change it while another thread reads or changes it.
#[derive(Clone, Debug, Default)]
pub struct sigv4_verifier_options {
    max_skew_seconds: Option<u32>,
    max_expires_seconds: Option<u32>,
    must_sign_headers: Vec<String>,
    allow_unsigned_payload: Option<bool>,
    replay_cache_capacity: Option<usize>,
    allow_sigv4a: Option<bool>,
    uri_encoding: Option<UriEncoding>,
    normalize_path: Option<bool>,
    sign_session_token: Option<bool>,
    pub(crate) replay_store: Option<crate::replay_store::ReplayStoreOption>,
}

impl sigv4_verifier_options {
    /// The core settings for `service`: its defaults, with every option that was set applied.
    /// Range checks are the core's (`Verifier::new`), so they are the same in every language.
    pub(crate) fn settings_for(&self, service: &str) -> VerifierSettings {
        let mut s = VerifierSettings::for_service(service);
        if let Some(v) = self.max_skew_seconds {
            s.max_skew_seconds = v;
        }
        if let Some(v) = self.max_expires_seconds {
            s.max_expires_seconds = v;
        }
        for name in &self.must_sign_headers {
            if !s.must_sign_headers.contains(name) {
                s.must_sign_headers.push(name.clone());
            }
        }
        if let Some(v) = self.allow_unsigned_payload {
            s.allow_unsigned_payload = v;
        }
        if let Some(capacity) = self.replay_cache_capacity {
            s.replay_cache_capacity = (capacity > 0).then_some(capacity);
        }
        if let Some(v) = self.allow_sigv4a {
            s.allow_sigv4a = v;
        }
        if let Some(v) = self.uri_encoding {
            s.uri_encoding = v;
        }
        if let Some(v) = self.normalize_path {
            s.path_normalization = PathNormalization::from_flag(v);
        }
        if let Some(v) = self.sign_session_token {
            s.session_token_mode = SessionTokenMode::from_flag(v);
        }
        s
    }
}

/// Runs `f` on the options handle inside the panic boundary.
fn set(
    options: *mut sigv4_verifier_options,
    f: impl FnOnce(&mut sigv4_verifier_options) -> Result<(), Fail>,
) -> sigv4_result {
    guard(|| f(handle_mut(options, "options")?))
}

/// Creates a verifier options handle with nothing set (every option takes the service default).
///
/// On success writes the handle to `*options_out` (free it with `sigv4_verifier_options_free`).
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: safe to call from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_new(
    options_out: *mut *mut sigv4_verifier_options,
) -> sigv4_result {
    guard(|| {
        out_ptr(options_out, "options_out")?;
        write(options_out, into_handle(sigv4_verifier_options::default()));
        Ok(())
    })
}

/// Frees a verifier options handle. NULL does nothing. Verifiers created with it keep their copy.
/// Thread safety: no other thread may use `options` during or after the call; free once.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_free(options: *mut sigv4_verifier_options) {
    let _ = guard(|| {
        free_handle(options);
        Ok(())
    });
}

/// Sets the allowed clock skew in seconds, both directions (default 900; at most 86400, checked by
/// `sigv4_verifier_new`, which returns `SIGV4_INVALID_OPTION` beyond it). Header signing must be
/// within now +/- skew; a presigned URL may be dated at most this far in the future.
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_max_skew(
    options: *mut sigv4_verifier_options,
    seconds: u32,
) -> sigv4_result {
    set(options, |o| {
        o.max_skew_seconds = Some(seconds);
        Ok(())
    })
}

/// Sets the longest presigned-URL lifetime accepted, in seconds (default and maximum 604800;
/// `sigv4_verifier_new` returns `SIGV4_INVALID_OPTION` for 0 or above 604800).
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_max_expires(
    options: *mut sigv4_verifier_options,
    seconds: u32,
) -> sigv4_result {
    set(options, |o| {
        o.max_expires_seconds = Some(seconds);
        Ok(())
    })
}

/// Adds a header name (any case; UTF-8, not NUL-terminated) that must be signed whenever present,
/// on top of every `x-amz-*` header and the service defaults (`content-md5`, and `content-type`
/// outside the S3 family).
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER`, `SIGV4_INVALID_UTF8` or `SIGV4_INVALID_HEADER_NAME`
/// (empty). Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_add_must_sign_header(
    options: *mut sigv4_verifier_options,
    name: *const u8,
    name_len: usize,
) -> sigv4_result {
    set(options, |o| {
        let name = text(name, name_len, "name")?;
        if name.is_empty() {
            return Err(Fail::new(
                sigv4_result::SIGV4_INVALID_HEADER_NAME,
                "InvalidHeaderName: must-sign header name is empty",
            ));
        }
        o.must_sign_headers.push(name.to_ascii_lowercase());
        Ok(())
    })
}

/// Sets whether `UNSIGNED-PAYLOAD` (and `STREAMING-UNSIGNED-PAYLOAD-TRAILER`) is accepted (default:
/// true for the S3 family, false otherwise).
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_allow_unsigned_payload(
    options: *mut sigv4_verifier_options,
    allow: bool,
) -> sigv4_result {
    set(options, |o| {
        o.allow_unsigned_payload = Some(allow);
        Ok(())
    })
}

/// Sets the replay cache capacity: 0 (the default) turns it off; with N > 0 each verified
/// signature is accepted once (`SIGV4_REQUEST_REPLAYED` afterwards) while it could still be valid,
/// and at most N are remembered (when full of still-valid entries, new requests are refused).
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_replay_cache_capacity(
    options: *mut sigv4_verifier_options,
    capacity: usize,
) -> sigv4_result {
    set(options, |o| {
        o.replay_cache_capacity = Some(capacity);
        Ok(())
    })
}

/// Sets whether SigV4a (`AWS4-ECDSA-P256-SHA256`) signatures are accepted, in both forms (default
/// false). When true, the signed `X-Amz-Region-Set` must cover one of the verifier's regions.
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_allow_sigv4a(
    options: *mut sigv4_verifier_options,
    allow: bool,
) -> sigv4_result {
    set(options, |o| {
        o.allow_sigv4a = Some(allow);
        Ok(())
    })
}

/// Sets how clients encoded the path: one of the `SIGV4_URI_ENCODING_*` values (default: single
/// for the S3 family, double otherwise).
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` or `SIGV4_INVALID_OPTION` (unknown value).
/// Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_uri_encoding(
    options: *mut sigv4_verifier_options,
    uri_encoding: u32,
) -> sigv4_result {
    set(options, |o| {
        o.uri_encoding = Some(match uri_encoding {
            1 => UriEncoding::Double,
            2 => UriEncoding::Single,
            other => {
                return Err(Fail::new(
                    sigv4_result::SIGV4_INVALID_OPTION,
                    format!("uri_encoding {other} is not one of the SIGV4_URI_ENCODING_* values"),
                ))
            }
        });
        Ok(())
    })
}

/// Sets whether clients normalised the path (default: off for the S3 family, on otherwise).
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_normalize_path(
    options: *mut sigv4_verifier_options,
    enabled: bool,
) -> sigv4_result {
    set(options, |o| {
        o.normalize_path = Some(enabled);
        Ok(())
    })
}

/// Sets how clients attach a session token: true (default) signed; false appended after signing
/// (an unsigned `X-Amz-Security-Token` is then allowed). The token is checked either way.
///
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: see `sigv4_verifier_options`.
#[no_mangle]
pub extern "C" fn sigv4_verifier_options_set_sign_session_token(
    options: *mut sigv4_verifier_options,
    enabled: bool,
) -> sigv4_result {
    set(options, |o| {
        o.sign_session_token = Some(enabled);
        Ok(())
    })
}
