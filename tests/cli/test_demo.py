"""Every subcommand against the project's verifying demo server (examples/demo/server.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import IDENTITIES, ROOT, identity_env, base_env, run


def fetch(method: str, url: str, headers=None, body: bytes | None = None):
    request = urllib.request.Request(url, data=body, headers=dict(headers or {}), method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_request_get_and_post(demo, home):
    env = identity_env(home)
    out = run(["request", "--service", "execute-api", f"{demo}/health"], env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["caller"]["access_key_id"] == IDENTITIES[0]["access_key_id"]
    out = run(["request", "--service", "execute-api", "-H", "Content-Type: application/json",
               "-d", '{"kind": "blog-post"}', f"{demo}/jobs", "-i"], env)
    assert out.returncode == 0, out.stderr
    head, _, body = out.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert json.loads(body)["job"]["request"] == {"kind": "blog-post"}


def test_request_with_session_token_output_file_and_fail(demo, home, tmp_path):
    env = identity_env(home, 1)
    target = tmp_path / "out.json"
    out = run(["request", "--service", "execute-api", f"{demo}/jobs?status=queued&q=a%20b", "-o", str(target)], env)
    assert out.returncode == 0, out.stderr
    assert json.loads(target.read_text())["caller"]["access_key_id"] == IDENTITIES[1]["access_key_id"]
    out = run(["request", "--service", "execute-api", "-f", f"{demo}/no-such-route"], env)
    assert out.returncode == 6
    out = run(["request", "--service", "execute-api", f"{demo}/no-such-route"], env)
    assert out.returncode == 0


def test_request_presigned(demo, home):
    out = run(["request", "--service", "execute-api", "--presign", "--expires", "60", f"{demo}/jobs"], identity_env(home))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["caller"]["presigned"] is True


def test_verbose_never_prints_secrets_and_explain_last(demo, home):
    ident = IDENTITIES[1]
    env = identity_env(home, 1, AWS_SECRET_ACCESS_KEY="wrong" + ident["secret_access_key"])
    out = run(["request", "-v", "--service", "execute-api", f"{demo}/health"], env)
    assert out.returncode == 0
    err = out.stderr.decode()
    assert "canonical request" in err and "string to sign" in err
    assert ident["session_token"] not in err and "x-amz-security-token:** redacted **" in err
    assert ident["secret_access_key"] not in err
    assert b"SignatureDoesNotMatch" in out.stdout
    last = (home / "cache" / "sigv4" / "last.json").read_text()
    assert ident["session_token"] not in last and ident["secret_access_key"] not in last
    out = run(["explain", "--last"], env)
    assert out.returncode == 0, out.stderr
    assert b"cause [secret-or-token]" in out.stdout


def test_sign_headers_and_curl(demo, home):
    env = identity_env(home, 1)
    out = run(["sign", "--service", "execute-api", f"{demo}/health"], env)
    assert out.returncode == 0, out.stderr
    headers = dict(line.split(": ", 1) for line in out.stdout.decode().splitlines())
    assert set(headers) >= {"Host", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"}
    status, body = fetch("GET", f"{demo}/health", headers)
    assert status == 200, body
    assert shutil.which("curl"), "curl is needed for the --curl test"
    out = run(["sign", "--curl", "--service", "execute-api", "-H", "Content-Type: application/json",
               "--data-binary", '{"it": "is \'quoted\'"}', f"{demo}/jobs"], env)
    assert out.returncode == 0, out.stderr
    curl = subprocess.run(["bash", "-c", out.stdout.decode().strip() + " -s -w '\\n%{http_code}'"],
                          capture_output=True, timeout=30)
    assert curl.stdout.decode().rstrip().endswith("200"), curl.stdout


def test_sign_matches_botocore(home):
    """The signature of `sign --json` equals botocore's for the same request and instant."""
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    from unittest import mock

    ident = IDENTITIES[1]
    creds = botocore.credentials.Credentials(ident["access_key_id"], ident["secret_access_key"], ident["session_token"])
    when = dt.datetime(2026, 1, 2, 3, 4, 5)
    cases = [
        ("execute-api", "POST", "https://abc.execute-api.us-east-1.amazonaws.com/prod/a%20b/c?z=1&a=%2F&b=x%20y",
         {"Content-Type": "application/json"}, b'{"x": 1}', botocore.auth.SigV4Auth),
        ("s3", "PUT", "https://bkt.s3.eu-west-1.amazonaws.com/k%20e%2By/x", {"Content-Type": "text/plain"},
         b"hello", botocore.auth.S3SigV4Auth),
    ]
    for service, method, url, headers, body, auth_cls in cases:
        args = ["sign", "--json", "--timestamp", "20260102T030405Z", "-X", method, "--data-binary", body.decode(), url]
        for n, v in headers.items():
            args += ["-H", f"{n}: {v}"]
        out = run(args, identity_env(home, 1))
        assert out.returncode == 0, out.stderr
        ours = json.loads(out.stdout)
        region = ours["region"]
        request = botocore.awsrequest.AWSRequest(method=method, url=ours["url"], headers=dict(headers), data=body)
        with mock.patch("botocore.auth.get_current_datetime", return_value=when):
            auth_cls(creds, service, region).add_auth(request)
        ours_auth = dict(ours["headers"])["Authorization"]
        assert ours_auth == request.headers["Authorization"], (service, ours["canonical_request"])


def test_presign(demo, home):
    env = identity_env(home)
    out = run(["presign", "GET", f"{demo}/jobs", "--expires", "120", "--service", "execute-api"], env)
    assert out.returncode == 0, out.stderr
    status, body = fetch("GET", out.stdout.decode().strip())
    assert status == 200 and json.loads(body)["caller"]["presigned"] is True
    hour_ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")
    out = run(["presign", "GET", f"{demo}/jobs", "--expires", "60", "--service", "execute-api",
               "--timestamp", hour_ago], env)
    status, body = fetch("GET", out.stdout.decode().strip())
    assert status == 403 and json.loads(body)["__type"] == "RequestExpired"
    out = run(["presign", "GET", f"{demo}/jobs", "--expires", "999999", "--service", "execute-api"], env)
    assert out.returncode == 3 and b"expires" in out.stderr.lower()


def raw_request(signed: dict, body: bytes) -> bytes:
    target = signed["url"].split("://", 1)[1]
    target = target[target.find("/"):] if "/" in target else "/"
    lines = [f"{signed['method']} {target} HTTP/1.1"]
    lines += [f"{n}: {v}" for n, v in signed["headers"]]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_verify_captured_requests(home, tmp_path):
    env = identity_env(home, 1)
    keys = ROOT / "examples" / "demo" / "identities.json"
    url = "http://127.0.0.1:9/jobs?x=1"
    body = b'{"kind": "blog-post"}'
    signed = json.loads(run(["sign", "--json", "--service", "execute-api", "--timestamp", "20260102T030405Z",
                             "-H", "Content-Type: application/json", "--data-binary", body.decode(), url], env).stdout)
    capture = tmp_path / "req.http"
    capture.write_bytes(raw_request(signed, body))
    out = run(["verify", str(capture), "--keys", str(keys), "--now", "20260102T030500Z"], env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"verified: {IDENTITIES[1]['access_key_id']}".encode() in out.stdout
    out = run(["verify", "--keys", str(keys), "--now", "20260102T030500Z", "--json"], env,
              input=raw_request(signed, body.replace(b"post", b"pwnd")))
    assert out.returncode == 1
    result = json.loads(out.stdout)
    assert result["code"] == "SignatureDoesNotMatch" and result["canonical_request"].startswith("POST\n/jobs\nx=1\n")
    assert IDENTITIES[1]["session_token"] not in out.stdout.decode()
    out = run(["verify", str(capture), "--keys", str(keys), "--now", "20260103T000000Z"], env)
    assert out.returncode == 1 and b"RequestTimeTooSkewed" in out.stdout
    # SigV4a: signed for a region set, checked by the verifier with the same keys (env credentials).
    signed = json.loads(run(["sign", "--json", "--sigv4a", "--region-set", "us-east-1,us-west-2", "--service",
                             "execute-api", "--timestamp", "20260102T030405Z", url], env).stdout)
    assert signed["algorithm"] == "AWS4-ECDSA-P256-SHA256"
    out = run(["verify", "--region", "us-east-1", "--now", "20260102T030500Z"], env, input=raw_request(signed, b""))
    assert out.returncode == 0, out.stdout + out.stderr
    assert b"AWS4-ECDSA-P256-SHA256" in out.stdout


def test_explain_tampered_body_and_changed_header(demo, home, tmp_path):
    env = identity_env(home)
    body = b'{"kind": "blog-post"}'
    out = run(["sign", "--json", "--service", "execute-api", "-H", "Content-Type: application/json",
               "-H", "X-Trace: one", "--data-binary", body.decode(), f"{demo}/jobs"], env)
    signed = json.loads(out.stdout)
    (tmp_path / "signed.json").write_bytes(out.stdout)
    headers = dict(signed["headers"])
    status, answer = fetch("POST", signed["url"], headers, body.replace(b"post", b"pwnd"))
    assert status == 403
    (tmp_path / "answer.json").write_bytes(answer)
    out = run(["explain", str(tmp_path / "answer.json"), "--signed", str(tmp_path / "signed.json")], env)
    assert out.returncode == 0, out.stderr
    assert b"cause [payload-hash]" in out.stdout and b"- " in out.stdout and b"+ " in out.stdout
    # A header changed after signing; our side is the captured request as signed.
    (tmp_path / "req.http").write_bytes(raw_request(signed, body))
    headers["X-Trace"] = "two"
    status, answer = fetch("POST", signed["url"], headers, body)
    assert status == 403
    out = run(["explain", "--request", str(tmp_path / "req.http"), "--json"], env, input=answer)
    assert out.returncode == 0, out.stderr
    causes = [c["cause"] for c in json.loads(out.stdout)["causes"]]
    assert causes == ["header-changed"], out.stdout


def test_tls_with_cacert(home, tmp_path):
    from tls_server import tls_demo
    with tls_demo(tmp_path) as (url, cert):
        env = identity_env(home)
        out = run(["request", "--service", "execute-api", "--cacert", str(cert), f"{url}/health"], env)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["status"] == "ok"
        out = run(["request", "--service", "execute-api", f"{url}/health"], env)
        assert out.returncode == 5 and b"TLS" in out.stderr


def test_max_time(home):
    import socket
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        out = run(["request", "--service", "execute-api", "--max-time", "0.5", f"http://127.0.0.1:{port}/"],
                  identity_env(home), timeout=20)
    assert out.returncode == 5 and b"max-time" in out.stderr


def test_errors_say_what_to_fix(home):
    url = "https://abc.execute-api.us-east-1.amazonaws.com/x"
    out = run(["sign", url], base_env(home))
    assert out.returncode == 4 and b"AWS_ACCESS_KEY_ID" in out.stderr
    env = identity_env(home)
    cases = [
        (["sign", "-H", "nocolon", url], b"no ':'"),
        (["sign", "--timestamp", "yesterday", url], b"YYYYMMDDTHHMMSSZ"),
        (["sign", "http://127.0.0.1:1/"], b"--service"),
        (["sign", "ftp://x/"], b"scheme"),
        (["sign", "--service", "s3", "--region", "not a region", url], b"region"),
    ]
    for args, needle in cases:
        out = run(args, env)
        assert out.returncode == 3, (args, out.stderr)
        assert needle in out.stderr, (args, out.stderr)
        assert b"panicked" not in out.stderr


def test_help_exit_codes_and_completions(home):
    env = base_env(home)
    for sub in ["request", "sign", "presign", "verify", "explain", "completions"]:
        out = run([sub, "--help"], env)
        assert out.returncode == 0 and b"Usage: sigv4 " + sub.encode() in out.stdout, sub
    assert b"Exit codes:" in run(["--help"], env).stdout
    for shell in ["bash", "zsh", "fish"]:
        out = run(["completions", shell], env)
        assert out.returncode == 0 and b"presign" in out.stdout
    assert run(["nonsense"], env).returncode == 2


def test_timestamp_makes_output_reproducible(home):
    args = ["sign", "--json", "--timestamp", "20150830T123600Z", "--service", "service", "--region", "us-east-1",
            "https://example.amazonaws.com/"]
    env = base_env(home, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    first, second = run(args, env), run(args, env)
    assert first.stdout == second.stdout
    # AWS's get-vanilla test vector.
    assert json.loads(first.stdout)["signature"] == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
