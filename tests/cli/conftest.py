"""Shared fixtures of the `sigv4` command-line tests: the binary, a clean environment, the project's
verifying demo server and moto's server with IAM authentication, all on 127.0.0.1."""

from __future__ import annotations

import json
import os
import pathlib
import socket
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"
BIN = pathlib.Path(os.environ.get("SIGV4_BIN", ROOT / "target" / "debug" / "sigv4"))
IDENTITIES = json.loads((DEMO / "identities.json").read_text())["identities"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> pathlib.Path:
    return tmp_path_factory.mktemp("home")


def base_env(home: pathlib.Path, **extra: str) -> dict:
    """No AWS settings from the caller, no instance metadata probing (never leaves 127.0.0.1)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), AWS_EC2_METADATA_DISABLED="true")
    env.update(extra)
    return env


def identity_env(home: pathlib.Path, index: int = 0, **extra: str) -> dict:
    ident = IDENTITIES[index]
    env = base_env(home, AWS_ACCESS_KEY_ID=ident["access_key_id"],
                   AWS_SECRET_ACCESS_KEY=ident["secret_access_key"], AWS_REGION="us-east-1")
    if ident.get("session_token"):
        env["AWS_SESSION_TOKEN"] = ident["session_token"]
    env.update(extra)
    return env


def run(args, env, input: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    assert BIN.exists(), f"{BIN} is not built (cargo build -p sigv4-cli)"
    return subprocess.run([str(BIN), *args], env=env, input=input, capture_output=True, timeout=timeout)


@pytest.fixture(scope="session")
def demo():
    """The project's demo API (sigv4 verifier as WSGI middleware, replay cache on), explaining mismatches."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(DEMO / "server.py"), "--port", str(port), "--explain-mismatch"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


MOTO_SETUP_ACTIONS = 3  # create_user, put_user_policy, create_access_key


@pytest.fixture(scope="session")
def moto():
    """moto's server with IAM authentication: INITIAL_NO_AUTH_ACTION_COUNT lets the set-up calls
    through unauthenticated, then every request's SigV4 signature is checked (moto's access_control)."""
    import boto3
    port = free_port()
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT=str(MOTO_SETUP_ACTIONS))
    exe = pathlib.Path(sys.executable).parent / "moto_server"
    proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc)
    url = f"http://127.0.0.1:{port}"
    iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    iam.create_user(UserName="cli")
    iam.put_user_policy(UserName="cli", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="cli")["AccessKey"]
    yield url, key["AccessKeyId"], key["SecretAccessKey"]
    stop(proc)
