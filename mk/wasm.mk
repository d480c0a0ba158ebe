# The WebAssembly build (wasm/, target wasm32-unknown-unknown) and its tests in the edge runtimes.
#   make wasm-build   bindings/node/wasm/sigv4.wasm (cargo, then wasm-opt -Oz from npm's binaryen)
#   make test-edge    Node's WebAssembly path, the aws4fetch differential, Bun, workerd, Chromium
#   make bench-edge   signing in workerd and in Node's WebAssembly next to aws4fetch
WASM_TARGET := wasm32-unknown-unknown
WASM_RAW := $(ROOT)/target/$(WASM_TARGET)/wasm/sigv4_wasm.wasm
WASM_OUT := $(NODE_DIR)/wasm/sigv4.wasm
WASM_SOURCES := $(wildcard $(ROOT)/wasm/src/*.rs $(ROOT)/core/src/*.rs $(ROOT)/core/src/*/*.rs) $(ROOT)/wasm/Cargo.toml
WASM_OPT_FLAGS := -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int

.PHONY: wasm-build test-edge test-edge-node test-edge-bun test-edge-workerd test-edge-browser bench-edge

$(WASM_OUT): $(WASM_SOURCES) $(NODE_STAMP)
	rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	$(CARGO) build -p sigv4-wasm --target $(WASM_TARGET) --profile wasm
	$(NODE_DIR)/node_modules/.bin/wasm-opt $(WASM_OPT_FLAGS) $(WASM_RAW) -o $@
	@echo "sigv4.wasm: $$(stat -c %s $@) bytes, $$(gzip -9c $@ | wc -c) gzipped"

wasm-build: $(WASM_OUT)

# Node with the WebAssembly backend (LIBSIGV4_BACKEND=wasm, and the fallback with the addon hidden),
# and the differential test against aws4fetch.
test-edge-node: $(WASM_OUT)
	cd $(NODE_DIR) && node --test test-edge/node/

test-edge-bun: $(WASM_OUT)
	cd $(NODE_DIR) && ./node_modules/.bin/bun test-edge/bun/run.js

test-edge-workerd: $(WASM_OUT)
	cd $(NODE_DIR) && node test-edge/workerd/run.mjs

test-edge-browser: $(WASM_OUT)
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	cd $(NODE_DIR) && node test-edge/browser/run.mjs

test-edge: test-edge-node test-edge-bun test-edge-workerd test-edge-browser
	@echo "make test-edge: every edge runtime passed"

bench-edge: $(WASM_OUT)
	cd $(NODE_DIR) && node bench/edge/run.mjs
