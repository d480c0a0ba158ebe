"""``SigV4Auth`` for requests: ``requests.get(url, auth=SigV4Auth(creds, "us-east-1", "execute-api"))``.

Needs ``requests`` (``pip install "libsigv4[requests]"``).
"""

from __future__ import annotations

from typing import Any

import requests as _requests
from requests.auth import AuthBase

from ._auth import NONCE_HEADER, added_headers, new_nonce
from ._errors import InvalidArgumentError
from ._native import Signer

__all__ = ["SigV4Auth"]


class SigV4Auth(AuthBase):
    """A requests auth that signs each prepared request with SigV4 (Authorization header).

    ``credentials`` is a ``sigv4.Credentials`` or any botocore-like credentials object (read per
    request, so refreshable credentials rotate); ``**options`` are the ``sigv4.Signer`` options.
    The prepared URL is signed exactly as requests will send it (``params`` included); only the
    headers SigV4 needs are added (Host, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256
    where on, Authorization). Bodies: bytes, str (sent as UTF-8), or a seekable file (hashed in
    pieces); generator bodies cannot be hashed without consuming them, so they need
    ``payload="unsigned"`` (where the service accepts it) or ``payload_hash=`` per request.
    ``nonce=True`` adds a signed random ``X-Request-Nonce`` header to each request, so identical
    requests in the same second are not refused as replays by a verifier with replay protection.
    """

    def __init__(
        self, credentials: Any, region: str, service: str, *, nonce: bool = False, **options: Any
    ) -> None:
        self.signer = Signer(credentials, region, service, **options)
        self.nonce = nonce

    def __call__(self, r: _requests.PreparedRequest) -> _requests.PreparedRequest:
        body: Any = r.body  # requests types it loosely (bytes, str, file, iterable)
        if isinstance(body, str):
            body = body.encode("utf-8")
            r.body = body
        elif body is not None and not isinstance(body, (bytes, bytearray, memoryview)):
            seekable = getattr(body, "seekable", None)
            if not (hasattr(body, "read") and callable(seekable) and seekable()):
                raise InvalidArgumentError(
                    "this request body is a stream that cannot be re-read, so it cannot be hashed before "
                    "it is sent: pass bytes or a seekable file, or sign with payload=\"unsigned\"",
                    "InvalidOption",
                    "body",
                )
        if self.nonce:
            r.headers[NONCE_HEADER] = new_nonce()
        signed = self.signer.sign(r.method or "GET", r.url or "", r.headers.items(), body)
        for name, value in added_headers(signed):
            r.headers[name] = value
        return r

    def __repr__(self) -> str:
        return f"SigV4Auth({self.signer!r})"
