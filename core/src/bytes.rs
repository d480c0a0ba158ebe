//! Byte-level text helpers shared by encoding, HTTP target parsing and verification: splits and
//! trims that scan bytes (ASCII separators) instead of chars.
//!
//! They lived in `verify/`, so encoding a query for signing went through the verifier's module;
//! they have no SigV4 meaning of their own.

/// The position of the first `needle` in `bytes`, eight bytes at a time.
pub(crate) fn find_byte(bytes: &[u8], needle: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * u64::from(needle);
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        let x = u64::from_le_bytes(eight) ^ pattern;
        // The lowest flagged byte is the first zero byte of `x` (a borrow only flags bytes above one).
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return Some(offset + (zero.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == needle)
        .map(|i| offset + i)
}

/// Splits `text` at each `sep` (an ASCII byte, so every piece is valid UTF-8); faster than
/// `str::split` on the fields SigV4 parses.
pub(crate) fn split_byte(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match find_byte(current.as_bytes(), sep) {
            Some(i) => {
                rest = Some(&current[i + 1..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// `text` split at the first `sep` (an ASCII byte).
pub(crate) fn split_once_byte(text: &str, sep: u8) -> Option<(&str, &str)> {
    let i = find_byte(text.as_bytes(), sep)?;
    Some((&text[..i], &text[i + 1..]))
}

/// `text` without leading and trailing spaces and tabs (byte scan; faster than a char pattern).
pub(crate) fn trim_ws(text: &str) -> &str {
    let bytes = text.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |i| i + 1);
    // Both ends sit next to an ASCII byte (or at an end), so they are char boundaries.
    &text[start..end.max(start)]
}

#[cfg(test)]
mod tests {
    use super::{find_byte, trim_ws};

    #[test]
    fn finds_the_first_byte() {
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for needle in [b'a', b'b', b'h', b'i', b'z', b',', 0, 0x80, 0xff] {
            for start in 0..text.len() {
                let hay = &text[start..];
                let want = hay.iter().position(|&b| b == needle);
                assert_eq!(find_byte(hay, needle), want, "{needle} from {start}");
            }
        }
        // Bytes just below or above the needle, and repeats after the first hit.
        let tricky = [0x2b, 0x2d, 0x2c, 0x2c, 0x01, 0x00, 0x2c, 0xac, 0x2c, 0x2d];
        for start in 0..tricky.len() {
            let hay = &tricky[start..];
            for needle in [0x2c, 0x00, 0xac, 0x01, 0x2d] {
                let want = hay.iter().position(|&b| b == needle);
                assert_eq!(find_byte(hay, needle), want, "{needle} from {start}");
            }
        }
    }

    #[test]
    fn trims_spaces_and_tabs_only() {
        for (input, want) in [
            ("", ""),
            ("   ", ""),
            ("\t a b \t", "a b"),
            ("x", "x"),
            (" \u{e9} ", "\u{e9}"),
            ("\u{a0}x\u{a0}", "\u{a0}x\u{a0}"),
        ] {
            assert_eq!(trim_ws(input), want, "{input:?}");
            assert_eq!(trim_ws(input), input.trim_matches([' ', '\t']), "{input:?}");
        }
    }
}
