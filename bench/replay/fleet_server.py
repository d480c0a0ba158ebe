"""One Python instance of the fleet benchmark: ``fleet_server.py MODE PORT REDIS_URL PREFIX`` serves a small ASGI app
behind sigv4.asgi.SigV4Middleware on 127.0.0.1:PORT (uvicorn, httptools). MODE: ``none`` (no replay
check), ``memory`` (the per-process cache: not fleet-safe, the reference) or ``redis``
(AsyncRedisReplayStore: the fleet shares one Redis)."""

import sys

import uvicorn

import sigv4
import sigv4.asgi
from sigv4.replay import AsyncRedisReplayStore

KEYS = {"AKIDBENCH": "bench-secret-key"}
BODY = b'{"ok": true}'


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]})
    await send({"type": "http.response.body", "body": BODY})


def main() -> None:
    mode, port = sys.argv[1], int(sys.argv[2])
    store = None
    cache = None
    if mode == "memory":
        cache = True
    elif mode == "redis":
        store = AsyncRedisReplayStore(url=sys.argv[3], prefix=sys.argv[4], timeout=2.0)
    verifier = sigv4.Verifier(KEYS, region="us-east-1", service="execute-api", max_skew=3600, replay_cache=cache)
    uvicorn.run(sigv4.asgi.SigV4Middleware(app, verifier, replay_store=store), host="127.0.0.1", port=port,
                log_level="warning", access_log=False, http="httptools", backlog=2048)


if __name__ == "__main__":
    main()
