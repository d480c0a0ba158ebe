"""ASGI middleware that lets only correctly SigV4-signed HTTP requests reach the application.

::

    import sigv4, sigv4.asgi
    verifier = sigv4.Verifier({"AKIDEXAMPLE": "secret"}, region="us-east-1", service="execute-api")
    app = sigv4.asgi.SigV4Middleware(app, verifier)
    # in the app: scope["sigv4.identity"].access_key_id

Only ``http`` scopes are checked (``websocket`` and ``lifespan`` pass through). The body is buffered
(at most ``max_body`` bytes) and replayed to the application. What the client signed comes from the
scope: ``raw_path`` (the path exactly as sent; uvicorn and hypercorn provide it, else ``path`` is
re-quoted), ``query_string`` as received, and the headers as a list (repeated headers stay separate,
so they sign exactly as sent). Failures are answered as in ``sigv4.wsgi``. Only origin-form targets
are accepted: a server that puts an absolute-form target in ``raw_path`` (uvicorn with h11) would
give the application the whole URL as its path, so such a request is refused (400 ``InvalidUrl``).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable, List, MutableMapping, Optional, Sequence, Tuple

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
from ._native import Verifier
from ._forwarded import forwarded_scope
from .replay import claim_async
from ._native import scope_headers as _scope_headers
from ._native import scope_target as _scope_target
from ._streaming_middleware import StreamTooLarge, asgi_is_streaming, asgi_verify_streaming

__all__ = ["SigV4Middleware", "IDENTITY_KEY", "scope_target", "scope_headers"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# Bodies at least this large are verified (hashed) in a worker thread, off the event loop.
_THREAD_THRESHOLD = 1 << 20


def scope_target(scope: Scope) -> str:
    """The request target (path and query) as the client sent it, from an ASGI http scope.

    ``raw_path`` is read as UTF-8 (latin-1 when it is not UTF-8: the ASGI spec decodes ``path``
    from the same bytes as UTF-8); without ``raw_path``, ``root_path + path`` is re-quoted. The
    reading is the native one the verifier uses (``sigv4._native.scope_target``).
    """
    return _scope_target(scope)


def scope_headers(scope: Scope) -> List[Tuple[str, str]]:
    """The request headers of an ASGI scope, in order, repeated names kept (the verifier's reading)."""
    return _scope_headers(scope)


class _Replay:
    """The ``receive`` the application gets: the buffered body first, then the server's own."""

    __slots__ = ("message", "receive")

    def __init__(self, message: Message, receive: Receive) -> None:
        self.message: Optional[Message] = message
        self.receive = receive

    async def __call__(self) -> Message:
        message = self.message
        if message is None:
            return await self.receive()
        self.message = None
        return message


class SigV4Middleware(MiddlewareSettings):
    """Verifies each HTTP request's SigV4 signature before the wrapped ASGI application sees it.

    Arguments as for ``sigv4.wsgi.SigV4Middleware`` (``trusted_proxies`` reads the peer from
    ``scope["client"]``). On success the ``VerifiedIdentity`` is in
    ``scope["sigv4.identity"]`` (set in the scope the server passed, which is then handed on).
    """

    def __init__(
        self,
        app: Callable[[Scope, Receive, Send], Awaitable[None]],
        verifier: Verifier,
        max_body: int = DEFAULT_MAX_BODY,
        clock: Optional[Callable[[], float]] = None,
        explain_mismatch: bool = False,
        on_denied: Optional[OnDenied] = None,
        replay_store: Any = None,
        trusted_proxies: Optional[Sequence[str]] = None,
    ) -> None:
        super().__init__(app, verifier, max_body, clock, explain_mismatch, on_denied, trusted_proxies)
        # An asyncio replay store (sigv4.replay.AsyncRedisReplayStore), claimed after verifying.
        self.replay_store = replay_store
        self._verify_scope = verifier.verify_scope
        self._verify_bodiless = verifier.verify_bodiless_scope

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        clock = self.clock
        # An HTTP/1 request announcing no body has none (RFC 9112 6.3): it is verified at once with
        # an empty body, and the application gets the server's own receive. None: read the body.
        # `checked` is what is verified: the scope, or behind a trusted proxy a copy with the
        # forwarded host and prefix applied (the application still gets `scope`).
        try:
            checked = scope if self.trusted_proxies is None else forwarded_scope(self.trusted_proxies, scope)
            identity = self._verify_bodiless(checked, None if clock is None else clock())
            if identity is not None and self.replay_store is not None:
                await claim_async(self.replay_store, identity, time.time() if clock is None else clock())
        except VerificationError as error:
            self._denied(error, scope)
            await self._answer(error_answer(error, self.explain_mismatch), send)
            return
        if identity is not None:
            scope[IDENTITY_KEY] = identity
            await self.app(scope, receive, send)
            return
        if asgi_is_streaming(scope):
            await self._streaming(scope, checked, receive, send)
            return
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        if message.get("more_body", False):
            body = await self._read_rest(message.get("body", b""), receive)
            if body is None:
                return
            message = {"type": "http.request", "body": body, "more_body": False}
        else:
            body = message.get("body", b"")
        if len(body) > self.max_body:
            await self._answer(too_large(self.max_body), send)
            return
        # The scope's raw path, query and (name, value) byte pairs are read by the verifier as they
        # are (UTF-8, latin-1 when not UTF-8), without building Python strings.
        try:
            if len(body) < _THREAD_THRESHOLD:
                identity = self._verify_scope(checked, body, None if clock is None else clock())
            else:
                identity = await asyncio.get_running_loop().run_in_executor(
                    None, self._verify_scope, checked, body, None if clock is None else clock()
                )
            if self.replay_store is not None:
                await claim_async(self.replay_store, identity, time.time() if clock is None else clock())
        except VerificationError as error:
            self._denied(error, scope)
            await self._answer(error_answer(error, self.explain_mismatch), send)
            return
        scope[IDENTITY_KEY] = identity
        await self.app(scope, _Replay(message, receive), send)

    async def _streaming(self, scope: Scope, checked: Scope, receive: Receive, send: Send) -> None:
        """An aws-chunked upload: every chunk verified before the application runs (see
        ``sigv4._streaming_middleware``)."""
        clock = self.clock
        try:
            done = await asgi_verify_streaming(self.verifier, scope, _scope_target(checked, strict=True), _scope_headers(checked),
                                               receive, self.max_body, None if clock is None else clock())
        except StreamTooLarge:
            await self._answer(too_large(self.max_body), send)
            return
        except VerificationError as error:
            self._denied(error, scope)
            await self._answer(error_answer(error, self.explain_mismatch), send)
            return
        if done is None:
            return
        identity, body = done
        if self.replay_store is not None:
            try:
                await claim_async(self.replay_store, identity, time.time() if clock is None else clock())
            except VerificationError as error:
                self._denied(error, scope)
                await self._answer(error_answer(error, self.explain_mismatch), send)
                return
        scope[IDENTITY_KEY] = identity
        await self.app(scope, _Replay({"type": "http.request", "body": body, "more_body": False}, receive), send)

    def _denied(self, error: VerificationError, scope: Scope) -> None:
        report_denied(error, scope.get("method", ""), _scope_target(scope), scope, self.on_denied)

    async def _read_rest(self, first: bytes, receive: Receive) -> Optional[bytes]:
        """The rest of a body sent in several messages (None when the client went away or the body
        is over ``max_body``: the caller answers 413 for the latter from the length)."""
        pieces = [first]
        size = len(first)
        more = True
        while more and size <= self.max_body:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            piece = message.get("body", b"")
            size += len(piece)
            pieces.append(piece)
            more = message.get("more_body", False)
        return b"".join(pieces)

    @staticmethod
    async def _answer(answer: Tuple[int, List[Tuple[str, str]], bytes], send: Send) -> None:
        status, headers, body = answer
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in headers],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def __repr__(self) -> str:
        return f"SigV4Middleware({self.app!r}, {self.verifier!r})"
