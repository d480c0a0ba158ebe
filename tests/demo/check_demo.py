#!/usr/bin/env python3
"""Runs `make demo`'s orchestrator end to end and checks its exit code and transcript.

Every client prints one transcript line per call ending in ``[expected ...: ok]`` when the
outcome matched; this check requires the calls each client must make, with their statuses, and
no ``UNEXPECTED`` line. The last line is ``demo: N passed, 0 failed``.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

# (client tag, label substring, expected status text) that must appear with ": ok]".
REQUIRED = [
    ("[python]", "signed GET", "200"),
    ("[python]", "signed POST", "200"),
    ("[python]", "unsigned GET", "403 MissingAuthenticationToken"),
    ("[python]", "tampered body", "403 SignatureDoesNotMatch"),
    ("[python]", "expired presigned URL", "403 RequestExpired"),
    ("[python]", "replayed request", "403 RequestReplayed"),
    ("[python]", "requests GET", "200"),
    ("[python]", "httpx GET", "200"),
    ("[python]", "httpx async POST", "200"),
    ("[fleet]", "accepted by instance A", "200"),
    ("[fleet]", "same bytes to instance B", "403 RequestReplayed"),
    ("[fleet]", "repeated call with nonce, via instance A", "200"),
    ("[fleet]", "repeated call with nonce, via instance B", "200"),
    ("[node]", "", "200"),
    ("[c]", "", "200"),
    ("[c]", "", "403 MissingAuthenticationToken"),
]


def main() -> int:
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo" / "run_demo.py")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
        env={k: v for k, v in os.environ.items() if k != "API_URL"},
    )
    transcript = run.stdout
    print(transcript)
    failures: list[str] = []
    if run.returncode != 0:
        failures.append(f"run_demo.py exited with {run.returncode}")
    if "UNEXPECTED" in transcript:
        failures.append("the transcript has UNEXPECTED outcomes")
    checked = 0
    for tag, label, status in REQUIRED:
        checked += 1
        lines = transcript.splitlines()
        found = False
        for i, line in enumerate(lines):
            if not line.startswith(tag):
                continue
            if label and label not in line:
                continue
            window = lines[i:i + 4]
            if any(f"[expected {status}: ok]" in w for w in window):
                found = True
                break
        if not found:
            failures.append(f"{tag} {label or '(any call)'}: no '{status}' outcome that was expected")
    checked += 1
    if "cause [payload-hash]" not in transcript:
        failures.append("sigv4 explain did not name the tampered body (cause [payload-hash])")
    if "demo: every client ran to its end and every outcome was as expected" not in transcript:
        failures.append("the demo did not report every outcome as expected")
        checked += 1
    for failure in failures:
        print(f"check_demo: FAILED {failure}")
    print(f"demo: {checked + 1 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
