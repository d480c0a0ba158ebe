"""Verifier.verify_many next to a loop of Verifier.verify, same process, same 10,000 requests.

The requests are header-signed by botocore (POST with a small JSON body, distinct paths, signed now).
Each round times the loop and the batch back to back (order alternating), 7 rounds; the table shows
the median wall time of each, the speedup (loop / batch), the CPU time the batch used per wall second
(how many cores it really got), and the load average before and after: the machine is shared, so a
speedup below the core count with a batch CPU/wall well under it means the cores were busy elsewhere.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import sigv4

AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
COUNT = int(os.environ.get("BATCH_COUNT", "10000"))
ROUNDS = int(os.environ.get("BATCH_ROUNDS", "7"))


def signed_requests(count: int) -> List[Dict[str, Any]]:
    auth = SigV4Auth(Credentials(AKID, SECRET), "execute-api", "us-east-1")
    out = []
    for i in range(count):
        body = json.dumps({"id": i, "name": f"item {i}"}).encode()
        req = AWSRequest(method="POST", url=f"https://abc123.execute-api.us-east-1.amazonaws.com/v1/items/{i}",
                         data=body, headers={"Content-Type": "application/json"})
        auth.add_auth(req)
        out.append({"method": "POST", "url": req.url, "headers": list(req.headers.items()), "body": body})
    return out


def timed(fn: Callable[[], Any]) -> tuple:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    requests = signed_requests(COUNT)
    verifier = sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api")

    def loop() -> None:
        for r in requests:
            verifier.verify(r["method"], r["url"], r["headers"], r["body"])

    def batch() -> None:
        results = verifier.verify_many(requests)
        assert all(isinstance(x, sigv4.VerifiedIdentity) for x in results), "a request failed"

    loop()
    batch()  # warm up (key cache, allocator)
    load_before = os.getloadavg()
    loops, batches, batch_cpu = [], [], []
    for i in range(ROUNDS):
        order = [("loop", loop), ("batch", batch)] if i % 2 == 0 else [("batch", batch), ("loop", loop)]
        for name, fn in order:
            wall, cpu = timed(fn)
            if name == "loop":
                loops.append(wall)
            else:
                batches.append(wall)
                batch_cpu.append(cpu / wall)
    load_after = os.getloadavg()
    loop_ms = statistics.median(loops) * 1000
    batch_ms = statistics.median(batches) * 1000
    ratios = [lo / b for lo, b in zip(loops, batches)]
    cores = os.cpu_count() or 1
    print(f"Python verify_many: {COUNT:,} header-signed requests (botocore), {ROUNDS} rounds, "
          f"{cores} cores, Python {sys.version.split()[0]}")
    print(f"| {'':28} | {'median ms':>9} | {'µs/request':>10} |")
    print(f"|{'-' * 30}|{'-' * 11}|{'-' * 12}|")
    print(f"| {'loop of verify()':28} | {loop_ms:9.1f} | {loop_ms * 1000 / COUNT:10.2f} |")
    print(f"| {'verify_many()':28} | {batch_ms:9.1f} | {batch_ms * 1000 / COUNT:10.2f} |")
    print(f"speedup batch vs loop: median of rounds {statistics.median(ratios):.2f}x "
          f"(best {max(ratios):.2f}x, target >= 1.7x on 2 cores)")
    print(f"batch CPU/wall: {statistics.median(batch_cpu):.2f} cores used of {cores}; "
          f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")


if __name__ == "__main__":
    main()
