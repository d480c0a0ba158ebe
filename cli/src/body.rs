//! Bodies read in pieces: a file's SHA-256 without holding it, stdin spooled to a temporary file
//! (so its length is known up front), and the streams that send them.

use std::io::Read;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use http_body_util::BodyExt;
use sigv4::{ChunkedEncoder, PayloadHasher};
use tokio::io::AsyncReadExt;

use crate::error::{CliError, Result};
use crate::http::OutBody;

/// Read size for files and stdin.
pub const PIECE: usize = 64 * 1024;

/// The lowercase hex SHA-256 of a file, read in pieces.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| CliError::input(format!("cannot open {}: {e}", path.display())))?;
    let mut hasher = PayloadHasher::new();
    let mut buf = vec![0u8; PIECE];
    let mut total = 0u64;
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| CliError::input(format!("cannot read {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hasher.finish_hex(), total))
}

/// A temporary file removed on drop.
pub struct Spool {
    /// Its path.
    pub path: PathBuf,
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Copies stdin to a temporary file (constant memory; the length is needed before sending).
pub fn spool_stdin() -> Result<Spool> {
    let path = std::env::temp_dir().join(format!(
        "sigv4-stdin-{}-{}",
        std::process::id(),
        crate::signing::now_unix()
    ));
    let spool = Spool { path };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&spool.path)
        .map_err(|e| CliError::input(format!("cannot create {}: {e}", spool.path.display())))?;
    std::io::copy(&mut std::io::stdin().lock(), &mut file)
        .map_err(|e| CliError::input(format!("cannot spool stdin: {e}")))?;
    Ok(spool)
}

/// The length of a file.
pub fn file_len(path: &Path) -> Result<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| CliError::input(format!("cannot read {}: {e}", path.display())))
}

/// A file as a stream of frames (one piece in flight at a time).
pub fn file_body(path: &Path) -> Result<OutBody> {
    let std_file = std::fs::File::open(path)
        .map_err(|e| CliError::input(format!("cannot open {}: {e}", path.display())))?;
    let (mut tx, body) = http_body_util::Channel::<Bytes, std::io::Error>::new(2);
    tokio::spawn(async move {
        let mut file = tokio::fs::File::from_std(std_file);
        loop {
            let mut buf = vec![0u8; PIECE];
            match file.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => {
                    buf.truncate(n);
                    if tx.send_data(Bytes::from(buf)).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    tx.abort(e);
                    break;
                }
            }
        }
    });
    Ok(body.boxed())
}

/// A file encoded as aws-chunked by `encoder` (one chunk in flight at a time).
pub fn chunked_file_body(path: &Path, mut encoder: ChunkedEncoder) -> Result<OutBody> {
    let std_file = std::fs::File::open(path)
        .map_err(|e| CliError::input(format!("cannot open {}: {e}", path.display())))?;
    let (mut tx, body) = http_body_util::Channel::<Bytes, std::io::Error>::new(2);
    tokio::spawn(async move {
        let mut file = tokio::fs::File::from_std(std_file);
        let mut buf = vec![0u8; PIECE];
        let to_io = |e: sigv4::Error| std::io::Error::other(e.message().to_owned());
        loop {
            match file.read(&mut buf).await {
                Ok(0) => {
                    let mut out = Vec::new();
                    match encoder.finish_into(&[], &mut out) {
                        Ok(()) => {
                            let _ = tx.send_data(Bytes::from(out)).await;
                        }
                        Err(e) => tx.abort(to_io(e)),
                    }
                    break;
                }
                Ok(n) => {
                    let mut out = Vec::new();
                    if let Err(e) = encoder.write_into(&buf[..n], &mut out) {
                        tx.abort(to_io(e));
                        break;
                    }
                    if !out.is_empty() && tx.send_data(Bytes::from(out)).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    tx.abort(e);
                    break;
                }
            }
        }
    });
    Ok(body.boxed())
}
