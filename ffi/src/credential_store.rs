//! Where a verifier finds secrets: `sigv4_credential_store` (a static table built in C) or a C
//! callback (`sigv4_lookup_fn`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::os::raw::c_void;

use sigv4::{CredentialLookup, Credentials};

use crate::boundary::{
    free_handle, guard, handle_mut, into_handle, opt_text, out_ptr, text, write,
};
use crate::credentials::sigv4_credentials;
use crate::result::sigv4_result;

/// A table of credentials, access key id -> secret (and the session token requests must carry),
/// for `sigv4_verifier_new`.
///
/// Created by `sigv4_credential_store_new`, filled by `sigv4_credential_store_add`, copied by
/// `sigv4_verifier_new` (later additions do not reach verifiers already created), freed by
/// `sigv4_credential_store_free` (the secrets are wiped). Thread safety: not synchronised; do not
/// add to a store while another thread uses it.
#[derive(Clone, Debug, Default)]
pub struct sigv4_credential_store {
    pub(crate) map: HashMap<String, Credentials>,
}

/// Creates an empty credential store.
///
/// On success writes the handle to `*store_out` (free it with `sigv4_credential_store_free`).
/// Returns `SIGV4_OK` or `SIGV4_NULL_PARAMETER`. Thread safety: safe to call from any thread.
#[no_mangle]
pub extern "C" fn sigv4_credential_store_new(
    store_out: *mut *mut sigv4_credential_store,
) -> sigv4_result {
    guard(|| {
        out_ptr(store_out, "store_out")?;
        write(store_out, into_handle(sigv4_credential_store::default()));
        Ok(())
    })
}

/// Adds (or replaces) the credentials of one access key.
///
/// `access_key_id` and `secret_access_key` are required; `session_token` is optional (NULL and 0
/// for long-term keys; when given, requests signed with this key must carry exactly this token).
/// UTF-8, not NUL-terminated; the bytes are copied.
///
/// Returns `SIGV4_OK`, `SIGV4_NULL_PARAMETER`, `SIGV4_INVALID_UTF8` or `SIGV4_INVALID_CREDENTIALS`
/// (as `sigv4_credentials_new`). Thread safety: see `sigv4_credential_store`.
#[no_mangle]
pub extern "C" fn sigv4_credential_store_add(
    store: *mut sigv4_credential_store,
    access_key_id: *const u8,
    access_key_id_len: usize,
    secret_access_key: *const u8,
    secret_access_key_len: usize,
    session_token: *const u8,
    session_token_len: usize,
) -> sigv4_result {
    guard(|| {
        let store = handle_mut(store, "store")?;
        let akid = text(access_key_id, access_key_id_len, "access_key_id")?;
        let secret = text(
            secret_access_key,
            secret_access_key_len,
            "secret_access_key",
        )?;
        let token = opt_text(session_token, session_token_len, "session_token")?;
        let credentials = Credentials::new(akid, secret, token.map(str::to_owned))?;
        store.map.insert(akid.to_owned(), credentials);
        Ok(())
    })
}

/// The number of access keys in the store (0 for NULL). Thread safety: see `sigv4_credential_store`.
#[no_mangle]
pub extern "C" fn sigv4_credential_store_len(store: *const sigv4_credential_store) -> usize {
    let mut len = 0;
    let _ = guard(|| {
        len = crate::boundary::handle(store, "store")?.map.len();
        Ok(())
    });
    len
}

/// Frees a credential store, wiping its secrets. NULL does nothing. Verifiers created from it keep
/// their own copy. Thread safety: no other thread may use `store` during or after the call.
#[no_mangle]
pub extern "C" fn sigv4_credential_store_free(store: *mut sigv4_credential_store) {
    let _ = guard(|| {
        free_handle(store);
        Ok(())
    });
}

/// A credential lookup written in C, for `sigv4_verifier_new_with_lookup`.
///
/// Called with the verifier's `userdata` and the access key id of a request (UTF-8, not
/// NUL-terminated, borrowed for the call only), after every check that needs no secret passed.
/// Return credentials made with `sigv4_credentials_new` (libsigv4 takes ownership and frees them),
/// or NULL when the key is unknown (the request then fails with `SIGV4_INVALID_ACCESS_KEY_ID`).
/// Credentials with a session token require that token in the request.
///
/// Thread safety: the callback runs on the thread that called `sigv4_verifier_verify` (and, for
/// `sigv4_verifier_verify_many`, on the worker threads it starts), and runs concurrently when
/// several threads verify with the same verifier; it must be thread-safe and
/// `userdata` must stay valid until the verifier is freed. It must not unwind (C++ exceptions)
/// into libsigv4, and must not free the verifier.
pub type sigv4_lookup_fn = Option<
    extern "C" fn(
        userdata: *mut c_void,
        access_key_id: *const u8,
        access_key_id_len: usize,
    ) -> *mut sigv4_credentials,
>;

/// The callback and its userdata as a core `CredentialLookup`.
pub(crate) struct CallbackLookup {
    pub(crate) callback: extern "C" fn(*mut c_void, *const u8, usize) -> *mut sigv4_credentials,
    pub(crate) userdata: *mut c_void,
}

// SAFETY: the callback contract (documented on `sigv4_lookup_fn`) makes the callback and its
// userdata safe to call from any thread, concurrently; libsigv4 never dereferences `userdata`.
unsafe impl Send for CallbackLookup {}
// SAFETY: as above: `lookup` only passes the pointer back to the thread-safe callback.
unsafe impl Sync for CallbackLookup {}

impl CredentialLookup for CallbackLookup {
    fn lookup(&self, access_key_id: &str) -> Option<Cow<'_, Credentials>> {
        let found = (self.callback)(self.userdata, access_key_id.as_ptr(), access_key_id.len());
        if found.is_null() {
            return None;
        }
        // SAFETY: a non-NULL answer was created by `sigv4_credentials_new` and its ownership
        // passes to libsigv4 (the callback contract); it is taken back exactly once, here.
        let owned = unsafe { Box::from_raw(found) };
        Some(Cow::Owned(owned.inner))
    }
}
