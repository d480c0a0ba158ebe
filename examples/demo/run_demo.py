#!/usr/bin/env python3
"""`make demo`: start the local IAM-protected API, run the Python, Node and C clients against it.

Without API_URL: starts examples/demo/server.py on a free port on 127.0.0.1, gives each client one
of the demo identities, checks every outcome, prints the transcript, stops the server. Exit code 0
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
import time

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


def start_server() -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--port", "0"],
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


def main() -> int:
    real = os.environ.get("API_URL")
    identities = json.loads((HERE / "identities.json").read_text())["identities"]
    server = None
    if real:
        base, strict = real, False
        print(f"demo: calling {base} with the credentials in the environment")
    else:
        server, base = start_server()
        strict = True
        print(f"demo: local IAM-protected API (execute-api, us-east-1) listening on {base}")
        print(f"demo: {len(identities)} identities in examples/demo/identities.json; "
              "every request is checked by sigv4.Verifier (WSGI middleware, replay cache on)")
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
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    print()
    if failures:
        print("demo: FAILED —", "; ".join(failures))
        return 1
    print("demo: every client ran to its end" + (" and every outcome was as expected" if strict else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
