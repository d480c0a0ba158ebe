"""The ASGI and WSGI middleware called directly (no server): body replay, limits, scope forms.

Requests are signed by ``sigv4.Signer`` at a fixed time; the middleware's clock is fixed to the same
time, so every case is deterministic. Expected outcomes are statuses and AWS error codes.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any, Dict, List, Optional

import sigv4
import sigv4._native
import sigv4.asgi
import sigv4.wsgi
from conftest import AKID, SECRET

T0 = 1_700_000_000
URL = "http://api.example/v1/items?limit=10"


def verifier() -> sigv4.Verifier:
    return sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api")


def signed(method: str = "POST", body: bytes = b"", headers: Optional[Dict[str, str]] = None) -> sigv4.SignedRequest:
    s = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")
    return s.sign(method, URL, headers or {}, body, timestamp=T0)


def scope_of(req: sigv4.SignedRequest, raw_path: bool = True) -> Dict[str, Any]:
    scope: Dict[str, Any] = {
        "type": "http", "method": req.method, "path": "/v1/items", "query_string": b"limit=10", "root_path": "",
        "headers": [(n.lower().encode("latin-1"), v.encode("utf-8")) for n, v in req.header_list],
    }
    if raw_path:
        scope["raw_path"] = b"/v1/items"
    return scope


async def call(app: Any, scope: Dict[str, Any], messages: List[Dict[str, Any]]) -> Dict[str, Any]:
    queue = list(messages)
    sent: List[Dict[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    out: Dict[str, Any] = {"sent": sent}
    if sent:
        out["status"] = sent[0]["status"]
        out["body"] = b"".join(m.get("body", b"") for m in sent[1:])
    return out


def echo_app(seen: Dict[str, Any]):
    async def app(scope, receive, send):
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        seen["identity"] = scope["sigv4.identity"]
        seen["body"] = body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
    return app


def test_asgi_body_in_several_messages_is_replayed_whole() -> None:
    body = b"x" * 5000
    req = signed(body=body)
    seen: Dict[str, Any] = {}
    app = sigv4.asgi.SigV4Middleware(echo_app(seen), verifier(), clock=lambda: T0)
    pieces = [{"type": "http.request", "body": body[i:i + 1000], "more_body": i + 1000 < len(body)}
              for i in range(0, len(body), 1000)]
    out = asyncio.run(call(app, scope_of(req), pieces))
    assert out["status"] == 200
    assert seen["body"] == body
    assert seen["identity"].access_key_id == AKID


def test_asgi_single_message_and_tampered_body() -> None:
    req = signed(body=b"hello")
    seen: Dict[str, Any] = {}
    app = sigv4.asgi.SigV4Middleware(echo_app(seen), verifier(), clock=lambda: T0)
    out = asyncio.run(call(app, scope_of(req), [{"type": "http.request", "body": b"hello"}]))
    assert out["status"] == 200 and seen["body"] == b"hello"
    out = asyncio.run(call(app, scope_of(req), [{"type": "http.request", "body": b"hellO"}]))
    assert out["status"] == 403
    # execute-api signs the body hash without an x-amz-content-sha256 header: a different body
    # gives a different canonical request.
    assert json.loads(out["body"])["__type"] == "SignatureDoesNotMatch"


def test_scope_has_body_follows_http1_framing_and_assumes_a_body_otherwise() -> None:
    def scope(version: Optional[str], *headers: Any) -> Dict[str, Any]:
        s: Dict[str, Any] = {"type": "http", "headers": list(headers)}
        if version is not None:
            s["http_version"] = version
        return s

    cases = [
        (scope("1.1"), False),
        (scope("1.0", (b"host", b"h")), False),
        (scope("1.1", (b"content-length", b"0")), False),
        (scope("1.1", (b"Content-Length", b"5")), True),
        (scope("1.1", (b"transfer-encoding", b"chunked")), True),
        (scope("2"), True),  # HTTP/2 bodies need no Content-Length
        (scope("3"), True),
        (scope(None), True),
    ]
    for s, expected in cases:
        assert sigv4._native.scope_has_body(s) is expected, s


def test_verify_bodiless_scope_verifies_only_requests_that_announce_no_body() -> None:
    v = verifier()
    get = {**scope_of(signed(method="GET")), "http_version": "1.1"}
    identity = v.verify_bodiless_scope(get, T0)
    assert identity is not None and identity.access_key_id == AKID
    assert identity.signed_headers == v.verify_scope(get, b"", T0).signed_headers
    # A wrong signature on a bodiless request is refused, as verify_scope refuses it.
    def flip_last(value: bytes) -> bytes:  # the signature's last hex digit changed
        return value[:-1] + (b"0" if value[-1:] != b"0" else b"1")

    bad = {**get, "headers": [(n, flip_last(x) if n == b"authorization" else x) for n, x in get["headers"]]}
    try:
        v.verify_bodiless_scope(bad, T0)
        raise AssertionError("a bad signature verified")
    except sigv4.VerificationError as e:
        assert e.code == "SignatureDoesNotMatch", e.code
    # Requests that may carry a body are left for verify_scope: None, nothing checked (not even
    # the broken signature).
    with_length = {**bad, "headers": bad["headers"] + [(b"content-length", b"5")]}
    chunked = {**bad, "headers": bad["headers"] + [(b"transfer-encoding", b"chunked")]}
    for maybe_body in (with_length, chunked, {**bad, "http_version": "2"}, {k: x for k, x in bad.items() if k != "http_version"}):
        assert v.verify_bodiless_scope(maybe_body, T0) is None, maybe_body
    # Content-Length 0 announces no body: verified.
    zero = {**get, "headers": get["headers"] + [(b"content-length", b"0")]}
    assert v.verify_bodiless_scope(zero, T0) is not None


def test_asgi_http1_request_without_a_body_is_verified_before_the_app_reads() -> None:
    req = signed(method="GET")
    seen: Dict[str, Any] = {}
    app = sigv4.asgi.SigV4Middleware(echo_app(seen), verifier(), clock=lambda: T0)
    scope = {**scope_of(req), "http_version": "1.1"}
    # The application gets the server's receive: its first message is the server's own.
    out = asyncio.run(call(app, scope, [{"type": "http.request", "body": b"", "more_body": False}]))
    assert out["status"] == 200 and seen["body"] == b""
    assert seen["identity"].access_key_id == AKID
    # Signed for a body that was not sent (no Content-Length): the empty body does not match.
    with_body = signed(method="GET", body=b"payload")
    scope = {**scope_of(with_body), "http_version": "1.1"}
    out = asyncio.run(call(app, scope, []))
    assert out["status"] == 403
    assert json.loads(out["body"])["__type"] == "SignatureDoesNotMatch"


def test_asgi_http2_body_without_content_length_is_read_and_checked() -> None:
    body = b'{"task": "render"}'
    req = signed(body=body)
    seen: Dict[str, Any] = {}
    app = sigv4.asgi.SigV4Middleware(echo_app(seen), verifier(), clock=lambda: T0)
    scope = {**scope_of(req), "http_version": "2"}
    scope["headers"] = [(n, v) for n, v in scope["headers"] if n != b"content-length"]
    out = asyncio.run(call(app, scope, [{"type": "http.request", "body": body, "more_body": False}]))
    assert out["status"] == 200 and seen["body"] == body
    out = asyncio.run(call(app, scope, [{"type": "http.request", "body": body + b" ", "more_body": False}]))
    assert out["status"] == 403


def test_asgi_body_over_the_limit_in_pieces_is_413() -> None:
    req = signed(body=b"y" * 300)
    app = sigv4.asgi.SigV4Middleware(echo_app({}), verifier(), max_body=250, clock=lambda: T0)
    pieces = [{"type": "http.request", "body": b"y" * 100, "more_body": True} for _ in range(3)]
    out = asyncio.run(call(app, scope_of(req), pieces))
    assert out["status"] == 413
    one = asyncio.run(call(app, scope_of(req), [{"type": "http.request", "body": b"y" * 300}]))
    assert one["status"] == 413


def test_asgi_disconnect_before_the_body_ends_answers_nothing() -> None:
    req = signed(body=b"z" * 10)
    app = sigv4.asgi.SigV4Middleware(echo_app({}), verifier(), clock=lambda: T0)
    out = asyncio.run(call(app, scope_of(req), [{"type": "http.request", "body": b"z", "more_body": True}]))
    assert out["sent"] == []
    out = asyncio.run(call(app, scope_of(req), []))
    assert out["sent"] == []


def test_asgi_without_raw_path_requotes_the_path() -> None:
    req = signed(method="GET")
    seen: Dict[str, Any] = {}
    app = sigv4.asgi.SigV4Middleware(echo_app(seen), verifier(), clock=lambda: T0)
    out = asyncio.run(call(app, scope_of(req, raw_path=False), [{"type": "http.request"}]))
    assert out["status"] == 200


def test_asgi_unsigned_header_value_not_utf8_is_refused_not_crashed() -> None:
    req = signed(method="GET")
    scope = scope_of(req)
    scope["headers"] = scope["headers"] + [(b"x-amz-meta-a", b"\xff\xfe")]
    out = asyncio.run(call(sigv4.asgi.SigV4Middleware(echo_app({}), verifier(), clock=lambda: T0), scope,
                           [{"type": "http.request"}]))
    assert out["status"] == 403 and json.loads(out["body"])["__type"] == "UnsignedHeader"


def test_asgi_large_body_is_verified_off_the_loop() -> None:
    body = b"b" * (1 << 20)
    req = signed(body=body)
    seen: Dict[str, Any] = {}
    app = sigv4.asgi.SigV4Middleware(echo_app(seen), verifier(), max_body=2 << 20, clock=lambda: T0)
    out = asyncio.run(call(app, scope_of(req), [{"type": "http.request", "body": body}]))
    assert out["status"] == 200 and seen["body"] == body


def wsgi_environ(req: sigv4.SignedRequest, body: bytes) -> Dict[str, Any]:
    environ: Dict[str, Any] = {"REQUEST_METHOD": req.method, "RAW_URI": "/v1/items?limit=10",
                               "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)) if body else ""}
    for name, value in req.header_list:
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def test_wsgi_body_is_handed_on_and_empty_input_left_alone() -> None:
    seen: Dict[str, Any] = {}

    def app(environ, start_response):
        seen["body"] = environ["wsgi.input"].read()
        seen["length"] = environ["CONTENT_LENGTH"]
        seen["identity"] = environ["sigv4.identity"]
        start_response("200 OK", [])
        return [b"ok"]

    statuses: List[str] = []
    middleware = sigv4.wsgi.SigV4Middleware(app, verifier(), clock=lambda: T0)
    req = signed(body=b"payload")
    assert middleware(wsgi_environ(req, b"payload"), lambda s, h: statuses.append(s)) == [b"ok"]
    assert seen["body"] == b"payload" and seen["length"] == "7" and seen["identity"].access_key_id == AKID
    empty = signed(method="GET")
    environ = wsgi_environ(empty, b"")
    stream = environ["wsgi.input"]
    assert middleware(environ, lambda s, h: statuses.append(s)) == [b"ok"]
    assert environ["wsgi.input"] is stream and seen["body"] == b""
    tampered = wsgi_environ(req, b"payloaD")
    answer = middleware(tampered, lambda s, h: statuses.append(s))
    assert statuses[-1].startswith("403") and json.loads(answer[0])["__type"] == "SignatureDoesNotMatch"
