"""One instance of a verifying API for the fleet tests: ``fleet_app.py wsgi|asgi REDIS_URL``.

``wsgi``: sigv4.wsgi middleware on a threading wsgiref server, Verifier(replay_store=RedisReplayStore)
(redis-py, synchronous). ``asgi``: sigv4.asgi middleware under uvicorn with AsyncRedisReplayStore
(redis.asyncio). Binds 127.0.0.1 on a free port and prints ``PORT <n>``; answers 200 with the
access key id, or the middleware's error answer."""

import socket
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import sigv4
from sigv4.replay import AsyncRedisReplayStore, RedisReplayStore

KEYS = {"AKIDFLEET": "fleet-secret-key"}
PREFIX = "sigv4-test:"


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 256


def wsgi(url: str) -> None:
    from sigv4.wsgi import SigV4Middleware

    store = RedisReplayStore(url=url, prefix=PREFIX, timeout=5)
    verifier = sigv4.Verifier(KEYS, region="us-east-1", service="execute-api", replay_store=store)

    def app(environ, start_response):
        who = environ["sigv4.identity"].access_key_id
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [who.encode()]

    server = make_server("127.0.0.1", 0, SigV4Middleware(app, verifier), server_class=ThreadingServer, handler_class=Quiet)
    print("PORT", server.server_port, flush=True)
    server.serve_forever()


def asgi(url: str) -> None:
    import uvicorn

    from sigv4.asgi import SigV4Middleware

    verifier = sigv4.Verifier(KEYS, region="us-east-1", service="execute-api")
    store = AsyncRedisReplayStore(url=url, prefix=PREFIX, timeout=5)

    async def app(scope, receive, send):
        who = scope["sigv4.identity"].access_key_id
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": who.encode()})

    port = free_port()
    print("PORT", port, flush=True)
    uvicorn.run(SigV4Middleware(app, verifier, replay_store=store), host="127.0.0.1", port=port,
                log_level="warning", access_log=False, backlog=1024)


if __name__ == "__main__":
    {"wsgi": wsgi, "asgi": asgi}[sys.argv[1]](sys.argv[2])
