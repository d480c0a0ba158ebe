"""Exceptions of ``sigv4``: one base class, ``.code`` from the core's stable error codes."""

from __future__ import annotations

from typing import Dict, Optional, Type

__all__ = [
    "Error",
    "InvalidArgumentError",
    "InvalidCredentialsError",
    "InvalidScopeError",
    "InvalidRequestError",
    "InvalidHeaderError",
    "InvalidExpiryError",
    "InvalidPayloadHashError",
    "InvalidTimestampError",
    "InvalidOptionError",
    "VerificationError",
    "StreamingError",
]


class Error(ValueError):
    """Base class of every error raised by ``sigv4``.

    ``code`` is a stable string (``"InvalidRegion"``, ``"InvalidUrl"``, ``"SignatureDoesNotMatch"``,
    ...), ``argument`` names the rejected argument for input errors (or is None). The message says
    what to fix and never contains a secret.
    """

    code: str
    argument: Optional[str]

    def __init__(self, message: str, code: str = "Error", argument: Optional[str] = None) -> None:
        super().__init__(message)
        self.code = code
        self.argument = argument

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, code={self.code!r})"


class InvalidArgumentError(Error):
    """A bad argument to a signing call (the request is not signed)."""


class InvalidCredentialsError(InvalidArgumentError):
    """Access key id or secret missing or malformed, or no credentials found (code ``InvalidCredentials``)."""


class InvalidScopeError(InvalidArgumentError):
    """Region or service empty or malformed (codes ``InvalidRegion``, ``InvalidService``)."""


class InvalidRequestError(InvalidArgumentError):
    """Method or URL malformed, or body not UTF-8 where text is needed (``InvalidMethod``, ``InvalidUrl``, ``InvalidUtf8``)."""


class InvalidHeaderError(InvalidArgumentError):
    """A header name that is not an HTTP token, or a value with CR, LF or NUL (``InvalidHeaderName``, ``InvalidHeaderValue``)."""


class InvalidExpiryError(InvalidArgumentError):
    """Presign ``expires_in`` outside 1..604800 seconds (``InvalidExpiry``)."""


class InvalidPayloadHashError(InvalidArgumentError):
    """``payload_hash`` or ``x-amz-content-sha256`` not 64 hex digits or a sentinel (``InvalidPayloadHash``)."""


class InvalidTimestampError(InvalidArgumentError):
    """A timestamp that cannot be read, is naive, or is out of range (``InvalidTimestamp``)."""


class InvalidOptionError(InvalidArgumentError):
    """An unknown option, a bad option value, or options that contradict each other (``InvalidOption``)."""


class VerificationError(Error):
    """A request that failed verification (raised by ``Verifier.verify``).

    ``code`` is AWS's (``MissingAuthenticationToken``, ``SignatureDoesNotMatch``, ``RequestExpired``,
    ...), or for a request that is not valid HTTP the input code (``InvalidUrl``,
    ``InvalidHeaderValue``, ``InvalidHeaderName``, ``InvalidPayloadHash``); ``is_malformed`` tells
    these apart and ``status`` is the HTTP status to answer with (the core's table, as in every language). For ``SignatureDoesNotMatch``, ``canonical_request``
    and ``string_to_sign`` are what the verifier computed (compare them with the client's);
    otherwise they are None. The message says what to fix and never contains a secret.
    """

    canonical_request: Optional[str]
    string_to_sign: Optional[str]

    def __init__(
        self,
        message: str,
        code: str = "Error",
        argument: Optional[str] = None,
        canonical_request: Optional[str] = None,
        string_to_sign: Optional[str] = None,
    ) -> None:
        super().__init__(message, code, argument)
        self.canonical_request = canonical_request
        self.string_to_sign = string_to_sign

    @property
    def status(self) -> int:
        """The HTTP status to answer with (the core's table: 400 for a malformed request, 403 otherwise)."""
        from ._native import error_answer

        return error_answer(self.code, "")[0]

    @property
    def is_malformed(self) -> bool:
        """True when the request is not valid HTTP (a bad URL, header, hash or chunk), not an auth failure."""
        return self.status == 400


class StreamingError(Error):
    """An aws-chunked body that is malformed or carries a wrong chunk signature (``InvalidChunk``)."""


_BY_CODE: Dict[str, Type[Error]] = {
    "InvalidCredentials": InvalidCredentialsError,
    "InvalidRegion": InvalidScopeError,
    "InvalidService": InvalidScopeError,
    "InvalidMethod": InvalidRequestError,
    "InvalidUrl": InvalidRequestError,
    "InvalidUtf8": InvalidRequestError,
    "InvalidHeaderName": InvalidHeaderError,
    "InvalidHeaderValue": InvalidHeaderError,
    "InvalidExpiry": InvalidExpiryError,
    "InvalidPayloadHash": InvalidPayloadHashError,
    "InvalidTimestamp": InvalidTimestampError,
    "InvalidOption": InvalidOptionError,
    "InvalidChunk": StreamingError,
}


def _from_verify(
    code: str,
    argument: Optional[str],
    message: str,
    canonical_request: Optional[str],
    string_to_sign: Optional[str],
) -> VerificationError:
    """Builds the exception for a failed verification (called by the native module)."""
    return VerificationError(message, code, argument, canonical_request, string_to_sign)


def _from_native(code: str, argument: Optional[str], message: str) -> Error:
    """Builds the exception for a core error (called by the native module)."""
    cls = _BY_CODE.get(code, VerificationError)
    return cls(message, code, argument)
