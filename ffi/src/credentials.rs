//! `sigv4_credentials`: an access key id, its secret and an optional session token.

use sigv4::Credentials;

use crate::boundary::{free_handle, guard, into_handle, opt_text, out_ptr, text, write};
use crate::result::sigv4_result;

/// AWS credentials: access key id, secret access key, optional session token.
///
/// Created by `sigv4_credentials_new`, freed by `sigv4_credentials_free`. The secret and the token
/// are held in memory that is wiped when the handle is freed, and never appear in any message.
/// Immutable once created: safe to share between threads.
pub struct sigv4_credentials {
    pub(crate) inner: Credentials,
}

/// Creates credentials.
///
/// `access_key_id`/`access_key_id_len` and `secret_access_key`/`secret_access_key_len` are required
/// (UTF-8, not NUL-terminated); `session_token`/`session_token_len` is optional: pass NULL and 0 for
/// long-term credentials. The bytes are copied; the caller keeps ownership of its buffers.
///
/// On success writes a new handle to `*credentials_out` (free it with `sigv4_credentials_free`).
/// Returns `SIGV4_OK`; `SIGV4_NULL_PARAMETER` for a NULL required pointer or `credentials_out`;
/// `SIGV4_INVALID_UTF8`; `SIGV4_INVALID_CREDENTIALS` for an empty key id or secret, a key id with
/// `/`, whitespace or control characters, or an empty or control-character session token.
///
/// Thread safety: safe to call from any thread.
#[no_mangle]
pub extern "C" fn sigv4_credentials_new(
    access_key_id: *const u8,
    access_key_id_len: usize,
    secret_access_key: *const u8,
    secret_access_key_len: usize,
    session_token: *const u8,
    session_token_len: usize,
    credentials_out: *mut *mut sigv4_credentials,
) -> sigv4_result {
    guard(|| {
        out_ptr(credentials_out, "credentials_out")?;
        let akid = text(access_key_id, access_key_id_len, "access_key_id")?;
        let secret = text(
            secret_access_key,
            secret_access_key_len,
            "secret_access_key",
        )?;
        let token = opt_text(session_token, session_token_len, "session_token")?;
        let inner = Credentials::new(akid, secret, token.map(str::to_owned))?;
        write(credentials_out, into_handle(sigv4_credentials { inner }));
        Ok(())
    })
}

/// Frees credentials created by `sigv4_credentials_new`, wiping the secret and the token.
///
/// NULL does nothing. Signers made from these credentials keep their own copy and stay usable.
/// Thread safety: the caller must ensure no other thread is using `credentials` during or after
/// the call, and must free each handle once.
#[no_mangle]
pub extern "C" fn sigv4_credentials_free(credentials: *mut sigv4_credentials) {
    let _ = guard(|| {
        free_handle(credentials);
        Ok(())
    });
}
