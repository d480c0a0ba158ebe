"""The credential providers end to end: a signed request to the demo server with credentials from a
local stand-in of the ECS container endpoint and of IMDSv2 (their protocols: the container's
Authorization token; IMDSv2's PUT for a session token, then the role name, then the role's JSON),
from credential_process, and from profiles."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import json
import sys
import threading

from conftest import IDENTITIES, base_env, run


def creds_document(ident: dict, minutes: int = 60) -> bytes:
    expires = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({
        "Code": "Success", "Type": "AWS-HMAC", "LastUpdated": "2026-01-01T00:00:00Z",
        "AccessKeyId": ident["access_key_id"], "SecretAccessKey": ident["secret_access_key"],
        "Token": ident["session_token"], "Expiration": expires,
    }).encode()


@contextlib.contextmanager
def stand_in(handler_class):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status: int, body: bytes = b"") -> None:
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Container(Quiet):
    def do_GET(self):
        if self.path != "/v2/credentials/abc" or self.headers.get("Authorization") != "Bearer container-token":
            return self.answer(401)
        self.answer(200, creds_document(IDENTITIES[1]))


class Imds(Quiet):
    TOKEN = "imds-session-token"

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.answer(200, self.TOKEN.encode())
        self.answer(400)

    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") != self.TOKEN:
            return self.answer(401)
        if self.path == "/latest/meta-data/iam/security-credentials/":
            return self.answer(200, b"demo-role")
        if self.path == "/latest/meta-data/iam/security-credentials/demo-role":
            return self.answer(200, creds_document(IDENTITIES[1]))
        self.answer(404)


def fresh(demo: str) -> str:
    """A new URL each call: the demo's replay cache refuses a signature seen before (same second)."""
    fresh.n = getattr(fresh, "n", 0) + 1
    return f"{demo}/health?call={fresh.n}"


def caller(out) -> str:
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)["caller"]["access_key_id"]


def test_container_endpoint(demo, home):
    with stand_in(Container) as server:
        url = f"http://127.0.0.1:{server.server_port}/v2/credentials/abc"
        env = base_env(home, AWS_CONTAINER_CREDENTIALS_FULL_URI=url,
                       AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer container-token", AWS_REGION="us-east-1")
        assert caller(run(["request", "--service", "execute-api", fresh(demo)], env)) == IDENTITIES[1]["access_key_id"]
        token_file = home / "container-token"
        token_file.write_text("Bearer container-token\n")
        env.pop("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = str(token_file)
        assert caller(run(["request", "--service", "execute-api", fresh(demo)], env)) == IDENTITIES[1]["access_key_id"]
        env.pop("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        out = run(["request", "--service", "execute-api", fresh(demo)], env)
        assert out.returncode == 4 and b"401" in out.stderr


def test_imds_v2(demo, home):
    with stand_in(Imds) as server:
        env = base_env(home, AWS_EC2_METADATA_SERVICE_ENDPOINT=f"http://127.0.0.1:{server.server_port}",
                       AWS_REGION="us-east-1")
        env.pop("AWS_EC2_METADATA_DISABLED")
        assert caller(run(["request", "--service", "execute-api", fresh(demo)], env)) == IDENTITIES[1]["access_key_id"]
        methods = [(m, p) for m, p, _ in server.requests]
        assert methods == [("PUT", "/latest/api/token"), ("GET", "/latest/meta-data/iam/security-credentials/"),
                           ("GET", "/latest/meta-data/iam/security-credentials/demo-role")]


def test_credential_process_and_profiles(demo, home, tmp_path):
    script = tmp_path / "creds.py"
    ident = IDENTITIES[1]
    script.write_text("import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': %r, 'SecretAccessKey': %r, "
                      "'SessionToken': %r}))\n" % (ident["access_key_id"], ident["secret_access_key"], ident["session_token"]))
    config = tmp_path / "config"
    config.write_text(f"[default]\nregion = us-east-1\n\n[profile tool]\nregion = us-east-1\ncredential_process = {sys.executable} {script}\n")
    credentials = tmp_path / "credentials"
    plain = IDENTITIES[0]
    credentials.write_text(f"[default]\naws_access_key_id = {plain['access_key_id']}\n"
                           f"aws_secret_access_key = {plain['secret_access_key']}\n")
    env = base_env(home, AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE=str(credentials))
    # The default profile's keys, and its region from the config file.
    assert caller(run(["request", "--service", "execute-api", fresh(demo)], env)) == plain["access_key_id"]
    assert caller(run(["request", "--service", "execute-api", "--profile", "tool", fresh(demo)], env)) == ident["access_key_id"]
    env["AWS_PROFILE"] = "tool"
    assert caller(run(["request", "--service", "execute-api", fresh(demo)], env)) == ident["access_key_id"]
    out = run(["request", "--service", "execute-api", "--profile", "missing", fresh(demo)], env)
    assert out.returncode == 4 and b'no profile "missing"' in out.stderr
