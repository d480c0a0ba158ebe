//! The aws-chunked decoder: wire bytes in, verified data out.
//!
//! A chunk's data is handed to the caller only after the chunk's signature has been checked, so a
//! chunk is held in memory until its end (at most 16 MiB). The body as a whole is valid only when
//! [`ChunkedDecoder::finish`] succeeds: it checks the final chunk, the decoded length and the trailer.

use sha2::{Digest, Sha256};

use crate::chunked::chain::SignatureChain;
use crate::chunked::plan::MAX_CHUNK_SIZE;
use crate::chunked::trailer::{canonical_trailer_hash, validate_trailer_name};
use crate::error::{Error, ErrorKind, Result};
use crate::settings::PayloadMode;

/// The longest chunk-header or trailer line accepted, CRLF included.
pub const MAX_CHUNK_LINE: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Reading `hex[;chunk-signature=sig]\r\n`.
    Header,
    /// Reading chunk data.
    Data,
    /// Reading the `\r\n` after the data.
    DataEnd,
    /// Reading trailer lines until the empty one.
    Trailer,
    /// After the final chunk without trailers: expecting the closing `\r\n`.
    Closing,
    /// The body ended correctly.
    Done,
    /// An error happened; every later call fails.
    Failed,
}

/// Decodes and checks an aws-chunked body fed in pieces of any size.
#[derive(Debug)]
pub struct ChunkedDecoder {
    mode: PayloadMode,
    chain: Option<SignatureChain>,
    declared_length: u64,
    declared_trailers: Vec<String>,
    state: State,
    line: Vec<u8>,
    data: Vec<u8>,
    hasher: Sha256,
    remaining: usize,
    crlf_seen: usize,
    signature: Vec<u8>,
    decoded: u64,
    trailers: Vec<(String, String)>,
    trailer_signature_seen: bool,
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidChunk, message)
}

fn parse_hex_size(text: &[u8]) -> Option<usize> {
    if text.is_empty() || text.len() > 16 {
        return None;
    }
    let mut value: u64 = 0;
    for &b in text {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        };
        value = value * 16 + u64::from(digit);
    }
    usize::try_from(value).ok()
}

impl ChunkedDecoder {
    /// A decoder for a body sent with payload `mode`.
    ///
    /// `chain` starts from the seed signature the verifier computed for the request (required for
    /// the signed forms, ignored for `STREAMING-UNSIGNED-PAYLOAD-TRAILER`). `decoded_length` is the
    /// request's `x-amz-decoded-content-length`, `trailers` the names in its `x-amz-trailer`.
    pub fn new(
        mode: PayloadMode,
        chain: Option<SignatureChain>,
        decoded_length: u64,
        trailers: &[&str],
    ) -> Result<Self> {
        let chain = match mode {
            PayloadMode::StreamingSigned | PayloadMode::StreamingSignedTrailer => {
                Some(chain.ok_or_else(|| {
                    Error::arg(
                        ErrorKind::InvalidOption,
                        "chain",
                        "a signed chunked body needs the signature chain of its request",
                    )
                })?)
            }
            PayloadMode::StreamingUnsignedTrailer => None,
            _ => {
                return Err(Error::arg(
                    ErrorKind::InvalidOption,
                    "payload",
                    "not a streaming payload form",
                ))
            }
        };
        if mode == PayloadMode::StreamingSigned && !trailers.is_empty() {
            return Err(bad(
                "x-amz-trailer is declared but the payload form carries no trailers",
            ));
        }
        let mut declared_trailers = Vec::with_capacity(trailers.len());
        for name in trailers {
            let lower = validate_trailer_name(name.trim())?;
            if declared_trailers.contains(&lower) {
                return Err(bad(format!("trailer {name:?} declared twice")));
            }
            declared_trailers.push(lower);
        }
        Ok(ChunkedDecoder {
            mode,
            chain,
            declared_length: decoded_length,
            declared_trailers,
            state: State::Header,
            line: Vec::with_capacity(256),
            data: Vec::new(),
            hasher: Sha256::new(),
            remaining: 0,
            crlf_seen: 0,
            signature: Vec::with_capacity(144),
            decoded: 0,
            trailers: Vec::new(),
            trailer_signature_seen: false,
        })
    }

    /// A decoder for `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (no trailers) starting from `chain`.
    pub fn signed(chain: SignatureChain, decoded_length: u64) -> Result<Self> {
        Self::new(
            PayloadMode::StreamingSigned,
            Some(chain),
            decoded_length,
            &[],
        )
    }

    /// Feeds the next wire bytes; appends the data of every chunk whose signature checked out to `out`.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        match self.feed_inner(input, out) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.state = State::Failed;
                self.data = Vec::new();
                Err(e)
            }
        }
    }

    /// Ends the body: errors unless the final chunk, the trailers and the closing line were all
    /// received and checked. Returns the verified trailers.
    pub fn finish(&self) -> Result<&[(String, String)]> {
        match self.state {
            State::Done => Ok(&self.trailers),
            State::Failed => Err(bad("the chunked body was rejected")),
            _ => Err(bad(format!(
                "the chunked body is truncated ({} of {} bytes decoded)",
                self.decoded, self.declared_length
            ))),
        }
    }

    /// True once the whole body was received and checked.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Data bytes handed out so far.
    pub fn decoded_bytes(&self) -> u64 {
        self.decoded
    }

    fn feed_inner(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        while !input.is_empty() {
            match self.state {
                State::Failed => return Err(bad("the chunked body was already rejected")),
                State::Done => return Err(bad("bytes after the end of the chunked body")),
                State::Header | State::Trailer | State::Closing => {
                    let newline = input.iter().position(|&b| b == b'\n');
                    let take = newline.map_or(input.len(), |i| i + 1);
                    if self.line.len() + take > MAX_CHUNK_LINE {
                        return Err(bad(format!(
                            "a chunk header or trailer line is longer than {MAX_CHUNK_LINE} bytes"
                        )));
                    }
                    self.line.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if newline.is_some() {
                        let mut line = std::mem::take(&mut self.line);
                        if line.len() < 2 || line[line.len() - 2] != b'\r' {
                            return Err(bad("a chunk line does not end with CRLF"));
                        }
                        line.truncate(line.len() - 2);
                        let result = match self.state {
                            State::Header => self.header_line(&line),
                            State::Trailer => self.trailer_line(&line),
                            _ => self.closing_line(&line),
                        };
                        line.clear();
                        self.line = line;
                        result?;
                    }
                }
                State::Data => {
                    let take = self.remaining.min(input.len());
                    self.hasher.update(&input[..take]);
                    self.data.extend_from_slice(&input[..take]);
                    self.remaining -= take;
                    input = &input[take..];
                    if self.remaining == 0 {
                        self.state = State::DataEnd;
                        self.crlf_seen = 0;
                    }
                }
                State::DataEnd => {
                    let expected = b"\r\n"[self.crlf_seen];
                    if input[0] != expected {
                        return Err(bad("chunk data is not followed by CRLF (wrong size?)"));
                    }
                    input = &input[1..];
                    self.crlf_seen += 1;
                    if self.crlf_seen == 2 {
                        let hash: [u8; 32] = std::mem::replace(&mut self.hasher, Sha256::new())
                            .finalize()
                            .into();
                        self.check_chunk(&hash)?;
                        self.decoded += self.data.len() as u64;
                        out.extend_from_slice(&self.data);
                        self.data.clear();
                        self.state = State::Header;
                    }
                }
            }
        }
        Ok(())
    }

    fn check_chunk(&mut self, hash: &[u8; 32]) -> Result<()> {
        if let Some(chain) = &mut self.chain {
            if !chain.check_chunk(hash, &self.signature) {
                return Err(Error::new(
                    ErrorKind::InvalidChunk,
                    "a chunk signature does not match (chunk altered, reordered or signed with another key)",
                ));
            }
        }
        Ok(())
    }

    fn header_line(&mut self, line: &[u8]) -> Result<()> {
        let (size_text, extension) = match line.iter().position(|&b| b == b';') {
            Some(i) => (&line[..i], Some(&line[i + 1..])),
            None => (line, None),
        };
        let size = parse_hex_size(size_text)
            .ok_or_else(|| bad("a chunk size is not a hexadecimal number"))?;
        if size > MAX_CHUNK_SIZE {
            return Err(bad(format!(
                "a chunk of {size} bytes exceeds the {MAX_CHUNK_SIZE}-byte limit"
            )));
        }
        self.signature.clear();
        match (&self.chain, extension) {
            (Some(chain), Some(ext)) => {
                let sig = ext
                    .strip_prefix(b"chunk-signature=")
                    .ok_or_else(|| bad("a chunk header lacks chunk-signature="))?;
                if sig.len() != chain.wire_signature_len() {
                    return Err(bad("a chunk signature has the wrong length"));
                }
                self.signature.extend_from_slice(sig);
            }
            (Some(_), None) => return Err(bad("a chunk header lacks chunk-signature=")),
            (None, Some(_)) => return Err(bad("an unsigned chunk header carries an extension")),
            (None, None) => {}
        }
        let left = self.declared_length - self.decoded;
        if size as u64 > left {
            return Err(bad(format!(
                "the chunks exceed x-amz-decoded-content-length {}",
                self.declared_length
            )));
        }
        if size == 0 {
            if left != 0 {
                return Err(bad(format!(
                    "the body ended after {} bytes, x-amz-decoded-content-length says {}",
                    self.decoded, self.declared_length
                )));
            }
            let empty: [u8; 32] = Sha256::digest(b"").into();
            self.check_chunk(&empty)?;
            self.state = if self.mode == PayloadMode::StreamingSigned {
                State::Closing
            } else {
                State::Trailer
            };
        } else {
            self.data.clear();
            self.data.reserve(size);
            self.remaining = size;
            self.state = State::Data;
        }
        Ok(())
    }

    fn closing_line(&mut self, line: &[u8]) -> Result<()> {
        if !line.is_empty() {
            return Err(bad("unexpected bytes after the final chunk"));
        }
        self.state = State::Done;
        Ok(())
    }

    fn trailer_line(&mut self, line: &[u8]) -> Result<()> {
        if line.is_empty() {
            if let Some(missing) = self
                .declared_trailers
                .iter()
                .find(|d| !self.trailers.iter().any(|(n, _)| n == *d))
            {
                return Err(bad(format!("declared trailer {missing:?} is missing")));
            }
            if self.mode == PayloadMode::StreamingSignedTrailer && !self.trailer_signature_seen {
                return Err(bad("x-amz-trailer-signature is missing"));
            }
            self.state = State::Done;
            return Ok(());
        }
        if self.trailer_signature_seen {
            return Err(bad("a trailer follows x-amz-trailer-signature"));
        }
        let text = std::str::from_utf8(line).map_err(|_| bad("a trailer line is not UTF-8"))?;
        let (name, value) = text
            .split_once(':')
            .ok_or_else(|| bad("a trailer line lacks ':'"))?;
        let lower = name.to_ascii_lowercase();
        if lower == "x-amz-trailer-signature" && self.mode == PayloadMode::StreamingSignedTrailer {
            let pairs: Vec<(&str, &str)> = self
                .trailers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let hash = canonical_trailer_hash(&pairs);
            let ok = match &mut self.chain {
                Some(chain) => {
                    value.len() == chain.wire_signature_len()
                        && chain.check_trailer(&hash, value.as_bytes())
                }
                None => false,
            };
            if !ok {
                return Err(bad("the trailer signature does not match"));
            }
            self.trailer_signature_seen = true;
            return Ok(());
        }
        if !self.declared_trailers.contains(&lower) {
            return Err(bad(format!(
                "trailer {name:?} was not declared in x-amz-trailer"
            )));
        }
        if self.trailers.iter().any(|(n, _)| *n == lower) {
            return Err(bad(format!("trailer {name:?} sent twice")));
        }
        if value.bytes().any(|b| b == 0) {
            return Err(bad("a trailer value contains NUL"));
        }
        // Hand out what the trailer signature covers (the trimmed value), not the raw spelling.
        self.trailers
            .push((lower, crate::canonical::trim_value(value).into_owned()));
        Ok(())
    }
}
