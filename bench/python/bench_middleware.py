"""Throughput of an ASGI server with and without sigv4.asgi.SigV4Middleware (issue 6 item 4).

Runs the same small app (bench_app.py) under uvicorn (one worker, its default HTTP parser: h11, or
httptools when installed) on 127.0.0.1, bare and behind the middleware, and drives each with wrk on
127.0.0.1 with the same settings and the same request: one GET signed just before the run
(Authorization header; wrk cannot sign per request, so the replay cache is off and the skew window
1 h), sent to both servers so the only difference is the middleware. Every request to the protected
server is fully verified (parse, scope, time, key lookup, canonical request, HMAC, constant-time
compare).

Two methods (``--mode``):

- ``simultaneous`` (default): both servers pinned to CPU 0 and loaded at the same time by two wrk
  processes pinned to CPU 1. The scheduler gives the two busy servers equal shares of CPU 0, so the
  ratio of their request rates is the ratio of what a request costs each, and whatever else the
  shared machine does slows both alike in the same seconds: the steady number.
- ``alternating``: one server loaded at a time, rounds alternating (bare, protected, protected,
  bare, ...), each round's ratio comparing two runs made back to back; on a shared machine these
  ratios scatter by +-10%.

The table shows the median ratio over the rounds.

    python bench_middleware.py [--mode simultaneous|alternating] [--seconds 5] [--rounds 5]
                               [--connections 32] [--threads 1] [--pin]

``--pin`` (alternating mode) runs the server on CPU 0 and wrk on CPU 1 (taskset) in both runs.
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


def start(app: str, port: int, pin: bool) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "uvicorn", f"bench_app:{app}", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "warning", "--no-access-log", "--lifespan", "off"]
    if pin:
        cmd = ["taskset", "-c", "0"] + cmd
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk_start(url: str, headers: dict, seconds: int, connections: int, threads: int, pin: bool):
    """Starts wrk; returns the process and its command line."""
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(url)
    if pin:
        cmd = ["taskset", "-c", "1"] + cmd
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True), cmd


def wrk_result(proc: subprocess.Popen) -> tuple:
    """Requests per second and the request count of a finished wrk run (refused requests fail)."""
    out = proc.communicate()[0]
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{non2xx.group(1)} requests were refused:\n{out}")
    return rps, total


def wrk(url: str, headers: dict, seconds: int, connections: int, threads: int, pin: bool) -> tuple:
    proc, cmd = wrk_start(url, headers, seconds, connections, threads, pin)
    rps, total = wrk_result(proc)
    return rps, total, cmd


def wrk_headers(signed) -> dict:
    """The signed headers wrk sends (each server's request is signed for its own Host, which wrk
    sets itself): the same headers, so the same parsing work, for both servers."""
    return {k: v for k, v in signed.headers.items() if k.lower() != "host"}


def parser_name() -> str:
    try:
        import httptools  # noqa: F401
        return "httptools"
    except ImportError:
        return "h11"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("simultaneous", "alternating"), default="simultaneous")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pin", action="store_true", help="server on CPU 0, wrk on CPU 1 (taskset)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench-python-middleware installs it with apt-get)")
    simultaneous = args.mode == "simultaneous"
    if (args.pin or simultaneous) and not shutil.which("taskset"):
        sys.exit("pinning (--pin, --mode simultaneous) needs taskset")
    pin = args.pin or simultaneous

    servers = {}
    try:
        for app in ("plain", "protected"):
            port = free_port()
            servers[app] = (start(app, port, pin), port)
        signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")
        # One request for both servers: signed for the path and query, the Host header left to wrk
        # (the port differs; the verifier reads the Host wrk sends, and the signature covers it).
        target = "/v1/items?limit=10"
        signed = {app: signer.sign("GET", f"http://127.0.0.1:{port}{target}") for app, (_, port) in servers.items()}
        results = {"plain": [], "protected": []}
        ratios = []
        cpu = {"plain": [], "protected": []}
        commands = {}
        for round_ in range(args.rounds + 1):  # round 0 warms both up and is not counted
            order = ("plain", "protected") if round_ % 2 == 0 else ("protected", "plain")
            seconds = 2 if round_ == 0 else args.seconds
            got = {}
            used = {}
            totals = {}
            if simultaneous:
                before = {app: cpu_seconds(servers[app][0].pid) for app in order}
                running = {}
                for app in order:
                    url = f"http://127.0.0.1:{servers[app][1]}{target}"
                    running[app], commands[app] = wrk_start(url, wrk_headers(signed[app]), seconds,
                                                            args.connections, args.threads, True)
                for app in order:
                    got[app], totals[app] = wrk_result(running[app])
                    used[app] = cpu_seconds(servers[app][0].pid) - before[app]
            else:
                for app in order:
                    pid = servers[app][0].pid
                    before = cpu_seconds(pid)
                    url = f"http://127.0.0.1:{servers[app][1]}{target}"
                    got[app], totals[app], commands[app] = wrk(url, wrk_headers(signed[app]), seconds,
                                                               args.connections, args.threads, args.pin)
                    used[app] = cpu_seconds(pid) - before
            if round_:
                for app in order:
                    results[app].append(got[app])
                    if totals[app]:
                        cpu[app].append(used[app] / totals[app] * 1e6)
                ratios.append(got["protected"] / got["plain"])
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(10)

    plain = statistics.median(results["plain"])
    protected = statistics.median(results["protected"])
    ratio = statistics.median(ratios)
    cpu_plain = statistics.median(cpu["plain"]) if all(cpu["plain"]) else 0.0
    cpu_protected = statistics.median(cpu["protected"]) if all(cpu["protected"]) else 0.0
    how = ("both servers on CPU 0 loaded at the same time, wrk on CPU 1" if simultaneous
           else f"alternating rounds{', pinned' if args.pin else ''}, {os.cpu_count()} CPUs shared with wrk")
    print(f"\nASGI (uvicorn {parser_name()}, 1 worker) on 127.0.0.1, wrk -t{args.threads} -c{args.connections} "
          f"-d{args.seconds}s, {args.rounds} rounds, {how}")
    print(f"{'server':<34}{'requests/s':>12}{'vs bare':>10}")
    print(f"{'bare app':<34}{plain:>12.0f}{1:>10.1%}")
    print(f"{'app + sigv4.asgi.SigV4Middleware':<34}{protected:>12.0f}{ratio:>10.1%}")
    print(f"rate ratio, median of per-round ratios: {ratio:.1%} (min {min(ratios):.1%}, max {max(ratios):.1%}); "
          f"target >= 90%: {'met' if ratio >= 0.9 else 'NOT met'}")
    if cpu_plain and cpu_protected:
        # Server CPU time per request does not depend on what else the machine runs: the capacity
        # ratio it gives (bare CPU / protected CPU) is the steadier number on a shared machine.
        cpu_ratio = cpu_plain / cpu_protected
        print(f"server CPU per request (median): bare {cpu_plain:.1f} µs, protected {cpu_protected:.1f} µs; "
              f"CPU ratio bare / protected {cpu_ratio:.1%}; target >= 90%: {'met' if cpu_ratio >= 0.9 else 'NOT met'}")
    print("rounds (req/s): bare " + ", ".join(f"{r:.0f}" for r in results["plain"])
          + "; protected " + ", ".join(f"{r:.0f}" for r in results["protected"]))
    redacted = ["Authorization: AWS4-HMAC-SHA256 ..." if c.startswith("Authorization:") else c
                for c in commands["protected"]]
    pinned = "taskset -c 0 " if pin else ""
    print(f"server command: {pinned}python -m uvicorn bench_app:{{plain|protected}} --host 127.0.0.1 --port P "
          "--log-level warning --no-access-log --lifespan off")
    print("load command:   " + " ".join(redacted) + "   (the same headers go to the bare server)")


if __name__ == "__main__":
    main()
