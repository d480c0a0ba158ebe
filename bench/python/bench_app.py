"""The ASGI apps bench_middleware.py serves: the same small JSON app, bare and behind SigV4Middleware."""

from __future__ import annotations

import sigv4
import sigv4.asgi

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
BODY = b'{"ok": true}'


async def plain(scope, receive, send):
    """A small app: drains the request and answers 200 with a little JSON."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]})
    await send({"type": "http.response.body", "body": BODY})


# Replay cache off: the load generator sends the same signed request again and again.
protected = sigv4.asgi.SigV4Middleware(
    plain, sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api", max_skew=3600)
)
