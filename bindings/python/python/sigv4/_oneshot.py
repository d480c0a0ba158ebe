"""``sign_v4``: the one-call function with the C library's parameters and results."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _native
from ._auth import NONCE_HEADER, new_nonce

__all__ = ["sign_v4"]

QueryParams = Union[Mapping[str, Any], Iterable[Tuple[str, Any]], None]


def _pairs(query_params: QueryParams) -> List[Tuple[str, str]]:
    if not query_params:
        return []
    items = query_params.items() if isinstance(query_params, Mapping) else query_params
    return [(str(key), str(value)) for key, value in items]


def sign_v4(
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
    method: str,
    uri: str,
    query_params: QueryParams = None,
    headers: Union[Mapping[str, str], Iterable[Tuple[str, str]], None] = None,
    payload: Union[bytes, str, None] = None,
    timestamp: Any = None,
    session_token: Optional[str] = None,
    *,
    nonce: bool = False,
) -> Dict[str, Any]:
    """Signs one request with an ``Authorization`` header, in one call.

    ``uri`` is the path as it goes on the wire (``/my-bucket/my-object.txt``; an absolute URL works
    too); ``query_params`` a mapping or list of (key, value) pairs, not encoded (the core encodes
    them with SigV4's rules and appends them); ``headers`` must include ``host`` when ``uri`` is a
    path; ``payload`` the body (str as UTF-8, or bytes); ``timestamp`` an aware datetime, epoch
    seconds or ``YYYYMMDDTHHMMSSZ`` (default: now). The service's defaults apply (the S3 family
    also signs ``x-amz-content-sha256``, as botocore and aws4 do: send every header of ``headers``).

    Returns a dict with ``authorization``, ``timestamp`` (the ``X-Amz-Date`` value), ``signature``,
    ``canonical_request`` and ``string_to_sign`` — the fields of the C function ``sigv4_sign_v4`` —
    plus ``url`` (path and encoded query) and ``headers`` (every header to send, a dict).
    ``nonce=True`` adds a signed random ``X-Request-Nonce`` header (also returned as ``nonce``; it
    is in ``headers``, send it), so identical calls within one second are distinct requests for a
    verifier with replay protection.
    Raises ``sigv4.Error`` (with ``.code``) on bad input.
    """
    if not isinstance(nonce, bool):
        raise TypeError("nonce must be a bool")
    nonce_value = None
    if nonce:
        nonce_value = new_nonce()
        pairs = list((headers.items() if isinstance(headers, Mapping) else headers) or ())
        headers = pairs + [(NONCE_HEADER, nonce_value)]
    signed = _native.sign_v4(
        access_key, secret_key, region, service, method, uri,
        _pairs(query_params), headers, payload, timestamp, session_token,
    )
    result = {
        "authorization": signed.authorization,
        "timestamp": signed.amz_date,
        "signature": signed.signature,
        "canonical_request": signed.canonical_request,
        "string_to_sign": signed.string_to_sign,
        "url": signed.url,
        "headers": signed.headers,
    }
    if nonce_value is not None:
        result["nonce"] = nonce_value
    return result
