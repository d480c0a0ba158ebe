"""A local server that decodes aws-chunked uploads and checks every chunk signature.

An independent implementation in plain Python (hashlib/hmac), written from the S3 documentation: the
signing key from the secret, each chunk's string to sign chained from the seed signature in the
``Authorization`` header, the final chunk, and the trailer signature. Reads the body as it arrives
(memory stays at one chunk) and answers 200 with the SHA-256 of the decoded data, or 400 with the
reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator, List, Tuple

EMPTY = hashlib.sha256(b"").hexdigest()
AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<akid>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request, "
    r"SignedHeaders=(?P<signed>[^,]+), Signature=(?P<sig>[0-9a-f]{64})$"
)


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


class BadBody(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    secrets: Dict[str, str] = {}

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _line(self, budget: List[int]) -> bytes:
        line = self.rfile.readline(4096)
        budget[0] -= len(line)
        if not line.endswith(b"\r\n"):
            raise BadBody("chunk line not ended by CRLF")
        return line[:-2]

    def do_PUT(self) -> None:  # noqa: N802
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            return self._answer(400, {"error": "Transfer-Encoding: chunked sent instead of Content-Length"})
        match = AUTH_RE.match(self.headers.get("Authorization", ""))
        if not match:
            return self._answer(403, {"error": "no Authorization"})
        mode = self.headers.get("x-amz-content-sha256", "")
        if not mode.startswith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"):
            return self._answer(400, {"error": f"not a signed streaming payload: {mode}"})
        key = signing_key(self.secrets[match["akid"]], match["date"], match["region"], match["service"])
        amz_date = self.headers["X-Amz-Date"]
        scope = f"{match['date']}/{match['region']}/{match['service']}/aws4_request"
        previous = match["sig"]
        budget = [int(self.headers["Content-Length"])]
        declared = int(self.headers["x-amz-decoded-content-length"])
        digest = hashlib.sha256()
        decoded = chunks = 0
        try:
            while True:
                size_text, _, signature = self._line(budget).decode().partition(";chunk-signature=")
                size = int(size_text, 16)
                data = self.rfile.read(size) if size else b""
                budget[0] -= size
                if len(data) != size:
                    raise BadBody("truncated chunk")
                sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous, EMPTY,
                                 hashlib.sha256(data).hexdigest()])
                expected = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, signature):
                    raise BadBody(f"chunk {chunks} signature does not match")
                previous = signature
                chunks += 1
                if size == 0:
                    break
                digest.update(data)
                decoded += size
                if self._line(budget) != b"":
                    raise BadBody("chunk data not followed by CRLF")
            trailers: List[Tuple[str, str]] = []
            if mode.endswith("-TRAILER"):
                while True:
                    line = self._line(budget).decode()
                    name, _, value = line.partition(":")
                    if name == "x-amz-trailer-signature":
                        canonical = "".join(f"{n.lower()}:{v.strip()}\n" for n, v in sorted(trailers))
                        sts = "\n".join(["AWS4-HMAC-SHA256-TRAILER", amz_date, scope, previous,
                                         hashlib.sha256(canonical.encode()).hexdigest()])
                        expected = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
                        if not hmac.compare_digest(expected, value):
                            raise BadBody("trailer signature does not match")
                        break
                    trailers.append((name, value))
            if self._line(budget) != b"":
                raise BadBody("body not closed by an empty line")
            if budget[0] != 0:
                raise BadBody(f"Content-Length off by {budget[0]}")
            if decoded != declared:
                raise BadBody(f"decoded {decoded} bytes, declared {declared}")
        except (BadBody, ValueError) as error:
            self.close_connection = True
            return self._answer(400, {"error": str(error)})
        self._answer(200, {"sha256": digest.hexdigest(), "decoded": decoded, "chunks": chunks,
                           "trailers": dict(trailers)})


def serve(secrets: Dict[str, str]) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"secrets": secrets})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
