"""The Python API surface: inputs in every accepted form, clear errors with .code, secrets kept out of repr()."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from urllib.parse import quote

import pytest

import sigv4
import sigv4.httpx
import sigv4.requests
from botocore_ref import botocore_sign
from conftest import AKID, SECRET, TOKEN

URL = "https://example.amazonaws.com/?Param2=value2&Param1=value1"
WHEN = "20150830T123600Z"
GET_VANILLA_QUERY_SIG = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"  # AWS suite


@pytest.fixture
def signer() -> sigv4.Signer:
    return sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "service")


def test_all_is_exported() -> None:
    for name in sigv4.__all__:
        assert getattr(sigv4, name) is not None
    for name in ("Credentials", "Signer", "SignedRequest", "PayloadHasher", "sign_v4", "Error"):
        assert getattr(sigv4, name).__doc__, name


@pytest.mark.parametrize(
    "timestamp",
    [WHEN, "2015-08-30T12:36:00Z", 1440938160, 1440938160.9,
     dt.datetime(2015, 8, 30, 12, 36, tzinfo=dt.timezone.utc),
     dt.datetime(2015, 8, 30, 14, 36, tzinfo=dt.timezone(dt.timedelta(hours=2)))],
)
def test_timestamp_forms(signer, timestamp) -> None:
    assert signer.sign("GET", URL, timestamp=timestamp).signature == GET_VANILLA_QUERY_SIG


def test_default_timestamp_is_now(signer) -> None:
    amz = signer.sign("GET", URL).amz_date
    now = dt.datetime.now(dt.timezone.utc)
    parsed = dt.datetime.strptime(amz, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    assert abs((now - parsed).total_seconds()) < 5


def test_signed_request_is_frozen(signer) -> None:
    signed = signer.sign("GET", URL, timestamp=WHEN)
    with pytest.raises(AttributeError):
        signed.signature = "x"  # type: ignore[misc]
    assert signed.headers is signed.headers  # built once
    assert signed.method == "GET" and signed.credential_scope == "20150830/us-east-1/service/aws4_request"


@pytest.mark.parametrize("service", ["service", "s3"])
def test_body_forms_agree(service, tmp_path) -> None:
    signer = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", service)
    data = ("héllo " * 2000).encode()
    expected = signer.sign("PUT", "https://h.example/k", body=data, timestamp=WHEN)
    assert expected.payload_hash == hashlib.sha256(data).hexdigest()
    path = tmp_path / "body"
    path.write_bytes(data)
    forms = [bytearray(data), memoryview(data), data.decode(), io.BytesIO(data),
             [data[:5000], data[5000:]], iter([data[:7], data[7:]])]
    for form in forms:
        assert signer.sign("PUT", "https://h.example/k", body=form, timestamp=WHEN).signature == expected.signature
    with open(path, "rb") as f:
        f.read(3)
        f.seek(0)
        assert signer.sign("PUT", "https://h.example/k", body=f, timestamp=WHEN).signature == expected.signature
        assert f.tell() == 0  # position restored for the upload
    hasher = sigv4.PayloadHasher()
    hasher.update(data[:10])
    hasher.update(memoryview(data)[10:])
    assert hasher.hexdigest() == hashlib.sha256(data).hexdigest()
    by_hash = signer.sign("PUT", "https://h.example/k", timestamp=WHEN, payload_hash=hasher.hexdigest())
    assert by_hash.signature == expected.signature


def test_headers_as_mapping_or_pairs(signer) -> None:
    a = signer.sign("GET", URL, {"X-A": "1", "X-B": "2"}, timestamp=WHEN)
    b = signer.sign("GET", URL, [("X-A", "1"), ("X-B", "2")], timestamp=WHEN)
    assert a.signature == b.signature
    repeated = signer.sign("GET", URL, [("X-A", "1"), ("x-a", "2")], timestamp=WHEN)
    assert "x-a:1,2\n" in repeated.canonical_request


def test_options(signer) -> None:
    unsigned = signer.sign("GET", URL, timestamp=WHEN, payload="unsigned")
    assert unsigned.canonical_request.endswith("UNSIGNED-PAYLOAD")
    with_hash = signer.sign("GET", URL, timestamp=WHEN, content_sha256_header=True)
    assert "x-amz-content-sha256" in with_hash.signed_headers
    s = sigv4.Signer(sigv4.Credentials(AKID, SECRET, TOKEN), "us-east-1", "service", sign_session_token=False)
    signed = s.sign("GET", URL, timestamp=WHEN)
    assert "x-amz-security-token" not in signed.signed_headers and signed.headers["X-Amz-Security-Token"] == TOKEN
    s = sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "service", unsigned_headers=["X-Skip"])
    assert "x-skip" not in s.sign("GET", URL, {"X-Skip": "1"}, timestamp=WHEN).signed_headers


def test_presign_s3_documented_example() -> None:
    # S3 docs, "Example: presigned URL" (GET examplebucket/test.txt, 86400 s).
    creds = sigv4.Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    signer = sigv4.Signer(creds, "us-east-1", "s3")
    signed = signer.presign("GET", "https://examplebucket.s3.amazonaws.com/test.txt", 86400,
                            timestamp="20130524T000000Z")
    assert signed.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    assert signed.url.endswith("&X-Amz-Signature=" + signed.signature) and signed.authorization is None


def test_sign_v4_matches_botocore() -> None:
    akid, secret = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    body = "Action=Publish&Message=Hello&TopicArn=arn:aws:sns:us-east-1:123456789012:MyTopic"
    headers = {"host": "sns.us-east-1.amazonaws.com", "content-type": "application/x-www-form-urlencoded"}
    result = sigv4.sign_v4(akid, secret, "us-east-1", "sns", "POST", "/", {"a b": "c+d"}, headers, body,
                           timestamp=1700000000, session_token=TOKEN)
    assert set(result) >= {"authorization", "timestamp", "signature", "canonical_request", "string_to_sign"}
    canonical, signature = botocore_sign(
        "sns", "POST", "https://sns.us-east-1.amazonaws.com/", [("a b", "c+d")], list(headers.items()),
        body.encode(), result["timestamp"], akid, secret, TOKEN,
    )
    assert (result["canonical_request"], result["signature"]) == (canonical, signature)
    assert result["timestamp"] == "20231114T221320Z"
    assert result["authorization"].endswith("Signature=" + signature)


@pytest.mark.parametrize(
    "call, code, argument",
    [
        (lambda s: s.sign("GET", "example.com/x"), "InvalidUrl", "url"),
        (lambda s: s.sign("GE T", URL), "InvalidMethod", "method"),
        (lambda s: s.sign("GET", URL, {"Bad Name": "1"}), "InvalidHeaderName", "header name"),
        (lambda s: s.sign("GET", URL, {"X-A": "1\r\nX-B: 2"}), "InvalidHeaderValue", "header value"),
        (lambda s: s.sign("GET", URL, timestamp="yesterday"), "InvalidTimestamp", "timestamp"),
        (lambda s: s.sign("GET", URL, timestamp=dt.datetime(2020, 1, 1)), "InvalidTimestamp", "timestamp"),
        (lambda s: s.sign("GET", URL, timestamp=float("nan")), "InvalidTimestamp", "timestamp"),
        (lambda s: s.sign("GET", URL, payload="maybe"), "InvalidOption", "payload"),
        (lambda s: s.sign("GET", URL, uri_encoding="triple"), "InvalidOption", "uri_encoding"),
        (lambda s: s.sign("GET", URL, colour="red"), "InvalidOption", "options"),
        (lambda s: s.sign("GET", URL, payload_hash="abc"), "InvalidPayloadHash", "payload_hash"),
        (lambda s: s.presign("GET", URL, 0), "InvalidExpiry", "expires_in"),
        (lambda s: s.presign("GET", URL, 604801), "InvalidExpiry", "expires_in"),
        (lambda s: s.presign("GET", URL, -5), "InvalidExpiry", "expires_in"),
        (lambda s: sigv4.Signer(sigv4.Credentials(AKID, SECRET), "", "service"), "InvalidRegion", "region"),
        (lambda s: sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "a/b"), "InvalidService", "service"),
        (lambda s: sigv4.Credentials("", SECRET), "InvalidCredentials", "access_key_id"),
        (lambda s: sigv4.Credentials(AKID, ""), "InvalidCredentials", "secret_access_key"),
        (lambda s: sigv4.Signer(object(), "us-east-1", "service"), "InvalidCredentials", "credentials"),
    ],
)
def test_bad_inputs_raise_clear_errors(signer, call, code, argument) -> None:
    with pytest.raises(sigv4.Error) as info:
        call(signer)
    assert isinstance(info.value, ValueError) and isinstance(info.value, sigv4.InvalidArgumentError)
    assert info.value.code == code
    assert info.value.argument == argument
    assert str(info.value) and SECRET not in str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.sign(5, URL),
        lambda s: s.sign("GET", URL, body=12),
        lambda s: s.sign("GET", URL, headers="X-A: 1"),
        lambda s: s.sign("GET", URL, timestamp=True),
        lambda s: s.sign("GET", URL, normalize_path="yes"),
        lambda s: s.presign("GET", URL, "60"),
    ],
)
def test_wrong_types_raise_type_error(signer, call) -> None:
    with pytest.raises(TypeError):
        call(signer)


def test_secrets_never_in_repr() -> None:
    creds = sigv4.Credentials(AKID, SECRET, TOKEN)
    signer = sigv4.Signer(creds, "us-east-1", "s3")
    signed = signer.sign("GET", URL, timestamp=WHEN)
    presigned = signer.presign("GET", URL, timestamp=WHEN)
    hasher = sigv4.PayloadHasher(b"x")
    auth_reprs = [repr(sigv4.requests.SigV4Auth(creds, "us-east-1", "s3")), repr(sigv4.httpx.SigV4Auth(creds, "us-east-1", "s3"))]
    for text in [repr(creds), str(creds), repr(signer), repr(signed), repr(presigned), repr(hasher), *auth_reprs]:
        assert SECRET not in text and TOKEN not in text and quote(TOKEN, safe="") not in text, text
        assert quote(SECRET, safe="") not in text
    assert AKID in repr(creds) and "redacted" in repr(creds)
    assert "redacted" in repr(presigned)


def test_credentials_from_env(monkeypatch) -> None:
    with pytest.raises(sigv4.InvalidCredentialsError) as info:
        sigv4.Credentials.from_env()
    assert "AWS_ACCESS_KEY_ID" in str(info.value) and info.value.code == "InvalidCredentials"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AKID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    creds = sigv4.Credentials.from_env()
    assert (creds.access_key_id, creds.secret_access_key, creds.session_token) == (AKID, SECRET, TOKEN)
    assert isinstance(creds, sigv4.Credentials)


def test_credentials_from_profile(monkeypatch, tmp_path) -> None:
    (tmp_path / "credentials").write_text(
        f"[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n\n"
        f"[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\naws_session_token = tok\n"
    )
    (tmp_path / "config").write_text(
        "[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = cfgsecret\n\n"
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = default\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    assert sigv4.Credentials.from_profile().access_key_id == AKID
    dev = sigv4.Credentials.from_profile("dev")
    assert (dev.access_key_id, dev.session_token) == ("AKIDDEV", "tok")
    assert sigv4.Credentials.from_profile("cfg").secret_access_key == "cfgsecret"
    monkeypatch.setenv("AWS_PROFILE", "dev")
    assert sigv4.Credentials.from_profile().access_key_id == "AKIDDEV"
    with pytest.raises(sigv4.InvalidCredentialsError) as info:
        sigv4.Credentials.from_profile("role")
    assert "get_credentials" in str(info.value)
    with pytest.raises(sigv4.InvalidCredentialsError) as info:
        sigv4.Credentials.from_profile("nope")
    assert "'nope'" in str(info.value) and info.value.code == "InvalidCredentials"


def test_signer_is_shareable_between_threads(signer) -> None:
    results = []

    def work() -> None:
        for _ in range(200):
            results.append(signer.sign("PUT", URL, body=b"x" * 5000, timestamp=WHEN).signature)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 800 and len(set(results)) == 1
