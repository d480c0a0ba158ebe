#!/usr/bin/env python3
"""`make bench-proxy`: the signing proxy under load, same machine, same upstream, same run.

Upstream: cli/examples/verify_sink in its no-verify mode (answers 200 after reading the body), so the
rows differ only by what sits in front of it.
Rows:  direct (no proxy)  — the floor
       sigv4 proxy        — this project (release build)
       aws-sigv4-proxy    — awslabs' Go proxy, when AWS_SIGV4_PROXY_BIN points at a build of it
Small requests: wrk, 2 threads, 64 connections, 10 s, GET; throughput and p99 latency.
Upload: one 256 MiB PUT through each proxy (S3, so ours streams aws-chunked); the proxy's peak RSS.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release"
SIGV4 = TARGET / "sigv4"
SINK = TARGET / "examples" / "verify_sink"
THEIRS = os.environ.get("AWS_SIGV4_PROXY_BIN")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
ENV.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
           AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def wrk(url: str) -> tuple[float, float]:
    out = subprocess.run(["wrk", "-t2", "-c64", "-d10s", "--latency", url], capture_output=True, text=True,
                         check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    return rps, float(p99.group(1)) * scale


def upload(port: int, size: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.putrequest("PUT", "/bucket/big.bin")
    conn.putheader("Content-Length", str(size))
    conn.putheader("Content-Type", "application/octet-stream")
    conn.endheaders()
    piece = os.urandom(1 << 20)
    for _ in range(size >> 20):
        conn.send(piece)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"upload through {port}: {response.status} {body[:200]!r}")


def peak_rss_mib(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    sink = subprocess.Popen([str(SINK), "-", "-", "us-east-1", "s3"], stdout=subprocess.PIPE, text=True)
    upstream = sink.stdout.readline().split("listening on ", 1)[1].strip()
    upstream_port = int(upstream.rsplit(":", 1)[1])
    rows = [("direct (no proxy)", None)]
    port = free_port()
    ours = subprocess.Popen([str(SIGV4), "proxy", "--listen", f"127.0.0.1:{port}", "--upstream", upstream,
                             "--service", "s3", "--quiet"], env=ENV, stderr=subprocess.DEVNULL)
    rows.append(("sigv4 proxy", (ours, port)))
    if THEIRS:
        port = free_port()
        theirs = subprocess.Popen([THEIRS, "--name", "s3", "--region", "us-east-1", "--host", f"127.0.0.1:{upstream_port}",
                                   "--port", f":{port}", "--upstream-url-scheme", "http"], env=ENV,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows.append(("aws-sigv4-proxy", (theirs, port)))
    try:
        results = []
        for name, proc in rows:
            target_port = upstream_port if proc is None else proc[1]
            wait(target_port)
            rps, p99 = wrk(f"http://127.0.0.1:{target_port}/bucket/small")
            rss = ""
            if proc is not None:
                upload(proc[1], 256 << 20)
                rss = f"{peak_rss_mib(proc[0].pid):.1f}"
            results.append((name, rps, p99, rss))
        print(f"{'':<20} {'requests/s':>11} {'p99 ms':>8} {'peak RSS MiB (256 MiB upload)':>30}")
        for name, rps, p99, rss in results:
            print(f"{name:<20} {rps:>11.0f} {p99:>8.2f} {rss or '-':>30}")
        if not THEIRS:
            print("\naws-sigv4-proxy: not measured (set AWS_SIGV4_PROXY_BIN; the Go module proxy reachable here "
                  "answers 403 for github.com/awslabs/aws-sigv4-proxy)")
    finally:
        for _, proc in rows:
            if proc is not None:
                proc[0].terminate()
        sink.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
