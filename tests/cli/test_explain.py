"""`sigv4 explain` on AWS's SignatureDoesNotMatch answers, one case per named cause, each answer laid
out in a form AWS is documented or reported to use:

- S3 XML with <CanonicalRequest>, <StringToSign> and their ...Bytes hex forms: AWS S3's answer quoted
  in minio/minio#2986 and aws/aws-cli#4356 (also aws-amplify/aws-sdk-ios#2236, jcberquist/aws-cfml#9).
- API Gateway JSON {"message": "... The Canonical String for this request should have been\\n'...'\\n\\n
  The String-to-Sign should have been\\n'...'\\n"}: mhart/aws4#110, aws-samples/sigv4-signing-examples#14,
  amzn/selling-partner-api-docs#966 (errors[] form).
- OpenSearch (es) JSON message: xcir/libvmod-awsrest#8, opensearch-project/opensearch-ruby#141; the same
  message as plain text from an SDK error print-out: carsales/aws-request-signer#10, aws/aws-cli#1211.
- Query-protocol services (STS, SQS) ErrorResponse XML whose <Message> holds the same text:
  aws/aws-cli#5341 (SQS through the query protocol).

The expected cause of each case is the change the case makes to one side, not our own output.
"""

from __future__ import annotations

import hashlib
import json
import pathlib

import pytest

from conftest import base_env, run

EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def canonical(method="GET", path="/", query="", headers=(("host", "example.amazonaws.com"), ("x-amz-date", "20260102T030405Z")),
              payload=EMPTY) -> str:
    lines = [method, path, query, *[f"{n}:{v}" for n, v in headers], "", ";".join(n for n, _ in headers), payload]
    return "\n".join(lines)


def sts(cr: str, date="20260102T030405Z", scope="20260102/us-east-1/execute-api/aws4_request") -> str:
    return "\n".join(["AWS4-HMAC-SHA256", date, scope, hashlib.sha256(cr.encode()).hexdigest()])


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hex_bytes(text: str) -> str:
    return " ".join(f"{b:02x}" for b in text.encode())


def s3_xml(cr: str, st: str, with_bytes: bool = True, with_canonical: bool = True) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request '
             "signature we calculated does not match the signature you provided. Check your key and signing method."
             "</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>",
             f"<StringToSign>{xml_escape(st)}</StringToSign><SignatureProvided>{'0' * 64}</SignatureProvided>"]
    if with_bytes:
        parts.append(f"<StringToSignBytes>{hex_bytes(st)}</StringToSignBytes>")
    if with_canonical:
        parts.append(f"<CanonicalRequest>{xml_escape(cr)}</CanonicalRequest>")
        if with_bytes:
            parts.append(f"<CanonicalRequestBytes>{hex_bytes(cr)}</CanonicalRequestBytes>")
    parts.append("<RequestId>4442587FB7D0A2F9</RequestId><HostId>x</HostId></Error>")
    return "".join(parts)


MESSAGE = ("The request signature we calculated does not match the signature you provided. Check your AWS Secret "
           "Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String "
           "for this request should have been\n'{cr}'\n\nThe String-to-Sign should have been\n'{st}'\n")


def json_message(cr: str, st: str) -> str:
    return json.dumps({"message": MESSAGE.format(cr=cr, st=st)})


def json_errors(cr: str, st: str) -> str:
    return json.dumps({"errors": [{"message": MESSAGE.format(cr=cr, st=st), "code": "InvalidSignature"}]}, indent=2)


def http_response(cr: str, st: str) -> str:
    body = json_message(cr, st)
    return ("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nx-amzn-ErrorType: InvalidSignatureException\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}")


def text_message(cr: str, st: str) -> str:
    return "SignatureDoesNotMatch: " + MESSAGE.format(cr=cr, st=st)


def query_xml(cr: str, st: str) -> str:
    return ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>'
            f"SignatureDoesNotMatch</Code><Message>{xml_escape(MESSAGE.format(cr=cr, st=st))}</Message></Error>"
            "<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>")


S3_HEADERS = (("host", "bkt.s3.amazonaws.com"), ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), ("x-amz-date", "20260102T030405Z"))
S3_SCOPE = "20260102/us-east-1/s3/aws4_request"
BODY_HASH = hashlib.sha256(b'{"kind": "blog-post"}').hexdigest()
TAMPERED_HASH = hashlib.sha256(b'{"kind": "blog-pwnd"}').hexdigest()


def case(name, form, ours_cr, theirs_cr, expect, ours_scope="20260102/us-east-1/execute-api/aws4_request",
         theirs_scope=None, ours_date="20260102T030405Z", theirs_date=None, **form_args):
    return pytest.param(form, ours_cr, sts(ours_cr, ours_date, ours_scope), theirs_cr,
                        sts(theirs_cr, theirs_date or ours_date, theirs_scope or ours_scope), expect, form_args, id=name)


CASES = [
    case("s3-xml-bytes-header-added", s3_xml,
         canonical("GET", "/k", "", S3_HEADERS, "UNSIGNED-PAYLOAD"),
         canonical("GET", "/k", "", (("expect", "100-continue"),) + S3_HEADERS, "UNSIGNED-PAYLOAD"),
         ["header-added"], ours_scope=S3_SCOPE),
    case("s3-xml-header-changed", s3_xml,
         canonical("PUT", "/k", "", (("cache-control", "max-age=60"),) + S3_HEADERS, "UNSIGNED-PAYLOAD"),
         canonical("PUT", "/k", "", (("cache-control", "max-age=60, public"),) + S3_HEADERS, "UNSIGNED-PAYLOAD"),
         ["header-changed"], ours_scope=S3_SCOPE),
    case("s3-xml-double-encoded-path", s3_xml,
         canonical("GET", "/my%2520key.txt", "", S3_HEADERS, "UNSIGNED-PAYLOAD"),
         canonical("GET", "/my%20key.txt", "", S3_HEADERS, "UNSIGNED-PAYLOAD"),
         ["path-double-encoding"], ours_scope=S3_SCOPE, with_bytes=False),
    case("s3-xml-path-encoding", s3_xml,
         canonical("GET", "/a:b.txt", "", S3_HEADERS, "UNSIGNED-PAYLOAD"),
         canonical("GET", "/a%3Ab.txt", "", S3_HEADERS, "UNSIGNED-PAYLOAD"),
         ["path-encoding"], ours_scope=S3_SCOPE),
    case("s3-xml-string-to-sign-only", s3_xml,
         canonical("GET", "/k", "", S3_HEADERS, "UNSIGNED-PAYLOAD"),
         canonical("GET", "/k", "prefix=x", S3_HEADERS, "UNSIGNED-PAYLOAD"),
         ["canonical-request"], ours_scope=S3_SCOPE, with_canonical=False),
    case("apigw-json-payload-hash", json_message,
         canonical("POST", "/prod/jobs", "", payload=BODY_HASH),
         canonical("POST", "/prod/jobs", "", payload=TAMPERED_HASH), ["payload-hash"]),
    case("apigw-json-double-encoding", json_message,
         canonical("GET", "/prod/a%20b"), canonical("GET", "/prod/a%2520b"), ["path-double-encoding"]),
    case("apigw-json-query-encoding", json_message,
         canonical("GET", "/prod/items", "q=a+b&x=1"), canonical("GET", "/prod/items", "q=a%20b&x=1"),
         ["query-encoding"]),
    case("apigw-http-response-query", http_response,
         canonical("GET", "/prod/items", "x=1"), canonical("GET", "/prod/items", "x=1&y=2"), ["query"]),
    case("spapi-errors-match", json_errors,
         canonical("GET", "/sellers/v1/marketplaceParticipations"),
         canonical("GET", "/sellers/v1/marketplaceParticipations"), ["secret-or-token"]),
    case("opensearch-json-host-changed", json_message,
         canonical("PUT", "/index/_doc/1", "", (("host", "search-d.us-east-1.es.amazonaws.com"), ("x-amz-date", "20260102T030405Z"))),
         canonical("PUT", "/index/_doc/1", "", (("host", "search-d.us-east-1.es.amazonaws.com:443"), ("x-amz-date", "20260102T030405Z"))),
         ["header-changed"], ours_scope="20260102/us-east-1/es/aws4_request"),
    case("opensearch-text-date", text_message,
         canonical("GET", "/_search", "", (("host", "h"), ("x-amz-date", "20260102T030405Z"))),
         canonical("GET", "/_search", "", (("host", "h"), ("x-amz-date", "20260102T030406Z"))),
         ["header-changed", "date"], ours_scope="20260102/us-east-1/es/aws4_request", theirs_date="20260102T030406Z"),
    case("sts-query-xml-region", query_xml,
         canonical("POST", "/", "", payload=BODY_HASH), canonical("POST", "/", "", payload=BODY_HASH),
         ["region"], ours_scope="20260102/us-west-2/sts/aws4_request", theirs_scope="20260102/us-east-1/sts/aws4_request"),
    case("sts-query-xml-service", query_xml,
         canonical("POST", "/", "", payload=BODY_HASH), canonical("POST", "/", "", payload=BODY_HASH),
         ["service"], ours_scope="20260102/us-east-1/iam/aws4_request", theirs_scope="20260102/us-east-1/sts/aws4_request"),
    case("sqs-query-xml-scope-date", query_xml,
         canonical("POST", "/", "", payload=BODY_HASH), canonical("POST", "/", "", payload=BODY_HASH),
         ["scope-date"], ours_scope="20260101/us-east-2/sqs/aws4_request", theirs_scope="20260102/us-east-2/sqs/aws4_request"),
]


@pytest.mark.parametrize("form,ours_cr,ours_sts,theirs_cr,theirs_sts,expect,form_args", CASES)
def test_cause(form, ours_cr, ours_sts, theirs_cr, theirs_sts, expect, form_args, tmp_path: pathlib.Path, home):
    (tmp_path / "signed.json").write_text(json.dumps({"canonical_request": ours_cr, "string_to_sign": ours_sts}))
    (tmp_path / "answer").write_text(form(theirs_cr, theirs_sts, **form_args))
    out = run(["explain", str(tmp_path / "answer"), "--signed", str(tmp_path / "signed.json"), "--json"], base_env(home))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert [c["cause"] for c in report["causes"]] == expect, report
    # Text form: the line diff marks our and the server's lines.
    out = run(["explain", "--signed", str(tmp_path / "signed.json")], base_env(home),
              input=(tmp_path / "answer").read_bytes())
    assert out.returncode == 0 and f"cause [{expect[0]}]".encode() in out.stdout
    if ours_cr != theirs_cr and form_args.get("with_canonical", True):
        assert b"\n- " in out.stdout and b"\n+ " in out.stdout


def test_bytes_form_wins_over_text(home, tmp_path):
    """S3's ...Bytes form is exact where the text form lost whitespace (a trailing space in a value)."""
    ours = canonical("GET", "/k", "", (("host", "h"), ("x-amz-meta-a", "v "), ("x-amz-date", "20260102T030405Z")))
    answer = s3_xml(ours, sts(ours)).replace("x-amz-meta-a:v \n", "x-amz-meta-a:v\n", 1)
    (tmp_path / "signed.json").write_text(json.dumps({"canonical_request": ours, "string_to_sign": sts(ours)}))
    out = run(["explain", "--signed", str(tmp_path / "signed.json"), "--json"], base_env(home), input=answer.encode())
    assert [c["cause"] for c in json.loads(out.stdout)["causes"]] == ["secret-or-token"]


def test_no_canonical_request_in_the_answer(home, tmp_path):
    (tmp_path / "signed.json").write_text(json.dumps({"canonical_request": canonical(), "string_to_sign": sts(canonical())}))
    answer = b'{"__type": "AccessDeniedException", "message": "User is not authorized"}'
    out = run(["explain", "--signed", str(tmp_path / "signed.json")], base_env(home), input=answer)
    assert out.returncode == 1 and b"holds no canonical request" in out.stderr
    out = run(["explain"], base_env(home), input=answer)
    assert out.returncode == 3 and b"--signed" in out.stderr


def test_tokens_are_hidden_in_the_report(home, tmp_path):
    token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/="
    headers = (("host", "h"), ("x-amz-date", "20260102T030405Z"), ("x-amz-security-token", token))
    ours = canonical("GET", "/a", "", headers)
    theirs = canonical("GET", "/b", "", headers)
    (tmp_path / "signed.json").write_text(json.dumps({"canonical_request": ours, "string_to_sign": sts(ours)}))
    out = run(["explain", "--signed", str(tmp_path / "signed.json")], base_env(home), input=json_message(theirs, sts(theirs)).encode())
    assert out.returncode == 0 and token.encode() not in out.stdout and b"** redacted **" in out.stdout
