"""A correctly signed GET (and POST) is accepted behind the WSGI middleware under the real servers people
deploy: gunicorn (started here as a process on 127.0.0.1) and werkzeug's development server. Neither may
turn a request into ``UnsignedHeader`` by a header the client never sent (werkzeug's environ carries
``CONTENT_TYPE=""`` for a request without one); tampering is still refused."""

import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

import sigv4
from sigv4.requests import SigV4Auth
from wsgi_servers_app import AKID, SECRET, app

AUTH = SigV4Auth(sigv4.Credentials(AKID, SECRET), "us-east-1", "execute-api")
HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url, proc=None):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


def check(url, server):
    r = requests.get(url + "/items?a=1", auth=AUTH, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["who"] == AKID and r.json()["len"] == 0
    assert server in r.json()["server"].lower()
    assert not r.json()["ct"]  # no Content-Type reaches the app: none was sent
    r = requests.post(url + "/items", data=b'{"a":1}', headers={"Content-Type": "application/json"}, auth=AUTH,
                      timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["ct"] == "application/json" and r.json()["len"] == 7
    prepared = requests.Request("GET", url + "/items?a=1").prepare()
    AUTH(prepared)
    prepared.prepare_url(url + "/items?a=2", None)
    r = requests.Session().send(prepared, timeout=10)
    assert r.status_code == 403 and r.json()["__type"] == "SignatureDoesNotMatch"
    r = requests.get(url + "/items", timeout=10)
    assert r.status_code == 403 and r.json()["__type"] == "MissingAuthenticationToken"


def test_gunicorn():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level",
         "warning", "--chdir", HERE, "wsgi_servers_app:app"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_up(url, proc)
        check(url, "gunicorn")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_werkzeug_dev_server():
    serving = pytest.importorskip("werkzeug.serving")
    server = serving.make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        check(f"http://127.0.0.1:{server.server_port}", "werkzeug")
    finally:
        server.shutdown()
        server.server_close()
