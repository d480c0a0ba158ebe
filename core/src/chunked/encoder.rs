//! The aws-chunked encoder: data in, wire bytes out, every chunk signed over the previous one.

use std::io::Write as _;

use sha2::{Digest, Sha256};

use crate::chunked::chain::SignatureChain;
use crate::chunked::plan::ChunkedPlan;
use crate::chunked::trailer::{
    canonical_trailer_hash, validate_trailer_name, validate_trailer_value,
};
use crate::error::{Error, ErrorKind, Result};
use crate::settings::PayloadMode;

/// Bytes copied (and hashed) at a time by [`ChunkedSigner::write_chunk`]: small enough to stay in
/// the first-level cache between the copy and the hash.
const COPY_SLICE: usize = 4 * 1024;

/// Frames one chunk at a time, exactly as given: `hex(size);chunk-signature=<sig>\r\n<data>\r\n`
/// (or `hex(size)\r\n<data>\r\n` for `STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
///
/// Most callers want [`ChunkedEncoder`], which cuts the body into the planned chunk size and checks
/// the totals; this is the step underneath, for callers that frame chunks themselves.
#[derive(Debug, Clone)]
pub struct ChunkedSigner {
    chain: Option<SignatureChain>,
    mode: PayloadMode,
    finished: bool,
}

impl ChunkedSigner {
    /// A signer for the signed forms, continuing `chain` (built from the request's seed signature).
    pub fn new(mode: PayloadMode, chain: SignatureChain) -> Result<Self> {
        match mode {
            PayloadMode::StreamingSigned | PayloadMode::StreamingSignedTrailer => {
                Ok(ChunkedSigner {
                    chain: Some(chain),
                    mode,
                    finished: false,
                })
            }
            _ => Err(Error::arg(
                ErrorKind::InvalidOption,
                "payload",
                "a signature chain needs payload streaming-signed or streaming-signed-trailer",
            )),
        }
    }

    /// A signer for `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (no signatures).
    pub fn unsigned() -> Self {
        ChunkedSigner {
            chain: None,
            mode: PayloadMode::StreamingUnsignedTrailer,
            finished: false,
        }
    }

    /// The payload form.
    pub fn mode(&self) -> PayloadMode {
        self.mode
    }

    /// The signature of the last chunk (the seed before any), `None` when unsigned.
    pub fn previous_signature(&self) -> Option<&str> {
        self.chain.as_ref().map(|c| c.previous_signature())
    }

    fn check_open(&self) -> Result<()> {
        if self.finished {
            return Err(Error::arg(
                ErrorKind::InvalidChunk,
                "data",
                "the chunked body is already finished",
            ));
        }
        Ok(())
    }

    /// Appends the chunk header for `data` to `out` (`hex;chunk-signature=sig\r\n`): a caller that
    /// writes the data itself then appends `data` and `\r\n`.
    pub fn write_chunk_header(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.check_open()?;
        if data.is_empty() {
            return Err(Error::arg(
                ErrorKind::InvalidChunk,
                "data",
                "a data chunk must not be empty (the empty chunk ends the body: use finish)",
            ));
        }
        self.header(Some(data), data.len(), out)
    }

    fn header(&mut self, data: Option<&[u8]>, len: usize, out: &mut Vec<u8>) -> Result<()> {
        let _ = write!(out, "{len:x}");
        if let Some(chain) = &mut self.chain {
            let hash: [u8; 32] = match data {
                Some(d) => Sha256::digest(d).into(),
                None => Sha256::digest(b"").into(),
            };
            let signature = chain.sign_chunk(&hash)?;
            out.extend_from_slice(b";chunk-signature=");
            out.extend_from_slice(signature.as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// Appends one complete chunk carrying `data` (not empty) to `out`.
    ///
    /// The data is hashed as it is copied, a slice at a time while it is still in the CPU cache,
    /// so the body is read from memory once; the signature is written into the header afterwards.
    pub fn write_chunk(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.check_open()?;
        if data.is_empty() {
            return Err(Error::arg(
                ErrorKind::InvalidChunk,
                "data",
                "a data chunk must not be empty (the empty chunk ends the body: use finish)",
            ));
        }
        let Some(chain) = &mut self.chain else {
            out.reserve(data.len() + 24);
            self.header(Some(data), data.len(), out)?;
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
            return Ok(());
        };
        let start = out.len();
        let signature_len = chain.wire_signature_len();
        out.reserve(data.len() + signature_len + 40);
        let _ = write!(out, "{:x}", data.len());
        out.extend_from_slice(b";chunk-signature=");
        let signature_at = out.len();
        out.resize(signature_at + signature_len, b'0');
        out.extend_from_slice(b"\r\n");
        let mut hasher = Sha256::new();
        for piece in data.chunks(COPY_SLICE) {
            hasher.update(piece);
            out.extend_from_slice(piece);
        }
        out.extend_from_slice(b"\r\n");
        let signed = chain.sign_chunk(&hasher.finalize().into());
        match signed {
            Ok(signature) if signature.len() == signature_len => {
                out[signature_at..signature_at + signature_len]
                    .copy_from_slice(signature.as_bytes());
                Ok(())
            }
            Ok(_) => {
                out.truncate(start);
                Err(Error::arg(
                    ErrorKind::InvalidChunk,
                    "data",
                    "the chunk signature has an unexpected length",
                ))
            }
            Err(e) => {
                out.truncate(start);
                Err(e)
            }
        }
    }

    /// One complete chunk carrying `data` (not empty).
    pub fn chunk(&mut self, data: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write_chunk(data, &mut out)?;
        Ok(out)
    }

    /// Appends the end of the body to `out`: the final zero-length chunk, then the trailers (and for
    /// the signed-trailer form `x-amz-trailer-signature`), then the closing `\r\n`.
    pub fn write_finish(&mut self, trailers: &[(&str, &str)], out: &mut Vec<u8>) -> Result<()> {
        self.check_open()?;
        if self.mode == PayloadMode::StreamingSigned && !trailers.is_empty() {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "trailers",
                "trailers need payload streaming-signed-trailer or streaming-unsigned-trailer",
            ));
        }
        for (name, value) in trailers {
            validate_trailer_name(name)?;
            validate_trailer_value(name, value)?;
        }
        self.header(None, 0, out)?;
        for (name, value) in trailers {
            out.extend_from_slice(name.as_bytes());
            out.push(b':');
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        if self.mode == PayloadMode::StreamingSignedTrailer {
            if let Some(chain) = &mut self.chain {
                let signature = chain.sign_trailer(&canonical_trailer_hash(trailers))?;
                out.extend_from_slice(b"x-amz-trailer-signature:");
                out.extend_from_slice(signature.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
        }
        out.extend_from_slice(b"\r\n");
        self.finished = true;
        Ok(())
    }

    /// The end of the body (see [`ChunkedSigner::write_finish`]).
    pub fn finish(&mut self, trailers: &[(&str, &str)]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write_finish(trailers, &mut out)?;
        Ok(out)
    }
}

/// Turns a body fed in pieces of any size into the planned aws-chunked wire bytes.
///
/// Cuts the body into chunks of the plan's chunk size, signs each as soon as it is full, and checks
/// that the body and the trailers match the plan (so the `Content-Length` sent up front is right).
/// Memory stays at one chunk.
#[derive(Debug, Clone)]
pub struct ChunkedEncoder {
    signer: ChunkedSigner,
    plan: ChunkedPlan,
    buffer: Vec<u8>,
    /// Scratch for the chunk headers of [`ChunkedEncoder::write_each`].
    header: Vec<u8>,
    written: u64,
}

impl ChunkedEncoder {
    /// An encoder for `plan`, framing with `signer` (whose mode must be the plan's).
    pub fn new(plan: ChunkedPlan, signer: ChunkedSigner) -> Result<Self> {
        if plan.mode() != signer.mode() {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "payload",
                "the plan and the chunk signer use different payload forms",
            ));
        }
        if let Some(chain) = &signer.chain {
            let wants_sigv4a = plan.algorithm() == crate::settings::SigningAlgorithm::Sigv4a;
            if chain.is_sigv4a() != wants_sigv4a {
                return Err(Error::arg(
                    ErrorKind::InvalidOption,
                    "algorithm",
                    "the plan and the signature chain use different algorithms",
                ));
            }
        }
        Ok(ChunkedEncoder {
            signer,
            plan,
            buffer: Vec::new(),
            header: Vec::new(),
            written: 0,
        })
    }

    /// The plan.
    pub fn plan(&self) -> &ChunkedPlan {
        &self.plan
    }

    /// Bytes of body fed so far.
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    /// Feeds the next piece of the body; appends every chunk that became full to `out`.
    pub fn write_into(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.feed(data, |signer, chunk| signer.write_chunk(chunk, out))
    }

    /// Feeds the next piece of the body without copying it: hands the wire bytes of every chunk
    /// that became full to `sink`, in order, as three slices — the chunk header, the data, `\r\n`
    /// — the data of chunks that lie whole in `data` being slices of `data` itself. Suits vectored
    /// writes (`writev`, a list of buffers): the body is only hashed, never copied, except for the
    /// partial chunk at the end, which is kept until the next call. End the body with
    /// [`finish_into`](Self::finish_into) or [`finish`](Self::finish) as usual.
    pub fn write_each(&mut self, data: &[u8], mut sink: impl FnMut(&[u8])) -> Result<()> {
        let mut header = std::mem::take(&mut self.header);
        let result = self.feed(data, |signer, chunk| {
            header.clear();
            signer.write_chunk_header(chunk, &mut header)?;
            sink(&header);
            sink(chunk);
            sink(b"\r\n");
            Ok(())
        });
        self.header = header;
        result
    }

    /// Checks `data` against the plan and cuts it into chunks: `chunk` frames every chunk that
    /// became full; the rest waits in the buffer.
    fn feed(
        &mut self,
        mut data: &[u8],
        mut chunk: impl FnMut(&mut ChunkedSigner, &[u8]) -> Result<()>,
    ) -> Result<()> {
        let remaining = self.plan.decoded_length() - self.written;
        if data.len() as u64 > remaining {
            return Err(Error::arg(
                ErrorKind::InvalidChunk,
                "data",
                format!(
                    "the body is longer than the planned decoded length {}",
                    self.plan.decoded_length()
                ),
            ));
        }
        self.signer.check_open()?;
        self.written += data.len() as u64;
        let size = self.plan.chunk_size();
        if !self.buffer.is_empty() {
            let take = (size - self.buffer.len()).min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() == size {
                let full = std::mem::take(&mut self.buffer);
                let framed = chunk(&mut self.signer, &full);
                self.buffer = full;
                self.buffer.clear();
                framed?;
            }
        }
        while data.len() >= size {
            chunk(&mut self.signer, &data[..size])?;
            data = &data[size..];
        }
        if !data.is_empty() {
            if self.buffer.capacity() < size {
                self.buffer.reserve_exact(size);
            }
            self.buffer.extend_from_slice(data);
        }
        Ok(())
    }

    /// Feeds the next piece of the body; returns the wire bytes of the chunks that became full.
    pub fn write(&mut self, data: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write_into(data, &mut out)?;
        Ok(out)
    }

    /// Ends the body: the last partial chunk, the final chunk, the trailers. Each declared trailer
    /// must be given once, with a value of the planned length.
    pub fn finish_into(&mut self, trailers: &[(&str, &str)], out: &mut Vec<u8>) -> Result<()> {
        self.signer.check_open()?;
        if self.written != self.plan.decoded_length() {
            return Err(Error::arg(
                ErrorKind::InvalidChunk,
                "data",
                format!(
                    "the body is {} bytes, the plan says {}",
                    self.written,
                    self.plan.decoded_length()
                ),
            ));
        }
        let declared = self.plan.trailers();
        if trailers.len() != declared.len() {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "trailers",
                format!(
                    "{} trailers given, {} declared",
                    trailers.len(),
                    declared.len()
                ),
            ));
        }
        for (name, value) in trailers {
            let lower = name.to_ascii_lowercase();
            match declared.iter().find(|(n, _)| *n == lower) {
                Some((_, len)) if *len == value.len() => {}
                Some((_, len)) => {
                    return Err(Error::arg(
                        ErrorKind::InvalidOption,
                        "trailers",
                        format!("trailer {name:?} must be {len} bytes long (planned)"),
                    ))
                }
                None => {
                    return Err(Error::arg(
                        ErrorKind::InvalidOption,
                        "trailers",
                        format!("trailer {name:?} was not declared"),
                    ))
                }
            }
        }
        if trailers
            .iter()
            .enumerate()
            .any(|(i, (n, _))| trailers[..i].iter().any(|(m, _)| m.eq_ignore_ascii_case(n)))
        {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "trailers",
                "a trailer is given twice",
            ));
        }
        if !self.buffer.is_empty() {
            let last = std::mem::take(&mut self.buffer);
            self.signer.write_chunk(&last, out)?;
        }
        self.signer.write_finish(trailers, out)
    }

    /// Ends the body (see [`ChunkedEncoder::finish_into`]) and returns the last wire bytes.
    pub fn finish(&mut self, trailers: &[(&str, &str)]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.finish_into(trailers, &mut out)?;
        Ok(out)
    }

    /// Encodes a whole body at once (small bodies, tests).
    pub fn encode_all(mut self, body: &[u8], trailers: &[(&str, &str)]) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.plan.content_length() as usize);
        self.write_into(body, &mut out)?;
        self.finish_into(trailers, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::SigningKey;

    fn encoder(mode: PayloadMode, len: usize, chunk: usize) -> ChunkedEncoder {
        let signer = match mode {
            PayloadMode::StreamingUnsignedTrailer => ChunkedSigner::unsigned(),
            _ => {
                let key = SigningKey::derive("secret", "20130524", "us-east-1", "s3");
                let seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
                let chain = SignatureChain::new(
                    key,
                    "20130524T000000Z",
                    "20130524/us-east-1/s3/aws4_request",
                    seed,
                )
                .unwrap();
                ChunkedSigner::new(mode, chain).unwrap()
            }
        };
        let plan = ChunkedPlan::new(mode, len as u64, chunk).unwrap();
        ChunkedEncoder::new(plan, signer).unwrap()
    }

    /// The copying, the vectored and the one-call encodings give the same wire bytes for any
    /// way of cutting the body.
    #[test]
    fn every_way_of_feeding_gives_the_same_wire_bytes() {
        for mode in [
            PayloadMode::StreamingSigned,
            PayloadMode::StreamingUnsignedTrailer,
        ] {
            for (len, chunk) in [
                (0, 8),
                (1, 8),
                (8, 8),
                (100, 8),
                (20_000, 9000),
                (70_000, 65_536),
            ] {
                let body: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
                let whole = encoder(mode, len, chunk).encode_all(&body, &[]).unwrap();
                for piece in [1, 5, 8, 13, 4096, 70_000] {
                    let mut copied = encoder(mode, len, chunk);
                    let mut vectored = encoder(mode, len, chunk);
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    for part in body.chunks(piece) {
                        copied.write_into(part, &mut a).unwrap();
                        vectored
                            .write_each(part, |bytes| b.extend_from_slice(bytes))
                            .unwrap();
                    }
                    copied.finish_into(&[], &mut a).unwrap();
                    vectored.finish_into(&[], &mut b).unwrap();
                    assert_eq!(a, whole, "{mode:?} {len} {chunk} {piece}");
                    assert_eq!(b, whole, "{mode:?} {len} {chunk} {piece}");
                }
            }
        }
    }

    #[test]
    fn write_each_checks_the_plan() {
        let mut enc = encoder(PayloadMode::StreamingSigned, 10, 4);
        assert!(enc.write_each(&[0; 11], |_| {}).is_err());
        enc.write_each(&[0; 10], |_| {}).unwrap();
        enc.finish_into(&[], &mut Vec::new()).unwrap();
        assert!(enc.write_each(&[], |_| {}).is_err());
    }
}
