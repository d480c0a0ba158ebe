//! The literals that stand for the body in a canonical request, in one table.
//!
//! Signing picks one for a payload mode, the exact (aws4) signer and the verifier recognise them
//! in `x-amz-content-sha256`, identities report whether the body was covered: each used to carry
//! its own list (five in all, not all alike).

use crate::settings::{PayloadMode, SigningAlgorithm};

/// One payload literal: the text, the mode it stands for, and the algorithm it belongs to (`None`:
/// both SigV4 and SigV4a use it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PayloadSentinel {
    /// The literal, e.g. `UNSIGNED-PAYLOAD`.
    pub text: &'static str,
    /// The payload mode it stands for.
    pub mode: PayloadMode,
    /// The only algorithm it is used with, or `None` for both.
    pub algorithm: Option<SigningAlgorithm>,
}

const fn entry(
    text: &'static str,
    mode: PayloadMode,
    algorithm: Option<SigningAlgorithm>,
) -> PayloadSentinel {
    PayloadSentinel {
        text,
        mode,
        algorithm,
    }
}

/// Every literal a request may sign in place of the body hash (S3's documented forms).
pub const PAYLOAD_SENTINELS: [PayloadSentinel; 6] = [
    entry("UNSIGNED-PAYLOAD", PayloadMode::Unsigned, None),
    entry(
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        PayloadMode::StreamingUnsignedTrailer,
        None,
    ),
    entry(
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        PayloadMode::StreamingSigned,
        Some(SigningAlgorithm::Sigv4),
    ),
    entry(
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        PayloadMode::StreamingSignedTrailer,
        Some(SigningAlgorithm::Sigv4),
    ),
    entry(
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
        PayloadMode::StreamingSigned,
        Some(SigningAlgorithm::Sigv4a),
    ),
    entry(
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
        PayloadMode::StreamingSignedTrailer,
        Some(SigningAlgorithm::Sigv4a),
    ),
];

impl PayloadMode {
    /// The literal that replaces the body hash, for every mode but [`PayloadMode::Signed`]
    /// (SigV4's; see [`SigningAlgorithm::payload_sentinel`] for SigV4a).
    pub fn sentinel(self) -> Option<&'static str> {
        PayloadSentinel::for_mode(SigningAlgorithm::Sigv4, self)
    }
}

impl SigningAlgorithm {
    /// The payload literal for `mode` under this algorithm (`None` for [`PayloadMode::Signed`]):
    /// SigV4a streaming uploads use `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]`.
    pub fn payload_sentinel(self, mode: PayloadMode) -> Option<&'static str> {
        PayloadSentinel::for_mode(self, mode)
    }
}

/// `UNSIGNED-PAYLOAD`.
pub(crate) const UNSIGNED_PAYLOAD: &str = PAYLOAD_SENTINELS[0].text;

impl PayloadSentinel {
    /// The entry for `text`, if it is a payload literal.
    pub fn find(text: &str) -> Option<PayloadSentinel> {
        PAYLOAD_SENTINELS.iter().copied().find(|s| s.text == text)
    }

    /// The literal for `mode` under `algorithm` (`None` for [`PayloadMode::Signed`]).
    pub fn for_mode(algorithm: SigningAlgorithm, mode: PayloadMode) -> Option<&'static str> {
        PAYLOAD_SENTINELS
            .iter()
            .find(|s| s.mode == mode && (s.algorithm.is_none() || s.algorithm == Some(algorithm)))
            .map(|s| s.text)
    }

    /// True when the body is not covered by the signature (`UNSIGNED-PAYLOAD`,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
    pub fn leaves_body_unsigned(self) -> bool {
        matches!(
            self.mode,
            PayloadMode::Unsigned | PayloadMode::StreamingUnsignedTrailer
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_has_its_documented_literal() {
        use PayloadMode::*;
        use SigningAlgorithm::*;
        let want = [
            (Sigv4, Signed, None),
            (Sigv4, Unsigned, Some("UNSIGNED-PAYLOAD")),
            (
                Sigv4,
                StreamingSigned,
                Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
            ),
            (
                Sigv4,
                StreamingSignedTrailer,
                Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
            ),
            (
                Sigv4,
                StreamingUnsignedTrailer,
                Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
            ),
            (Sigv4a, Unsigned, Some("UNSIGNED-PAYLOAD")),
            (
                Sigv4a,
                StreamingSigned,
                Some("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"),
            ),
            (
                Sigv4a,
                StreamingSignedTrailer,
                Some("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"),
            ),
            (
                Sigv4a,
                StreamingUnsignedTrailer,
                Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
            ),
        ];
        for (algorithm, mode, text) in want {
            assert_eq!(PayloadSentinel::for_mode(algorithm, mode), text, "{mode:?}");
        }
        assert!(PayloadSentinel::find("UNSIGNED-PAYLOAD")
            .unwrap()
            .leaves_body_unsigned());
        assert!(!PayloadSentinel::find("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
            .unwrap()
            .leaves_body_unsigned());
        assert_eq!(PayloadSentinel::find("unsigned-payload"), None);
    }
}
