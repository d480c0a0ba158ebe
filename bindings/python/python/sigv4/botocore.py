"""botocore and boto3 signing through libsigv4: one line, nothing else changes.

::

    import sigv4.botocore
    sigv4.botocore.install()      # every client and presigner made afterwards signs natively

``install()`` puts subclasses of botocore's own SigV4 signers in ``botocore.auth.AUTH_TYPE_MAPS``
(``v4``, ``v4-query``, ``s3v4``, ``s3v4-query``, ``v4-s3express``, ``v4-s3express-query``, and the
S3 POST presigners ``s3v4-presign-post`` / ``v4-s3express-presign-post``) and adds
SigV4a (``v4a``, ``s3v4a``, ``s3v4a-query``), which botocore otherwise signs only with ``awscrt``
installed. They keep
botocore's request preparation as it is — which headers are signed, ``X-Amz-Date`` / ``Date``,
the session token's placement, ``X-Amz-Content-SHA256`` and ``UNSIGNED-PAYLOAD`` /
``STREAMING-UNSIGNED-PAYLOAD-TRAILER`` as botocore picks them, presigned URLs' parameters and
expiry — and hand the canonical request, the hashing and the HMAC to the Rust core, with
botocore's canonicalisation rules (S3 paths and URL queries signed as they are). ``uninstall()``
puts botocore's signers back.

``generate_presigned_url(client, client_method, params, expires_in)`` is the bulk fast path: the
same URLs as ``client.generate_presigned_url`` for S3 ``get_object`` / ``head_object`` /
``put_object`` / ``delete_object``; other calls go through botocore.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from botocore import auth as _auth
from botocore.exceptions import NoCredentialsError
from botocore.utils import normalize_url_path

from . import _native
from ._errors import InvalidPayloadHashError
from ._botocore_clock import amz_date as _amz_date
from ._botocore_v4a import V4A_SIGNERS
from ._presign_fast import generate_presigned_url

__all__ = ["install", "uninstall", "installed", "generate_presigned_url", "SIGNERS"]

_PAYLOAD_BUFFER = _auth.PAYLOAD_BUFFER
# Whitespace that str.split() (botocore's trim) collapses but the core's trim (spaces and tabs,
# the SigV4 rule) leaves: values holding any are trimmed by botocore's own function first.
_OTHER_WHITESPACE = re.compile(r"[^\S \t]")
_UPPER_HEX = re.compile(r"(?=.*[A-F])[0-9A-Fa-f]{64}")


def _signing_headers(auth: Any, request: Any) -> List[Tuple[str, str]]:
    """The (name, value) pairs botocore signs: botocore's ``headers_to_sign`` (the blocklist, repeats
    kept in order, ``host`` from the URL when missing) without building its HTTPHeaders copy — or the
    signer's own ``headers_to_sign`` when a subclass overrides it."""
    if type(auth).headers_to_sign is not _auth.SigV4Auth.headers_to_sign:
        items = auth.headers_to_sign(request).items()
    else:
        blocked = _auth.SIGNED_HEADERS_BLACKLIST
        items = [(name.lower(), value) for name, value in request.headers.items() if name.lower() not in blocked]
        if not any(name == "host" for name, _ in items):
            items.append(("host", _auth._host_from_url(request.url)))
    pairs = []
    for name, value in items:
        if not isinstance(value, str) or _OTHER_WHITESPACE.search(value):
            value = auth._header_value(value)  # botocore's trim (and its error on a non-str)
        pairs.append((name, value))
    return pairs


class _CoreSigning:
    """Mixin over a botocore SigV4 signer: botocore prepares the request, the core signs it."""

    _S3 = False

    def add_auth(self, request: Any) -> None:
        if self.credentials is None:
            raise NoCredentialsError()
        # botocore's clock (looked up at call time: tests freeze it by patching botocore.auth).
        request.context["timestamp"] = _amz_date()
        self._modify_request_before_signing(request)
        signature, signed_headers = self._core_sign(request)
        self._core_inject(request, signature, signed_headers)

    def _core_sign(self, request: Any) -> Tuple[str, str]:
        parts = urlsplit(request.url)
        path = parts.path if self._S3 else normalize_url_path(parts.path)
        params: Optional[List[Tuple[str, str]]] = None
        if request.params:
            items = request.params.items() if hasattr(request.params, "items") else request.params
            params = [(key, str(value)) for key, value in items]
        headers = request.headers
        if "X-Amz-Content-SHA256" in headers:
            payload = headers["X-Amz-Content-SHA256"]
        else:
            payload = self.payload(request)
        if _UPPER_HEX.fullmatch(payload):
            raise InvalidPayloadHashError(
                "X-Amz-Content-SHA256 is upper-case hex: botocore signs it as given, the core would sign it "
                "lower-cased; send the hash in lower case", "InvalidPayloadHash", "X-Amz-Content-SHA256")
        creds = self.credentials
        return _native.botocore_sign(
            creds.access_key,
            creds.secret_key,
            self._region_name,
            self._service_name,
            request.context["timestamp"],
            request.method.upper(),
            path,
            parts.query,
            params,
            _signing_headers(self, request),
            payload,
            self._S3,
        )

    def _core_inject(self, request: Any, signature: str, signed_headers: str) -> None:
        # botocore's _inject_signature_to_request, without computing the signed headers again.
        request.headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={self.scope(request)}, "
            f"SignedHeaders={signed_headers}, Signature={signature}"
        )


# A URL whose query botocore's presigners would write back unchanged (parse_qs, then
# percent_encode_sequence): unreserved characters, every piece "key=value", no fragment, nothing
# urlsplit strips or lowercases.
_PLAIN_URL = re.compile(r"(?:https|http)://[^\x00-\x20?#\x7f]*(?:\?([A-Za-z0-9_.~-]+=[A-Za-z0-9_.~-]*"
                        r"(?:&[A-Za-z0-9_.~-]+=[A-Za-z0-9_.~-]*)*))?")


_PLAIN_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*")


class _CoreQuerySigning(_CoreSigning):
    def add_auth(self, request: Any) -> None:
        match = None
        plain = (not request.headers and not request.params and not request.data
                 and type(self)._modify_request_before_signing is _auth.SigV4QueryAuth._modify_request_before_signing)
        if plain and self._S3 and self.credentials is not None:
            # boto3's generate_presigned_url for S3: the whole URL in one native call.
            amz_date = _amz_date()
            creds = self.credentials
            url = _native.botocore_presign_s3(
                request.url, request.method.upper(), creds.access_key, creds.secret_key, creds.token,
                self._region_name, self._service_name, str(self._expires), amz_date, self.payload(request))
            if url is not None:
                request.context["timestamp"] = amz_date
                request.url = url
                return
        if plain:
            match = _PLAIN_URL.fullmatch(request.url)
        if match is not None and match.group(1) and "&" in match.group(1):
            keys = [piece.partition("=")[0] for piece in match.group(1).split("&")]
            if len(set(keys)) != len(keys):  # botocore keeps the first of repeated keys
                match = None
        if match is None:
            return super().add_auth(request)
        # The common presign (boto3's generate_presigned_url): what botocore's
        # _modify_request_before_signing writes, without its parse/re-encode round trip.
        if self.credentials is None:
            raise NoCredentialsError()
        amz_date = _amz_date()
        request.context["timestamp"] = amz_date
        creds = self.credentials
        url = request.url
        operation = match.group(1)
        base = url if operation is None else url[: len(url) - len(operation) - 1]
        scope = f"{creds.access_key}/{amz_date[:8]}/{self._region_name}/{self._service_name}/aws4_request"
        query = (
            f"{operation + '&' if operation else ''}X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Credential={_native.uri_encode(scope)}&X-Amz-Date={amz_date}"
            f"&X-Amz-Expires={_native.uri_encode(str(self._expires))}&X-Amz-SignedHeaders=host"
        )
        if creds.token is not None:
            query += "&X-Amz-Security-Token=" + _native.uri_encode(creds.token)
        request.url = f"{base}?{query}"
        rest = base[base.index("://") + 3:]
        slash = rest.find("/")
        netloc, path = (rest, "") if slash < 0 else (rest[:slash], rest[slash:])
        # A plain lower-case host name without a port is its own Host value (botocore's
        # _host_from_url, which the other cases still go through, would return it unchanged).
        host = netloc if _PLAIN_HOST.fullmatch(netloc) else _auth._host_from_url(url)
        signature, _ = _native.botocore_sign(
            creds.access_key, creds.secret_key, self._region_name, self._service_name, amz_date,
            request.method.upper(), path if self._S3 else normalize_url_path(path), query, None,
            [("host", host)], self.payload(request), self._S3,
        )
        self._inject_signature_to_request(request, signature)

    def _core_inject(self, request: Any, signature: str, signed_headers: str) -> None:
        self._inject_signature_to_request(request, signature)


class _CoreHashing:
    """botocore's ``payload`` with the body hashed by the core."""

    def payload(self, request: Any) -> str:
        if self._is_streaming_checksum_payload(request):
            return _auth.STREAMING_UNSIGNED_PAYLOAD_TRAILER
        if not self._should_sha256_sign_payload(request):
            return _auth.UNSIGNED_PAYLOAD
        body = request.body
        if body and hasattr(body, "seek"):
            position = body.tell()
            hasher = _native.PayloadHasher()
            for chunk in iter(lambda: body.read(_PAYLOAD_BUFFER), b""):
                hasher.update(chunk)
            body.seek(position)
            return hasher.hexdigest()
        if body:
            return _native.PayloadHasher(body).hexdigest()
        return _auth.EMPTY_SHA256_HASH


class SigV4Auth(_CoreHashing, _CoreSigning, _auth.SigV4Auth):
    """botocore's ``SigV4Auth`` (``v4``), signing through the core."""


class SigV4QueryAuth(_CoreHashing, _CoreQuerySigning, _auth.SigV4QueryAuth):
    """botocore's ``SigV4QueryAuth`` (``v4-query``), signing through the core."""


class S3SigV4Auth(_CoreHashing, _CoreSigning, _auth.S3SigV4Auth):
    """botocore's ``S3SigV4Auth`` (``s3v4``), signing through the core."""

    _S3 = True


class S3SigV4QueryAuth(_CoreQuerySigning, _auth.S3SigV4QueryAuth):
    """botocore's ``S3SigV4QueryAuth`` (``s3v4-query``), signing through the core."""

    _S3 = True


class S3ExpressAuth(_CoreHashing, _CoreSigning, _auth.S3ExpressAuth):
    """botocore's ``S3ExpressAuth`` (``v4-s3express``), signing through the core."""

    _S3 = True


class S3ExpressQueryAuth(_CoreQuerySigning, _auth.S3ExpressQueryAuth):
    """botocore's ``S3ExpressQueryAuth`` (``v4-s3express-query``), signing through the core."""

    _S3 = True


class _CorePostSignature:
    """botocore's POST presigners build the fields and the base64 policy themselves; its
    ``signature`` (the day's signing key derived, then the HMAC of the policy) is the core's."""

    def signature(self, string_to_sign: str, request: Any) -> str:
        creds = self.credentials
        return _native.botocore_sign_string(creds.access_key, creds.secret_key, self._region_name,
                                            self._service_name, request.context["timestamp"], string_to_sign)


class S3SigV4PostAuth(_CorePostSignature, _auth.S3SigV4PostAuth):
    """botocore's ``S3SigV4PostAuth`` (``s3v4-presign-post``, ``generate_presigned_post``), signing
    through the core."""


class S3ExpressPostAuth(_CorePostSignature, _auth.S3ExpressPostAuth):
    """botocore's ``S3ExpressPostAuth`` (``v4-s3express-presign-post``), signing through the core."""


#: The signature versions ``install()`` replaces, and our signer for each.
SIGNERS: Dict[str, type] = {
    "v4": SigV4Auth,
    "v4-query": SigV4QueryAuth,
    "s3v4": S3SigV4Auth,
    "s3v4-query": S3SigV4QueryAuth,
    "v4-s3express": S3ExpressAuth,
    "v4-s3express-query": S3ExpressQueryAuth,
    "s3v4-presign-post": S3SigV4PostAuth,
    "v4-s3express-presign-post": S3ExpressPostAuth,
    **V4A_SIGNERS,
}

_lock = threading.Lock()
_saved: Dict[str, Any] = {}
_MISSING = object()


def install() -> None:
    """Signs every botocore/boto3 request (and presigned URL) made from now on through libsigv4.

    Idempotent. botocore looks its signers up at signing time, so clients made before the call
    switch too."""
    with _lock:
        for name, cls in SIGNERS.items():
            current = _auth.AUTH_TYPE_MAPS.get(name, _MISSING)
            if current is cls:
                continue
            _saved.setdefault(name, current)
            _auth.AUTH_TYPE_MAPS[name] = cls


def uninstall() -> None:
    """Puts back the signers ``install()`` replaced (botocore's own, or the CRT's)."""
    with _lock:
        for name, previous in _saved.items():
            if previous is _MISSING:
                _auth.AUTH_TYPE_MAPS.pop(name, None)
            else:
                _auth.AUTH_TYPE_MAPS[name] = previous
        _saved.clear()


def installed() -> bool:
    """Whether ``install()`` is in effect."""
    return all(_auth.AUTH_TYPE_MAPS.get(name) is cls for name, cls in SIGNERS.items())
