"""The expected values of tests/behaviour/one_call.json, computed by botocore (not by libsigv4).

The one-call signing (C ``sigv4_sign_v4``, Python ``sigv4.sign_v4``, Node ``signV4``, Rust
``sigv4::sign_v4``) takes KumoMTA's ``aws_sign_v4`` parameters and applies the service's defaults.
What those defaults are is decided here by botocore's own signers: ``SigV4Auth`` for every service
but the S3 family, ``S3SigV4Auth`` (which adds and signs ``X-Amz-Content-SHA256``, as aws4 does for
``service: 's3'``) for it. Every language's test runner reads the JSON; the Python suite also runs
this module again and checks the committed file still equals botocore's answers.

    python tests/behaviour/one_call_botocore.py      # rewrites one_call.json
"""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any, Dict, List
from unittest import mock

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = pathlib.Path(__file__).resolve().parent
TABLE = HERE / "one_call.json"

S3_FAMILY = {"s3", "s3-object-lambda", "s3-outposts", "s3express"}
AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/with+slash=="

# The inputs, one per behaviour worth pinning. `uri` is the wire path (no query), `query_params`
# the raw pairs the one call encodes, `payload` UTF-8 text.
CASES: List[Dict[str, Any]] = [
    {
        "name": "s3-get-object-adds-content-sha256",
        "service": "s3",
        "method": "GET",
        "host": "examplebucket.s3.amazonaws.com",
        "uri": "/photos/2024/cat.jpg",
        "query_params": [["versionId", "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"]],
        "headers": [["Range", "bytes=0-9"]],
        "payload": "",
    },
    {
        "name": "s3-put-object-with-session-token",
        "service": "s3",
        "method": "PUT",
        "host": "examplebucket.s3.amazonaws.com",
        "uri": "/test%24file.text",
        "query_params": [],
        "headers": [["Content-Type", "text/plain"], ["x-amz-storage-class", "REDUCED_REDUNDANCY"]],
        "payload": "Welcome to Amazon S3.",
        "session_token": TOKEN,
    },
    {
        "name": "s3-path-kept-as-given",
        "service": "s3",
        "method": "GET",
        "host": "s3.us-east-1.amazonaws.com",
        "uri": "/examplebucket/a//b/./c",
        "query_params": [["list-type", "2"], ["prefix", "a b"]],
        "headers": [],
        "payload": "",
    },
    {
        "name": "sns-post-form-query-encoded",
        "service": "sns",
        "method": "POST",
        "host": "sns.us-east-1.amazonaws.com",
        "uri": "/",
        "query_params": [["a b", "c+d"], ["e", "f/g~h"]],
        "headers": [["Content-Type", "application/x-www-form-urlencoded"]],
        "payload": "Action=Publish&Message=Hello&TopicArn=arn:aws:sns:us-east-1:123456789012:MyTopic",
    },
    {
        "name": "execute-api-path-normalised-and-double-encoded",
        "service": "execute-api",
        "method": "GET",
        "host": "abc123.execute-api.us-east-1.amazonaws.com",
        "uri": "/prod/items/../orders/a%20b",
        "query_params": [],
        "headers": [],
        "payload": "",
    },
    {
        "name": "dynamodb-json-with-session-token-signed",
        "service": "dynamodb",
        "method": "POST",
        "host": "dynamodb.us-east-1.amazonaws.com",
        "uri": "/",
        "query_params": [],
        "headers": [
            ["Content-Type", "application/x-amz-json-1.0"],
            ["X-Amz-Target", "DynamoDB_20120810.GetItem"],
        ],
        "payload": '{"TableName":"t","Key":{"id":{"S":"1"}}}',
        "session_token": TOKEN,
    },
    {
        "name": "sts-get-query-sorted",
        "service": "sts",
        "method": "GET",
        "host": "sts.amazonaws.com",
        "uri": "/",
        "query_params": [["Version", "2011-06-15"], ["Action", "GetCallerIdentity"]],
        "headers": [],
        "payload": "",
    },
]

AMZ_DATE = "20240102T030405Z"
REGION = "us-east-1"


def botocore_expected(case: Dict[str, Any]) -> Dict[str, Any]:
    """What botocore sends for ``case``: Authorization, the headers it adds, and its intermediates."""
    token = case.get("session_token")
    creds = Credentials(AKID, SECRET, token)
    auth_class = S3SigV4Auth if case["service"] in S3_FAMILY else SigV4Auth
    auth = auth_class(creds, case["service"], REGION)
    request = AWSRequest(
        method=case["method"],
        url=f"https://{case['host']}{case['uri']}",
        data=case["payload"].encode("utf-8"),
    )
    request.params = [tuple(p) for p in case["query_params"]]
    request.headers["host"] = case["host"]
    for name, value in case["headers"]:
        request.headers[name] = value
    before = {name.lower() for name in request.headers.keys()}
    now = datetime.datetime.strptime(AMZ_DATE, "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        auth.add_auth(request)
    authorization = request.headers["Authorization"]
    canonical = auth.canonical_request(_without_authorization(request))
    string_to_sign = auth.string_to_sign(request, canonical)
    added = {
        name.lower(): value
        for name, value in request.headers.items()
        if name.lower() not in before and name.lower() != "authorization"
    }
    return {
        "authorization": authorization,
        "signature": authorization.rsplit("Signature=", 1)[1],
        "timestamp": request.context["timestamp"],
        "canonical_request": canonical,
        "string_to_sign": string_to_sign,
        "added_headers": dict(sorted(added.items())),
    }


def _without_authorization(request: AWSRequest) -> AWSRequest:
    """The request as it was signed (``Authorization`` is not signed: botocore adds it last)."""
    del request.headers["Authorization"]
    return request


def table() -> Dict[str, Any]:
    """The whole JSON document."""
    cases = []
    for case in CASES:
        params = {
            "access_key": AKID,
            "secret_key": SECRET,
            "region": REGION,
            "service": case["service"],
            "method": case["method"],
            "uri": case["uri"],
            "query_params": case["query_params"],
            "headers": [["host", case["host"]]] + case["headers"],
            "payload": case["payload"],
            "timestamp": AMZ_DATE,
        }
        if case.get("session_token"):
            params["session_token"] = case["session_token"]
        cases.append({"name": case["name"], "params": params, "expected": botocore_expected(case)})
    return {
        "_comment": (
            "One-call signing (sigv4_sign_v4 / sigv4.sign_v4 / signV4 / sigv4::sign_v4) per service: "
            "the parameters and what botocore's SigV4Auth (S3SigV4Auth for the S3 family) sends for "
            "them. Generated by one_call_botocore.py (never by libsigv4); read by core/tests/"
            "behaviour_one_call.rs, tests/c/one_call.c, the Python and the Node suites. "
            "added_headers: the headers signing adds besides Authorization (lower-case names)."
        ),
        "cases": cases,
    }


def render() -> str:
    """The JSON text as committed."""
    return json.dumps(table(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TABLE.write_text(render(), encoding="utf-8")
    print(f"wrote {TABLE}")
