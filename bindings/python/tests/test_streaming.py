"""Streaming (aws-chunked) uploads from Python: the S3 documentation's example byte for byte, uploads
through requests and httpx to a server that checks every chunk signature independently, and a 64 MiB
upload with flat client memory."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import zlib

import httpx
import pytest
import requests

import sigv4
from conftest import AKID, SECRET, TOKEN, VECTORS
from chunked_server import serve

DOC = json.loads((VECTORS / "s3-examples.json").read_text())
EX = DOC["chunked_upload"]
HERE = __import__("pathlib").Path(__file__).parent


def s3_signer() -> sigv4.Signer:
    c = DOC["credentials"]
    return sigv4.Signer(sigv4.Credentials(c["access_key_id"], c["secret_access_key"]), DOC["region"], DOC["service"])


def expected_wire() -> bytes:
    """The wire body the S3 documentation gives: sizes and signatures from the example."""
    out = b""
    for size, signature in zip(EX["chunk_sizes"], EX["chunk_signatures"]):
        out += f"{size:x};chunk-signature={signature}\r\n".encode()
        if size:
            out += b"a" * size + b"\r\n"
    return out + b"\r\n"


def start():
    return s3_signer().sign_streaming(EX["method"], EX["url"], decoded_length=66560, chunk_size=65536,
                                      headers={"x-amz-storage-class": "REDUCED_REDUNDANCY"},
                                      timestamp=DOC["timestamp"])


def test_s3_example_headers_and_seed() -> None:
    up = start()
    assert up.seed_signature == EX["seed_signature"]
    assert up.request.payload_hash == EX["x_amz_content_sha256"]
    for name, value in EX["headers"]:
        assert {k.lower(): v for k, v in up.headers.items()}[name.lower()] == value
    assert (up.content_length, up.decoded_length, up.chunk_size) == (66824, 66560, 65536)
    assert up.url == EX["url"]


@pytest.mark.parametrize("source", ["bytes", "file", "iterable", "odd-pieces", "bytearray"])
def test_s3_example_byte_for_byte(source: str) -> None:
    data = b"a" * 66560
    up = start()
    if source == "odd-pieces":
        wire = b"".join(up.chunk(data[i : i + 10_000]) for i in range(0, len(data), 10_000)) + up.final()
    else:
        given = {"bytes": data, "file": io.BytesIO(data), "iterable": iter([data[:7], data[7:]]),
                 "bytearray": bytearray(data)}[source]
        body = up.encode(given)
        assert len(body) == 66824
        wire = b"".join(body)
    assert wire == expected_wire()


def test_misuse_is_a_clear_error() -> None:
    up = start()
    with pytest.raises(sigv4.StreamingError):
        up.chunk(b"a" * 66561)
    up = start()
    up.chunk(b"a" * 10)
    with pytest.raises(sigv4.StreamingError):
        up.final()
    with pytest.raises(TypeError):
        start().chunk("text")
    s = s3_signer()
    with pytest.raises(sigv4.InvalidOptionError) as info:
        s.sign_streaming("PUT", EX["url"], 10, chunk_size=0)
    assert info.value.argument == "chunk_size"
    with pytest.raises(sigv4.InvalidOptionError):
        s.sign_streaming("PUT", EX["url"], 10, payload="signed")
    with pytest.raises(sigv4.InvalidOptionError):
        s.sign_streaming("PUT", EX["url"], 10, trailers=["x-amz-checksum-crc32"])  # needs a trailer payload
    with pytest.raises(TypeError):
        s.sign_streaming("PUT", EX["url"], "10")
    with pytest.raises(sigv4.InvalidOptionError):
        s.sign_streaming("PUT", EX["url"], -1)
    assert "wJalr" not in repr(start())


def crc32_b64(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


@pytest.fixture(scope="module")
def server():
    yield from serve({AKID: SECRET, "AKIDTOKEN": SECRET})


@pytest.mark.parametrize("token", [None, TOKEN], ids=["keys", "session-token"])
def test_upload_with_requests(server, token) -> None:
    data = bytes(range(256)) * 1000  # 256 000 bytes: 3 full chunks and a partial one
    signer = sigv4.Signer(sigv4.Credentials("AKIDTOKEN" if token else AKID, SECRET, token), "us-east-1", "s3")
    up = signer.sign_streaming("PUT", server + "/bucket/key", len(data))
    response = requests.put(up.url, data=up.encode(io.BytesIO(data)), headers=up.headers)
    assert response.status_code == 200, response.text
    assert response.json()["sha256"] == __import__("hashlib").sha256(data).hexdigest()
    assert response.json()["chunks"] == 5


def test_upload_with_trailer_through_httpx(server) -> None:
    data = b"hello world " * 20_000
    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "s3")
    up = signer.sign_streaming("PUT", server + "/bucket/key", len(data), chunk_size=8192,
                               trailers=["x-amz-checksum-crc32"], payload="streaming-signed-trailer")
    assert up.headers["x-amz-trailer"] == "x-amz-checksum-crc32"
    body = up.encode([data[:1000], data[1000:]], trailers={"x-amz-checksum-crc32": crc32_b64(data)})
    response = httpx.put(up.url, content=body, headers=up.headers)
    assert response.status_code == 200, response.text
    assert response.json()["trailers"] == {"x-amz-checksum-crc32": crc32_b64(data)}


def test_upload_with_httpx_async_client(server) -> None:
    import asyncio

    data = b"z" * 100_000
    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "s3")
    up = signer.sign_streaming("PUT", server + "/bucket/key", len(data))

    async def run() -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.put(up.url, content=up.encode(data).aiter(), headers=up.headers)

    response = asyncio.run(run())
    assert response.status_code == 200, response.text


def test_tampered_upload_is_refused(server) -> None:
    data = b"q" * 70_000
    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "s3")
    up = signer.sign_streaming("PUT", server + "/bucket/key", len(data))
    wire = bytearray(b"".join(up.encode(data)))
    wire[200] ^= 1  # a data byte of the first chunk
    response = requests.put(up.url, data=bytes(wire), headers=up.headers)
    assert response.status_code == 400 and "signature does not match" in response.json()["error"]


def upload(server: str, mib: int) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "upload_client.py"), server, str(mib)], capture_output=True,
                         text=True, check=True, timeout=600).stdout
    result = json.loads(out)
    assert result["status"] == 200, result
    assert result["server"]["sha256"] == result["sha256"]
    assert result["server"]["decoded"] == mib << 20
    return result


def test_64_mib_upload_with_flat_memory(server) -> None:
    """The client's peak RSS for 64 MiB is the same as for 8 MiB: nothing grows with the body."""
    small, large = upload(server, 8), upload(server, 64)
    grown_mib = (large["peak_kib"] - small["peak_kib"]) / 1024
    print(f"\nclient peak RSS: 8 MiB upload {small['peak_kib'] / 1024:.1f} MiB, "
          f"64 MiB upload {large['peak_kib'] / 1024:.1f} MiB (RSS after imports {large['baseline_kib'] / 1024:.1f} MiB)")
    assert grown_mib < 8, f"client memory grew by {grown_mib:.1f} MiB between an 8 and a 64 MiB body"
