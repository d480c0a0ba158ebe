"""The WSGI app behind the verifier for tests/test_wsgi_servers.py (gunicorn imports it by name)."""

import json

import sigv4
import sigv4.wsgi

AKID, SECRET = "AKIDWSGISERVERS", "wsgi-servers-secret-key"


def inner(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)  # PEP 3333: read no more than announced
    body = environ["wsgi.input"].read(length) if length else b""
    data = json.dumps({
        "who": environ["sigv4.identity"].access_key_id,
        "ct": environ.get("CONTENT_TYPE"),
        "len": len(body),
        "server": environ.get("SERVER_SOFTWARE", ""),
    }).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


app = sigv4.wsgi.SigV4Middleware(
    inner, sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api")
)
