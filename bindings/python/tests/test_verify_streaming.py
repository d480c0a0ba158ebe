"""The Python streaming (aws-chunked) verifier: ``Verifier.verify_streaming`` + ``VerifiedStream.feed`` /
``finish`` and ``sigv4.ChunkedReader``, checked against the S3 documentation's worked example (headers,
seed and chunk signatures as documented) and a stream produced by botocore's own aws-chunked writer
(``AwsChunkedWrapper``, signed by botocore's ``S3SigV4Auth``); tampered chunks refused with
``InvalidChunk``, a wrong seed with ``SignatureDoesNotMatch``; and the WSGI / ASGI middlewares taking an
aws-chunked upload (a real wsgiref server, an ASGI call) and refusing a tampered one."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum

import sigv4
import sigv4.asgi
import sigv4.wsgi
from conftest import VECTORS

DOC = json.loads((VECTORS / "s3-examples.json").read_text())
EX = DOC["chunked_upload"]
C = DOC["credentials"]
WHEN = DOC["timestamp"]
DATA = b"a" * 66560


def doc_wire(sizes=None) -> bytes:
    """The wire body as the S3 documentation gives it (sizes and chunk signatures from the example)."""
    out = b""
    for size, signature in zip(EX["chunk_sizes"], EX["chunk_signatures"]):
        out += f"{size:x};chunk-signature={signature}\r\n".encode()
        if size:
            out += b"a" * size + b"\r\n"
    return out + b"\r\n"


def doc_headers(seed=None):
    """The example's request headers, Authorization with the documented seed signature."""
    signed = "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class"
    return [("Host", "s3.amazonaws.com"), ("x-amz-date", WHEN), ("x-amz-content-sha256", EX["x_amz_content_sha256"]),
            *[(n, v) for n, v in EX["headers"]],
            ("Authorization", f"AWS4-HMAC-SHA256 Credential={C['access_key_id']}/20130524/us-east-1/s3/aws4_request,"
                              f"SignedHeaders={signed},Signature={seed or EX['seed_signature']}")]


def verifier(**kw):
    return sigv4.Verifier({C["access_key_id"]: C["secret_access_key"]}, region="us-east-1", service="s3", **kw)


def start(seed=None):
    return verifier().verify_streaming("PUT", "/examplebucket/chunkObject.txt", doc_headers(seed), now=WHEN)


@pytest.mark.parametrize("split", [1, 7, 4096, 66824])
def test_s3_documented_example(split):
    stream = start()
    assert stream.identity.access_key_id == C["access_key_id"]
    assert stream.identity.payload_hash == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    assert stream.decoded_length == 66560 and stream.content_encoding == "" and stream.trailer_names == []
    wire = doc_wire()
    assert len(wire) == 66824
    out = b"".join(stream.feed(wire[i:i + split]) for i in range(0, len(wire), split))
    assert out == DATA and stream.decoded_bytes == 66560 and stream.done
    assert stream.finish() == {}


def test_chunked_reader_file_and_iterable():
    reader = sigv4.ChunkedReader(start(), io.BytesIO(doc_wire()), length=66824)
    assert reader.read() == DATA and reader.trailers == {}
    reader = sigv4.ChunkedReader(start(), [doc_wire()[:100], doc_wire()[100:]])
    assert b"".join(reader) == DATA


def refused(feed_wire, code="InvalidChunk", seed=None):
    with pytest.raises(sigv4.VerificationError) as e:
        stream = start(seed)
        stream.feed(feed_wire)
        stream.finish()
    assert e.value.code == code, e.value
    return e.value


def test_tampered_chunks_are_refused():
    wire = doc_wire()
    at = wire.index(b"\r\n") + 2 + 1000
    refused(wire[:at] + b"b" + wire[at + 1:])  # one data byte changed
    sig = EX["chunk_signatures"][1].encode()
    refused(wire.replace(sig, sig[:-1] + (b"0" if sig[-1:] != b"0" else b"1")))  # a chunk signature changed
    refused(wire[:-40])  # truncated: finish() refuses
    bad_seed = EX["seed_signature"][:-1] + ("0" if EX["seed_signature"][-1] != "0" else "1")
    refused(wire, "SignatureDoesNotMatch", bad_seed)
    # Nothing of a refused chunk is handed out, and the stream keeps failing.
    stream = start()
    assert stream.feed(wire[:50]) == b""
    with pytest.raises(sigv4.VerificationError):
        stream.feed(wire[50:at] + b"b" + wire[at + 1:])
    with pytest.raises(sigv4.VerificationError):
        stream.feed(wire[at + 1:])
    with pytest.raises(TypeError):
        start().feed("text")


def botocore_upload(data: bytes):
    """botocore's aws-chunked body with a CRC32 trailer, and the headers botocore signs for it."""
    wire = AwsChunkedWrapper(io.BytesIO(data), checksum_cls=Crc32Checksum, checksum_name="x-amz-checksum-crc32",
                             chunk_size=8192).read()
    request = AWSRequest(method="PUT", url="https://bucket.s3.amazonaws.com/key.txt", data=wire)
    for name, value in [("Content-Encoding", "aws-chunked"), ("X-Amz-Decoded-Content-Length", str(len(data))),
                        ("X-Amz-Trailer", "x-amz-checksum-crc32"), ("Content-Length", str(len(wire)))]:
        request.headers[name] = value
    request.context["checksum"] = {"request_algorithm": {"in": "trailer", "algorithm": "crc32",
                                                         "name": "x-amz-checksum-crc32"}}
    S3SigV4Auth(BotoCredentials("AKIDBOTO", "boto-secret"), "s3", "us-east-1").add_auth(request)
    return wire, list(request.headers.items())


def test_botocore_produced_stream():
    data = bytes(range(256)) * 100
    wire, headers = botocore_upload(data)
    assert dict(headers)["X-Amz-Content-SHA256"] == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    v = sigv4.Verifier({"AKIDBOTO": "boto-secret"}, region="us-east-1", service="s3")
    stream = v.verify_streaming("PUT", "https://bucket.s3.amazonaws.com/key.txt", headers)
    assert stream.trailer_names == ["x-amz-checksum-crc32"]
    out = b"".join(stream.feed(wire[i:i + 1000]) for i in range(0, len(wire), 1000))
    assert out == data
    trailers = stream.finish()
    assert list(trailers) == ["x-amz-checksum-crc32"] and trailers["x-amz-checksum-crc32"].endswith("==")
    # The same headers with a body one byte short: the declared length no longer adds up.
    stream = v.verify_streaming("PUT", "https://bucket.s3.amazonaws.com/key.txt", headers)
    with pytest.raises(sigv4.VerificationError) as e:
        stream.feed(wire.replace(b"2000\r\n", b"1fff\r\n", 1))
        stream.finish()
    assert e.value.code == "InvalidChunk"


def app(environ, start_response):
    n = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(n)
    data = json.dumps({"len": len(body), "a": body.count(b"a"), "trailers": environ.get("sigv4.trailers"),
                       "who": environ["sigv4.identity"].access_key_id,
                       "ce": environ.get("HTTP_CONTENT_ENCODING")}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def test_wsgi_middleware_real_server():
    v = verifier()
    mw = sigv4.wsgi.SigV4Middleware(app, v, clock=lambda: 1369353600 + 60)  # 2013-05-24T00:01:00Z
    httpd = make_server("127.0.0.1", 0, mw, handler_class=_Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/examplebucket/chunkObject.txt"
    sent = [(n, v) for n, v in doc_headers() if n != "Host"]
    try:
        with requests.Session() as s:
            prepared = requests.Request("PUT", url, data=doc_wire(), headers=dict(sent)).prepare()
            prepared.headers["Host"] = "s3.amazonaws.com"
            r = s.send(prepared, timeout=10)
            assert r.status_code == 200, r.text
            assert r.json() == {"len": 66560, "a": 66560, "trailers": {}, "who": C["access_key_id"], "ce": None}
            wire = doc_wire()
            prepared = requests.Request("PUT", url, data=wire[:5000] + b"b" + wire[5001:], headers=dict(sent)).prepare()
            prepared.headers["Host"] = "s3.amazonaws.com"
            r = s.send(prepared, timeout=10)
            assert r.status_code == 400 and r.json()["__type"] == "InvalidChunk"
            small = sigv4.wsgi.SigV4Middleware(app, v, max_body=1000, clock=lambda: 1369353600 + 60)
            httpd.set_app(small)
            prepared = requests.Request("PUT", url, data=wire, headers=dict(sent)).prepare()
            prepared.headers["Host"] = "s3.amazonaws.com"
            assert s.send(prepared, timeout=10).status_code == 413
    finally:
        httpd.shutdown()
        httpd.server_close()


def asgi_call(wire, pieces=3):
    seen = {}

    async def inner(scope, receive, send):
        message = await receive()
        seen.update(body=message["body"], trailers=scope["sigv4.trailers"],
                    length=dict(scope["headers"])[b"content-length"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    mw = sigv4.asgi.SigV4Middleware(inner, verifier(), clock=lambda: 1369353600 + 60)
    step = len(wire) // pieces + 1
    messages = [{"type": "http.request", "body": wire[i:i + step], "more_body": i + step < len(wire)}
                for i in range(0, len(wire), step)]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "PUT", "raw_path": b"/examplebucket/chunkObject.txt", "path": "/examplebucket/chunkObject.txt",
             "query_string": b"", "headers": [(n.lower().encode(), v.encode()) for n, v in doc_headers()]}
    asyncio.run(mw(scope, receive, send))
    return sent[0]["status"], (sent[1]["body"] if len(sent) > 1 else b""), seen


def test_asgi_middleware():
    status, body, seen = asgi_call(doc_wire())
    assert status == 200 and seen["body"] == DATA and seen["trailers"] == {} and seen["length"] == b"66560"
    wire = doc_wire()
    status, body, seen = asgi_call(wire[:70000] + b"b" + wire[70001:])
    assert status == 400 and json.loads(body)["__type"] == "InvalidChunk" and not seen
