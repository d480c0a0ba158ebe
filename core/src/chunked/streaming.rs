//! Signing a streaming upload in one call: the request with its aws-chunked headers filled in, and
//! the encoder that continues its signature chain.

use crate::chunked::chain::SignatureChain;
use crate::chunked::encoder::{ChunkedEncoder, ChunkedSigner};
use crate::chunked::plan::ChunkedPlan;
use crate::error::{Error, ErrorKind, Result};
use crate::output::SignedRequest;
use crate::request::{Body, Request};
use crate::settings::{ContentSha256Header, PayloadMode, SigningAlgorithm};
use crate::sign::{sign, SigningParams};
use crate::signer::Signer;
use crate::time::SigningTime;

/// A signed streaming upload: the request to send (headers complete) and the body encoder.
#[derive(Debug)]
pub struct StreamingUpload {
    /// The signed request; its signature is the seed of the chunk signatures.
    pub request: SignedRequest,
    /// Turns the body into the aws-chunked wire bytes.
    pub encoder: ChunkedEncoder,
}

impl StreamingUpload {
    /// The seed signature (the request's own signature).
    pub fn seed_signature(&self) -> &str {
        self.request.signature()
    }
}

/// Headers the plan sets; a caller's copy is dropped (`Content-Encoding` is merged instead).
fn replaced_by_plan(name: &str) -> bool {
    [
        "content-length",
        "x-amz-decoded-content-length",
        "x-amz-trailer",
    ]
    .iter()
    .any(|n| name.eq_ignore_ascii_case(n))
}

/// Signs `request` for a streaming upload laid out by `plan` and returns it with a ready encoder.
///
/// The request's body must be empty (the body goes through the encoder). Adds
/// `Content-Encoding: aws-chunked` (kept in front of a caller's own encoding, e.g.
/// `aws-chunked,gzip`), `Content-Length`, `x-amz-decoded-content-length`, `x-amz-trailer` when
/// trailers are declared, and `x-amz-content-sha256` with the streaming payload literal.
pub fn sign_streaming(
    signer: &Signer,
    request: &Request<'_>,
    time: SigningTime,
    plan: ChunkedPlan,
) -> Result<StreamingUpload> {
    match request.body {
        Body::Bytes([]) => {}
        _ => {
            return Err(Error::arg(
                ErrorKind::InvalidOption,
                "body",
                "a streaming upload's body goes through the chunk encoder; give an empty body",
            ))
        }
    }
    if signer.settings().algorithm != plan.algorithm() {
        return Err(Error::arg(
            ErrorKind::InvalidOption,
            "algorithm",
            "the plan and the signer use different algorithms",
        ));
    }
    let mut headers: Vec<(String, String)> = Vec::with_capacity(request.headers.len() + 4);
    let mut encoding = String::from("aws-chunked");
    for &(name, value) in request.headers {
        if name.eq_ignore_ascii_case("content-encoding") {
            for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if !part.eq_ignore_ascii_case("aws-chunked") {
                    encoding.push(',');
                    encoding.push_str(part);
                }
            }
        } else if !replaced_by_plan(name) {
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    for (name, value) in plan.headers() {
        if name == "Content-Encoding" {
            headers.push((name, encoding.clone()));
        } else {
            headers.push((name, value));
        }
    }
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let streaming = Request::new(request.method, request.url, &pairs, Body::Bytes(b""))?;

    let mut settings = signer.settings().clone();
    settings.payload = Some(plan.mode());
    settings.content_sha256_header = ContentSha256Header::Include;
    let credentials = signer.credentials();
    let params = SigningParams::new(
        credentials,
        signer.region(),
        signer.service(),
        time,
        &settings,
    )
    .with_cache(signer.key_cache());
    let signed = match plan.algorithm() {
        SigningAlgorithm::Sigv4 => sign(&streaming, &params)?,
        SigningAlgorithm::Sigv4a => crate::sign_v4a::sign_cached(
            signer.ecdsa_key_cache(),
            credentials,
            signer.region(),
            signer.service(),
            &settings,
            &streaming,
            time,
            None,
        )?,
    };
    let chunk_signer = if plan.mode() == PayloadMode::StreamingUnsignedTrailer {
        ChunkedSigner::unsigned()
    } else {
        let chain = match plan.algorithm() {
            SigningAlgorithm::Sigv4 => SignatureChain::new(
                signer.key_cache().signing_key(
                    credentials,
                    time,
                    signer.region(),
                    signer.service(),
                ),
                signed.amz_date(),
                signed.credential_scope(),
                signed.signature(),
            )?,
            SigningAlgorithm::Sigv4a => SignatureChain::new_sigv4a(
                signer.ecdsa_key_cache().key(credentials)?,
                signed.amz_date(),
                signed.credential_scope(),
                signed.signature(),
            )?,
        };
        ChunkedSigner::new(plan.mode(), chain)?
    };
    let encoder = ChunkedEncoder::new(plan, chunk_signer)?;
    Ok(StreamingUpload {
        request: signed,
        encoder,
    })
}
