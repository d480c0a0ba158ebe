//! The SigV4a ECDSA P-256 key, derived from the secret access key as AWS specifies.
//!
//! The derivation is NIST SP 800-108 KDF in counter mode with HMAC-SHA256: the HMAC key is
//! `"AWS4A" + secret`, the input `[1]_32 || "AWS4-ECDSA-P256-SHA256" || 0x00 || access key id ||
//! counter byte || [256]_32`. The 32-byte output `k0` is a candidate: when `k0 > n - 2` (n the curve
//! order) the counter is incremented and the HMAC taken again; otherwise the private scalar is `k0 + 1`.

use std::fmt;

use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{Signature, SigningKey as P256SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};
use crate::key::hmac_sha256;
use crate::sigv4a::der;

/// The algorithm name, also the KDF label.
pub const SIGV4A_ALGORITHM: &str = "AWS4-ECDSA-P256-SHA256";

/// n - 2, n the order of P-256, big-endian.
const N_MINUS_2: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x4F,
];

/// The highest counter value AWS tries (reaching it has probability about 2^-8000).
const MAX_COUNTER: u8 = 254;

/// True when `a > b` as big-endian integers, without data-dependent branches.
fn greater_than(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut gt = 0u8;
    let mut eq = 1u8;
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (i32::from(x), i32::from(y));
        gt |= (((y - x) >> 31) & 1) as u8 & eq;
        eq &= ((((x ^ y) - 1) >> 31) & 1) as u8;
    }
    gt == 1
}

/// Adds one to a big-endian integer (wrapping), without data-dependent branches.
fn add_one(v: &mut [u8; 32]) {
    let mut carry = 1u16;
    for byte in v.iter_mut().rev() {
        let sum = u16::from(*byte) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
}

/// A SigV4a signing key: the P-256 private key derived from an access key id and secret.
///
/// Zeroised on drop; `Debug` never shows the private scalar.
#[derive(Clone)]
pub struct EcdsaKey {
    key: P256SigningKey,
}

impl EcdsaKey {
    /// Derives the key for (`access_key_id`, `secret_access_key`) as AWS does.
    pub fn derive(access_key_id: &str, secret_access_key: &str) -> Result<Self> {
        let mut hmac_key = Zeroizing::new(Vec::with_capacity(5 + secret_access_key.len()));
        hmac_key.extend_from_slice(b"AWS4A");
        hmac_key.extend_from_slice(secret_access_key.as_bytes());
        let mut input =
            Vec::with_capacity(4 + SIGV4A_ALGORITHM.len() + 1 + access_key_id.len() + 5);
        for counter in 1..=MAX_COUNTER {
            input.clear();
            input.extend_from_slice(&1u32.to_be_bytes());
            input.extend_from_slice(SIGV4A_ALGORITHM.as_bytes());
            input.push(0);
            input.extend_from_slice(access_key_id.as_bytes());
            input.push(counter);
            input.extend_from_slice(&256u32.to_be_bytes());
            let mut candidate = Zeroizing::new(hmac_sha256(&hmac_key, &input));
            if greater_than(&candidate, &N_MINUS_2) {
                continue;
            }
            add_one(&mut candidate);
            let key = P256SigningKey::from_slice(&candidate[..]).map_err(|_| {
                Error::arg(
                    ErrorKind::InvalidCredentials,
                    "secret_access_key",
                    "SigV4a key derivation produced an invalid scalar",
                )
            })?;
            return Ok(EcdsaKey { key });
        }
        Err(Error::arg(
            ErrorKind::InvalidCredentials,
            "secret_access_key",
            "SigV4a key derivation found no valid key for these credentials",
        ))
    }

    /// Signs `data` (ECDSA P-256 over SHA-256 of `data`), returning the DER-encoded signature.
    ///
    /// Nonces are deterministic (RFC 6979), so the same input gives the same signature.
    pub fn sign_der(&self, data: &[u8]) -> Vec<u8> {
        let signature: Signature = self.key.sign(data);
        der::encode(&signature.to_bytes().into())
    }

    /// The public key.
    pub fn public_key(&self) -> EcdsaPublicKey {
        EcdsaPublicKey {
            key: *self.key.verifying_key(),
        }
    }
}

impl fmt::Debug for EcdsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EcdsaKey(** redacted **)")
    }
}

/// A SigV4a public key: checks signatures made with the matching [`EcdsaKey`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcdsaPublicKey {
    key: VerifyingKey,
}

impl EcdsaPublicKey {
    /// A public key from its affine coordinates (32 bytes each, big-endian).
    pub fn from_coordinates(x: &[u8; 32], y: &[u8; 32]) -> Result<Self> {
        let mut sec1 = [0u8; 65];
        sec1[0] = 4;
        sec1[1..33].copy_from_slice(x);
        sec1[33..].copy_from_slice(y);
        let key = VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| {
            Error::arg(
                ErrorKind::InvalidCredentials,
                "public_key",
                "the coordinates are not a point on P-256",
            )
        })?;
        Ok(EcdsaPublicKey { key })
    }

    /// The affine coordinates (x, y), 32 bytes each, big-endian.
    pub fn coordinates(&self) -> ([u8; 32], [u8; 32]) {
        let point = self.key.to_encoded_point(false);
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        if let (Some(px), Some(py)) = (point.x(), point.y()) {
            x.copy_from_slice(px);
            y.copy_from_slice(py);
        }
        (x, y)
    }

    /// True when `signature` (parsed by [`StrictSignature::parse`]) signs `data` under this key.
    pub(crate) fn verify_strict(&self, data: &[u8], signature: &StrictSignature) -> bool {
        self.key.verify(data, &signature.0).is_ok()
    }

    /// True when `der_signature` is a valid signature of `data` under this key, in canonical DER
    /// (as `StrictSignature::parse` reads it).
    pub fn verify_der(&self, data: &[u8], der_signature: &[u8]) -> bool {
        StrictSignature::parse(der_signature)
            .is_some_and(|signature| self.verify_strict(data, &signature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_endian_helpers() {
        let mut a = [0u8; 32];
        a[31] = 0xff;
        add_one(&mut a);
        assert_eq!((a[30], a[31]), (1, 0));
        assert!(!greater_than(&N_MINUS_2, &N_MINUS_2));
        let mut b = N_MINUS_2;
        add_one(&mut b);
        assert!(greater_than(&b, &N_MINUS_2));
        assert!(!greater_than(&a, &N_MINUS_2));
        assert!(greater_than(&[0xff; 32], &N_MINUS_2));
    }

    #[test]
    fn debug_is_redacted() {
        let key = EcdsaKey::derive("AKIDEXAMPLE", "secret").unwrap();
        assert_eq!(format!("{key:?}"), "EcdsaKey(** redacted **)");
    }
}

/// An ECDSA P-256 signature parsed strictly from DER: `SEQUENCE { INTEGER r, INTEGER s }` in its
/// one canonical encoding (minimal lengths, no padding, nothing after), with 0 < r, s < n.
pub(crate) struct StrictSignature(Signature);

impl StrictSignature {
    /// The signature, or `None` when `der` is not the canonical DER of a valid (r, s).
    pub(crate) fn parse(der: &[u8]) -> Option<Self> {
        // der::decode reads only the canonical encoding; from_slice checks 0 < r, s < n.
        let rs = der::decode(der)?;
        Signature::from_slice(&rs).ok().map(StrictSignature)
    }
}

#[cfg(test)]
mod strict_tests {
    use super::*;

    #[test]
    fn strict_der_only() {
        let key = EcdsaKey::derive("AKIDEXAMPLE", "secret").unwrap();
        let der = key.sign_der(b"data");
        let parsed = StrictSignature::parse(&der).unwrap();
        assert!(key.public_key().verify_strict(b"data", &parsed));
        assert!(!key.public_key().verify_strict(b"datb", &parsed));
        let mut trailing = der.clone();
        trailing.push(0);
        assert!(StrictSignature::parse(&trailing).is_none());
        // A long-form length (0x81 len) for the same sequence is not DER.
        let mut long_form = vec![0x30, 0x81, der[1]];
        long_form.extend_from_slice(&der[2..]);
        assert!(StrictSignature::parse(&long_form).is_none());
        assert!(StrictSignature::parse(&[]).is_none());
        assert!(StrictSignature::parse(&[0x30, 0x06, 2, 1, 0, 2, 1, 1]).is_none());
        // r = 0
    }
}
