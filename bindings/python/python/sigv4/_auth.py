"""What the requests and httpx integrations share: which headers signing adds to a request."""

from __future__ import annotations

from typing import Any, Iterable, Tuple

from ._native import Signer, SignedRequest

# The only headers the integrations write back: the ones SigV4 itself needs.
SIGV4_HEADERS = frozenset(
    {"host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization"}
)


def added_headers(signed: SignedRequest) -> Iterable[Tuple[str, str]]:
    """The headers to set on the outgoing request (Host, X-Amz-Date, token, content hash, Authorization)."""
    return [(name, value) for name, value in signed.header_list if name.lower() in SIGV4_HEADERS]


def make_signer(credentials: Any, region: str, service: str, options: dict) -> Signer:
    """A signer, or a clear error when arguments are missing."""
    return Signer(credentials, region, service, **options)
