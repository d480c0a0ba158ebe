"""`sigv4 request` against moto's server with IAM authentication: S3 (streamed aws-chunked uploads,
keys with special characters), SQS (query protocol), DynamoDB (JSON protocol).

moto's authenticating mode answers every presigned URL with 500 (botocore's own too), so presigned
URLs are tested against the demo server (test_demo.py)."""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request

import pytest

from conftest import base_env, run

# Keys with the characters other signing proxies and tools get wrong.
KEYS = ["plain.txt", "a:b.txt", "a%2Fb/with slash", "sp ace+plus", "unicodé/ключ", "x=y&z"]


def moto_env(home, moto, secret=None):
    url, akid, key = moto
    return base_env(home, AWS_ACCESS_KEY_ID=akid, AWS_SECRET_ACCESS_KEY=secret or key, AWS_REGION="us-east-1")


def s3(args, home, moto, **kw):
    return run(["request", "--service", "s3", "--region", "us-east-1", *args], moto_env(home, moto), **kw)


def quoted(key: str) -> str:
    return urllib.parse.quote(key, safe="/")


@pytest.fixture(scope="module")
def bucket(moto, home):
    url = moto[0]
    out = s3(["-f", "-X", "PUT", f"{url}/cli-bucket"], home, moto)
    assert out.returncode == 0, out.stdout + out.stderr
    return f"{url}/cli-bucket"


def test_s3_streamed_upload_and_download_with_any_key(bucket, home, moto, tmp_path):
    data = os.urandom(300_000)  # several aws-chunked chunks
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    for key in KEYS:
        out = s3(["-f", "-v", "-T", str(src), "--chunk-size", "65536", f"{bucket}/{quoted(key)}"], home, moto)
        assert out.returncode == 0, (key, out.stdout, out.stderr)
        assert b"STREAMING-AWS4-HMAC-SHA256-PAYLOAD" in out.stderr
        dst = tmp_path / "dst.bin"
        out = s3(["-f", "-o", str(dst), f"{bucket}/{quoted(key)}"], home, moto)
        assert out.returncode == 0, (key, out.stderr)
        assert dst.read_bytes() == data, key
    # Literal ':' and '+' in the URL are sent the way the SDKs send them (%3A, %2B).
    out = s3(["-f", "-T", str(src), f"{bucket}/lit:eral+key"], home, moto)
    assert out.returncode == 0, out.stdout + out.stderr
    listing = s3(["-f", f"{bucket}?list-type=2"], home, moto)
    assert listing.returncode == 0
    text = listing.stdout.decode()
    for key in KEYS + ["lit:eral+key"]:
        assert f"<Key>{key.replace('&', '&amp;')}</Key>" in text, key


def test_s3_stdin_upload(bucket, home, moto):
    data = b"from stdin " * 10_000
    out = s3(["-f", "-T", "-", f"{bucket}/stdin.txt"], home, moto, input=data)
    assert out.returncode == 0, out.stdout + out.stderr
    out = s3(["-f", f"{bucket}/stdin.txt"], home, moto)
    assert out.stdout == data


def test_wrong_secret_is_refused(bucket, home, moto):
    out = run(["request", "-f", "--service", "s3", "--region", "us-east-1", f"{bucket}?list-type=2"],
              moto_env(home, moto, secret="not-the-secret"))
    assert out.returncode == 6
    assert b"SignatureDoesNotMatch" in out.stdout
    # moto's answer carries no canonical request: explain says so instead of guessing.
    signed = run(["sign", "--json", "--service", "s3", "--region", "us-east-1", f"{bucket}?list-type=2"],
                 moto_env(home, moto))
    path = os.path.join(home, "moto-answer.xml")
    with open(path, "wb") as f:
        f.write(out.stdout)
    explain = run(["explain", path, "--signed", "/dev/stdin"], moto_env(home, moto), input=signed.stdout)
    assert explain.returncode == 1 and b"holds no canonical request" in explain.stderr


def test_sqs_query_protocol(moto, home):
    url = moto[0]
    env = moto_env(home, moto)
    out = run(["request", "-f", "--service", "sqs", "-d", "Action=CreateQueue", "-d", "QueueName=cli-queue",
               "-d", "Version=2012-11-05", f"{url}/"], env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert b"cli-queue" in out.stdout
    out = run(["request", "-f", "--service", "sqs", "-d", "Action=ListQueues&Version=2012-11-05", f"{url}/"], env)
    assert out.returncode == 0 and b"cli-queue" in out.stdout


def test_dynamodb_json_protocol(moto, home):
    url = moto[0]
    env = moto_env(home, moto)
    table = {"TableName": "cli-table", "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
             "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}
    common = ["request", "-f", "--service", "dynamodb", "-H", "Content-Type: application/x-amz-json-1.0"]
    out = run([*common, "-H", "X-Amz-Target: DynamoDB_20120810.CreateTable", "--data-binary", json.dumps(table),
               f"{url}/"], env)
    assert out.returncode == 0, out.stdout + out.stderr
    out = run([*common, "-H", "X-Amz-Target: DynamoDB_20120810.ListTables", "--data-binary", "{}", f"{url}/"], env)
    assert out.returncode == 0 and "cli-table" in json.loads(out.stdout)["TableNames"]
