"""Replay protection shared by a fleet through a real Redis (issue 17): the stores on their own, two
verifying processes (WSGI + redis-py, ASGI + redis.asyncio) sharing one Redis, Redis stopped in the
middle of a run and restarted, and 1,000 concurrent distinct requests across the two processes."""

import http.client
import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

import sigv4
from sigv4.replay import AsyncRedisReplayStore, RedisReplayStore

KEYS = {"AKIDFLEET": "fleet-secret-key"}
SIGNER = sigv4.Signer(sigv4.Credentials("AKIDFLEET", "fleet-secret-key"), "us-east-1", "execute-api")
HOST = "api.fleet.test"


def signed(path="/items", timestamp=None):
    """A GET signed for https://api.fleet.test<path>: (path, headers) to send to any instance."""
    s = SIGNER.sign("GET", f"https://{HOST}{path}", {}, b"", timestamp)
    return path, dict(s.headers)


def send(instance, request):
    path, headers = request
    conn = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        body = r.read()
    finally:
        conn.close()
    code = json.loads(body)["__type"] if r.status != 200 else "OK"
    return r.status, code


def unique(tag):
    return f"/items/{tag}-{uuid.uuid4().hex}"


# -- the stores and the verifier, in process ------------------------------------------------------


def test_sync_store_sets_nx_with_the_window_as_expiry(redis_server):
    prefix = f"t-{uuid.uuid4().hex}:"
    store = RedisReplayStore(url=redis_server.url, prefix=prefix)
    v = sigv4.Verifier(KEYS, region="us-east-1", service="execute-api", replay_store=store)
    request = signed("/one", "20240101T000000Z")
    # Verified 100 s after signing: the header form stays valid until signing + 900 s skew.
    who = v.verify("GET", f"https://{HOST}/one", request[1], b"", now="20240101T000140Z")
    client = redis_server.client()
    assert client.get(prefix + who.replay_key) == b"1"
    ttl = client.pttl(prefix + who.replay_key)
    assert 800_000 - 5_000 < ttl <= 801_000, ttl
    with pytest.raises(sigv4.VerificationError) as e:
        v.verify("GET", f"https://{HOST}/one", request[1], b"", now="20240101T000141Z")
    assert e.value.code == "RequestReplayed" and e.value.status == 403
    assert v.replay_cache_len == 0
    assert store.claim("k", 1000) is True and store.claim("k", 1000) is False


def test_presigned_url_is_kept_until_it_expires(redis_server):
    prefix = f"t-{uuid.uuid4().hex}:"
    v = sigv4.Verifier(KEYS, region="us-east-1", service="execute-api",
                       replay_store=RedisReplayStore(url=redis_server.url, prefix=prefix))
    url = SIGNER.presign("GET", f"https://{HOST}/p", expires_in=3600, timestamp="20240101T000000Z")
    who = v.verify("GET", str(url.url if hasattr(url, "url") else url), {"Host": HOST}, b"", now="20240101T000010Z")
    ttl = redis_server.client().pttl(prefix + who.replay_key)
    assert 3_591_000 - 5_000 < ttl <= 3_591_000, ttl


def test_async_store_belongs_on_the_asgi_middleware(redis_server):
    with pytest.raises(TypeError, match="ASGI"):
        sigv4.Verifier(KEYS, region="us-east-1", replay_store=AsyncRedisReplayStore(url=redis_server.url))
    with pytest.raises(sigv4.InvalidOptionError):
        sigv4.Verifier(KEYS, region="us-east-1", replay_cache=True,
                       replay_store=RedisReplayStore(url=redis_server.url))
    with pytest.raises(TypeError):
        sigv4.Verifier(KEYS, region="us-east-1", replay_store=object())
    with pytest.raises(ValueError):
        RedisReplayStore(url=redis_server.url, timeout=0)


def _dead_url():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there
    return f"redis://127.0.0.1:{port}/0"


def test_store_down_fails_closed_by_default_and_open_when_configured(caplog):
    dead = _dead_url()
    closed = sigv4.Verifier(KEYS, region="us-east-1", replay_store=RedisReplayStore(url=dead, timeout=0.2))
    opened = sigv4.Verifier(KEYS, region="us-east-1",
                            replay_store=RedisReplayStore(url=dead, timeout=0.2, fail_open=True))
    path, headers = signed("/down")
    with caplog.at_level(logging.WARNING, logger="sigv4"):
        with pytest.raises(sigv4.VerificationError) as e:
            closed.verify("GET", f"https://{HOST}{path}", headers, b"")
        assert e.value.code == "ReplayStoreUnavailable" and e.value.status == 503
        assert "replay store" in str(e.value) and "127.0.0.1" not in str(e.value)
        assert opened.verify("GET", f"https://{HOST}{path}", headers, b"").access_key_id == "AKIDFLEET"
    messages = [r.getMessage() for r in caplog.records if r.name == "sigv4"]
    assert any("refused (ReplayStoreUnavailable)" in m for m in messages), messages
    assert any("accepted unproven (fail_open)" in m for m in messages), messages
    assert not any("fleet-secret-key" in m for m in messages)


def test_async_store_verdicts(redis_server):
    import asyncio

    from sigv4.replay import claim_async

    v = sigv4.Verifier(KEYS, region="us-east-1")
    path, headers = signed(unique("async"))
    who = v.verify("GET", f"https://{HOST}{path}", headers, b"")

    async def run():
        store = AsyncRedisReplayStore(url=redis_server.url, prefix=f"t-{uuid.uuid4().hex}:")
        await claim_async(store, who, time.time())
        with pytest.raises(sigv4.VerificationError) as e:
            await claim_async(store, who, time.time())
        assert e.value.code == "RequestReplayed"
        down = AsyncRedisReplayStore(url=_dead_url(), timeout=0.2)
        with pytest.raises(sigv4.VerificationError) as e:
            await claim_async(down, who, time.time())
        assert e.value.code == "ReplayStoreUnavailable"
        await claim_async(AsyncRedisReplayStore(url=_dead_url(), timeout=0.2, fail_open=True), who, time.time())
        await store.client.aclose()

    asyncio.run(run())


def test_async_store_groups_concurrent_claims(redis_server):
    """Claims made in one event-loop iteration share one pipelined round trip; each is still its own
    SET NX PX: of two concurrent claims of one key exactly one is fresh, every key gets the window as
    its TTL, and when Redis is unreachable every claim of the group fails (none is fresh)."""
    import asyncio

    prefix = f"t-{uuid.uuid4().hex}:"
    keys = [f"k{i}" for i in range(300)]

    async def run():
        store = AsyncRedisReplayStore(url=redis_server.url, prefix=prefix, timeout=5)
        answers = await asyncio.gather(*(store.claim(k, 60_000) for k in keys + keys))
        fresh = dict.fromkeys(keys, 0)
        for k, a in zip(keys + keys, answers):
            fresh[k] += a is True
            assert a in (True, False)
        assert set(fresh.values()) == {1}, fresh
        alone = await store.claim("alone", 60_000)  # a group of one (no pipeline)
        assert alone is True and await store.claim("alone", 60_000) is False
        down = AsyncRedisReplayStore(url=_dead_url(), timeout=0.5)
        failures = await asyncio.gather(*(down.claim(k, 1000) for k in keys[:50]), return_exceptions=True)
        assert all(isinstance(f, Exception) for f in failures), failures
        await store.client.aclose()

    asyncio.run(run())
    client = redis_server.client()
    ttls = [client.pttl(prefix + k) for k in keys]
    assert all(55_000 < t <= 60_000 for t in ttls), ttls[:5]


def test_sync_store_threads_and_fork(redis_server):
    """The redis-py store built from a URL gives each thread its own connection: 8 threads claiming
    distinct keys all get fresh answers, a key claimed by two threads is fresh once; a forked child
    opens its own connection instead of sharing the parent's socket."""
    import os
    import threading

    prefix = f"t-{uuid.uuid4().hex}:"
    store = RedisReplayStore(url=redis_server.url, prefix=prefix, timeout=5)
    assert store.claim("parent", 60_000) is True
    results = []

    def work(j):
        results.append([store.claim(f"t{j}-{i}", 60_000) for i in range(50)] + [store.claim("shared", 60_000)])

    threads = [threading.Thread(target=work, args=(j,)) for j in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(all(r[:-1]) for r in results)
    assert sum(r[-1] for r in results) == 1
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a claim must work on its own connection
        try:
            os.write(write, b"1" if store.claim("child", 60_000) is True and store.claim("parent", 60_000) is False else b"0")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert store.claim("child", 60_000) is False


# -- two processes sharing one Redis --------------------------------------------------------------


def test_accepted_by_one_process_refused_by_the_other(fleet):
    a, b = fleet
    first = signed(unique("ab"))
    assert send(a, first) == (200, "OK")
    assert send(b, first) == (403, "RequestReplayed")
    assert send(a, first) == (403, "RequestReplayed")
    second = signed(unique("ba"))
    assert send(b, second) == (200, "OK")
    assert send(a, second) == (403, "RequestReplayed")


def test_redis_stopped_mid_run_then_restarted(fleet, redis_server):
    a, b = fleet
    before = signed(unique("before"))
    assert send(a, before) == (200, "OK")
    accepted = {}
    redis_server.stop()
    try:
        during = [signed(unique(f"during{i}")) for i in range(10)]
        for request in during:
            for instance in (a, b):
                status, code = send(instance, request)
                assert (status, code) == (503, "ReplayStoreUnavailable"), (instance.kind, status, code)
        assert send(b, before)[0] != 200, "an accepted request is never accepted again"
    finally:
        redis_server.start()
    # The apps were not restarted: the stores reconnect on their own.
    for i, request in enumerate(during):
        results = [send(a, request), send(b, request)] if i % 2 else [send(b, request), send(a, request)]
        accepted[i] = sum(1 for r in results if r == (200, "OK"))
        assert sorted(results) == [(200, "OK"), (403, "RequestReplayed")], results
    # Claimed before the outage, remembered after the restart (append-only Redis).
    assert send(b, before) == (403, "RequestReplayed")
    assert send(a, before) == (403, "RequestReplayed")


def test_1000_concurrent_distinct_requests_each_accepted_once(fleet):
    a, b = fleet
    requests = [signed(unique(f"c{i}")) for i in range(1000)]
    with ThreadPoolExecutor(48) as pool:
        futures = [(pool.submit(send, a, r), pool.submit(send, b, r)) for r in requests]
        outcomes = [(fa.result(), fb.result()) for fa, fb in futures]
    wins = {"wsgi": 0, "asgi": 0}
    for (ra, rb) in outcomes:
        assert sorted([ra, rb]) == [(200, "OK"), (403, "RequestReplayed")], (ra, rb)
        wins["wsgi" if ra[0] == 200 else "asgi"] += 1
    assert sum(wins.values()) == 1000
    print("accepted by", wins)
