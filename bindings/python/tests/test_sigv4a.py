"""SigV4a through ``sigv4.Signer(..., algorithm="sigv4a")``: the AWS v4a suite in both forms.

Canonical request, string to sign and the signed request are compared byte for byte with the suite;
signatures are checked with the ``cryptography`` package (an independent ECDSA P-256 implementation)
against each case's ``public-key.json``: ours, and the suite's own over the same string to sign.
"""

from __future__ import annotations

import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

import sigv4
from conftest import VECTORS
from test_vectors import parse_request, render

SUITE = VECTORS / "aws-signing-test-suite" / "v4a"
CASES = sorted(p.name for p in SUITE.iterdir() if p.is_dir())
WITH_OUTPUTS = [c for c in CASES if (SUITE / c / "public-key.json").exists()]


def signer_for(ctx: dict) -> sigv4.Signer:
    c = ctx["credentials"]
    creds = sigv4.Credentials(c["access_key_id"], c["secret_access_key"], c.get("token"))
    options = {"algorithm": "sigv4a"}
    if ctx.get("normalize") is False:
        options["normalize_path"] = False
    if ctx.get("sign_body") is True:
        options["content_sha256_header"] = True
    if ctx.get("omit_session_token") is True:
        options["sign_session_token"] = False
    return sigv4.Signer(creds, ctx["region"], ctx["service"], **options)


def sign(case: str, form: str) -> sigv4.SignedRequest:
    d = SUITE / case
    ctx = json.loads((d / "context.json").read_text())
    raw = parse_request((d / "request.txt").read_text())
    signer = signer_for(ctx)
    if form == "header":
        return signer.sign(raw.method, raw.target, raw.headers, raw.body, timestamp=ctx["timestamp"])
    return signer.presign(raw.method, raw.target, ctx["expiration_in_seconds"], raw.headers, raw.body,
                          timestamp=ctx["timestamp"])


def public_key(case: str) -> ec.EllipticCurvePublicKey:
    key = json.loads((SUITE / case / "public-key.json").read_text())
    numbers = ec.EllipticCurvePublicNumbers(int(key["X"], 16), int(key["Y"], 16), ec.SECP256R1())
    return numbers.public_key()


def verifies(key: ec.EllipticCurvePublicKey, signature_hex: str, message: str) -> bool:
    try:
        key.verify(bytes.fromhex(signature_hex), message.encode(), ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def test_suite_shape() -> None:
    assert (len(CASES), len(WITH_OUTPUTS)) == (40, 38)


@pytest.mark.parametrize("form", ["header", "query"])
@pytest.mark.parametrize("case", WITH_OUTPUTS)
def test_v4a_vector(case: str, form: str) -> None:
    d = SUITE / case
    signed = sign(case, form)
    expect = lambda name: (d / f"{form}-{name}").read_text()  # noqa: E731
    assert signed.canonical_request == expect("canonical-request.txt")
    assert signed.string_to_sign == expect("string-to-sign.txt")
    key = public_key(case)
    assert verifies(key, signed.signature, signed.string_to_sign), "our signature, checked by cryptography"
    theirs = expect("signature.txt").strip()
    assert verifies(key, theirs, expect("string-to-sign.txt")), "the suite's signature over the same text"
    assert not verifies(key, signed.signature, signed.string_to_sign + " "), "a changed text fails"
    raw = parse_request((d / "request.txt").read_text())
    # The suite's signed request carries its own (random) signature: put it in place of ours.
    expected = expect("signed-request.txt")
    in_request = expected.split("Signature=")[1].split("\n")[0].split(" ")[0]
    assert verifies(key, in_request, expect("string-to-sign.txt"))
    rendered = render(raw, signed.url, signed.header_list).replace(signed.signature, in_request)
    assert rendered == expected


@pytest.mark.parametrize("case", sorted(set(CASES) - set(WITH_OUTPUTS)))
def test_request_only_cases_sign(case: str) -> None:
    for form in ("header", "query"):
        signed = sign(case, form)
        decode_dss_signature(bytes.fromhex(signed.signature))  # a well-formed DER ECDSA signature
        assert signed.string_to_sign.startswith("AWS4-ECDSA-P256-SHA256\n")


def test_region_sets_and_errors() -> None:
    creds = sigv4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    for region in ("us-east-1,us-west-2", "*"):
        signer = sigv4.Signer(creds, region, "s3", algorithm="sigv4a")
        signed = signer.sign("GET", "https://bucket.s3.amazonaws.com/key", timestamp="20150830T123600Z")
        assert signed.headers["X-Amz-Region-Set"] == region
        assert signed.authorization.startswith("AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/s3/aws4_request")
        url = signer.presign("GET", "https://bucket.s3.amazonaws.com/key", expires_in=60).url
        assert "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256" in url and "X-Amz-Region-Set=" in url
    with pytest.raises(sigv4.InvalidOptionError) as info:
        sigv4.Signer(creds, "us-east-1", "s3", algorithm="sigv5")
    assert info.value.argument == "algorithm"
    with pytest.raises(sigv4.InvalidOptionError):
        sigv4.Signer(creds, "us-east-1", "s3").sign("GET", "https://b.s3.amazonaws.com/", algorithm="sigv4a")
    with pytest.raises(sigv4.InvalidScopeError):
        sigv4.Signer(creds, "us-east-1,,us-west-2", "s3", algorithm="sigv4a")
    # Per-call options still work with SigV4a.
    signer = sigv4.Signer(creds, "*", "s3", algorithm="sigv4a")
    signed = signer.sign("PUT", "https://b.s3.amazonaws.com/k", body=b"x", payload="unsigned")
    assert signed.payload_hash == "UNSIGNED-PAYLOAD"


def test_sigv4a_streaming_upload() -> None:
    creds = sigv4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    signer = sigv4.Signer(creds, "*", "s3", algorithm="sigv4a")
    up = signer.sign_streaming("PUT", "https://b.s3.amazonaws.com/k", 100_000, chunk_size=65536)
    assert up.headers["x-amz-content-sha256"] == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
    wire = b"".join(up.encode(b"v" * 100_000))
    assert len(wire) == up.content_length == int(up.headers["Content-Length"])
    assert wire.count(b";chunk-signature=") == 3


@pytest.mark.parametrize("case", WITH_OUTPUTS)
def test_verifier_accepts_the_suites_sigv4a_requests_only_when_allowed(case: str) -> None:
    d = SUITE / case
    ctx = json.loads((d / "context.json").read_text())
    raw = parse_request((d / "header-signed-request.txt").read_text())
    c = ctx["credentials"]
    secret = sigv4.Credentials(c["access_key_id"], c["secret_access_key"], c.get("token"))
    options = {"normalize_path": False} if ctx.get("normalize") is False else {}
    if ctx.get("omit_session_token") is True:
        options["sign_session_token"] = False
    allowed = sigv4.Verifier({c["access_key_id"]: secret}, region=ctx["region"], service=ctx["service"],
                             allow_sigv4a=True, **options)
    # Issue 23: a raw target the application would read differently is refused; the normalised
    # path AWS signed still verifies.
    refused = json.loads((VECTORS.parent / "verify-refused-vectors.json").read_text()).get(case)
    if refused is not None:
        with pytest.raises(sigv4.VerificationError) as info:
            allowed.verify(raw.method, raw.target, raw.headers, raw.body, now=ctx["timestamp"])
        assert info.value.code == refused["code"]
        if refused["send_instead"] is None:
            return
        _, sep, query = raw.target.partition("?")
        raw.target = refused["send_instead"] + sep + query
    who = allowed.verify(raw.method, raw.target, raw.headers, raw.body, now=ctx["timestamp"])
    assert who.access_key_id == c["access_key_id"]
    assert who.algorithm == "AWS4-ECDSA-P256-SHA256" and who.region_set == ctx["region"]
    default = sigv4.Verifier({c["access_key_id"]: secret}, region=ctx["region"], service=ctx["service"], **options)
    with pytest.raises(sigv4.VerificationError):
        default.verify(raw.method, raw.target, raw.headers, raw.body, now=ctx["timestamp"])
