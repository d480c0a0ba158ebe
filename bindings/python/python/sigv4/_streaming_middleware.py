"""Streaming (aws-chunked) uploads in the WSGI and ASGI middlewares.

A request whose ``x-amz-content-sha256`` is a ``STREAMING-*`` form is verified with
``Verifier.verify_streaming`` (headers and seed signature) and its wire body is decoded by the
returned ``VerifiedStream``, chunk signature by chunk signature. The application is called only once
the whole body verified (``finish()``: final chunk, decoded length, declared trailers): it never sees
data an attacker could have altered. It gets the decoded body (``Content-Length`` = its length,
``Content-Encoding`` without ``aws-chunked``) and the trailers under ``"sigv4.trailers"``. The
decoded body is held in memory, at most ``max_body`` bytes; for larger uploads use
``verifier.verify_streaming`` and ``sigv4.ChunkedReader`` in the application itself.
"""

from __future__ import annotations

import io
from typing import Any, Awaitable, Callable, Dict, Iterator, List, MutableMapping, Optional, Tuple

from ._native import VerifiedIdentity, VerifiedStream, Verifier

__all__ = ["TRAILERS_KEY", "StreamTooLarge", "ChunkedReader"]

#: Where the middlewares put the verified trailers (a dict) of a streaming upload.
TRAILERS_KEY = "sigv4.trailers"

_PIECE = 65536


class StreamTooLarge(Exception):
    """The upload's decoded length (or its wire length) is over the middleware's ``max_body``."""


def wire_limit(max_body: int) -> int:
    """The most wire bytes read for a body of at most ``max_body`` decoded bytes (chunk framing and
    signatures add ~90 bytes per chunk; this allows far more than the SDKs' 64 KiB chunks need)."""
    return 2 * max_body + _PIECE


class ChunkedReader(io.RawIOBase):
    """A read-only binary file of the verified data of a streaming upload.

    ``stream`` is what ``Verifier.verify_streaming`` returned; ``source`` the wire body: a binary file
    (read ``piece`` bytes at a time, at most ``length`` bytes when given), an iterable of bytes, or
    bytes. ``read()`` returns only data whose chunk signature verified; at the end of the source it
    calls ``stream.finish()`` (so a truncated or incomplete body raises ``VerificationError``
    ``InvalidChunk`` instead of ending early) and keeps the trailers in ``trailers``. Iterating yields
    the verified pieces as they complete.
    """

    def __init__(self, stream: VerifiedStream, source: Any, length: Optional[int] = None,
                 piece: int = _PIECE) -> None:
        super().__init__()
        if isinstance(source, str):
            raise TypeError("the wire body must be bytes, a binary file or an iterable of bytes, not str")
        self.stream = stream
        self.trailers: Optional[Dict[str, str]] = None
        self._pending = b""
        self._left = length
        self._piece = piece
        if isinstance(source, (bytes, bytearray, memoryview)):
            self._pieces: Any = iter([bytes(source)])
        elif callable(getattr(source, "read", None)):
            self._pieces = self._file_pieces(source)
        else:
            self._pieces = iter(source)

    def _file_pieces(self, source: Any) -> Any:
        while self._left is None or self._left > 0:
            size = self._piece if self._left is None else min(self._piece, self._left)
            data = source.read(size)
            if not data:
                return
            if self._left is not None:
                self._left -= len(data)
            yield data

    def _next_verified(self) -> Optional[bytes]:
        """The next non-empty verified piece, or None at the (finished) end."""
        while self.trailers is None:
            wire = next(self._pieces, None)
            if wire is None:
                self.trailers = dict(self.stream.finish())
                return None
            out = self.stream.feed(wire)
            if out:
                return out
        return None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            out = self._next_verified()
            if out is None:
                return 0
            self._pending = out
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(self._pending))
        view[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def __iter__(self) -> Iterator[bytes]:
        if self._pending:
            yield self._pending
            self._pending = b""
        while True:
            out = self._next_verified()
            if out is None:
                return
            yield out


def wsgi_is_streaming(environ: MutableMapping[str, Any]) -> bool:
    """Whether the request declares a streaming (aws-chunked) payload."""
    return str(environ.get("HTTP_X_AMZ_CONTENT_SHA256", "")).startswith("STREAMING-")


def _decode_all(stream: VerifiedStream, pieces: Any, max_body: int) -> Tuple[bytes, Dict[str, str]]:
    if stream.decoded_length > max_body:
        raise StreamTooLarge
    reader = ChunkedReader(stream, pieces)
    data = b"".join(reader)
    assert reader.trailers is not None
    return data, reader.trailers


def wsgi_verify_streaming(verifier: Verifier, environ: MutableMapping[str, Any], target: str,
                          headers: List[Tuple[str, str]], max_body: int,
                          now: Optional[float]) -> VerifiedIdentity:
    """Verifies a streaming upload under WSGI and hands the application the decoded body (raises
    ``VerificationError`` or ``StreamTooLarge``; the caller answers)."""
    stream = verifier.verify_streaming(str(environ.get("REQUEST_METHOD", "")), target, headers, now)
    source = environ.get("wsgi.input")
    limit = wire_limit(max_body)
    length_text = environ.get("CONTENT_LENGTH") or ""
    if source is None:
        length = 0
    elif length_text:
        try:
            length = int(length_text)
        except ValueError:
            raise StreamTooLarge from None
        if length < 0 or length > limit:
            raise StreamTooLarge
    elif environ.get("wsgi.input_terminated"):
        length = limit  # read to the end (the server ends the stream), no further than the limit
    else:
        length = 0  # no announced body: finish() reports the missing chunks
    data, trailers = _decode_all(stream, _read_pieces(source, length) if source is not None else (), max_body)
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    if stream.content_encoding:
        environ["HTTP_CONTENT_ENCODING"] = stream.content_encoding
    else:
        environ.pop("HTTP_CONTENT_ENCODING", None)
    environ[TRAILERS_KEY] = trailers
    return stream.identity


def _read_pieces(source: Any, length: int) -> Any:
    left = length
    while left > 0:
        data = source.read(min(_PIECE, left))
        if not data:
            return
        left -= len(data)
        yield data


def asgi_is_streaming(scope: MutableMapping[str, Any]) -> bool:
    """Whether an ASGI http scope declares a streaming (aws-chunked) payload."""
    for name, value in scope.get("headers", ()):
        if name == b"x-amz-content-sha256" or (len(name) == 20 and name.lower() == b"x-amz-content-sha256"):
            return bytes(value).startswith(b"STREAMING-")
    return False


async def asgi_verify_streaming(
    verifier: Verifier, scope: MutableMapping[str, Any], target: str, headers: List[Tuple[str, str]],
    receive: Callable[[], Awaitable[MutableMapping[str, Any]]], max_body: int, now: Optional[float],
) -> Optional[Tuple[VerifiedIdentity, bytes]]:
    """Verifies a streaming upload under ASGI: the identity and the decoded body, or None when the
    client went away (raises ``VerificationError`` or ``StreamTooLarge``). The scope's
    ``content-length``/``content-encoding`` headers are rewritten to describe the decoded body."""
    stream = verifier.verify_streaming(str(scope.get("method", "")), target, headers, now)
    if stream.decoded_length > max_body:
        raise StreamTooLarge
    limit = wire_limit(max_body)
    out: List[bytes] = []
    wire = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        piece = message.get("body", b"")
        wire += len(piece)
        if wire > limit:
            raise StreamTooLarge
        if piece:
            data = stream.feed(piece)
            if data:
                out.append(data)
        more = message.get("more_body", False)
    trailers = dict(stream.finish())
    body = b"".join(out)
    rewritten = [(n, v) for n, v in scope.get("headers", ()) if n.lower() not in (b"content-length", b"content-encoding")]
    rewritten.append((b"content-length", str(len(body)).encode()))
    if stream.content_encoding:
        rewritten.append((b"content-encoding", stream.content_encoding.encode("latin-1")))
    scope["headers"] = rewritten
    scope[TRAILERS_KEY] = trailers
    return stream.identity, body
