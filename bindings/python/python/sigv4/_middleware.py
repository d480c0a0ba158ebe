"""What the WSGI and ASGI middleware share: their settings, the AWS-style error answer and the denial
report.

Reading the request (target, headers) is native: ``sigv4._native`` with the core's HTTP rules.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Callable, List, Optional, Tuple

from ._errors import VerificationError
from ._forwarded import trusted_list
from ._native import Verifier
from ._native import error_answer as _native_answer

__all__ = ["DEFAULT_MAX_BODY", "IDENTITY_KEY", "error_answer", "report_denied"]

#: The logger denials go to: INFO the request line, code and message; DEBUG the server's canonical
#: request (session token redacted, as botocore does) and string to sign for a mismatch.
logger = logging.getLogger("sigv4")

_TOKEN_LINE = re.compile(r"(?im)^(x-amz-security-token:).*$")
_TOKEN_PARAM = re.compile(r"(?i)(x-amz-security-token=)[^&\n]*")

#: ``on_denied(error, request)``: called for every refused request (``request`` is the WSGI environ
#: or the ASGI scope).
OnDenied = Callable[[VerificationError, Any], None]


def _redact(text: str) -> str:
    return _TOKEN_PARAM.sub(r"\1** redacted **", _TOKEN_LINE.sub(r"\1** redacted **", text))


def report_denied(
    error: VerificationError, method: str, target: str, request: Any, on_denied: Optional[OnDenied]
) -> None:
    """Logs a refused request on the ``sigv4`` logger and calls ``on_denied(error, request)``.

    Never logs a secret (messages carry none; the session token is redacted from the canonical
    request). An exception in the hook is logged, not raised: the client still gets its answer.
    """
    if logger.isEnabledFor(logging.INFO):
        logger.info("denied %s %s: %s: %s", method, target, error.code, error)
    if error.canonical_request is not None and logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "canonical request:\n%s\nstring to sign:\n%s", _redact(error.canonical_request), error.string_to_sign
        )
    if on_denied is not None:
        try:
            on_denied(error, request)
        except Exception:  # noqa: BLE001 - a broken hook must not turn a 403 into a crash
            logger.exception("on_denied hook failed")


#: Largest body the middleware reads into memory to verify (bytes); larger requests get 413.
DEFAULT_MAX_BODY = 16 * 1024 * 1024

#: Where the verified identity goes: ``environ[IDENTITY_KEY]`` (WSGI), ``scope[IDENTITY_KEY]`` (ASGI).
IDENTITY_KEY = "sigv4.identity"

def error_answer(
    error: VerificationError, explain_mismatch: bool = False
) -> Tuple[int, List[Tuple[str, str]], bytes]:
    """Status, headers and JSON body for a failed verification, shaped like AWS's JSON errors.

    The status and body come from the core (the same answer as the Node and C servers): 403 for
    authentication failures, 400 for requests that are not valid HTTP. With ``explain_mismatch`` a
    ``SignatureDoesNotMatch`` answer also carries the canonical request and string to sign the
    server computed (as S3 does), which helps clients find their mistake.
    """
    explain = explain_mismatch and error.canonical_request is not None
    status, content_type, text = _native_answer(
        error.code,
        str(error),
        error.canonical_request if explain else None,
        error.string_to_sign if explain else None,
    )
    body = text.encode("utf-8")
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("x-amzn-ErrorType", error.code),
    ]
    return status, headers, body


def too_large(max_body: int) -> Tuple[int, List[Tuple[str, str]], bytes]:
    """The 413 answer for a body over ``max_body``."""
    body = json.dumps(
        {"__type": "RequestEntityTooLarge", "message": f"the request body is larger than {max_body} bytes"}
    ).encode("utf-8")
    return 413, [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                 ("x-amzn-ErrorType", "RequestEntityTooLarge")], body


class MiddlewareSettings:
    """The settings of both middlewares (``sigv4.wsgi`` and ``sigv4.asgi`` ``SigV4Middleware``),
    checked and kept once; each adds its own verifying calls."""

    def __init__(
        self,
        app: Any,
        verifier: Verifier,
        max_body: int,
        clock: Optional[Callable[[], float]],
        explain_mismatch: bool,
        on_denied: Optional[OnDenied],
        trusted_proxies: Any,
    ) -> None:
        if not isinstance(verifier, Verifier):
            raise TypeError("verifier must be a sigv4.Verifier")
        self.app = app
        self.verifier = verifier
        self.max_body = max_body
        self.clock = clock
        self.explain_mismatch = explain_mismatch
        self.on_denied = on_denied
        # Behind a reverse proxy: whose X-Forwarded-Host/-Prefix to honour (sigv4._forwarded).
        self.trusted_proxies = trusted_list(trusted_proxies)
