"""libsigv4 for Python: AWS Signature Version 4 signing, exact and fast (a Rust core).

Quick start::

    import sigv4
    signer = sigv4.Signer(sigv4.Credentials.from_env(), "us-east-1", "execute-api")
    signed = signer.sign("POST", "https://abc123.execute-api.us-east-1.amazonaws.com/v1/jobs",
                         headers={"Content-Type": "application/json"}, body=b"{}")
    signed.url, signed.headers      # everything to send

    url = signer.presign("GET", "https://bucket.s3.amazonaws.com/key", expires_in=3600).url

HTTP clients: ``sigv4.requests.SigV4Auth`` (requests) and ``sigv4.httpx.SigV4Auth`` (httpx, sync and
async); import those submodules explicitly, they need the optional dependency.

Servers: ``sigv4.Verifier`` checks incoming signatures; ``sigv4.wsgi.SigV4Middleware`` and
``sigv4.asgi.SigV4Middleware`` put it in front of an application. Streaming S3 uploads:
``signer.sign_streaming(...)``; SigV4a: ``sigv4.Signer(..., algorithm="sigv4a")``.
"""

from __future__ import annotations

from ._credentials import Credentials
from ._errors import (
    Error,
    InvalidArgumentError,
    InvalidCredentialsError,
    InvalidExpiryError,
    InvalidHeaderError,
    InvalidOptionError,
    InvalidPayloadHashError,
    InvalidRequestError,
    InvalidScopeError,
    InvalidTimestampError,
    StreamingError,
    VerificationError,
)
from ._native import (
    EMPTY_SHA256,
    PayloadHasher,
    SignedRequest,
    Signer,
    StreamingUpload,
    VerifiedIdentity,
    TrustedProxies,
    VerifiedStream,
    Verifier,
    uri_encode,
)
from ._native import __version__ as __version__
from ._oneshot import sign_v4
from ._streaming_middleware import ChunkedReader

__all__ = [
    "Credentials",
    "Signer",
    "SignedRequest",
    "PayloadHasher",
    "Verifier",
    "VerifiedIdentity",
    "VerifiedStream",
    "TrustedProxies",
    "ChunkedReader",
    "StreamingUpload",
    "sign_v4",
    "uri_encode",
    "EMPTY_SHA256",
    "Error",
    "InvalidArgumentError",
    "InvalidCredentialsError",
    "InvalidScopeError",
    "InvalidRequestError",
    "InvalidHeaderError",
    "InvalidExpiryError",
    "InvalidPayloadHashError",
    "InvalidTimestampError",
    "InvalidOptionError",
    "VerificationError",
    "StreamingError",
    "__version__",
]
