//! Verifiers that never hold a secret: a C callback gives the derived signing key (kSigning) for a
//! request's access key id and scope (`sigv4_verifier_new_with_signing_keys`).

use std::os::raw::c_void;

use sigv4::{DerivedKey, KeyScope, SigningKeyLookup, Verifier};
use zeroize::Zeroizing;

use crate::boundary::{guard, out_ptr};
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
/// session token are refused (`SIGV4_INVALID_TOKEN`): this lookup has no way to name one.
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
