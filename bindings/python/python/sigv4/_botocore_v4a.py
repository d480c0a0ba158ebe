"""SigV4a for botocore without the CRT: ``v4a``, ``s3v4a``, ``s3v4a-query``.

botocore has SigV4a signers only when ``awscrt`` is installed (``botocore.crt.auth``). These
classes do what those do — the same request preparation (the code below follows
``CrtSigV4AsymAuth``, ``CrtS3SigV4AsymAuth`` and ``CrtS3SigV4AsymQueryAuth`` step by step), the
CRT's choice of signed headers, the headers and query parameters it adds and their order, its
canonicalisation — with the canonical request, hashing and ECDSA signature made by the core.
Tested against botocore's CRT signers with ``awscrt`` (tests/test_botocore_v4a.py).
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote, urlsplit, urlunsplit

from botocore import auth as _auth
from botocore.compat import HTTPHeaders, parse_qs
from botocore.exceptions import NoCredentialsError
from botocore.utils import percent_encode_sequence

from . import _botocore_clock as _clock
from . import _native

try:  # botocore >= 1.36
    from botocore.useragent import register_feature_id as _register_feature_id
except ImportError:  # pragma: no cover - older botocore
    def _register_feature_id(feature_id: str) -> None:
        return None

__all__ = ["SigV4aAuth", "S3SigV4aAuth", "S3SigV4aQueryAuth", "SigV4aSigningError"]

_ALGORITHM = "AWS4-ECDSA-P256-SHA256"
# Headers the CRT never signs (aws-c-auth's skipped headers), besides botocore's blocklist.
_CRT_SKIPPED = frozenset({"x-amzn-trace-id", "user-agent", "connection", "sec-websocket-key",
                          "sec-websocket-protocol", "sec-websocket-version", "upgrade"})
# Headers / query parameters the CRT refuses to find in a request it signs.
_CRT_FORBIDDEN_HEADERS = frozenset({"x-amz-content-sha256", "x-amz-date", "authorization",
                                    "x-amz-security-token", "x-amz-region-set"})
_CRT_FORBIDDEN_PARAMS = frozenset({"x-amz-signature", "x-amz-date", "x-amz-credential", "x-amz-algorithm",
                                   "x-amz-signedheaders", "x-amz-security-token", "x-amz-expires",
                                   "x-amz-region-set"})
# The CRT's header-value rule: runs of ASCII whitespace (isspace) become one space, ends trimmed.
_CRT_SPACE = re.compile(r"[ \t\n\v\f\r]+")
# A '%' the CRT cannot decode in a query (it refuses the request: AWS_ERROR_MALFORMED_INPUT_STRING).
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HTTP_TRIM = " \t"


class SigV4aSigningError(ValueError):
    """A request botocore's CRT signer would refuse (it raises ``awscrt.exceptions.AwsCrtError``)."""


def _crt_value(value: str) -> str:
    """A header value as the CRT canonicalises it."""
    return _CRT_SPACE.sub(" ", value).strip(" ")


class SigV4aAuth(_auth.BaseSigner):
    """botocore's ``v4a`` signer (``CrtSigV4AsymAuth``) signing through the core."""

    REQUIRES_REGION = True
    _PRESIGNED_HEADERS_BLOCKLIST = ["Authorization", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token"]
    _S3 = False
    _QUERY = False

    def __init__(self, credentials: Any, service_name: str, region_name: str) -> None:
        self.credentials = credentials
        self._service_name = service_name
        self._region_name = region_name
        self._expiration_in_seconds: Optional[int] = None

    # --- botocore's preparation (botocore/crt/auth.py) ---------------------------------------
    def _should_sign_header(self, name: str, **kwargs: Any) -> bool:
        return name.lower() not in _auth.SIGNED_HEADERS_BLACKLIST

    def _modify_request_before_signing(self, request: Any) -> None:
        for h in self._PRESIGNED_HEADERS_BLOCKLIST:
            if h in request.headers:
                del request.headers[h]
        if "host" not in request.headers:
            request.headers["host"] = _auth._host_from_url(request.url)

    def _get_existing_sha256(self, request: Any) -> Optional[str]:
        return request.headers.get("X-Amz-Content-SHA256")

    def _is_streaming_checksum_payload(self, request: Any) -> bool:
        algorithm = request.context.get("checksum", {}).get("request_algorithm")
        return isinstance(algorithm, dict) and algorithm.get("in") == "trailer"

    def _should_sha256_sign_payload(self, request: Any) -> bool:
        if not request.url.startswith("https"):
            return True
        return bool(request.context.get("payload_signing_enabled", True))

    def _should_add_content_sha256_header(self, explicit_payload: Optional[str]) -> bool:
        return explicit_payload is not None

    # --- signing ------------------------------------------------------------------------------
    def add_auth(self, request: Any) -> None:
        _register_feature_id("SIGV4A_SIGNING")
        if self.credentials is None:
            raise NoCredentialsError()
        amz_date = _clock.amz_date()
        existing_sha256 = self._get_existing_sha256(request)
        self._modify_request_before_signing(request)
        if self._is_streaming_checksum_payload(request):
            explicit: Optional[str] = _auth.STREAMING_UNSIGNED_PAYLOAD_TRAILER
        elif self._should_sha256_sign_payload(request):
            explicit = existing_sha256 or None
        else:
            explicit = _auth.UNSIGNED_PAYLOAD
        add_sha256 = self._should_add_content_sha256_header(explicit)
        payload = explicit if explicit is not None else self._hash_body(request)
        self._sign(request, amz_date, payload, add_sha256)

    @staticmethod
    def _hash_body(request: Any) -> str:
        # The CRT hashes the whole stream from its start, and leaves it rewound.
        body = request.body
        if not body:
            return _auth.EMPTY_SHA256_HASH
        if not hasattr(body, "seek"):
            body = BytesIO(body)
        hasher = _native.PayloadHasher()
        body.seek(0)
        for chunk in iter(lambda: body.read(_auth.PAYLOAD_BUFFER), b""):
            hasher.update(chunk)
        body.seek(0)
        return hasher.hexdigest()

    def _crt_target(self, request: Any) -> Tuple[str, str]:
        """The path and query the CRT is given (botocore's ``_crt_request_from_aws_request``)."""
        parts = urlsplit(request.url)
        path = parts.path or "/"
        if request.params:
            query = "&".join(f"{key}={value}" for key, value in request.params.items())
        else:
            query = parts.query
        return path, query

    def _header_pairs(self, request: Any) -> List[Tuple[str, str]]:
        # awscrt's HttpHeaders trims spaces and tabs around each value.
        pairs = [(name, value.strip(_HTTP_TRIM)) for name, value in request.headers.items()]
        for name, _ in pairs:
            if name.lower() in _CRT_FORBIDDEN_HEADERS:
                raise SigV4aSigningError(
                    f"header {name!r} is set by the signer and must not be in the request "
                    "(botocore's CRT signer refuses it too)")
        return pairs

    def _signed(self, pairs: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
        return [(name.lower(), _crt_value(value)) for name, value in pairs
                if self._should_sign_header(name) and name.lower() not in _CRT_SKIPPED]

    def _core(self, request: Any, amz_date: str, query: str, path: str,
              signed: List[Tuple[str, str]], payload: str) -> Tuple[str, str, str, str]:
        creds = self.credentials
        return _native.botocore_sign_v4a(
            creds.access_key, creds.secret_key, self._region_name, self._service_name, amz_date,
            request.method, path, query, signed, payload, self._S3)

    def _sign(self, request: Any, amz_date: str, payload: str, add_sha256: bool) -> None:
        path, query = self._crt_target(request)
        _check_target(path, query)
        pairs = self._header_pairs(request)
        added: List[Tuple[str, str]] = []
        token = self.credentials.token
        if token:
            added.append(("X-Amz-Security-Token", token))
        added.append(("X-Amz-Date", amz_date))
        added.append(("X-Amz-Region-Set", self._region_name))
        if add_sha256:
            added.append(("x-amz-content-sha256", payload))
        signed = self._signed(pairs) + [(name.lower(), _crt_value(value)) for name, value in added]
        signature, signed_headers, _, _ = self._core(request, amz_date, query, path, signed, payload)
        scope = f"{self.credentials.access_key}/{amz_date[:8]}/{self._service_name}/aws4_request"
        added.append(("Authorization",
                      f"{_ALGORITHM} Credential={scope}, SignedHeaders={signed_headers}, Signature={signature}"))
        request.headers = HTTPHeaders.from_pairs(pairs + added)


def _check_target(path: str, query: str) -> None:
    # The CRT parses the path and query it is given as a URI: a first ':' followed by '/' starts
    # a scheme, so "/a://b/c" is signed as the path "/c" of host "b" (a signature the server
    # rejects) and "/a:/b" is refused. Refused here in both cases, never signed differently.
    target = f"{path}?{query}"
    colon = target.find(":")
    if colon >= 0 and target[colon + 1:colon + 2] == "/":
        raise SigV4aSigningError(
            "the URL's path or query has ':' followed by '/' (first ':'): botocore's CRT signer reads "
            "it as a URI scheme and signs another path or fails; percent-encode the ':' (%3A)")
    if query:
        _check_params(query)


def _check_params(query: str) -> None:
    if _BAD_ESCAPE.search(query):
        raise SigV4aSigningError(
            "the query has a '%' not followed by two hex digits: botocore's CRT signer refuses it "
            "(AWS_ERROR_MALFORMED_INPUT_STRING); write a literal '%' as %25")
    for piece in query.split("&"):
        key = unquote(piece.partition("=")[0])  # the CRT compares the decoded name
        if key.lower() in _CRT_FORBIDDEN_PARAMS:
            raise SigV4aSigningError(
                f"query parameter {key!r} is set by the signer and must not be in the request "
                "(botocore's CRT signer refuses it too)")


class S3SigV4aAuth(SigV4aAuth):
    """botocore's ``s3v4a`` signer (``CrtS3SigV4AsymAuth``) signing through the core."""

    _S3 = True

    def _get_existing_sha256(self, request: Any) -> Optional[str]:
        return None

    def _should_sha256_sign_payload(self, request: Any) -> bool:
        s3_config = getattr(request.context.get("client_config"), "s3", None) or {}
        sign_payload = s3_config.get("payload_signing_enabled", None)
        if sign_payload is not None:
            return bool(sign_payload)
        if not request.url.startswith("https") or "Content-MD5" not in request.headers:
            return True
        if request.context.get("has_streaming_input", False):
            return False
        return super()._should_sha256_sign_payload(request)

    def _should_add_content_sha256_header(self, explicit_payload: Optional[str]) -> bool:
        return True


class S3SigV4aQueryAuth(S3SigV4aAuth):
    """botocore's ``s3v4a-query`` presigner (``CrtS3SigV4AsymQueryAuth``) signing through the core."""

    DEFAULT_EXPIRES = 3600

    def __init__(self, credentials: Any, service_name: str, region_name: str,
                 expires: int = DEFAULT_EXPIRES) -> None:
        super().__init__(credentials, service_name, region_name)
        self._expiration_in_seconds = expires

    def _modify_request_before_signing(self, request: Any) -> None:
        super()._modify_request_before_signing(request)
        if request.headers.get("content-type") == "application/x-www-form-urlencoded; charset=utf-8":
            del request.headers["content-type"]
        url_parts = urlsplit(request.url)
        query_dict: Dict[str, Any] = {k: v[0] for k, v in parse_qs(url_parts.query, keep_blank_values=True).items()}
        if request.data:
            query_dict.update(_auth._get_body_as_dict(request))
            request.data = ""
        p = url_parts
        request.url = urlunsplit((p[0], p[1], p[2], percent_encode_sequence(query_dict), p[4]))

    def _should_sha256_sign_payload(self, request: Any) -> bool:
        return False

    def _should_add_content_sha256_header(self, explicit_payload: Optional[str]) -> bool:
        return False

    def _sign(self, request: Any, amz_date: str, payload: str, add_sha256: bool) -> None:
        path, query = self._crt_target(request)
        _check_target(path, query)
        pairs = self._header_pairs(request)
        signed = self._signed(pairs)
        signed_names = ";".join(sorted({name for name, _ in signed}))
        creds = self.credentials
        scope = f"{creds.access_key}/{amz_date[:8]}/{self._service_name}/aws4_request"
        auth = [("X-Amz-Algorithm", _ALGORITHM), ("X-Amz-Credential", scope), ("X-Amz-Date", amz_date),
                ("X-Amz-SignedHeaders", signed_names)]
        if self._expiration_in_seconds:
            auth.append(("X-Amz-Expires", str(self._expiration_in_seconds)))
        if creds.token:
            auth.append(("X-Amz-Security-Token", creds.token))
        auth.append(("X-Amz-Region-Set", self._region_name))
        added = "&".join(f"{_native.uri_encode(k)}={_native.uri_encode(v)}" for k, v in auth)
        full = f"{query}&{added}" if query else added
        signature, signed_headers, _, _ = self._core(request, amz_date, full, path, signed, payload)
        if signed_headers != signed_names:  # X-Amz-SignedHeaders must name what the core signed
            raise SigV4aSigningError(f"internal: signed {signed_headers!r}, announced {signed_names!r}")
        p = urlsplit(request.url)
        request.url = urlunsplit((p[0], p[1], p[2], f"{full}&X-Amz-Signature={signature}", p[4]))
        request.headers = HTTPHeaders.from_pairs(pairs)


#: The SigV4a signature versions ``install()`` adds, as botocore's CRT registers them.
V4A_SIGNERS: Dict[str, type] = {
    "v4a": SigV4aAuth,
    "s3v4a": S3SigV4aAuth,
    "s3v4a-query": S3SigV4aQueryAuth,
}
