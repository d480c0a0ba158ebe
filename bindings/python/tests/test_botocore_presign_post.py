"""boto3's ``generate_presigned_post`` through libsigv4: after ``sigv4.botocore.install()`` the S3 POST
presigners (``s3v4-presign-post``, ``v4-s3express-presign-post``) sign the policy with the core, and
every field (``policy`` base64, ``x-amz-credential``, ``x-amz-date``, ``x-amz-security-token``,
``x-amz-signature``, the caller's fields) is identical to botocore's own at the same frozen time, on
generated keys, fields, conditions, expiries, regions, with and without a session token (seed printed,
SIGV4_SEED). The signature is what botocore's pure-Python ``SigV4Auth.signature`` computes."""

from __future__ import annotations

import copy
import datetime
import os
import random
from typing import Any, Dict, List
from unittest import mock

import boto3
import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

import sigv4.botocore as sb
from conftest import AKID, SECRET, TOKEN

SEED = int(os.environ.get("SIGV4_SEED", "20261206"))
CASES = 120
FIXED = datetime.datetime(2024, 2, 29, 23, 59, 59)
KEY_ATOMS = ["a", "Z", "0", " ", "+", "$", "=", "/", "//", "é", "日本", "😀", "${filename}", "%", "?", "#", "&"]


def text(rng: random.Random, atoms: List[str], lo: int, hi: int) -> str:
    return "".join(rng.choice(atoms) for _ in range(rng.randint(lo, hi)))


def gen(rng: random.Random) -> Dict[str, Any]:
    fields: Dict[str, Any] = {}
    conditions: List[Any] = []
    if rng.random() < 0.5:
        fields["acl"] = "public-read"
        conditions.append({"acl": "public-read"})
    if rng.random() < 0.4:
        value = text(rng, KEY_ATOMS, 0, 5)
        fields["x-amz-meta-note"] = value
        conditions.append({"x-amz-meta-note": value})
    if rng.random() < 0.4:
        conditions.append(["content-length-range", 0, rng.randint(1, 10**9)])
    if rng.random() < 0.3:
        conditions.append(["starts-with", "$Content-Type", text(rng, ["image/", "text/", "é", ""], 0, 2)])
    return {
        "Bucket": rng.choice(["bucket", "my.dotted.bucket", "b-1"]),
        "Key": text(rng, KEY_ATOMS, 1, 8),
        "Fields": fields or None,
        "Conditions": conditions or None,
        "ExpiresIn": rng.choice([1, 60, 3600, 604800]),
    }


_CLIENTS: Dict[Any, Any] = {}


def presign(params: Dict[str, Any], region: str, token: Any, addressing: str) -> Dict[str, Any]:
    # One client per configuration (botocore looks the signer up per call, so install() applies).
    client = _CLIENTS.get((region, token, addressing))
    if client is None:
        session = boto3.session.Session(aws_access_key_id=AKID, aws_secret_access_key=SECRET,
                                        aws_session_token=token, region_name=region)
        client = session.client("s3", config=Config(signature_version="s3v4", s3={"addressing_style": addressing}))
        _CLIENTS[(region, token, addressing)] = client
    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED), \
            mock.patch("botocore.signers.get_current_datetime", return_value=FIXED):
        return client.generate_presigned_post(**copy.deepcopy(params))


def test_generate_presigned_post_is_identical_to_botocores() -> None:
    print(f"SIGV4_SEED={SEED}")
    rng = random.Random(SEED)
    calls = []
    real = sb._native.botocore_sign_string

    def spy(*args: Any) -> str:
        calls.append(args)
        return real(*args)

    for i in range(CASES):
        params = gen(rng)
        region = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2"])
        token = TOKEN if rng.random() < 0.5 else None
        addressing = rng.choice(["auto", "virtual", "path"])
        theirs = presign(params, region, token, addressing)
        sb.install()
        try:
            with mock.patch.object(sb._native, "botocore_sign_string", spy):
                ours = presign(params, region, token, addressing)
        finally:
            sb.uninstall()
        assert ours == theirs, f"case {i} (seed {SEED}): {params} {region} token={token is not None}"
        assert len(calls) == i + 1  # the core signed it
    # The signature depends on the policy: a test that can fail.
    assert len({c[-1] for c in calls}) > CASES // 2


@pytest.mark.parametrize("name", ["s3v4-presign-post", "v4-s3express-presign-post"])
def test_post_signers_match_botocores_classes(name: str) -> None:
    ours_cls = sb.SIGNERS[name]
    theirs_cls = getattr(botocore.auth, ours_cls.__name__)
    rng = random.Random(SEED + 1)
    for _ in range(50):
        token = TOKEN if rng.random() < 0.5 else None
        creds = Credentials(AKID, SECRET, token)
        region = rng.choice(["us-east-1", "us-west-2", "eu-central-1"])
        context = {"s3-presign-post-fields": {"key": text(rng, KEY_ATOMS, 1, 6)},
                   "s3-presign-post-policy": {"expiration": "2024-03-01T00:00:00Z",
                                              "conditions": [{"bucket": "b"}, ["starts-with", "$key", ""]]}}
        results = []
        for cls in (theirs_cls, ours_cls):
            request = AWSRequest(method="POST", url="https://b.s3.amazonaws.com/")
            request.context.update(copy.deepcopy(context))
            with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED):
                if "express" in name:
                    signer = cls(creds, "s3express", region, identity_cache=None)
                else:
                    signer = cls(creds, "s3", region)
                signer.add_auth(request)
            results.append((request.context["s3-presign-post-fields"], request.context["s3-presign-post-policy"]))
        assert results[0] == results[1]
        assert "x-amz-signature" in results[1][0]


def test_install_replaces_the_post_signers() -> None:
    sb.install()
    try:
        assert botocore.auth.AUTH_TYPE_MAPS["s3v4-presign-post"] is sb.S3SigV4PostAuth
    finally:
        sb.uninstall()
    assert botocore.auth.AUTH_TYPE_MAPS["s3v4-presign-post"] is botocore.auth.S3SigV4PostAuth
