//! The two places a SigV4 signature travels, and the parts both share once parsed.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind};
use crate::settings::SigningAlgorithm;

/// Authorization header, or presigned URL query parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    Header,
    Query,
}

impl Form {
    /// A structural error in this form: `AuthorizationHeaderMalformed` for the header,
    /// `AuthorizationQueryParametersError` for a presigned URL.
    #[cold]
    pub(crate) fn malformed(self, message: impl Into<String>) -> Error {
        let kind = match self {
            Form::Header => ErrorKind::AuthorizationHeaderMalformed,
            Form::Query => ErrorKind::AuthorizationQueryParametersError,
        };
        Error::new(kind, message)
    }
}

/// The authentication values of a request, whichever form carried them.
#[derive(Debug)]
pub(crate) struct AuthParts<'a> {
    pub(crate) form: Form,
    /// SigV4 or SigV4a, from the algorithm name.
    pub(crate) algorithm: SigningAlgorithm,
    /// SigV4a only: the region set (`X-Amz-Region-Set` header or query parameter).
    pub(crate) region_set: Option<Cow<'a, str>>,
    pub(crate) credential: Cow<'a, str>,
    pub(crate) signed_headers: Cow<'a, str>,
    pub(crate) signature: Cow<'a, str>,
    pub(crate) amz_date: Cow<'a, str>,
    /// Presigned only: the validated `X-Amz-Expires`.
    pub(crate) expires: Option<u32>,
    /// The session token sent, if any.
    pub(crate) token: Option<Cow<'a, str>>,
}
