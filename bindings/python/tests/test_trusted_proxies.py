"""``trusted_proxies=`` on the WSGI and ASGI middlewares: behind a reverse proxy that rewrites ``Host`` and
strips a path prefix (a small forwarding proxy started here on 127.0.0.1, setting ``X-Forwarded-Host`` and
``X-Forwarded-Prefix``), a request signed for the public URL verifies when the proxy is trusted; the same
headers from an untrusted peer are ignored (the request is verified as received), crafted headers from
loopback included; a malformed value from a trusted proxy is a 400. The rule itself is the core's
(``sigv4.TrustedProxies``)."""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import requests

import sigv4
import sigv4.asgi
import sigv4.wsgi
from sigv4.requests import SigV4Auth

AKID, SECRET = "AKIDPROXY", "proxy-secret-key"
AUTH = SigV4Auth(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")


def verifier():
    return sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api")


def app(environ, start_response):
    data = json.dumps({"path": environ.get("PATH_INFO"), "who": environ["sigv4.identity"].access_key_id}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def forwarding_proxy(backend_port, prefix="/api", forwarded_prefix=None):
    """A reverse proxy: /api/x -> backend /x, Host rewritten to the backend, X-Forwarded-* set."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path[len(prefix):] if self.path.startswith(prefix) else self.path
            conn = http.client.HTTPConnection("127.0.0.1", backend_port, timeout=10)
            conn.putrequest(self.command, path or "/", skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in ("host", "connection"):
                    conn.putheader(name, value)
            conn.putheader("Host", f"127.0.0.1:{backend_port}")
            conn.putheader("X-Forwarded-Host", self.headers["Host"])
            conn.putheader("X-Forwarded-Prefix", forwarded_prefix or prefix)
            conn.endheaders(body)
            answer = conn.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.getheader("Content-Type", ""))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = _forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def backend():
    servers = []

    def start(**options):
        httpd = make_server("127.0.0.1", 0, sigv4.wsgi.SigV4Middleware(app, verifier(), **options), handler_class=_Quiet)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return httpd.server_address[1]

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def through_proxy(port, forwarded_prefix=None, method="GET", body=None):
    proxy = forwarding_proxy(port, forwarded_prefix=forwarded_prefix)
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}/api/items?x=1"
        return requests.request(method, url, data=body, auth=AUTH, timeout=10)
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_wsgi_behind_a_trusted_proxy(backend):
    port = backend(trusted_proxies=["127.0.0.1"])
    r = through_proxy(port)
    assert r.status_code == 200, r.text
    assert r.json() == {"path": "/items", "who": AKID}
    r = through_proxy(port, method="POST", body=b'{"a":1}')
    assert r.status_code == 200, r.text
    # A malformed prefix from the trusted proxy: refused as malformed, not guessed.
    r = through_proxy(port, forwarded_prefix="api")
    assert r.status_code == 400 and r.json()["__type"] == "InvalidHeaderValue"


@pytest.mark.parametrize("trusted", [None, ["10.0.0.0/8", "::2"]])
def test_wsgi_forwarded_headers_of_untrusted_peers_are_ignored(backend, trusted):
    port = backend(trusted_proxies=trusted)
    r = through_proxy(port)  # the proxy (127.0.0.1) is not trusted: verified as received -> mismatch
    assert r.status_code == 403 and r.json()["__type"] == "SignatureDoesNotMatch"
    # A client on loopback crafting the headers gains nothing: a request signed for the backend
    # still verifies (the headers are ignored), one signed for the forged host does not.
    url = f"http://127.0.0.1:{port}/items?x=1"
    forged = {"X-Forwarded-Host": "forged.example", "X-Forwarded-Prefix": "/api"}
    assert requests.get(url, headers=forged, auth=AUTH, timeout=10).status_code == 200
    prepared = requests.Request("GET", "http://forged.example/api/items?x=1").prepare()
    AUTH(prepared)
    headers = {k: v for k, v in prepared.headers.items() if k.lower() != "host"}
    r = requests.get(url, headers={**headers, **forged}, timeout=10)
    assert r.status_code == 403


def test_wsgi_trusted_loopback_honours_headers_but_not_a_forgery(backend):
    port = backend(trusted_proxies=["127.0.0.0/8", "::1"])
    url = f"http://127.0.0.1:{port}/items?x=1"
    # Signed for the backend, with a forwarded host set by a (trusted) peer: verified against that host.
    r = requests.get(url, headers={"X-Forwarded-Host": "public.example"}, auth=AUTH, timeout=10)
    assert r.status_code == 403
    prepared = requests.Request("GET", "http://public.example/items?x=1").prepare()
    AUTH(prepared)
    headers = {k: v for k, v in prepared.headers.items() if k.lower() != "host"}
    r = requests.get(url, headers={**headers, "X-Forwarded-Host": "public.example"}, timeout=10)
    assert r.status_code == 200, r.text
    # The last value is the trusted peer's; an earlier (client-supplied) one is not used.
    r = requests.get(url, headers={**headers, "X-Forwarded-Host": "public.example, other.example"}, timeout=10)
    assert r.status_code == 403


def test_bad_trusted_proxies_option():
    with pytest.raises(sigv4.Error) as e:
        sigv4.wsgi.SigV4Middleware(app, verifier(), trusted_proxies=["10.0.0.0/33"])
    assert e.value.code == "InvalidOption"
    with pytest.raises(TypeError):
        sigv4.asgi.SigV4Middleware(app, verifier(), trusted_proxies="127.0.0.1")


def asgi_status(trusted, client, sign_url, headers_extra):
    prepared = requests.Request("GET", sign_url).prepare()
    AUTH(prepared)
    headers = [(b"host", b"backend:8000")] + [(k.lower().encode(), v.encode()) for k, v in prepared.headers.items()
                                            if k.lower() != "host"]
    headers += [(k.encode(), v.encode()) for k, v in headers_extra]

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    mw = sigv4.asgi.SigV4Middleware(inner, verifier(), trusted_proxies=trusted)
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "raw_path": b"/items", "path": "/items", "query_string": b"x=1",
             "headers": headers, "client": client, "http_version": "1.1"}
    asyncio.run(mw(scope, receive, send))
    return sent[0]["status"], sent[1]["body"]


def test_asgi_crafted_headers():
    fwd = [("x-forwarded-host", "api.example.com"), ("x-forwarded-prefix", "/v1")]
    public = "https://api.example.com/v1/items?x=1"
    assert asgi_status(["127.0.0.1"], ("127.0.0.1", 5000), public, fwd) == (200, b"/items")
    assert asgi_status(["::1"], ("::ffff:127.0.0.1", 5000), public, fwd)[0] == 403
    assert asgi_status(["127.0.0.1"], ("192.0.2.7", 5000), public, fwd)[0] == 403
    assert asgi_status(None, ("127.0.0.1", 5000), public, fwd)[0] == 403
    assert asgi_status(["127.0.0.1"], None, public, fwd)[0] == 403
    # Untrusted peer, request signed for what it reached: the forged headers change nothing.
    assert asgi_status(["10.0.0.0/8"], ("127.0.0.1", 5000), "http://backend:8000/items?x=1", fwd)[0] == 200
    status, body = asgi_status(["127.0.0.1"], ("127.0.0.1", 5000), public, [("x-forwarded-host", "bad host")])
    assert status == 400 and json.loads(body)["__type"] == "InvalidHeaderValue"
