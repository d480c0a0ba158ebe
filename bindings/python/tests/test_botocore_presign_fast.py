"""sigv4.botocore.generate_presigned_url against boto3's own generate_presigned_url (botocore's
signer, nothing installed): generated hostile keys, several buckets (virtual-hosted and path-style),
regions, extra parameters, expiries, with and without a session token, at a frozen time — the same
URL byte for byte, every time."""

from __future__ import annotations

import datetime
import os
import random
from unittest import mock

import boto3
import botocore.auth
import pytest
from botocore.config import Config

import sigv4.botocore as sb
from conftest import AKID, SECRET, TOKEN

SEED = int(os.environ.get("SIGV4_SEED", "20261"))
KEY_ATOMS = ["a", "Z", "0", " ", "+", "$", "=", "/", "//", "%", "%2F", "?", "#", "&", "é", "日本", "😀", "~", ".",
             "..", "!", "'", "(", ")", "*", "@", ":", ";", ",", "\\", "^", "`", "{", "|", "}", "[", "]"]


@pytest.mark.parametrize("token", [None, TOKEN])
@pytest.mark.parametrize("region,style", [("us-east-1", "auto"), ("eu-west-1", "virtual"), ("ap-south-1", "path")])
def test_fast_path_urls_equal_boto3(token, region, style) -> None:
    assert not sb.installed()
    rng = random.Random(f"{SEED}/{region}/{style}/{token is None}")
    print(f"seed {SEED}")
    session = boto3.session.Session(aws_access_key_id=AKID, aws_secret_access_key=SECRET, aws_session_token=token,
                                    region_name=region)
    client = session.client("s3", config=Config(signature_version="s3v4", s3={"addressing_style": style}))
    fixed = datetime.datetime(2024, 2, 29, 23, 59, 59)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=fixed):
        for i in range(120):
            key = "".join(rng.choice(KEY_ATOMS) for _ in range(rng.randint(1, 8)))
            method = rng.choice(["get_object", "get_object", "put_object", "head_object", "delete_object"])
            params = {"Bucket": rng.choice(["bucket", "my.dotted.bucket", "b-1"]), "Key": key}
            if method != "put_object" and rng.random() < 0.2:
                params["VersionId"] = rng.choice(["v1", "a b+c"])
            if method == "get_object" and rng.random() < 0.2:
                params["ResponseContentDisposition"] = 'attachment; filename="é.txt"'
            expires = rng.choice([60, 3600, 604800])
            theirs = client.generate_presigned_url(method, Params=params, ExpiresIn=expires)
            ours = sb.generate_presigned_url(client, method, params, expires)
            assert ours == theirs, f"case {i} (seed {SEED}): {method} {params}"
            sb.install()  # boto3's own pipeline with our presigner (its one-call native path)
            try:
                installed = client.generate_presigned_url(method, Params=params, ExpiresIn=expires)
            finally:
                sb.uninstall()
            assert installed == theirs, f"case {i} (seed {SEED}), installed: {method} {params}"
    # The combinations seen above were answered from templates, not by boto3 again.
    templates = client.__dict__["_sigv4_presign_templates"].values()
    assert sum(type(t).__name__ == "_Template" for t in templates) >= 5


def test_other_clients_and_odd_calls_go_through_boto3() -> None:
    session = boto3.session.Session(aws_access_key_id=AKID, aws_secret_access_key=SECRET, region_name="us-east-1")
    sqs = session.client("sqs")
    fixed = datetime.datetime(2024, 2, 29, 23, 59, 59)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=fixed):
        params = {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q"}
        assert sb.generate_presigned_url(sqs, "get_queue_attributes", params, 60) == \
            sqs.generate_presigned_url("get_queue_attributes", Params=params, ExpiresIn=60)
        s3 = session.client("s3", config=Config(signature_version="s3v4"))
        odd = {"Bucket": "bucket", "Key": "k", "Tagging": ["not", "hashable"]}
        with pytest.raises(Exception) as theirs:
            s3.generate_presigned_url("get_object", Params=odd)
        with pytest.raises(type(theirs.value)):
            sb.generate_presigned_url(s3, "get_object", odd, 3600)
