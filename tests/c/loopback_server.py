"""A one-request HTTP listener on 127.0.0.1 for the C example test (standard library only).

Prints the port it listens on, answers one request with 200, checks its SigV4 signature with an
independent implementation (the AWS documentation's algorithm, hashlib/hmac), writes what it saw as
JSON to the file named by argv[1], and exits. Gives up after 30 seconds.
"""

import hashlib
import hmac
import json
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def expected_signature(method, target, headers, body):
    """Recomputes the signature for a request with a simple path (no dot segments)."""
    auth = headers.get("Authorization", "")
    fields = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    _akid, date, region, service, _ = fields["Credential"].split("/")
    signed = fields["SignedHeaders"].split(";")
    path, _, query = target.partition("?")
    pairs = sorted(
        (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
        for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True)
    )
    canonical = "\n".join(
        [
            method,
            urllib.parse.quote(path, safe="/-_.~"),
            "&".join(f"{k}={v}" for k, v in pairs),
            "".join(f"{h}:{' '.join(headers.get(h, '').split())}\n" for h in signed),
            ";".join(signed),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", headers["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = ("AWS4" + SECRET).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return fields["Signature"], hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class Handler(BaseHTTPRequestHandler):
    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            given, recomputed = expected_signature(self.command, self.path, self.headers, body)
        except (KeyError, ValueError) as e:
            given, recomputed = "", f"unparsable request: {e!r}"
        record = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers.items()),
            "body": body.decode("utf-8", "replace"),
            "signature": given,
            "recomputed": recomputed,
            "signature_valid": given != "" and hmac.compare_digest(given, recomputed),
        }
        with open(sys.argv[1], "w", encoding="utf-8") as f:
            json.dump(record, f, indent=2)
        self.send_response(200 if record["signature_valid"] else 403)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")

    do_GET = do_POST = do_PUT = handle_any

    def log_message(self, *args):
        pass


def main():
    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 30
    print(server.server_address[1], flush=True)
    server.handle_request()


if __name__ == "__main__":
    main()
