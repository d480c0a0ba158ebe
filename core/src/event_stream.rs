//! Event-stream messages (`application/vnd.amazon.eventstream`) and their signing, for streaming
//! APIs such as Transcribe streaming.
//!
//! A message is `total length (u32) | headers length (u32) | prelude CRC32 | headers | payload |
//! message CRC32`, big-endian, CRC32 as in zlib. A signed message wraps an already-encoded message
//! as the payload of an envelope with two headers: `:date` (timestamp) and `:chunk-signature` (the
//! 32 signature bytes). The signature chains: its string to sign is
//! `AWS4-HMAC-SHA256-PAYLOAD\n<amz-date>\n<scope>\n<previous signature>\n<sha256(encoded :date header)>\n<sha256(payload)>`,
//! the first previous signature being the signature of the HTTP request that opened the stream.

use std::fmt;

use crate::chunked::SignatureChain;
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::sha256;
use crate::key_cache::KeyCache;
use crate::time::SigningTime;

/// The largest message this codec writes or reads (AWS's limit is 16 MiB + headers).
pub const MAX_MESSAGE_LEN: usize = 24 * 1024 * 1024;

/// A header value of an event-stream message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderValue {
    /// Type 0/1.
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Int16(i16),
    /// Type 4.
    Int32(i32),
    /// Type 5.
    Int64(i64),
    /// Type 6: up to 65535 bytes.
    Bytes(Vec<u8>),
    /// Type 7: up to 65535 bytes of UTF-8.
    String(String),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

/// One header: a name (1..=255 bytes) and a value.
pub type Header = (String, HeaderValue);

fn too_long(what: &str) -> Error {
    Error::arg(
        ErrorKind::InvalidOption,
        "event",
        format!("event-stream {what} is too long"),
    )
}

/// Appends the encoding of `headers` (name length, name, type, value) to `out`.
pub fn encode_headers(headers: &[(&str, HeaderValue)], out: &mut Vec<u8>) -> Result<()> {
    for (name, value) in headers {
        if name.is_empty() || name.len() > 255 {
            return Err(Error::arg(
                ErrorKind::InvalidHeaderName,
                "event header name",
                "event-stream header names are 1..=255 bytes",
            ));
        }
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        match value {
            HeaderValue::Bool(true) => out.push(0),
            HeaderValue::Bool(false) => out.push(1),
            HeaderValue::Byte(v) => {
                out.push(2);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Int16(v) => {
                out.push(3);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Int32(v) => {
                out.push(4);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Int64(v) => {
                out.push(5);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Bytes(v) => {
                let len = u16::try_from(v.len()).map_err(|_| too_long("header value"))?;
                out.push(6);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(v);
            }
            HeaderValue::String(v) => {
                let len = u16::try_from(v.len()).map_err(|_| too_long("header value"))?;
                out.push(7);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(v.as_bytes());
            }
            HeaderValue::Timestamp(v) => {
                out.push(8);
                out.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Uuid(v) => {
                out.push(9);
                out.extend_from_slice(v);
            }
        }
    }
    Ok(())
}

/// Encodes a complete message: prelude, prelude CRC, headers, payload, message CRC.
pub fn encode_message(headers: &[(&str, HeaderValue)], payload: &[u8]) -> Result<Vec<u8>> {
    let mut encoded_headers = Vec::new();
    encode_headers(headers, &mut encoded_headers)?;
    let total = 12 + encoded_headers.len() + payload.len() + 4;
    if total > MAX_MESSAGE_LEN {
        return Err(too_long("message"));
    }
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(encoded_headers.len() as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&encoded_headers);
    out.extend_from_slice(payload);
    let message_crc = crc32fast::hash(&out);
    out.extend_from_slice(&message_crc.to_be_bytes());
    Ok(out)
}

fn malformed(why: &str) -> Error {
    Error::arg(
        ErrorKind::InvalidChunk,
        "message",
        format!("malformed event-stream message: {why}"),
    )
}

fn take<'a>(buf: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if buf.len() < n {
        return Err(malformed("a header is cut short"));
    }
    let (head, rest) = buf.split_at(n);
    *buf = rest;
    Ok(head)
}

fn be<const N: usize>(buf: &mut &[u8]) -> Result<[u8; N]> {
    let mut out = [0u8; N];
    out.copy_from_slice(take(buf, N)?);
    Ok(out)
}

/// Decodes one complete message, checking both CRCs: returns its headers and payload.
pub fn decode_message(message: &[u8]) -> Result<(Vec<Header>, Vec<u8>)> {
    if message.len() < 16 {
        return Err(malformed("shorter than the 16-byte minimum"));
    }
    let total = u32::from_be_bytes([message[0], message[1], message[2], message[3]]) as usize;
    let headers_len = u32::from_be_bytes([message[4], message[5], message[6], message[7]]) as usize;
    let prelude_crc = u32::from_be_bytes([message[8], message[9], message[10], message[11]]);
    if total != message.len() {
        return Err(malformed(
            "the length in the prelude differs from the message",
        ));
    }
    if crc32fast::hash(&message[..8]) != prelude_crc {
        return Err(malformed("prelude CRC mismatch"));
    }
    let crc_at = total - 4;
    let message_crc = u32::from_be_bytes([
        message[crc_at],
        message[crc_at + 1],
        message[crc_at + 2],
        message[crc_at + 3],
    ]);
    if crc32fast::hash(&message[..crc_at]) != message_crc {
        return Err(malformed("message CRC mismatch"));
    }
    if 12 + headers_len > crc_at {
        return Err(malformed("headers longer than the message"));
    }
    let mut buf = &message[12..12 + headers_len];
    let mut headers = Vec::new();
    while !buf.is_empty() {
        let name_len = be::<1>(&mut buf)?[0] as usize;
        let name = std::str::from_utf8(take(&mut buf, name_len)?)
            .map_err(|_| malformed("a header name is not UTF-8"))?
            .to_owned();
        let value = match be::<1>(&mut buf)?[0] {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(i8::from_be_bytes(be::<1>(&mut buf)?)),
            3 => HeaderValue::Int16(i16::from_be_bytes(be::<2>(&mut buf)?)),
            4 => HeaderValue::Int32(i32::from_be_bytes(be::<4>(&mut buf)?)),
            5 => HeaderValue::Int64(i64::from_be_bytes(be::<8>(&mut buf)?)),
            6 => {
                let len = u16::from_be_bytes(be::<2>(&mut buf)?) as usize;
                HeaderValue::Bytes(take(&mut buf, len)?.to_vec())
            }
            7 => {
                let len = u16::from_be_bytes(be::<2>(&mut buf)?) as usize;
                let text = std::str::from_utf8(take(&mut buf, len)?)
                    .map_err(|_| malformed("a string header is not UTF-8"))?;
                HeaderValue::String(text.to_owned())
            }
            8 => HeaderValue::Timestamp(i64::from_be_bytes(be::<8>(&mut buf)?)),
            9 => HeaderValue::Uuid(be::<16>(&mut buf)?),
            _ => return Err(malformed("unknown header type")),
        };
        headers.push((name, value));
    }
    Ok((headers, message[12 + headers_len..crc_at].to_vec()))
}

/// A signed event: the envelope to send and its signature (the next message's previous signature).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedEvent {
    /// The encoded envelope message (`:chunk-signature`, `:date`, payload).
    pub message: Vec<u8>,
    /// The signature as 64 lowercase hex digits.
    pub signature: String,
    /// The string that was signed (for inspection).
    pub string_to_sign: String,
}

/// Signs event-stream messages one after another, each over the previous signature.
///
/// Built from the credentials and scope of the HTTP request that opened the stream and that
/// request's signature (the seed). Each message is signed at its own time (the signing key is
/// re-derived, from a small cache, when the date changes).
pub struct EventStreamSigner {
    credentials: Credentials,
    region: String,
    service: String,
    cache: KeyCache,
    chain: SignatureChain,
}

impl EventStreamSigner {
    /// A signer continuing from `seed_signature`, the signature of the request opened at `time`.
    pub fn new(
        credentials: Credentials,
        region: &str,
        service: &str,
        time: SigningTime,
        seed_signature: &str,
    ) -> Result<Self> {
        crate::scope::validate_region(region)?;
        crate::scope::validate_service(service)?;
        let cache = KeyCache::new(2);
        let key = cache.signing_key(&credentials, time, region, service);
        let scope = scope_for(time, region, service);
        let chain = SignatureChain::new(key, &time.amz_date(), &scope, seed_signature)?;
        Ok(EventStreamSigner {
            credentials,
            region: region.to_owned(),
            service: service.to_owned(),
            cache,
            chain,
        })
    }

    /// The last signature (the seed before any message).
    pub fn previous_signature(&self) -> &str {
        self.chain.previous_signature()
    }

    /// Signs `payload` (an encoded event-stream message, or empty for the end-of-stream frame) at
    /// `time`, returning the envelope to send.
    pub fn sign(&mut self, payload: &[u8], time: SigningTime) -> Result<SignedEvent> {
        let millis = time.unix().checked_mul(1000).ok_or_else(|| {
            Error::arg(
                ErrorKind::InvalidTimestamp,
                "timestamp",
                "timestamp out of range",
            )
        })?;
        let mut date_header = Vec::with_capacity(15);
        encode_headers(
            &[(":date", HeaderValue::Timestamp(millis))],
            &mut date_header,
        )?;
        let key = self
            .cache
            .signing_key(&self.credentials, time, &self.region, &self.service);
        self.chain.set_key(key);
        let scope = scope_for(time, &self.region, &self.service);
        let signature = self.chain.sign_event(
            Some((&time.amz_date(), &scope)),
            &sha256(&date_header),
            &sha256(payload),
        )?;
        let string_to_sign = self.chain.last_string_to_sign().to_owned();
        let mut raw = [0u8; 32];
        for (i, pair) in signature.as_bytes().chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).unwrap_or("00");
            raw[i] = u8::from_str_radix(text, 16).unwrap_or(0);
        }
        let message = encode_message(
            &[
                (":chunk-signature", HeaderValue::Bytes(raw.to_vec())),
                (":date", HeaderValue::Timestamp(millis)),
            ],
            payload,
        )?;
        Ok(SignedEvent {
            message,
            signature,
            string_to_sign,
        })
    }
}

fn scope_for(time: SigningTime, region: &str, service: &str) -> String {
    format!("{}/{region}/{service}/aws4_request", time.date_stamp())
}

impl fmt::Debug for EventStreamSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamSigner")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("previous_signature", &self.chain.previous_signature())
            .finish()
    }
}
