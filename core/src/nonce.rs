//! The opt-in request nonce: a signed random header that makes two identical calls in the same
//! second distinct (X-Amz-Date has one-second resolution), so a verifier's replay protection, which
//! refuses the same signature twice, accepts both. The core stays pure: callers bring the random
//! bytes (the C library reads them from the operating system; Python and Node use their own
//! generators and the same header name and format).

use crate::hash::hex;

/// The header a nonce goes in (the same name in every language).
pub const NONCE_HEADER: &str = "X-Request-Nonce";

/// Random bytes a nonce is made of (128 bits: collisions are negligible within any replay window).
pub const NONCE_BYTES: usize = 16;

/// The header value for `random`: 32 lowercase hex digits.
pub fn nonce_value(random: &[u8; NONCE_BYTES]) -> String {
    hex(random)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_is_the_bytes_in_lowercase_hex() {
        let mut bytes = [0u8; NONCE_BYTES];
        bytes[0] = 0xab;
        bytes[15] = 0x0f;
        assert_eq!(nonce_value(&bytes), "ab00000000000000000000000000000f");
    }
}
