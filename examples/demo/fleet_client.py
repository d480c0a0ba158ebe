#!/usr/bin/env python3
"""The fleet step of `make demo`: two instances of the demo API share one Redis replay store.

    python examples/demo/fleet_client.py http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B [--expect-demo]

A request accepted by instance A is refused as a replay when the same bytes reach instance B (as a
load balancer could send them); two identical calls made with the client helpers' nonce
(``sigv4.requests.SigV4Auth(..., nonce=True)``) are both accepted, one by each instance. Every call
carries instance A's Host, as behind one load balancer name.
"""

from __future__ import annotations

import argparse
import os
import sys

import requests

import sigv4
import sigv4.requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_client  # noqa: E402 - the transcript and HTTP helpers of the Python client

python_client.TAG = "[fleet]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--expect-demo", action="store_true")
    args = parser.parse_args()
    a, b = args.a.rstrip("/"), args.b.rstrip("/")
    host = a.split("://", 1)[1]
    log = python_client.Transcript(args.expect_demo)
    creds = python_client.load_credentials()
    region = os.environ.get("AWS_REGION", "us-east-1")
    signer = sigv4.Signer(creds, region, "execute-api")

    signed = signer.sign("GET", f"{a}/jobs")
    headers = dict(signed.headers, Host=host)
    status, reply, _ = python_client.send("GET", signed.url, headers)
    log.record("accepted by instance A", "GET", signed.url, headers, status, reply, 200)
    status, reply, _ = python_client.send("GET", signed.url.replace(a, b), headers)
    log.record("same bytes to instance B", "GET", signed.url.replace(a, b), headers, status, reply, 403, "RequestReplayed")

    # The same call twice with the nonce: each carries a signed random X-Request-Nonce, so the copies differ.
    auth = sigv4.requests.SigV4Auth(creds, region, "execute-api", nonce=True)
    for name, base in (("A", a), ("B", b)):
        prepared = auth(requests.Request("GET", f"{a}/jobs").prepare())
        headers = dict(prepared.headers, Host=host)
        url = str(prepared.url).replace(a, base)
        status, reply, _ = python_client.send("GET", url, headers)
        log.record(f"repeated call with nonce, via instance {name}", "GET", url, headers, status, reply, 200)

    if log.failures:
        print(f"[fleet] {len(log.failures)} unexpected outcome(s):", *log.failures, sep="\n  ")
        return 1
    print("[fleet] all outcomes as expected" if log.strict else "[fleet] done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
