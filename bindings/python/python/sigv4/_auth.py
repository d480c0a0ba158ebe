"""What the requests and httpx integrations share: which headers signing adds to a request."""

from __future__ import annotations

import secrets
from typing import Iterable, Tuple

from . import _native
from ._native import SignedRequest


def added_headers(signed: SignedRequest) -> Iterable[Tuple[str, str]]:
    """The headers to set on the outgoing request: exactly the ones signing added (Host when taken
    from the URL, X-Amz-Date, the token, X-Amz-Region-Set for SigV4a, the content hash when signed,
    Authorization), as the core reports them; the caller's own headers are already on the request."""
    return signed.added_headers


#: The header ``nonce=True`` adds (the core's ``NONCE_HEADER``: the same name in every language).
NONCE_HEADER: str = _native.NONCE_HEADER


def new_nonce() -> str:
    """128 random bits as 32 lowercase hex digits (the core's format): signed into the request, it
    makes two identical calls in the same second distinct, so a verifier's replay protection
    accepts both."""
    return _native.nonce_value(secrets.token_bytes(_native.NONCE_BYTES))
