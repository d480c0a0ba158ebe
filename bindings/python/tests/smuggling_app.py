"""Echo applications behind the SigV4 middleware, for the servers of test_smuggling.py.

Each answers 200 with JSON of exactly what it received: method, the raw target as the server hands
it over (ASGI ``raw_path`` + ``query_string``; WSGI ``REQUEST_URI``/``RAW_URI``), the decoded path
(ASGI ``path``, WSGI ``PATH_INFO``, as latin-1 bytes), the query, every header, and the body.
The verifier's clock is the signing time of the cases (20150830T123600Z).
"""

from __future__ import annotations

import base64
import json
from typing import List, Tuple

import sigv4
import sigv4.asgi
import sigv4.wsgi

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
T0 = 1_440_938_160.0  # 20150830T123600Z

VERIFIER = sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="service")


def _answer(seen: dict) -> Tuple[bytes, List[Tuple[str, str]]]:
    body = json.dumps(seen).encode()
    return body, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]


async def _asgi_echo(scope, receive, send):  # type: ignore[no-untyped-def]
    body = b""
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return
        body += message.get("body", b"")
        more = message.get("more_body", False)
    raw_path = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string", b"")
    seen = {
        "method": scope["method"],
        "target": (raw_path + (b"?" + query if query else b"")).decode("latin-1"),
        "path": scope["path"].encode("utf-8").decode("latin-1"),
        "query": query.decode("latin-1"),
        "headers": [[n.decode("latin-1"), v.decode("latin-1")] for n, v in scope["headers"]],
        "body": base64.b64encode(body).decode(),
    }
    answer, headers = _answer(seen)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(n.lower().encode(), v.encode()) for n, v in headers]})
    await send({"type": "http.response.body", "body": answer})


def _wsgi_echo(environ, start_response):  # type: ignore[no-untyped-def]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append([key[5:].replace("_", "-").lower(), value])
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers.append([key.replace("_", "-").lower(), value])
    query = environ.get("QUERY_STRING", "")
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI") or ""
    seen = {
        "method": environ["REQUEST_METHOD"],
        "target": target,
        "path": environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
        "query": query,
        "headers": headers,
        "body": base64.b64encode(body).decode(),
    }
    answer, response_headers = _answer(seen)
    start_response("200 OK", response_headers)
    return [answer]


asgi_app = sigv4.asgi.SigV4Middleware(_asgi_echo, VERIFIER, clock=lambda: T0)
wsgi_app = sigv4.wsgi.SigV4Middleware(_wsgi_echo, VERIFIER, clock=lambda: T0)
