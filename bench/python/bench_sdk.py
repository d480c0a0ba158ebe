"""boto3 with and without sigv4.botocore, in one run. Prints a table; asserts nothing.

(a) signer only: boto3 S3 ``generate_presigned_url`` (SigV4) with botocore's signer, with
    ``sigv4.botocore.install()``, and with a signer that does nothing (the floor: everything but the
    signature); target: ours within 1.15x of the floor.
(b) bulk presigning: 300 S3 GET URLs, ``client.generate_presigned_url`` vs
    ``sigv4.botocore.generate_presigned_url``; target >= 5x.
(c) a boto3 DynamoDB ``get_item`` and an S3 ``put_object`` of 1 MiB against a local endpoint (a
    stub HTTP server on 127.0.0.1 answering 200), per request: total time and the time spent in the
    signer's ``add_auth``, before (botocore) and after (install()).

(a) and (b) count this process's CPU time (load from other jobs on a shared machine does not);
(c) is wall time (the stub server runs in this process). Rounds alternate between the variants;
each number is the median of the rounds.
"""

from __future__ import annotations

import socket
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List

import boto3
import botocore.auth
from botocore.config import Config

import sigv4.botocore as sb

QUICK = "--quick" in sys.argv
ROUNDS = 3 if QUICK else 9
CREDS = dict(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
             region_name="us-east-1")


class _NoOpQueryAuth(botocore.auth.S3SigV4QueryAuth):
    """The floor: a presigner that signs nothing."""

    def add_auth(self, request):  # noqa: D401
        pass


def s3_client(**kw):
    return boto3.session.Session(**CREDS).client("s3", config=Config(signature_version="s3v4"), **kw)


def per_call_us(fn: Callable[[], object], n: int) -> float:
    """CPU time of this process per call (other jobs on a shared machine do not count)."""
    start = time.process_time_ns()
    for _ in range(n):
        fn()
    return (time.process_time_ns() - start) / n / 1000


def with_signer(name: str, cls, fn: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        saved = botocore.auth.AUTH_TYPE_MAPS.get(name)
        botocore.auth.AUTH_TYPE_MAPS[name] = cls
        try:
            return fn()
        finally:
            botocore.auth.AUTH_TYPE_MAPS[name] = saved
    return run


def alternate(variants: Dict[str, Callable[[], float]]) -> Dict[str, float]:
    samples: Dict[str, List[float]] = {k: [] for k in variants}
    for _ in range(ROUNDS):
        for name, run in variants.items():
            samples[name].append(run())
    return {k: statistics.median(v) for k, v in samples.items()}


class _Stub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, delayed ACKs add 40 ms to each.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.headers.get("X-Amz-Target", "").startswith("DynamoDB"):
            body, ctype = b'{"Item": {"k": {"S": "a"}}}', "application/x-amz-json-1.0"
        else:
            body, ctype = b"", "application/xml"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"0"')
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_GET = _answer

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    n = 300
    client = s3_client()
    key = iter(range(10**9))
    presign = lambda: client.generate_presigned_url(  # noqa: E731
        "get_object", Params={"Bucket": "examplebucket", "Key": f"photos/2026/{next(key)}.jpg"})
    ours_cls = sb.SIGNERS["s3v4-query"]
    a = alternate({
        "botocore": with_signer("s3v4-query", botocore.auth.S3SigV4QueryAuth, lambda: per_call_us(presign, n)),
        "libsigv4": with_signer("s3v4-query", ours_cls, lambda: per_call_us(presign, n)),
        "no-op floor": with_signer("s3v4-query", _NoOpQueryAuth, lambda: per_call_us(presign, n)),
    })
    fast_client = s3_client()

    def bulk_ours() -> float:
        start = time.process_time_ns()
        for i in range(300):
            sb.generate_presigned_url(fast_client, "get_object",
                                      {"Bucket": "examplebucket", "Key": f"photos/2026/{i}.jpg"}, 3600)
        return (time.process_time_ns() - start) / 1e6

    def bulk_boto3() -> float:
        start = time.process_time_ns()
        for i in range(300):
            client.generate_presigned_url("get_object",
                                          Params={"Bucket": "examplebucket", "Key": f"photos/2026/{i}.jpg"})
        return (time.process_time_ns() - start) / 1e6

    b = alternate({"boto3": with_signer("s3v4-query", botocore.auth.S3SigV4QueryAuth, bulk_boto3),
                   "fast path": bulk_ours})

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    session = boto3.session.Session(**CREDS)
    ddb = session.client("dynamodb", endpoint_url=endpoint)
    s3 = session.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
    mib = b"x" * (1 << 20)
    workloads = {
        "DynamoDB get_item": ("v4", lambda: ddb.get_item(TableName="t", Key={"k": {"S": "a"}}), 200),
        "S3 put_object 1 MiB": ("s3v4", lambda: s3.put_object(Bucket="b", Key="k", Body=mib), 20),
    }
    c_rows = []
    for label, (version, call, count) in workloads.items():
        for who, cls in (("botocore", getattr(botocore.auth, sb.SIGNERS[version].__name__)),
                         ("libsigv4", sb.SIGNERS[version])):
            spent = [0]

            class Timed(cls):  # the signer, timed
                def add_auth(self, request, _spent=spent):
                    t = time.perf_counter_ns()
                    super().add_auth(request)
                    _spent[0] += time.perf_counter_ns() - t

            totals, signing = [], []
            for _ in range(ROUNDS):
                spent[0] = 0
                total = with_signer(version, Timed, lambda: per_call_us(call, count))()
                totals.append(total)
                signing.append(spent[0] / count / 1000)
            total, sign = statistics.median(totals), statistics.median(signing)
            c_rows.append((label, who, total, sign))
    server.shutdown()

    print(f"(a) signer only: boto3 generate_presigned_url (S3 SigV4), CPU µs per URL, median of {ROUNDS} rounds")
    print(f"    {'botocore':>12} {'libsigv4':>12} {'no-op floor':>12} {'ours/floor':>11} (target <= 1.15x)"
          f" {'botocore/ours':>14}")
    print(f"    {a['botocore']:12.1f} {a['libsigv4']:12.1f} {a['no-op floor']:12.1f}"
          f" {a['libsigv4'] / a['no-op floor']:10.2f}x {a['botocore'] / a['libsigv4']:13.2f}x")
    print("(b) bulk presigning: 300 S3 GET URLs, CPU ms")
    print(f"    {'boto3':>12} {'fast path':>12} {'speed-up':>9} (target >= 5x)")
    print(f"    {b['boto3']:12.2f} {b['fast path']:12.3f} {b['boto3'] / b['fast path']:8.1f}x")
    print("(c) per request against a local endpoint, µs (signing = time in add_auth)")
    print(f"    {'workload':<22} {'signer':<9} {'total':>9} {'signing':>9} {'share':>7}")
    for label, who, total, sign in c_rows:
        print(f"    {label:<22} {who:<9} {total:9.1f} {sign:9.1f} {100 * sign / total:6.1f}%")


if __name__ == "__main__":
    main()
