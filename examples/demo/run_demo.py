#!/usr/bin/env python3
"""`make demo`: start the local IAM-protected API, run the Python, Node and C clients against it.

Without API_URL: starts examples/demo/server.py on a free port on 127.0.0.1, gives each client one
of the demo identities, checks every outcome, and ends with the `sigv4` command: a request signed by
`sigv4 sign`, sent with its body tampered, and `sigv4 explain` reading the 403 answer; prints the
transcript, stops the server. Exit code 0
only when every expected outcome happened.

With API_URL and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (optionally AWS_SESSION_TOKEN) set: no
local server; the same clients call that endpoint with those credentials, and outcomes are printed,
not checked.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = ROOT / "examples" / "demo"


def clients(base: str, strict: bool) -> list[tuple[str, list[str]]]:
    expect = ["--expect-demo"] if strict else []
    return [
        ("Python (sigv4.Signer, requests and httpx auth)",
         [sys.executable, str(HERE / "python_client.py"), base, *expect]),
        ("TypeScript request-signer (invoke, batch, retry)",
         ["node", str(ROOT / "examples" / "node" / "dist" / "demo-client.js"), base, *expect]),
        ("C over a plain socket",
         [str(ROOT / "build" / "examples" / "c" / "demo_client"), base, *expect]),
    ]


def start_redis() -> tuple[subprocess.Popen, str, str]:
    """A private redis-server on a free 127.0.0.1 port (stopped by main's finally)."""
    import shutil
    import socket

    if shutil.which("redis-server") is None:
        raise SystemExit("demo: redis-server is not installed (make demo installs it: make redis-server-install)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="sigv4-demo-redis-")
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", workdir, "--loglevel", "warning"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                c.sendall(b"PING\r\n")
                if c.recv(16).startswith(b"+PONG"):
                    return redis, f"redis://127.0.0.1:{port}/0", workdir
        except OSError:
            time.sleep(0.05)
    redis.kill()
    raise SystemExit("demo: redis-server did not start")


def start_server(redis_url: str | None = None) -> tuple[subprocess.Popen, str]:
    extra = ["--redis", redis_url] if redis_url else []
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--port", "0", "--explain-mismatch", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 30
    assert server.stdout is not None
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if line.startswith("listening on "):
            return server, line.split("listening on ", 1)[1].strip()
        if not line and server.poll() is not None:
            break
    server.kill()
    raise SystemExit("demo: the server did not start")


def explain_tampered(base: str, ident: dict) -> bool:
    """The last step: sign a request with the `sigv4` command, send it with its body tampered, and
    let `sigv4 explain` read the 403 answer and name the cause."""
    binary = pathlib.Path(os.environ.get("SIGV4_BIN", ROOT / "target" / "debug" / "sigv4"))
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ident["access_key_id"], AWS_SECRET_ACCESS_KEY=ident["secret_access_key"],
               AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    env.pop("AWS_SESSION_TOKEN", None)
    body = '{"kind": "blog-post", "title": "hello"}'
    with tempfile.TemporaryDirectory() as tmp:
        signed_path, answer_path = pathlib.Path(tmp, "signed.json"), pathlib.Path(tmp, "answer.json")
        sign = [str(binary), "sign", "--json", "--service", "execute-api", "-H", "Content-Type: application/json",
                "--data-binary", body, f"{base}/jobs"]
        print("$ sigv4 sign --json --service execute-api -H 'Content-Type: application/json' "
              f"--data-binary '{body}' {base}/jobs > signed.json")
        signed = subprocess.run(sign, env=env, capture_output=True, timeout=60)
        if signed.returncode != 0:
            print(signed.stderr.decode())
            return False
        signed_path.write_bytes(signed.stdout)
        request = json.loads(signed.stdout)
        tampered = body.replace("blog-post", "blog-pwnd").encode()
        print(f"# the body is changed after signing ({body} -> {tampered.decode()}) and sent:")
        try:
            with urllib.request.urlopen(urllib.request.Request(request["url"], data=tampered,
                                        headers=dict(request["headers"]), method="POST"), timeout=10) as response:
                status, answer = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read()
        answer_path.write_bytes(answer)
        print(f"# the server answers {status} (saved as answer.json)")
        print("$ sigv4 explain answer.json --signed signed.json")
        sys.stdout.flush()
        explain = subprocess.run([str(binary), "explain", str(answer_path), "--signed", str(signed_path)],
                                 env=env, capture_output=True, timeout=60)
        print(explain.stdout.decode(), end="")
        print(explain.stderr.decode(), end="")
        return status == 403 and explain.returncode == 0 and b"cause [payload-hash]" in explain.stdout


def main() -> int:
    real = os.environ.get("API_URL")
    identities = json.loads((HERE / "identities.json").read_text())["identities"]
    server = second = redis = None
    redis_dir = None
    if real:
        base, strict = real, False
        print(f"demo: calling {base} with the credentials in the environment")
    else:
        # Two instances of the API behind one Redis, as a fleet behind a load balancer.
        redis, redis_url, redis_dir = start_redis()
        server, base = start_server(redis_url)
        second, base_b = start_server(redis_url)
        strict = True
        print(f"demo: local IAM-protected API (execute-api, us-east-1): instance A on {base}, instance B on {base_b}")
        print(f"demo: {len(identities)} identities in examples/demo/identities.json; "
              f"every request is checked by sigv4.Verifier (WSGI middleware), replay protection shared through "
              f"Redis ({redis_url})")
    failures = []
    try:
        for index, (name, command) in enumerate(clients(base, strict)):
            env = dict(os.environ)
            if not real:
                ident = identities[index % len(identities)]
                env["AWS_ACCESS_KEY_ID"] = ident["access_key_id"]
                env["AWS_SECRET_ACCESS_KEY"] = ident["secret_access_key"]
                env.pop("AWS_SESSION_TOKEN", None)
                if ident.get("session_token"):
                    env["AWS_SESSION_TOKEN"] = ident["session_token"]
                env["AWS_REGION"] = "us-east-1"
                env["API_URL"] = base
                who = f" as {ident['name']} ({ident['access_key_id']})"
            else:
                who = ""
            print()
            print(f"== {name}{who}")
            sys.stdout.flush()
            result = subprocess.run(command, env=env, timeout=120)
            if result.returncode != 0:
                failures.append(f"{name}: exit code {result.returncode}")
        if not real:
            print()
            print("== A fleet: two instances sharing one Redis replay store")
            sys.stdout.flush()
            ident = identities[0]
            env = dict(os.environ, AWS_ACCESS_KEY_ID=ident["access_key_id"],
                       AWS_SECRET_ACCESS_KEY=ident["secret_access_key"], AWS_REGION="us-east-1")
            env.pop("AWS_SESSION_TOKEN", None)
            if ident.get("session_token"):
                env["AWS_SESSION_TOKEN"] = ident["session_token"]
            fleet = subprocess.run([sys.executable, str(HERE / "fleet_client.py"), base, base_b, "--expect-demo"],
                                   env=env, timeout=120)
            if fleet.returncode != 0:
                failures.append(f"fleet: exit code {fleet.returncode}")
            print()
            print("== The sigv4 command: explain a refused request")
            if not explain_tampered(base, identities[0]):
                failures.append("sigv4 explain: the tampered request was not diagnosed as a payload-hash change")
    finally:
        for process in (server, second, redis):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        if redis_dir is not None:
            import shutil

            shutil.rmtree(redis_dir, ignore_errors=True)
    print()
    if failures:
        print("demo: FAILED —", "; ".join(failures))
        return 1
    print("demo: every client ran to its end" + (" and every outcome was as expected" if strict else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
