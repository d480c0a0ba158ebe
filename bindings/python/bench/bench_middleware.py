"""Throughput of an ASGI server with and without sigv4.asgi.SigV4Middleware (issue 6 item 4).

Runs the same small app (bench_app.py) under uvicorn (one worker, httptools/h11 as installed) on
127.0.0.1, bare and behind the middleware, and drives each with wrk on 127.0.0.1. wrk cannot sign
per request, so it replays one request signed just before the run (Authorization header, replay
cache off, skew window 1 h) — every request is still fully verified (parse, scope, time, key lookup,
canonical request, HMAC, constant-time compare). Runs alternate (bare, protected, ...) and the table
shows the median of each. Prints the commands used.

    python bench_middleware.py [--seconds 5] [--rounds 3] [--connections 32] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sigv4  # noqa: E402
from bench_app import AKID, SECRET  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app: str, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "uvicorn", f"bench_app:{app}", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "warning", "--no-access-log", "--lifespan", "off"]
    proc = subprocess.Popen(cmd, cwd=HERE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"uvicorn did not start: {' '.join(cmd)}")


def wrk(url: str, headers: dict, seconds: int, connections: int, threads: int) -> tuple:
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{non2xx.group(1)} requests were refused:\n{out}")
    return rps, cmd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench-python-middleware installs it with apt-get)")

    servers = {}
    try:
        for app in ("plain", "protected"):
            port = free_port()
            servers[app] = (start(app, port), port)
        signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")
        results = {"plain": [], "protected": []}
        commands = {}
        for round_ in range(args.rounds + 1):  # round 0 warms both up and is not counted
            for app in ("plain", "protected"):
                port = servers[app][1]
                url = f"http://127.0.0.1:{port}/v1/items?limit=10"
                headers = {}
                if app == "protected":
                    signed = signer.sign("GET", url)
                    headers = {k: v for k, v in signed.headers.items() if k.lower() != "host"}
                seconds = 2 if round_ == 0 else args.seconds
                rps, cmd = wrk(url, headers, seconds, args.connections, args.threads)
                if round_:
                    results[app].append(rps)
                    commands[app] = cmd
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(10)

    plain = statistics.median(results["plain"])
    protected = statistics.median(results["protected"])
    print(f"\nASGI (uvicorn, 1 worker) on 127.0.0.1, wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, "
          f"median of {args.rounds} interleaved rounds, {os.cpu_count()} CPUs shared with wrk")
    print(f"{'server':<34}{'requests/s':>12}{'vs bare':>10}")
    print(f"{'bare app':<34}{plain:>12.0f}{1:>10.1%}")
    print(f"{'app + sigv4.asgi.SigV4Middleware':<34}{protected:>12.0f}{protected / plain:>10.1%}")
    print(f"target >= 90% of bare: {'met' if protected >= 0.9 * plain else 'NOT met'}")
    print("rounds (req/s): bare " + ", ".join(f"{r:.0f}" for r in results["plain"])
          + "; protected " + ", ".join(f"{r:.0f}" for r in results["protected"]))
    redacted = [c if not c.startswith("Authorization:") else "Authorization: AWS4-HMAC-SHA256 ..." for c in commands["protected"]]
    print("server command: python -m uvicorn bench_app:{plain|protected} --host 127.0.0.1 --port P "
          "--log-level warning --no-access-log --lifespan off")
    print("load command:   " + " ".join(redacted))


if __name__ == "__main__":
    main()
