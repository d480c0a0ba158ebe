//! SHA-256 and hex: the digests and their text forms every part of SigV4 uses (payload hashes, the
//! hashed canonical request, chunk signatures). They lived in `canonical` and `chunked`, so
//! unrelated modules imported the canonical-request writer for a hex digit table.

use sha2::{Digest, Sha256};

/// SHA-256 of the empty string, the payload hash of a request without body.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Every byte's two lowercase hex digits: one load per byte instead of two nibble lookups.
const HEX_PAIRS: [[u8; 2]; 256] = {
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [HEX_LOWER[i >> 4], HEX_LOWER[i & 15]];
        i += 1;
    }
    table
};

/// Appends `bytes` as lowercase hex.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    let mut buf = [0u8; 128];
    for chunk in bytes.chunks(64) {
        for (pair, &b) in buf.chunks_exact_mut(2).zip(chunk) {
            pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
        }
        // Hex digits are ASCII: the fallback never happens.
        out.push_str(std::str::from_utf8(&buf[..2 * chunk.len()]).unwrap_or_default());
    }
}

/// Writes the 64 lowercase hex digits of a 32-byte digest.
pub(crate) fn write_hex32(bytes: &[u8; 32], out: &mut [u8; 64]) {
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
}

/// `bytes` as a lowercase hex string.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_hex(&mut s, bytes);
    s
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Incremental SHA-256 of a body fed in pieces: bindings use it to hash files and streams
/// without loading them whole, then sign with the hash as a precomputed payload.
#[derive(Clone, Default)]
pub struct PayloadHasher(Sha256);

impl PayloadHasher {
    /// A hasher with nothing fed yet.
    pub fn new() -> Self {
        PayloadHasher(Sha256::new())
    }

    /// Feeds the next piece of the body.
    pub fn update(&mut self, piece: &[u8]) {
        self.0.update(piece);
    }

    /// The lowercase hex digest of everything fed.
    pub fn finish_hex(self) -> String {
        hex(&self.0.finalize())
    }
}

impl std::fmt::Debug for PayloadHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PayloadHasher")
    }
}

/// SHA-256 of `data` as raw bytes.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}
