//! The DER form of an ECDSA P-256 signature, `SEQUENCE { INTEGER r, INTEGER s }`, written and
//! read here instead of through the `ecdsa` crate's general DER codec (the `der` crate): that
//! codec was about 13 KB of the WebAssembly build, which has a size limit (issue 16), for a
//! structure whose canonical form fits in a few lines.
//!
//! Only the one canonical encoding is read: short-form lengths, minimal non-negative integers of at
//! most 32 significant bytes, nothing after the sequence. A signature has at most 2 + 2 * 35 = 72
//! bytes, so every length is below 0x80 and a long-form length (`0x81 ..`) is never canonical. The
//! scalars' range (0 < r, s < n) is checked by `p256` when the pair becomes a `Signature`.

/// The tag of a DER SEQUENCE (constructed) and of an INTEGER.
const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;

/// Appends the DER INTEGER of the unsigned big-endian `value`: leading zero bytes dropped (one
/// kept for zero), a 0x00 put back when the first byte has its high bit set (it would read as
/// negative).
fn put_integer(out: &mut Vec<u8>, value: &[u8; 32]) {
    let start = value.iter().position(|&b| b != 0).unwrap_or(31);
    let digits = &value[start..];
    let pad = digits[0] & 0x80 != 0;
    out.push(INTEGER);
    out.push((digits.len() + usize::from(pad)) as u8);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(digits);
}

/// The DER encoding of the signature whose `r` and `s` are `rs[..32]` and `rs[32..]` (big-endian).
pub(crate) fn encode(rs: &[u8; 64]) -> Vec<u8> {
    let (r, s) = rs.split_at(32);
    let mut out = Vec::with_capacity(72);
    out.extend_from_slice(&[SEQUENCE, 0]);
    put_integer(&mut out, r.try_into().expect("32 bytes"));
    put_integer(&mut out, s.try_into().expect("32 bytes"));
    out[1] = (out.len() - 2) as u8;
    out
}

/// Reads the canonical DER INTEGER at the start of `input`: its value right-aligned in 32 bytes,
/// and what follows it.
fn take_integer(input: &[u8]) -> Option<([u8; 32], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&len, rest) = rest.split_first()?;
    let len = usize::from(len);
    // 33 bytes at most: 32 significant ones and a sign pad. Lengths >= 0x80 (long form) end here.
    if tag != INTEGER || len == 0 || len > 33 || rest.len() < len {
        return None;
    }
    let (mut digits, rest) = rest.split_at(len);
    if digits[0] & 0x80 != 0 {
        return None; // negative
    }
    if digits[0] == 0 && len > 1 {
        if digits[1] & 0x80 == 0 {
            return None; // a leading zero that is not the sign pad: not minimal
        }
        digits = &digits[1..];
    }
    if digits.len() > 32 {
        return None;
    }
    let mut value = [0u8; 32];
    value[32 - digits.len()..].copy_from_slice(digits);
    Some((value, rest))
}

/// `r || s` (32 bytes each, big-endian) from the canonical DER of a signature, or `None` when
/// `der` is anything else.
pub(crate) fn decode(der: &[u8]) -> Option<[u8; 64]> {
    let (&tag, body) = der.split_first()?;
    let (&len, body) = body.split_first()?;
    if tag != SEQUENCE || len >= 0x80 || usize::from(len) != body.len() {
        return None;
    }
    let (r, rest) = take_integer(body)?;
    let (s, rest) = take_integer(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let mut rs = [0u8; 64];
    rs[..32].copy_from_slice(&r);
    rs[32..].copy_from_slice(&s);
    Some(rs)
}

#[cfg(test)]
mod tests {
    //! Differential against the `ecdsa` crate's DER codec (the `der` crate): the same bytes out,
    //! and the same inputs accepted as "canonical DER of some (r, s)", on generated and hostile
    //! inputs (seeded; the seed is printed).
    use super::*;
    use p256::ecdsa::{DerSignature, Signature};

    /// The peer's answer: `Some(r || s)` when `der` parses and re-encodes to the same bytes.
    fn peer(der: &[u8]) -> Option<[u8; 64]> {
        let signature = Signature::from_der(der).ok()?;
        (signature.to_der().as_bytes() == der).then(|| signature.to_bytes().into())
    }

    /// xorshift64*: deterministic, no dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// A valid (r, s) with a random number of leading zero bytes and high bits, as a real
    /// signature can have.
    fn scalars(rng: &mut Rng) -> [u8; 64] {
        let mut rs = [0u8; 64];
        for half in rs.chunks_mut(32) {
            for b in half.iter_mut() {
                *b = rng.next() as u8;
            }
            half[0] &= 0x7f; // below n
            let zeros = [0, 0, 0, 1, 2, 31][rng.below(6)];
            half[..zeros].fill(0);
            if half.iter().all(|&b| b == 0) {
                half[31] = 1;
            }
        }
        rs
    }

    #[test]
    fn encodes_as_the_ecdsa_crate() {
        let seed = 0x5eed_0016_u64;
        println!("seed {seed:#x}");
        let mut rng = Rng(seed);
        for _ in 0..2000 {
            let rs = scalars(&mut rng);
            if rng.below(2) == 0 {
                // high bit set on r: needs the sign pad (still below n: n starts 0xffffffff00..)
                let mut rs2 = rs;
                rs2[0] = 0x80 | (rs2[0] & 0x0f);
                check_encode(&rs2);
            }
            check_encode(&rs);
        }
    }

    fn check_encode(rs: &[u8; 64]) {
        let theirs = Signature::from_slice(rs).expect("valid scalars");
        let theirs: DerSignature = theirs.to_der();
        let ours = encode(rs);
        assert_eq!(ours, theirs.as_bytes(), "{rs:02x?}");
        assert_eq!(decode(&ours), Some(*rs));
    }

    #[test]
    fn reads_what_the_ecdsa_crate_reads_strictly() {
        let seed = 0x5eed_0017_u64;
        println!("seed {seed:#x}");
        let mut rng = Rng(seed);
        let mut accepted = 0;
        for i in 0..20000 {
            let mut der = encode(&scalars(&mut rng));
            // Mutations: flip/insert/remove bytes, change lengths, pad, long forms, truncate.
            for _ in 0..(i % 4) {
                let at = rng.below(der.len());
                match rng.below(8) {
                    0 => der[at] ^= 1 << rng.below(8),
                    1 => der.insert(at, [0, 0x80, 0x81, 0x02, 0x30, 0xff][rng.below(6)]),
                    2 => {
                        der.remove(at);
                    }
                    3 => der[at] = der[at].wrapping_add(1),
                    4 => der[at] = der[at].wrapping_sub(1),
                    5 => der.truncate(at),
                    6 => der.push(rng.next() as u8),
                    _ => {
                        // long-form length for the sequence or an integer
                        let len = der[at];
                        der.splice(at..=at, [0x81, len]);
                    }
                }
                if der.is_empty() {
                    break;
                }
            }
            let ours = decode(&der).filter(|rs| Signature::from_slice(rs).is_ok());
            assert_eq!(
                ours,
                peer(&der),
                "input {der:02x?} (seed {seed:#x}, case {i})"
            );
            accepted += usize::from(ours.is_some());
        }
        // Both outcomes occur (the test can tell a codec that accepts or refuses everything).
        assert!(accepted > 5000 && accepted < 19000, "{accepted}");
    }

    #[test]
    fn hostile_inputs() {
        let rs = {
            let mut rs = [0u8; 64];
            rs[31] = 1;
            rs[63] = 0x80;
            rs
        };
        let der = encode(&rs);
        assert_eq!(der, [0x30, 7, 2, 1, 1, 2, 2, 0, 0x80]);
        for bad in [
            &[][..],
            &[0x30],
            &[0x30, 0],
            &[0x30, 0x81, 7, 2, 1, 1, 2, 2, 0, 0x80],
            &[0x30, 8, 2, 2, 0, 1, 2, 2, 0, 0x80], // non-minimal r
            &[0x30, 6, 2, 1, 1, 2, 1, 0x80],       // negative s
            &[0x30, 7, 2, 1, 1, 2, 2, 0, 0x80, 0], // trailing byte
            &[0x31, 7, 2, 1, 1, 2, 2, 0, 0x80],    // SET, not SEQUENCE
            &[0x30, 7, 3, 1, 1, 2, 2, 0, 0x80],    // not an INTEGER
            &[0x30, 6, 2, 1, 1, 2, 1],             // truncated
            &[0x30, 5, 2, 0, 2, 1, 1],             // empty integer
        ] {
            assert_eq!(decode(bad), None, "{bad:02x?}");
            assert_eq!(peer(bad), None, "{bad:02x?}");
        }
    }
}
