"""Real servers on 127.0.0.1 for the middleware tests: wsgiref (WSGI) and uvicorn (ASGI), in threads."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Callable, Iterator, Optional
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from socketserver import ThreadingMixIn

import uvicorn

IDENTITY = "sigv4.identity"


def describe(identity: Any, body: bytes) -> bytes:
    return json.dumps(
        {
            "access_key_id": identity.access_key_id,
            "region": identity.region,
            "service": identity.service,
            "signed_headers": list(identity.signed_headers),
            "presigned": identity.presigned,
            "body": body.decode("utf-8", "replace"),
        }
    ).encode()


def wsgi_echo(environ: dict, start_response: Callable[..., Any]) -> list:
    """Answers 200 with the identity and the body it was handed."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    data = describe(environ[IDENTITY], body)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


async def asgi_echo(scope: dict, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
    """The same for ASGI."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    data = describe(scope[IDENTITY], body)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


class _Quiet(WSGIRequestHandler):
    """wsgiref, quiet, and without its invented ``CONTENT_TYPE: text/plain`` for requests that sent none."""

    def log_message(self, *args: object) -> None:
        pass

    def get_environ(self) -> dict:
        environ = super().get_environ()
        if self.headers.get("content-type") is None:
            environ.pop("CONTENT_TYPE", None)
        return environ


class RawUriHandler(_Quiet):
    """wsgiref plus ``REQUEST_URI`` (the raw request target), as gunicorn/uWSGI/werkzeug provide."""

    def get_environ(self) -> dict:
        environ = super().get_environ()
        environ["REQUEST_URI"] = self.path
        return environ


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def serve_wsgi(app: Any, raw_uri: bool = True) -> Iterator[str]:
    handler = RawUriHandler if raw_uri else _Quiet
    httpd = make_server("127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def serve_asgi(app: Any) -> Iterator[str]:
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def run_async(coro: Any) -> Optional[Any]:
    return asyncio.run(coro)
