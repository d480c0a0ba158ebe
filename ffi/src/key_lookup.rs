//! Verifiers that never hold a secret: a C callback gives the derived signing key (kSigning) for a
//! request's access key id and scope — as 32 bytes (`sigv4_verifier_new_with_signing_keys`), or as
//! a `sigv4_derived_key` that also names the session token requests must carry (temporary
//! credentials: `sigv4_verifier_new_with_derived_keys`). The second form was added beside the first
//! because changing the first callback's parameters would break the ABI.

use std::os::raw::c_void;

use sigv4::{DerivedKey, KeyScope, SigningKeyLookup, Verifier};
use zeroize::Zeroizing;

use crate::boundary::{bytes, free_handle, guard, into_handle, opt_text, out_ptr, write};
use crate::result::{sigv4_result, Fail};
use crate::verifier::{build_with, sigv4_verifier};
use crate::verifier_options::sigv4_verifier_options;

/// A derived-signing-key lookup written in C, for `sigv4_verifier_new_with_signing_keys`.
///
/// Called with the verifier's `userdata`, the access key id of a request and its credential scope:
/// `date` (`YYYYMMDD`), `region` and `service` (UTF-8, not NUL-terminated, borrowed for the call
/// only), after every check that needs no key passed. Write the 32 bytes of
/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")` to
/// `key_out` and return true, or return false when the key is unknown (the request then fails with
/// `SIGV4_INVALID_ACCESS_KEY_ID`). libsigv4 wipes its copy of the key after use. Requests carrying a
/// session token are refused (`SIGV4_INVALID_TOKEN`): this lookup has no way to name one — use
/// `sigv4_derived_key_fn` (`sigv4_verifier_new_with_derived_keys`) for temporary credentials.
///
/// Thread safety: as `sigv4_lookup_fn` (called on the verifying thread, concurrently when several
/// threads verify; must be thread-safe, must not unwind into libsigv4 nor free the verifier).
pub type sigv4_signing_key_fn = Option<
    extern "C" fn(
        userdata: *mut c_void,
        access_key_id: *const u8,
        access_key_id_len: usize,
        date: *const u8,
        date_len: usize,
        region: *const u8,
        region_len: usize,
        service: *const u8,
        service_len: usize,
        key_out: *mut u8,
    ) -> bool,
>;

type Callback = extern "C" fn(
    *mut c_void,
    *const u8,
    usize,
    *const u8,
    usize,
    *const u8,
    usize,
    *const u8,
    usize,
    *mut u8,
) -> bool;

struct CallbackKeys {
    callback: Callback,
    userdata: *mut c_void,
}

// SAFETY: the callback contract (documented on `sigv4_signing_key_fn`) makes the callback and its
// userdata safe to call from any thread, concurrently; libsigv4 never dereferences `userdata`.
unsafe impl Send for CallbackKeys {}
// SAFETY: as above.
unsafe impl Sync for CallbackKeys {}

impl SigningKeyLookup for CallbackKeys {
    fn signing_key(&self, access_key_id: &str, scope: &KeyScope<'_>) -> Option<DerivedKey> {
        let mut key = Zeroizing::new([0u8; 32]);
        let found = (self.callback)(
            self.userdata,
            access_key_id.as_ptr(),
            access_key_id.len(),
            scope.date.as_ptr(),
            scope.date.len(),
            scope.region.as_ptr(),
            scope.region.len(),
            scope.service.as_ptr(),
            scope.service.len(),
            key.as_mut_ptr(),
        );
        found.then(|| DerivedKey::new(*key))
    }
}

/// Creates a verifier that never holds a secret: `lookup(userdata, ...)` gives the derived signing
/// key per request scope (see `sigv4_signing_key_fn`). Otherwise as `sigv4_verifier_new`; SigV4a
/// requests are refused (`SIGV4_SIGNATURE_DOES_NOT_MATCH`: their key pair needs the secret).
/// `SIGV4_NULL_PARAMETER` for a NULL `lookup` (`userdata` may be NULL).
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verifier_new_with_signing_keys(
    lookup: sigv4_signing_key_fn,
    userdata: *mut c_void,
    regions: *const u8,
    regions_len: usize,
    service: *const u8,
    service_len: usize,
    options: *const sigv4_verifier_options,
    verifier_out: *mut *mut sigv4_verifier,
) -> sigv4_result {
    guard(|| {
        out_ptr(verifier_out, "verifier_out")?;
        let callback = lookup.ok_or_else(|| Fail::null("lookup"))?;
        build_with(
            |list, service, settings| {
                Verifier::with_signing_keys(
                    CallbackKeys { callback, userdata },
                    list,
                    service,
                    settings,
                )
            },
            regions,
            regions_len,
            service,
            service_len,
            options,
            verifier_out,
        )
    })
}

/// A derived signing key (kSigning) with the session token requests signed with it must carry, as a
/// `sigv4_derived_key_fn` answers it.
///
/// Created by `sigv4_derived_key_new`; ownership passes to libsigv4 when a lookup returns it (it is
/// freed there); free one you did not return with `sigv4_derived_key_free`. The key and the token
/// are held in memory that is wiped when the handle is freed, and never appear in any message.
pub struct sigv4_derived_key {
    inner: DerivedKey,
}

/// Creates a derived signing key for a `sigv4_derived_key_fn` to return.
///
/// `key`/`key_len`: the 32 bytes of `kSigning` (required). `session_token`/`session_token_len`:
/// the session token of the temporary credentials the key was derived from (UTF-8, not
/// NUL-terminated), or NULL and 0 for long-term keys; when given, a request verified with this key
/// must carry exactly this token (`X-Amz-Security-Token`), else it fails with
/// `SIGV4_INVALID_TOKEN`. The bytes are copied.
///
/// On success writes a new handle to `*key_out`. Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER` (NULL
/// `key` or `key_out`, or NULL `session_token` with a non-zero length), `SIGV4_INVALID_UTF8` or
/// `SIGV4_INVALID_CREDENTIALS` (a key that is not 32 bytes; an empty session token or one with
/// control characters). Thread safety: safe to call from any thread (also inside a lookup).
#[no_mangle]
pub extern "C" fn sigv4_derived_key_new(
    key: *const u8,
    key_len: usize,
    session_token: *const u8,
    session_token_len: usize,
    key_out: *mut *mut sigv4_derived_key,
) -> sigv4_result {
    guard(|| {
        out_ptr(key_out, "key_out")?;
        let mut inner = DerivedKey::from_slice(bytes(key, key_len, "key")?)?;
        if let Some(token) = opt_text(session_token, session_token_len, "session_token")? {
            inner = inner.with_session_token(token)?;
        }
        write(key_out, into_handle(sigv4_derived_key { inner }));
        Ok(())
    })
}

/// Frees a derived key that was not returned to libsigv4, wiping it. NULL does nothing.
/// Thread safety: no other thread may use `key` during or after the call.
#[no_mangle]
pub extern "C" fn sigv4_derived_key_free(key: *mut sigv4_derived_key) {
    let _ = guard(|| {
        free_handle(key);
        Ok(())
    });
}

/// A derived-key lookup written in C that can name a session token, for
/// `sigv4_verifier_new_with_derived_keys`.
///
/// Called as `sigv4_signing_key_fn` (the verifier's `userdata`, the request's access key id and
/// credential scope: `date` `YYYYMMDD`, `region`, `service`; UTF-8, not NUL-terminated, borrowed for
/// the call only; after every check that needs no key passed). Return a key made with
/// `sigv4_derived_key_new` (libsigv4 takes ownership and frees it), or NULL when the key is unknown
/// (the request then fails with `SIGV4_INVALID_ACCESS_KEY_ID`). A key with a session token requires
/// exactly that token in the request; a key without one refuses requests that carry a token.
///
/// Thread safety: as `sigv4_signing_key_fn` (called on the verifying thread, concurrently when
/// several threads verify; must be thread-safe, must not unwind into libsigv4 nor free the verifier).
pub type sigv4_derived_key_fn = Option<
    extern "C" fn(
        userdata: *mut c_void,
        access_key_id: *const u8,
        access_key_id_len: usize,
        date: *const u8,
        date_len: usize,
        region: *const u8,
        region_len: usize,
        service: *const u8,
        service_len: usize,
    ) -> *mut sigv4_derived_key,
>;

type HandleCallback = extern "C" fn(
    *mut c_void,
    *const u8,
    usize,
    *const u8,
    usize,
    *const u8,
    usize,
    *const u8,
    usize,
) -> *mut sigv4_derived_key;

struct CallbackDerivedKeys {
    callback: HandleCallback,
    userdata: *mut c_void,
}

// SAFETY: the callback contract (documented on `sigv4_derived_key_fn`) makes the callback and its
// userdata safe to call from any thread, concurrently; libsigv4 never dereferences `userdata`.
unsafe impl Send for CallbackDerivedKeys {}
// SAFETY: as above.
unsafe impl Sync for CallbackDerivedKeys {}

impl SigningKeyLookup for CallbackDerivedKeys {
    fn signing_key(&self, access_key_id: &str, scope: &KeyScope<'_>) -> Option<DerivedKey> {
        let found = (self.callback)(
            self.userdata,
            access_key_id.as_ptr(),
            access_key_id.len(),
            scope.date.as_ptr(),
            scope.date.len(),
            scope.region.as_ptr(),
            scope.region.len(),
            scope.service.as_ptr(),
            scope.service.len(),
        );
        if found.is_null() {
            return None;
        }
        // SAFETY: a non-NULL answer was created by `sigv4_derived_key_new` and its ownership
        // passes to libsigv4 (the callback contract); it is taken back exactly once, here.
        let owned = unsafe { Box::from_raw(found) };
        Some(owned.inner)
    }
}

/// Creates a verifier that never holds a secret and accepts temporary credentials:
/// `lookup(userdata, ...)` gives the derived signing key per request scope together with the session
/// token requests must carry (see `sigv4_derived_key_fn`). Otherwise as
/// `sigv4_verifier_new_with_signing_keys` (SigV4a requests are refused). `SIGV4_NULL_PARAMETER` for
/// a NULL `lookup` (`userdata` may be NULL). Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn sigv4_verifier_new_with_derived_keys(
    lookup: sigv4_derived_key_fn,
    userdata: *mut c_void,
    regions: *const u8,
    regions_len: usize,
    service: *const u8,
    service_len: usize,
    options: *const sigv4_verifier_options,
    verifier_out: *mut *mut sigv4_verifier,
) -> sigv4_result {
    guard(|| {
        out_ptr(verifier_out, "verifier_out")?;
        let callback = lookup.ok_or_else(|| Fail::null("lookup"))?;
        build_with(
            |list, service, settings| {
                Verifier::with_signing_keys(
                    CallbackDerivedKeys { callback, userdata },
                    list,
                    service,
                    settings,
                )
            },
            regions,
            regions_len,
            service,
            service_len,
            options,
            verifier_out,
        )
    })
}
