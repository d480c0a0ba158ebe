"""Issue 23 reproducers: what the verifier checks is the request-target the application receives.

Every verify path of the binding (``verify``, ``verify_raw``, ``verify_scope``,
``verify_bodiless_scope``, ``verify_environ`` and both middlewares) goes through the core's one
reading of the raw target (``RequestTarget::parse``). Requests are signed by our signer or by
botocore for ``/a``; the expected outcomes are codes, not signatures. Each test failed before the fix.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Dict, List, Tuple

import pytest
import requests
import urllib3
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

import sigv4
import sigv4.asgi
import sigv4.wsgi
from conftest import AKID, SECRET

HOST = "example.amazonaws.com"
NOW = datetime(2015, 8, 30, 12, 36, tzinfo=timezone.utc)
SIGNER = sigv4.Signer(sigv4.Credentials(AKID, SECRET), region="us-east-1", service="service")


def verifier(**options: object) -> sigv4.Verifier:
    return sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="service", **options)


def signed_headers(url: str = "/a") -> List[Tuple[str, str]]:
    signed = SIGNER.sign("GET", f"https://{HOST}{url}", timestamp=NOW)
    return list(signed.headers.items())


def code_of(call) -> str:
    try:
        call()
    except sigv4.VerificationError as e:
        return e.code
    return "verifies"


BYPASS = [("/a#x", "evil=1"), ("/a#", "evil=1"), ("/a", "x#"), ("/a#x?y", "evil=1")]


def test_verify_refuses_a_raw_hash() -> None:
    v = verifier()
    headers = signed_headers()
    assert code_of(lambda: v.verify("GET", "/a", headers, now=NOW)) == "verifies"
    for target in ("/a#x?evil=1", "/a#?evil=1", "/a#", f"https://{HOST}/a#x?evil=1"):
        with pytest.raises(sigv4.VerificationError) as info:
            v.verify("GET", target, headers, now=NOW)
        assert info.value.code == "InvalidUrl" and info.value.is_malformed, target
        assert "#" in str(info.value)


@pytest.mark.parametrize("path,query", BYPASS)
def test_raw_scope_and_environ_paths_refuse_a_raw_hash(path: str, query: str) -> None:
    v = verifier()
    headers = signed_headers()
    pairs = [(n.lower().encode(), val.encode()) for n, val in headers]
    assert code_of(lambda: v.verify_raw("GET", path.encode(), query.encode(), pairs, now=NOW)) == "InvalidUrl"
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "path": path,
             "raw_path": path.encode(), "query_string": query.encode(), "headers": pairs}
    assert code_of(lambda: v.verify_scope(scope, b"", now=NOW)) == "InvalidUrl"
    assert code_of(lambda: v.verify_bodiless_scope(scope, now=NOW)) == "InvalidUrl"
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
               "RAW_URI": f"{path}?{query}", "SCRIPT_NAME": ""}
    environ.update({"HTTP_" + n.upper().replace("-", "_"): val for n, val in headers})
    assert code_of(lambda: v.verify_environ(environ, b"", now=NOW)) == "InvalidUrl"


def _asgi_call(scope: Dict[str, object]) -> Tuple[int, bool]:
    reached = []

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        reached.append(scope)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent: List[dict] = []

    async def receive():  # type: ignore[no-untyped-def]
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    mw = sigv4.asgi.SigV4Middleware(app, verifier(), clock=lambda: NOW.timestamp())
    asyncio.run(mw(scope, receive, send))
    return sent[0]["status"], bool(reached)


def test_asgi_middleware_keeps_the_unsigned_query_from_the_application() -> None:
    pairs = [(n.lower().encode(), val.encode()) for n, val in signed_headers()]
    base = {"type": "http", "http_version": "1.1", "method": "GET", "headers": pairs}
    assert _asgi_call({**base, "path": "/a", "raw_path": b"/a", "query_string": b""}) == (200, True)
    # What uvicorn (h11) hands over for `GET /a#x?evil=1`.
    scope = {**base, "path": "/a#x", "raw_path": b"/a#x", "query_string": b"evil=1"}
    assert _asgi_call(scope) == (400, False)
    # An absolute-form target handed over as the path: the application would see the whole URL.
    scope = {**base, "path": f"http://{HOST}/a", "raw_path": f"http://{HOST}/a".encode(), "query_string": b""}
    assert _asgi_call(scope) == (400, False)


def test_wsgi_middleware_keeps_the_unsigned_query_from_the_application() -> None:
    headers = signed_headers()
    reached = []

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        reached.append(environ)
        start_response("200 OK", [])
        return [b""]

    mw = sigv4.wsgi.SigV4Middleware(app, verifier(), clock=lambda: NOW.timestamp())
    statuses = []

    def start_response(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
        statuses.append(status)

    def environ(raw: str, path: str, query: str) -> Dict[str, object]:
        env = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "REQUEST_URI": raw,
               "SCRIPT_NAME": "", "wsgi.input": None}
        env.update({"HTTP_" + n.upper().replace("-", "_"): val for n, val in headers})
        return env

    mw(environ("/a", "/a", ""), start_response)
    mw(environ("/a#x?evil=1", "/a#x", "evil=1"), start_response)
    mw(environ(f"http://{HOST}/a", "/a", ""), start_response)
    mw(environ("http://evil.example/a", "/a", ""), start_response)
    # Absolute-form: the application would receive REQUEST_URI as a URL, not the signed path.
    assert statuses == ["200 OK", "400 Bad Request", "400 Bad Request", "400 Bad Request"]
    assert len(reached) == 1


def test_absolute_form_authority_must_agree_with_host() -> None:
    v = verifier()
    headers = signed_headers("/a?x=1")
    for target in (f"https://{HOST}/a?x=1", f"http://{HOST.upper()}:80/a?x=1"):
        assert code_of(lambda: v.verify("GET", target, headers, now=NOW)) == "verifies", target
    for target in ("https://evil.example/a?x=1", f"https://{HOST}./a?x=1", f"https://{HOST}:8443/a?x=1"):
        assert code_of(lambda: v.verify("GET", target, headers, now=NOW)) == "InvalidUrl", target


def test_non_utf8_query_key_is_read_the_same_whatever_its_length() -> None:
    v = verifier()
    for url in ("/a?%FF=xxxxxx", "/a?%FF=xxxxx", "/a?%FF%FE=1&b=%FF"):
        assert code_of(lambda: v.verify("GET", url, signed_headers(url), now=NOW)) == "verifies", url


def botocore_presign(url: str, service: str = "service") -> Tuple[str, str]:
    """A URL presigned by botocore (at the current time) and its X-Amz-Date."""
    request = AWSRequest(method="GET", url=url)
    SigV4QueryAuth(BotoCredentials(AKID, SECRET), service, "us-east-1", expires=300).add_auth(request)
    return request.url, request.context["timestamp"]


def test_allow_unsigned_payload_accepts_ordinary_presigned_urls() -> None:
    ours = SIGNER.presign("GET", f"https://{HOST}/a?x=1", expires_in=300, timestamp=NOW).url
    theirs, their_time = botocore_presign(f"https://{HOST}/a?x=1")
    s3_style = sigv4.Signer(sigv4.Credentials(AKID, SECRET), region="us-east-1", service="service",
                            payload="unsigned").presign("GET", f"https://{HOST}/a?x=1", expires_in=300,
                                                        timestamp=NOW).url
    default, allowing = verifier(), verifier(allow_unsigned_payload=True)
    headers = [("Host", HOST)]
    for url, now in ((ours, NOW), (theirs, their_time)):
        assert code_of(lambda: default.verify("GET", url, headers, now=now)) == "verifies"
        # Refused before the fix: the option replaced the body's hash by UNSIGNED-PAYLOAD.
        assert code_of(lambda: allowing.verify("GET", url, headers, now=now)) == "verifies"
    assert code_of(lambda: allowing.verify("GET", s3_style, headers, now=NOW)) == "verifies"
    assert code_of(lambda: default.verify("GET", s3_style, headers, now=NOW)) == "SignatureDoesNotMatch"


@pytest.mark.parametrize("url", [
    "https://h.example/a#b?c=d",
    "https://h.example/a?x=1#y?z=2",
    "https://h.example/a#",
    "https://h.example/p%20q?x=1#f",
])
def test_signing_drops_the_fragment_as_urllib3_and_requests_send_it(url: str) -> None:
    signed = SIGNER.sign("GET", url, timestamp=NOW)
    sent = urllib3.util.parse_url(url)
    assert signed.url == sent._replace(fragment=None).url
    # What requests puts on the request line, and what the canonical request signed.
    path_url = requests.Request("GET", url).prepare().path_url
    path, _, query = path_url.partition("?")
    assert signed.url.endswith(path_url)
    lines = signed.canonical_request.split("\n")
    assert lines[1].startswith(path.split("%")[0]) and "#" not in signed.url
    assert (lines[2] == "") == (query == "")
