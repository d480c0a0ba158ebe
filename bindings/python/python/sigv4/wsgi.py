"""WSGI middleware that lets only correctly SigV4-signed requests reach the application.

::

    import sigv4, sigv4.wsgi
    verifier = sigv4.Verifier({"AKIDEXAMPLE": "secret"}, region="us-east-1", service="execute-api")
    app = sigv4.wsgi.SigV4Middleware(app, verifier)
    # in the app: environ["sigv4.identity"].access_key_id

Failures are answered without calling the application: 403 (400 for a request that is not valid
HTTP, 413 for a body over ``max_body``) with an AWS-style JSON body ``{"__type": code, "message": ...}``
and an ``x-amzn-ErrorType`` header.

What the client signed is rebuilt from the environ: the ``Host`` header, the raw request target from
``REQUEST_URI`` or ``RAW_URI`` when the server provides one (gunicorn, uWSGI, werkzeug do), else
``SCRIPT_NAME + PATH_INFO`` re-quoted (the core's ``requote_path``; wsgiref gives only the decoded path),
``QUERY_STRING`` as received, and every ``HTTP_*`` header. WSGI servers join a repeated header into
one value (``"a, b"`` or ``"a,b"``), and drop headers with ``_`` in their names; both sign differently
from what the client sent, so such requests fail verification. ``wsgiref`` sets ``CONTENT_TYPE`` to
``text/plain`` when the request has no ``Content-Type``: under wsgiref (``SERVER_SOFTWARE``
``WSGIServer/...``) an unsigned ``text/plain`` is taken as that invention and dropped before verifying
(the application then sees no ``Content-Type``, as the client signed); elsewhere an unsigned
``Content-Type`` is refused (``UnsignedHeader``).

Only origin-form targets (``/path?query``) are accepted: an absolute-form ``REQUEST_URI``
(``http://host/a``, meant for proxies) is refused with 400 ``InvalidUrl``, as is any target the
core's ``RequestTarget`` rules refuse (a raw ``#``, raw dot segments, ...: see the README's "What the
verifier guarantees").
"""

from __future__ import annotations

import io
from http import HTTPStatus
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple

from ._errors import VerificationError
from ._middleware import (
    DEFAULT_MAX_BODY,
    IDENTITY_KEY,
    MiddlewareSettings,
    OnDenied,
    error_answer,
    report_denied,
    too_large,
)
from ._native import Verifier, declared_signed_headers
from ._forwarded import forwarded_environ
from ._native import environ_headers as _environ_headers
from ._native import wire_target as _wire_target
from ._streaming_middleware import StreamTooLarge, wsgi_is_streaming, wsgi_verify_streaming

__all__ = ["SigV4Middleware", "IDENTITY_KEY", "wire_target", "environ_headers"]

_StartResponse = Callable[..., Any]


def wire_target(environ: dict) -> str:
    """The request target (path and query) as the client sent it, from a WSGI environ.

    ``REQUEST_URI`` or ``RAW_URI`` as received, else ``SCRIPT_NAME + PATH_INFO`` re-quoted and
    ``QUERY_STRING``: the native reading the verifier uses (``sigv4._native.wire_target``).
    """
    return _wire_target(environ)


def environ_headers(environ: dict) -> List[Tuple[str, str]]:
    """The request headers from a WSGI environ (``HTTP_*``, ``CONTENT_TYPE``, ``CONTENT_LENGTH``)."""
    return _environ_headers(environ)


def _invented_content_type(environ: dict) -> bool:
    """Whether ``CONTENT_TYPE`` is wsgiref's invention rather than the client's header.

    wsgiref's server sets ``text/plain`` on every request that has no ``Content-Type``, which
    would turn a correctly signed GET into ``UnsignedHeader``. Under wsgiref, an unsigned
    ``text/plain`` is dropped before verifying (and the application sees no ``Content-Type``:
    exactly what the client signed); a signed one is kept and checked as usual.
    """
    if environ.get("CONTENT_TYPE") != "text/plain":
        return False
    if not str(environ.get("SERVER_SOFTWARE", "")).startswith("WSGIServer/"):
        return False
    auth = environ.get("HTTP_AUTHORIZATION")
    signed = declared_signed_headers(None if auth is None else str(auth), str(environ.get("QUERY_STRING", "")))
    return signed is None or "content-type" not in signed


class _TooLarge(Exception):
    pass


def _read_body(environ: dict, max_body: int) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH") or ""
    if length:
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0:
            raise _TooLarge  # unreadable: refuse rather than guess
        if size > max_body:
            raise _TooLarge
        return stream.read(size) if size else b""
    if environ.get("wsgi.input_terminated"):
        data = stream.read(max_body + 1)
        if len(data) > max_body:
            raise _TooLarge
        return data
    return b""


class SigV4Middleware(MiddlewareSettings):
    """Verifies each request's SigV4 signature before the wrapped WSGI application sees it.

    ``verifier`` is a ``sigv4.Verifier``. The body (at most ``max_body`` bytes, default 16 MiB) is
    read to check its hash, then handed to the application as a fresh ``wsgi.input``. ``clock`` is
    a callable returning epoch seconds (default: the system clock). ``explain_mismatch`` adds the
    server's canonical request and string to sign to ``SignatureDoesNotMatch`` answers. On success
    the ``VerifiedIdentity`` is in ``environ["sigv4.identity"]``. Each refused request is logged on
    the ``sigv4`` logger and passed to ``on_denied(error, environ)`` when given. Behind a reverse
    proxy, ``trusted_proxies`` (addresses / CIDR blocks, e.g. ``["10.0.0.0/8"]``) names the peers whose
    ``X-Forwarded-Host`` / ``X-Forwarded-Prefix`` describe what the client signed (ignored from any
    other peer). An aws-chunked upload is verified chunk by chunk before the application runs.
    """

    def __init__(
        self,
        app: Callable[[dict, _StartResponse], Iterable[bytes]],
        verifier: Verifier,
        max_body: int = DEFAULT_MAX_BODY,
        clock: Optional[Callable[[], float]] = None,
        explain_mismatch: bool = False,
        on_denied: Optional[OnDenied] = None,
        trusted_proxies: Optional[Sequence[str]] = None,
    ) -> None:
        super().__init__(app, verifier, max_body, clock, explain_mismatch, on_denied, trusted_proxies)
        self._verify_environ = verifier.verify_environ

    def __call__(self, environ: dict, start_response: _StartResponse) -> Iterable[bytes]:
        if wsgi_is_streaming(environ):
            return self._streaming(environ, start_response)
        try:
            body = _read_body(environ, self.max_body)
        except _TooLarge:
            return self._answer(too_large(self.max_body), start_response)
        if _invented_content_type(environ):
            del environ["CONTENT_TYPE"]
        try:
            checked = environ if self.trusted_proxies is None else forwarded_environ(self.trusted_proxies, environ)
            # One native call reads the method, target and headers straight from the environ (as
            # wire_target and environ_headers do).
            identity = self._verify_environ(checked, body, None if self.clock is None else self.clock())
        except VerificationError as error:
            report_denied(error, environ.get("REQUEST_METHOD", ""), wire_target(environ), environ, self.on_denied)
            return self._answer(error_answer(error, self.explain_mismatch), start_response)
        environ[IDENTITY_KEY] = identity
        if body or environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        # (Else no body was announced and nothing was read: the server's wsgi.input stays.)
        return self.app(environ, start_response)

    def _streaming(self, environ: dict, start_response: _StartResponse) -> Iterable[bytes]:
        """An aws-chunked upload: every chunk verified before the application runs (see
        ``sigv4._streaming_middleware``)."""
        try:
            checked = environ if self.trusted_proxies is None else forwarded_environ(self.trusted_proxies, environ)
            target = _wire_target(checked, strict=True)  # the verifier's reading (origin form only)
            identity = wsgi_verify_streaming(self.verifier, environ, target, _environ_headers(checked),
                                             self.max_body, None if self.clock is None else self.clock())
        except StreamTooLarge:
            return self._answer(too_large(self.max_body), start_response)
        except VerificationError as error:
            report_denied(error, environ.get("REQUEST_METHOD", ""), _wire_target(environ), environ, self.on_denied)
            return self._answer(error_answer(error, self.explain_mismatch), start_response)
        environ[IDENTITY_KEY] = identity
        return self.app(environ, start_response)

    @staticmethod
    def _answer(answer: Tuple[int, List[Tuple[str, str]], bytes], start_response: _StartResponse) -> List[bytes]:
        status, headers, body = answer
        reason = HTTPStatus(status).phrase
        start_response(f"{status} {reason}", headers)
        return [body]

    def __repr__(self) -> str:
        return f"SigV4Middleware({self.app!r}, {self.verifier!r})"
