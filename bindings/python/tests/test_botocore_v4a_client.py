"""boto3 with a multi-region access point (SigV4a) and no ``awscrt``: after
``sigv4.botocore.install()`` the S3 client signs MRAP requests (``s3v4a``) and presigns MRAP URLs
(``s3v4a-query``) through the core, and our own verifier (``allow_sigv4a``) accepts them — and
refuses them under a wrong secret. Without install() botocore asks for the CRT.

The request never leaves the process: a ``before-send`` handler verifies it and answers.
"""

from __future__ import annotations

from typing import Any, Iterator, List, Tuple

import boto3
import botocore.exceptions
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

import sigv4
import sigv4.botocore as sb

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
MRAP = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap"
KEYS = ["plain", "with space", "plus+sign", "dollar$sign", "equals=sign", "double//slash", "unicodé/日本/😀"]


class _Raw:
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield b""


def make_client(secret: str) -> Tuple[Any, List[Tuple[str, str, Any]]]:
    verifier = sigv4.Verifier({AKID: SECRET}, "us-west-2", "s3", allow_sigv4a=True,
                              uri_encoding="single", normalize_path=False)
    seen: List[Tuple[str, str, Any]] = []

    def send(request: Any, **_: Any) -> AWSResponse:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        try:
            identity = verifier.verify(request.method, request.url, list(request.headers.items()), body or b"")
            seen.append((request.method, request.url, identity))
            return AWSResponse(request.url, 200, {}, _Raw())
        except sigv4.VerificationError as exc:
            seen.append((request.method, request.url, exc))
            return AWSResponse(request.url, 403, {}, _Raw())

    session = boto3.session.Session(aws_access_key_id=AKID, aws_secret_access_key=secret, region_name="us-west-2")
    # Checksums only when required: the payload is then hashed into the signature (verify() checks
    # it), rather than sent as an aws-chunked stream with a trailer.
    client = session.client("s3", config=Config(request_checksum_calculation="when_required"))
    client.meta.events.register("before-send.s3", send)
    return client, seen


@pytest.fixture()
def installed() -> Iterator[None]:
    sb.install()
    yield
    sb.uninstall()


def test_without_install_botocore_needs_the_crt() -> None:
    client, _ = make_client(SECRET)
    with pytest.raises(botocore.exceptions.MissingDependencyException):
        client.head_object(Bucket=MRAP, Key="k")


def test_mrap_requests_sign_with_sigv4a_and_verify(installed: None) -> None:
    client, seen = make_client(SECRET)
    for key in KEYS:
        client.put_object(Bucket=MRAP, Key=key, Body=b"hello " + key.encode())
        client.get_object(Bucket=MRAP, Key=key)
        client.head_object(Bucket=MRAP, Key=key)
    client.list_objects_v2(Bucket=MRAP, Prefix="with space")
    assert len(seen) == 3 * len(KEYS) + 1
    for method, url, outcome in seen:
        assert isinstance(outcome, sigv4.VerifiedIdentity), (method, url, outcome)
        assert url.startswith("https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/")


def test_mrap_presigned_urls_verify(installed: None) -> None:
    client, _ = make_client(SECRET)
    verifier = sigv4.Verifier({AKID: SECRET}, "eu-west-1", "s3", allow_sigv4a=True,
                              uri_encoding="single", normalize_path=False)
    for key in KEYS:
        url = client.generate_presigned_url("get_object", Params={"Bucket": MRAP, "Key": key}, ExpiresIn=900)
        assert "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256" in url and "X-Amz-Region-Set=%2A" in url
        verifier.verify("GET", url, [("host", url.split("/")[2])])
        with pytest.raises(sigv4.VerificationError):
            verifier.verify("GET", url.replace("X-Amz-Expires=900", "X-Amz-Expires=901"), [("host", url.split("/")[2])])


def test_wrong_secret_is_refused(installed: None) -> None:
    client, seen = make_client("not-the-secret")
    with pytest.raises(botocore.exceptions.ClientError):
        client.head_object(Bucket=MRAP, Key="k")
    assert seen and all(isinstance(outcome, sigv4.VerificationError) for _, _, outcome in seen)
