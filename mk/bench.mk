# make bench: every benchmark table, one after the other, each through its own target (all kept: bench-rust,
# bench-c, bench-python, bench-node, bench-cli, bench-sdk, bench-edge, bench-servers, bench-proxy, ...). The
# programs live in bench/<language>/ (bench/README.md); the tables' results in bench/RESULTS.md, a short table per
# language in the README. Output of each table also in build/bench/<target>.log; a summary at the end.
#   make bench BENCH_TABLES="bench-rust bench-c"   a subset
# Slow: release builds, load generators, the WebAssembly build (see bench/RESULTS.md for the time it takes).
.PHONY: bench bench-servers bench-batch
BENCH_TABLES ?= bench-rust bench-c bench-python bench-node bench-cli bench-sdk bench-edge bench-servers bench-proxy bench-replay bench-batch

bench:
	bench/run.sh "$(MAKE) --no-print-directory" $(ROOT)/build/bench $(BENCH_TABLES)

# Server throughput with and without the verifier middleware (load generators on 127.0.0.1; slow).
bench-servers: bench-python-middleware bench-node-middleware

# Batch verification (issue 17 item 8): verify_many / verifyMany next to a loop of single calls, 10,000
# header-signed requests, same process (release builds). BATCH_COUNT, BATCH_ROUNDS.
bench-batch: $(VENV)/.stamp-sigv4-release $(NODE_STAMP) $(ROOT)/build/bench/placement
	$(PY) $(ROOT)/bench/python/bench_batch.py
	cd $(NODE_DIR) && $(NAPI_BUILD) --release
	cd $(NODE_DIR) && node $(ROOT)/bench/node/bench-batch.js

# How CPUs 0 and 1 sit relative to each other (bench/placement/placement.c), printed by the batch benchmarks.
$(ROOT)/build/bench/placement: bench/placement/placement.c
	mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -pthread -o $@ $<
