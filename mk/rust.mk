# Rust: formatting, lints, unit tests, the AWS vectors, property tests, doctests.
.PHONY: test-rust lint bench-rust
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust: lint
	$(CARGO) test -p sigv4 --test vectors -- --nocapture --test-threads=1
	$(CARGO) test -p sigv4 --test differential_aws_sigv4 -- --nocapture
	$(CARGO) test --workspace -- --skip core_matches_aws_sigv4_on_generated_requests

bench-rust:
	$(CARGO) build --release -p sigv4-bench
	$(ROOT)/target/release/bench-core
	$(ROOT)/target/release/bench-verify
	$(ROOT)/target/release/bench-chunked

# Differential tests (vs aws-sigv4 here, botocore in mk/python.mk) with 100,000 generated inputs per
# pair instead of make test's 2,000; SIGV4_DIFF_SEED=<n> replays a printed seed. Optimised without LTO
# (the workspace's release profile links with fat LTO, minutes for a test binary).
.PHONY: fuzz-diff fuzz-diff-rust
fuzz-diff: fuzz-diff-rust
fuzz-diff-rust:
	SIGV4_DIFF_COUNT=100000 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
		$(CARGO) test --release -p sigv4 --test differential_aws_sigv4 -- --nocapture
