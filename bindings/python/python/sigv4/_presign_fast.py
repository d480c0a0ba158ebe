"""``sigv4.botocore.generate_presigned_url``: boto3's presigned S3 URLs without its per-call pipeline.

``client.generate_presigned_url`` runs the whole request pipeline for every URL (parameter
handlers, endpoint rules, serialisation, signing): most of its cost. For one client, method,
bucket, set of other parameters and expiry, only the key, the time and the signature change from
one URL to the next. So the first call of such a combination goes through boto3, and its URL
becomes a template: what precedes the key in the path, the operation's query parameters, the host
and the signing region. Before the template is used it must reproduce that first URL byte for
byte (same time, same credentials); if it does not, that combination keeps going through boto3.
The signature is computed by the core with botocore's S3 presigning rules.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from botocore import auth as _auth
from botocore.utils import percent_encode

from . import _native

_FALLBACK = object()
_ALGORITHM = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
_CACHE_ATTR = "_sigv4_presign_templates"


class _Template:
    __slots__ = ("origin", "prefix", "query", "host", "region", "service", "method", "expires")

    def __init__(self, origin: str, prefix: str, query: str, host: str, region: str, service: str,
                 method: str, expires: str) -> None:
        self.origin = origin  # scheme://netloc
        self.prefix = prefix  # the path before the encoded key
        self.query = query  # the operation's parameters, '&'-terminated, or ''
        self.host = host
        self.region = region
        self.service = service
        self.method = method
        self.expires = expires  # as botocore writes X-Amz-Expires

    def url(self, key: str, creds: Any, amz_date: str) -> str:
        path = self.prefix + percent_encode(key, safe="/~")
        scope = f"{creds.access_key}/{amz_date[:8]}/{self.region}/{self.service}/aws4_request"
        query = (
            f"{self.query}{_ALGORITHM}{_native.uri_encode(scope)}&X-Amz-Date={amz_date}"
            f"&X-Amz-Expires={self.expires}&X-Amz-SignedHeaders=host"
        )
        if creds.token is not None:
            query += "&X-Amz-Security-Token=" + _native.uri_encode(creds.token)
        signature, _ = _native.botocore_sign(
            creds.access_key, creds.secret_key, self.region, self.service, amz_date, self.method,
            path, query, None, [("host", self.host)], _auth.UNSIGNED_PAYLOAD, True,
        )
        return f"{self.origin}{path}?{query}&X-Amz-Signature={signature}"


def _learn(client: Any, client_method: str, url: str, key: str, creds: Any) -> Optional[_Template]:
    """The template of boto3's ``url`` for ``key``, or None when it does not have the expected shape."""
    head, sep, query = url.partition("?")
    scheme, _, rest = head.partition("://")
    netloc, slash, path = rest.partition("/")
    path = slash + path
    encoded = percent_encode(key, safe="/~")
    start = query.find(_ALGORITHM)
    if not sep or not path.endswith(encoded) or start < 0 or (start and query[start - 1] != "&"):
        return None
    fields = dict(p.partition("=")[::2] for p in query[start:].split("&"))
    scope = fields.get("X-Amz-Credential", "").split("%2F")
    amz_date = fields.get("X-Amz-Date", "")
    if (len(scope) != 5 or fields.get("X-Amz-SignedHeaders") != "host"
            or ("X-Amz-Security-Token" in fields) != (creds.token is not None)):
        return None
    op_name = client._PY_TO_OP_NAME[client_method]
    method = client.meta.service_model.operation_model(op_name).http["method"]
    template = _Template(
        f"{scheme}://{netloc}", path[: len(path) - len(encoded)], query[:start],
        _auth._host_from_url(url), scope[2], scope[3], method, fields.get("X-Amz-Expires", ""),
    )
    # The template must give back boto3's own URL before it is trusted.
    return template if template.url(key, creds, amz_date) == url else None


def generate_presigned_url(client: Any, client_method: str, params: Optional[Dict[str, Any]] = None,
                           expires_in: int = 3600) -> str:
    """The URL ``client.generate_presigned_url(client_method, Params=params, ExpiresIn=expires_in)``
    returns, made without boto3's per-call pipeline when only ``Key`` changes between calls.

    For S3 clients; any other client, a call without a string ``Key``, or parameters that are
    not hashable go through boto3 every time."""
    params = {} if params is None else params

    def boto3() -> str:
        return client.generate_presigned_url(client_method, Params=params, ExpiresIn=expires_in)

    key = params.get("Key")
    signer = getattr(client, "_request_signer", None)
    credentials = getattr(signer, "_credentials", None)
    if (not isinstance(key, str) or credentials is None
            or client.meta.service_model.service_name != "s3"):
        return boto3()
    try:
        others: Tuple[Any, ...] = tuple(sorted((k, v) for k, v in params.items() if k != "Key"))
        index = (client_method, expires_in, others)
        templates = client.__dict__.setdefault(_CACHE_ATTR, {})
        template = templates.get(index)
    except TypeError:  # unhashable or unorderable parameters
        return boto3()
    if template is _FALLBACK:
        return boto3()
    if template is None:
        url = boto3()
        learned = _learn(client, client_method, url, key, credentials.get_frozen_credentials())
        templates[index] = learned if learned is not None else _FALLBACK
        return url
    creds = credentials.get_frozen_credentials()
    amz_date = _auth.get_current_datetime().strftime(_auth.SIGV4_TIMESTAMP)
    return template.url(key, creds, amz_date)
