"""WSGI middleware under wsgiref and ASGI middleware under uvicorn, on 127.0.0.1, with real clients.

Clients sign with ``sigv4.requests.SigV4Auth`` / ``sigv4.httpx.SigV4Auth`` (and ``Signer`` for the
tampered and presigned cases). Signed -> 200 with the identity; unsigned -> 403
MissingAuthenticationToken; tampered body -> 403 SignatureDoesNotMatch; expired presigned URL -> 403
RequestExpired; replay with the cache on -> 403 RequestReplayed.
"""

from __future__ import annotations

import time

import httpx
import pytest
import requests

import sigv4
import sigv4.asgi
import sigv4.httpx
import sigv4.requests
import sigv4.wsgi
from conftest import AKID, SECRET, TOKEN
from servers import asgi_echo, serve_asgi, serve_wsgi, wsgi_echo

KINDS = ["wsgi-raw-uri", "wsgi-path-info", "asgi"]
HOSTILE_PATH = "/v1/a b/日本/x$y:@!'()*"
PARAMS = [("q", "a b"), ("k", "2"), ("k", "1"), ("plus", "+"), ("u", "é")]


def make_verifier(replay: bool) -> sigv4.Verifier:
    return sigv4.Verifier(
        {AKID: SECRET, "AKIDTOKEN": sigv4.Credentials("AKIDTOKEN", SECRET, TOKEN)},
        region="us-east-1", service="execute-api", replay_cache=1000 if replay else None,
    )


def start(kind: str, replay: bool):
    verifier = make_verifier(replay)
    if kind == "asgi":
        return serve_asgi(sigv4.asgi.SigV4Middleware(asgi_echo, verifier, max_body=1 << 20))
    app = sigv4.wsgi.SigV4Middleware(wsgi_echo, verifier, max_body=1 << 20)
    return serve_wsgi(app, raw_uri=(kind == "wsgi-raw-uri"))


@pytest.fixture(scope="module", params=KINDS)
def server(request):
    yield from start(request.param, replay=False)


@pytest.fixture(scope="module", params=KINDS)
def replay_server(request):
    yield from start(request.param, replay=True)


def auth(token: bool = False):
    if token:
        return sigv4.requests.SigV4Auth(sigv4.Credentials("AKIDTOKEN", SECRET, TOKEN), "us-east-1", "execute-api")
    return sigv4.requests.SigV4Auth(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")


def signer() -> sigv4.Signer:
    return sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")


def assert_denied(response, code: str, status: int = 403) -> None:
    assert response.status_code == status, response.text
    assert response.headers["x-amzn-ErrorType"] == code
    payload = response.json()
    assert payload["__type"] == code and payload["message"]


@pytest.mark.parametrize("token", [False, True], ids=["keys", "session-token"])
def test_signed_requests_get_200_with_identity(server, token) -> None:
    response = requests.post(server + "/v1/jobs", json={"name": "job"}, auth=auth(token))
    assert response.status_code == 200, response.text
    who = response.json()
    assert who["access_key_id"] == ("AKIDTOKEN" if token else AKID)
    assert (who["region"], who["service"], who["presigned"]) == ("us-east-1", "execute-api", False)
    assert who["body"] == '{"name": "job"}', "the app gets the body back"
    assert "content-type" in who["signed_headers"]


def test_hostile_path_and_query(server) -> None:
    response = requests.get(server + HOSTILE_PATH, params=PARAMS, auth=auth())
    assert response.status_code == 200, response.text


def test_httpx_client(server) -> None:
    with httpx.Client(auth=sigv4.httpx.SigV4Auth(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")) as c:
        response = c.put(server + HOSTILE_PATH, params=PARAMS, content=b"x" * 5000)
    assert response.status_code == 200, response.text
    assert response.json()["body"] == "x" * 5000


def test_presigned_url(server) -> None:
    url = signer().presign("GET", server + "/v1/jobs?x=1", expires_in=60).url
    response = requests.get(url)
    assert response.status_code == 200, response.text
    assert response.json()["presigned"] is True


def test_unsigned_request_is_refused(server) -> None:
    assert_denied(requests.get(server + "/v1/jobs"), "MissingAuthenticationToken")


def test_tampered_body_is_refused(server) -> None:
    signed = signer().sign("POST", server + "/v1/jobs", body=b'{"amount": 1}')
    assert_denied(requests.post(signed.url, data=b'{"amount": 9}', headers=signed.headers), "SignatureDoesNotMatch")


def test_tampered_path_is_refused(server) -> None:
    signed = signer().sign("GET", server + "/v1/jobs/1")
    assert_denied(requests.get(server + "/v1/jobs/2", headers=signed.headers), "SignatureDoesNotMatch")


def test_expired_presigned_url_is_refused(server) -> None:
    url = signer().presign("GET", server + "/v1/jobs", expires_in=1, timestamp=int(time.time()) - 10).url
    assert_denied(requests.get(url), "RequestExpired")


def test_wrong_key_and_body_limit(server) -> None:
    wrong = sigv4.requests.SigV4Auth(sigv4.Credentials("AKIDNOBODY", SECRET), "us-east-1", "execute-api")
    assert_denied(requests.get(server + "/v1/jobs", auth=wrong), "InvalidAccessKeyId")
    big = requests.post(server + "/v1/jobs", data=b"x" * ((1 << 20) + 1), auth=auth())
    assert_denied(big, "RequestEntityTooLarge", status=413)


def test_replay_is_refused(replay_server) -> None:
    signed = signer().sign("POST", replay_server + "/v1/jobs", body=b"once")
    first = requests.post(signed.url, data=b"once", headers=signed.headers)
    assert first.status_code == 200, first.text
    assert_denied(requests.post(signed.url, data=b"once", headers=signed.headers), "RequestReplayed")
    # A fresh signature for the same request is fine.
    assert requests.post(replay_server + "/v1/jobs", data=b"once", auth=auth()).status_code == 200


def test_asgi_async_client() -> None:
    import asyncio

    async def run(base: str) -> int:
        auth = sigv4.httpx.SigV4Auth(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")
        async with httpx.AsyncClient(auth=auth) as client:
            responses = await asyncio.gather(*[client.get(f"{base}/v1/items/{i}") for i in range(20)])
        return sum(r.status_code == 200 for r in responses)

    for base in start("asgi", replay=True):
        assert asyncio.run(run(base)) == 20


def test_non_http_scopes_pass_through() -> None:
    import asyncio

    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    middleware = sigv4.asgi.SigV4Middleware(app, make_verifier(False))
    asyncio.run(middleware({"type": "lifespan"}, None, None))
    assert seen == ["lifespan"]


def test_no_secret_in_repr() -> None:
    v = make_verifier(True)
    for text in (repr(v), repr(sigv4.wsgi.SigV4Middleware(wsgi_echo, v)), repr(sigv4.asgi.SigV4Middleware(asgi_echo, v))):
        assert SECRET not in text and TOKEN not in text and "wJalr" not in text, text
    with pytest.raises(TypeError):
        sigv4.wsgi.SigV4Middleware(wsgi_echo, object())


def test_wire_target_from_environ() -> None:
    environ = {"PATH_INFO": "/a b/\xe6\x97\xa5", "QUERY_STRING": "x=1", "SCRIPT_NAME": "/app"}
    assert sigv4.wsgi.wire_target(environ) == "/app/a%20b/%E6%97%A5?x=1"
    environ["RAW_URI"] = "/app/a%20b/%e6%97%a5?x=1"
    assert sigv4.wsgi.wire_target(environ) == "/app/a%20b/%e6%97%a5?x=1"
    # Absolute-form stays as received (the middleware's verifier then refuses it: the application
    # would receive a URL, not the signed path).
    environ["REQUEST_URI"] = "http://proxy.example/p?q"
    assert sigv4.wsgi.wire_target(environ) == "http://proxy.example/p?q"
