"""The replay key every identity carries, computed here with hashlib from its definition (the hex
SHA-256 of the access key id, a NUL byte and the signature's MAC) — the same whichever entry point
verified the request: a single ``verify`` (the key is computed when asked for), the ASGI reading
(``verify_bodiless_scope``) or ``verify_many``."""

from __future__ import annotations

import hashlib

import sigv4
from conftest import AKID, SECRET

NOW = 1440938160  # 2015-08-30T12:36:00Z
SKEW = 300


def _signed() -> sigv4.SignedRequest:
    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "service")
    return signer.sign("GET", "https://example.amazonaws.com/items?limit=10", timestamp=NOW)


def _expected(signed: sigv4.SignedRequest) -> str:
    signature = signed.headers["Authorization"].rsplit("Signature=", 1)[1]
    return hashlib.sha256(AKID.encode() + b"\0" + bytes.fromhex(signature)).hexdigest()


def test_every_entry_point_gives_the_defined_key_and_ttl() -> None:
    signed = _signed()
    verifier = sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="service", max_skew=SKEW)
    headers = list(signed.headers.items())
    single = verifier.verify("GET", signed.url, headers, now=NOW)
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "raw_path": b"/items",
             "query_string": b"limit=10", "path": "/items", "root_path": "",
             "headers": [(n.lower().encode(), v.encode()) for n, v in headers]}
    from_scope = verifier.verify_bodiless_scope(scope, NOW)
    [batched] = verifier.verify_many([("GET", signed.url, headers)], now=NOW)
    assert isinstance(batched, sigv4.VerifiedIdentity)
    for identity in (single, from_scope, batched):
        assert identity.replay_key == _expected(signed)
        # Kept until the end of the validity window (signing time + skew), in milliseconds.
        assert identity.replay_ttl_ms(NOW) == (SKEW + 1) * 1000


def test_a_different_signature_has_a_different_key() -> None:
    verifier = sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="service", max_skew=SKEW)
    first = _signed()
    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "service")
    other = signer.sign("GET", "https://example.amazonaws.com/items?limit=11", timestamp=NOW)
    a = verifier.verify("GET", first.url, list(first.headers.items()), now=NOW)
    b = verifier.verify("GET", other.url, list(other.headers.items()), now=NOW)
    assert a.replay_key != b.replay_key
    assert b.replay_key == _expected(other)
