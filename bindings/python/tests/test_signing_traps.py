"""Issue 14's traps, end to end: what the signer returns, sent by requests / httpx to the project's
own verifier (the WSGI middleware on 127.0.0.1, raw request target), must be accepted.

Each case failed before its fix: repeated header names sent as ``"a, b"`` while ``a,b`` was signed;
non-S3 ``payload="unsigned"`` without the signed ``X-Amz-Content-SHA256``; SigV4a through the
requests/httpx auths without ``X-Amz-Region-Set``; a raw space / non-ASCII path signed raw; a
trailing dot segment; lone surrogates raising ``UnicodeEncodeError``; region and service swapped.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Iterator

import httpx
import pytest
import requests

import sigv4
import sigv4.httpx
import sigv4.requests
import sigv4.wsgi
from conftest import AKID, SECRET, TOKEN
from servers import serve_wsgi, wsgi_echo


def _server(**verifier_options: Any) -> Iterator[str]:
    verifier = sigv4.Verifier(
        {AKID: sigv4.Credentials(AKID, SECRET, TOKEN)}, "us-east-1", "execute-api", **verifier_options
    )
    yield from serve_wsgi(sigv4.wsgi.SigV4Middleware(wsgi_echo, verifier), raw_uri=True)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    yield from _server(allow_sigv4a=True, allow_unsigned_payload=True)


def creds() -> sigv4.Credentials:
    return sigv4.Credentials(AKID, SECRET, TOKEN)


def test_repeated_header_names_are_sent_as_signed(server: str) -> None:
    signer = sigv4.Signer(creds(), "us-east-1", "execute-api")
    headers = [("X-Dup", " a "), ("x-dup", "b  c"), ("X-Other", "1"), ("X-DUP", "d")]
    signed = signer.sign("GET", server + "/v1/dup", headers)
    assert "\nx-dup:a,b c,d\n" in signed.canonical_request
    assert signed.headers["X-Dup"] == "a,b c,d"
    assert not any(k in signed.headers for k in ("x-dup", "X-DUP"))
    response = requests.get(signed.url, headers=signed.headers)
    assert response.status_code == 200, response.text
    response = httpx.get(signed.url, headers=signed.headers)
    assert response.status_code == 200, response.text


def test_unsigned_payload_sends_the_content_hash_header(server: str) -> None:
    auth = sigv4.requests.SigV4Auth(creds(), "us-east-1", "execute-api", payload="unsigned")
    prepared = requests.Request("POST", server + "/v1/upload", data=b"body").prepare()
    assert auth(prepared).headers["X-Amz-Content-SHA256"] == "UNSIGNED-PAYLOAD"
    response = requests.post(server + "/v1/upload", data=b"body", auth=auth)
    assert response.status_code == 200, response.text
    assert "x-amz-content-sha256" in response.json()["signed_headers"]


def _httpx_async(call: Callable[[httpx.AsyncClient], Any]) -> Any:
    async def run() -> Any:
        async with httpx.AsyncClient() as client:
            return await call(client)

    return asyncio.run(run())


@pytest.mark.parametrize("client", ["requests", "httpx", "httpx-async"])
def test_sigv4a_through_every_integration(server: str, client: str) -> None:
    url = server + "/v1/jobs?x=1"
    if client == "requests":
        auth: Any = sigv4.requests.SigV4Auth(creds(), "*", "execute-api", algorithm="sigv4a")
        response = requests.post(url, data=b"{}", auth=auth)
    elif client == "httpx":
        auth = sigv4.httpx.SigV4Auth(creds(), "us-east-1,us-west-2", "execute-api", algorithm="sigv4a")
        response = httpx.post(url, content=b"{}", auth=auth)
    else:
        auth = sigv4.httpx.SigV4Auth(creds(), "*", "execute-api", algorithm="sigv4a")
        response = _httpx_async(lambda c: c.post(url, content=b"{}", auth=auth))
    assert response.status_code == 200, response.text
    assert "x-amz-region-set" in response.json()["signed_headers"]


def test_integrations_set_exactly_what_signing_added() -> None:
    auth = sigv4.requests.SigV4Auth(creds(), "*", "execute-api", algorithm="sigv4a")
    prepared = requests.Request("GET", "https://H.example/x", headers={"X-Mine": "1"}).prepare()
    signed_names = {n.lower() for n in auth(prepared).headers}
    assert signed_names == {
        "x-mine", "host", "x-amz-date", "x-amz-security-token", "x-amz-region-set", "authorization",
    }
    assert prepared.headers["Host"] == "h.example"


@pytest.mark.parametrize("path", ["/v1/a b/é日本", "/v1/x|y^z{}`\"<>"])
def test_raw_characters_in_a_url_are_signed_as_sent(server: str, path: str) -> None:
    signer = sigv4.Signer(creds(), "us-east-1", "execute-api")
    signed = signer.sign("GET", server + path + "?q=a b&u=é")
    assert " " not in signed.url and signed.url.isascii()
    for send in (requests.get, httpx.get):
        response = send(signed.url, headers=signed.headers)
        assert response.status_code == 200, (send, response.text)


def test_dot_segments_as_each_client_sends_them(server: str) -> None:
    # requests (urllib3) removes dot segments before sending and the auth signs the prepared URL;
    # httpx sends them raw and the verifier normalises as botocore does (`/v1/X/.` is `/v1/X`).
    for path in ["/v1/X/.", "/v1/X/Y/..", "/v1/./X/"]:
        auth = sigv4.requests.SigV4Auth(creds(), "us-east-1", "execute-api")
        response = requests.get(server + path, auth=auth)
        assert response.status_code == 200, (path, response.text)
        hauth = sigv4.httpx.SigV4Auth(creds(), "us-east-1", "execute-api")
        response = httpx.get(server + path, auth=hauth)
        assert response.status_code == 200, (path, response.text)


SURROGATE = "a\ud800b"


def _bad_string_calls() -> list:
    ok = creds()
    signer = sigv4.Signer(ok, "us-east-1", "execute-api")
    url = "https://h.example/"
    return [
        ("Credentials(akid)", lambda: sigv4.Credentials(SURROGATE, SECRET)),
        ("Credentials(secret)", lambda: sigv4.Credentials(AKID, SURROGATE)),
        ("Credentials(token)", lambda: sigv4.Credentials(AKID, SECRET, SURROGATE)),
        ("Signer(region)", lambda: sigv4.Signer(ok, SURROGATE, "execute-api")),
        ("Signer(service)", lambda: sigv4.Signer(ok, "us-east-1", SURROGATE)),
        ("Signer(option)", lambda: sigv4.Signer(ok, "us-east-1", "execute-api", payload=SURROGATE)),
        ("Signer(unsigned_headers)", lambda: sigv4.Signer(ok, "us-east-1", "s", unsigned_headers=[SURROGATE])),
        ("sign(method)", lambda: signer.sign(SURROGATE, url)),
        ("sign(url)", lambda: signer.sign("GET", url + SURROGATE)),
        ("sign(header name)", lambda: signer.sign("GET", url, {SURROGATE: "v"})),
        ("sign(header value)", lambda: signer.sign("GET", url, {"x": SURROGATE})),
        ("sign(body)", lambda: signer.sign("POST", url, None, SURROGATE)),
        ("sign(timestamp)", lambda: signer.sign("GET", url, timestamp=SURROGATE)),
        ("sign(payload_hash)", lambda: signer.sign("GET", url, payload_hash=SURROGATE)),
        ("presign(url)", lambda: signer.presign("GET", url + SURROGATE, 60)),
        ("sign_streaming(payload)", lambda: signer.sign_streaming("PUT", url, 1, payload=SURROGATE)),
        ("uri_encode", lambda: sigv4.uri_encode(SURROGATE)),
        ("Verifier(region)", lambda: sigv4.Verifier({AKID: SECRET}, SURROGATE)),
        ("Verifier(service)", lambda: sigv4.Verifier({AKID: SECRET}, "us-east-1", SURROGATE)),
        ("Verifier(credentials)", lambda: sigv4.Verifier({AKID: SURROGATE}, "us-east-1")),
        ("verify(url)", lambda: sigv4.Verifier({AKID: SECRET}, "us-east-1").verify("GET", url + SURROGATE)),
    ]


@pytest.mark.parametrize("name,call", _bad_string_calls(), ids=[n for n, _ in _bad_string_calls()])
def test_lone_surrogates_are_sigv4_errors(name: str, call: Callable[[], Any]) -> None:
    with pytest.raises(sigv4.Error) as info:
        call()
    assert not isinstance(info.value, UnicodeError), name


@pytest.mark.parametrize(
    "region,service",
    [("execute-api", "us-east-1"), ("s3", "eu-west-2"), ("lambda", "ap-southeast-1")],
)
def test_swapped_region_and_service_are_refused(region: str, service: str) -> None:
    with pytest.raises(sigv4.Error) as info:
        sigv4.Signer(creds(), region, service)
    assert info.value.code == "InvalidRegion"
    assert "swapped" in str(info.value)


def test_region_star_is_sigv4a_only() -> None:
    with pytest.raises(sigv4.Error) as info:
        sigv4.Signer(creds(), "*", "execute-api")
    assert info.value.code == "InvalidRegion" and "sigv4a" in str(info.value)
    sigv4.Signer(creds(), "*", "execute-api", algorithm="sigv4a")
