"""Under wsgiref as it is (its handler invents ``CONTENT_TYPE=text/plain`` for every request without a
Content-Type), a correctly signed GET is accepted rather than refused as ``UnsignedHeader``; a signed
Content-Type is still checked."""

import json
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import requests

import sigv4
import sigv4.wsgi
from sigv4.requests import SigV4Auth

CREDS = sigv4.Credentials("AKIDWSGIREF", "wsgiref-secret-key")


class _Silent(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:  # wsgiref's own handler otherwise: nothing changed
        pass


def app(environ, start_response):
    data = json.dumps({"who": environ["sigv4.identity"].access_key_id, "ct": environ.get("CONTENT_TYPE")}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def test_signed_get_under_plain_wsgiref():
    v = sigv4.Verifier({"AKIDWSGIREF": "wsgiref-secret-key"}, region="us-east-1", service="execute-api")
    httpd = make_server("127.0.0.1", 0, sigv4.wsgi.SigV4Middleware(app, v), handler_class=_Silent)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    auth = SigV4Auth(CREDS, "us-east-1", "execute-api")
    try:
        r = requests.get(url + "/items?a=1", auth=auth, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json() == {"who": "AKIDWSGIREF", "ct": None}
        r = requests.post(url + "/items", data=b'{"a":1}', headers={"Content-Type": "application/json"}, auth=auth, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["ct"] == "application/json"
        # A signed text/plain is the client's: kept and verified.
        r = requests.post(url + "/items", data=b"hi", headers={"Content-Type": "text/plain"}, auth=auth, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["ct"] == "text/plain"
        # Tampering is still caught.
        prepared = requests.Request("GET", url + "/items?a=1").prepare()
        auth(prepared)
        prepared.prepare_url(url + "/items?a=2", None)
        r = requests.Session().send(prepared, timeout=10)
        assert r.status_code == 403
        assert r.json()["__type"] == "SignatureDoesNotMatch"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_presigned_under_plain_wsgiref():
    """The same decision for a presigned URL: its X-Amz-SignedHeaders (read by the core's parser, the
    ';' percent-encoded) says whether the client signed Content-Type."""
    v = sigv4.Verifier({"AKIDWSGIREF": "wsgiref-secret-key"}, region="us-east-1", service="execute-api")
    httpd = make_server("127.0.0.1", 0, sigv4.wsgi.SigV4Middleware(app, v), handler_class=_Silent)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    signer = sigv4.Signer(CREDS, region="us-east-1", service="execute-api")
    try:
        presigned = signer.presign("GET", url + "/items?a=1", expires_in=300)
        assert "X-Amz-SignedHeaders=host&" in presigned.url
        r = requests.get(presigned.url, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json() == {"who": "AKIDWSGIREF", "ct": None}
        presigned = signer.presign("GET", url + "/items", expires_in=300, headers={"Content-Type": "text/plain"})
        assert "X-Amz-SignedHeaders=content-type%3Bhost" in presigned.url
        r = requests.get(presigned.url, headers={"Content-Type": "text/plain"}, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["ct"] == "text/plain"
        # Signed, but sent without it: wsgiref's invention is kept (the client signed the header) and
        # checked — it is not the value the client signed.
        presigned = signer.presign("GET", url + "/items", expires_in=300, headers={"Content-Type": "application/json"})
        r = requests.get(presigned.url, timeout=10)
        assert r.status_code == 403, r.text
        assert r.json()["__type"] == "SignatureDoesNotMatch"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_declared_signed_headers_is_the_verifiers_reading():
    declared = sigv4._native.declared_signed_headers
    auth = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0" * 64)
    assert declared(auth, "") == ["content-type", "host", "x-amz-date"]
    assert declared(None, "a=1&X-Amz-SignedHeaders=content-type%3bhost") == ["content-type", "host"]
    assert declared(None, "a=1") is None
    assert declared("AWS4-HMAC-SHA256 Credential=x", "X-Amz-SignedHeaders=host") is None
