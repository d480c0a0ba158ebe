"""Replay stores shared by a fleet of verifiers: Redis, synchronous (``redis-py``) and asyncio.

The core decides what a replay is: each verified request has a key (the same in every language and
process) and must be remembered until the end of its validity window (the signing time plus the
allowed skew, or a presigned URL's expiry). A store remembers keys with one atomic round trip per
verification, ``SET <prefix><key> 1 NX PX <ms>``: of two copies of one signed request, exactly one
is accepted across every process sharing the Redis.

When Redis fails or does not answer within ``timeout`` the request is refused with
``ReplayStoreUnavailable`` (HTTP 503: fail closed, nothing is ever accepted twice); with
``fail_open=True`` it is accepted unproven instead. Either way the failure is logged on the
``sigv4`` logger (WARNING).

    from sigv4 import Verifier
    from sigv4.replay import RedisReplayStore
    verifier = Verifier(keys, region="us-east-1", service="execute-api",
                        replay_store=RedisReplayStore(url="redis://127.0.0.1:6379/0"))

For the ASGI middleware use ``AsyncRedisReplayStore`` on the middleware:
``SigV4Middleware(app, verifier, replay_store=AsyncRedisReplayStore(url=...))``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import weakref
from typing import Any, Dict, List, Optional, Set, Tuple, Union

__all__ = ["RedisReplayStore", "AsyncRedisReplayStore", "DEFAULT_PREFIX", "DEFAULT_TIMEOUT"]

#: Key prefix used when none is given.
DEFAULT_PREFIX = "sigv4:replay:"
#: Seconds a store waits for Redis before the request is refused (or accepted with fail_open).
DEFAULT_TIMEOUT = 0.25

logger = logging.getLogger("sigv4")


def _check(prefix: str, timeout: float) -> None:
    if not isinstance(prefix, str):
        raise TypeError("prefix must be a str")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout must be a number of seconds > 0 (got {timeout!r})")


def _client_options(timeout: float, asyncio: bool = False) -> dict:
    """Timeouts of ``timeout`` seconds and no retries for a client the store builds itself."""
    from redis.backoff import NoBackoff

    if asyncio:
        from redis.asyncio.retry import Retry
    else:
        from redis.retry import Retry  # type: ignore[assignment]

    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry_on_timeout": False,
        "retry": Retry(NoBackoff(), 0),
    }


class _RedisStore:
    """What both stores share: the arguments, checked once; ``client`` as given, or built from ``url``
    by the store's ``_connect`` (``timeout`` as its timeouts, no retries)."""

    _client_type = "redis.Redis"

    def __init__(
        self,
        client: Any = None,
        *,
        url: Optional[str] = None,
        prefix: str = DEFAULT_PREFIX,
        timeout: float = DEFAULT_TIMEOUT,
        fail_open: bool = False,
    ) -> None:
        _check(prefix, timeout)
        if (client is None) == (url is None):
            raise TypeError(f"give client= (a {self._client_type}) or url=, exactly one")
        self.prefix = prefix
        self.timeout = timeout
        self.fail_open = bool(fail_open)
        self._start()
        self.client = client if url is None else self._connect(url)

    def _start(self) -> None:
        """The store's own state, set up before the client."""

    def _connect(self, url: str) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prefix={self.prefix!r}, timeout={self.timeout}, fail_open={self.fail_open})"


class RedisReplayStore(_RedisStore):
    """A replay store in Redis through ``redis-py`` (synchronous: ``Verifier(replay_store=...)``).

    ``client``: a ``redis.Redis`` (its own socket timeouts then apply), or ``url`` to build one with
    ``timeout`` as its connect and socket timeout and no retries (a retry would multiply the time a
    request waits while Redis is down). ``prefix`` goes before every key. ``fail_open``: accept
    requests when Redis fails (logged) instead of refusing them with ``ReplayStoreUnavailable``.
    """

    def _start(self) -> None:
        self._url: Optional[str] = None
        self._local = threading.local()

    def _connect(self, url: str) -> Any:
        import redis

        self._url = url
        # A forked worker (gunicorn --preload) must not share its parent's sockets.
        if hasattr(os, "register_at_fork"):  # POSIX
            forget = weakref.WeakMethod(self._forget_connections)
            os.register_at_fork(after_in_child=lambda: (forget() or (lambda: None))())
        return redis.Redis.from_url(url, **_client_options(self.timeout))

    def _connection(self) -> Any:
        """The client a claim goes through: the caller's ``client`` as given; for ``url=``, one
        single-connection client per thread. Why: redis-py's connection pool checks each connection
        it hands out for unread data (two ioctl and a recv per command) and its pid (two getpid),
        which more than doubled the CPU time of a claim (9 syscalls instead of 4: send and receive,
        each after the poll that implements the timeout). Per-thread connections keep threads from
        waiting on each other, as the pool did."""
        if self._url is None:
            return self.client
        connection = getattr(self._local, "client", None)
        if connection is None:
            import redis

            connection = redis.Redis.from_url(self._url, single_connection_client=True, **_client_options(self.timeout))
            self._local.client = connection
        return connection

    def _forget_connections(self) -> None:
        self._local = threading.local()

    def claim(self, key: str, ttl_ms: int) -> bool:
        """Stores ``key`` for ``ttl_ms`` unless present: True when stored (fresh), False when it was
        there (a replay). Raises when Redis fails."""
        # One round trip: SET key 1 NX PX ttl (execute_command skips set()'s argument building).
        return bool(self._connection().execute_command("SET", self.prefix + key, b"1", "NX", "PX", ttl_ms))

class AsyncRedisReplayStore(_RedisStore):
    """A replay store in Redis through ``redis.asyncio``, for ``sigv4.asgi.SigV4Middleware(...,
    replay_store=...)``. Arguments as ``RedisReplayStore`` (``client``: a ``redis.asyncio.Redis``).

    Claims made while the event loop runs one iteration (the requests a busy server handles
    together) go to Redis as one pipeline: still one ``SET key 1 NX PX`` per request, each atomic
    on its own, but one round trip, one connection checkout and one ``timeout`` for the group.
    Why: a claim through redis.asyncio costs ~60 µs of CPU alone (~90 µs with a per-claim
    ``asyncio.wait_for``), more than the verification; pipelined, ~20 µs. When the round trip fails
    or exceeds ``timeout``, every claim of the group fails (fail closed, or accepted and logged with
    ``fail_open``)."""

    _client_type = "redis.asyncio.Redis"

    def _start(self) -> None:
        # Claims waiting for their loop's next iteration, per event loop; and the groups in flight
        # (a task nobody references may be collected before it finishes).
        self._waiting: Dict[asyncio.AbstractEventLoop, List[Tuple[str, int, "asyncio.Future[bool]"]]] = {}
        self._sending: Set["asyncio.Task[None]"] = set()

    def _connect(self, url: str) -> Any:
        import redis.asyncio

        return redis.asyncio.Redis.from_url(url, **_client_options(self.timeout, asyncio=True))

    async def claim(self, key: str, ttl_ms: int) -> bool:
        """As ``RedisReplayStore.claim``, awaited."""
        loop = asyncio.get_running_loop()
        answer: "asyncio.Future[bool]" = loop.create_future()
        waiting = self._waiting.get(loop)
        if waiting is None:
            waiting = self._waiting[loop] = []
            loop.call_soon(self._flush, loop)
        waiting.append((self.prefix + key, ttl_ms, answer))
        return await answer

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        group = self._waiting.pop(loop, [])
        if group:
            task = loop.create_task(self._send(group))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _send(self, group: List[Tuple[str, int, "asyncio.Future[bool]"]]) -> None:
        try:
            replies = await _within(self.timeout, self._round_trip(group))
        except asyncio.CancelledError:
            for _, _, answer in group:
                answer.cancel()
            raise
        except Exception as error:  # the whole group failed: each claim sees the error
            for _, _, answer in group:
                if not answer.done():
                    answer.set_exception(error)
            return
        for (_, _, answer), reply in zip(group, replies):
            if answer.done():  # its request went away meanwhile
                continue
            if isinstance(reply, Exception):
                answer.set_exception(reply)
            else:
                answer.set_result(bool(reply))

    async def _round_trip(self, group: List[Tuple[str, int, "asyncio.Future[bool]"]]) -> List[Any]:
        if len(group) == 1:  # a pipeline of one costs more than the command
            key, ttl_ms, _ = group[0]
            return [await self.client.execute_command("SET", key, b"1", "NX", "PX", ttl_ms)]
        pipe = self.client.pipeline(transaction=False)
        for key, ttl_ms, _ in group:
            pipe.execute_command("SET", key, b"1", "NX", "PX", ttl_ms)
        return list(await pipe.execute(raise_on_error=False))


async def _within(seconds: float, work: Any) -> Any:
    """Awaits ``work`` for at most ``seconds`` (asyncio.timeout where it exists: no extra task)."""
    timeout = getattr(asyncio, "timeout", None)  # Python 3.11+
    if timeout is None:
        return await asyncio.wait_for(work, seconds)
    async with timeout(seconds):
        return await work


def _failed(store: Any, error: BaseException) -> str:
    """Logs a store failure and returns the short reason the error message carries (the exception
    type only: the client sees it, and a Redis error text names internal hosts)."""
    verdict = "accepted unproven (fail_open)" if getattr(store, "fail_open", False) else "refused (ReplayStoreUnavailable)"
    logger.warning("replay store %r failed, request %s: %r", store, verdict, error)
    name = type(error).__name__
    return "timed out" if isinstance(error, (asyncio.TimeoutError, TimeoutError)) or "Timeout" in name else name


def _claim(store: Any, key: str, ttl_ms: int) -> Union[bool, str]:
    """Called by the native verifier: True (fresh), False (replay) or why the store failed."""
    try:
        return bool(store.claim(key, ttl_ms))
    except Exception as error:  # any store failure is a failure to prove freshness
        return _failed(store, error)


def _seconds(now: Any) -> float:
    """Unix seconds of the middleware clock's answer (a number or an aware datetime)."""
    if isinstance(now, (int, float)) and not isinstance(now, bool):
        return float(now)
    stamp = getattr(now, "timestamp", None)
    return float(stamp()) if callable(stamp) else time.time()


async def claim_async(store: Any, identity: Any, now: Any) -> None:
    """Claims a verified request's key in an asynchronous store and applies the core's verdict:
    returns to accept, raises ``VerificationError`` (``RequestReplayed`` /
    ``ReplayStoreUnavailable``) to refuse. ``now``: the middleware clock's time (unix seconds or
    an aware datetime), so the key is kept until the end of the request's window on that clock."""
    from ._native import replay_verdict_of

    now = _seconds(now)
    try:
        outcome: Union[bool, str] = bool(await store.claim(identity.replay_key, identity.replay_ttl_ms(now)))
    except Exception as error:
        outcome = _failed(store, error)
    replay_verdict_of(outcome, bool(getattr(store, "fail_open", False)))
