"""What a shared Redis replay store costs (issue 17, item 7): run by ``make bench-replay`` under
tests/replay/with-redis.sh (a private redis-server on 127.0.0.1, SIGV4_REDIS_URL), release build.

1. Per request, in one process: ``Verifier.verify`` of distinct header-signed requests with no replay
   check, with the in-memory cache, and with ``RedisReplayStore`` (redis-py, one ``SET NX PX`` round
   trip to the loopback Redis): microseconds per request and the added cost.
2. A two-process fleet: two uvicorn (httptools) instances of a small ASGI app behind
   ``sigv4.asgi.SigV4Middleware``, each loaded by its own wrk with distinct pre-signed requests, in
   three modes — no replay check, the per-process memory cache (not fleet-safe: the reference), and
   ``AsyncRedisReplayStore`` (the fleet shares Redis). Requests per second of the whole fleet.
Environment: BENCH_SECONDS (default 5), BENCH_CONNECTIONS per instance (default 32), BENCH_N (in-process
requests, default 10000)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sigv4
from sigv4.replay import RedisReplayStore

HERE = Path(__file__).resolve().parent
KEYS = {"AKIDBENCH": "bench-secret-key"}
SIGNER = sigv4.Signer(sigv4.Credentials("AKIDBENCH", "bench-secret-key"), "us-east-1", "execute-api")
HOST = "api.bench.test"
URL = os.environ["SIGV4_REDIS_URL"]
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
N = int(os.environ.get("BENCH_N", "10000"))


def sign_many(n: int, tag: str, stamp: str):
    out = []
    for i in range(n):
        path = f"/items/{tag}{i}"
        s = SIGNER.sign("GET", f"https://{HOST}{path}", {}, b"", stamp)
        h = dict(s.headers)
        out.append((path, h["X-Amz-Date"] if "X-Amz-Date" in h else h["x-amz-date"], h["Authorization"]))
    return out


def in_process() -> list:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    rows = []
    base = None
    for mode in ("none", "memory", "redis"):
        requests = sign_many(N, f"{mode}-{time.time_ns()}-", stamp)
        kwargs = {}
        if mode == "memory":
            kwargs["replay_cache"] = N + 1
        elif mode == "redis":
            kwargs["replay_store"] = RedisReplayStore(url=URL, prefix="sigv4-bench:", timeout=2.0)
        v = sigv4.Verifier(KEYS, region="us-east-1", service="execute-api", **kwargs)
        start = time.perf_counter()
        for path, date, auth in requests:
            v.verify("GET", path, [("Host", HOST), ("X-Amz-Date", date), ("Authorization", auth)], b"", stamp)
        us = (time.perf_counter() - start) / N * 1e6
        base = us if base is None else base
        rows.append((mode, us, us - base))
    return rows


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} did not start")


def fleet(mode: str, workdir: Path) -> tuple:
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen([sys.executable, str(HERE / "fleet_server.py"), mode, str(p), URL]) for p in ports]
    try:
        for p in ports:
            wait_port(p)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        # Enough distinct requests that wrk never wraps around (a wrapped request is a replay).
        per_server = 12000 * SECONDS
        runs = []
        for i, p in enumerate(ports):
            file = workdir / f"{mode}-{i}.tsv"
            file.write_text("".join(f"{a}\t{b}\t{c}\n" for a, b, c in sign_many(per_server, f"{mode}{i}-{time.time_ns()}-", stamp)))
            env = dict(os.environ, SIGV4_BENCH_REQUESTS=str(file), SIGV4_BENCH_THREADS="1")
            cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(HERE / "requests.lua"), f"http://127.0.0.1:{p}/"]
            runs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True))
        rps = 0.0
        bad = 0
        total = 0
        for r in runs:
            out = r.communicate()[0]
            rps += float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
            total += int(re.search(r"(\d+) requests in", out).group(1))
            m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            bad += int(m.group(1)) if m else 0
        return rps, total, bad
    finally:
        for s in servers:
            s.terminate()
            s.wait()


def main() -> None:
    print(f"libsigv4 replay store benchmark (redis-server {subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.split()[2][2:]}, loopback; {os.cpu_count()} cores)")
    print()
    print(f"1. Verifier.verify in one process, {N} distinct header-signed requests (release build)")
    print(f"| {'replay check':<38} | {'us/request':>10} | {'added':>8} |")
    print(f"|{'-' * 40}|{'-' * 12}|{'-' * 10}|")
    names = {"none": "none", "memory": "in-memory cache (one process)", "redis": "RedisReplayStore (redis-py, SET NX PX)"}
    for mode, us, added in in_process():
        print(f"| {names[mode]:<38} | {us:>10.1f} | {added:>+8.1f} |")
    print()
    print(f"2. Two-process fleet: 2 x uvicorn+httptools ASGI behind SigV4Middleware, each loaded by wrk "
          f"(-t1 -c{CONNECTIONS}, {SECONDS} s, distinct signed requests), all on this machine")
    print(f"| {'replay check':<46} | {'fleet req/s':>11} | {'vs none':>7} | {'refused':>7} |")
    print(f"|{'-' * 48}|{'-' * 13}|{'-' * 9}|{'-' * 9}|")
    names = {"none": "none", "memory": "in-memory cache (per process: not fleet-safe)", "redis": "AsyncRedisReplayStore (shared by the fleet)"}
    base = None
    with tempfile.TemporaryDirectory() as d:
        for mode in ("none", "memory", "redis"):
            rps, total, bad = fleet(mode, Path(d))
            base = rps if base is None else base
            print(f"| {names[mode]:<46} | {rps:>11.0f} | {rps / base:>6.0%} | {bad:>7} |", flush=True)
    print()
    print("refused: non-2xx answers (should be 0: every request is distinct and inside its window).")


if __name__ == "__main__":
    main()
