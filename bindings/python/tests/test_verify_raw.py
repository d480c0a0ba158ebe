"""The middleware's native entry points give what ``Verifier.verify`` gives, on the hostile table.

``Verifier.verify_raw`` takes what an ASGI server hands over (raw path and query bytes, the list of
(name, value) byte pairs); ``Verifier.verify_environ`` reads a WSGI environ. Both must reach the
same identity or the same error code as ``verify`` for every request of the hostile table (the
expected codes there come from API.md, not from our output), and also fail cleanly on input of the
wrong shape.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import pytest

import sigv4
from conftest import AKID, SECRET
from test_verify_hostile import MALFORMED, OK, T0, TABLE, Req, outcome, verifier, w1, w1q


def split_target(url: str) -> Tuple[bytes, bytes]:
    path, _, query = url.partition("?")
    return path.encode("utf-8"), query.encode("utf-8")


def raw_outcome(v: sigv4.Verifier, r: Req) -> str:
    path, query = split_target(r.url)
    headers = [(n.lower().encode("utf-8"), val.encode("utf-8")) for n, val in r.headers]
    try:
        who = v.verify_raw(r.method, path, query, headers, r.body, now=r.now)
    except sigv4.VerificationError as error:
        assert str(error), "every error says what to fix"
        assert error.is_malformed is (error.code in MALFORMED)
        assert (error.canonical_request is not None) is (error.code == "SignatureDoesNotMatch")
        return error.code
    assert who.access_key_id in (AKID, "AKIDTOKEN")
    return OK


def environ_of(r: Req) -> Optional[Dict[str, object]]:
    """A WSGI environ for ``r`` (None when WSGI cannot carry it: repeated or ``_`` header names)."""
    environ: Dict[str, object] = {"REQUEST_METHOD": r.method, "REQUEST_URI": r.url, "SERVER_NAME": "x",
                                  "wsgi.url_scheme": "https"}
    for name, value in r.headers:
        if "_" in name:
            return None
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        if key in environ:
            return None
        environ[key] = value.encode("utf-8").decode("latin-1")  # PEP 3333: bytes as latin-1 text
    return environ


def environ_outcome(v: sigv4.Verifier, environ: Dict[str, object], r: Req) -> str:
    try:
        v.verify_environ(environ, r.body, now=r.now)
    except sigv4.VerificationError as error:
        assert error.is_malformed is (error.code in MALFORMED)
        return error.code
    return OK


RAW_CASES = [(name, req, code) for name, req, code in TABLE if req.url.startswith("/")]


def test_most_of_the_table_is_in_path_form() -> None:
    assert len(RAW_CASES) >= 70, len(RAW_CASES)


@pytest.mark.parametrize("name,req,expected", RAW_CASES, ids=[name for name, _, _ in RAW_CASES])
def test_verify_raw_matches_verify(name: str, req: Req, expected: str) -> None:
    v = verifier()
    assert raw_outcome(v, req) == expected
    assert outcome(v, req) == expected


@pytest.mark.parametrize("name,req,expected", RAW_CASES, ids=[name for name, _, _ in RAW_CASES])
def test_verify_environ_matches_verify(name: str, req: Req, expected: str) -> None:
    environ = environ_of(req)
    if environ is None:
        return  # WSGI joins repeated headers and drops "_" names: not representable
    assert environ_outcome(verifier(), environ, req) == expected


def test_identities_are_the_same() -> None:
    v = verifier()
    for r in (w1(), w1q()):
        path, query = split_target(r.url)
        headers = [(n.encode(), val.encode()) for n, val in r.headers]
        a = v.verify(r.method, r.url, list(r.headers), now=r.now)
        b = v.verify_raw(r.method, path, query, headers, now=r.now)
        c = v.verify_environ(environ_of(r), now=r.now)
        for who in (b, c):
            assert (who.access_key_id, who.region, who.service, who.signed_headers, who.amz_date, who.presigned,
                    who.expires_at, who.payload_hash) == (a.access_key_id, a.region, a.service, a.signed_headers,
                                                          a.amz_date, a.presigned, a.expires_at, a.payload_hash)


def test_raw_accepts_str_tuples_and_list_pairs() -> None:
    v = verifier()
    r = w1()
    path, query = split_target(r.url)
    as_lists = [[n.encode(), val.encode()] for n, val in r.headers]
    assert v.verify_raw(r.method, path.decode(), query.decode(), tuple(as_lists), now=T0).access_key_id == AKID
    assert v.verify_raw(r.method, path, query, iter(as_lists), now=T0).access_key_id == AKID


def test_raw_non_utf8_header_is_read_as_latin1() -> None:
    # A value that is not UTF-8 is each byte as one character: signed as latin-1 text, it verifies.
    s = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "service")
    signed = s.sign("GET", "https://example.amazonaws.com/p?a=1", {"X-Amz-Meta-Name": "caf\xe9"}, timestamp=T0)
    raw = [(n.encode(), val.encode("latin-1")) for n, val in signed.header_list]
    who = verifier().verify_raw("GET", b"/p", b"a=1", raw, now=T0)
    assert "x-amz-meta-name" in who.signed_headers


def test_raw_bad_shapes_are_type_errors() -> None:
    v = verifier()
    for headers in ([(b"host",)], [b"host"], [(b"host", 1)], 42):
        with pytest.raises(TypeError):
            v.verify_raw("GET", b"/", b"", headers, now=T0)
    with pytest.raises(TypeError):
        v.verify_raw("GET", 1, b"", [], now=T0)
    with pytest.raises(TypeError):
        v.verify_environ({"REQUEST_METHOD": "GET", "REQUEST_URI": "/", "HTTP_HOST": b"x"}, now=T0)
    with pytest.raises(TypeError):
        v.verify_environ([("REQUEST_METHOD", "GET")], now=T0)


def test_environ_target_forms() -> None:
    v = verifier()
    r = w1()
    base = environ_of(r)
    assert base is not None
    # Absolute-form: the application would receive a URL, not the signed path (issue 23).
    absolute = dict(base, REQUEST_URI="http://example.amazonaws.com" + r.url)
    assert environ_outcome(v, absolute, r) == "InvalidUrl"
    raw_uri = {k: val for k, val in base.items() if k != "REQUEST_URI"}
    raw_uri["RAW_URI"] = r.url
    assert environ_outcome(v, raw_uri, r) == OK
    # No raw target: PATH_INFO and QUERY_STRING, re-quoted as sigv4.wsgi.wire_target does.
    path, _, query = r.url.partition("?")
    decoded = {k: val for k, val in base.items() if k != "REQUEST_URI"}
    decoded.update(PATH_INFO=path, QUERY_STRING=query, SCRIPT_NAME="")
    assert environ_outcome(v, decoded, r) == OK
    assert environ_outcome(v, dict(decoded, PATH_INFO="/other"), r) == "SignatureDoesNotMatch"
    # An empty CONTENT_TYPE is no header; a present one must be signed.
    assert environ_outcome(v, dict(base, CONTENT_TYPE=""), r) == OK
    assert environ_outcome(v, dict(base, CONTENT_TYPE="text/plain"), r) == "UnsignedHeader"


def test_raw_utf8_header_bytes_are_read_as_utf8() -> None:
    # Header bytes that are UTF-8 but not ASCII (a client signing non-ASCII text sends its UTF-8) are that text.
    # Signed by botocore (another implementation); read as latin-1 instead, "café ☕" would not verify.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="GET", url="https://example.amazonaws.com/p?a=1",
                         headers={"X-Amz-Meta-Name": "caf\u00e9 \u2615"})
    SigV4Auth(Credentials(AKID, SECRET), "service", "us-east-1").add_auth(request)  # signed now: verified with now=None
    raw = [(b"host", b"example.amazonaws.com")]
    raw += [(n.lower().encode(), str(val).encode("utf-8")) for n, val in request.headers.items()]
    assert any(not value.isascii() for _, value in raw)
    who = verifier().verify_raw("GET", b"/p", b"a=1", raw)
    assert "x-amz-meta-name" in who.signed_headers
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "path": "/p", "raw_path": b"/p",
             "query_string": b"a=1", "root_path": "", "headers": raw}
    assert verifier().verify_scope(scope, b"").access_key_id == AKID
    # verify() takes bytes values as UTF-8 only (no latin-1 reading): these must be accepted as they are.
    assert verifier().verify("GET", "https://example.amazonaws.com/p?a=1", raw, b"").access_key_id == AKID
    latin1 = [(n, v.decode("utf-8").encode("latin-1", "replace")) for n, v in raw]
    with pytest.raises(sigv4.VerificationError):
        verifier().verify_raw("GET", b"/p", b"a=1", latin1)
