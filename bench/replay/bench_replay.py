"""What a shared Redis replay store costs (issue 17, item 7), Python and Node in the same run: run by
``make bench-replay`` under tests/replay/with-redis.sh (a private redis-server on 127.0.0.1 without
persistence, SIGV4_REDIS_URL), release builds of both bindings.

1. Per verification, one process, one request at a time: distinct header-signed requests verified with
   no replay check, with the in-memory cache, and with the Redis store (Python: ``RedisReplayStore`` on
   redis-py inside ``Verifier.verify``; Node: ``verifier.verify`` then the middleware's claim through
   ``createRedisReplayStore`` on node-redis) — one ``SET key 1 NX PX`` round trip each. Wall and CPU
   microseconds per request (CPU: the verifying process only; Redis's own CPU is in table 2).
2. A two-process fleet per language: two instances of a small app behind the middleware (Python: uvicorn
   + httptools, ``sigv4.asgi.SigV4Middleware`` with ``AsyncRedisReplayStore``; Node: node:http +
   ``withSigV4`` with ``createRedisReplayStore``), each loaded by its own wrk with distinct pre-signed
   requests, with no replay check, the per-process memory cache (not fleet-safe: the reference) and the
   Redis store shared by both instances. Requests/s of the fleet, the servers' CPU per request and
   redis-server's CPU per request, the load average during the run.
The machine may be shared: the CPU columns and same-run ratios are the comparable numbers.
Environment: BENCH_SECONDS (default 5), BENCH_CONNECTIONS per instance (32), BENCH_N (in-process
requests, 10000), BENCH_IN_PROCESS_ROUNDS (3) and BENCH_ROUNDS (fleet, 1): the median is reported."""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

import sigv4
from sigv4.replay import RedisReplayStore

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NODE_DIR = ROOT / "bindings" / "node"
KEYS = {"AKIDBENCH": "bench-secret-key"}
SIGNER = sigv4.Signer(sigv4.Credentials("AKIDBENCH", "bench-secret-key"), "us-east-1", "execute-api")
HOST = "api.bench.test"
URL = os.environ["SIGV4_REDIS_URL"]
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
N = int(os.environ.get("BENCH_N", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1"))
IN_PROCESS_ROUNDS = int(os.environ.get("BENCH_IN_PROCESS_ROUNDS", "3"))
TICK = os.sysconf("SC_CLK_TCK")
MODES = ("none", "memory", "redis")


def sign_file(path: Path, n: int, tag: str, stamp: str) -> list:
    """n distinct signed GETs, written as path TAB x-amz-date TAB authorization (wrk and Node read it)."""
    rows = []
    for i in range(n):
        p = f"/items/{tag}{i}"
        h = {k.lower(): v for k, v in dict(SIGNER.sign("GET", f"https://{HOST}{p}", {}, b"", stamp).headers).items()}
        rows.append((p, h["x-amz-date"], h["authorization"]))
    path.write_text("".join(f"{a}\t{b}\t{c}\n" for a, b, c in rows))
    return rows


def python_in_process(rows: list, stamp: str) -> list:
    out = []
    for mode in MODES * IN_PROCESS_ROUNDS:
        kwargs: dict = {"max_skew": 3600}
        if mode == "memory":
            kwargs["replay_cache"] = len(rows) + 1
        elif mode == "redis":
            kwargs["replay_store"] = RedisReplayStore(url=URL, prefix=f"sigv4-bench-py-{time.time_ns()}:", timeout=2.0)
        v = sigv4.Verifier(KEYS, region="us-east-1", service="execute-api", **kwargs)
        v.verify("GET", rows[0][0], [("Host", HOST), ("X-Amz-Date", rows[0][1]), ("Authorization", rows[0][2])], b"", stamp)
        cpu = time.process_time()
        start = time.perf_counter()
        for path, date, auth in rows[1:]:
            v.verify("GET", path, [("Host", HOST), ("X-Amz-Date", date), ("Authorization", auth)], b"", stamp)
        n = len(rows) - 1
        out.append({"mode": mode, "us": (time.perf_counter() - start) / n * 1e6, "cpu_us": (time.process_time() - cpu) / n * 1e6})
    return out


def node_in_process(file: Path) -> list:
    env = dict(os.environ, BENCH_IN_PROCESS_ROUNDS=str(IN_PROCESS_ROUNDS))
    run = subprocess.run(["node", str(HERE / "in_process.js"), str(file), URL], capture_output=True, text=True, check=True, env=env)
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


def medians(samples: list) -> list:
    """One row per mode: the median wall and CPU time over the rounds."""
    return [{"mode": mode, "us": statistics.median(s["us"] for s in samples if s["mode"] == mode),
             "cpu_us": statistics.median(s["cpu_us"] for s in samples if s["mode"] == mode)} for mode in MODES]


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port: int) -> None:
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} did not start")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def redis_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def fleet(language: str, mode: str, files: list, rclient: redis.Redis) -> dict:
    ports = [free_port(), free_port()]
    prefix = f"sigv4-bench-{language}-{time.time_ns()}:"
    if language == "python":
        cmds = [[sys.executable, str(HERE / "fleet_server.py"), mode, str(p), URL, prefix] for p in ports]
    else:
        cmds = [["node", str(HERE / "fleet_server.js"), mode, str(p), URL, prefix] for p in ports]
    servers = [subprocess.Popen(c, stdout=subprocess.DEVNULL) for c in cmds]
    try:
        for p in ports:
            wait_port(p)
        before = [cpu_seconds(s.pid) for s in servers]
        redis_before = redis_cpu(rclient)
        load = os.getloadavg()[0]
        runs = []
        for file, p in zip(files, ports):
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
        server_cpu = sum(cpu_seconds(s.pid) for s in servers) - sum(before)
        load = max(load, os.getloadavg()[0])
        return {"rps": rps, "bad": bad, "cpu_us": server_cpu / max(total, 1) * 1e6,
                "redis_us": (redis_cpu(rclient) - redis_before) / max(total, 1) * 1e6, "load": load}
    finally:
        for s in servers:
            s.terminate()
            s.wait()


NAMES = {
    ("python", "none"): "none",
    ("python", "memory"): "in-memory cache",
    ("python", "redis"): "RedisReplayStore (redis-py)",
    ("node", "none"): "none",
    ("node", "memory"): "in-memory cache",
    ("node", "redis"): "createRedisReplayStore (node-redis)",
}
FLEET_NAMES = {
    ("python", "none"): "none",
    ("python", "memory"): "memory cache (per process)",
    ("python", "redis"): "AsyncRedisReplayStore (shared)",
    ("node", "none"): "none",
    ("node", "memory"): "memory cache (per process)",
    ("node", "redis"): "createRedisReplayStore (shared)",
}


def main() -> None:
    rclient = redis.Redis.from_url(URL)
    version = rclient.info("server")["redis_version"]
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"libsigv4 replay store benchmark: redis-server {version} on loopback (no persistence), Python "
          f"{sys.version.split()[0]}, Node {node}, {os.cpu_count()} cores, load average at start "
          f"{os.getloadavg()[0]:.1f}")
    print()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        one = work / "in-process.tsv"
        rows = sign_file(one, N, f"p{time.time_ns()}-", stamp)
        results = {"python": medians(python_in_process(rows, stamp)), "node": medians(node_in_process(one))}
        print(f"1. Cost per verification, one process, one request at a time ({N} distinct header-signed requests; "
              f"release builds; median of {IN_PROCESS_ROUNDS} rounds)")
        print(f"| {'language':<8} | {'replay check':<36} | {'wall us':>8} | {'CPU us':>7} | {'added CPU us':>12} | {'added wall us':>13} |")
        print(f"|{'-' * 10}|{'-' * 38}|{'-' * 10}|{'-' * 9}|{'-' * 14}|{'-' * 15}|")
        for language, rs in results.items():
            base = rs[0]
            for r in rs:
                print(f"| {language:<8} | {NAMES[(language, r['mode'])]:<36} | {r['us']:>8.1f} | {r['cpu_us']:>7.1f} | "
                      f"{r['cpu_us'] - base['cpu_us']:>+12.1f} | {r['us'] - base['us']:>+13.1f} |", flush=True)
        print()

        # Enough that wrk never wraps around (a wrapped request is a replay): a quiet machine served ~27k req/s per
        # Node instance, so 30k/s per file wrapped there (22,931 refused in the Node memory-cache row, 2026-12-06).
        per_server = 80000 * SECONDS
        files = [work / f"fleet-{i}.tsv" for i in range(2)]
        for i, f in enumerate(files):
            sign_file(f, per_server, f"f{i}-{time.time_ns()}-", stamp)
        samples: dict = {}
        for _ in range(ROUNDS):
            for language in ("python", "node"):
                for mode in MODES:
                    samples.setdefault((language, mode), []).append(fleet(language, mode, files, rclient))
        print(f"2. Two-process fleet per language, each instance loaded by its own wrk (-t1 -c{CONNECTIONS}, {SECONDS} s, "
              f"distinct signed requests), all on this machine; median of {ROUNDS} round(s)")
        print(f"| {'language':<8} | {'replay check':<32} | {'fleet req/s':>11} | {'vs none':>7} | "
              f"{'server CPU us/req':>17} | {'redis CPU us/req':>16} | {'refused':>7} | {'load':>4} |")
        print(f"|{'-' * 10}|{'-' * 34}|{'-' * 13}|{'-' * 9}|{'-' * 19}|{'-' * 18}|{'-' * 9}|{'-' * 6}|")
        for language in ("python", "node"):
            base = statistics.median(s["rps"] for s in samples[(language, "none")])
            for mode in MODES:
                ss = samples[(language, mode)]
                rps = statistics.median(s["rps"] for s in ss)
                cpu = statistics.median(s["cpu_us"] for s in ss)
                rcpu = statistics.median(s["redis_us"] for s in ss)
                print(f"| {language:<8} | {FLEET_NAMES[(language, mode)]:<32} | {rps:>11.0f} | {rps / base:>6.0%} | "
                      f"{cpu:>17.1f} | {rcpu:>16.1f} | {sum(s['bad'] for s in ss):>7} | {max(s['load'] for s in ss):>4.1f} |",
                      flush=True)
    print()
    print("refused: non-2xx answers (0 expected: every request is distinct and inside its window). vs none: the same "
          "language's fleet without a replay check, same run. CPU columns: per request served; the load generators' "
          "CPU is not counted but competes for the same cores.")


if __name__ == "__main__":
    main()
