"""botocore as the reference implementation: its own signers, driven step by step at a fixed time."""

from __future__ import annotations

from typing import Iterable, Optional, Sequence, Tuple
from urllib.parse import quote, unquote

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

S3_SERVICES = {"s3", "s3-object-lambda", "s3-outposts", "s3express"}


def s3_documented_path(path: str) -> str:
    """S3's documented canonical path: each segment encoded exactly once (upper-case hex).

    botocore signs S3 paths verbatim (a raw ``$`` stays ``$``), which is not what AWS computes;
    callers hand botocore this form instead.
    """
    return "/".join(quote(unquote(segment), safe="-_.~") for segment in path.split("/"))


def botocore_sign(
    service: str,
    method: str,
    url: str,
    params: Sequence[Tuple[str, str]],
    headers: Iterable[Tuple[str, str]],
    body: bytes,
    amz_date: str,
    akid: str,
    secret: str,
    token: Optional[str] = None,
    region: str = "us-east-1",
    expires: Optional[int] = None,
) -> Tuple[str, str]:
    """(canonical request, signature) as botocore computes them for this request.

    ``url`` carries scheme, host and path (no query); ``params`` the decoded query pairs.
    """
    creds = Credentials(akid, secret, token)
    s3 = service in S3_SERVICES
    if expires is None:
        auth = (S3SigV4Auth if s3 else SigV4Auth)(creds, service, region)
    else:
        auth = (S3SigV4QueryAuth if s3 else SigV4QueryAuth)(creds, service, region, expires=expires)
    request = AWSRequest(method=method, url=url, data=body)
    request.params = list(params) if expires is None else dict(params)
    for name, value in headers:
        request.headers[name] = value  # HTTPHeaders appends: repeated names stay repeated
    request.context["timestamp"] = amz_date
    auth._modify_request_before_signing(request)
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    return canonical, signature
