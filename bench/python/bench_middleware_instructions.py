"""Instructions per request of the same uvicorn server with and without SigV4Middleware (valgrind).

Throughput on a shared machine moves with whatever else runs; the number of user-space instructions
the server executes per request does not. This runs each server (bench_app.py, uvicorn, one worker)
under ``valgrind --tool=cachegrind``, sends it N1 and then (in a second run) N2 identical signed GET
requests over 4 keep-alive connections from 127.0.0.1, and reports (I(N2) - I(N1)) / (N2 - N1): the
per-request cost without start-up. Both servers get the same request (Authorization header, replay
cache off). The ratio bare / protected is the throughput ratio a CPU-bound server would reach,
before the kernel's share (the same for both, so the real ratio is higher still).

Valgrind's CPU has no SHA extensions, so the core hashes with the portable SHA-256 code here: the
middleware's cost is overstated (conservative).

    python bench_middleware_instructions.py [--requests 200,1200]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sigv4  # noqa: E402
from bench_app import AKID, SECRET  # noqa: E402
from bench_middleware import free_port  # noqa: E402

CONNECTIONS = 4


def drive(port: int, n: int) -> int:
    """Sends n signed GETs round-robin over keep-alive connections; returns how many got 200."""
    signed = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api").sign(
        "GET", f"http://127.0.0.1:{port}/v1/items?limit=10")
    request = (f"GET /v1/items?limit=10 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               + "".join(f"{k}: {v}\r\n" for k, v in signed.headers.items() if k != "Host") + "\r\n").encode()
    conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTIONS)]
    ok = 0
    try:
        for i in range(n):
            conn = conns[i % CONNECTIONS]
            conn.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, rest = data.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
            while len(rest) < length:
                rest += conn.recv(65536)
            ok += head.startswith(b"HTTP/1.1 200")
    finally:
        for conn in conns:
            conn.close()
    return ok


def instructions(app: str, n: int) -> int:
    """Total user-space instructions of a server process that answered n requests."""
    port = free_port()
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as log:
        cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               f"--log-file={log.name}", sys.executable, "-m", "uvicorn", f"bench_app:{app}", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning", "--no-access-log", "--lifespan", "off"]
        proc = subprocess.Popen(cmd, cwd=HERE)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError(f"server did not start: {' '.join(cmd)}")
                    time.sleep(0.2)
            ok = drive(port, n)
            if ok != n:
                raise RuntimeError(f"{app}: only {ok} of {n} requests got 200")
        finally:
            proc.terminate()
            proc.wait(120)
        refs = re.search(r"I\s+refs:\s+([\d,]+)", Path(log.name).read_text())
        if refs is None:
            raise RuntimeError("valgrind printed no instruction count")
        return int(refs.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", default="200,1200", help="N1,N2 (default 200,1200)")
    args = parser.parse_args()
    n1, n2 = (int(x) for x in args.requests.split(","))
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed")
    per_request = {}
    for app in ("plain", "protected"):
        per_request[app] = (instructions(app, n2) - instructions(app, n1)) / (n2 - n1)
    plain, protected = per_request["plain"], per_request["protected"]
    print(f"\nASGI (uvicorn, 1 worker) under valgrind, {n2 - n1} requests counted over {CONNECTIONS} keep-alive "
          "connections; user-space instructions per request (lower is better)")
    print(f"{'server':<34}{'instructions':>14}{'bare / this':>13}")
    print(f"{'bare app':<34}{plain:>14,.0f}{1:>13.1%}")
    print(f"{'app + sigv4.asgi.SigV4Middleware':<34}{protected:>14,.0f}{plain / protected:>13.1%}")
    print(f"middleware: {protected - plain:,.0f} instructions per request "
          "(portable SHA-256 under valgrind: an upper bound)")


if __name__ == "__main__":
    main()
