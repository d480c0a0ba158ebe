"""A real redis-server for the fleet tests: the one tests/replay/with-redis.sh started (make
test-replay), or else one started here on a free port and stopped at the end."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import redis

HERE = Path(__file__).resolve().parent


class RedisServer:
    """The server on ``port``; ``stop()`` / ``start()`` for the outage tests (same port)."""

    def __init__(self, port: int, directory: str) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.dir = directory

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self) -> None:
        # Append-only with fsync on every write: keys survive a restart, so a request accepted
        # before an outage is still refused as a replay after it.
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "yes", "--appendfsync", "always", "--dir", self.dir,
                        "--daemonize", "yes", "--logfile", os.path.join(self.dir, "log")], check=True)
        self.wait(up=True)

    def stop(self) -> None:
        try:
            self.client().shutdown(nosave=True)
        except redis.exceptions.ConnectionError:
            pass  # the shutdown closes the connection
        self.wait(up=False)

    def wait(self, up: bool) -> None:
        for _ in range(200):
            try:
                self.client().ping()
                if up:
                    return
            except redis.exceptions.ConnectionError:
                if not up:
                    return
            time.sleep(0.02)
        raise RuntimeError(f"redis on {self.port} did not come {'up' if up else 'down'}")


@pytest.fixture(scope="session")
def redis_server():
    port = os.environ.get("SIGV4_REDIS_PORT")
    if port:
        # Started append-only in SIGV4_REDIS_DIR by with-redis.sh, as start() restarts it.
        yield RedisServer(int(port), os.environ["SIGV4_REDIS_DIR"])
        return
    assert shutil.which("redis-server"), "redis-server is not installed: make redis-server-install"
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    server = RedisServer(s.getsockname()[1], tempfile.mkdtemp(prefix="sigv4-redis-"))
    s.close()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Instance:
    def __init__(self, kind: str, url: str) -> None:
        self.kind = kind
        self.proc = subprocess.Popen([sys.executable, str(HERE / "fleet_app.py"), kind, url],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        assert line and line[0] == "PORT", f"{kind} instance did not start"
        self.port = int(line[1])
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"{kind} instance not listening")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def fleet(redis_server):
    """Two verifying processes sharing one Redis: WSGI (redis-py) and ASGI (redis.asyncio)."""
    a, b = Instance("wsgi", redis_server.url), Instance("asgi", redis_server.url)
    try:
        yield a, b
    finally:
        a.close()
        b.close()
