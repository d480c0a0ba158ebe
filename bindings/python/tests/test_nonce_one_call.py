"""``nonce=True`` on the one-call ``sign_v4``: a signed random ``X-Request-Nonce`` (returned as ``nonce``
and in ``headers``) makes two identical calls at the same second distinct for a verifier with a replay
cache; the signature with the nonce is botocore's for the same headers (an independent signer)."""

import re

import pytest

import sigv4
from botocore_ref import botocore_sign

AKID, SECRET = "AKIDNONCE1", "one-call-nonce-secret"
WHEN = "20260101T120000Z"


def call(nonce):
    return sigv4.sign_v4(AKID, SECRET, "us-east-1", "execute-api", "GET", "/items", {"x": "1"},
                         {"host": "api.example.com"}, b"", timestamp=WHEN, nonce=nonce)


def verifier():
    return sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api", replay_cache=True)


def test_nonce_signed_and_distinct():
    a, b = call(True), call(True)
    for out in (a, b):
        assert re.fullmatch(r"[0-9a-f]{32}", out["nonce"])
        assert out["headers"]["X-Request-Nonce"] == out["nonce"]
        assert "x-request-nonce" in out["authorization"]
        _, expected = botocore_sign("execute-api", "GET", "https://api.example.com/items", [("x", "1")],
                                    [("host", "api.example.com"), ("X-Request-Nonce", out["nonce"])], b"",
                                    WHEN, AKID, SECRET)
        assert out["signature"] == expected
    assert a["nonce"] != b["nonce"] and a["signature"] != b["signature"]
    v = verifier()
    for out in (a, b):
        v.verify("GET", "https://api.example.com" + out["url"], list(out["headers"].items()), b"", now=WHEN)


def test_without_nonce_the_copy_is_a_replay():
    a, b = call(False), call(False)
    assert "nonce" not in a and "X-Request-Nonce" not in a["headers"]
    assert a["signature"] == b["signature"]
    v = verifier()
    v.verify("GET", "https://api.example.com" + a["url"], list(a["headers"].items()), b"", now=WHEN)
    with pytest.raises(sigv4.VerificationError) as e:
        v.verify("GET", "https://api.example.com" + b["url"], list(b["headers"].items()), b"", now=WHEN)
    assert e.value.code == "RequestReplayed"
    assert "nonce" in str(e.value)


def test_nonce_with_header_pairs_and_bad_value():
    out = sigv4.sign_v4(AKID, SECRET, "us-east-1", "execute-api", "GET", "/", None, [("host", "h.example")],
                        timestamp=WHEN, nonce=True)
    assert out["headers"]["X-Request-Nonce"] == out["nonce"]
    with pytest.raises(TypeError):
        sigv4.sign_v4(AKID, SECRET, "us-east-1", "execute-api", "GET", "/", None, {"host": "h"}, nonce="yes")
