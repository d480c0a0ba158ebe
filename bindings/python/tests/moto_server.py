"""moto's server on 127.0.0.1 with IAM authentication on, for the SDK tests (one per test session).

moto checks SigV4 signatures (with botocore's own signer classes, imported by name — untouched by
``sigv4.botocore.install()``) once authentication is on: ``POST /moto-api/reset-auth`` with ``0``
makes every following request need a valid signature from an access key moto's IAM knows. The
first requests (while authentication is still off) create that user, key and an allow-all policy.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Iterator, NamedTuple

import boto3


class Moto(NamedTuple):
    endpoint: str
    access_key_id: str
    secret_access_key: str
    region: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def set_auth(endpoint: str, on: bool) -> None:
    """Authentication on (every request must be signed) or off."""
    req = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0" if on else b"inf",
                                 method="POST", headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(req, timeout=5).read()


@contextlib.contextmanager
def auth_off(endpoint: str) -> Iterator[None]:
    """moto does not check presigned URLs (and answers 500 to one while authentication is on):
    they are fetched with it off."""
    set_auth(endpoint, False)
    try:
        yield
    finally:
        set_auth(endpoint, True)


def run_moto() -> Iterator[Moto]:
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("moto server did not start")
                time.sleep(0.1)
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="AKIASETUPSETUPSETUP0", aws_secret_access_key="setup")
        iam.create_user(UserName="sdk")
        iam.put_user_policy(UserName="sdk", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="sdk")["AccessKey"]
        set_auth(endpoint, True)
        yield Moto(endpoint, key["AccessKeyId"], key["SecretAccessKey"], "us-east-1")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    # For the Node SDK tests: start moto with authentication on, print where and with which key
    # as one JSON line, and stop when stdin closes.
    servers = run_moto()
    info = next(servers)
    print(json.dumps(info._asdict()), flush=True)
    sys.stdin.read()
    servers.close()
