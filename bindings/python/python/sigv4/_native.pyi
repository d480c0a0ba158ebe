"""Type stubs of the native module ``sigv4._native`` (the Rust core, through pyo3)."""

import datetime
from typing_extensions import Self, disjoint_base

from sigv4._errors import Error
from sigv4._streaming import ChunkedBody
from typing import IO, Any, Callable, Dict, Iterable, List, Mapping, MutableMapping, Optional, Tuple, Union, final

__all__ = [
    "Credentials", "Signer", "SignedRequest", "PayloadHasher", "Verifier", "VerifiedIdentity", "VerifiedStream", "TrustedProxies",
    "StreamingUpload", "uri_encode", "nonce_value", "NONCE_HEADER", "NONCE_BYTES", "sign_v4", "error_answer", "replay_verdict_of", "scope_has_body", "declared_signed_headers", "scope_target", "scope_headers", "wire_target", "environ_headers", "botocore_sign", "botocore_presign_s3", "botocore_sign_v4a", "botocore_sign_string", "EMPTY_SHA256", "__version__",
]

__version__: str
EMPTY_SHA256: str
NONCE_HEADER: str
NONCE_BYTES: int

# Names and values: str, or bytes holding UTF-8 (requests keeps header values as either).
_Text = Union[str, bytes]
_HeadersArg = Union[Mapping[str, str], Mapping[str, _Text], Iterable[Tuple[_Text, _Text]], None]
_BodyArg = Union[bytes, bytearray, memoryview, str, IO[bytes], IO[str], Iterable[bytes], Iterable[Union[bytes, str]], None]
_TimestampArg = Union[datetime.datetime, int, float, str, None]

@disjoint_base
class Credentials:
    """AWS credentials: access key id, secret, optional session token. ``repr()`` hides the secrets."""

    def __new__(cls, access_key_id: str, secret_access_key: str, session_token: Optional[str] = None) -> Self: ...
    @property
    def access_key_id(self) -> str: ...
    @property
    def secret_access_key(self) -> str: ...
    @property
    def session_token(self) -> Optional[str]: ...
    @property
    def access_key(self) -> str: ...
    @property
    def secret_key(self) -> str: ...
    @property
    def token(self) -> Optional[str]: ...

@final
class SignedRequest:
    """The result of a signing: what to send, and what was signed. Immutable."""

    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def header_list(self) -> List[Tuple[str, str]]: ...
    @property
    def added_headers(self) -> List[Tuple[str, str]]: ...
    @property
    def authorization(self) -> Optional[str]: ...
    @property
    def signature(self) -> str: ...
    @property
    def amz_date(self) -> str: ...
    @property
    def credential_scope(self) -> str: ...
    @property
    def signed_headers(self) -> str: ...
    @property
    def canonical_request(self) -> str: ...
    @property
    def string_to_sign(self) -> str: ...
    @property
    def payload_hash(self) -> str: ...

@final
class Signer:
    """Signs requests for one (credentials, region, service); options fixed at construction."""

    def __new__(
        cls,
        credentials: Any,
        region: str,
        service: str,
        *,
        payload: Optional[str] = ...,
        content_sha256_header: bool = ...,
        uri_encoding: str = ...,
        normalize_path: bool = ...,
        sign_session_token: bool = ...,
        unsigned_headers: Iterable[str] = ...,
        algorithm: str = ...,
    ) -> "Signer": ...
    def sign_streaming(
        self,
        method: str,
        url: str,
        decoded_length: int,
        chunk_size: Optional[int] = None,  # None: 65536 bytes
        headers: _HeadersArg = None,
        trailers: Optional[Iterable[Union[str, Tuple[str, int]]]] = None,
        timestamp: _TimestampArg = None,
        payload: Optional[str] = None,  # None: "streaming-signed"
    ) -> "StreamingUpload": ...
    def sign(
        self,
        method: str,
        url: str,
        headers: _HeadersArg = None,
        body: _BodyArg = None,
        timestamp: _TimestampArg = None,
        **options: Any,
    ) -> SignedRequest: ...
    def presign(
        self,
        method: str,
        url: str,
        expires_in: Optional[int] = None,  # None: 3600 seconds
        headers: _HeadersArg = None,
        body: _BodyArg = None,
        timestamp: _TimestampArg = None,
        **options: Any,
    ) -> SignedRequest: ...
    @property
    def region(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def credentials(self) -> Any: ...

@final
class PayloadHasher:
    """Incremental SHA-256 of a body (lowercase hex), for ``payload_hash=``."""

    def __new__(cls, data: Union[bytes, bytearray, memoryview, str, None] = None) -> "PayloadHasher": ...
    def update(self, data: Union[bytes, bytearray, memoryview, str]) -> None: ...
    def hexdigest(self) -> str: ...
    def copy(self) -> "PayloadHasher": ...

@final
class StreamingUpload:
    """A signed aws-chunked upload: headers to send and the encoder of the body."""

    @property
    def request(self) -> SignedRequest: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def header_list(self) -> List[Tuple[str, str]]: ...
    @property
    def url(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def seed_signature(self) -> str: ...
    @property
    def content_length(self) -> int: ...
    @property
    def decoded_length(self) -> int: ...
    @property
    def chunk_size(self) -> int: ...
    @property
    def bytes_written(self) -> int: ...
    def chunk(self, data: Union[bytes, bytearray, memoryview]) -> bytes: ...
    def final(self, trailers: _HeadersArg = None) -> bytes: ...
    def encode(self, source: Union[bytes, bytearray, memoryview, IO[bytes], Iterable[bytes]],
               trailers: _HeadersArg = None) -> ChunkedBody: ...

@final
class VerifiedIdentity:
    """Who signed a request that verified. Immutable, holds no secret."""

    @property
    def access_key_id(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def signed_headers(self) -> Tuple[str, ...]: ...
    @property
    def amz_date(self) -> str: ...
    @property
    def signing_time(self) -> datetime.datetime: ...
    @property
    def presigned(self) -> bool: ...
    @property
    def expires_at(self) -> Optional[datetime.datetime]: ...
    @property
    def session_token_used(self) -> bool: ...
    @property
    def payload_hash(self) -> str: ...
    @property
    def payload_signed(self) -> bool: ...
    @property
    def replay_key(self) -> str: ...
    def replay_ttl_ms(self, now: float) -> int: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def region_set(self) -> Optional[str]: ...

@final
class VerifiedStream:
    """A streaming (aws-chunked) upload whose headers verified: feed it the wire body."""
    def feed(self, data: Union[bytes, bytearray, memoryview]) -> bytes: ...
    def finish(self) -> Dict[str, str]: ...
    @property
    def identity(self) -> VerifiedIdentity: ...
    @property
    def decoded_length(self) -> int: ...
    @property
    def decoded_bytes(self) -> int: ...
    @property
    def done(self) -> bool: ...
    @property
    def trailer_names(self) -> List[str]: ...
    @property
    def content_encoding(self) -> str: ...

@final
class TrustedProxies:
    """An opt-in list of trusted proxies (addresses or CIDR blocks) and the core's forwarded-header rule."""
    def __new__(cls, proxies: Iterable[str]) -> "TrustedProxies": ...
    def resolve(self, peer: Optional[str], forwarded_host: Optional[str] = None,
                forwarded_prefix: Optional[str] = None) -> Tuple[Optional[str], str]: ...
    def trusts(self, peer: str) -> bool: ...

@final
class Verifier:
    """Checks SigV4 signatures of incoming requests for one service and a set of regions."""

    def __new__(
        cls,
        credentials: Any = None,
        region: Optional[str] = None,
        service: Optional[str] = None,  # None: "execute-api"
        *,
        regions: Optional[Iterable[str]] = None,
        max_skew: Optional[int] = None,
        max_expires: Optional[int] = None,
        must_sign_headers: Optional[Iterable[str]] = None,
        allow_unsigned_payload: Optional[bool] = None,
        replay_cache: Union[None, bool, int] = None,
        uri_encoding: Optional[str] = None,
        normalize_path: Optional[bool] = None,
        sign_session_token: Optional[bool] = None,
        allow_sigv4a: Optional[bool] = None,
        replay_store: Any = None,
        signing_keys: Optional[Callable[[str, str, str, str], Union[
            bytes, bytearray, memoryview, str, Tuple[Union[bytes, str], Optional[str]], None]]] = None,
    ) -> "Verifier": ...
    def verify(self, method: str, url: str, headers: _HeadersArg = None, body: _BodyArg = None,
               now: _TimestampArg = None) -> VerifiedIdentity: ...
    def verify_streaming(self, method: str, url: str, headers: _HeadersArg = None,
                         now: _TimestampArg = None) -> VerifiedStream: ...
    def verify_raw(self, method: str, path: Union[bytes, str], query: Union[bytes, str],
                   headers: Iterable[Union[Tuple[bytes, bytes], List[bytes]]], body: _BodyArg = None,
                   now: _TimestampArg = None) -> VerifiedIdentity:
        """Verifies a request as an ASGI server hands it over (raw path, query, header byte pairs)."""
        ...
    def verify_scope(self, scope: MutableMapping[str, Any], body: _BodyArg = None,
                     now: _TimestampArg = None) -> VerifiedIdentity:
        """Verifies a request from an ASGI http scope (method, raw path, query, header pairs)."""
        ...
    def verify_bodiless_scope(self, scope: MutableMapping[str, Any],
                              now: _TimestampArg = None) -> Optional[VerifiedIdentity]:
        """Verifies an ASGI http scope of an HTTP/1 request announcing no body; None (nothing
        verified) when the request may carry one: read it and call ``verify_scope``."""
        ...
    def verify_environ(self, environ: MutableMapping[str, Any], body: _BodyArg = None,
                       now: _TimestampArg = None) -> VerifiedIdentity:
        """Verifies a request from a WSGI environ (method, raw target, ``HTTP_*`` headers)."""
        ...
    def verify_many(self, requests: Iterable[Union[Mapping[str, Any], Tuple[Any, ...]]],
                    now: _TimestampArg = None, *,
                    threads: Optional[int] = None) -> List[Union[VerifiedIdentity, Error]]:
        """Verifies many requests on several threads (GIL released): one result per request, in
        order, a ``VerifiedIdentity`` or the error (returned, not raised); replay checks in order."""
        ...
    @property
    def regions(self) -> List[str]: ...
    @property
    def service(self) -> str: ...
    @property
    def replay_cache_len(self) -> int: ...

def uri_encode(text: str) -> str: ...
def nonce_value(random: bytes) -> str: ...
def replay_verdict_of(outcome: Union[bool, str], fail_open: bool) -> None: ...
def sign_v4(
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
    method: str,
    uri: str,
    query_params: Optional[Iterable[Tuple[str, str]]] = None,
    headers: _HeadersArg = None,
    payload: Union[bytes, bytearray, memoryview, str, None] = None,
    timestamp: _TimestampArg = None,
    session_token: Optional[str] = None,
) -> SignedRequest:
    """The core's one-call signing (``sigv4.sign_v4`` turns the result into its dict)."""
    ...
def error_answer(
    code: str,
    message: str,
    canonical_request: Optional[str] = None,
    string_to_sign: Optional[str] = None,
    xml: bool = False,
) -> Tuple[int, str, str]:
    """(status, content_type, body) of the core's answer to a failed verification with ``code``."""
    ...
def scope_has_body(scope: MutableMapping[str, Any]) -> bool:
    """Whether an ASGI http scope's headers announce a body (Content-Length other than 0, Transfer-Encoding)."""
    ...
def declared_signed_headers(authorization: Optional[str], query: str) -> Optional[List[str]]:
    """The header names a request declares signed (the Authorization header's SignedHeaders, else
    the query's X-Amz-SignedHeaders), as the verifier reads them; None when it declares none."""
    ...
def scope_target(scope: MutableMapping[str, Any], *, strict: bool = False) -> str:
    """The request target of an ASGI http scope as the client sent it (raw_path as UTF-8; else
    latin-1, or with ``strict`` the verifier's refusal: VerificationError InvalidUrl, as for a
    target that is not ``/path?query``)."""
    ...
def scope_headers(scope: MutableMapping[str, Any]) -> List[Tuple[str, str]]:
    """The headers of an ASGI http scope as (name, value) str pairs, in order."""
    ...
def wire_target(environ: MutableMapping[str, Any], *, strict: bool = False) -> str:
    """The request target of a WSGI environ as the client sent it (REQUEST_URI/RAW_URI, else
    re-quoted); ``strict`` refuses what the verifier refuses (VerificationError InvalidUrl)."""
    ...
def environ_headers(environ: MutableMapping[str, Any]) -> List[Tuple[str, str]]:
    """The headers of a WSGI environ (HTTP_*, CONTENT_TYPE, CONTENT_LENGTH) as (name, value) str pairs."""
    ...
def botocore_sign(
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
    amz_date: str,
    method: str,
    path: str,
    query: str,
    params: Optional[List[Tuple[str, str]]],
    headers: List[Tuple[str, str]],
    payload: str,
    s3: bool,
) -> Tuple[str, str]:
    """``(signature, signed_headers)`` of a request as botocore's SigV4 signers sign it (the native
    half of ``sigv4.botocore``): S3 paths and URL queries as given, ``params`` encoded."""
    ...
def botocore_presign_s3(
    url: str, method: str, access_key: str, secret_key: str, token: Optional[str], region: str, service: str,
    expires: str, amz_date: str, payload: str,
) -> Optional[str]:
    """The URL botocore's S3 presigner makes of a request without headers, params or body and a plain
    URL, or None for any other URL."""
    ...
def botocore_sign_v4a(
    access_key: str,
    secret_key: str,
    region_set: str,
    service: str,
    amz_date: str,
    method: str,
    path: str,
    query: str,
    headers: List[Tuple[str, str]],
    payload: str,
    s3: bool,
) -> Tuple[str, str, str, str]:
    """``(signature, signed_headers, canonical_request, string_to_sign)`` of a request as botocore's
    CRT SigV4a signers sign it (the native half of ``sigv4.botocore``'s ``v4a`` signers)."""
    ...
def botocore_sign_string(access_key: str, secret_key: str, region: str, service: str, amz_date: str,
                         text: str) -> str:
    """The SigV4 HMAC (hex) of ``text`` under the day's signing key: botocore's
    ``SigV4Auth.signature``, as its S3 POST presigners apply it to the base64 policy."""
    ...
