//! Sizes of an aws-chunked body, known before the first byte is sent.

use crate::chunked::chain::SIGV4A_CHUNK_SIGNATURE_LEN;
use crate::chunked::trailer::{checksum_value_len, validate_trailer_name};
use crate::error::{Error, ErrorKind, Result};
use crate::settings::{PayloadMode, SigningAlgorithm};

/// The largest chunk the decoder accepts (and so the largest chunk size the encoder plans): 16 MiB.
pub const MAX_CHUNK_SIZE: usize = 16 * 1024 * 1024;

/// `;chunk-signature=`
const SIG_EXT: usize = 17;
/// `x-amz-trailer-signature:`
const TRAILER_SIG_NAME: usize = 24;

/// The shape of a streaming upload: payload form, decoded length, chunk size, declared trailers.
///
/// From it come `Content-Length` (the wire length) and the headers that announce the encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkedPlan {
    mode: PayloadMode,
    algorithm: SigningAlgorithm,
    decoded_length: u64,
    chunk_size: usize,
    trailers: Vec<(String, usize)>,
}

fn hex_digits(mut n: u64) -> u64 {
    let mut digits = 1;
    while n >= 16 {
        n >>= 4;
        digits += 1;
    }
    digits
}

impl ChunkedPlan {
    /// A plan for `decoded_length` bytes sent in chunks of `chunk_size` (the last may be shorter).
    ///
    /// `mode` is one of the streaming payload forms. `chunk_size` is 1..=16 MiB (S3 wants at least
    /// 8 KiB for every chunk but the last).
    pub fn new(mode: PayloadMode, decoded_length: u64, chunk_size: usize) -> Result<Self> {
        if !matches!(
            mode,
            PayloadMode::StreamingSigned
                | PayloadMode::StreamingSignedTrailer
                | PayloadMode::StreamingUnsignedTrailer
        ) {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "payload",
                "a chunked upload needs a streaming payload (streaming-signed, streaming-signed-trailer, streaming-unsigned-trailer)",
            ));
        }
        if chunk_size == 0 || chunk_size > MAX_CHUNK_SIZE {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "chunk_size",
                format!("chunk_size must be 1..={MAX_CHUNK_SIZE} bytes (got {chunk_size})"),
            ));
        }
        Ok(ChunkedPlan {
            mode,
            algorithm: SigningAlgorithm::Sigv4,
            decoded_length,
            chunk_size,
            trailers: Vec::new(),
        })
    }

    /// The same plan for SigV4a (chunk signatures are 144 characters, padded).
    pub fn with_algorithm(mut self, algorithm: SigningAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Declares a checksum trailer whose value length is known (`x-amz-checksum-crc32`, `-crc32c`,
    /// `-crc64nvme`, `-sha1`, `-sha256`).
    pub fn with_trailer(self, name: &str) -> Result<Self> {
        let len = checksum_value_len(name).ok_or_else(|| {
            Error::arg(
                ErrorKind::InvalidOption,
                "trailers",
                format!("trailer {name:?} has no known value length; use with_trailer_len"),
            )
        })?;
        self.with_trailer_len(name, len)
    }

    /// Declares a trailer whose value will be exactly `value_len` bytes.
    pub fn with_trailer_len(mut self, name: &str, value_len: usize) -> Result<Self> {
        if self.mode == PayloadMode::StreamingSigned {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "trailers",
                "trailers need payload streaming-signed-trailer or streaming-unsigned-trailer",
            ));
        }
        let lower = validate_trailer_name(name)?;
        if self.trailers.iter().any(|(n, _)| *n == lower) {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "trailers",
                format!("trailer {name:?} declared twice"),
            ));
        }
        self.trailers.push((lower, value_len));
        Ok(self)
    }

    /// The payload form.
    pub fn mode(&self) -> PayloadMode {
        self.mode
    }

    /// The signature algorithm.
    pub fn algorithm(&self) -> SigningAlgorithm {
        self.algorithm
    }

    /// The body length before encoding (`x-amz-decoded-content-length`).
    pub fn decoded_length(&self) -> u64 {
        self.decoded_length
    }

    /// The chunk size.
    pub fn chunk_size(&self) -> usize {
        self.chunk_size
    }

    /// The declared trailers (lowercase names) with their value lengths.
    pub fn trailers(&self) -> &[(String, usize)] {
        &self.trailers
    }

    /// Whether chunks carry signatures.
    pub fn is_signed(&self) -> bool {
        self.mode != PayloadMode::StreamingUnsignedTrailer
    }

    /// The length of a chunk signature on the wire (0 when unsigned).
    fn signature_len(&self) -> u64 {
        match (self.is_signed(), self.algorithm) {
            (false, _) => 0,
            (true, SigningAlgorithm::Sigv4) => 64,
            (true, SigningAlgorithm::Sigv4a) => SIGV4A_CHUNK_SIGNATURE_LEN as u64,
        }
    }

    /// The wire length of one chunk carrying `size` data bytes (`size` 0 is the final chunk's header).
    pub fn chunk_wire_len(&self, size: u64) -> u64 {
        let header = hex_digits(size)
            + if self.is_signed() {
                SIG_EXT as u64 + self.signature_len()
            } else {
                0
            }
            + 2;
        if size == 0 {
            header
        } else {
            header + size + 2
        }
    }

    /// The total wire length: the `Content-Length` header.
    pub fn content_length(&self) -> u64 {
        let chunk = self.chunk_size as u64;
        let full = self.decoded_length / chunk;
        let rest = self.decoded_length % chunk;
        let mut total = full * self.chunk_wire_len(chunk);
        if rest > 0 {
            total += self.chunk_wire_len(rest);
        }
        total += self.chunk_wire_len(0);
        if self.mode != PayloadMode::StreamingSigned {
            for (name, len) in &self.trailers {
                total += (name.len() + 1 + len + 2) as u64;
            }
            if self.mode == PayloadMode::StreamingSignedTrailer {
                total += TRAILER_SIG_NAME as u64 + self.signature_len() + 2;
            }
        }
        total + 2
    }

    /// The `x-amz-trailer` value: the declared names joined by `,` (`None` when there are none).
    pub fn trailer_header(&self) -> Option<String> {
        if self.trailers.is_empty() {
            return None;
        }
        let names: Vec<&str> = self.trailers.iter().map(|(n, _)| n.as_str()).collect();
        Some(names.join(","))
    }

    /// The headers announcing the encoding, to send and sign: `Content-Encoding: aws-chunked`,
    /// `Content-Length`, `x-amz-decoded-content-length`, and `x-amz-trailer` when trailers are declared.
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("Content-Encoding".to_owned(), "aws-chunked".to_owned()),
            (
                "Content-Length".to_owned(),
                self.content_length().to_string(),
            ),
            (
                "x-amz-decoded-content-length".to_owned(),
                self.decoded_length.to_string(),
            ),
        ];
        if let Some(trailer) = self.trailer_header() {
            out.push(("x-amz-trailer".to_owned(), trailer));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_documented_length() {
        let plan = ChunkedPlan::new(PayloadMode::StreamingSigned, 66560, 65536).unwrap();
        assert_eq!(plan.content_length(), 66824);
    }

    #[test]
    fn rejects_bad_plans() {
        assert!(ChunkedPlan::new(PayloadMode::Signed, 1, 1).is_err());
        assert!(ChunkedPlan::new(PayloadMode::StreamingSigned, 1, 0).is_err());
        assert!(ChunkedPlan::new(PayloadMode::StreamingSigned, 1, MAX_CHUNK_SIZE + 1).is_err());
        let plan = ChunkedPlan::new(PayloadMode::StreamingSigned, 1, 1).unwrap();
        assert!(plan.with_trailer("x-amz-checksum-crc32").is_err());
        let plan = ChunkedPlan::new(PayloadMode::StreamingSignedTrailer, 1, 1).unwrap();
        assert!(plan.clone().with_trailer("x-custom").is_err());
        let plan = plan.with_trailer("x-amz-checksum-crc32").unwrap();
        assert!(plan.with_trailer("X-Amz-Checksum-CRC32").is_err());
    }
}
