"""``ChunkedBody``: what ``StreamingUpload.encode()`` returns — the signed aws-chunked body, lazily."""

from __future__ import annotations

from typing import Any, AsyncIterator, Iterator, Optional

__all__ = ["ChunkedBody"]


def _pieces(source: Any, size: int) -> Iterator[Any]:
    """The body in pieces: bytes-like sliced, files read ``size`` bytes at a time, iterables as they come."""
    if isinstance(source, str):
        raise TypeError("the upload body must be bytes, a binary file or an iterable of bytes, not str")
    if isinstance(source, (bytes, bytearray, memoryview)):
        view = memoryview(source)
        for start in range(0, len(view), size):
            yield view[start : start + size]
        return
    read = getattr(source, "read", None)
    if callable(read):
        while True:
            piece = read(size)
            if not piece:
                return
            if isinstance(piece, str):
                raise TypeError("the upload file must be opened in binary mode ('rb')")
            yield piece
    else:
        yield from source


class ChunkedBody:
    """The aws-chunked wire bytes of one upload: an iterator with ``len()`` = the ``Content-Length``.

    Pass it as ``requests.put(up.url, data=body, headers=up.headers)`` (requests sees the length and
    sends ``Content-Length``, not ``Transfer-Encoding: chunked``) or ``httpx.put(..., content=body)``;
    for ``httpx.AsyncClient`` pass ``body.aiter()``. Single use: the upload's signature chain moves
    forward as the bytes are produced. Memory stays at one chunk (plus what the source reads).
    """

    def __init__(self, upload: Any, source: Any, trailers: Any = None) -> None:
        self._upload = upload
        self._source = source
        self._trailers = trailers
        self._length = upload.content_length
        self._wire: Optional[Iterator[bytes]] = None

    def __len__(self) -> int:
        return self._length

    def _generate(self) -> Iterator[bytes]:
        upload = self._upload
        for piece in _pieces(self._source, upload.chunk_size):
            if len(piece):
                out = upload.chunk(piece)
                if out:
                    yield out
        yield upload.final(self._trailers)

    def __iter__(self) -> "ChunkedBody":
        return self

    def __next__(self) -> bytes:
        if self._wire is None:
            self._wire = self._generate()
        return next(self._wire)

    def aiter(self) -> "AsyncChunkedBody":
        """The same bytes as an async iterable (for ``httpx.AsyncClient(...).put(content=...)``)."""
        return AsyncChunkedBody(self)

    def __repr__(self) -> str:
        return f"ChunkedBody(content_length={self._length})"


class AsyncChunkedBody:
    """``ChunkedBody`` as an async iterable (reads the source synchronously; pieces are small)."""

    def __init__(self, body: ChunkedBody) -> None:
        self._body = body

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._run()

    async def _run(self) -> AsyncIterator[bytes]:
        for wire in self._body:
            yield wire

    def __len__(self) -> int:
        return len(self._body)
