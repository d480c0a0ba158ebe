"""The AWS SigV4 test suite (tests/vectors/aws-signing-test-suite/v4), both forms, through the Python API.

Expected values are the suite's files: canonical request, string to sign, signature, and the signed
request byte for byte (caller headers rendered as given, folded lines kept; added headers as name:value).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import List, Tuple

import pytest

import sigv4
from conftest import VECTORS

SUITE = VECTORS / "aws-signing-test-suite" / "v4"
CASES = sorted(p.name for p in SUITE.iterdir() if p.is_dir())


@dataclass
class RawRequest:
    method: str
    target: str
    headers: List[Tuple[str, str]] = field(default_factory=list)
    raw_lines: List[str] = field(default_factory=list)
    body: bytes = b""


def parse_request(text: str) -> RawRequest:
    head, sep, body = text.partition("\n\n")
    if not sep:
        head = text.rstrip("\n")
    lines = head.split("\n")
    method, rest = lines[0].split(" ", 1)
    target = rest.rsplit(" ", 1)[0]
    raw = RawRequest(method, target, body=body.encode("utf-8"))
    for line in lines[1:]:
        if line.startswith((" ", "\t")):
            # obs-fold: the continuation joins the previous value with a space.
            name, value = raw.headers[-1]
            raw.headers[-1] = (name, value + " " + line)
            raw.raw_lines[-1] += "\n" + line
        else:
            name, value = line.split(":", 1)
            raw.headers.append((name, value))
            raw.raw_lines.append(line)
    return raw


def render(raw: RawRequest, url: str, headers: List[Tuple[str, str]]) -> str:
    out = [f"{raw.method} {url} HTTP/1.1"]
    for i, (name, value) in enumerate(headers):
        if i < len(raw.headers):
            assert (name, value) == raw.headers[i]
            out.append(raw.raw_lines[i])
        else:
            out.append(f"{name}:{value}")
    return "\n".join(out) + "\n\n" + raw.body.decode("utf-8")


def signer_for(ctx: dict) -> sigv4.Signer:
    c = ctx["credentials"]
    creds = sigv4.Credentials(c["access_key_id"], c["secret_access_key"], c.get("token"))
    options = {}
    if ctx.get("normalize") is False:
        options["normalize_path"] = False
    if ctx.get("sign_body") is True:
        options["content_sha256_header"] = True
    if ctx.get("omit_session_token") is True:
        options["sign_session_token"] = False
    return sigv4.Signer(creds, ctx["region"], ctx["service"], **options)


def test_suite_has_38_cases() -> None:
    assert len(CASES) == 38


@pytest.mark.parametrize("form", ["header", "query"])
@pytest.mark.parametrize("case", CASES)
def test_vector(case: str, form: str) -> None:
    d = SUITE / case
    ctx = json.loads((d / "context.json").read_text())
    raw = parse_request((d / "request.txt").read_text())
    signer = signer_for(ctx)
    if form == "header":
        signed = signer.sign(raw.method, raw.target, raw.headers, raw.body, timestamp=ctx["timestamp"])
    else:
        signed = signer.presign(
            raw.method, raw.target, ctx["expiration_in_seconds"], raw.headers, raw.body, timestamp=ctx["timestamp"]
        )
    expect = lambda name: (d / f"{form}-{name}").read_text()  # noqa: E731
    assert signed.canonical_request == expect("canonical-request.txt")
    assert signed.string_to_sign == expect("string-to-sign.txt")
    assert signed.signature == expect("signature.txt").strip()
    assert render(raw, signed.url, signed.header_list) == expect("signed-request.txt")
    if form == "header":
        assert signed.headers["Authorization"] == signed.authorization
    else:
        assert signed.authorization is None


def test_s3_documented_examples() -> None:
    doc = json.loads((VECTORS / "s3-examples.json").read_text())
    c = doc["credentials"]
    signer = sigv4.Signer(sigv4.Credentials(c["access_key_id"], c["secret_access_key"]), doc["region"], doc["service"])
    examples = doc["header_signed"]
    assert examples
    for ex in examples:
        signed = signer.sign(
            ex["method"], ex["url"], [tuple(p) for p in ex["headers"]], ex["body"], timestamp=doc["timestamp"]
        )
        assert signed.signed_headers == ex["signed_headers"], ex["name"]
        assert signed.signature == ex["signature"], ex["name"]
