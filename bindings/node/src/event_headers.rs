//! `encodeEventHeaders`: event-stream header encoding by the core, for `SignatureV4.signMessage`
//! of `libsigv4/aws-sdk` (the bytes whose hash an event signature covers).

use napi::bindgen_prelude::{Buffer, Env};
use sigv4::{ErrorKind, HeaderValue};

use crate::error::{bad_input, from_core};

fn uuid(env: &Env, text: &str) -> napi::Result<[u8; 16]> {
    let hex: Vec<u8> = text.bytes().filter(|&b| b != b'-').collect();
    let dashes = [8, 13, 18, 23]
        .iter()
        .all(|&i| text.as_bytes().get(i) == Some(&b'-'));
    let ok = text.len() == 36
        && dashes
        && hex.len() == 32
        && hex
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
    if !ok {
        return Err(bad_input(
            env.raw(),
            ErrorKind::InvalidOption,
            "uuid",
            &format!("Invalid UUID received: {text}"),
        ));
    }
    let mut out = [0u8; 16];
    for (i, pair) in hex.chunks_exact(2).enumerate() {
        let digit = |b: u8| {
            if b.is_ascii_digit() {
                b - b'0'
            } else {
                b - b'a' + 10
            }
        };
        out[i] = digit(pair[0]) << 4 | digit(pair[1]);
    }
    Ok(out)
}

/// Encodes event-stream headers: header `i` is `names[i]` with type `kinds[i]` (the wire type
/// codes: 0 true, 1 false, 2 byte, 3 short, 4 integer, 5 long, 6 binary, 7 string, 8 timestamp,
/// 9 uuid) and its value in `numbers[i]` (byte, short, integer, timestamp in ms), `blobs[i]`
/// (long: 8 big-endian bytes; binary) or `texts[i]` (string, uuid).
#[napi(js_name = "encodeEventHeaders")]
pub fn encode_event_headers(
    env: Env,
    names: Vec<String>,
    kinds: Vec<u32>,
    numbers: Vec<f64>,
    texts: Vec<String>,
    blobs: Vec<Buffer>,
) -> napi::Result<Buffer> {
    let n = names.len();
    if [kinds.len(), numbers.len(), texts.len(), blobs.len()]
        .iter()
        .any(|&l| l != n)
    {
        return Err(bad_input(
            env.raw(),
            ErrorKind::InvalidOption,
            "headers",
            "event header lists differ in length",
        ));
    }
    let mut headers = Vec::with_capacity(n);
    for i in 0..n {
        let number = numbers[i];
        let value = match kinds[i] {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(number as i64 as i8),
            3 => HeaderValue::Int16(number as i64 as i16),
            4 => HeaderValue::Int32(number as i64 as i32),
            5 => {
                let mut bytes = [0u8; 8];
                let blob: &[u8] = &blobs[i];
                if blob.len() != 8 {
                    return Err(bad_input(
                        env.raw(),
                        ErrorKind::InvalidOption,
                        "long",
                        "Int64 buffers must be exactly 8 bytes",
                    ));
                }
                bytes.copy_from_slice(blob);
                HeaderValue::Int64(i64::from_be_bytes(bytes))
            }
            6 => HeaderValue::Bytes(blobs[i].to_vec()),
            7 => HeaderValue::String(texts[i].clone()),
            8 => HeaderValue::Timestamp(number.round() as i64),
            9 => HeaderValue::Uuid(uuid(&env, &texts[i])?),
            other => {
                return Err(bad_input(
                    env.raw(),
                    ErrorKind::InvalidOption,
                    "type",
                    &format!("unknown event header type code {other}"),
                ))
            }
        };
        headers.push((names[i].as_str(), value));
    }
    let mut out = Vec::new();
    sigv4::encode_headers(&headers, &mut out).map_err(|e| from_core(env.raw(), &e))?;
    Ok(out.into())
}
