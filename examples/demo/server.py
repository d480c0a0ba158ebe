"""A local stand-in for API Gateway with IAM authorisation, protected by the libsigv4 verifier.

Every request goes through ``sigv4.wsgi.SigV4Middleware``: unsigned, tampered, expired or replayed
requests get 403 with the AWS error code; verified ones reach the app with the caller's identity.

    python examples/demo/server.py [--port 0] [--identities examples/demo/identities.json] [--explain-mismatch]
                                   [--redis redis://127.0.0.1:6379/0]

Prints ``listening on http://127.0.0.1:PORT`` once it accepts connections.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pathlib
import re
import sys
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import sigv4
from sigv4.wsgi import SigV4Middleware

HERE = pathlib.Path(__file__).resolve().parent


def load_identities(path: pathlib.Path):
    """The access-key store: access key id -> Credentials (with the session token that must match)."""
    doc = json.loads(path.read_text())
    store = {}
    for ident in doc["identities"]:
        store[ident["access_key_id"]] = sigv4.Credentials(
            ident["access_key_id"], ident["secret_access_key"], ident.get("session_token")
        )
    return doc["region"], doc["service"], store


class DemoApi:
    """The application behind the verifier: JSON in, JSON out, the verified caller echoed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: dict[str, dict] = {}
        self.ids = itertools.count(1)
        self.flaky_attempts: dict[str, list[str]] = {}

    def __call__(self, environ, start_response):
        who = environ["sigv4.identity"]
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO") or "/"
        query = environ.get("QUERY_STRING", "")
        size = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(size) if size else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return self.reply(start_response, 400, {"message": "body is not JSON"})
        caller = {
            "access_key_id": who.access_key_id,
            "region": who.region,
            "service": who.service,
            "signed_headers": list(who.signed_headers),
            "amz_date": who.amz_date,
            "presigned": who.presigned,
        }
        if path == "/health" and method == "GET":
            return self.reply(start_response, 200, {"status": "ok", "caller": caller})
        if path == "/jobs" and method == "GET":
            with self.lock:
                jobs = list(self.jobs.values())
            return self.reply(start_response, 200, {"jobs": jobs, "caller": caller})
        if path == "/jobs" and method == "POST":
            with self.lock:
                job_id = f"job-{next(self.ids)}"
                job = {"id": job_id, "status": "queued", "request": body}
                self.jobs[job_id] = job
            return self.reply(start_response, 200, {"job": job, "caller": caller})
        match = re.fullmatch(r"/jobs/([A-Za-z0-9-]+)", path)
        if match and method == "GET":
            with self.lock:
                job = self.jobs.get(match.group(1))
            if job is None:
                return self.reply(start_response, 404, {"message": f"no job {match.group(1)}"})
            return self.reply(start_response, 200, {"job": job, "caller": caller})
        if path in ("/mls/sync", "/analytics/sync") and method == "POST":
            return self.reply(
                start_response, 200, {"synced": path.split("/")[1], "request": body, "caller": caller}
            )
        if path == "/flaky":
            # Fails twice with 503, then succeeds: clients must retry, signing each attempt afresh
            # (the replay cache would refuse a resent signature).
            key = f"{who.access_key_id}:{query}"
            with self.lock:
                attempts = self.flaky_attempts.setdefault(key, [])
                attempts.append(who.amz_date)
                count = len(attempts)
            if count <= 2:
                return self.reply(start_response, 503, {"message": f"try again (attempt {count})"})
            return self.reply(start_response, 200, {"attempts": count, "caller": caller})
        return self.reply(start_response, 404, {"message": f"no route {method} {path}"})

    @staticmethod
    def reply(start_response, status: int, payload: dict):
        data = json.dumps(payload).encode()
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}[status]
        start_response(
            f"{status} {reason}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
        )
        return [data]


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    """wsgiref, quiet, passing the raw request target on as REQUEST_URI (as gunicorn and uWSGI do)
    and without the ``Content-Type: text/plain`` wsgiref invents for requests that sent none."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def get_environ(self):
        environ = super().get_environ()
        if self.headers.get("content-type") is None:
            environ.pop("CONTENT_TYPE", None)
        environ["REQUEST_URI"] = self.path
        return environ


def build_app(identities: pathlib.Path, explain_mismatch: bool = False, redis_url: str | None = None):
    region, service, store = load_identities(identities)
    if redis_url:
        # A fleet: every instance claims each verified request once in the shared Redis.
        from sigv4.replay import RedisReplayStore

        replay = {"replay_store": RedisReplayStore(url=redis_url, prefix="sigv4-demo:")}
    else:
        replay = {"replay_cache": 10_000}
    verifier = sigv4.Verifier(store, region=region, service=service, **replay)
    return SigV4Middleware(DemoApi(), verifier, explain_mismatch=explain_mismatch)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--identities", type=pathlib.Path, default=HERE / "identities.json")
    parser.add_argument("--explain-mismatch", action="store_true",
                        help="answer SignatureDoesNotMatch with the canonical request and string to sign "
                             "the server computed (as S3 does), for `sigv4 explain`")
    parser.add_argument("--redis", metavar="URL",
                        help="share replay protection with other instances through this Redis (redis://host:port/0)")
    args = parser.parse_args(argv)
    server = make_server(
        "127.0.0.1", args.port, build_app(args.identities, args.explain_mismatch, args.redis),
        server_class=ThreadingWSGIServer, handler_class=QuietHandler,
    )
    print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
