//! HMAC-SHA256 with the key's inner and outer states computed once.
//!
//! A SigV4 signing key signs many strings; precomputing the two padded-key blocks saves two of the
//! seven SHA-256 compressions of a typical signature. The states are as secret as the key, so they
//! live in zeroising storage.

use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    sha2::compress256(state, std::slice::from_ref(GenericArray::from_slice(block)));
}

/// Finishes a SHA-256 whose first `absorbed` bytes (a multiple of 64) are already in `state`.
fn finish(mut state: [u32; 8], absorbed: u64, data: &[u8]) -> [u8; 32] {
    let mut chunks = data.chunks_exact(64);
    for chunk in &mut chunks {
        let mut block = [0u8; 64];
        block.copy_from_slice(chunk);
        compress(&mut state, &block);
    }
    let rest = chunks.remainder();
    let mut block = [0u8; 64];
    block[..rest.len()].copy_from_slice(rest);
    block[rest.len()] = 0x80;
    if rest.len() >= 56 {
        compress(&mut state, &block);
        block = [0u8; 64];
    }
    let bits = (absorbed + data.len() as u64) * 8;
    block[56..].copy_from_slice(&bits.to_be_bytes());
    compress(&mut state, &block);
    let mut out = [0u8; 32];
    for (word, bytes) in state.iter().zip(out.chunks_exact_mut(4)) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// An HMAC-SHA256 key ready to use: the states after the inner and outer padded-key blocks.
#[derive(Clone)]
pub(crate) struct HmacKey {
    inner: Zeroizing<[u32; 8]>,
    outer: Zeroizing<[u32; 8]>,
}

impl HmacKey {
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut padded = Zeroizing::new([0u8; 64]);
        if key.len() > 64 {
            padded[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        let mut block = Zeroizing::new([0u8; 64]);
        let mut inner = Zeroizing::new(IV);
        let mut outer = Zeroizing::new(IV);
        for (b, k) in block.iter_mut().zip(padded.iter()) {
            *b = k ^ 0x36;
        }
        compress(&mut inner, &block);
        for (b, k) in block.iter_mut().zip(padded.iter()) {
            *b = k ^ 0x5c;
        }
        compress(&mut outer, &block);
        block.zeroize();
        HmacKey { inner, outer }
    }

    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 32] {
        let inner = finish(*self.inner, 64, data);
        finish(*self.outer, 64, &inner)
    }
}

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    HmacKey::new(key).mac(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    // RFC 4231 test cases 1, 2, 6 and 7 (expected values from the RFC).
    #[test]
    fn rfc4231_vectors() {
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        assert_eq!(
            hex(&hmac_sha256(&[0xaa; 131], b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        );
    }

    #[test]
    fn matches_plain_sha256_padding_at_every_length() {
        for len in 0..200usize {
            let data = vec![0x61u8; len];
            let ours = finish(IV, 0, &data);
            assert_eq!(
                ours.as_slice(),
                Sha256::digest(&data).as_slice(),
                "len {len}"
            );
        }
    }
}
