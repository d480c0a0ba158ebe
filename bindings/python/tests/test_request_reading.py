"""How the middlewares read a request: natively, one decoding, checked against botocore signatures.

The ASGI spec gives ``raw_path`` as the bytes received and ``path`` as those bytes percent-decoded
and read as UTF-8; so ``raw_path`` is read as UTF-8 too (latin-1 only for bytes that are not UTF-8,
so every byte stays visible), and a decoded ``path`` is re-quoted from its UTF-8 bytes. The
signatures come from botocore, not from libsigv4.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import sigv4
import sigv4._middleware
import sigv4._auth
from botocore_ref import botocore_sign
from conftest import AKID, SECRET

HOST = "example.amazonaws.com"
WHEN = "20240102T030405Z"


def signed_headers(url: str) -> List[Tuple[bytes, bytes]]:
    """The ASGI header pairs of a GET that botocore signed for ``url`` (execute-api)."""
    canonical, signature = botocore_sign("execute-api", "GET", url, [], [("host", HOST)], b"", WHEN, AKID, SECRET)
    names = canonical.split("\n")[-2]
    auth = (f"AWS4-HMAC-SHA256 Credential={AKID}/{WHEN[:8]}/us-east-1/execute-api/aws4_request, "
            f"SignedHeaders={names}, Signature={signature}")
    return [(b"host", HOST.encode()), (b"x-amz-date", WHEN.encode()), (b"authorization", auth.encode())]


def verifier() -> sigv4.Verifier:
    return sigv4.Verifier({AKID: SECRET}, region="us-east-1", service="execute-api")


def scope(**fields: Any) -> Dict[str, Any]:
    base: Dict[str, Any] = {"type": "http", "http_version": "1.1", "method": "GET", "query_string": b""}
    base.update(fields)
    return base


def test_raw_path_bytes_are_read_as_utf8() -> None:
    # A client sending the UTF-8 bytes of "/café" raw signed the text "/café" (botocore: the URL as text).
    s = scope(raw_path="/café".encode("utf-8"), path="/café", headers=signed_headers(f"https://{HOST}/café"))
    assert sigv4.asgi.scope_target(s) == "/café"
    assert verifier().verify_scope(s, b"", now=WHEN).access_key_id == AKID
    assert verifier().verify_bodiless_scope(s, now=WHEN) is not None


def test_raw_path_bytes_that_are_not_utf8_are_refused() -> None:
    # Read as latin-1, b"/caf\xe9" would be the text "/café" and verify with the signature of the
    # UTF-8 path, while the application (path: the UTF-8 reading) sees other bytes: refused, 400.
    s = scope(raw_path=b"/caf\xe9", path="/caf\ufffd", headers=signed_headers(f"https://{HOST}/café"))
    for call in (lambda: verifier().verify_scope(s, b"", now=WHEN),
                 lambda: verifier().verify_bodiless_scope(s, now=WHEN),
                 lambda: verifier().verify_raw("GET", b"/caf\xe9", b"", s["headers"], b"", now=WHEN),
                 lambda: verifier().verify_scope(dict(s, raw_path=b"/a", query_string=b"q=\xe9"), b"", now=WHEN)):
        try:
            call()
        except sigv4.VerificationError as error:
            assert error.code == "InvalidUrl" and error.status == 400, error.code
        else:
            raise AssertionError("a target of non-UTF-8 bytes verified")
    # For a log line the helper still shows every byte (as latin-1).
    assert sigv4.asgi.scope_target(s) == "/caf\xe9"


def test_decoded_path_is_requoted_from_its_utf8_bytes() -> None:
    # No raw_path: the client sent %C3%A9 (requests, httpx and browsers escape non-ASCII), the server
    # decoded it into path="/café"; re-quoting its UTF-8 bytes gives back what was signed.
    s = scope(path="/café", root_path="", headers=signed_headers(f"https://{HOST}/caf%C3%A9"))
    assert sigv4.asgi.scope_target(s) == "/caf%C3%A9"
    assert verifier().verify_scope(s, b"", now=WHEN).access_key_id == AKID
    # Beyond latin-1 too (the old Python re-quoting could not encode "€" at all).
    s = scope(path="/€", headers=signed_headers(f"https://{HOST}/%E2%82%AC"))
    assert sigv4.asgi.scope_target(s) == "/%E2%82%AC"
    assert verifier().verify_scope(s, b"", now=WHEN).access_key_id == AKID


def test_wsgi_path_info_is_requoted_from_its_latin1_bytes() -> None:
    # PEP 3333: PATH_INFO holds each received byte as one latin-1 character.
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/café".encode("utf-8").decode("latin-1"),
               "QUERY_STRING": "", "HTTP_HOST": HOST, "HTTP_X_AMZ_DATE": WHEN}
    headers = dict(signed_headers(f"https://{HOST}/caf%C3%A9"))
    environ["HTTP_AUTHORIZATION"] = headers[b"authorization"].decode()
    assert sigv4.wsgi.wire_target(environ) == "/caf%C3%A9"
    assert verifier().verify_environ(environ, b"", now=WHEN).access_key_id == AKID


def test_header_helpers_give_the_verifiers_reading() -> None:
    s = scope(raw_path=b"/a", headers=[(b"x-a", "é".encode("utf-8")), (b"x-b", b"\xe9"), (b"x-a", b"2")])
    assert sigv4.asgi.scope_headers(s) == [("x-a", "é"), ("x-b", "\xe9"), ("x-a", "2")]
    environ = {"HTTP_X_A": "é".encode("utf-8").decode("latin-1"), "CONTENT_LENGTH": "", "CONTENT_TYPE": "t/p"}
    assert sigv4.wsgi.environ_headers(environ) == [("X-A", "é"), ("CONTENT-TYPE", "t/p")]


def test_dead_helpers_are_gone() -> None:
    # Request reading lives in Rust; these Python copies are not kept around.
    for module, name in [(sigv4._middleware, "now_from"), (sigv4._middleware, "requote_path"),
                         (sigv4._middleware, "header_text"), (sigv4.asgi, "_decoded_path"),
                         (sigv4._auth, "make_signer")]:
        assert not hasattr(module, name), name
