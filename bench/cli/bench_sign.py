#!/usr/bin/env python3
"""`make bench-cli`: the cost of signing one request from the command line, process start to exit.

Rows (same machine, same run, same request: POST with a small JSON body to an execute-api URL):
  sigv4 sign          prints the signed headers (no network)
  sigv4 request       signs and sends it to a local HTTP server on 127.0.0.1
  curl --aws-sigv4    signs and sends it to the same server (curl cannot sign without sending)
  awscurl             signs and sends it to the same server (Python, botocore)
Targets (issue 18): sigv4 sign at most 2x curl's time; at least 20x faster than awscurl.
"""

from __future__ import annotations

import http.server
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import threading
import time

BIN = os.environ.get("SIGV4_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "target" / "release" / "sigv4"))
AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
BODY = '{"kind": "blog-post", "id": 42}'


class Ok(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls for any client

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        # One write: status line, headers and body together.
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}")


def once(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def timed(rows, env: dict) -> dict[str, list[float]]:
    """Round-robin over the commands so that a busy machine slows every row alike."""
    for _, command, _ in rows:
        subprocess.run(command, env=env, capture_output=True, check=True)  # warm the page cache
    samples: dict[str, list[float]] = {name: [] for name, _, _ in rows}
    for i in range(max(runs for _, _, runs in rows)):
        for name, command, runs in rows:
            if i < runs:
                samples[name].append(once(command, env))
    return samples


def main() -> int:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/prod/jobs"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=AKID, AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION="us-east-1",
               AWS_EC2_METADATA_DISABLED="true", HOME=str(pathlib.Path(os.environ.get("TMPDIR", "/tmp"))))
    common = ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", BODY]
    awscurl = os.environ.get("AWSCURL") or shutil.which(
        "awscurl", path=str(pathlib.Path(sys.executable).parent)) or "awscurl"
    rows = [
        ("sigv4 sign", [BIN, "sign", "--service", "execute-api", *common, url], 200),
        ("sigv4 request", [BIN, "request", "--service", "execute-api", *common, url], 200),
        ("curl --aws-sigv4", ["curl", "-s", "-o", "/dev/null", "--aws-sigv4", "aws:amz:us-east-1:execute-api",
                              "--user", f"{AKID}:{SECRET}", *common, url], 200),
        # awscurl's --data-binary is a flag (no value): its -d sends the body as given.
        ("awscurl", [awscurl, "--service", "execute-api", "--region", "us-east-1", "-X", "POST",
                     "-H", "Content-Type: application/json", "-d", BODY, url], 15),
    ]
    results = {}
    all_samples = timed(rows, env)
    print(f"{'command':<18} {'runs':>5} {'median ms':>10} {'mean ms':>9} {'p90 ms':>8}")
    for name, command, runs in rows:
        samples = all_samples[name]
        median = statistics.median(samples) * 1000
        results[name] = median
        p90 = sorted(samples)[int(len(samples) * 0.9) - 1] * 1000
        print(f"{name:<18} {runs:>5} {median:>10.2f} {statistics.mean(samples) * 1000:>9.2f} {p90:>8.2f}")
    server.shutdown()
    vs_curl = results["sigv4 sign"] / results["curl --aws-sigv4"]
    vs_awscurl = results["awscurl"] / results["sigv4 sign"]
    print()
    print(f"sigv4 sign / curl --aws-sigv4 = {vs_curl:.2f}x   (target <= 2x: {'met' if vs_curl <= 2 else 'NOT met'})")
    print(f"awscurl / sigv4 sign          = {vs_awscurl:.1f}x  (target >= 20x: {'met' if vs_awscurl >= 20 else 'NOT met'})")
    print(f"sigv4 request / curl           = {results['sigv4 request'] / results['curl --aws-sigv4']:.2f}x (both send)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
