"""Every AWS v4 vector verifies through ``sigv4.Verifier`` in both forms at its own timestamp.

The requests are AWS's own signed requests (``header-signed-request.txt``, ``query-signed-request.txt``);
one byte changed in any signed part (method, path, query, each signed header value, body, signature)
must make verification fail.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import List, Tuple

import pytest

import sigv4
from conftest import VECTORS
from test_vectors import RawRequest, parse_request

SUITE = VECTORS / "aws-signing-test-suite" / "v4"
CASES = sorted(p.name for p in SUITE.iterdir() if p.is_dir())
# Issue 23: vectors whose raw target the verifier refuses (the application would receive another
# target than the one signed), with the code expected and the normalised path AWS signed.
REFUSED = json.loads((VECTORS.parent / "verify-refused-vectors.json").read_text())


def context(name: str) -> dict:
    return json.loads((SUITE / name / "context.json").read_text())


def verifier_for(ctx: dict) -> sigv4.Verifier:
    c = ctx["credentials"]
    creds = sigv4.Credentials(c["access_key_id"], c["secret_access_key"], c.get("token"))
    options = {}
    if ctx.get("normalize") is False:
        options["normalize_path"] = False
    if ctx.get("omit_session_token") is True:
        options["sign_session_token"] = False
    return sigv4.Verifier(creds, region=ctx["region"], service=ctx["service"], **options)


def now_of(ctx: dict) -> datetime:
    return datetime.fromisoformat(ctx["timestamp"].replace("Z", "+00:00"))


def wire(name: str, form: str) -> RawRequest:
    return parse_request((SUITE / name / f"{form}-signed-request.txt").read_text())


def sendable(name: str, form: str) -> RawRequest:
    """The vector's request, with the normalised path when its raw target is refused."""
    raw = wire(name, form)
    instead = REFUSED.get(name, {}).get("send_instead")
    if instead is not None:
        _, sep, query = raw.target.partition("?")
        raw = RawRequest(raw.method, instead + sep + query, list(raw.headers), body=raw.body)
    return raw


def bump(c: str) -> str:
    """A different character of the same kind (hex stays hex, so formats stay valid)."""
    return {"z": "a", "Z": "A", "9": "0", "f": "0"}.get(c, chr(ord(c) + 1))


def mutate(text: str) -> str:
    """``text`` with its last alphanumeric character changed (or ``x`` appended when there is none)."""
    for i in range(len(text) - 1, -1, -1):
        if text[i].isalnum():
            return text[:i] + bump(text[i]) + text[i + 1 :]
    return text + "x"


def tampered(raw: RawRequest) -> List[Tuple[str, RawRequest]]:
    """One copy per signed part, each with one byte changed."""
    out = []

    def copy(**changes) -> RawRequest:
        return RawRequest(changes.get("method", raw.method), changes.get("target", raw.target),
                          changes.get("headers", list(raw.headers)), body=changes.get("body", raw.body))

    out.append(("method", copy(method=mutate(raw.method))))
    path, sep, query = raw.target.partition("?")
    # A dot segment is normalised away (not signed): change what is left instead.
    changed_path = path + "x" if path.rsplit("/", 1)[-1] in (".", "..") else mutate(path)
    out.append(("path", copy(target=changed_path + sep + query)))
    auth = dict((n.lower(), v) for n, v in raw.headers).get("authorization")
    if auth is not None:
        signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
        signature_at = auth.index("Signature=") + len("Signature=")
        for i, (n, v) in enumerate(raw.headers):
            if n.lower() == "authorization":
                headers = list(raw.headers)
                headers[i] = (n, v[:signature_at] + bump(v[signature_at]) + v[signature_at + 1 :])
                out.append(("signature", copy(headers=headers)))
            elif n.lower() in signed:
                headers = list(raw.headers)
                headers[i] = (n, mutate(v))
                out.append((f"header {n}", copy(headers=headers)))
        if query:
            out.append(("query", copy(target=path + "?" + mutate(query))))
    else:
        for i, (n, v) in enumerate(raw.headers):
            headers = list(raw.headers)
            headers[i] = (n, mutate(v))
            out.append((f"header {n}", copy(headers=headers)))
        params = query.split("&")
        for i, param in enumerate(params):
            changed = list(params)
            changed[i] = mutate(param)
            out.append((f"query {param.split('=')[0]}", copy(target=path + "?" + "&".join(changed))))
    if raw.body:
        body = bytearray(raw.body)
        body[-1] = ord(bump(chr(body[-1])))
        out.append(("body", copy(body=bytes(body))))
    return out


def test_suite_has_38_cases() -> None:
    assert len(CASES) == 38


@pytest.mark.parametrize("form", ["header", "query"])
@pytest.mark.parametrize("name", CASES)
def test_vector_verifies(name: str, form: str) -> None:
    ctx = context(name)
    raw = wire(name, form)
    refused = REFUSED.get(name)
    if refused is not None:
        with pytest.raises(sigv4.VerificationError) as info:
            verifier_for(ctx).verify(raw.method, raw.target, raw.headers, raw.body, now=now_of(ctx))
        assert info.value.code == refused["code"]
        assert info.value.is_malformed
        if refused["send_instead"] is None:
            return
        raw = sendable(name, form)
    who = verifier_for(ctx).verify(raw.method, raw.target, raw.headers, raw.body, now=now_of(ctx))
    assert who.access_key_id == ctx["credentials"]["access_key_id"]
    assert (who.region, who.service) == (ctx["region"], ctx["service"])
    assert who.presigned is (form == "query")
    assert who.amz_date == "20150830T123600Z"
    assert who.session_token_used is bool(ctx["credentials"].get("token"))
    if form == "query":
        assert who.expires_at == datetime.fromisoformat("2015-08-30T13:36:00+00:00")
    assert "host" in who.signed_headers


@pytest.mark.parametrize("form", ["header", "query"])
@pytest.mark.parametrize("name", CASES)
def test_one_byte_changed_fails(name: str, form: str) -> None:
    ctx = context(name)
    verifier = verifier_for(ctx)
    cases = tampered(sendable(name, form))
    assert len(cases) >= 4
    for part, raw in cases:
        with pytest.raises(sigv4.VerificationError) as info:
            verifier.verify(raw.method, raw.target, raw.headers, raw.body, now=now_of(ctx))
        assert info.value.code != "", part


def test_mismatch_carries_canonical_request_and_string_to_sign() -> None:
    ctx = context("get-vanilla")
    raw = wire("get-vanilla", "header")
    with pytest.raises(sigv4.VerificationError) as info:
        verifier_for(ctx).verify("POST", raw.target, raw.headers, raw.body, now=now_of(ctx))
    error = info.value
    assert error.code == "SignatureDoesNotMatch" and not error.is_malformed
    expected = (SUITE / "get-vanilla" / "header-canonical-request.txt").read_text()
    assert error.canonical_request == "POST" + expected[len("GET"):]
    assert error.string_to_sign.startswith("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n")
    assert "canonical request" in str(error)
