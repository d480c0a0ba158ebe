"""A local HTTP server on 127.0.0.1 that accepts only correctly signed requests.

Until the core's verifier lands, it recomputes each signature with botocore (an independent
implementation) from what arrived on the wire, and answers 403 with botocore's canonical request when
the signature differs or is missing; 200 with a small JSON echo otherwise.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator, Optional, Tuple
from urllib.parse import parse_qsl

from botocore_ref import S3_SERVICES, botocore_sign, s3_documented_path

AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<akid>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request, "
    r"SignedHeaders=(?P<signed>[^,]+), Signature=(?P<sig>[0-9a-f]{64})$"
)
ADDED_BY_BOTOCORE = {"x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    secrets: Dict[str, Tuple[str, Optional[str]]] = {}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep tests quiet
        pass

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            pieces = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(pieces)
                pieces.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        match = AUTH_RE.match(self.headers.get("Authorization", ""))
        if not match:
            return self._answer(403, {"error": "MissingAuthenticationToken"})
        secret, token = self.secrets.get(match["akid"], (None, None))
        if secret is None:
            return self._answer(403, {"error": "InvalidAccessKeyId"})
        signed = match["signed"].split(";")
        headers = [(n, v) for n, v in self.headers.items() if n.lower() in signed and n.lower() not in ADDED_BY_BOTOCORE]
        path, _, query = self.path.partition("?")
        if match["service"] in S3_SERVICES:
            path = s3_documented_path(path)  # botocore would sign raw S3 paths verbatim
        canonical, signature = botocore_sign(
            match["service"], self.command, f"http://{self.headers['Host']}{path}",
            parse_qsl(query, keep_blank_values=True), headers, body, self.headers.get("X-Amz-Date", ""),
            match["akid"], secret, self.headers.get("X-Amz-Security-Token") and token, region=match["region"],
        )
        if signature != match["sig"]:
            return self._answer(403, {"error": "SignatureDoesNotMatch", "canonical_request": canonical})
        self._answer(200, {"method": self.command, "path": self.path, "body": body.decode("utf-8", "replace"),
                           "headers": [n for n, _ in self.headers.items()]})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


class SigningServer:
    """Runs the server in a thread; ``url`` is its base URL."""

    def __init__(self, secrets: Dict[str, Tuple[str, Optional[str]]]) -> None:
        handler = type("Handler", (_Handler,), {"secrets": secrets})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "SigningServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(secrets: Dict[str, Tuple[str, Optional[str]]]) -> Iterator[SigningServer]:
    with SigningServer(secrets) as server:
        yield server
