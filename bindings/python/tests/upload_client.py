"""Uploads a generated body of N MiB through ``sign_streaming`` + requests; prints JSON with peak RSS.

Run as a separate process by test_streaming.py so that the RSS is the client's alone:
``python upload_client.py URL MIB``. The body is generated 1 MiB at a time and never held whole.
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys

import requests

import sigv4

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def current_rss_kib() -> int:
    """The resident set size now (not the peak), from /proc (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    url, mib = sys.argv[1], int(sys.argv[2])
    baseline = current_rss_kib()
    digest = hashlib.sha256()
    seed = hashlib.sha256(b"seed").digest()

    def body():
        for i in range(mib):
            piece = hashlib.sha256(seed + i.to_bytes(4, "big")).digest() * (32768)  # 1 MiB
            digest.update(piece)
            yield piece

    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "s3")
    upload = signer.sign_streaming("PUT", f"{url}/bucket/big.bin", decoded_length=mib << 20,
                                   headers={"Content-Type": "application/octet-stream"})
    response = requests.put(upload.url, data=upload.encode(body()), headers=upload.headers)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": response.status_code, "server": response.json(), "sha256": digest.hexdigest(),
                      "baseline_kib": baseline, "peak_kib": peak}))


if __name__ == "__main__":
    main()
