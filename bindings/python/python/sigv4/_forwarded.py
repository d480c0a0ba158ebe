"""``trusted_proxies=`` in the WSGI and ASGI middlewares: behind a reverse proxy, verify what the client
signed. The rule lives in the core (``sigv4.TrustedProxies``, ``core/src/http/forwarded.rs``): the
``X-Forwarded-Host`` / ``X-Forwarded-Prefix`` headers are honoured only when the connected peer
(``REMOTE_ADDR`` / ``scope["client"]``) is in the list, and then the last value of each (the one that
proxy set); from any other peer they are ignored. Here the answer is applied to a copy of the environ
or scope that is verified; the application still gets the original."""

from __future__ import annotations

from typing import Any, List, MutableMapping, Optional, Sequence, Tuple, Union

from ._native import TrustedProxies

__all__ = ["trusted_list", "forwarded_environ", "forwarded_scope"]


def trusted_list(value: Union[None, Sequence[str], TrustedProxies]) -> Optional[TrustedProxies]:
    """The middleware option: None (off), a list of addresses / CIDR blocks, or a ``TrustedProxies``."""
    if value is None or isinstance(value, TrustedProxies):
        return value
    return TrustedProxies(value)


def forwarded_environ(trusted: TrustedProxies, environ: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The environ to verify: ``environ`` itself, or a copy with the forwarded host and prefix applied
    (raises ``VerificationError`` for a malformed value from a trusted proxy)."""
    fhost = environ.get("HTTP_X_FORWARDED_HOST")
    fprefix = environ.get("HTTP_X_FORWARDED_PREFIX")
    if fhost is None and fprefix is None:
        return environ
    host, prefix = trusted.resolve(environ.get("REMOTE_ADDR"), fhost, fprefix)
    if host is None and not prefix:
        return environ
    checked = dict(environ)
    if host is not None:
        checked["HTTP_HOST"] = host
    if prefix:
        for key in ("REQUEST_URI", "RAW_URI"):
            if checked.get(key):
                checked[key] = prefix + checked[key]
        checked["SCRIPT_NAME"] = prefix + checked.get("SCRIPT_NAME", "")
    return checked


def forwarded_scope(trusted: TrustedProxies, scope: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The ASGI scope to verify: ``scope`` itself, or a copy with the forwarded host and prefix applied."""
    fhost: Optional[str] = None
    fprefix: Optional[str] = None
    for name, value in scope.get("headers", ()):
        lower = name.lower()
        if lower == b"x-forwarded-host":
            fhost = value.decode("latin-1") if fhost is None else f"{fhost},{value.decode('latin-1')}"
        elif lower == b"x-forwarded-prefix":
            fprefix = value.decode("latin-1") if fprefix is None else f"{fprefix},{value.decode('latin-1')}"
    if fhost is None and fprefix is None:
        return scope
    client = scope.get("client")
    peer = str(client[0]) if client else None
    host, prefix = trusted.resolve(peer, fhost, fprefix)
    if host is None and not prefix:
        return scope
    checked = dict(scope)
    if host is not None:
        headers: List[Tuple[bytes, bytes]] = [(n, v) for n, v in scope.get("headers", ()) if n.lower() != b"host"]
        headers.append((b"host", host.encode("latin-1")))
        checked["headers"] = headers
    if prefix:
        if scope.get("raw_path"):
            checked["raw_path"] = prefix.encode("latin-1") + scope["raw_path"]
        checked["path"] = prefix + scope.get("path", "")
    return checked
