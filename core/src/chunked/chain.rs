//! The signature chain of a streaming upload: every chunk (and the trailer) is signed over the
//! previous signature, starting from the seed signature of the request itself.

use std::fmt;
use std::sync::Arc;

use subtle::ConstantTimeEq;

use crate::error::{Error, ErrorKind, Result};
use crate::hash::{hex, push_hex, EMPTY_SHA256};
use crate::key::SigningKey;
use crate::sigv4a::{EcdsaKey, EcdsaPublicKey};

/// Hex length SigV4a chunk signatures are padded to on the wire (a DER signature is at most 72 bytes).
pub const SIGV4A_CHUNK_SIGNATURE_LEN: usize = 144;

/// The padding byte of SigV4a chunk signatures (stripped before chaining).
const SIGV4A_PADDING: char = '*';

#[derive(Clone)]
enum ChainKey {
    /// SigV4: HMAC-SHA256 under the derived signing key.
    Hmac(SigningKey),
    /// SigV4a signing: ECDSA P-256.
    Ecdsa(Arc<EcdsaKey>),
    /// SigV4a checking: only the public key (a decoder).
    EcdsaPublic(EcdsaPublicKey),
}

/// The state shared by every link of a chain: key, `<amz-date>\n<scope>\n`, previous signature.
///
/// The same chain signs aws-chunked uploads ([`crate::ChunkedSigner`]), checks them
/// ([`crate::ChunkedDecoder`]) and signs event-stream messages ([`crate::EventStreamSigner`]).
#[derive(Clone)]
pub struct SignatureChain {
    key: ChainKey,
    date_and_scope: String,
    previous: String,
    sts: String,
}

impl SignatureChain {
    /// A SigV4 chain: `key` is the request's signing key, `scope` its credential scope
    /// (`date/region/service/aws4_request`), `seed_signature` the request's signature.
    pub fn new(key: SigningKey, amz_date: &str, scope: &str, seed_signature: &str) -> Result<Self> {
        Self::build(ChainKey::Hmac(key), amz_date, scope, seed_signature)
    }

    /// A SigV4a signing chain (`scope` is `date/service/aws4_request`, the seed a DER hex signature).
    pub fn new_sigv4a(
        key: Arc<EcdsaKey>,
        amz_date: &str,
        scope: &str,
        seed_signature: &str,
    ) -> Result<Self> {
        Self::build(ChainKey::Ecdsa(key), amz_date, scope, seed_signature)
    }

    /// A SigV4a checking chain holding only the public key (for a decoder).
    pub fn new_sigv4a_verifier(
        key: EcdsaPublicKey,
        amz_date: &str,
        scope: &str,
        seed_signature: &str,
    ) -> Result<Self> {
        Self::build(ChainKey::EcdsaPublic(key), amz_date, scope, seed_signature)
    }

    fn build(key: ChainKey, amz_date: &str, scope: &str, seed: &str) -> Result<Self> {
        if amz_date.len() != 16 || crate::time::SigningTime::parse_amz_date(amz_date).is_err() {
            return Err(Error::arg(
                ErrorKind::InvalidTimestamp,
                "amz_date",
                "amz_date must be YYYYMMDDTHHMMSSZ",
            ));
        }
        if scope.is_empty() || scope.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "scope",
                "scope must be the credential scope date/region/service/aws4_request",
            ));
        }
        let seed = seed.trim_end_matches(SIGV4A_PADDING);
        let hex_ok = !seed.is_empty() && seed.bytes().all(|b| b.is_ascii_hexdigit());
        let len_ok = match key {
            ChainKey::Hmac(_) => seed.len() == 64,
            _ => seed.len() % 2 == 0 && seed.len() <= SIGV4A_CHUNK_SIGNATURE_LEN,
        };
        if !hex_ok || !len_ok {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "seed_signature",
                "seed_signature must be the request's hex signature",
            ));
        }
        let mut date_and_scope = String::with_capacity(amz_date.len() + scope.len() + 2);
        date_and_scope.push_str(amz_date);
        date_and_scope.push('\n');
        date_and_scope.push_str(scope);
        date_and_scope.push('\n');
        Ok(SignatureChain {
            key,
            date_and_scope,
            previous: seed.to_ascii_lowercase(),
            sts: String::with_capacity(256),
        })
    }

    /// True for a SigV4a chain (signatures padded to 144 characters on the wire).
    pub fn is_sigv4a(&self) -> bool {
        !matches!(self.key, ChainKey::Hmac(_))
    }

    /// The length of a chunk signature on the wire: 64 (SigV4) or 144 (SigV4a, padded with `*`).
    pub fn wire_signature_len(&self) -> usize {
        if self.is_sigv4a() {
            SIGV4A_CHUNK_SIGNATURE_LEN
        } else {
            64
        }
    }

    /// The last signature in the chain (the seed before any link), as hex without padding.
    pub fn previous_signature(&self) -> &str {
        &self.previous
    }

    fn algorithm(&self, suffix: &str) -> String {
        let base = if self.is_sigv4a() {
            "AWS4-ECDSA-P256-SHA256"
        } else {
            "AWS4-HMAC-SHA256"
        };
        format!("{base}-{suffix}")
    }

    /// Builds `<ALG>-<suffix>\n<date>\n<scope>\n<previous>\n<lines...>` into the scratch buffer.
    fn build_sts(&mut self, suffix: &str, lines: &[&[u8; 32]], literal: Option<&str>) {
        let algorithm = self.algorithm(suffix);
        let mut sts = std::mem::take(&mut self.sts);
        sts.clear();
        sts.push_str(&algorithm);
        sts.push('\n');
        sts.push_str(&self.date_and_scope);
        sts.push_str(&self.previous);
        if let Some(literal) = literal {
            sts.push('\n');
            sts.push_str(literal);
        }
        for line in lines {
            sts.push('\n');
            push_hex(&mut sts, &line[..]);
        }
        self.sts = sts;
    }

    /// The string to sign of the next link (for inspection and tests).
    pub fn last_string_to_sign(&self) -> &str {
        &self.sts
    }

    /// Signs the scratch string to sign; returns the signature as wire text and advances the chain.
    fn sign_link(&mut self) -> Result<String> {
        let signature = match &self.key {
            ChainKey::Hmac(key) => hex(&key.sign(self.sts.as_bytes())),
            ChainKey::Ecdsa(key) => hex(&key.sign_der(self.sts.as_bytes())),
            ChainKey::EcdsaPublic(_) => {
                return Err(Error::arg(
                    ErrorKind::InvalidOption,
                    "chain",
                    "a verifying chain (public key only) cannot sign",
                ))
            }
        };
        self.previous.clear();
        self.previous.push_str(&signature);
        let mut wire = signature;
        if self.is_sigv4a() {
            while wire.len() < SIGV4A_CHUNK_SIGNATURE_LEN {
                wire.push(SIGV4A_PADDING);
            }
        }
        Ok(wire)
    }

    /// Checks `given` (wire text) against the scratch string to sign; advances the chain on success.
    fn check_link(&mut self, given: &[u8]) -> bool {
        let ok = match &self.key {
            ChainKey::Hmac(key) => {
                let mut expected = [0u8; 64];
                let mac = key.sign(self.sts.as_bytes());
                for (i, b) in mac.iter().enumerate() {
                    expected[2 * i] = b"0123456789abcdef"[usize::from(b >> 4)];
                    expected[2 * i + 1] = b"0123456789abcdef"[usize::from(b & 15)];
                }
                given.len() == 64 && bool::from(expected[..].ct_eq(given))
            }
            ChainKey::Ecdsa(key) => ecdsa_check(&key.public_key(), &self.sts, given),
            ChainKey::EcdsaPublic(key) => ecdsa_check(key, &self.sts, given),
        };
        if ok {
            let trimmed = trim_padding(given);
            self.previous.clear();
            self.previous
                .push_str(std::str::from_utf8(trimmed).unwrap_or(""));
        }
        ok
    }

    /// Signs the next chunk given the SHA-256 of its data; returns the wire signature.
    pub fn sign_chunk(&mut self, data_sha256: &[u8; 32]) -> Result<String> {
        self.build_sts("PAYLOAD", &[data_sha256], Some(EMPTY_SHA256));
        self.sign_link()
    }

    /// Checks the next chunk's wire signature; advances the chain only when it matches.
    pub fn check_chunk(&mut self, data_sha256: &[u8; 32], signature: &[u8]) -> bool {
        self.build_sts("PAYLOAD", &[data_sha256], Some(EMPTY_SHA256));
        self.check_link(signature)
    }

    /// Signs the trailer given the SHA-256 of its canonical form (`name:value\n`, sorted).
    pub fn sign_trailer(&mut self, trailer_sha256: &[u8; 32]) -> Result<String> {
        self.build_sts("TRAILER", &[trailer_sha256], None);
        self.sign_link()
    }

    /// Checks the trailer's wire signature.
    pub fn check_trailer(&mut self, trailer_sha256: &[u8; 32], signature: &[u8]) -> bool {
        self.build_sts("TRAILER", &[trailer_sha256], None);
        self.check_link(signature)
    }

    /// Signs an event-stream message: the SHA-256 of its encoded `:date` header and of its payload.
    /// `date_and_scope` replaces the chain's (each event is signed at its own time).
    pub(crate) fn sign_event(
        &mut self,
        date_and_scope: Option<(&str, &str)>,
        date_header_sha256: &[u8; 32],
        payload_sha256: &[u8; 32],
    ) -> Result<String> {
        if let Some((amz_date, scope)) = date_and_scope {
            self.date_and_scope.clear();
            self.date_and_scope.push_str(amz_date);
            self.date_and_scope.push('\n');
            self.date_and_scope.push_str(scope);
            self.date_and_scope.push('\n');
        }
        self.build_sts("PAYLOAD", &[date_header_sha256, payload_sha256], None);
        self.sign_link()
    }

    /// Replaces the key (an event stream crossing midnight derives a new signing key).
    pub(crate) fn set_key(&mut self, key: SigningKey) {
        self.key = ChainKey::Hmac(key);
    }
}

fn trim_padding(sig: &[u8]) -> &[u8] {
    let mut end = sig.len();
    while end > 0 && sig[end - 1] == b'*' {
        end -= 1;
    }
    &sig[..end]
}

fn ecdsa_check(key: &EcdsaPublicKey, sts: &str, given: &[u8]) -> bool {
    if given.len() != SIGV4A_CHUNK_SIGNATURE_LEN {
        return false;
    }
    let hex_sig = trim_padding(given);
    if hex_sig.len() % 2 != 0 {
        return false;
    }
    let mut der = Vec::with_capacity(hex_sig.len() / 2);
    for pair in hex_sig.chunks(2) {
        match (hex_value(pair[0]), hex_value(pair[1])) {
            (Some(h), Some(l)) => der.push(h << 4 | l),
            _ => return false,
        }
    }
    key.verify_der(sts.as_bytes(), &der)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

impl fmt::Debug for SignatureChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureChain")
            .field("sigv4a", &self.is_sigv4a())
            .field("previous", &self.previous)
            .finish_non_exhaustive()
    }
}
