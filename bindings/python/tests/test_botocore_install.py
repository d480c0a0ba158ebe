"""sigv4.botocore against botocore's own signers: generated hostile AWSRequests, identical results.

For every signer install() replaces (v4, v4-query, s3v4, s3v4-query, v4-s3express,
v4-s3express-query), a seeded generator builds requests botocore accepts — hostile paths (raw
``$``, spaces, lowercase and bogus escapes, unicode, ``//``, dot segments), raw query strings
(``+``, ``%2f``, empty pieces, keys without ``=``), ``request.params`` as pairs or a dict,
repeated headers, runs of spaces, tabs and other whitespace (``\\x0b``, ``\\xa0``) in values, a
``Date`` header, a caller's ``X-Amz-Content-SHA256``, form bodies, file bodies, the context flags
botocore reads (payload signing off, checksum trailers and headers, streaming input, the S3
``payload_signing_enabled`` config), with and without a session token. botocore's class and ours
sign a copy each at the same frozen time: URL, header list and body must be identical.
"""

from __future__ import annotations

import copy
import datetime
import io
import os
import random
from types import SimpleNamespace
from typing import Any, List
from unittest import mock

import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import sigv4
import sigv4.botocore as sb
from conftest import AKID, SECRET, TOKEN

SEED = int(os.environ.get("SIGV4_SEED", "20260"))
CASES = 250
FIXED = datetime.datetime(2024, 2, 29, 23, 59, 59)

PATH_ATOMS = ["a", "Z9", "-_.~", " ", "+", "$", "=", "@", ":", "%2f", "%2F", "%41", "%zz", "%", "é",
              "日本", "😀", ";", ",", "!", "'", "(", ")", "*"]
QUERY_ATOMS = ["a", "B", "9", " ", "+", "%2b", "%2B", "%20", "/", ":", "é", "%zz", "~", "=", "'", "*", ""]
HEADER_NAMES = ["X-Custom", "x-custom", "X-Amz-Meta-Foo", "Content-Type", "My-Header", "User-Agent",
                "Expect", "X-Amzn-Trace-Id", "Content-MD5", "x-amz-checksum-crc32"]
VALUE_ATOMS = ["a", "B c", "  d  ", "e   f", "g,h", "\t", "\x0b", "\xa0", "=", ":", "$", "1", "é"]


def text(rng: random.Random, atoms: List[str], lo: int, hi: int) -> str:
    return "".join(rng.choice(atoms) for _ in range(rng.randint(lo, hi)))


def gen_url(rng: random.Random) -> str:
    scheme = rng.choice(["https", "http"])
    host = rng.choice(["example.amazonaws.com", "Bucket.S3.amazonaws.com", "127.0.0.1:9000",
                       "h.example.com:443", "h.example.com:80"])
    segments = []
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        segments.append(rng.choice([".", "..", ""]) if r < 0.15 else text(rng, PATH_ATOMS, 1, 4))
    path = "/" + "/".join(segments) + rng.choice(["", "/"])
    url = f"{scheme}://{host}{path}"
    if rng.random() < 0.6:
        pieces = []
        for _ in range(rng.randint(0, 4)):
            key = text(rng, QUERY_ATOMS, 0, 3)
            pieces.append(key if rng.random() < 0.2 else f"{key}={text(rng, QUERY_ATOMS, 0, 4)}")
        url += "?" + "&".join(pieces)
    return url


PLAIN_ATOMS = ["a", "Z", "0", "-", "_", ".", "~", "x-id", "GetObject"]


def gen_presign_request(rng: random.Random) -> AWSRequest:
    """What boto3's generate_presigned_url hands a presigner (no headers, params or body), with
    URLs on both sides of the shape the query signers' fast path takes."""
    scheme = rng.choice(["https", "http", "HTTPS"])
    host = rng.choice(["bucket.s3.amazonaws.com", "s3.eu-west-1.amazonaws.com:8443", "[::1]:9000"])
    path = "/" + "/".join(text(rng, PLAIN_ATOMS + ["%2F", "%24", "é", " "], 0, 3) for _ in range(rng.randint(1, 3)))
    url = f"{scheme}://{host}{path}"
    if rng.random() < 0.7:
        pieces = [f"{text(rng, PLAIN_ATOMS, 1, 2)}={text(rng, PLAIN_ATOMS, 0, 2)}" for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.2:
            pieces.append(rng.choice(["k", "a=%2f", "a=b+c", "dup=1&dup=2", ""]))
        url += "?" + "&".join(pieces)
    if rng.random() < 0.1:
        url += "#frag"
    return AWSRequest(method=rng.choice(["GET", "PUT"]), url=url, data=rng.choice([b"", None]))


def gen_request(rng: random.Random, query_signer: bool) -> AWSRequest:
    if query_signer and rng.random() < 0.4:
        return gen_presign_request(rng)
    method = rng.choice(["GET", "PUT", "POST", "delete", "HEAD"])
    body: Any = rng.choice([b"", b"{}", b"x" * rng.randint(1, 300), "text body", None])
    if rng.random() < 0.15:
        body = io.BytesIO(b"file body " * rng.randint(1, 50))
    if query_signer and rng.random() < 0.3:
        body = {"Action": "SendMessage", "Message Body": text(rng, QUERY_ATOMS, 0, 5)}
    request = AWSRequest(method=method, url=gen_url(rng), data=body)
    if rng.random() < 0.3:
        pairs = [(text(rng, QUERY_ATOMS, 1, 3), rng.choice([text(rng, QUERY_ATOMS, 0, 3), 7, True]))
                 for _ in range(rng.randint(1, 4))]
        request.params = dict(pairs) if query_signer or rng.random() < 0.5 else pairs
    for _ in range(rng.randint(0, 5)):
        request.headers[rng.choice(HEADER_NAMES)] = text(rng, VALUE_ATOMS, 0, 5)
    if rng.random() < 0.15:
        request.headers["Date"] = "Thu, 29 Feb 2024 23:59:59 GMT"
    if rng.random() < 0.1:
        request.headers["X-Amz-Content-SHA256"] = rng.choice(["UNSIGNED-PAYLOAD", "a" * 64])
    if query_signer and rng.random() < 0.3:
        request.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    context = request.context
    if rng.random() < 0.2:
        context["payload_signing_enabled"] = False
    if rng.random() < 0.2:
        where = rng.choice(["trailer", "header"])
        context["checksum"] = {"request_algorithm": {"in": where, "name": "x-amz-checksum-crc32"}}
    if rng.random() < 0.2:
        context["has_streaming_input"] = True
    if rng.random() < 0.2:
        context["client_config"] = SimpleNamespace(s3={"payload_signing_enabled": rng.choice([True, False])})
    return request


def snapshot(request: AWSRequest) -> Any:
    body = request.body
    if hasattr(body, "getvalue"):
        body = (body.getvalue(), body.tell())
    return request.url, list(request.headers.items()), body


def make_signer(cls: type, service: str, creds: Credentials) -> Any:
    kwargs: dict = {}
    if cls.__name__.startswith("S3Express"):
        kwargs["identity_cache"] = None
    if "Query" in cls.__name__:
        kwargs["expires"] = 900
    return cls(creds, service, "eu-west-1", **kwargs)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=FIXED):
        yield


# SigV4a has no pure-Python botocore signer (tests-crt/ compares it with the CRT's); the POST presigners
# make form fields, not requests (test_botocore_presign_post.py).
@pytest.mark.parametrize("name", sorted(set(sb.SIGNERS) - {"v4a", "s3v4a", "s3v4a-query", "s3v4-presign-post",
                                                         "v4-s3express-presign-post"}))
def test_identical_to_botocore_on_generated_requests(name: str) -> None:
    ours_cls = sb.SIGNERS[name]
    theirs_cls = getattr(botocore.auth, ours_cls.__name__)
    assert issubclass(ours_cls, theirs_cls) and ours_cls is not theirs_cls
    rng = random.Random(f"{SEED}/{name}")
    query_signer = "query" in name
    service = "s3" if "s3" in name else rng.choice(["dynamodb", "execute-api"])
    print(f"seed {SEED} ({name})")
    for i in range(CASES):
        creds = Credentials(AKID, SECRET, TOKEN if rng.random() < 0.5 else None)
        request = gen_request(rng, query_signer)
        mine, theirs = copy.deepcopy(request), copy.deepcopy(request)
        try:
            make_signer(theirs_cls, service, creds).add_auth(theirs)
        except Exception as exc:  # botocore refuses it: so must we
            with pytest.raises(type(exc)):
                make_signer(ours_cls, service, creds).add_auth(mine)
            continue
        make_signer(ours_cls, service, creds).add_auth(mine)
        assert snapshot(mine) == snapshot(theirs), f"case {i} (seed {SEED}): {request.method} {request.url}"


def test_install_replaces_and_uninstall_restores() -> None:
    before = dict(botocore.auth.AUTH_TYPE_MAPS)
    sb.install()
    sb.install()  # idempotent
    try:
        assert sb.installed()
        for name, cls in sb.SIGNERS.items():
            assert botocore.auth.AUTH_TYPE_MAPS[name] is cls
    finally:
        sb.uninstall()
    assert botocore.auth.AUTH_TYPE_MAPS == before
    assert not sb.installed()


def test_no_credentials_is_botocore_error() -> None:
    from botocore.exceptions import NoCredentialsError

    with pytest.raises(NoCredentialsError):
        sb.SigV4Auth(None, "s3", "us-east-1").add_auth(AWSRequest("GET", "https://h/"))


def test_upper_case_payload_hash_is_refused_not_signed_differently() -> None:
    request = AWSRequest("GET", "https://h.example.com/", headers={"X-Amz-Content-SHA256": "AB" * 32})
    with pytest.raises(sigv4.InvalidPayloadHashError):
        sb.SigV4Auth(Credentials(AKID, SECRET), "svc", "us-east-1").add_auth(request)


def test_signing_time_is_botocores_clock() -> None:
    from sigv4._botocore_clock import amz_date

    # botocore's own clock: the same second as botocore's datetime (retried across a second boundary).
    for _ in range(5):
        before = botocore.auth.get_current_datetime().strftime(botocore.auth.SIGV4_TIMESTAMP)
        ours = amz_date()
        after = botocore.auth.get_current_datetime().strftime(botocore.auth.SIGV4_TIMESTAMP)
        if before == after:
            assert ours == before
            break
    else:
        raise AssertionError("clock kept crossing second boundaries")
    # A replaced clock (as tests freeze it) is what is used.
    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED):
        assert amz_date() == "20240229T235959Z"
