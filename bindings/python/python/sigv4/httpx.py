"""``SigV4Auth`` for httpx (sync and async): ``httpx.get(url, auth=SigV4Auth(creds, region, service))``.

Needs ``httpx`` (``pip install "libsigv4[httpx]"``).
"""

from __future__ import annotations

from typing import Any, Generator

import httpx as _httpx

from ._auth import NONCE_HEADER, added_headers, new_nonce
from ._native import Signer

__all__ = ["SigV4Auth"]


class SigV4Auth(_httpx.Auth):
    """An httpx auth that signs each request with SigV4, for ``httpx.Client`` and ``httpx.AsyncClient``.

    ``credentials`` is a ``sigv4.Credentials`` or any botocore-like credentials object (read per
    request); ``**options`` are the ``sigv4.Signer`` options. The request target is signed exactly
    as httpx sends it (``request.url.raw_path``, with ``params``); only the headers SigV4 needs are
    added. httpx reads streaming bodies into memory first (``requires_request_body``).
    ``nonce=True`` adds a signed random ``X-Request-Nonce`` header to each request, so identical
    requests in the same second are not refused as replays by a verifier with replay protection.
    """

    requires_request_body = True

    def __init__(
        self, credentials: Any, region: str, service: str, *, nonce: bool = False, **options: Any
    ) -> None:
        self.signer = Signer(credentials, region, service, **options)
        self.nonce = nonce

    def sign_request(self, request: _httpx.Request) -> _httpx.Request:
        """Signs ``request`` in place and returns it."""
        # The request target exactly as it goes on the wire; httpx always carries a Host header.
        target = request.url.raw_path.decode("ascii")
        if self.nonce:
            request.headers[NONCE_HEADER] = new_nonce()
        signed = self.signer.sign(request.method, target, request.headers.multi_items(), request.content)
        for name, value in added_headers(signed):
            request.headers[name] = value
        return request

    def auth_flow(self, request: _httpx.Request) -> Generator[_httpx.Request, _httpx.Response, None]:
        """Signs the request and sends it (httpx runs this for sync and async clients)."""
        yield self.sign_request(request)

    def __repr__(self) -> str:
        return f"SigV4Auth({self.signer!r})"
