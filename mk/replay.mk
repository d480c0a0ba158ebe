# Replay stores shared by a fleet (issue 17): the Redis stores tested against a real redis-server that
# tests/replay/with-redis.sh starts on a free 127.0.0.1 port and stops afterwards (trap, also on failure).
#   make test-replay    Python (redis-py sync + asyncio) and Node (node-redis) fleet tests
#   make bench-replay   added cost per request of the Redis store, and a two-process fleet's throughput (Python, Node)
.PHONY: test-replay bench-replay redis-server-install

# Debian's redis-server when missing (CI installs nothing by hand).
redis-server-install:
	command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server; }

test-replay: redis-server-install $(VENV)/.stamp-sigv4-debug node-build
	tests/replay/with-redis.sh bash -c 'cd $(PY_PKG) && $(PY) -m pytest -q -p no:cacheprovider tests-redis && cd $(NODE_DIR) && node --test test-redis/'

# One table per question, Python and Node in the same run: cost per verification (none / memory / Redis) and
# a two-process fleet's requests/s and CPU per request (bench/replay/bench_replay.py; BENCH_SECONDS,
# BENCH_ROUNDS, BENCH_N). Release builds of both bindings.
bench-replay: redis-server-install $(VENV)/.stamp-sigv4-release $(NODE_STAMP)
	command -v wrk >/dev/null || apt-get install -y wrk
	cd $(NODE_DIR) && $(NAPI_BUILD) --release
	SIGV4_REDIS_PERSIST=$${SIGV4_REDIS_PERSIST:-no} tests/replay/with-redis.sh $(PY) bench/replay/bench_replay.py
