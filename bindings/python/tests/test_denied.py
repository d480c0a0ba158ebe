"""Operators see denials: ``on_denied(error, request)`` on the WSGI and ASGI middleware and the
``sigv4`` logger (INFO: request line, code, message; DEBUG: the server's canonical request with the
session token redacted, and the string to sign). No secret ever reaches a log record."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, List, Tuple

import sigv4
import sigv4.asgi
import sigv4.wsgi

SECRET = "denied-secret-key-xyz"
TOKEN = "session-token-abcdef123"
T0 = 1_700_000_000
URL = "http://api.example/v1/items?limit=10"


def verifier() -> sigv4.Verifier:
    creds = {"AKIDDENIED": sigv4.Credentials("AKIDDENIED", SECRET, TOKEN)}
    return sigv4.Verifier(creds, region="us-east-1", service="execute-api")


def app(environ: Any, start_response: Any) -> List[bytes]:
    start_response("200 OK", [])
    return [b"ok"]


def tampered_environ() -> dict:
    s = sigv4.Signer(sigv4.Credentials("AKIDDENIED", SECRET, TOKEN), "us-east-1", "execute-api")
    req = s.sign("GET", URL, {}, b"", timestamp=T0)
    env = {"REQUEST_METHOD": "GET", "REQUEST_URI": "/v1/items?limit=11", "PATH_INFO": "/v1/items",
           "QUERY_STRING": "limit=11", "SERVER_SOFTWARE": "test", "wsgi.input": None}
    for name, value in req.header_list:
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def test_wsgi_on_denied_and_logger(caplog: Any) -> None:
    seen: List[Tuple[str, Any]] = []
    mw = sigv4.wsgi.SigV4Middleware(app, verifier(), clock=lambda: T0,
                                    on_denied=lambda e, r: seen.append((e.code, r)))
    env = tampered_environ()
    statuses: List[str] = []
    with caplog.at_level(logging.DEBUG, logger="sigv4"):
        mw(env, lambda status, headers: statuses.append(status))
    assert statuses == ["403 Forbidden"]
    assert seen == [("SignatureDoesNotMatch", env)]
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "sigv4")
    assert "denied GET /v1/items?limit=11: SignatureDoesNotMatch" in text
    assert "canonical request:" in text and "x-amz-security-token:** redacted **" in text
    assert TOKEN not in text and SECRET not in text


def test_a_broken_hook_still_answers(caplog: Any) -> None:
    def boom(e: Any, r: Any) -> None:
        raise RuntimeError("hook broke")

    mw = sigv4.wsgi.SigV4Middleware(app, verifier(), clock=lambda: T0, on_denied=boom)
    statuses: List[str] = []
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/x", "QUERY_STRING": "", "HTTP_HOST": "api.example"}
    with caplog.at_level(logging.INFO, logger="sigv4"):
        mw(env, lambda status, headers: statuses.append(status))
    assert statuses == ["403 Forbidden"]
    assert any("on_denied hook failed" in r.getMessage() for r in caplog.records)


def test_asgi_on_denied() -> None:
    seen: List[Tuple[str, Any]] = []
    mw = sigv4.asgi.SigV4Middleware(lambda *a: None, verifier(), clock=lambda: T0,
                                    on_denied=lambda e, r: seen.append((e.code, r)))
    scope = {"type": "http", "method": "GET", "path": "/x", "raw_path": b"/x", "query_string": b"",
             "root_path": "", "headers": [(b"host", b"api.example")], "http_version": "1.1"}
    sent: List[Any] = []

    async def receive() -> Any:
        return {"type": "http.disconnect"}

    async def send(m: Any) -> None:
        sent.append(m)

    asyncio.run(mw(scope, receive, send))
    assert sent[0]["status"] == 403
    assert seen == [("MissingAuthenticationToken", scope)]
