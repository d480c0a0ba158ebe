"""Issue 23: request smuggling and target confusion through real servers, raw bytes on a socket.

Each server (uvicorn with h11 and with httptools, hypercorn, gunicorn, werkzeug's server) runs the
SigV4 middleware in front of an echo application (smuggling_app.py) and is started once; every
case of tests/smuggling/cases.json is then written to it as raw bytes. Each response must be a
refusal, or show that the application received exactly the signed method, path, query, signed
headers and body. The outcome table of each server is written to build/smuggling/<server>.txt.
"""

from __future__ import annotations

import base64
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import time
from typing import Dict, List, Optional, Tuple
from urllib.parse import unquote_to_bytes

import pytest

import sigv4
from conftest import ROOT

TESTS = pathlib.Path(__file__).resolve().parent
TABLE = json.loads((ROOT / "tests" / "smuggling" / "cases.json").read_text())
HOST = TABLE["host"]
T0 = 1_440_938_160  # 20150830T123600Z, the echo applications' clock
SIGNER = sigv4.Signer(sigv4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                      region="us-east-1", service="service")


class Signed:
    """A case's signed request: what the application must receive if it is let through."""

    def __init__(self, sign: dict) -> None:
        self.method = sign["method"]
        self.target = sign["target"]
        self.body = sign.get("body", "").encode()
        headers = [("Host", sign.get("host", HOST))] + [tuple(h) for h in sign.get("headers", [])]
        signed = SIGNER.sign(self.method, f"https://{HOST}{self.target}", headers=headers, body=self.body,
                             timestamp=T0)
        self.headers: List[Tuple[str, str]] = list(signed.headers.items())
        self.names = signed.signed_headers.split(";")

    def value(self, name: str) -> str:
        return next(v for n, v in self.headers if n.lower() == name)

    def render(self, raw: str) -> bytes:
        def lines(skip: str = "") -> str:
            return "".join(f"{n}: {v}\r\n" for n, v in self.headers if n.lower() != skip)

        text = raw.replace("{headers}", lines())
        text = re.sub(r"\{headers-([a-z0-9-]+)\}", lambda m: lines(m.group(1)), text)
        text = re.sub(r"\{value:([a-z0-9-]+)\}", lambda m: self.value(m.group(1)), text)
        return text.encode("latin-1")

    def mismatch(self, seen: dict) -> Optional[str]:
        """What differs between the signed request and what the application received (None: nothing)."""
        path, _, query = self.target.partition("?")
        if "/." in path or "//" in path:
            return "a path that signing normalises reached the application in raw form"
        if seen["method"] != self.method:
            return f"method {seen['method']!r}"
        if seen["target"] and seen["target"] != self.target:
            return f"raw target {seen['target']!r}"
        if seen["path"].encode("latin-1") != unquote_to_bytes(path):
            return f"decoded path {seen['path']!r}"
        if seen["query"] != query:
            return f"query {seen['query']!r}"
        for name in self.names:
            values = [v.strip() for n, v in seen["headers"] if n.lower() == name]
            if ",".join(values) != self.value(name).strip():
                return f"header {name}: {values!r}"
        if base64.b64decode(seen["body"]) != self.body:
            return f"body {base64.b64decode(seen['body'])!r}"
        return None


def responses(data: bytes) -> List[Tuple[int, bytes]]:
    """The HTTP/1.1 responses in `data` (status, body), in order."""
    out = []
    while data:
        head_end = data.find(b"\r\n\r\n")
        if head_end < 0:
            break
        head, rest = data[:head_end].decode("latin-1"), data[head_end + 4:]
        status = int(head.split(" ", 2)[1])
        fields = {}
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            n = int(fields["content-length"])
            body, data = rest[:n], rest[n:]
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size_end = rest.find(b"\r\n")
                size = int(rest[:size_end].split(b";")[0], 16)
                body += rest[size_end + 2:size_end + 2 + size]
                rest = rest[size_end + 2 + size + 2:]
                if size == 0:
                    break
            data = rest
        else:
            body, data = rest, b""
        out.append((status, body))
    return out


def exchange(port: int, raw: bytes) -> List[Tuple[int, bytes]]:
    """Writes `raw` and reads until the server closes (or stays silent for a second)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(raw)
        s.settimeout(1.0)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            data += chunk
    return responses(data)


def outcome(signed: Signed, status: int, body: bytes) -> str:
    if status != 200:
        try:
            code = json.loads(body)["__type"]  # the middleware's answer names the code
        except (ValueError, KeyError, TypeError):
            code = "by the server"
        return f"refused ({status} {code})"
    try:
        seen = json.loads(body)
    except ValueError:
        return f"MISMATCH: 200 without the echo ({body[:60]!r})"
    why = signed.mismatch(seen)
    return "exact" if why is None else f"MISMATCH: {why}"


def run_cases(port: int) -> List[Tuple[str, List[str], List[str]]]:
    rows = []
    for case in TABLE["cases"]:
        signed = Signed(case["sign"])
        got = exchange(port, signed.render(case["raw"]))
        outcomes = [outcome(signed, status, body) for status, body in got]
        # The responses after the first answer requests nobody signed: only a refusal is right.
        outcomes = outcomes[:1] + [o if o.startswith("refused") else f"MISMATCH: unsigned request let through ({o})"
                                   for o in outcomes[1:]]
        expect = case["expect"]
        while len(outcomes) < len(expect):
            outcomes.append("refused (no response)" if outcomes else "refused (closed, no response)")
        rows.append((case["name"], outcomes, expect))
    return rows


def acceptable(outcome_text: str, expect: str) -> bool:
    if outcome_text.startswith("MISMATCH"):
        return False
    return expect == "either" or outcome_text.startswith(expect)


SERVERS: Dict[str, List[str]] = {
    "uvicorn (h11)": ["-m", "uvicorn", "smuggling_app:asgi_app", "--host", "127.0.0.1", "--port", "{port}",
                      "--http", "h11", "--log-level", "warning", "--no-access-log"],
    "uvicorn (httptools)": ["-m", "uvicorn", "smuggling_app:asgi_app", "--host", "127.0.0.1", "--port", "{port}",
                            "--http", "httptools", "--log-level", "warning", "--no-access-log"],
    "hypercorn": ["-m", "hypercorn", "smuggling_app:asgi_app", "--bind", "127.0.0.1:{port}", "--log-level", "warning"],
    "gunicorn": ["-m", "gunicorn", "smuggling_app:wsgi_app", "--bind", "127.0.0.1:{port}", "--workers", "1",
                 "--log-level", "warning"],
    "werkzeug": ["-c", "import smuggling_app, sys; from werkzeug.serving import run_simple; "
                       "run_simple('127.0.0.1', int(sys.argv[1]), smuggling_app.wsgi_app)", "{port}"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("server", list(SERVERS))
def test_smuggling_table(server: str) -> None:
    port = free_port()
    args = [sys.executable] + [a.replace("{port}", str(port)) for a in SERVERS[server]]
    env = dict(os.environ, PYTHONPATH=str(TESTS) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(args, cwd=TESTS, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{server} did not start: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.1)
        rows = run_cases(port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    table = "\n".join(f"{name:<62} {' | '.join(got)}" for name, got, _ in rows)
    out = ROOT / "build" / "smuggling"
    out.mkdir(parents=True, exist_ok=True)
    (out / (re.sub(r"[^a-z0-9]+", "-", server.lower()).strip("-") + ".txt")).write_text(f"{server}\n{table}\n")
    bad = [f"{name}: {got} (expected {expect})" for name, got, expect in rows
           if not all(acceptable(g, e) for g, e in zip(got, expect + ["refused"] * len(got)))]
    assert not bad, f"{server}:\n" + "\n".join(bad) + "\n\nfull table:\n" + table
