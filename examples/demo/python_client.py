#!/usr/bin/env python3
"""The Python side of `make demo`: signed calls to an IAM-protected API, and the ones it must refuse.

    API_URL=http://127.0.0.1:PORT python examples/demo/python_client.py [--expect-demo]

Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN) or the shared AWS
files. With --expect-demo (what `make demo` passes) every outcome is checked against the local demo
server and the exit code is 1 when one differs; against a real API Gateway the calls are made and
printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import urllib.error
import urllib.request

import httpx
import requests

import sigv4
import sigv4.httpx
import sigv4.requests

TAG = "[python]"


def short(headers) -> str:
    """The signed headers, abbreviated for the transcript (signatures cut, tokens hidden)."""
    items = []
    for name, value in headers.items():
        low = name.lower()
        if low == "authorization":
            scope = value.split("Credential=")[1].split(",")[0]
            signature = value.rsplit("Signature=", 1)[1]
            items.append(f"Authorization=…Credential={scope}…Signature={signature[:12]}…")
        elif low == "x-amz-date":
            items.append(f"X-Amz-Date={value}")
        elif low == "x-amz-security-token":
            items.append("X-Amz-Security-Token=<hidden>")
    return ", ".join(items) or "(no SigV4 headers)"


def send(method: str, url: str, headers=None, body: bytes | None = None):
    request = urllib.request.Request(url, data=body, headers=dict(headers or {}), method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


class Transcript:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.failures: list[str] = []

    def record(self, label: str, method: str, url: str, headers, status: int, body: bytes, expect: int,
               code: str | None = None) -> None:
        text = body.decode("utf-8", "replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        error_type = parsed.get("__type") if isinstance(parsed, dict) else None
        ok = status == expect and (code is None or error_type == code)
        mark = "ok" if ok else "UNEXPECTED"
        if not self.strict:
            mark = "-"
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        print(f"{TAG} {label}: {method} /{path[:70]}")
        print(f"{TAG}     signed: {short(headers)}")
        wanted = f"{expect}{' ' + code if code else ''}"
        print(f"{TAG}     -> {status} {text[:110]}   [expected {wanted}: {mark}]")
        if self.strict and not ok:
            self.failures.append(f"{label}: got {status} {error_type}, expected {wanted}")


def load_credentials() -> sigv4.Credentials:
    try:
        return sigv4.Credentials.from_env()
    except sigv4.Error:
        return sigv4.Credentials.from_profile()


async def httpx_async(base: str, auth, log: Transcript) -> None:
    async with httpx.AsyncClient(auth=auth, timeout=10) as client:
        response = await client.post(f"{base}/analytics/sync", json={"userId": "user123", "channels": ["web"]})
        log.record("httpx async POST", "POST", str(response.request.url), response.request.headers,
                   response.status_code, response.content, 200)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=os.environ.get("API_URL"))
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("--service", default=os.environ.get("SIGV4_SERVICE", "execute-api"))
    parser.add_argument("--expect-demo", action="store_true", help="check outcomes against the local demo server")
    args = parser.parse_args()
    if not args.url:
        parser.error("give the API URL as an argument or in API_URL")
    base = args.url.rstrip("/")
    log = Transcript(args.expect_demo)
    creds = load_credentials()
    signer = sigv4.Signer(creds, args.region, args.service)
    json_headers = {"Content-Type": "application/json"}

    # 1. Signed GET and POST.
    signed = signer.sign("GET", f"{base}/health")
    log.record("signed GET", "GET", signed.url, signed.headers, *send("GET", signed.url, signed.headers)[:2], 200)
    body = json.dumps({"jobType": "blog-post", "topic": "Real Estate Market Trends"}).encode()
    signed = signer.sign("POST", f"{base}/jobs", json_headers, body)
    status, reply, _ = send("POST", signed.url, signed.headers, body)
    log.record("signed POST", "POST", signed.url, signed.headers, status, reply, 200)
    job_id = json.loads(reply).get("job", {}).get("id", "job-1") if status == 200 else "job-1"
    signed = signer.sign("GET", f"{base}/jobs/{job_id}")
    log.record("signed GET by id", "GET", signed.url, signed.headers, *send("GET", signed.url, signed.headers)[:2], 200)

    # 2. What the API must refuse.
    status, reply, _ = send("GET", f"{base}/health")
    log.record("unsigned GET", "GET", f"{base}/health", {}, status, reply, 403, "MissingAuthenticationToken")
    signed = signer.sign("POST", f"{base}/jobs", json_headers, body)
    tampered = body.replace(b"blog-post", b"blog-pwnd")
    status, reply, _ = send("POST", signed.url, signed.headers, tampered)
    log.record("tampered body", "POST", signed.url, signed.headers, status, reply, 403, "SignatureDoesNotMatch")
    an_hour_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    expired = signer.presign("GET", f"{base}/health", expires_in=60, timestamp=an_hour_ago)
    status, reply, _ = send("GET", expired.url, expired.headers)
    log.record("expired presigned URL", "GET", expired.url, {}, status, reply, 403, "RequestExpired")
    fresh = signer.presign("GET", f"{base}/jobs", expires_in=300)
    status, reply, _ = send("GET", fresh.url, fresh.headers)
    log.record("presigned URL", "GET", fresh.url, {}, status, reply, 200)
    signed = signer.sign("GET", f"{base}/jobs")
    send("GET", signed.url, signed.headers)
    status, reply, _ = send("GET", signed.url, signed.headers)
    log.record("replayed request", "GET", signed.url, signed.headers, status, reply, 403, "RequestReplayed")

    # 3. The same through requests and httpx auth.
    response = requests.get(f"{base}/jobs", params={"status": "queued", "q": "a b+c"},
                            auth=sigv4.requests.SigV4Auth(creds, args.region, args.service), timeout=10)
    log.record("requests GET", "GET", response.request.url, response.request.headers,
               response.status_code, response.content, 200)
    response = requests.post(f"{base}/mls/sync", json={"userId": "user123", "provider": "mlsgrid"},
                             auth=sigv4.requests.SigV4Auth(creds, args.region, args.service), timeout=10)
    log.record("requests POST", "POST", response.request.url, response.request.headers,
               response.status_code, response.content, 200)
    auth = sigv4.httpx.SigV4Auth(creds, args.region, args.service)
    response = httpx.get(f"{base}/health", auth=auth, timeout=10)
    log.record("httpx GET", "GET", str(response.request.url), response.request.headers,
               response.status_code, response.content, 200)
    asyncio.run(httpx_async(base, auth, log))

    if log.failures:
        print(f"{TAG} {len(log.failures)} unexpected outcome(s):", *log.failures, sep="\n  ")
        return 1
    print(f"{TAG} all outcomes as expected" if log.strict else f"{TAG} done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
