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
import time
from typing import Any, Optional, Union

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
    """What both stores share: the arguments, checked once, and the client (given, or built from
    ``url`` by ``_connect`` with ``timeout`` and no retries)."""

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
        self.client = self._connect(url, timeout) if client is None else client
        self.prefix = prefix
        self.timeout = timeout
        self.fail_open = bool(fail_open)

    @staticmethod
    def _connect(url: Any, timeout: float) -> Any:
        import redis

        return redis.Redis.from_url(url, **_client_options(timeout))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prefix={self.prefix!r}, timeout={self.timeout}, fail_open={self.fail_open})"


class RedisReplayStore(_RedisStore):
    """A replay store in Redis through ``redis-py`` (synchronous: ``Verifier(replay_store=...)``).

    ``client``: a ``redis.Redis`` (its own socket timeouts then apply), or ``url`` to build one with
    ``timeout`` as its connect and socket timeout and no retries (a retry would multiply the time a
    request waits while Redis is down). ``prefix`` goes before every key. ``fail_open``: accept
    requests when Redis fails (logged) instead of refusing them with ``ReplayStoreUnavailable``.
    """

    def claim(self, key: str, ttl_ms: int) -> bool:
        """Stores ``key`` for ``ttl_ms`` unless present: True when stored (fresh), False when it was
        there (a replay). Raises when Redis fails."""
        return bool(self.client.set(self.prefix + key, b"1", nx=True, px=ttl_ms))


class AsyncRedisReplayStore(_RedisStore):
    """A replay store in Redis through ``redis.asyncio``, for ``sigv4.asgi.SigV4Middleware(...,
    replay_store=...)``. Arguments as ``RedisReplayStore`` (``client``: a ``redis.asyncio.Redis``);
    each claim is also bounded by ``timeout`` with ``asyncio.wait_for``."""

    _client_type = "redis.asyncio.Redis"

    @staticmethod
    def _connect(url: Any, timeout: float) -> Any:
        import redis.asyncio

        return redis.asyncio.Redis.from_url(url, **_client_options(timeout, asyncio=True))

    async def claim(self, key: str, ttl_ms: int) -> bool:
        """As ``RedisReplayStore.claim``, awaited."""
        stored = await asyncio.wait_for(
            self.client.set(self.prefix + key, b"1", nx=True, px=ttl_ms), self.timeout
        )
        return bool(stored)


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
