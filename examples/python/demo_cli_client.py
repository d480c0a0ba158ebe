#!/usr/bin/env python3
"""Call an IAM-protected API (API Gateway, Lambda function URL) with SigV4-signed GET and POST.

    API_URL=https://abc123.execute-api.us-east-1.amazonaws.com/prod python demo_cli_client.py
    python demo_cli_client.py https://abc123.execute-api.us-east-1.amazonaws.com/prod [--region us-east-1]

Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN), else from the
shared AWS files (AWS_PROFILE). Service: execute-api (set SIGV4_SERVICE=lambda for function URLs).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
import urllib.error

import sigv4


def load_credentials() -> sigv4.Credentials:
    try:
        return sigv4.Credentials.from_env()
    except sigv4.InvalidCredentialsError:
        return sigv4.Credentials.from_profile()


def send(signed: sigv4.SignedRequest, body: bytes | None) -> None:
    request = urllib.request.Request(signed.url, data=body, headers=signed.headers, method=signed.method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            print(f"{signed.method} {signed.url} -> {response.status}")
            print(response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        print(f"{signed.method} {signed.url} -> {error.code}")
        print(error.read().decode("utf-8", "replace"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=os.environ.get("API_URL"), help="API base URL (or API_URL)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1")
    parser.add_argument("--service", default=os.environ.get("SIGV4_SERVICE", "execute-api"))
    args = parser.parse_args()
    if not args.url:
        parser.error("give the API URL as an argument or in API_URL")
    base = args.url.rstrip("/")
    try:
        signer = sigv4.Signer(load_credentials(), args.region, args.service)
        send(signer.sign("GET", f"{base}/items?limit=10"), None)
        body = json.dumps({"name": "demo", "from": "libsigv4"}).encode()
        send(signer.sign("POST", f"{base}/items", {"Content-Type": "application/json"}, body), body)
    except sigv4.Error as error:
        print(f"cannot sign: {error} (code {error.code})", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"cannot reach {base}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
