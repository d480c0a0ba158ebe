# Node package libsigv4 (bindings/node): npm install pinned by the committed lockfile, the napi-rs build
# (generates native.js / native.d.ts and the .node addon), then node:test.
NODE_DIR := $(ROOT)/bindings/node
NODE_STAMP := $(NODE_DIR)/node_modules/.libsigv4-install-stamp
NAPI_BUILD := npx --no-install napi build --platform --js native.js --dts native.d.ts

.PHONY: test-node bench-node node-install node-build

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm install --no-audit --no-fund --no-save --loglevel=error
	touch $@

node-install: $(NODE_STAMP)

node-build: $(NODE_STAMP)
	cd $(NODE_DIR) && $(NAPI_BUILD)

test-node: node-build
	cd $(NODE_DIR) && node --test test/

bench-node: $(NODE_STAMP)
	cd $(NODE_DIR) && $(NAPI_BUILD) --release
	cd $(NODE_DIR) && node $(ROOT)/bench/node/bench.js

# examples/node/dist/demo-client.js for `make demo`: the TypeScript examples compiled with tsc, and
# libsigv4 resolvable from dist/ (a symlink to bindings/node, whose addon node-build makes).
NODE_EXAMPLES := $(ROOT)/examples/node
.PHONY: node-demo-client bench-node-middleware
node-demo-client: node-build
	cd $(NODE_DIR) && ./node_modules/.bin/tsc -p $(NODE_EXAMPLES)/tsconfig.json --noEmit false --outDir $(NODE_EXAMPLES)/dist
	mkdir -p $(NODE_EXAMPLES)/dist/node_modules
	ln -sfn ../../../../bindings/node $(NODE_EXAMPLES)/dist/node_modules/libsigv4

# Throughput of a node:http server with and without the SigV4 middleware on 127.0.0.1: both servers on one CPU,
# loaded at the same time by wrk (BENCH_MODE=alternating: autocannon, one server at a time); median ratio and server
# CPU per request; BENCH_SECONDS, BENCH_ROUNDS.
bench-node-middleware: $(NODE_STAMP)
	command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	cd $(NODE_DIR) && $(NAPI_BUILD) --release
	cd $(NODE_DIR) && node $(ROOT)/bench/node/bench-middleware.js

# The Node differential tests with 100,000 generated inputs per pair (make test runs 5,000 / 2,000):
# libsigv4/aws4 vs aws4, Signer vs @smithy/signature-v4 (50,000 per service, header and presigned
# each), libsigv4/axios vs aws4-axios. Seeds printed; AWS4_DIFF_SEED / SMITHY_DIFF_SEED reproduce.
.PHONY: fuzz-diff fuzz-diff-node
fuzz-diff: fuzz-diff-node
fuzz-diff-node: node-build
	cd $(NODE_DIR) && AWS4_DIFF_N=100000 node --test test/aws4-diff.test.js
	cd $(NODE_DIR) && SMITHY_DIFF_N=50000 node --test test/smithy-diff.test.js
	cd $(NODE_DIR) && AWS4_AXIOS_N=20000 node --test test/aws4-axios.test.js
