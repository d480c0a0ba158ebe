"""requests and httpx (sync and async) against a local server that checks signatures with botocore."""

from __future__ import annotations

import asyncio
import io
import json

import httpx
import pytest
import requests
from botocore.credentials import Credentials as BotoCredentials

import sigv4
import sigv4.httpx
import sigv4.requests
from conftest import AKID, SECRET, TOKEN
from signing_server import serve

SIGV4_NAMES = {"host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization"}
HOSTILE_PATH = "/v1/日本/a b/x+y/%2B/@:$*="
HOSTILE_PARAMS = [("q", "a b"), ("k", "1"), ("k", "2"), ("plus", "+"), ("enc", "%2B"), ("", "empty"), ("u", "é")]


@pytest.fixture(scope="module")
def server():
    yield from serve({AKID: (SECRET, TOKEN)})


@pytest.fixture(params=[None, TOKEN], ids=["keys", "session-token"])
def creds(request):
    return sigv4.Credentials(AKID, SECRET, request.param)


def test_unsigned_request_is_refused(server) -> None:
    assert requests.get(server.url + "/v1/jobs").status_code == 403


def test_tampered_request_is_refused(server, creds) -> None:
    signer = sigv4.Signer(creds, "us-east-1", "execute-api")
    signed = signer.sign("GET", server.url + "/v1/jobs?x=1")
    response = requests.get(server.url + "/v1/jobs?x=2", headers=signed.headers)
    assert response.status_code == 403
    assert response.json()["error"] == "SignatureDoesNotMatch"


def test_signer_headers_with_requests(server, creds) -> None:
    signer = sigv4.Signer(creds, "us-east-1", "execute-api")
    body = json.dumps({"name": "job"}).encode()
    signed = signer.sign("POST", server.url + "/v1/jobs", {"Content-Type": "application/json"}, body)
    response = requests.post(signed.url, data=body, headers=signed.headers)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("service", ["execute-api", "s3"])
def test_requests_auth_get_hostile(server, creds, service) -> None:
    auth = sigv4.requests.SigV4Auth(creds, "us-east-1", service)
    response = requests.get(server.url + HOSTILE_PATH, params=HOSTILE_PARAMS, auth=auth)
    assert response.status_code == 200, response.text


def test_requests_auth_bodies(server, creds) -> None:
    auth = sigv4.requests.SigV4Auth(creds, "us-east-1", "execute-api")
    assert requests.post(server.url + "/v1/jobs", json={"a": "é"}, auth=auth).status_code == 200
    r = requests.post(server.url + "/v1/text", data="héllo wörld", auth=auth)
    assert r.status_code == 200 and r.json()["body"] == "héllo wörld"
    r = requests.post(server.url + "/v1/form", data={"a": "b c", "d": "+"}, auth=auth)
    assert r.status_code == 200, r.text
    big = io.BytesIO(b"x" * 300_000)
    r = requests.put(server.url + "/v1/upload", data=big, auth=auth)
    assert r.status_code == 200, r.text


def test_requests_adds_only_sigv4_headers(creds) -> None:
    auth = sigv4.requests.SigV4Auth(creds, "us-east-1", "execute-api")
    prepared = requests.Request("GET", "https://h.example/x", headers={"X-Mine": "1"}).prepare()
    before = {k.lower() for k in prepared.headers}
    after = {k.lower() for k in auth(prepared).headers}
    assert after - before <= SIGV4_NAMES
    assert {"authorization", "x-amz-date", "host"} <= after


def test_requests_refuses_one_shot_stream(creds) -> None:
    auth = sigv4.requests.SigV4Auth(creds, "us-east-1", "execute-api")
    prepared = requests.Request("POST", "https://h.example/x", data=iter([b"a", b"b"])).prepare()
    with pytest.raises(sigv4.Error) as info:
        auth(prepared)
    assert info.value.code == "InvalidOption"


def test_botocore_credentials_are_read_per_request(server) -> None:
    class Rotating:
        """A botocore-like provider that counts reads."""

        reads = 0

        def get_frozen_credentials(self):
            Rotating.reads += 1
            return BotoCredentials(AKID, SECRET, None)

    auth = sigv4.requests.SigV4Auth(Rotating(), "us-east-1", "execute-api")
    start = Rotating.reads
    for _ in range(3):
        assert requests.get(server.url + "/v1/jobs", auth=auth).status_code == 200
    assert Rotating.reads - start == 3
    # botocore's own credentials object works as is.
    auth = sigv4.requests.SigV4Auth(BotoCredentials(AKID, SECRET, TOKEN), "us-east-1", "execute-api")
    assert requests.get(server.url + "/v1/jobs", auth=auth).status_code == 200


@pytest.mark.parametrize("service", ["execute-api", "s3"])
def test_httpx_sync(server, creds, service) -> None:
    auth = sigv4.httpx.SigV4Auth(creds, "us-east-1", service)
    with httpx.Client(auth=auth) as client:
        r = client.get(server.url + HOSTILE_PATH, params=HOSTILE_PARAMS)
        assert r.status_code == 200, r.text
        r = client.post(server.url + "/v1/jobs", json={"a": "é"})
        assert r.status_code == 200, r.text
        r = client.put(server.url + "/v1/upload", content=iter([b"a" * 5000, b"b" * 5000]))
        assert r.status_code == 200, r.text


def test_httpx_async(server, creds) -> None:
    auth = sigv4.httpx.SigV4Auth(creds, "us-east-1", "execute-api")

    async def main() -> list:
        async with httpx.AsyncClient(auth=auth) as client:
            return await asyncio.gather(
                client.get(server.url + HOSTILE_PATH, params=HOSTILE_PARAMS),
                client.post(server.url + "/v1/jobs", content=b"{}", headers={"Content-Type": "application/json"}),
            )

    for r in asyncio.run(main()):
        assert r.status_code == 200, r.text


def test_httpx_adds_only_sigv4_headers(creds) -> None:
    auth = sigv4.httpx.SigV4Auth(creds, "us-east-1", "execute-api")
    request = httpx.Request("GET", "https://h.example/x", headers={"X-Mine": "1"})
    before = {k.lower() for k in request.headers}
    after = {k.lower() for k in auth.sign_request(request).headers}
    assert after - before <= SIGV4_NAMES
