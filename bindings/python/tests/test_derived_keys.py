"""``Verifier(signing_keys=...)``: the verifier gets derived signing keys (kSigning for the request's date,
region and service) and never the secret. Keys derived by botocore's own HMAC steps (and checked against
the AWS documentation's derivation example); requests signed by botocore; the scope the lookup is asked
for; session tokens; unknown keys; misuse."""

import pytest
from botocore.auth import SigV4Auth

import sigv4
from botocore_ref import botocore_sign

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
AKID = "AKIDEXAMPLE"
WHEN = "20260315T101500Z"


def botocore_key(secret, date, region, service):
    """kSigning with botocore's HMAC step (SigV4Auth._sign), as its signature() chains it."""
    sign = SigV4Auth._sign
    k = sign(SigV4Auth, ("AWS4" + secret).encode(), date)
    k = sign(SigV4Auth, k, region)
    k = sign(SigV4Auth, k, service)
    return sign(SigV4Auth, k, "aws4_request")


def test_botocore_derivation_is_the_documented_one():
    # The AWS documentation's example: IAM, 20120215, us-east-1.
    assert botocore_key(SECRET, "20120215", "us-east-1", "iam").hex() == \
        "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def signed(method="POST", body=b'{"a":1}', secret=SECRET, token=None):
    headers = [("host", "api.example.com"), ("content-type", "application/json"), ("x-amz-date", WHEN)]
    if token:
        headers.append(("x-amz-security-token", token))
    _, signature = botocore_sign("execute-api", method, "https://api.example.com/v1/items", [("q", "1")], headers,
                                 body, WHEN, AKID, secret, token=token, region="eu-west-1")
    names = ";".join(sorted(n for n, _ in headers))
    auth = (f"AWS4-HMAC-SHA256 Credential={AKID}/{WHEN[:8]}/eu-west-1/execute-api/aws4_request, "
            f"SignedHeaders={names}, Signature={signature}")
    return headers + [("authorization", auth)]


@pytest.mark.parametrize("form", ["bytes", "hex", "bytearray", "tuple"])
def test_botocore_signed_request_with_botocore_derived_key(form):
    asked = []

    def keys(akid, date, region, service):
        asked.append((akid, date, region, service))
        if akid != AKID:
            return None
        key = botocore_key(SECRET, date, region, service)
        return {"bytes": key, "hex": key.hex(), "bytearray": bytearray(key), "tuple": (key, None)}[form]

    v = sigv4.Verifier(region="eu-west-1", service="execute-api", signing_keys=keys)
    who = v.verify("POST", "/v1/items?q=1", signed(), b'{"a":1}', now=WHEN)
    assert who.access_key_id == AKID
    assert asked == [(AKID, "20260315", "eu-west-1", "execute-api")]
    with pytest.raises(sigv4.VerificationError) as e:
        v.verify("POST", "/v1/items?q=1", signed(), b'{"a":2}', now=WHEN)
    assert e.value.code == "SignatureDoesNotMatch"


def test_wrong_key_unknown_key_and_tokens():
    wrong = sigv4.Verifier(region="eu-west-1", service="execute-api",
                           signing_keys=lambda *scope: botocore_key("other", *scope[1:]))
    with pytest.raises(sigv4.VerificationError) as e:
        wrong.verify("POST", "/v1/items?q=1", signed(), b'{"a":1}', now=WHEN)
    assert e.value.code == "SignatureDoesNotMatch"
    nobody = sigv4.Verifier(region="eu-west-1", service="execute-api", signing_keys=lambda *a: None)
    with pytest.raises(sigv4.VerificationError) as e:
        nobody.verify("POST", "/v1/items?q=1", signed(), b'{"a":1}', now=WHEN)
    assert e.value.code == "InvalidAccessKeyId"
    tokened = sigv4.Verifier(region="eu-west-1", service="execute-api",
                             signing_keys=lambda a, d, r, s: (botocore_key(SECRET, d, r, s), "TOKEN1"))
    tokened.verify("POST", "/v1/items?q=1", signed(token="TOKEN1"), b'{"a":1}', now=WHEN)
    for token in (None, "TOKEN2"):
        with pytest.raises(sigv4.VerificationError) as e:
            tokened.verify("POST", "/v1/items?q=1", signed(token=token), b'{"a":1}', now=WHEN)
        assert e.value.code == "InvalidToken"


def test_misuse_is_a_clear_error_and_lookup_errors_propagate():
    with pytest.raises(sigv4.Error) as e:
        sigv4.Verifier({AKID: SECRET}, region="eu-west-1", signing_keys=lambda *a: None)
    assert e.value.code == "InvalidOption"
    with pytest.raises(TypeError):
        sigv4.Verifier(region="eu-west-1", signing_keys="not callable")
    for bad in (b"short", "zz" * 32, 42):
        v = sigv4.Verifier(region="eu-west-1", service="execute-api", signing_keys=lambda *a, bad=bad: bad)
        with pytest.raises((TypeError, sigv4.Error)) as e:
            v.verify("POST", "/v1/items?q=1", signed(), b'{"a":1}', now=WHEN)
        assert SECRET not in str(e.value)

    def broken(*a):
        raise RuntimeError("key service down")

    v = sigv4.Verifier(region="eu-west-1", service="execute-api", signing_keys=broken)
    with pytest.raises(RuntimeError, match="key service down"):
        v.verify("POST", "/v1/items?q=1", signed(), b'{"a":1}', now=WHEN)
