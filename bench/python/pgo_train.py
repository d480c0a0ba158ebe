"""The profile-guided build's training run (mk/python.mk `python-pgo-profile`).

The release extension is compiled twice: once instrumented, then run here, then again with the
profile this run recorded, so the compiler lays out what real calls execute together and moves the
rest (error paths, rarely used options) out of the way. A verification in a busy server runs with
its code evicted from the CPU caches by the server itself between requests (issue 17 item 7): the
fewer code lines and pages a call touches, the less that costs.

Every public path that a benchmark or a user's hot loop takes is exercised here in proportion to
how often it runs: signing (headers, body, presign, S3), verifying (ASGI scopes with and without a
body, WSGI environs, the general ``verify``, presigned URLs, ``verify_many``) and the common
refusals. Paths missing here are still compiled correctly, only laid out as rarely used.
"""

from __future__ import annotations

import sys

import sigv4

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
HOST = "127.0.0.1:8000"
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 4000


def asgi_scope(method: str, path: str, query: str, headers: dict, body_length: int = 0) -> dict:
    pairs = [(b"host", HOST.encode())]
    pairs += [(k.lower().encode(), v.encode()) for k, v in headers.items() if k.lower() != "host"]
    if body_length:
        pairs.append((b"content-length", str(body_length).encode()))
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "scheme": "http",
            "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5555), "method": method, "root_path": "",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "headers": pairs}


def wsgi_environ(method: str, path: str, query: str, headers: dict) -> dict:
    environ = {"REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "HTTP_HOST": HOST}
    for name, value in headers.items():
        if name.lower() != "host":
            environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def main() -> None:
    creds = sigv4.Credentials(AKID, SECRET)
    api = sigv4.Signer(creds, "us-east-1", "execute-api")
    s3 = sigv4.Signer(creds, "us-east-1", "s3")
    verifier = sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api", max_skew=3600)
    body = b'{"name": "widget", "count": 3}'
    json_headers = {"content-type": "application/json"}
    gets = []
    for path, query in (("/v1/items", "limit=10"), ("/", ""), ("/a/b/c", "x=1&y=2&z=%2F"), ("/p", "b=2&a=1")):
        url = f"http://{HOST}{path}" + (f"?{query}" if query else "")
        signed = api.sign("GET", url)
        gets.append((url, path, query, signed.headers, asgi_scope("GET", path, query, signed.headers)))
    post = api.sign("POST", f"http://{HOST}/v1/items", json_headers, body)
    post_scope = asgi_scope("POST", "/v1/items", "", post.headers, len(body))
    presigned = api.presign("GET", f"http://{HOST}/v1/items?limit=10", 300).url
    tampered = dict(gets[0][3])
    tampered["X-Amz-Date"] = tampered["X-Amz-Date"][:-1] + ("1" if tampered["X-Amz-Date"][-1] != "1" else "2")
    # verify_many runs its checks on worker threads through code of its own (chunks, results): it needs
    # as many requests as the single calls, or the profile marks that code rarely used and slows it.
    # Both shapes a batch takes: tuples, and mappings with a header list and a body.
    batch = [("GET", url, headers, b"") for url, _, _, headers, _ in gets] * 32
    batch += [{"method": "POST", "url": f"http://{HOST}/v1/items", "headers": list(post.headers.items()),
               "body": body}] * 128
    # A training run that verifies nothing would lay the success path out as rarely used: check it once.
    results = verifier.verify_many(batch)
    refused = [r for r in results if not isinstance(r, sigv4.VerifiedIdentity)]
    if refused:
        raise SystemExit(f"pgo_train: the training batch is refused: {refused[0]!r}")

    for n in range(ROUNDS):
        url, path, query, headers, scope = gets[n % len(gets)]
        # The common case first and most often: a header-signed request without a body.
        verifier.verify_bodiless_scope(dict(scope), None)
        verifier.verify_bodiless_scope(dict(scope), None)
        verifier.verify_scope(dict(post_scope), body, None)
        api.sign("GET", url)
        api.sign("POST", f"http://{HOST}/v1/items", json_headers, body)
        if n % 4 == 0:
            verifier.verify("GET", url, headers, b"")
            verifier.verify_environ(wsgi_environ("GET", path, query, headers), b"")
            s3.presign("GET", "https://examplebucket.s3.amazonaws.com/test.txt", 86400)
            s3.sign("PUT", "https://examplebucket.s3.amazonaws.com/test.txt", None, body)
            verifier.verify("GET", presigned, {"Host": HOST}, b"")
        if n % 16 == 0:
            for refused in ({**headers, **tampered}, {}):
                try:
                    verifier.verify("GET", url, refused, b"")
                except sigv4.VerificationError:
                    pass
        if n % 32 == 0:
            verifier.verify_many(batch)


if __name__ == "__main__":
    main()
