"""boto3 through sigv4.botocore.install() against moto's server with authentication on.

moto verifies every signature with botocore's original signer classes; a count of the core's
signing calls proves the requests were signed by libsigv4, and a client with a wrong secret is
refused.
"""

from __future__ import annotations

import urllib.request
from typing import Iterator
from unittest import mock

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import sigv4.botocore as sb
from moto_server import Moto, auth_off, run_moto

KEYS = ["plain.txt", "with space.txt", "plus+sign", "dollar$sign", "equals=sign", "double//slash",
        "unicodé/日本/😀", "mixed $+= //é.bin", "trailing/"]


@pytest.fixture(scope="module")
def moto() -> Iterator[Moto]:
    yield from run_moto()


@pytest.fixture()
def signed_by_core() -> Iterator[mock.MagicMock]:
    """install() for the test; yields a spy on the core's signing entry point."""
    sb.install()
    real = sb._native.botocore_sign
    with mock.patch.object(sb._native, "botocore_sign", side_effect=real) as spy:
        yield spy
    sb.uninstall()


def client(moto: Moto, service: str, secret: str = "", **config) -> object:
    return boto3.session.Session().client(
        service, endpoint_url=moto.endpoint, region_name=moto.region,
        aws_access_key_id=moto.access_key_id, aws_secret_access_key=secret or moto.secret_access_key,
        config=Config(**config))


def test_s3_put_get_list_and_presigned_get(moto: Moto, signed_by_core: mock.MagicMock) -> None:
    s3 = client(moto, "s3", s3={"addressing_style": "path"}, signature_version="s3v4")
    s3.create_bucket(Bucket="sdk-bucket")
    for i, key in enumerate(KEYS):
        body = f"body {i} {key}".encode()
        s3.put_object(Bucket="sdk-bucket", Key=key, Body=body)
        assert s3.get_object(Bucket="sdk-bucket", Key=key)["Body"].read() == body
        url = s3.generate_presigned_url("get_object", Params={"Bucket": "sdk-bucket", "Key": key}, ExpiresIn=300)
        fast = sb.generate_presigned_url(s3, "get_object", {"Bucket": "sdk-bucket", "Key": key}, 300)
        assert "X-Amz-Signature=" in url and "X-Amz-Signature=" in fast
        with auth_off(moto.endpoint):
            assert urllib.request.urlopen(url, timeout=10).read() == body
            assert urllib.request.urlopen(fast, timeout=10).read() == body
    listed = s3.list_objects_v2(Bucket="sdk-bucket")["Contents"]
    assert sorted(o["Key"] for o in listed) == sorted(KEYS)
    prefixed = s3.list_objects_v2(Bucket="sdk-bucket", Prefix="mixed $+= ")["Contents"]
    assert [o["Key"] for o in prefixed] == ["mixed $+= //é.bin"]
    assert signed_by_core.call_count >= 3 * len(KEYS)


def test_sqs(moto: Moto, signed_by_core: mock.MagicMock) -> None:
    sqs = client(moto, "sqs")
    url = sqs.create_queue(QueueName="sdk-queue")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hello + world = $ é")
    messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)["Messages"]
    assert messages[0]["Body"] == "hello + world = $ é"
    assert signed_by_core.call_count >= 3


def test_dynamodb(moto: Moto, signed_by_core: mock.MagicMock) -> None:
    ddb = client(moto, "dynamodb")
    ddb.create_table(TableName="sdk", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="sdk", Item={"k": {"S": "a b+c"}, "v": {"S": "é"}})
    assert ddb.get_item(TableName="sdk", Key={"k": {"S": "a b+c"}})["Item"]["v"] == {"S": "é"}
    assert signed_by_core.call_count >= 3


@pytest.mark.parametrize("service", ["s3", "dynamodb", "sqs"])
def test_wrong_secret_is_refused(moto: Moto, signed_by_core: mock.MagicMock, service: str) -> None:
    bad = client(moto, service, secret="not-the-secret", s3={"addressing_style": "path"})
    call = {"s3": lambda: bad.list_objects_v2(Bucket="sdk-bucket"),
            "dynamodb": lambda: bad.describe_table(TableName="sdk"),
            "sqs": lambda: bad.list_queues()}[service]
    with pytest.raises(ClientError) as err:
        call()
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "signature" in str(err.value).lower(), str(err.value)
    assert signed_by_core.call_count >= 1
