# Rust: formatting, lints, unit tests, the AWS vectors, property tests, doctests.
.PHONY: test-rust lint bench-rust
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust: lint
	$(CARGO) test -p sigv4 --test vectors -- --nocapture --test-threads=1
	$(CARGO) test --workspace

bench-rust:
	$(CARGO) build --release -p sigv4-bench
	$(ROOT)/target/release/bench-core
	$(ROOT)/target/release/bench-verify
	$(ROOT)/target/release/bench-chunked
