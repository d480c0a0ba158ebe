//! What a successful verification returns.

use super::{ReplayClaim, ReplayMark};
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
        covers_body(&self.payload_hash)
    }
}

/// A [`VerifiedIdentity`] borrowed from the request and the verifier, for a binding that builds
/// its own result ([`Verifier::verify_http_with`](super::Verifier::verify_http_with)): the same
/// fields without a heap copy of each string — a server verifying one request per call then
/// allocates nothing for the identity it does not keep.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityView<'a> {
    /// As [`VerifiedIdentity::access_key_id`].
    pub access_key_id: &'a str,
    /// As [`VerifiedIdentity::region`].
    pub region: &'a str,
    /// As [`VerifiedIdentity::service`].
    pub service: &'a str,
    /// As [`VerifiedIdentity::signed_headers`].
    pub signed_headers: &'a [&'a str],
    /// As [`VerifiedIdentity::signing_time`].
    pub signing_time: SigningTime,
    /// As [`VerifiedIdentity::presigned`].
    pub presigned: bool,
    /// As [`VerifiedIdentity::expires_at`].
    pub expires_at: Option<SigningTime>,
    /// As [`VerifiedIdentity::session_token_used`].
    pub session_token_used: bool,
    /// As [`VerifiedIdentity::payload_hash`].
    pub payload_hash: &'a str,
    /// As [`VerifiedIdentity::algorithm`].
    pub algorithm: SigningAlgorithm,
    /// As [`VerifiedIdentity::region_set`].
    pub region_set: Option<&'a str>,
    /// What [`VerifiedIdentity::replay_claim`] is computed from (see
    /// [`replay_claim`](Self::replay_claim)).
    pub replay_mark: ReplayMark,
}

impl IdentityView<'_> {
    /// The owned identity.
    pub fn to_identity(&self) -> VerifiedIdentity {
        VerifiedIdentity {
            access_key_id: self.access_key_id.to_owned(),
            region: self.region.to_owned(),
            service: self.service.to_owned(),
            signed_headers: self
                .signed_headers
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            signing_time: self.signing_time,
            presigned: self.presigned,
            expires_at: self.expires_at,
            session_token_used: self.session_token_used,
            payload_hash: self.payload_hash.to_owned(),
            algorithm: self.algorithm,
            region_set: self.region_set.map(str::to_owned),
            replay_claim: self.replay_claim(),
        }
    }

    /// As [`VerifiedIdentity::replay_claim`] (computed: one SHA-256 block).
    pub fn replay_claim(&self) -> ReplayClaim {
        self.replay_mark.claim(self.access_key_id)
    }

    /// As [`VerifiedIdentity::payload_signed`].
    pub fn payload_signed(&self) -> bool {
        covers_body(self.payload_hash)
    }
}

/// Whether a signed payload line covers the body (neither `UNSIGNED-PAYLOAD` nor
/// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
fn covers_body(payload_hash: &str) -> bool {
    !PayloadSentinel::find(payload_hash).is_some_and(|p| p.leaves_body_unsigned())
}
