"""``Verifier.verify_many``: one result per request, in order, on several threads.

Signed requests come from AWS's v4 suite and from botocore (signed at the current time); each
entry's result is checked on its own: good ones give the identity, tampered ones their code,
malformed entries a per-entry error, and with the replay cache a repeat later in the batch is
``RequestReplayed`` while its first copy is accepted.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Dict, List

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import sigv4
from test_verify_vectors import CASES, REFUSED, context, now_of, sendable

AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def suite_requests() -> List[Dict[str, Any]]:
    """The suite's cases a plain verifier for ``service`` accepts, header and presigned forms."""
    out = []
    for name in CASES:
        ctx = context(name)
        if (ctx["credentials"].get("token") or ctx.get("normalize") is False
                or ctx.get("omit_session_token") or ctx["service"] != "service" or name in REFUSED):
            continue
        for form in ("header", "query"):
            raw = sendable(name, form)
            out.append({"method": raw.method, "url": raw.target, "headers": list(raw.headers),
                        "body": raw.body, "now": now_of(ctx)})
    assert len(out) >= 40
    return out


def tampered(request: Dict[str, Any]) -> Dict[str, Any]:
    """The request with its signature's last hex digit changed."""
    def flip(text: str) -> str:
        return text[:-1] + ("1" if text[-1] == "0" else "0")
    out = dict(request)
    headers = [(n, flip(v) if n.lower() == "authorization" else v) for n, v in request["headers"]]
    if headers == request["headers"]:
        out["url"] = flip(request["url"])
    out["headers"] = headers
    return out


def botocore_requests(count: int, body_size: int = 0) -> List[Dict[str, Any]]:
    """``count`` distinct requests botocore signs now (header form), bodies padded to ``body_size``."""
    auth = SigV4Auth(Credentials(AKID, SECRET), "service", "us-east-1")
    out = []
    for i in range(count):
        body = f"item {i}".encode().ljust(body_size, b".")
        req = AWSRequest(method="POST", url=f"https://example.amazonaws.com/items/{i}?n={i}", data=body)
        auth.add_auth(req)
        out.append({"method": "POST", "url": req.url, "headers": list(req.headers.items()), "body": body})
    return out


def verifier(replay: bool = False, credentials: Any = None) -> sigv4.Verifier:
    return sigv4.Verifier(credentials or {AKID: SECRET}, region="us-east-1", service="service",
                          replay_cache=True if replay else None)


def codes(results: List[Any]) -> List[str]:
    return ["ok" if isinstance(r, sigv4.VerifiedIdentity) else r.code for r in results]


@pytest.mark.parametrize("threads", [1, 2, None])
@pytest.mark.parametrize("as_iterator", [False, True])
def test_mixed_good_and_bad_keep_their_order(threads: Any, as_iterator: bool) -> None:
    good = suite_requests()
    batch, want = [], []
    for request in good * 4:
        batch += [request, tampered(request)]
        want += ["ok", "SignatureDoesNotMatch"]
    # A list (its length known: chunks shrink towards the end) or an iterator (no length).
    results = verifier().verify_many(iter(batch) if as_iterator else batch, threads=threads)
    assert codes(results) == want
    for result in results[::2]:
        assert result.access_key_id == AKID and result.service == "service"
    mismatch = results[1]
    assert isinstance(mismatch, sigv4.VerificationError) and mismatch.canonical_request


IDENTITY_FIELDS = ("access_key_id", "region", "service", "signed_headers", "amz_date", "signing_time",
                   "presigned", "expires_at", "session_token_used", "payload_hash", "payload_signed",
                   "replay_key", "algorithm", "region_set")


@pytest.mark.parametrize("threads", [1, 2])
def test_identities_equal_single_calls_when_keys_regions_and_headers_vary(threads: int) -> None:
    # A batch's identities share what neighbours have in common (key, scope, signed headers):
    # alternate everything so that a shared part leaking into the wrong identity would show.
    keys = {AKID: SECRET, "AKIDOTHER": "otherSecretKeyOtherSecretKeyOtherSecret00"}
    batch = []
    for i in range(300):
        akid = AKID if i % 3 else "AKIDOTHER"
        region = "us-west-2" if i % 4 == 1 else "us-east-1"
        headers = {"X-Extra": str(i)} if i % 5 == 2 else {}
        unsigned = i % 7 == 3
        req = AWSRequest(method="PUT", url=f"https://example.amazonaws.com/k/{i}", data=f"b{i}".encode(),
                         headers=dict(headers, **({"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"} if unsigned else {})))
        SigV4Auth(Credentials(akid, keys[akid]), "service", region).add_auth(req)
        batch.append({"method": "PUT", "url": req.url, "headers": list(req.headers.items()), "body": req.body})
    v = sigv4.Verifier(keys, regions=["us-east-1", "us-west-2"], service="service", allow_unsigned_payload=True)
    results = v.verify_many(batch, threads=threads)
    assert codes(results) == ["ok"] * len(batch)
    for request, got in zip(batch, results):
        want = v.verify(**request)
        for field in IDENTITY_FIELDS:
            assert getattr(got, field) == getattr(want, field), field
        assert repr(got) == repr(want)
    assert {r.access_key_id for r in results} == set(keys)
    assert {r.region for r in results} == {"us-east-1", "us-west-2"}
    assert {r.payload_hash for r in results} >= {"UNSIGNED-PAYLOAD"}
    assert len({r.signed_headers for r in results}) >= 2


@pytest.mark.parametrize("threads", [1, 2])
def test_a_later_duplicate_is_a_replay(threads: int) -> None:
    fresh = botocore_requests(150)
    batch = fresh + fresh[:50] + [fresh[-1]]
    assert codes(verifier(replay=False).verify_many(batch, threads=threads)) == ["ok"] * len(batch)
    v = verifier(replay=True)
    assert codes(v.verify_many(batch, threads=threads)) == ["ok"] * 150 + ["RequestReplayed"] * 51
    # The cache persists: the same batch again is all replays, as single calls would find.
    assert codes(v.verify_many(fresh[:3])) == ["RequestReplayed"] * 3
    with pytest.raises(sigv4.VerificationError) as e:
        v.verify(**fresh[4])
    assert e.value.code == "RequestReplayed"


def test_entries_parsed_from_json_verify() -> None:
    # Keys parsed from JSON are not interned (a request log read back), headers are lists of lists
    # and bodies text: the same results as the dicts built in Python.
    fresh = botocore_requests(60)
    logged = json.loads(json.dumps([dict(r, body=r["body"].decode()) for r in fresh]))
    assert codes(verifier().verify_many(logged)) == ["ok"] * 60
    logged[7]["bdy"] = logged[7].pop("body")
    results = verifier().verify_many(logged)
    assert results[7].code == "InvalidOption" and "'bdy'" in str(results[7])
    assert codes(results[:7] + results[8:]) == ["ok"] * 59


def test_invalid_entries_give_their_own_errors() -> None:
    [good] = botocore_requests(1)
    batch: List[Any] = [
        good,
        42,                                                      # not a request
        {"method": "GET"},                                       # no url
        {"url": good["url"], "headers": 7},                      # headers of the wrong type
        {"url": good["url"], "nope": 1},                         # unknown key
        {"url": good["url"], "headers": good["headers"], "now": "yesterday"},  # bad timestamp
        ("GET", "/", {"Host": "example.amazonaws.com"}),         # a tuple, unsigned
        {"method": "G\0T", "url": good["url"], "headers": good["headers"]},
        {"url": "/", "headers": {"Authorization": "AWS4-HMAC-SHA256 Credential=NOBODY/x"}},
    ]
    results = verifier().verify_many(batch)
    assert len(results) == len(batch)
    assert isinstance(results[0], sigv4.VerifiedIdentity)
    for r in results[1:]:
        assert isinstance(r, sigv4.Error), r
    assert codes(results[1:5]) == ["InvalidOption"] * 4
    assert results[5].code == "InvalidTimestamp"
    assert codes(results[6:]) == ["MissingAuthenticationToken", "InvalidMethod", "IncompleteSignature"]
    assert all(r.status == 400 for r in results[7:8])


def test_empty_and_wrong_arguments() -> None:
    assert verifier().verify_many([]) == []
    assert verifier().verify_many(iter(())) == []
    with pytest.raises(TypeError):
        verifier().verify_many("GET /")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verifier().verify_many({"url": "/"})  # type: ignore[arg-type]
    with pytest.raises(sigv4.Error):
        verifier().verify_many([], now="not a time")


def test_a_credential_callable_runs_on_the_workers_and_its_errors_stay_per_request() -> None:
    requests = botocore_requests(200) * 10  # replay cache off: repeats are fine
    callers = set()

    def lookup(akid: str) -> Any:
        callers.add(threading.get_ident())
        if akid != AKID:
            return None
        return SECRET

    results = verifier(credentials=lookup).verify_many(requests, threads=2)
    assert codes(results) == ["ok"] * 2000
    # Two threads asked (a worker and the calling thread, which verifies whenever it is ahead): the
    # work was spread, and the worker could take the GIL for the callable because verify_many
    # released it.
    assert len(callers) == 2

    def broken(akid: str) -> Any:
        raise RuntimeError("lookup down")

    results = verifier(credentials=broken).verify_many(requests[:40], threads=2)
    assert all(isinstance(r, RuntimeError) and str(r) == "lookup down" for r in results)


def test_the_gil_is_released_while_the_batch_runs() -> None:
    # A Python thread notes the time while a large batch verifies. Holding the GIL through a native
    # call stops every other Python thread for the whole call, so notes from the middle of the call
    # prove it was released. Large bodies make hashing (GIL released) most of the call.
    requests = botocore_requests(50, body_size=256 * 1024) * 8  # 400 entries, 100 MiB (replay off)
    stamps: List[float] = []
    stop = threading.Event()

    def note() -> None:
        while not stop.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0.0005)

    v = verifier()
    counter = threading.Thread(target=note)
    counter.start()
    try:
        t0 = time.perf_counter()
        results = v.verify_many(requests, threads=1)
        t1 = time.perf_counter()
    finally:
        stop.set()
        counter.join()
    assert len(results) == 400 and all(isinstance(r, sigv4.VerifiedIdentity) for r in results)
    quarter = (t1 - t0) / 4
    assert any(t0 + quarter < t < t1 - quarter for t in stamps), (t1 - t0, len(stamps))


def test_every_header_shape_reads_as_the_list_of_tuples() -> None:
    # The fast reader takes lists of (str, str) tuples and dicts of str (borrowed, no copy of the
    # objects); anything else (lists of lists, a case-insensitive mapping, a subclass of str) goes
    # through the general one. Each shape must give what the list of tuples gives, and a wrong
    # item anywhere must be that entry's error, not a skipped header.
    from requests.structures import CaseInsensitiveDict

    class Text(str):
        pass

    base = botocore_requests(40)
    shapes = [
        lambda h: h,
        lambda h: dict(h),
        lambda h: [list(p) for p in h],
        lambda h: CaseInsensitiveDict(h),
        lambda h: [(Text(n), Text(v)) for n, v in h],
        lambda h: {Text(n): v for n, v in h},
    ]
    batch = [dict(r, headers=shape(r["headers"])) for r in base for shape in shapes]
    assert codes(verifier().verify_many(batch, threads=2)) == ["ok"] * len(batch)
    int_name: Dict[Any, Any] = dict(base[1]["headers"])
    int_name[7] = "x"
    broken = [
        dict(base[0], headers=base[0]["headers"] + [("X-Bad", 7)]),
        dict(base[1], headers=int_name),
        dict(base[2], headers=base[2]["headers"] + [("X-Only-Name",)]),
    ]
    results = verifier().verify_many(broken)
    assert all(isinstance(r, sigv4.Error) for r in results), results


def test_requests_changed_by_python_code_while_the_batch_runs_give_per_entry_results() -> None:
    # The calling thread reads each entry with borrowed references and lets Python code run only
    # between entries (a credential callable on a worker, other threads): an entry changed there
    # is read as it is when its turn comes. Here the callable empties and rebinds later entries'
    # dicts and header lists while the batch runs, freeing the strings they held: every result must
    # still be an identity or that entry's error, and the untouched entries must verify.
    requests = botocore_requests(800)
    touched = set()

    def lookup(akid: str) -> Any:
        for i in range(len(touched) * 7 % 800, 800, 97):
            if i >= 400 and i not in touched:
                touched.add(i)
                entry = requests[i]
                entry["headers"].clear()
                entry["headers"] = [("X-New-" + str(i), "v" * 50)]
                entry["url"] = "https://example.amazonaws.com/changed/" + str(i)
                entry.pop("body", None)
                break
        return SECRET if akid == AKID else None

    results = verifier(credentials=lookup).verify_many(requests, threads=2)
    assert len(results) == 800
    assert all(isinstance(r, (sigv4.VerifiedIdentity, sigv4.Error)) for r in results)
    assert codes(results[:400]) == ["ok"] * 400
    for i, r in enumerate(results):
        if i not in touched:
            assert isinstance(r, sigv4.VerifiedIdentity), (i, r)
    # Some entries were changed before their turn (read changed: refused).
    assert any(isinstance(results[i], sigv4.Error) for i in touched), sorted(touched)
