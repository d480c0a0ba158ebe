"""Differential test against botocore: ``sigv4.Signer`` and botocore's four signers (``SigV4Auth``,
``S3SigV4Auth``, ``SigV4QueryAuth``, ``S3SigV4QueryAuth``) on generated hostile requests, compared
canonical request for canonical request and signature for signature.

``COUNT`` requests per pair (2,000 in ``make test``; ``make fuzz-diff`` runs 100,000), seed printed in
pytest's header (``SIGV4_DIFF_SEED`` replays one). Inputs: every printable ASCII character in path
segments, query keys and values, unicode, dot segments and ``//``, escapes in both letter cases,
escaped unreserved characters, repeated and empty keys and values, keys without ``=``, header values
with runs of spaces and tabs, the same header name in different letter case, upper-case hosts and
ports, session tokens, signed / unsigned / precomputed payloads. Our signer gets the URL as a user
has it (raw characters allowed: it signs what clients send); botocore gets what its own serializers
hand it: the wire URL, the query as decoded ``request.params``.

Where botocore departs from AWS's documented rules, the case falls in a class named in
tests/differential/allowlist.json (asserted there) and botocore gets the documented form instead:
``s3-path-verbatim``, ``url-query-verbatim``, ``presign-repeated-query-keys``.
"""

from __future__ import annotations

import hashlib
import random
from typing import List, Tuple
from urllib.parse import quote, unquote_to_bytes

import pytest
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials as BotoCredentials

import sigv4
from diffgen import COUNT, SEED, Case, allowed, count, gen_case

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
AMZ_DATE = "20240229T235959Z"
EXPIRES = 900
PAIRS = {
    "SigV4Auth": (False, False),
    "S3SigV4Auth": (True, False),
    "SigV4QueryAuth": (False, True),
    "S3SigV4QueryAuth": (True, True),
}


def s3_documented_path(path: str) -> str:
    """S3's canonical path: every byte outside the unreserved set encoded once, upper-case hex."""
    return "/".join(quote(unquote_to_bytes(segment), safe="-_.~") for segment in path.split("/"))


def botocore_sign(pair: str, case: Case, path: str, params: List[Tuple[str, str]]) -> Tuple[str, str]:
    s3, presign = PAIRS[pair]
    creds = BotoCredentials(AKID, SECRET, case.token)
    auth_class = {"SigV4Auth": SigV4Auth, "S3SigV4Auth": S3SigV4Auth,
                  "SigV4QueryAuth": SigV4QueryAuth, "S3SigV4QueryAuth": S3SigV4QueryAuth}[pair]
    service = "s3" if s3 else "execute-api"
    auth = auth_class(creds, service, "us-east-1", expires=EXPIRES) if presign else auth_class(creds, service, "us-east-1")
    request = AWSRequest(method=case.method, url=f"https://{case.host}{path}", data=case.body)
    request.params = dict(params) if presign else list(params)
    for name, value in case.headers:
        request.headers[name] = value  # HTTPHeaders appends: repeated names stay repeated
    request.context["timestamp"] = AMZ_DATE
    if case.payload == "unsigned":
        request.context["payload_signing_enabled"] = False
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    auth._modify_request_before_signing(request)
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    return canonical, signature


def ours_sign(pair: str, case: Case) -> sigv4.SignedRequest:
    s3, presign = PAIRS[pair]
    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET, case.token), "us-east-1", "s3" if s3 else "execute-api")
    if presign:
        return signer.presign(case.method, case.url, EXPIRES, case.headers, case.body, timestamp=AMZ_DATE)
    if case.payload == "unsigned":
        return signer.sign(case.method, case.url, case.headers, case.body, timestamp=AMZ_DATE, payload="unsigned")
    if case.payload == "precomputed":
        digest = hashlib.sha256(case.body).hexdigest()
        return signer.sign(case.method, case.url, case.headers, None, timestamp=AMZ_DATE, payload_hash=digest)
    return signer.sign(case.method, case.url, case.headers, case.body, timestamp=AMZ_DATE)


def run_case(pair: str, case: Case) -> None:
    s3, presign = PAIRS[pair]
    ours = ours_sign(pair, case)
    path = case.wire_path
    if s3 and s3_documented_path(path) != path:
        allowed("botocore", "s3-path-verbatim")
        count(pair, "class s3-path-verbatim")
        path = s3_documented_path(path)
    if case.query and case.query != "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in case.pairs):
        # botocore would sign the URL's query verbatim; it gets the decoded pairs as params.
        allowed("botocore", "url-query-verbatim")
        count(pair, "class url-query-verbatim")
    if presign and len({k for k, _ in case.pairs}) != len(case.pairs):
        allowed("botocore", "presign-repeated-query-keys")
        count(pair, "class presign-repeated-query-keys (not compared)")
        return
    ref_canonical, ref_signature = botocore_sign(pair, case, path, case.pairs)
    context = f"\n{case}\n--- ours\n{ours.canonical_request}\n--- botocore\n{ref_canonical}"
    assert ours.canonical_request == ref_canonical, context
    assert ours.signature == ref_signature, context
    if presign:
        assert ours.url.endswith("X-Amz-Signature=" + ref_signature), context
    else:
        assert ours.headers["Authorization"].endswith("Signature=" + ref_signature), context
    count(pair, "compared")


@pytest.mark.parametrize("pair", list(PAIRS))
def test_matches_botocore(pair: str) -> None:
    s3, presign = PAIRS[pair]
    rng = random.Random(f"{SEED}-{pair}")
    for _ in range(COUNT):
        run_case(pair, gen_case(rng, s3, presign))
    compared = STATS_FOR(pair)
    assert compared >= COUNT * 0.6, f"only {compared} of {COUNT} compared (seed {SEED})"


def STATS_FOR(pair: str) -> int:  # noqa: N802 - reads like the counter it is
    from diffgen import STATS

    return STATS.get(pair, {}).get("compared", 0)


def test_documented_s3_dollar_form() -> None:
    """``/test$file.text`` and ``/test%24file.text`` both sign as ``/test%24file.text`` (S3 docs)."""
    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "s3")
    a = signer.sign("GET", "https://b.s3.amazonaws.com/test$file.text", timestamp=AMZ_DATE)
    b = signer.sign("GET", "https://b.s3.amazonaws.com/test%24file.text", timestamp=AMZ_DATE)
    assert a.canonical_request.split("\n")[1] == "/test%24file.text"
    assert a.signature == b.signature
