"""Hostile requests through ``sigv4.Verifier``, each with the AWS code it must get (issue 6 item 3).

Base requests are AWS's own signed requests (W1 = ``get-vanilla-query-order-key-case`` in both forms,
the signed-body and session-token vectors); requests that need a valid signature after a change of
expiry are signed by our signer (the expected values are error codes, not signatures).
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional, Tuple

import pytest

import sigv4
from conftest import AKID, SECRET, VECTORS
from test_vectors import parse_request

SUITE = VECTORS / "aws-signing-test-suite" / "v4"
T0 = 1_440_938_160  # 20150830T123600Z
TOKEN = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
W1_SIG = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
W1Q_SIG = "86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5"
SCOPE = "20150830/us-east-1/service/aws4_request"
OK = "ok"


@dataclasses.dataclass(frozen=True)
class Req:
    method: str
    url: str
    headers: Tuple[Tuple[str, str], ...]
    body: bytes = b""
    now: int = T0

    def header(self, name: str, value: str) -> "Req":
        return dataclasses.replace(self, headers=self.headers + ((name, value),))

    def set(self, name: str, value: str) -> "Req":
        assert any(n.lower() == name.lower() for n, _ in self.headers), name
        return dataclasses.replace(
            self, headers=tuple((n, value if n.lower() == name.lower() else v) for n, v in self.headers)
        )

    def drop(self, name: str) -> "Req":
        return dataclasses.replace(self, headers=tuple((n, v) for n, v in self.headers if n.lower() != name.lower()))

    def auth(self, value: str) -> "Req":
        return self.set("Authorization", value)

    def at(self, now: int) -> "Req":
        return dataclasses.replace(self, now=now)

    def with_url(self, url: str) -> "Req":
        return dataclasses.replace(self, url=url)

    def q(self, old: str, new: str) -> "Req":
        assert old in self.url, (old, self.url)
        return dataclasses.replace(self, url=self.url.replace(old, new, 1))

    def with_body(self, body: bytes) -> "Req":
        return dataclasses.replace(self, body=body)


def vector(name: str, form: str) -> Req:
    raw = parse_request((SUITE / name / f"{form}-signed-request.txt").read_text())
    return Req(raw.method, raw.target, tuple(raw.headers), raw.body)


def w1() -> Req:
    return vector("get-vanilla-query-order-key-case", "header")


def w1q() -> Req:
    return vector("get-vanilla-query-order-key-case", "query")


def auth_with(credential: str, signed: str, signature: str) -> str:
    return f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={signed}, Signature={signature}"


def cred(scope: str = SCOPE, akid: str = AKID) -> str:
    return f"{akid}/{scope}"


def good_auth(**kw: str) -> str:
    return auth_with(kw.get("credential", cred()), kw.get("signed", "host;x-amz-date"), kw.get("signature", W1_SIG))


def signer(**options) -> sigv4.Signer:
    return sigv4.Signer(sigv4.Credentials(AKID, SECRET), "us-east-1", "service", **options)


def presigned_by_us(expires: int) -> Req:
    s = signer().presign("GET", "/?Param2=value2&Param1=value1", expires_in=expires,
                         headers={"Host": "example.amazonaws.com"}, timestamp=T0)
    return Req("GET", s.url, tuple(s.header_list))


def signed_by_us(method: str, url: str, headers: dict, body: bytes, **options) -> Req:
    s = signer(**options).sign(method, url, headers=headers, body=body, timestamp=T0)
    return Req(method, s.url, tuple(s.header_list), body)


def table() -> List[Tuple[str, Req, str]]:
    w1q_url = w1q().url
    return [
        ("no auth", w1().drop("Authorization"), "MissingAuthenticationToken"),
        ("no auth, other X-Amz-* query", w1().drop("Authorization").with_url("/?X-Amz-Date=20150830T123600Z"),
         "MissingAuthenticationToken"),
        ("two Authorization headers", w1().header("Authorization", good_auth()), "AuthorizationHeaderMalformed"),
        ("header plus query auth", w1().with_url(w1q_url), "AuthorizationQueryParametersError"),
        ("empty Authorization", w1().auth(""), "AuthorizationHeaderMalformed"),
        ("Bearer token", w1().auth("Bearer abc"), "AuthorizationHeaderMalformed"),
        ("wrong algorithm", w1().auth(good_auth().replace("SHA256 ", "SHA512 ")), "AuthorizationHeaderMalformed"),
        ("lower-case algorithm", w1().auth(good_auth().replace("AWS4-HMAC-SHA256", "aws4-hmac-sha256")),
         "AuthorizationHeaderMalformed"),
        ("query: wrong algorithm", w1q().q("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"), "AuthorizationQueryParametersError"),
        ("query: lower-case algorithm", w1q().q("AWS4-HMAC-SHA256", "aws4-hmac-sha256"),
         "AuthorizationQueryParametersError"),
        ("missing Credential", w1().auth(f"AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature={W1_SIG}"),
         "IncompleteSignature"),
        ("missing SignedHeaders", w1().auth(f"AWS4-HMAC-SHA256 Credential={cred()}, Signature={W1_SIG}"),
         "IncompleteSignature"),
        ("missing Signature", w1().auth(f"AWS4-HMAC-SHA256 Credential={cred()}, SignedHeaders=host;x-amz-date"),
         "IncompleteSignature"),
        ("empty Signature", w1().auth(good_auth(signature="")), "IncompleteSignature"),
        ("empty Credential", w1().auth(good_auth(credential="")), "IncompleteSignature"),
        ("repeated Credential", w1().auth(good_auth() + f", Credential={cred()}"), "IncompleteSignature"),
        ("repeated Signature", w1().auth(good_auth() + f", Signature={W1_SIG}"), "IncompleteSignature"),
        ("query: missing X-Amz-Credential", w1q().q("X-Amz-Credential=", "X-Amz-Credentials="),
         "AuthorizationQueryParametersError"),
        ("query: missing X-Amz-Signature", w1q().q("&X-Amz-Signature=", "&Signature="),
         "AuthorizationQueryParametersError"),
        ("4-part credential", w1().auth(good_auth(credential=f"{AKID}/20150830/us-east-1/aws4_request")),
         "AuthorizationHeaderMalformed"),
        ("6-part credential", w1().auth(good_auth(credential=f"{AKID}/20150830/us-east-1/service/x/aws4_request")),
         "AuthorizationHeaderMalformed"),
        ("query: 4-part credential", w1q().q("%2Fservice%2Faws4_request", "%2Faws4_request"),
         "AuthorizationQueryParametersError"),
        ("scope date != X-Amz-Date date", w1().auth(good_auth(credential=cred("20150831/us-east-1/service/aws4_request"))),
         "AuthorizationHeaderMalformed"),
        ("query: scope date != X-Amz-Date date", w1q().q("%2F20150830%2F", "%2F20150829%2F"),
         "AuthorizationQueryParametersError"),
        ("wrong region", w1().auth(good_auth(credential=cred("20150830/us-west-2/service/aws4_request"))),
         "AuthorizationHeaderMalformed"),
        ("wrong service", w1().auth(good_auth(credential=cred("20150830/us-east-1/s3/aws4_request"))),
         "AuthorizationHeaderMalformed"),
        ("wrong terminator", w1().auth(good_auth(credential=cred("20150830/us-east-1/service/aws4_requesT"))),
         "AuthorizationHeaderMalformed"),
        ("unknown key", w1().auth(good_auth(credential=cred(akid="AKIDUNKNOWN"))), "InvalidAccessKeyId"),
        ("query: unknown key", w1q().q("AKIDEXAMPLE", "AKIDUNKNOWN"), "InvalidAccessKeyId"),
        ("missing X-Amz-Date", w1().drop("X-Amz-Date"), "IncompleteSignature"),
        ("malformed X-Amz-Date", w1().set("X-Amz-Date", "20150830T1236Z"), "AuthorizationHeaderMalformed"),
        ("extended-format X-Amz-Date", w1().set("X-Amz-Date", "2015-08-30T12:36:00Z"), "AuthorizationHeaderMalformed"),
        ("query: extended-format X-Amz-Date", w1q().q("20150830T123600Z", "2015-08-30T12%3A36%3A00Z"),
         "AuthorizationQueryParametersError"),
        ("skew +900 s accepted", w1().at(T0 + 900), OK),
        ("skew -900 s accepted", w1().at(T0 - 900), OK),
        ("skew +901 s rejected", w1().at(T0 + 901), "RequestTimeTooSkewed"),
        ("skew -901 s rejected", w1().at(T0 - 901), "RequestTimeTooSkewed"),
        ("X-Amz-Expires 0", w1q().q("X-Amz-Expires=3600", "X-Amz-Expires=0"), "AuthorizationQueryParametersError"),
        ("X-Amz-Expires 1", presigned_by_us(1), OK),
        ("X-Amz-Expires 604800", presigned_by_us(604800), OK),
        ("X-Amz-Expires 604801", w1q().q("X-Amz-Expires=3600", "X-Amz-Expires=604801"),
         "AuthorizationQueryParametersError"),
        ("X-Amz-Expires -1", w1q().q("X-Amz-Expires=3600", "X-Amz-Expires=-1"), "AuthorizationQueryParametersError"),
        ("X-Amz-Expires empty", w1q().q("X-Amz-Expires=3600", "X-Amz-Expires="), "AuthorizationQueryParametersError"),
        ("X-Amz-Expires 1.5", w1q().q("X-Amz-Expires=3600", "X-Amz-Expires=1.5"), "AuthorizationQueryParametersError"),
        ("X-Amz-Expires 60abc", w1q().q("X-Amz-Expires=3600", "X-Amz-Expires=60abc"),
         "AuthorizationQueryParametersError"),
        ("X-Amz-Expires +60", w1q().q("X-Amz-Expires=3600", "X-Amz-Expires=%2B60"), "AuthorizationQueryParametersError"),
        ("URL valid until its last second", w1q().at(T0 + 3600), OK),
        ("expired URL", w1q().at(T0 + 3601), "RequestExpired"),
        ("expired URL (1 s)", presigned_by_us(1).at(T0 + 2), "RequestExpired"),
        ("URL dated 900 s ahead accepted", w1q().at(T0 - 900), OK),
        ("not-yet-valid URL", w1q().at(T0 - 901), "RequestExpired"),
        ("auth parameter repeated in another case", w1q().with_url(w1q_url + "&x-amz-expires=3600"),
         "AuthorizationQueryParametersError"),
        ("auth parameter repeated exactly", w1q().with_url(w1q_url + f"&X-Amz-Signature={W1Q_SIG}"),
         "AuthorizationQueryParametersError"),
        ("SignedHeaders without host", w1().auth(good_auth(signed="x-amz-date")), "UnsignedHeader"),
        ("SignedHeaders unsorted", w1().auth(good_auth(signed="x-amz-date;host")), "AuthorizationHeaderMalformed"),
        ("SignedHeaders upper-case", w1().auth(good_auth(signed="Host;x-amz-date")), "AuthorizationHeaderMalformed"),
        ("SignedHeaders repeated", w1().auth(good_auth(signed="host;host;x-amz-date")), "AuthorizationHeaderMalformed"),
        ("signed header changed", w1().set("Host", "example.amazonaws.com.evil"), "SignatureDoesNotMatch"),
        ("unsigned x-amz-* header added", w1().header("X-Amz-Meta-Role", "admin"), "UnsignedHeader"),
        ("query: unsigned x-amz-* header added", w1q().header("X-Amz-Target", "Admin.Delete"), "UnsignedHeader"),
        ("unsigned Content-Type added", w1().header("Content-Type", "application/json"), "UnsignedHeader"),
        ("unsigned User-Agent added (accepted)", w1().header("User-Agent", "curl/8.0"), OK),
        ("signature of 63 characters", w1().auth(good_auth(signature=W1_SIG[:63])), "AuthorizationHeaderMalformed"),
        ("signature of 65 characters", w1().auth(good_auth(signature=W1_SIG + "0")), "AuthorizationHeaderMalformed"),
        ("upper-case signature", w1().auth(good_auth(signature=W1_SIG.upper())), "AuthorizationHeaderMalformed"),
        ("non-hex signature", w1().auth(good_auth(signature=W1_SIG[:63] + "g")), "AuthorizationHeaderMalformed"),
        ("query: upper-case signature", w1q().q(W1Q_SIG, W1Q_SIG.upper()), "AuthorizationQueryParametersError"),
        ("valid signature, wrong value", w1().auth(good_auth(signature=W1_SIG.replace("b", "c"))),
         "SignatureDoesNotMatch"),
        ("body tampered (signed x-amz-content-sha256)",
         vector("post-x-www-form-urlencoded", "header").with_body(b"Param1=value2"), "XAmzContentSHA256Mismatch"),
        ("body tampered (body hash signed)", vector("post-x-www-form-urlencoded", "query").with_body(b"Param1=value2"),
         "SignatureDoesNotMatch"),
        ("body tampered (no content header)",
         signed_by_us("POST", "https://example.amazonaws.com/", {}, b"hello").with_body(b"hellp"),
         "SignatureDoesNotMatch"),
        ("UNSIGNED-PAYLOAD not allowed",
         signed_by_us("PUT", "https://example.amazonaws.com/", {}, b"data", payload="unsigned",
                      content_sha256_header=True), "XAmzContentSHA256Mismatch"),
        ("session token sent to a key without one", vector("get-vanilla-with-session-token", "header"), "InvalidToken"),
        ("CR in the path", w1().with_url("/a\rb"), "InvalidUrl"),
        ("LF in the path", w1().with_url("/a\nb"), "InvalidUrl"),
        ("NUL in the path", w1().with_url("/a\0b"), "InvalidUrl"),
        ("CR in a header", w1().header("X-Other", "a\rb"), "InvalidHeaderValue"),
        ("LF in a header", w1().set("Host", "example.amazonaws.com\nX-Amz-Meta: y"), "InvalidHeaderValue"),
        ("NUL in a header", w1().header("X-Other", "a\0b"), "InvalidHeaderValue"),
        ("invalid header name", w1().header("Bad Name", "x"), "InvalidHeaderName"),
        ("invalid percent escape in the path", w1().with_url("/a%zz?Param2=value2&Param1=value1"), "InvalidUrl"),
        ("truncated percent escape in the query", w1().with_url("/?Param2=value2&Param1=value%2"), "InvalidUrl"),
        ("1 MiB Authorization header", w1().auth("A" * (1 << 20)), "AuthorizationHeaderMalformed"),
        ("100 000 query parameters", w1().with_url("/?" + "a=1&" * 100_000), "InvalidUrl"),
        ("two Host headers", w1().header("Host", "evil.example"), "InvalidHeaderValue"),
        ("query parameter added", w1q().with_url(w1q_url + "&a=%FF"), "SignatureDoesNotMatch"),
    ]


TABLE = table()
MALFORMED = {"InvalidUrl", "InvalidHeaderValue", "InvalidHeaderName"}


def verifier(**options) -> sigv4.Verifier:
    return sigv4.Verifier(
        {AKID: SECRET, "AKIDTOKEN": sigv4.Credentials("AKIDTOKEN", SECRET, TOKEN)},
        region="us-east-1", service="service", **options,
    )


def outcome(v: sigv4.Verifier, r: Req) -> str:
    try:
        v.verify(r.method, r.url, list(r.headers), r.body, now=r.now)
    except sigv4.VerificationError as error:
        assert str(error), "every error says what to fix"
        assert error.is_malformed is (error.code in MALFORMED)
        assert (error.canonical_request is not None) is (error.code == "SignatureDoesNotMatch")
        return error.code
    return OK


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 40
    assert len({name for name, _, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize("name,req,expected", TABLE, ids=[name for name, _, _ in TABLE])
def test_hostile_input_gets_its_code(name: str, req: Req, expected: str) -> None:
    assert outcome(verifier(), req) == expected


def test_session_token_swapped_or_dropped() -> None:
    v = sigv4.Verifier(sigv4.Credentials(AKID, SECRET, TOKEN), region="us-east-1", service="service")
    base = vector("get-vanilla-with-session-token", "header")
    assert v.verify(base.method, base.url, list(base.headers), now=T0).session_token_used
    assert outcome(v, base.set("X-Amz-Security-Token", TOKEN.replace("6", "7"))) == "InvalidToken"
    assert outcome(v, base.drop("X-Amz-Security-Token")) == "InvalidToken"
    q = vector("get-vanilla-with-session-token", "query")
    assert outcome(v, q) == OK
    assert outcome(v, q.q(TOKEN, TOKEN.replace("6", "7"))) == "InvalidToken"
    assert outcome(v, q.q(f"&X-Amz-Security-Token={TOKEN}", "")) == "InvalidToken"


def test_replay_cache_refuses_a_second_use() -> None:
    v = verifier(replay_cache=10)
    assert outcome(v, w1().set("Host", "other.example")) == "SignatureDoesNotMatch"
    assert v.replay_cache_len == 0, "failed requests are not remembered"
    assert outcome(v, w1()) == OK
    assert outcome(v, w1().at(T0 + 10)) == "RequestReplayed"
    assert outcome(v, w1q()) == OK
    assert outcome(v, w1q()) == "RequestReplayed"
    assert v.replay_cache_len == 2
    assert outcome(verifier(replay_cache=None), w1()) == OK
    assert outcome(verifier(), w1()) == OK


def test_callable_lookup_and_its_errors() -> None:
    calls: List[str] = []

    def lookup(akid: str) -> Optional[str]:
        calls.append(akid)
        return SECRET if akid == AKID else None

    v = sigv4.Verifier(lookup, regions=["eu-west-1", "us-east-1"], service="service")
    assert outcome(v, w1()) == OK and calls == [AKID]
    assert outcome(v, w1().auth(good_auth(credential=cred(akid="AKIDOTHER")))) == "InvalidAccessKeyId"
    assert outcome(v, w1().at(T0 + 5000)) == "RequestTimeTooSkewed"
    assert calls == [AKID, "AKIDOTHER"], "a request refused before the lookup does not call it"

    def broken(akid: str) -> str:
        raise KeyError("database down")

    with pytest.raises(KeyError, match="database down"):
        r = w1()
        sigv4.Verifier(broken, region="us-east-1", service="service").verify(r.method, r.url, list(r.headers), now=T0)
    with pytest.raises(TypeError, match="secret str"):
        sigv4.Verifier(lambda akid: 42, region="us-east-1", service="service").verify(
            r.method, r.url, list(r.headers), now=T0)
    # Credentials with a token from a callable: the token must match.
    v = sigv4.Verifier(lambda akid: sigv4.Credentials(akid, SECRET, TOKEN), region="us-east-1", service="service")
    assert outcome(v, w1()) == "InvalidToken"
    # None: nobody is known.
    assert outcome(sigv4.Verifier(None, region="us-east-1", service="service"), w1()) == "InvalidAccessKeyId"


def test_construction_errors_name_the_argument() -> None:
    with pytest.raises(sigv4.InvalidScopeError) as info:
        sigv4.Verifier({}, service="service")
    assert info.value.argument == "region"
    with pytest.raises(sigv4.InvalidScopeError):
        sigv4.Verifier({}, region="us east", service="service")
    with pytest.raises(sigv4.InvalidScopeError):
        sigv4.Verifier({}, region="us-east-1", service="")
    for bad in ({"replay_cache": 0}, {"max_skew": -1}, {"max_skew": 86401}, {"max_expires": 0},
                {"max_expires": 604801}, {"uri_encoding": "triple"}):
        with pytest.raises(sigv4.InvalidOptionError):
            sigv4.Verifier({}, region="us-east-1", service="service", **bad)
    with pytest.raises(TypeError):
        sigv4.Verifier(42, region="us-east-1", service="service")
    with pytest.raises(TypeError):
        sigv4.Verifier({}, region="us-east-1", service="service", must_sign_headers="content-type")


def test_options_change_the_checks() -> None:
    assert outcome(verifier(max_skew=60), w1().at(T0 + 61)) == "RequestTimeTooSkewed"
    assert outcome(verifier(max_expires=60), w1q()) == "AuthorizationQueryParametersError"
    assert outcome(verifier(must_sign_headers=["x-tenant"]), w1().header("X-Tenant", "a")) == "UnsignedHeader"
    unsigned = signed_by_us("PUT", "https://example.amazonaws.com/", {}, b"data", payload="unsigned",
                            content_sha256_header=True)
    assert outcome(verifier(allow_unsigned_payload=True), unsigned) == OK


def test_no_secret_in_repr() -> None:
    v = sigv4.Verifier({AKID: sigv4.Credentials(AKID, SECRET, TOKEN)}, region="us-east-1", service="service")
    base = vector("get-vanilla-with-session-token", "header")
    who = v.verify(base.method, base.url, list(base.headers), now=T0)
    try:
        bad = base.set("Host", "x.example")
        v.verify(bad.method, bad.url, list(bad.headers), now=T0)
    except sigv4.VerificationError as error:
        err = error
    for text in (repr(v), str(v), repr(who), repr(err), str(err)):
        assert SECRET not in text and TOKEN not in text and "wJalr" not in text, text
