"""Verifier.verify_many next to a loop of Verifier.verify, same process, same 10,000 requests.

The requests are header-signed by botocore (POST with a small JSON body, distinct paths, signed now).
Each round times the loop and the batch back to back (order alternating), 7 rounds; the table shows
the median wall time and CPU time of each and two speedups (and, for reference, the same batch on one
thread, run in every round too: what the second core adds, and what the batch costs per request
without it):
- wall: loop wall / batch wall — what this run saw; on a shared, saturated machine extra threads get
  little extra CPU, so this drops towards 1 (or below) whatever the code does;
- CPU critical path: loop CPU / the batch's critical path in CPU time, max(calling thread's CPU, all
  threads' CPU / cores) — the calling thread reads the requests and builds the results (it alone
  can touch Python objects) and verifies queued chunks whenever it is ahead of the worker threads,
  which verify chunk k while it reads chunk k+1. This is the shortest wall time the batch can take
  with the machine's cores free to it (the calling thread's share, or the whole work spread over
  the cores), measured in CPU time so that other processes' load does not enter it; on a quiet
  machine the wall speedup should come close to it (the first chunk's read, the last chunk and the
  thread start are not overlapped). Waiting threads poll for up to 50 µs before they sleep, and
  that polling counts as CPU here.
The load average before and after is printed; the wall line is the figure against the target when
the machine is quiet (load average before below the core count: the bench itself adds up to 2). With the
placement probe built (bench/placement, `make bench-batch` builds it), how CPUs 0 and 1 sit relative to each
other is printed before and after: on this project's VM the hypervisor moves its two vCPUs between two cores of
one die, different dies and hyperthread-like sharing of one core, and the second thread is worth ~1.8x, ~1.8x
and ~1.4x respectively.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import sigv4

AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
COUNT = int(os.environ.get("BATCH_COUNT", "10000"))
ROUNDS = int(os.environ.get("BATCH_ROUNDS", "7"))


# bench/placement/placement.c, built by `make bench-batch`: how the first two CPUs sit relative to each other now.
PLACEMENT = os.environ.get("SIGV4_PLACEMENT_PROBE",
                           str(Path(__file__).resolve().parents[2] / "build" / "bench" / "placement"))


def placement() -> Optional[str]:
    """The placement probe's reading, or None without it (not built, not Linux, fewer than 2 CPUs)."""
    try:
        out = subprocess.run([PLACEMENT], capture_output=True, text=True, timeout=15, check=True).stdout.split()
        round_trip, cross, same = float(out[0]), float(out[1]), float(out[2])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None
    if cross < 2 * same:
        kind = "CPUs 0 and 1 share their caches (hyperthreads of one core: a second thread adds ~1.4x at most)"
    elif round_trip > 200:
        kind = "CPUs 0 and 1 on different dies"
    else:
        kind = "CPUs 0 and 1 are two cores of one die"
    return f"cross-core round trip {round_trip:.0f} ns, streaming {cross:.1f} ns a line (one core {same:.1f}): {kind}"


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
    """Wall, process CPU and calling-thread CPU seconds of fn()."""
    wall, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - own


def main() -> None:
    requests = signed_requests(COUNT)
    verifier = sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api")

    def loop() -> None:
        for r in requests:
            verifier.verify(r["method"], r["url"], r["headers"], r["body"])

    def batch() -> None:
        verifier.verify_many(requests)

    def batch_one_thread() -> None:
        verifier.verify_many(requests, threads=1)

    loop()
    # Warm up (key cache, allocator), and check once, outside the timings, that all verified.
    results = verifier.verify_many(requests)
    assert all(isinstance(x, sigv4.VerifiedIdentity) for x in results), "a request failed"
    del results
    placement_before = placement()
    load_before = os.getloadavg()
    loops: List[tuple] = []
    batches: List[tuple] = []
    singles: List[tuple] = []
    for i in range(ROUNDS):
        order = [("loop", loop), ("batch", batch)] if i % 2 == 0 else [("batch", batch), ("loop", loop)]
        for name, fn in order:
            (loops if name == "loop" else batches).append(timed(fn))
        singles.append(timed(batch_one_thread))
    load_after = os.getloadavg()
    placement_after = placement()
    med = statistics.median
    wall_ratios = [lo[0] / b[0] for lo, b in zip(loops, batches)]
    # The batch's critical path in CPU time: the calling thread's serial share, or all the work
    # spread over the cores.
    cores = os.cpu_count() or 1
    critical = [max(b[2], b[1] / cores) for b in batches]
    cpu_ratios = [lo[1] / c for lo, c in zip(loops, critical)]
    us = lambda seconds: seconds * 1e6 / COUNT  # noqa: E731
    print(f"Python verify_many: {COUNT:,} header-signed requests (botocore), {ROUNDS} rounds, "
          f"{cores} cores, Python {sys.version.split()[0]}; load average before {load_before[0]:.2f}, "
          f"after {load_after[0]:.2f}")
    print(f"| {'µs per request (median)':26} | {'wall':>6} | {'CPU, all threads':>16} | {'CPU, calling thread':>19} "
          f"| {'CPU critical path':>17} |")
    print(f"|{'-' * 28}|{'-' * 8}|{'-' * 18}|{'-' * 21}|{'-' * 19}|")
    print(f"| {'loop of verify()':26} | {us(med([x[0] for x in loops])):6.2f} | "
          f"{us(med([x[1] for x in loops])):16.2f} | {us(med([x[2] for x in loops])):19.2f} | "
          f"{us(med([x[1] for x in loops])):17.2f} |")
    print(f"| {'verify_many()':26} | {us(med([x[0] for x in batches])):6.2f} | "
          f"{us(med([x[1] for x in batches])):16.2f} | {us(med([x[2] for x in batches])):19.2f} | "
          f"{us(med(critical)):17.2f} |")
    print(f"| {'verify_many(threads=1)':26} | {us(med([x[0] for x in singles])):6.2f} | "
          f"{us(med([x[1] for x in singles])):16.2f} | {us(med([x[2] for x in singles])):19.2f} | "
          f"{us(med([x[1] for x in singles])):17.2f} |")
    # The bench's own threads add up to 2 to the load average while it runs.
    quiet = "quiet machine" if load_before[0] < cores else "machine NOT quiet: wall is not the verdict"
    print(f"speedup batch vs loop, wall (target >= 1.7x on 2 cores; {quiet}): {med(wall_ratios):.2f}x "
          f"(rounds {min(wall_ratios):.2f}-{max(wall_ratios):.2f})"
          + (f" -> {'MET' if med(wall_ratios) >= 1.7 else 'not met'}" if quiet == "quiet machine" else ""))
    print(f"speedup batch vs loop, CPU critical path: {med(cpu_ratios):.2f}x "
          f"(rounds {min(cpu_ratios):.2f}-{max(cpu_ratios):.2f})")
    print(f"batch CPU/wall: {med([b[1] / b[0] for b in batches]):.2f} cores of {cores} "
          f"(loop {med([lo[1] / lo[0] for lo in loops]):.2f})")
    # What the second core added: the same batch on one thread against the same batch on all. On
    # this VM the two threads' memory accesses sometimes cost much more together than alone (the
    # batch's CPU per request rises 30-50% with the same binary from one minute to the next, while
    # one thread's does not): the wall speedup then drops with it.
    if placement_before is not None:
        print(f"placement before: {placement_before}")
        print(f"placement after:  {placement_after}")
    scaling = [s[0] / b[0] for s, b in zip(singles, batches)]
    print(f"threads=1 vs all threads, wall: {med(scaling):.2f}x on {cores} cores "
          f"(rounds {min(scaling):.2f}-{max(scaling):.2f}); CPU per request, all threads / one thread: "
          f"{med([b[1] for b in batches]) / med([s[1] for s in singles]):.2f}")


if __name__ == "__main__":
    main()
