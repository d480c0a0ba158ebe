//! What a successful verification returns.

use super::ReplayClaim;
use crate::sentinel::PayloadSentinel;
use crate::settings::SigningAlgorithm;
use crate::time::SigningTime;

/// Who signed a request that verified, and what the signature covered. Holds no secret.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// The access key id that signed.
    pub access_key_id: String,
    /// The region of the credential scope (one of the verifier's regions). For SigV4a, the first of
    /// the verifier's regions that the region set covers.
    pub region: String,
    /// The service of the credential scope.
    pub service: String,
    /// The signed header names, lowercase and sorted.
    pub signed_headers: Vec<String>,
    /// The signing time (`X-Amz-Date`).
    pub signing_time: SigningTime,
    /// True for a presigned URL (query parameters), false for an `Authorization` header.
    pub presigned: bool,
    /// For a presigned URL: the last instant it is valid (`X-Amz-Date + X-Amz-Expires`).
    pub expires_at: Option<SigningTime>,
    /// True when the request carried the session token of the looked-up credentials.
    pub session_token_used: bool,
    /// The payload line that was signed: a lowercase hex SHA-256 that the body matched, or
    /// `UNSIGNED-PAYLOAD` (the body is not covered by the signature); for a streaming upload the
    /// `STREAMING-*` literal (the chunks are checked by the decoder).
    pub payload_hash: String,
    /// The signature algorithm: SigV4 (`AWS4-HMAC-SHA256`) or SigV4a (`AWS4-ECDSA-P256-SHA256`).
    pub algorithm: SigningAlgorithm,
    /// SigV4a only: the signed region set (`X-Amz-Region-Set`), for example `*` or
    /// `us-east-1,us-west-2`.
    pub region_set: Option<String>,
    /// What a replay store remembers for this request (its key and how long): bindings whose
    /// store is asynchronous (Redis from an event loop) claim it after verifying.
    pub replay_claim: ReplayClaim,
}

impl VerifiedIdentity {
    /// `YYYYMMDDTHHMMSSZ` of the signing time.
    pub fn amz_date(&self) -> String {
        self.signing_time.amz_date()
    }

    /// True when the body is covered by the signature (not `UNSIGNED-PAYLOAD` nor
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
    pub fn payload_signed(&self) -> bool {
        !PayloadSentinel::find(&self.payload_hash).is_some_and(|p| p.leaves_body_unsigned())
    }
}
