//! Streaming uploads in the `aws-chunked` encoding (S3 `PutObject`/`UploadPart` without buffering
//! the body): the plan (sizes known up front), the encoder that signs chunk after chunk, and the
//! decoder a server uses to check them.
//!
//! Wire format (signed forms): `hex(size);chunk-signature=<sig>\r\n<data>\r\n` per chunk, then
//! `0;chunk-signature=<sig>\r\n`, then either `\r\n`, or the trailers (`name:value\r\n` each),
//! `x-amz-trailer-signature:<sig>\r\n` and `\r\n`. Each chunk's string to sign is
//! `AWS4-HMAC-SHA256-PAYLOAD\n<amz-date>\n<scope>\n<previous signature>\n<sha256("")>\n<sha256(data)>`,
//! the trailer's `AWS4-HMAC-SHA256-TRAILER\n<amz-date>\n<scope>\n<previous signature>\n<sha256(trailers)>`.
//! `STREAMING-UNSIGNED-PAYLOAD-TRAILER` drops the signatures: `hex(size)\r\n<data>\r\n`.

mod chain;
mod decoder;
mod encoder;
mod plan;
mod streaming;
mod trailer;

pub use chain::{SignatureChain, SIGV4A_CHUNK_SIGNATURE_LEN};
pub use decoder::{ChunkedDecoder, MAX_CHUNK_LINE};
pub use encoder::{ChunkedEncoder, ChunkedSigner};
pub use plan::{ChunkedPlan, MAX_CHUNK_SIZE};
pub use streaming::{sign_streaming, StreamingUpload};
pub use trailer::checksum_value_len;
pub(crate) use trailer::validate_trailer_name;
