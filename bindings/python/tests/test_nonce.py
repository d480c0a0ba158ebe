"""``nonce=True`` on the requests and httpx auths: a signed random ``X-Request-Nonce`` makes identical
requests signed in the same second distinct, so a verifier with a replay cache accepts both — and
without it the second copy is refused with a message saying what happened and what to do."""

import re

import httpx
import pytest
import requests

import sigv4
from sigv4.httpx import SigV4Auth as HttpxAuth
from sigv4.requests import SigV4Auth as RequestsAuth

CREDS = sigv4.Credentials("AKIDNONCE", "nonce-secret-key")
URL = "https://api.example.com/items?x=1"


def verifier():
    return sigv4.Verifier({"AKIDNONCE": "nonce-secret-key"}, region="us-east-1", service="execute-api", replay_cache=True)


def signed_requests(nonce):
    auth = RequestsAuth(CREDS, "us-east-1", "execute-api", nonce=nonce)
    out = []
    for _ in range(2):
        r = auth(requests.Request("GET", URL).prepare())
        out.append(r)
    return out


def signed_httpx(nonce):
    auth = HttpxAuth(CREDS, "us-east-1", "execute-api", nonce=nonce)
    return [auth.sign_request(httpx.Request("GET", URL)) for _ in range(2)]


def _pairs(headers):
    return list(headers.items())


@pytest.mark.parametrize("make", [signed_requests, signed_httpx])
def test_nonce_makes_identical_requests_distinct(make):
    v = verifier()
    a, b = make(True)
    for r in (a, b):
        nonce = r.headers["X-Request-Nonce"]
        assert re.fullmatch(r"[0-9a-f]{32}", nonce)
        assert "x-request-nonce" in r.headers["Authorization"]
    assert a.headers["X-Request-Nonce"] != b.headers["X-Request-Nonce"]
    for r in (a, b):
        ident = v.verify("GET", str(r.url), _pairs(r.headers), b"", now=r.headers["X-Amz-Date"])
        assert ident.access_key_id == "AKIDNONCE"


@pytest.mark.parametrize("make", [signed_requests, signed_httpx])
def test_without_nonce_the_copy_is_refused_with_advice(make):
    v = verifier()
    a, b = make(False)
    assert "X-Request-Nonce" not in a.headers
    if a.headers["X-Amz-Date"] != b.headers["X-Amz-Date"]:
        b = a  # the second crossed a second boundary: resend the first, the same bytes
    v.verify("GET", str(a.url), _pairs(a.headers), b"", now=a.headers["X-Amz-Date"])
    with pytest.raises(sigv4.VerificationError) as e:
        v.verify("GET", str(b.url), _pairs(b.headers), b"", now=b.headers["X-Amz-Date"])
    assert e.value.code == "RequestReplayed"
    assert e.value.status == 403
    assert "already accepted once" in str(e.value)
    assert "X-Request-Nonce" in str(e.value) and "nonce=True" in str(e.value)


def test_the_nonce_header_and_format_come_from_the_core():
    """The header name is the documented one (README, C's SIGV4_FIELD_NONCE, Node's lib/nonce.js), the
    value is the random bytes in lowercase hex, and a wrong number of bytes is refused by name."""
    from sigv4 import _auth, _native

    assert _auth.NONCE_HEADER == "X-Request-Nonce"
    assert _native.NONCE_BYTES == 16
    assert _native.nonce_value(bytes(range(16))) == bytes(range(16)).hex()
    assert re.fullmatch(r"[0-9a-f]{32}", _auth.new_nonce())
    assert _auth.new_nonce() != _auth.new_nonce()
    with pytest.raises(ValueError, match="16 random bytes"):
        _native.nonce_value(b"short")
